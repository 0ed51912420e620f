"""``manage.py export_report`` for batch use."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from audit.models import Event
from exports.tests.readers import docx_text, needs_poppler, pdf_text, workbook

# One world for the module (exports/tests/conftest.py): school A's report submitted as version 1.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("submitted_world")]


@needs_poppler
def test_export_by_report_id_as_pdf(tmp_path, report_a, version_a, capsys):
    target = tmp_path / "bao-cao.pdf"
    call_command("export_report", "--report", str(report_a.pk), "--format", "pdf", "--output", str(target))
    assert f"mã kiểm tra {version_a.content_hash[:16]}" in " ".join(pdf_text(target.read_bytes()).split())
    assert "phiên bản 1" in capsys.readouterr().out
    assert Event.objects.get(action="exports.report.exported").actor is None


def test_export_by_school_and_year_into_a_directory(tmp_path, school_a, report_a, version_a):
    call_command("export_report", "--school", school_a.code.lower(), "--year", "2024-2025", "--format", "docx",
                 "--output", f"{tmp_path}/out/")
    files = list((tmp_path / "out").iterdir())
    assert [f.name for f in files] == ["bao-cao-tu-danh-gia-a-thcs-01-2024-2025-v1.docx"]
    assert "BẢNG TỔNG HỢP KẾT QUẢ TỰ ĐÁNH GIÁ" in docx_text(files[0].read_bytes())


def test_export_summary_spreadsheet_and_the_draft(tmp_path, report_a, version_a):
    call_command("export_report", "--report", str(report_a.pk), "--format", "xlsx", "--draft",
                 "--output", str(tmp_path / "tong-hop.xlsx"))
    sheet = workbook((tmp_path / "tong-hop.xlsx").read_bytes())["Tổng hợp"]
    assert sheet["A3"].value.startswith("BẢN NHÁP")


def test_the_school_report_prepared_for_external_evaluation_wins(tmp_path, school_a, school_year, principal_a, report_a,
                                                                 version_a):
    from selfassessment import services

    external = services.report_create(school=school_a, school_year=school_year, kind="external", by=principal_a)
    call_command("export_report", "--school", school_a.code, "--year", "2024-2025", "--format", "xlsx", "--draft",
                 "--output", str(tmp_path / "x.xlsx"))
    assert Event.objects.get(action="exports.report.exported").target_id == external.pk


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--report", "999999"], "Không có báo cáo #999999"),
        (["--school", "NOPE", "--year", "2024-2025"], "không có báo cáo năm học 2024-2025"),
        (["--school", "A-THCS-01"], "--school cần đi cùng --year"),
    ],
)
def test_clear_errors(tmp_path, report_a, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("export_report", *args, "--output", str(tmp_path / "x.pdf"))


def test_a_report_never_submitted_needs_draft(tmp_path, draft_b):
    with pytest.raises(CommandError, match="chưa được nộp; dùng --draft"):
        call_command("export_report", "--report", str(draft_b.pk), "--output", str(tmp_path / "x.pdf"))


def test_unknown_version_and_existing_file(tmp_path, report_a, version_a):
    with pytest.raises(CommandError, match="không có phiên bản 4"):
        call_command("export_report", "--report", str(report_a.pk), "--report-version", "4",
                     "--output", str(tmp_path / "x.docx"), "--format", "docx")
    existing = tmp_path / "x.docx"
    existing.write_bytes(b"old")
    with pytest.raises(CommandError, match="đã tồn tại"):
        call_command("export_report", "--report", str(report_a.pk), "--format", "docx", "--output", str(existing))
    call_command("export_report", "--report", str(report_a.pk), "--format", "docx", "--output", str(existing), "--force")
    assert existing.read_bytes()[:2] == b"PK"
