"""Biểu 2 page (TT57/2026 improvement plan): read-only and editable views, warnings, conflicts, queries."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from schools.tests.factories import SchoolYearFactory
from selfassessment import services
from selfassessment import services_plan57 as svc
from selfassessment.models import Plan57Action, Plan57Check, Report
from standards.services import DATA_DIR, catalogs_load

pytestmark = pytest.mark.django_db


@pytest.fixture
def tt57_report(db, school_a, principal_a) -> Report:
    catalogs_load(paths=[DATA_DIR / "tt57_2026.json"])
    year = SchoolYearFactory(code="2026-2027", start_date=datetime.date(2026, 9, 5), end_date=datetime.date(2027, 5, 31))
    return services.report_create(school=school_a, school_year=year, kind="periodic", by=principal_a,
                                  today=datetime.date(2026, 10, 1))


@pytest.fixture
def plan(tt57_report, principal_a):
    return svc.plan_create(report=tt57_report, by=principal_a)


def _url(report, name="selfassessment:plan57", **kw):
    return reverse(name, kwargs={"pk": report.pk, **kw})


def _add_actions(plan, by, n, **extra):
    return [svc.action_save(plan=plan, by=by, values={"content": f"Nội dung cải tiến {i}", **extra}) for i in range(n)]


def test_page_without_plan_offers_to_start_it(client, tt57_report, principal_a, reviewer):
    client.force_login(principal_a)
    page = client.get(_url(tt57_report)).content.decode()
    assert "plan57-none" in page and _url(tt57_report, "selfassessment:plan57_create") in page
    client.force_login(reviewer)
    page = client.get(_url(tt57_report)).content.decode()
    assert "plan57-none" in page and "plan57_create" not in page and "/tt57/plan/create/" not in page
    client.force_login(principal_a)
    response = client.post(_url(tt57_report, "selfassessment:plan57_create"))
    assert response.status_code == 302
    assert Report.objects.get(pk=tt57_report.pk).plan57


def test_the_report_outline_links_to_biểu_2(client, tt57_report, principal_a):
    client.force_login(principal_a)
    page = client.get(reverse("selfassessment:tt57_overview", kwargs={"pk": tt57_report.pk})).content.decode()
    assert _url(tt57_report) in page and "Biểu 2 – Kế hoạch cải tiến" in page


def test_reviewer_reads_only(client, plan, tt57_report, reviewer, principal_a):
    _add_actions(plan, principal_a, 1)
    client.force_login(reviewer)
    page = client.get(_url(tt57_report)).content.decode()
    assert "Nội dung cải tiến 0" in page and "plan57-readonly" in page
    assert "<form" not in page.split('id="info"')[1]
    response = client.post(_url(tt57_report, "selfassessment:plan57_sections"), {"revision": "0", "basis_other": "x"})
    assert response.status_code == 403


def test_one_action_per_criterion_warning(client, plan, tt57_report, principal_a):
    client.force_login(principal_a)
    assert "plan57-per-criterion" not in client.get(_url(tt57_report)).content.decode()
    count = tt57_report.criterion_assessments.count()
    _add_actions(plan, principal_a, count)
    page = client.get(_url(tt57_report)).content.decode()
    assert "plan57-per-criterion" in page
    assert "Kế hoạch cải tiến tập trung vào các vấn đề ưu tiên, không xây dựng cho toàn bộ tiêu chí" in page
    assert "Không xây dựng kế hoạch cải tiến đối với toàn bộ tiêu chí mà tập trung vào các vấn đề ưu tiên" in page


def test_overdue_actions_are_flagged(client, plan, tt57_report, principal_a):
    past = datetime.date.today() - datetime.timedelta(days=3)
    late, done = _add_actions(plan, principal_a, 2, end_on=past)
    Plan57Action.objects.filter(pk=done.pk).update(status="done")
    _add_actions(plan, principal_a, 1, end_on=datetime.date.today() + datetime.timedelta(days=30))
    client.force_login(principal_a)
    page = client.get(_url(tt57_report)).content.decode()
    assert "plan57-overdue" in page
    assert page.count('class="table-danger plan57-overdue"') == 1
    assert f'id="action-{late.pk}" class="table-danger plan57-overdue"' in page


def test_conflict_keeps_what_was_typed(client, plan, tt57_report, principal_a):
    client.force_login(principal_a)
    base = plan.revision
    svc.plan_sections_save(plan=plan, values={"basis_other": "Bản của người khác"}, revision=base, by=principal_a)
    response = client.post(_url(tt57_report, "selfassessment:plan57_sections"),
                           {"revision": str(base), "basis_other": "Bản tôi đang gõ"})
    assert response.status_code == 409
    page = response.content.decode()
    assert "Bản tôi đang gõ" in page and "vừa được người khác lưu" in page


def test_monitoring_after_submission_through_the_page(client, plan, tt57_report, principal_a):
    action = _add_actions(plan, principal_a, 1)[0]
    Report.objects.filter(pk=tt57_report.pk).update(status="accepted")
    client.force_login(principal_a)
    page = client.get(_url(tt57_report)).content.decode()
    assert "plan57-readonly" in page and "check-new-semester1" in page
    response = client.post(_url(tt57_report, "selfassessment:plan57_check_add"), {
        "point": "semester1", "nsemester1-revision": "0", "nsemester1-action": str(action.pk),
        "nsemester1-content": "Tiến độ bồi dưỡng", "nsemester1-result": "Đã xong 2/3 đợt", "nsemester1-assessor": "Phó HT"})
    assert response.status_code == 302
    check = Plan57Check.objects.get()
    assert (check.point, check.action_id, check.result) == ("semester1", action.pk, "Đã xong 2/3 đợt")
    response = client.post(_url(tt57_report, "selfassessment:plan57_action_status", action_pk=action.pk),
                           {f"s{action.pk}-revision": str(action.revision), f"s{action.pk}-status": "in_progress"})
    assert response.status_code == 302
    assert Plan57Action.objects.get(pk=action.pk).status == "in_progress"
    # The content itself is locked.
    response = client.post(_url(tt57_report, "selfassessment:plan57_action_edit", action_pk=action.pk),
                           {f"a{action.pk}-revision": str(action.revision), f"a{action.pk}-content": "Khác"})
    assert response.status_code == 403


def test_bad_dates_are_refused_in_vietnamese(client, plan, tt57_report, principal_a):
    client.force_login(principal_a)
    response = client.post(_url(tt57_report, "selfassessment:plan57_action_add"), {
        "na-revision": "0", "na-content": "Bồi dưỡng", "na-start_on": "31/02/2027", "na-end_on": "01/01/2027"})
    assert response.status_code == 400
    assert not Plan57Action.objects.exists()
    response = client.post(_url(tt57_report, "selfassessment:plan57_action_add"), {
        "na-revision": "0", "na-content": "Bồi dưỡng", "na-start_on": "01/03/2027", "na-end_on": "01/01/2027"})
    assert response.status_code == 400 and "Ngày kết thúc phải sau ngày bắt đầu" in response.content.decode()
    response = client.post(_url(tt57_report, "selfassessment:plan57_action_add"), {
        "na-revision": "0", "na-content": "Bồi dưỡng", "na-start_on": "01/01/2027", "na-end_on": "31/03/2027"})
    assert response.status_code == 302
    assert Plan57Action.objects.get().end_on == datetime.date(2027, 3, 31)


def test_plan_page_query_count_is_constant(client, plan, tt57_report, principal_a):
    client.force_login(principal_a)
    _add_actions(plan, principal_a, 1)
    client.get(_url(tt57_report))
    with CaptureQueriesContext(connection) as small:
        assert client.get(_url(tt57_report)).status_code == 200
    actions = _add_actions(plan, principal_a, 6)
    for a in actions:
        svc.check_save(plan=plan, point="semester1", by=principal_a, values={"action": a, "result": "x"})
    svc.issue_save(plan=plan, values={"weakness": "Thêm"}, by=principal_a)
    with CaptureQueriesContext(connection) as large:
        assert client.get(_url(tt57_report)).status_code == 200
    assert len(large) == len(small), [q["sql"] for q in large.captured_queries]


def test_reminder_before_a_monitoring_point_until_recorded(client, plan, tt57_report, principal_a):
    from evaluations.models import ReportingDeadline

    today = datetime.date.today()
    unit, year = tt57_report.school.reviewing_unit, tt57_report.school_year
    ReportingDeadline.objects.create(unit=unit, school_year=year, period="monitoring_semester1",
                                     due_date=today + datetime.timedelta(days=5))
    ReportingDeadline.objects.create(unit=unit, school_year=year, period="monitoring_year_end",
                                     due_date=today + datetime.timedelta(days=150))
    client.force_login(principal_a)
    page = client.get(_url(tt57_report)).content.decode()
    assert "plan57-remind-semester1" in page and "Sắp đến hạn rà soát kế hoạch cải tiến Cuối học kỳ I" in page
    assert "plan57-remind-year_end" not in page
    assert f"hạn {(today + datetime.timedelta(days=5)):%d/%m/%Y}" in page
    svc.check_save(plan=plan, point="semester1", by=principal_a, values={"result": "Đúng tiến độ"})
    page = client.get(_url(tt57_report)).content.decode()
    assert "plan57-remind-semester1" not in page
    ReportingDeadline.objects.filter(period="monitoring_year_end").update(due_date=today - datetime.timedelta(days=1))
    page = client.get(_url(tt57_report)).content.decode()
    assert "Đã quá hạn rà soát kế hoạch cải tiến Cuối năm học" in page


def test_demo_plan_is_realistic(tt57_report, principal_a):
    from demo import plan57 as demo_plan57
    from selfassessment import plan57

    demo_plan57.seed_plan(tt57_report, tt57_report.school, principal_a, finished=True)
    plan = plan57.plan_for_report(tt57_report)
    assert 3 <= plan.issues.count() <= 5 and 4 <= plan.actions.count() <= 6
    assert not plan57.looks_per_criterion(criteria_count=tt57_report.criterion_assessments.count(),
                                          issues=plan.issues.all(), actions=plan.actions.all())
    demo_plan57.seed_plan(tt57_report, tt57_report.school, principal_a, finished=True)  # idempotent
    assert plan57.plan_for_report(tt57_report).pk == plan.pk


def test_the_start_pages_plan_card_counts_biểu_2_for_a_tt57_report(client, tt57_report, principal_a):
    """The school's start page shows the plan it follows: for a TT57 report its Biểu 2 (not the empty
    2018 per-criterion counts), with the same overdue number as "Hạn sắp tới"."""
    from selfassessment.tracking import selectors as tracking

    today = datetime.date(2026, 12, 6)
    card = tracking.school_plan_card(tt57_report.school, today)
    assert card.tt57 and not card.has_plan57 and card.counts.total == 0
    client.force_login(principal_a)
    page = client.get(reverse("schools:school_home")).content.decode()
    assert "chưa lập" in page and _url(tt57_report) in page

    plan = svc.plan_create(report=tt57_report, by=principal_a)
    late, soon, later, done = _add_actions(plan, principal_a, 4)
    Plan57Action.objects.filter(pk=late.pk).update(end_on=datetime.date(2026, 11, 14))
    Plan57Action.objects.filter(pk=soon.pk).update(end_on=datetime.date(2026, 12, 15))
    Plan57Action.objects.filter(pk=later.pk).update(end_on=datetime.date(2027, 3, 1))
    Plan57Action.objects.filter(pk=done.pk).update(end_on=datetime.date(2026, 11, 1), status="done")
    card = tracking.school_plan_card(tt57_report.school.__class__.objects.get(pk=tt57_report.school_id), today)
    assert card.has_plan57
    c = card.counts
    assert (c.open, c.overdue, c.due_soon, c.done, c.oldest_overdue) == (3, 1, 1, 1, datetime.date(2026, 11, 14))


def test_the_units_plan_alert_counts_overdue_biểu_2_activities_apart(client, tt57_report, principal_a, head):
    from selfassessment.tracking import selectors as tracking

    today = datetime.date(2026, 12, 6)
    unit = tt57_report.school.reviewing_unit
    assert tracking.unit_overdue_summary(unit, today) == {
        "actions": 0, "schools": 0, "plan57_actions": 0, "plan57_schools": 0}
    plan = svc.plan_create(report=tt57_report, by=principal_a)
    late, later, done = _add_actions(plan, principal_a, 3)
    Plan57Action.objects.filter(pk=late.pk).update(end_on=datetime.date(2026, 11, 14), status="in_progress")
    Plan57Action.objects.filter(pk=later.pk).update(end_on=datetime.date(2027, 3, 1))
    Plan57Action.objects.filter(pk=done.pk).update(end_on=datetime.date(2026, 11, 1), status="done")
    assert tracking.unit_overdue_summary(unit, today) == {
        "actions": 0, "schools": 0, "plan57_actions": 1, "plan57_schools": 1}
    client.force_login(head)
    page = client.get(reverse("reviews:district_dashboard")).content.decode()
    assert "Biểu 2 (TT57): 1 hoạt động cải tiến quá hạn ở 1 trường." in page
