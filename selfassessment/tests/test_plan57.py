"""Biểu 2 (TT57/2026 improvement plan): the read API of selfassessment.plan57."""

from __future__ import annotations

import datetime
import json

import pytest

from schools.tests.factories import SchoolYearFactory
from selfassessment import plan57, services
from selfassessment.models import Plan57, Plan57Action, Plan57Check, Plan57Issue, Report
from standards.models import Standard
from standards.services import DATA_DIR, catalogs_load

pytestmark = pytest.mark.django_db


@pytest.fixture
def tt57_report(db, school_a, principal_a) -> Report:
    catalogs_load(paths=[DATA_DIR / "tt57_2026.json"])
    year = SchoolYearFactory(code="2026-2027", start_date=datetime.date(2026, 9, 5), end_date=datetime.date(2027, 5, 31))
    return services.report_create(school=school_a, school_year=year, kind="periodic", by=principal_a,
                                  today=datetime.date(2026, 10, 1))


@pytest.fixture
def plan(tt57_report) -> Plan57:
    plan = Plan57.objects.create(report=tt57_report, basis_report="Báo cáo TĐG 2026-2027", org_head="Hiệu trưởng")
    standard = Standard.objects.get(version=tt57_report.regulation_version, number=2)
    issue = Plan57Issue.objects.create(plan=plan, position=1, standard=standard, criteria="2.1, 2.2",
                                       current_state="Mức 1", weakness="Thiếu giáo viên tin học", cause="Biên chế")
    a1 = Plan57Action.objects.create(plan=plan, position=1, issue=issue, content="Bồi dưỡng giáo viên",
                                     start_on=datetime.date(2026, 9, 15), end_on=datetime.date(2026, 12, 31),
                                     responsible="Tổ Toán - Tin", coordination="Công đoàn", status="in_progress")
    Plan57Action.objects.create(plan=plan, position=2, content="Mua máy tính", end_on=datetime.date(2026, 11, 30),
                                status="done")
    Plan57Check.objects.create(plan=plan, point="semester1", action=a1, content="Tiến độ bồi dưỡng",
                               result="Đã bồi dưỡng 3/5 giáo viên", evidence="MC2.1-03", assessor="Phó HT")
    return plan


def test_plan_for_report(tt57_report, plan):
    assert plan57.plan_for_report(tt57_report) == plan
    other = Report.objects.exclude(pk=tt57_report.pk).first()
    assert other is None or plan57.plan_for_report(other) is None


def test_snapshot_is_json_and_round_trips_into_the_document(plan):
    data = plan57.snapshot_data(plan)
    json.dumps(data)  # JSON-able
    assert data["info"]["school_year"] == "2026-2027"
    assert data["issues"][0]["standard"] == 2 and data["issues"][0]["criteria"] == "2.1, 2.2"
    assert [a["issue"] for a in data["actions"]] == [1, None]
    assert data["checks"][0]["action"] == 1

    doc = plan57.document_from_data(json.loads(json.dumps(data)), today=datetime.date(2027, 1, 10))
    assert doc.title == "KẾ HOẠCH CẢI TIẾN CHẤT LƯỢNG GIÁO DỤC NĂM HỌC 2026-2027"
    assert doc.info[0] == ("Tên cơ sở giáo dục", plan.report.school.name)
    assert doc.basis[0] == ("1. Báo cáo tự đánh giá năm học 2026-2027", "Báo cáo TĐG 2026-2027")
    assert doc.requirements[1].startswith("b) Không xây dựng kế hoạch cải tiến đối với toàn bộ tiêu chí")
    assert doc.mechanism[0] == "a) Thực hiện rà soát, đánh giá tối thiểu 02 lần trong năm học;"
    assert doc.issues[0].cells == ["1", "Tiêu chuẩn 2", "2.1, 2.2", "Mức 1", "Thiếu giáo viên tin học", "Biên chế"]
    first = doc.actions[0]
    assert len(first.cells) == len(plan57.TABLE_V_COLUMNS) == 10
    assert first.period == "15/09/2026 – 31/12/2026"
    assert first.responsible_text == "Tổ Toán - Tin\nPhối hợp: Công đoàn"
    assert first.status_label == "Đang thực hiện"
    # In progress and past its end: overdue; the second is done, so never overdue.
    assert [a.overdue for a in doc.actions] == [True, False]
    assert [p.label for p in doc.monitoring] == ["Cuối học kỳ I", "Cuối năm học"]
    assert doc.monitoring[0].recorded and not doc.monitoring[1].recorded
    assert doc.monitoring[0].rows[0].cells == [
        "Cuối học kỳ I", "Nội dung 1: Tiến độ bồi dưỡng", "Đã bồi dưỡng 3/5 giáo viên\nMinh chứng: MC2.1-03", "", "Phó HT"]
    assert doc.organisation[0] == ("1. Người đứng đầu cơ sở giáo dục", "Hiệu trưởng")


def test_document_without_today_marks_nothing_overdue_and_tolerates_empty_data(plan):
    doc = plan57.document_from_data(plan57.snapshot_data(plan))
    assert not doc.overdue_actions
    empty = plan57.document_from_data({}, report=plan.report)
    assert empty.issues == [] and empty.actions == []
    assert empty.info[0][1] == plan.report.school.name
    assert len(empty.monitoring) == 2


def test_monitoring_missing(plan, tt57_report, school_b, principal_b):
    year = tt57_report.school_year
    other = services.report_create(school=school_b, school_year=year, kind="periodic", by=principal_b,
                                   today=datetime.date(2026, 10, 1))
    other_plan = Plan57.objects.create(report=other)
    # A row without a result does not count as recorded.
    Plan57Check.objects.create(plan=other_plan, point="semester1", content="Chưa ghi kết quả")
    reports = Report.objects.filter(pk__in=[tt57_report.pk, other.pk])
    assert list(plan57.monitoring_missing("semester1", reports)) == [other_plan]
    assert set(plan57.monitoring_missing("year_end", reports)) == {plan, other_plan}
    assert list(plan57.monitoring_missing("semester1", Plan57.objects.all())) == [other_plan]
    assert list(plan57.monitoring_missing("semester1", [plan, other_plan])) == [other_plan]
    assert list(plan57.monitoring_missing("semester1", [])) == []
    with pytest.raises(ValueError):
        plan57.monitoring_missing("mid_year", reports)
    assert plan57.MONITORING_POINTS == ("semester1", "year_end")


def test_looks_per_criterion():
    few = [{"criteria": "1.1"}]
    assert not plan57.looks_per_criterion(criteria_count=15, issues=few, actions=[object()] * 5)
    assert plan57.looks_per_criterion(criteria_count=15, issues=few, actions=[object()] * 12)
    many = [{"criteria": ", ".join(f"{s}.{c}" for s in range(1, 5) for c in range(1, 4))}]
    assert plan57.looks_per_criterion(criteria_count=15, issues=many, actions=[])


def test_printed_texts_match_the_catalog():
    catalog = json.loads((DATA_DIR / "tt57_2026.json").read_text(encoding="utf-8"))["report_forms"]["bieu_2"]
    assert list(plan57.SECTION_III_PURPOSE) == catalog["section_III_text"]["muc_dich"]
    assert list(plan57.SECTION_III_REQUIREMENTS) == catalog["section_III_text"]["yeu_cau"]
    assert list(plan57.TABLE_IV_COLUMNS) == catalog["table_IV_columns"]
    assert list(plan57.TABLE_V_COLUMNS) == catalog["table_V_columns"]
    assert list(plan57.TABLE_VI_COLUMNS) == catalog["table_VI_columns"]
    assert list(plan57.POINT_LABELS.values()) == catalog["table_VI_rows"]
    for line in plan57.SECTION_VIII_TEXT:
        assert line[3:].rstrip(";./") in catalog["sections"][7]
