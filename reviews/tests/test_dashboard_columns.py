"""Issue 18, items 1-2: each dashboard column states one thing, and every page opens on the same year.

The self-assessment report's status and its own deadline (the dossier date of the school's
external-evaluation round) stand apart from the periodic reports' deadlines (20/12, 10/5) and
their reports' statuses; the dashboard's XLSX holds exactly what the page shows.
"""

from __future__ import annotations

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from reviews import selectors
from reviews.tests import factories
from schools import years
from selfassessment.models import Report

pytestmark = pytest.mark.django_db

D = datetime.date


def _local(day: datetime.date, hour: int = 9) -> datetime.datetime:
    from django.utils import timezone

    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


@pytest.fixture
def board_data(district, school_a, school_b, principal_a, principal_b, reviewer):
    """Year 2024-2025: 12 schools in every status, two periodic deadlines, school B in round 1 of 2025."""
    from evaluations import services as ev_services
    from evaluations.models import EvaluationRound, ReportingDeadline, RoundRegistration

    year = factories.school_year("2024-2025")
    factories.bulk_reports(district, 12, year=year, reviewer=reviewer)
    semester = ReportingDeadline.objects.create(unit=district, school_year=year, period="semester1",
                                                due_date=D(2024, 12, 20))
    year_end = ReportingDeadline.objects.create(unit=district, school_year=year, period="year_end",
                                                due_date=D(2025, 5, 10))
    # School A hands in its periodic report for 20/12 on time; it has no self-assessment report.
    ev_services.periodic_report_submit(school=school_a, deadline=semester, by=principal_a, at=_local(D(2024, 12, 19)))
    round_ = EvaluationRound.objects.create(unit=district, year=2025, number=1, dossier_date=D(2025, 3, 1))
    RoundRegistration.objects.create(round=round_, school=school_b)
    return {"year": year, "semester": semester, "year_end": year_end, "round": round_}


JANUARY = D(2025, 1, 10)


def _body(response) -> bytes:
    assert response.status_code == 200, response.status_code
    return b"".join(response.streaming_content)


def _board(district, year, today=JANUARY, **filters):
    return selectors.district_dashboard(district, school_year=year, kind="periodic",
                                        filters=selectors.DashboardFilter(**filters), today=today)


def test_the_self_assessment_status_is_the_reports_status_and_nothing_else(district, board_data, school_a):
    board = _board(district, board_data["year"])
    reports = {r.school_id: r for r in Report.objects.filter(school_year=board_data["year"], kind="periodic")}
    for row in board.rows:
        report = reports.get(row.school.pk)
        assert row.status == (report.status if report else ""), row.school.code
    row_a = next(r for r in board.rows if r.school.pk == school_a.pk)
    # School A: no self-assessment report, yet its periodic report went in on time; neither leaks
    # into the other's column.
    assert row_a.status == "" and row_a.self_deadline is None
    assert row_a.periodic["semester1"].status == "on_time"
    assert row_a.periodic["semester1"].report_status == "submitted"


def test_periodic_columns_are_the_periodic_reports_states(district, board_data, school_a, school_b):
    board = _board(district, board_data["year"])
    assert [c.period for c in board.periodic_columns] == ["semester1", "year_end"]
    assert board.periodic_columns[0].deadline == board_data["semester"]
    for row in board.rows:
        assert set(row.periodic) == {"semester1", "year_end"}
        year_end = row.periodic["year_end"]
        assert (year_end.due, year_end.status, year_end.report_status) == (D(2025, 5, 10), "pending", None)
    row_b = next(r for r in board.rows if r.school.pk == school_b.pk)
    assert (row_b.periodic["semester1"].status, row_b.periodic["semester1"].report_status) == ("missing", None)


def test_the_self_assessment_deadline_is_the_rounds_dossier_date(district, board_data, school_b, principal_b):
    from reviews import services

    year = board_data["year"]
    cell = next(r for r in _board(district, year).rows if r.school.pk == school_b.pk).self_deadline
    assert (cell.due, cell.status, cell.met_on) == (D(2025, 3, 1), "pending", None)
    assert cell.round_label == "Đợt 1 năm 2025"
    late = next(r for r in _board(district, year, today=D(2025, 3, 5)).rows if r.school.pk == school_b.pk)
    assert late.self_deadline.status == "missing" and late.status == ""
    report = factories.complete_report_for(school_b, principal_b)
    assert report.school_year == year
    services.report_submit(report=report, by=principal_b)
    row = next(r for r in _board(district, year, today=D(2025, 3, 5)).rows if r.school.pk == school_b.pk)
    # Submitted after the dossier date: late, and the status column says "submitted", nothing more.
    assert row.self_deadline.status == "late" and row.status == "submitted"
    # Not registered in any round of the year: no self-assessment deadline.
    assert all(r.self_deadline is None for r in _board(district, year).rows if r.school.pk != school_b.pk)


def test_the_dashboard_page_shows_each_column_under_its_own_header(client, reviewer, district, board_data, school_a):
    client.force_login(reviewer)
    page = client.get(reverse("reviews:district_dashboard") + f"?year={board_data['year'].pk}").content.decode()
    assert 'data-col="sa-status"' in page and 'data-col="sa-deadline"' in page
    assert 'data-col="periodic-semester1"' in page and 'data-col="periodic-year_end"' in page
    assert "Hạn nộp (đợt ĐGN)" in page and "Cuối năm học" in page and "Học kỳ I" in page
    row_a = page[page.index('data-school="A-THCS-01"'):]
    row_a = row_a[:row_a.index("</tr>")]
    assert 'data-status="none"' in row_a and "Chưa có báo cáo" in row_a and "Nộp đúng hạn" in row_a
    assert 'data-periodic-status="submitted"' in row_a


def test_every_page_and_export_opens_on_the_current_school_year(client, reviewer, officer, district, monkeypatch):
    for code in ("2024-2025", "2025-2026", "2026-2027"):
        factories.school_year(code)
    monkeypatch.setattr(years, "today", lambda: D(2026, 12, 6))
    client.force_login(reviewer)
    dashboard = client.get(reverse("reviews:district_dashboard"))
    assert dashboard.context["dashboard"].school_year.code == "2026-2027"
    export = client.get(reverse("exports:dashboard_xlsx"))
    sheet = load_workbook(io.BytesIO(_body(export))).active
    assert any("2026-2027" in str(c.value or "") for row in sheet.iter_rows(max_row=4) for c in row)
    summary = client.get(reverse("exports:district_summary_download"))
    sheet = load_workbook(io.BytesIO(_body(summary))).active
    assert any("2026-2027" in str(c.value or "") for row in sheet.iter_rows(max_row=4) for c in row)
    deadlines = client.get(reverse("evaluations:deadline_list"))
    assert deadlines.context["year"].code == "2026-2027"
    client.force_login(officer)
    assert client.get(reverse("reviews:department_dashboard")).context["dashboard"].school_year.code == "2026-2027"
    # The switch: one parameter, the same on every page.
    earlier = factories.school_year("2024-2025")
    client.force_login(reviewer)
    assert client.get(reverse("reviews:district_dashboard") + f"?year={earlier.pk}").context[
        "dashboard"].school_year == earlier
    assert client.get(reverse("evaluations:deadline_list") + "?year=2024-2025").context["year"] == earlier


def test_the_dashboard_export_holds_exactly_the_rows_and_columns_shown(client, reviewer, district, board_data,
                                                                         school_a):
    client.force_login(reviewer)
    query = f"?year={board_data['year'].pk}&status=in_review"
    page = client.get(reverse("reviews:district_dashboard") + query)
    shown = [row.school.code for row in page.context["dashboard"].rows]
    assert shown and len(shown) == 2
    response = client.get(reverse("exports:dashboard_xlsx") + query)
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(_body(response))).active
    rows = [[c for c in row] for row in sheet.iter_rows(values_only=True)]
    header_index = next(i for i, row in enumerate(rows) if row and row[0] == "STT")
    header = rows[header_index]
    body = [row for row in rows[header_index + 1:] if row and row[0] is not None]
    assert [row[1] for row in body] == shown
    assert header.index("Trạng thái báo cáo tự đánh giá") < header.index("Hạn nộp báo cáo tự đánh giá")
    status_col = header.index("Trạng thái báo cáo tự đánh giá")
    assert {row[status_col] for row in body} == {"Đang thẩm định"}
    assert any(str(h).startswith("Báo cáo định kỳ học kỳ I") for h in header)
    assert any(str(h).startswith("Báo cáo định kỳ cuối năm học") for h in header)


def test_the_summary_export_states_the_same_things_in_separate_columns(client, reviewer, district, board_data,
                                                                        school_a, school_b):
    client.force_login(reviewer)
    response = client.get(reverse("exports:district_summary_download") + f"?school_year={board_data['year'].pk}")
    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(_body(response))).active.iter_rows(values_only=True))
    header_index = next(i for i, row in enumerate(rows) if row and row[0] == "STT")
    header = list(rows[header_index])
    body = {row[2]: row for row in rows[header_index + 1:] if row and row[0] is not None}
    col = header.index

    row_a = body["A-THCS-01"]
    assert row_a[col("Trạng thái báo cáo tự đánh giá")] == "Chưa tạo báo cáo"
    assert row_a[col("Tình trạng hạn nộp học kỳ I")] == "Nộp đúng hạn"
    assert row_a[col("Trạng thái báo cáo định kỳ học kỳ I")] == "Đã nộp"
    assert row_a[col("Trạng thái báo cáo định kỳ cuối năm học")] == "Chưa mở báo cáo"
    assert not row_a[col("Tình trạng hạn nộp báo cáo tự đánh giá")]
    row_b = body["A-THCS-02"]
    assert row_b[col("Hạn nộp báo cáo tự đánh giá (đợt ĐGN)")].date() == D(2025, 3, 1)
    assert "Đợt 1 năm 2025" in row_b[col("Tình trạng hạn nộp báo cáo tự đánh giá")]
    # Every school's self-assessment status is its report's, whatever its periodic reports say.
    labels = dict(Report.Status.choices)
    for report in Report.objects.filter(school_year=board_data["year"], kind="periodic").select_related("school"):
        assert body[report.school.code][col("Trạng thái báo cáo tự đánh giá")] == labels[report.status]


def test_the_new_columns_cost_no_query_more(client, reviewer, district, board_data):
    """23 queries before the self-assessment and periodic columns were split (issue 18), still 23 after;
    24 since the improvement-plan alert also counts the overdue Biểu 2 activities (TT57)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(reviewer)
    url = reverse("reviews:district_dashboard") + f"?year={board_data['year'].pk}"
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    assert len(queries) <= 24, [q["sql"][:120] for q in queries.captured_queries]
