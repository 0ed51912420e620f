"""``manage.py export_report`` on a TT57/2026 report: Biểu 1 by default, Biểu 2 with ``--document improvement-plan``."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from exports.tests.readers import docx_text, needs_poppler, pdf_text
from exports.tests.test_bieu2 import plan57  # noqa: F401
from selfassessment.tests.test_tt57 import tt57_catalog, tt57_report, year_2026  # noqa: F401

pytestmark = pytest.mark.django_db


@needs_poppler
def test_command_exports_biểu_1_of_a_tt57_draft_by_school_and_year(tt57_report, tmp_path, capsys):  # noqa: F811
    call_command("export_report", "--school", tt57_report.school.code, "--year", "2026-2027", "--format", "pdf",
                 "--draft", "--output", str(tmp_path) + "/")
    [path] = list(tmp_path.iterdir())
    assert path.name.endswith("-ban-nhap.pdf")
    flat = " ".join(pdf_text(path.read_bytes()).split())
    assert "PHẦN I TỔNG QUAN" in flat and "Mô tả hiện trạng" in flat and "PHẦN IV PHỤ LỤC" in flat
    assert "bản nháp" in capsys.readouterr().out


def test_command_exports_biểu_2_as_word(plan57, tmp_path):  # noqa: F811
    report = plan57.report
    out = tmp_path / "b2.docx"
    call_command("export_report", "--report", str(report.pk), "--format", "docx", "--draft",
                 "--document", "improvement-plan", "--output", str(out))
    text = docx_text(out.read_bytes())
    assert "V. KẾ HOẠCH CẢI TIẾN CHẤT LƯỢNG" in text and "Số hóa hồ sơ quản lý" in text


def test_command_refuses_biểu_2_without_a_plan_or_in_xlsx(tt57_report, tmp_path):  # noqa: F811
    with pytest.raises(CommandError, match="chưa có kế hoạch cải tiến"):
        call_command("export_report", "--report", str(tt57_report.pk), "--draft", "--document", "improvement-plan",
                     "--output", str(tmp_path / "x.pdf"))
    with pytest.raises(CommandError, match="pdf hoặc docx"):
        call_command("export_report", "--report", str(tt57_report.pk), "--draft", "--document", "improvement-plan",
                     "--format", "xlsx", "--output", str(tmp_path / "x.xlsx"))
    assert not list(tmp_path.iterdir())


def test_command_refuses_biểu_2_of_a_2018_report(report_a, tmp_path):
    with pytest.raises(CommandError, match="không theo Thông tư 57"):
        call_command("export_report", "--report", str(report_a.pk), "--draft", "--document", "improvement-plan",
                     "--output", str(tmp_path / "x.pdf"))
