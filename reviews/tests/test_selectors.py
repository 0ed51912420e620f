"""Reads of the review: the pages keep a constant number of queries as rows grow (style.md item 21)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reviews import selectors
from reviews.tests import factories
from schools.models import School


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, response.status_code
    return len(captured)


def _evaluations_data(district, year):
    """A deadline, a plan and certificates for the unit, so that every dashboard column is exercised."""
    from evaluations.models import AccreditationPlan, Certificate, PlannedSchool, PlanTarget, ReportingDeadline

    ReportingDeadline.objects.get_or_create(unit=district, school_year=year, period="semester1",
                                            defaults={"due_date": datetime.date(2024, 12, 20)})
    plan, _ = AccreditationPlan.objects.get_or_create(unit=district, year=2025, defaults={"title": "Kế hoạch 2025"})
    PlanTarget.objects.get_or_create(plan=plan, level="thcs", defaults={"count": 5})
    for school in School.objects.filter(reviewing_unit=district)[:10]:
        PlannedSchool.objects.get_or_create(plan=plan, school=school)
        if not Certificate.objects.filter(school=school).exists():
            Certificate.objects.create(school=school, decision_number=f"{school.pk}/QĐ-SGDĐT",
                                       decision_date=datetime.date(2021, 3, 1), accreditation_level=2)


@pytest.mark.parametrize("url_name", ["reviews:district_dashboard", "reviews:report_queue",
                                      "reviews:department_dashboard"])
def test_list_pages_keep_their_query_count_from_5_to_200_schools(client, reviewer, head, officer, district,
                                                                 url_name):
    year = factories.school_year()
    factories.bulk_reports(district, 5, year=year, reviewer=reviewer)
    _evaluations_data(district, year)
    viewer = officer if url_name == "reviews:department_dashboard" else reviewer
    client.force_login(viewer)
    url = reverse(url_name) + ("?tab=all" if url_name == "reviews:report_queue" else f"?year={year.pk}")
    few = _queries(client, url)
    factories.bulk_reports(district, 195, year=year, reviewer=reviewer, start=5)
    _evaluations_data(district, year)
    many = _queries(client, url)
    assert few == many


def test_dashboard_rows_filters_and_heatmap(reviewer, district, school_a):
    year = factories.school_year()
    factories.bulk_reports(district, 12, year=year, reviewer=reviewer)
    dashboard = selectors.district_dashboard(district, school_year=year, kind="periodic",
                                             filters=selectors.DashboardFilter())
    # school_a has no report: it is listed, as "no report".
    assert dashboard.total_schools == 13 and len(dashboard.rows) == 13
    assert dashboard.counts["not_submitted"] == 1 + 2  # school A + two drafts
    in_review = selectors.district_dashboard(district, school_year=year, kind="periodic",
                                             filters=selectors.DashboardFilter(status="in_review"))
    assert {r.status for r in in_review.rows} == {"in_review"} and len(in_review.rows) == 2
    unassigned = selectors.district_dashboard(district, school_year=year, kind="periodic",
                                              filters=selectors.DashboardFilter(reviewer_id=0))
    assert {r.status for r in unassigned.rows} == {"draft"}
    mine = selectors.district_dashboard(district, school_year=year, kind="periodic",
                                        filters=selectors.DashboardFilter(reviewer_id=reviewer.pk))
    assert len(mine.rows) == 10 and all(r.reviewer == reviewer for r in mine.rows)
    assert all(r.open_threads == 1 for r in mine.rows)
    primary = selectors.district_dashboard(district, school_year=year, kind="periodic",
                                           filters=selectors.DashboardFilter(level="th"))
    assert primary.rows == []
    heatmap = dashboard.heatmaps[0]
    assert heatmap.regulation == "TT18/2018" and heatmap.numbers == ["1.1", "1.2", "2.1"]
    assert len(heatmap.rows) == 12
    first_row = heatmap.rows[0][1]
    assert all(level in (0, 1, 2, 3) for level in first_row)
    assert {s["number"] for s in heatmap.summary} == {"1.1", "1.2", "2.1"}
    weakest = heatmap.weakest[0]
    assert weakest["mean"] == min(s["mean"] for s in heatmap.summary)


def _local(day: datetime.date, hour: int, minute: int) -> datetime.datetime:
    from django.utils import timezone

    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def test_dashboard_deadline_column_follows_the_periodic_report(reviewer, district, school_a, school_b, principal_a,
                                                               principal_b, report):
    """The deadline column and counts are the evaluations app's one rule: the first submission of
    the school's periodic report, compared in local dates (not the self-assessment report's versions)."""
    from evaluations import services as ev_services
    from evaluations.models import ReportingDeadline
    from reviews import services

    year = report.school_year
    deadline = ReportingDeadline.objects.create(unit=district, school_year=year, period="semester1",
                                                due_date=datetime.date(2024, 12, 20))
    today = datetime.date(2024, 12, 22)

    def dashboard():
        return selectors.district_dashboard(district, school_year=year, kind="periodic",
                                           filters=selectors.DashboardFilter(), today=today)

    def cell(board, school):
        return next(r for r in board.rows if r.school.pk == school.pk).deadline

    first = cell(dashboard(), school_a)
    assert first.status == "missing" and first.days_left == -2
    # Sending the self-assessment report does not hand in the periodic report.
    services.report_submit(report=report, by=principal_a)
    assert cell(dashboard(), school_a).status == "missing"
    ev_services.periodic_report_submit(school=school_a, deadline=deadline, by=principal_a,
                                       at=_local(datetime.date(2024, 12, 20), 23, 30))
    ev_services.periodic_report_submit(school=school_b, deadline=deadline, by=principal_b,
                                       at=_local(datetime.date(2024, 12, 21), 0, 10))
    board = dashboard()
    assert (cell(board, school_a).status, cell(board, school_a).met_on) == ("on_time", datetime.date(2024, 12, 20))
    assert cell(board, school_b).status == "late"
    assert board.deadline_summary == {"on_time": 1, "late": 1, "missing": 0, "pending": 0}
    assert cell(board, school_a).url == reverse("evaluations:periodic_report_detail", args=[deadline.pk, school_a.pk])


def test_the_dashboard_shows_who_is_late(client, reviewer, district, school_a, school_b, principal_b, report):
    from evaluations import services as ev_services
    from evaluations.models import ReportingDeadline

    year = report.school_year
    deadline = ReportingDeadline.objects.create(unit=district, school_year=year, period="semester1",
                                                due_date=datetime.date(2024, 12, 20))
    ev_services.periodic_report_submit(school=school_b, deadline=deadline, by=principal_b,
                                       at=_local(datetime.date(2024, 12, 23), 8, 0))
    client.force_login(reviewer)
    page = client.get(reverse("reviews:district_dashboard") + f"?year={year.pk}&period=semester1").content.decode()
    assert "Nộp muộn" in page and "Quá hạn" in page
    assert reverse("evaluations:periodic_report_detail", args=[deadline.pk, school_b.pk]) in page


def test_queue_tabs(report, personas, district):
    from reviews import services

    reviewer, head = personas["reviewer"], personas["head"]
    assert selectors.review_queue(reviewer, "all") == []
    services.report_submit(report=report, by=personas["principal_a"])
    assert [r.pk for r in selectors.review_queue(reviewer, "unassigned")] == [report.pk]
    assert selectors.review_queue(reviewer, "mine") == []
    services.report_start_review(report=report, by=reviewer)
    mine = selectors.review_queue(reviewer, "mine")
    assert [r.pk for r in mine] == [report.pk] and mine[0].reviewer == reviewer
    assert selectors.review_queue(head, "mine") == []
    counts = selectors.queue_counts(reviewer)
    assert counts == {"mine": 1, "unassigned": 0, "all": 1, "approval": 0, "accepted": 0, "unlock": 0}
    assert selectors.review_queue(personas["other_reviewer"], "all") == []


def test_department_dashboard_counts_units(report, personas, other_report):
    from reviews import services

    services.report_submit(report=report, by=personas["principal_a"])
    year = report.school_year
    dashboard = selectors.department_dashboard(personas["officer"], school_year=year, kind="periodic")
    rows = {row.unit.code: row for row in dashboard.units}
    assert rows["pgd-a"].by_status == {"submitted": 1} and rows["pgd-a"].schools == 2
    assert rows["pgd-b"].by_status == {"draft": 1} and rows["pgd-b"].without_report == 0
    assert dashboard.totals.schools == 3
    assert {hm["regulation"] for hm in dashboard.heatmaps} == {"TT18/2018"}


def test_timeline_lists_the_report_events_newest_first(report, personas):
    from reviews import services

    services.report_submit(report=report, by=personas["principal_a"])
    services.report_start_review(report=report, by=personas["reviewer"])
    actions = [e.action for e in selectors.timeline_of(report)]
    assert actions[0] == "reviews.report.review_started" and "reviews.report.submitted" in actions


def test_school_todo_links_to_the_editor(report, personas):
    from reviews import services

    services.report_submit(report=report, by=personas["principal_a"])
    services.thread_open(report=report, by=personas["reviewer"], text="Sửa", passage_key="criterion:1.1:strengths")
    services.thread_open(report=report, by=personas["reviewer"], text="Chung")
    todo = selectors.school_todo(report, selectors.threads_of(report))
    assert len(todo) == 2
    assert "/criteria/" in todo[0].edit_url and "#p-" in todo[0].edit_url
    assert todo[1].edit_url == reverse("selfassessment:report_detail", kwargs={"pk": report.pk})


@pytest.mark.parametrize("page", ["reviews:report_detail", "reviews:version_detail"])
def test_report_pages_keep_their_query_count_as_threads_grow(client, report, personas, page):
    from reviews import services

    services.report_submit(report=report, by=personas["principal_a"])
    services.thread_open(report=report, by=personas["reviewer"], text="Một", passage_key="criterion:1.1:strengths")
    client.force_login(personas["reviewer"])
    args = [report.pk] if page == "reviews:report_detail" else [report.pk, 1]
    few = _queries(client, reverse(page, args=args))
    for i in range(15):
        thread = services.thread_open(report=report, by=personas["head"], text=f"Góp ý {i}",
                                      passage_key="indicator:1.1:1:a" if i % 2 else "")
        services.comment_add(thread=thread, by=personas["staff_a"], text="Trả lời")
        if i % 3 == 0:
            services.thread_resolve(thread=thread, by=personas["reviewer"])
        elif i % 3 == 1:
            services.thread_mark_fixed(thread=thread, by=personas["principal_a"], text="Đã sửa")
    assert _queries(client, reverse(page, args=args)) == few


def test_the_criterion_summary_follows_every_level_change(report, personas, district):
    from selfassessment import services as sa_services
    from selfassessment.models import IndicatorVerdict

    year = report.school_year

    def summary():
        dashboard = selectors.district_dashboard(district, school_year=year, kind="periodic",
                                                 filters=selectors.DashboardFilter())
        return {s["number"]: s["mean"] for s in dashboard.heatmaps[0].summary}

    assert summary()["1.1"] == 3
    verdict = IndicatorVerdict.objects.select_related("indicator").get(
        report=report, indicator__criterion__number="1.1", indicator__level=1, indicator__key="a"
    )
    sa_services.indicator_verdict_set(report=report, indicator=verdict.indicator, met=False, by=personas["principal_a"])
    assert summary()["1.1"] == 0


def test_the_dashboard_counts_against_the_year_s_plan(client, reviewer, district):
    year = factories.school_year()
    factories.bulk_reports(district, 12, year=year, reviewer=reviewer)
    _evaluations_data(district, year)
    dashboard = selectors.district_dashboard(district, school_year=year, kind="periodic",
                                             filters=selectors.DashboardFilter(), today=datetime.date(2025, 3, 1))
    thcs = next(level for level in dashboard.plan.progress.levels if level.level == "thcs")
    assert (thcs.target, thcs.planned) == (5, 10)
    client.force_login(reviewer)
    page = client.get(reverse("reviews:district_dashboard") + f"?year={year.pk}").content.decode()
    assert "Tiến độ so với kế hoạch" in page and "Kế hoạch 2025" in page
