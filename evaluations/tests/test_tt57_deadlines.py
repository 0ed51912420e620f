"""The unit's configurable deadlines (issue 14 item 6) and the TT57 reminders (item 1): 15/6 approval
and the two Biểu 2 monitoring points, each reminded once per deadline and school."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.urls import reverse

from audit.models import Event
from evaluations import deadlines57, reminders, selectors, services, tasks
from evaluations.models import PeriodicReport, ReminderLog, ReportingDeadline
from kiemdinh.permissions import PermissionDenied
from notifications.models import Notification

P = ReportingDeadline.Period


def at_local(day: datetime.date, hh=7) -> str:
    return f"{day.isoformat()}T{hh:02d}:00:00+07:00"


def dispatch(day, capture, hh=7):
    with capture(execute=True):
        return tasks.reminders_dispatch(now=at_local(day, hh))


def notes(user):
    return list(Notification.objects.filter(user=user))


@pytest.fixture
def tt57_reports(year_2026, school_a, school_b, principal_a, principal_b):
    """TT57 reports of 2026-2027 for schools A and B."""
    from selfassessment import services as sa_services
    from standards.services import DATA_DIR, catalogs_load

    catalogs_load(paths=[DATA_DIR / "tt57_2026.json"])
    return {
        school.pk: sa_services.report_create(school=school, school_year=year_2026, kind="periodic", by=principal,
                                             today=datetime.date(2026, 10, 1))
        for school, principal in ((school_a, principal_a), (school_b, principal_b))
    }


# --- Configuration ------------------------------------------------------------------------------


def test_defaults_of_each_kind(district, year_2026, reviewer):
    expected = {
        P.SEMESTER_1: datetime.date(2026, 12, 20), P.YEAR_END: datetime.date(2027, 5, 10),
        P.PLAN_APPROVAL: datetime.date(2027, 6, 15), P.MONITORING_SEMESTER_1: datetime.date(2026, 12, 20),
        P.MONITORING_YEAR_END: datetime.date(2027, 5, 10),
    }
    for period, day in expected.items():
        assert services.default_due_date(year_2026, period) == day
        deadline = services.reporting_deadline_add(unit=district, school_year=year_2026, period=period, by=reviewer)
        assert deadline.due_date == day
    assert Event.objects.filter(action="evaluations.deadline.added").count() == 5


def test_add_refuses_a_second_of_a_kind_a_date_outside_the_year_and_the_wrong_order(district, year_2026, reviewer):
    services.reporting_deadline_add(unit=district, school_year=year_2026, period=P.PLAN_APPROVAL, by=reviewer)
    with pytest.raises(services.EvaluationsError, match="đã có hạn"):
        services.reporting_deadline_add(unit=district, school_year=year_2026, period=P.PLAN_APPROVAL, by=reviewer)
    with pytest.raises(services.EvaluationsError, match="không thuộc năm học"):
        services.reporting_deadline_add(unit=district, school_year=year_2026, period=P.MONITORING_SEMESTER_1,
                                        by=reviewer, due_date=datetime.date(2028, 1, 10))
    services.reporting_deadline_add(unit=district, school_year=year_2026, period=P.MONITORING_SEMESTER_1,
                                    by=reviewer, due_date=datetime.date(2027, 1, 15))
    with pytest.raises(services.EvaluationsError, match="Mốc rà soát cuối năm học phải sau"):
        services.reporting_deadline_add(unit=district, school_year=year_2026, period=P.MONITORING_YEAR_END,
                                        by=reviewer, due_date=datetime.date(2027, 1, 10))
    assert ReportingDeadline.objects.count() == 2


def test_only_the_units_office_configures(district, year_2026, officer, principal_a):
    for user in (officer, principal_a):
        with pytest.raises(PermissionDenied):
            services.reporting_deadline_add(unit=district, school_year=year_2026, period=P.PLAN_APPROVAL, by=user)


def test_move_and_remove(district, year_2026, reviewer):
    deadline = services.reporting_deadline_add(unit=district, school_year=year_2026, period=P.PLAN_APPROVAL, by=reviewer)
    moved = services.reporting_deadline_update(deadline=deadline, by=reviewer, revision=deadline.revision,
                                               due_date=datetime.date(2027, 6, 10))
    assert moved.due_date == datetime.date(2027, 6, 10)
    with pytest.raises(services.ConcurrentEditError):
        services.reporting_deadline_remove(deadline=moved, by=reviewer, revision=deadline.revision)
    services.reporting_deadline_remove(deadline=moved, by=reviewer, revision=moved.revision)
    assert not ReportingDeadline.objects.exists()
    assert Event.objects.filter(action="evaluations.deadline.removed").exists()


def test_a_periodic_deadline_with_reports_is_not_removed(semester1, school_a, principal_a, reviewer):
    services.periodic_report_open(school=school_a, deadline=semester1, by=principal_a)
    with pytest.raises(services.EvaluationsError, match="đã có trường lập báo cáo"):
        services.reporting_deadline_remove(deadline=semester1, by=reviewer, revision=semester1.revision)
    assert ReportingDeadline.objects.filter(pk=semester1.pk).exists()


def test_only_semester_and_year_end_have_periodic_reports(district, year_2026, reviewer, school_a, principal_a, client):
    approval = services.reporting_deadline_add(unit=district, school_year=year_2026, period=P.PLAN_APPROVAL, by=reviewer)
    with pytest.raises(services.EvaluationsError, match="không có báo cáo định kỳ"):
        services.periodic_report_open(school=school_a, deadline=approval, by=principal_a)
    assert not PeriodicReport.objects.exists()
    client.force_login(principal_a)
    assert client.get(reverse("evaluations:periodic_report_detail", args=[approval.pk, school_a.pk])).status_code == 404


def test_report_pages_and_dashboards_ignore_the_tt57_deadlines(deadlines, district, year_2026, reviewer, school_a):
    for period in (P.PLAN_APPROVAL, P.MONITORING_SEMESTER_1, P.MONITORING_YEAR_END):
        services.reporting_deadline_add(unit=district, school_year=year_2026, period=period, by=reviewer)
    today = datetime.date(2026, 12, 1)
    ((_unit, periods),) = [row for row in selectors.deadline_overview(reviewer, year_2026, today) if row[0] == district]
    assert [p for p, _d, _c in periods] == ["semester1", "year_end"]
    assert {s.deadline.period for s in selectors.deadline_status_for_unit(district, today)} == {"semester1", "year_end"}
    # A school without a TT57 report is not concerned by the monitoring points; the approval concerns it.
    assert {(i.kind, i.context) for i in selectors.upcoming_deadlines_for_school(school_a, today)} <= {
        ("periodic", "Năm học 2026-2027"), ("tt57", "Phê duyệt báo cáo tự đánh giá")}


def test_the_configuration_page_keeps_moves_adds_and_removes(district, year_2026, deadlines, reviewer, head, officer, client):
    url = reverse("evaluations:deadline_configure", args=[district.pk, year_2026.code])
    client.force_login(head)
    page = client.get(url)
    assert page.status_code == 200 and "Phê duyệt báo cáo tự đánh giá" in page.content.decode()
    response = client.post(reverse("evaluations:deadline_add", args=[district.pk, year_2026.code]),
                           {"period": "plan_approval", "due_date": "", "note": ""})
    assert response.status_code == 302
    assert ReportingDeadline.objects.get(period="plan_approval").due_date == datetime.date(2027, 6, 15)
    refused = client.post(reverse("evaluations:deadline_add", args=[district.pk, year_2026.code]),
                          {"period": "plan_approval", "due_date": "", "note": ""})
    assert refused.status_code == 400 and "Loại hạn này đã có hoặc không hợp lệ." in refused.content.decode()
    year_end = deadlines[P.YEAR_END]
    client.post(reverse("evaluations:deadline_remove", args=[year_end.pk]), {"revision": year_end.revision})
    assert not ReportingDeadline.objects.filter(pk=year_end.pk).exists()
    client.force_login(officer)
    assert client.get(url).status_code == 200
    assert client.post(reverse("evaluations:deadline_add", args=[district.pk, year_2026.code]),
                       {"period": "monitoring_year_end"}).status_code == 403


# --- Reminders ----------------------------------------------------------------------------------


def test_plan_approval_reminder_once_per_school_however_often_the_job_runs(
    district, year_2026, reviewer, tt57_reports, school_a, school_b, principal_a, principal_b,
    django_capture_on_commit_callbacks,
):
    from selfassessment import tt57_services

    due = datetime.date(2027, 6, 15)
    services.reporting_deadline_add(unit=district, school_year=year_2026, period=P.PLAN_APPROVAL, by=reviewer)
    tt57_services.approval_set(report=tt57_reports[school_b.pk], approved_on=datetime.date(2027, 6, 1), by=principal_b)
    days = [due - datetime.timedelta(days=7), due - datetime.timedelta(days=7), due - datetime.timedelta(days=3)]
    sent = [dispatch(day, django_capture_on_commit_callbacks, hh=hh) for day, hh in zip(days, (7, 9, 7), strict=True)]
    assert sent == [1, 0, 0]
    (note,) = notes(principal_a)
    assert "phê duyệt báo cáo tự đánh giá năm học 2026-2027" in note.title and "15/06/2027" in note.title
    assert not notes(principal_b)
    assert len([m for m in mail.outbox if m.to == [principal_a.email]]) == 1
    assert ReminderLog.objects.count() == 1


@pytest.fixture
def monitoring(district, year_2026, reviewer, tt57_reports, school_a, school_b):
    """Both schools have a Biểu 2; school B recorded its semester-I review, school A did not."""
    from selfassessment.models import Plan57, Plan57Check

    plans = {pk: Plan57.objects.create(report=report) for pk, report in tt57_reports.items()}
    Plan57Check.objects.create(plan=plans[school_b.pk], point="semester1", content="Rà soát", result="Đạt 4/5 biện pháp")
    return services.reporting_deadline_add(unit=district, school_year=year_2026, period=P.MONITORING_SEMESTER_1,
                                           by=reviewer, due_date=datetime.date(2027, 1, 15))


def test_monitoring_reminder_once_per_point_per_school(
    monitoring, reviewer, principal_a, principal_b, school_a, django_capture_on_commit_callbacks,
):
    day = datetime.date(2027, 1, 8)
    assert [dispatch(day, django_capture_on_commit_callbacks, hh=h) for h in (7, 8, 9)] == [1, 0, 0]
    (note,) = notes(principal_a)
    assert "cuối học kỳ I" in note.title and "Biểu 2" in note.title
    assert not notes(principal_b)
    # The unit moves the point: the school was reminded of it already, nothing is sent again.
    services.reporting_deadline_update(deadline=monitoring, by=reviewer, revision=monitoring.revision,
                                       due_date=datetime.date(2027, 1, 20))
    assert dispatch(datetime.date(2027, 1, 14), django_capture_on_commit_callbacks) == 0
    assert len(notes(principal_a)) == 1
    log = ReminderLog.objects.get()
    assert log.school_id == school_a.pk and log.reporting_deadline_id == monitoring.pk


def test_monitoring_concerns_only_schools_with_a_plan(monitoring, school_a, school_b):
    from selfassessment.models import Plan57

    Plan57.objects.filter(report__school=school_a).delete()
    standing = deadlines57.standings([monitoring])[monitoring.pk]
    assert standing.concerned == {school_b.pk} and standing.missing == set()


def test_a_school_that_records_its_review_after_the_selection_gets_nothing(
    monitoring, school_a, principal_a, django_capture_on_commit_callbacks,
):
    from selfassessment.models import Plan57Check

    day = datetime.date(2027, 1, 8)
    _context, due = services.reminders_due(day)
    Plan57Check.objects.create(plan=school_a.reports.get().plan57, point="semester1", result="Đã rà soát")
    payload = services.reminder_payload(due[0], day)
    assert not services.reminder_send(**payload).sent
    assert not notes(principal_a)


def test_once_schedule_is_a_single_stage_a_week_ahead():
    due = datetime.date(2027, 6, 15)
    deadline = reminders.Deadline(ref="tt57:1", due=due, unit_id=1, school_ids=frozenset({5}), stages=reminders.ONCE,
                                  once=True)
    assert reminders.due_reminders(due - datetime.timedelta(days=8), [deadline], {}) == []
    (first,) = reminders.due_reminders(due - datetime.timedelta(days=7), [deadline], {})
    assert first.key == "tt57:1:school:5:before:7"
    assert reminders.due_reminders(due - datetime.timedelta(days=2), [deadline], {}, {first.key}) == []
    assert reminders.due_reminders(due, [deadline], {}) == []
    assert reminders.due_reminders(due + datetime.timedelta(days=1), [deadline], {}) == []


def test_moving_a_tt57_deadline_returns_to_the_units_page(district, year_2026, reviewer, client):
    deadline = services.reporting_deadline_add(unit=district, school_year=year_2026, period=P.PLAN_APPROVAL, by=reviewer)
    client.force_login(reviewer)
    response = client.post(reverse("evaluations:deadline_update", args=[deadline.pk]),
                           {"due_date": "10/06/2027", "note": "Họp hội đồng sớm", "revision": deadline.revision})
    assert response.status_code == 302
    assert response.url == reverse("evaluations:deadline_configure", args=[district.pk, year_2026.code])
    assert ReportingDeadline.objects.get(pk=deadline.pk).due_date == datetime.date(2027, 6, 10)
    # Its detail address shows the unit's page too (a TT57 deadline has no report statuses).
    assert client.get(reverse("evaluations:deadline_detail", args=[deadline.pk])).url == response.url


def test_the_schools_upcoming_list_holds_its_tt57_duties_and_biểu_2_activities(
    monitoring, school_a, school_b, district, year_2026, reviewer, django_assert_max_num_queries,
):
    from selfassessment.models import Plan57Action

    services.reporting_deadline_add(unit=district, school_year=year_2026, period=P.PLAN_APPROVAL, by=reviewer)
    plan = school_a.reports.get().plan57
    Plan57Action.objects.create(plan=plan, position=1, content="Bồi dưỡng giáo viên", end_on=datetime.date(2026, 12, 20),
                                status="in_progress")
    Plan57Action.objects.create(plan=plan, position=2, content="Sửa thư viện", end_on=datetime.date(2027, 1, 10))
    Plan57Action.objects.create(plan=plan, position=3, content="Đã xong", end_on=datetime.date(2026, 12, 1), status="done")
    today = datetime.date(2027, 1, 5)
    items = selectors.upcoming_deadlines_for_school(school_a, today)
    (check,) = [i for i in items if i.kind == "tt57"]  # 15/6 is beyond the horizon
    assert "cuối học kỳ I" in check.title and check.due == datetime.date(2027, 1, 15) and not check.done
    assert check.url == reverse("selfassessment:plan57", args=[plan.report_id])
    improvements = [i for i in items if i.kind == "improvement"]
    assert [i.title for i in improvements] == [
        "1 hoạt động cải tiến (Biểu 2) chưa hoàn thành đã quá hạn", "Sửa thư viện"]
    assert improvements[0].is_overdue and improvements[0].days_left == -16
    # School B recorded its review: the point is shown done until its day has passed, then leaves.
    (done,) = [i for i in selectors.upcoming_deadlines_for_school(school_b, today) if i.kind == "tt57"]
    assert done.done
    assert not [i for i in selectors.upcoming_deadlines_for_school(school_b, datetime.date(2027, 1, 16))
                if i.kind == "tt57"]
    # Constant queries, however many deadlines and activities.
    for n in range(3, 12):
        Plan57Action.objects.create(plan=plan, position=n, content=f"HĐ {n}", end_on=datetime.date(2026, 12, n))
    with django_assert_max_num_queries(14):
        selectors.upcoming_deadlines_for_school(school_a, today)
