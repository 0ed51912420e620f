"""The periodic report (báo cáo định kỳ): content, workflow, deadline rule, notifications.

The school of these tests has a self-assessment report of 2024-2025 (the small TT18-like catalog of
the review tests, every indicator met) with improvement actions; its periodic reports are for the
2026-2027 deadlines of district A (20/12/2026 and 10/05/2027).
"""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from audit.models import Event
from evaluations import selectors, services
from evaluations.models import PeriodicProgress, PeriodicReport
from evaluations.services import periodic
from evaluations.tests.factories import periodic_act, periodic_in_status
from kiemdinh.permissions import can
from notifications.models import Kind, Notification

D = datetime.date


def local(day: datetime.date, hour: int, minute: int = 0, second: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute, second)))


def _open(school, deadline, principal):
    return services.periodic_report_open(school=school, deadline=deadline, by=principal)


# --- Content -----------------------------------------------------------------------------------


def test_the_draft_has_one_line_per_action_in_plan_order_prefilled_from_the_latest_note(
        sa_report, semester1, school_a, principal_a):
    report = _open(school_a, semester1, principal_a)
    assert report.status == PeriodicReport.Status.DRAFT and report.source_report == sa_report
    lines = list(report.progress_lines.order_by("position"))
    assert [(line.target, line.action_text) for line in lines] == [
        ("Tiêu chí 1.1", "Bổ sung thiết bị dạy học"), ("Tiêu chí 1.2", "Rà soát hồ sơ hội đồng trường"),
        ("Tiêu chí 2.1", "Tập huấn giáo viên"),
    ]
    assert lines[0].progress == "10/11/2026: Đã mua 60% thiết bị" and lines[1].progress == ""
    assert [line.action_status for line in lines] == ["in_progress", "done", "not_started"]


def test_opening_twice_gives_the_same_draft(sa_report, semester1, school_a, principal_a):
    first = _open(school_a, semester1, principal_a)
    assert _open(school_a, semester1, principal_a).pk == first.pk
    assert PeriodicReport.objects.count() == 1
    assert Event.objects.filter(action="evaluations.periodic_report.opened").count() == 1


@pytest.mark.parametrize("persona", ["staff_a", "principal_b", "reviewer", "head", "officer"])
def test_only_the_principal_opens_the_school_s_report(personas, semester1, school_a, persona):
    with pytest.raises(PermissionDenied):
        _open(school_a, semester1, personas[persona])
    assert not PeriodicReport.objects.exists()


def test_a_deadline_of_another_unit_is_refused(semester1, school_c, principal_c):
    with pytest.raises(services.EvaluationsError, match="không thuộc đơn vị quản lý"):
        _open(school_c, semester1, principal_c)


def test_save_writes_the_summary_and_the_progress_texts(sa_report, semester1, school_a, principal_a):
    report = _open(school_a, semester1, principal_a)
    action = sa_report.improvement_actions.get(action="Tập huấn giáo viên")
    services.periodic_report_save(report=report, by=principal_a, revision=report.revision, summary="  Tóm tắt  ",
                                  progress={action.pk: "Đã tập huấn 2 đợt"})
    report.refresh_from_db()
    assert report.summary == "Tóm tắt" and report.revision == 2
    assert report.progress_lines.get(action=action).progress == "Đã tập huấn 2 đợt"


def test_a_stale_save_is_refused_and_changes_nothing(sa_report, semester1, school_a, principal_a):
    report = _open(school_a, semester1, principal_a)
    opened_at = report.revision
    services.periodic_report_save(report=report, by=principal_a, revision=opened_at, summary="Bản của người thứ nhất")
    with pytest.raises(services.ConcurrentEditError, match="người khác cập nhật"):
        services.periodic_report_save(report=report, by=principal_a, revision=opened_at, summary="Bản cũ")
    report.refresh_from_db()
    assert report.summary == "Bản của người thứ nhất"


def test_too_long_a_text_is_refused_with_a_message(sa_report, semester1, school_a, principal_a):
    report = _open(school_a, semester1, principal_a)
    with pytest.raises(services.EvaluationsError, match="quá dài"):
        services.periodic_report_save(report=report, by=principal_a, revision=None, summary="x" * 20001)
    report.refresh_from_db()
    assert report.summary == "" and report.revision == 1


def test_a_sent_report_cannot_be_edited(sa_report, semester1, school_a, principal_a):
    report = services.periodic_report_submit(school=school_a, deadline=semester1, by=principal_a)
    with pytest.raises(periodic.PeriodicWorkflowError, match="Đã nộp"):
        services.periodic_report_save(report=report, by=principal_a, revision=None, summary="Sửa sau khi nộp")
    report.refresh_from_db()
    assert report.summary == ""


def test_the_results_are_live_in_draft_and_frozen_at_submission(sa_report, semester1, school_a, principal_a):
    from selfassessment import services as sa_services
    from selfassessment.models import ImprovementAction, IndicatorVerdict

    report = _open(school_a, semester1, principal_a)
    live = selectors.periodic_content(report, school_a, semester1)
    assert live.live and live.results["school_level"] == sa_report.school_level
    assert [c["number"] for s in live.results["standards"] for c in s["criteria"]] == ["1.1", "1.2", "2.1"]
    report = services.periodic_report_submit(report=report, by=principal_a)
    sent_level = report.results["school_level"]
    sent_criterion = report.results["standards"][0]["criteria"][0]["level"]
    assert sent_level is not None and sent_criterion == 3

    # The school changes its self-assessment report and its plan after sending.
    verdict = IndicatorVerdict.objects.select_related("indicator").get(
        report=sa_report, indicator__criterion__number="1.1", indicator__level=1, indicator__key="a")
    sa_services.indicator_verdict_set(report=sa_report, indicator=verdict.indicator, met=False, by=principal_a)
    ImprovementAction.objects.filter(report=sa_report).update(status="done")
    ImprovementAction.objects.create(report=sa_report, criterion=verdict.indicator.criterion, action="Biện pháp mới")

    report.refresh_from_db()
    sent = selectors.periodic_content(report, school_a, semester1)
    assert not sent.live
    assert sent.results["school_level"] == sent_level and sent.results["standards"][0]["criteria"][0]["level"] == 3
    assert [line.status for line in sent.lines] == ["in_progress", "done", "not_started"]
    assert "Biện pháp mới" not in [line.action for line in sent.lines]
    # The draft of the next deadline follows the report as it is now.
    year_end = semester1.school_year.reporting_deadlines.get(period="year_end")
    now = selectors.periodic_content(None, school_a, year_end)
    assert now.live and now.results["standards"][0]["criteria"][0]["level"] == 0
    assert "Biện pháp mới" in [line.action for line in now.lines]


def test_a_deleted_action_stays_in_the_sent_report(sa_report, semester1, school_a, principal_a):
    report = services.periodic_report_submit(school=school_a, deadline=semester1, by=principal_a)
    sa_report.improvement_actions.filter(action="Tập huấn giáo viên").delete()
    report.refresh_from_db()
    assert "Tập huấn giáo viên" in [line.action for line in selectors.periodic_content(report, school_a, semester1).lines]


def test_a_school_without_a_self_assessment_report_can_still_report(semester1, school_a, principal_a):
    report = services.periodic_report_submit(school=school_a, deadline=semester1, by=principal_a)
    assert report.status == "submitted" and report.results == {} and not report.progress_lines.exists()


# --- Workflow ------------------------------------------------------------------------------------

# Written out here, not read from the code: every move a periodic report may make.
ALLOWED = {
    ("draft", "submit"): "submitted",
    ("returned", "submit"): "resubmitted",
    ("submitted", "withdraw"): "draft",
    ("resubmitted", "withdraw"): "returned",
    ("submitted", "start_review"): "in_review",
    ("resubmitted", "start_review"): "in_review",
    ("in_review", "return"): "returned",
    ("in_review", "accept"): "accepted",
    ("accepted", "unlock"): "returned",
}
STATUSES = ["draft", "submitted", "in_review", "returned", "resubmitted", "accepted"]
ACTIONS = ["submit", "withdraw", "start_review", "return", "accept", "unlock"]


@pytest.mark.parametrize("status", STATUSES)
@pytest.mark.parametrize("action", ACTIONS)
def test_each_move_is_allowed_or_refused_as_the_table_says(semester1, school_a, principal_a, reviewer, status, action):
    report = periodic_in_status(status, school_a, semester1, principal_a, reviewer)
    events = Event.objects.count()
    expected = ALLOWED.get((status, action))
    if expected is None:
        with pytest.raises(periodic.PeriodicWorkflowError, match="Không thể thực hiện"):
            periodic_act(action, report, principal_a, reviewer)
        report.refresh_from_db()
        assert report.status == status and Event.objects.count() == events
    else:
        periodic_act(action, report, principal_a, reviewer)
        report.refresh_from_db()
        assert report.status == expected
        event = Event.objects.order_by("-pk").first()
        assert (event.from_state, event.to_state) == (status, expected)
        assert event.action.startswith("evaluations.periodic_report.")


def test_forwarding_and_closing_are_not_part_of_a_periodic_report():
    assert periodic.transition_for("forward", "accepted") is None
    assert periodic.transition_for("close", "forwarded") is None
    assert [t.action for t in periodic.actions_from("accepted")] == ["unlock"]


SCHOOL_RULES = ["periodic_report.edit", "periodic_report.submit", "periodic_report.withdraw"]
DISTRICT_RULES = ["periodic_report.review", "periodic_report.return", "periodic_report.accept", "periodic_report.unlock"]


@pytest.mark.parametrize("persona, school_side, district_side, sees", [
    ("principal_a", True, False, True),
    ("staff_a", False, False, True),
    ("principal_b", False, False, False),
    ("principal_c", False, False, False),
    ("reviewer", False, True, True),
    ("head", False, True, True),
    ("other_reviewer", False, False, False),
    ("officer", False, False, True),
    ("sysadmin", True, True, True),
])
def test_who_may_do_what_with_school_a_s_report(personas, semester1, school_a, persona, school_side, district_side, sees):
    report = PeriodicReport.objects.create(school=school_a, deadline=semester1)
    user = personas[persona]
    assert {rule: can(user, rule, report) for rule in SCHOOL_RULES} == dict.fromkeys(SCHOOL_RULES, school_side)
    assert {rule: can(user, rule, report) for rule in DISTRICT_RULES} == dict.fromkeys(DISTRICT_RULES, district_side)
    assert can(user, "periodic_report.view", report) == sees
    assert (report in selectors.periodic_reports_visible_to(user)) == sees


@pytest.mark.parametrize("persona", ["principal_a", "staff_a", "officer", "other_reviewer"])
def test_only_the_district_office_accepts(personas, semester1, school_a, principal_a, reviewer, persona):
    report = periodic_in_status("in_review", school_a, semester1, principal_a, reviewer)
    with pytest.raises(PermissionDenied):
        services.periodic_report_accept(report=report, by=personas[persona])
    report.refresh_from_db()
    assert report.status == "in_review"


@pytest.mark.parametrize("persona", ["staff_a", "reviewer", "officer"])
def test_only_the_principal_submits(personas, semester1, school_a, principal_a, persona):
    report = _open(school_a, semester1, principal_a)
    with pytest.raises(PermissionDenied):
        services.periodic_report_submit(report=report, by=personas[persona])
    report.refresh_from_db()
    assert report.status == "draft" and report.submitted_at is None


@pytest.mark.parametrize("reason", ["", "   \n "])
def test_returning_needs_a_reason(semester1, school_a, principal_a, reviewer, reason):
    report = periodic_in_status("in_review", school_a, semester1, principal_a, reviewer)
    with pytest.raises(services.EvaluationsError, match="lý do trả lại"):
        services.periodic_report_return(report=report, by=reviewer, reason=reason)
    with pytest.raises(services.EvaluationsError, match="lý do mở lại"):
        services.periodic_report_unlock(report=report, by=reviewer, reason=reason)
    report.refresh_from_db()
    assert report.status == "in_review" and report.return_reason == ""


def test_the_return_reason_and_the_review_note_are_kept(semester1, school_a, principal_a, reviewer):
    report = periodic_in_status("in_review", school_a, semester1, principal_a, reviewer)
    services.periodic_report_return(report=report, by=reviewer, reason="  Bổ sung tiến độ tiêu chí 1.1 ")
    report.refresh_from_db()
    assert (report.return_reason, report.returned_by, report.reviewer) == ("Bổ sung tiến độ tiêu chí 1.1", reviewer, reviewer)
    services.periodic_report_submit(report=report, by=principal_a)
    services.periodic_report_start_review(report=report, by=reviewer)
    services.periodic_report_accept(report=report, by=reviewer, note="Báo cáo đầy đủ")
    report.refresh_from_db()
    assert (report.status, report.review_note, report.accepted_by) == ("accepted", "Báo cáo đầy đủ", reviewer)


# --- The deadline: first submission, local midnight -------------------------------------------------


def test_a_resubmission_keeps_the_first_submission_time(semester1, school_a, principal_a, reviewer):
    report = services.periodic_report_submit(school=school_a, deadline=semester1, by=principal_a,
                                             at=local(D(2026, 12, 19), 10))
    services.periodic_report_start_review(report=report, by=reviewer)
    services.periodic_report_return(report=report, by=reviewer, reason="Bổ sung")
    report = services.periodic_report_submit(report=report, by=principal_a, at=local(D(2026, 12, 28), 9))
    assert report.status == "resubmitted"
    assert report.submitted_at == local(D(2026, 12, 19), 10) and report.last_submitted_at == local(D(2026, 12, 28), 9)
    assert selectors.periodic_timing(school_a, semester1, D(2027, 1, 5)) == selectors.ON_TIME


def test_withdrawing_before_review_cancels_the_submission(semester1, school_a, principal_a):
    report = services.periodic_report_submit(school=school_a, deadline=semester1, by=principal_a,
                                             at=local(D(2026, 12, 19), 10))
    services.periodic_report_withdraw(report=report, by=principal_a)
    report.refresh_from_db()
    assert report.status == "draft" and report.submitted_at is None
    assert not selectors.school_has_met(school_a, semester1)
    services.periodic_report_submit(report=report, by=principal_a, at=local(D(2026, 12, 21), 8))
    assert selectors.periodic_timing(school_a, semester1, D(2026, 12, 22)) == selectors.LATE


@pytest.mark.parametrize("moment, expected", [
    (local(D(2026, 12, 20), 23, 59, 59), selectors.ON_TIME),
    (local(D(2026, 12, 21), 0, 0, 0), selectors.LATE),
    # 17:30 UTC on the due day is already 00:30 on 21/12 in Hà Nội.
    (datetime.datetime(2026, 12, 20, 17, 30, tzinfo=datetime.UTC), selectors.LATE),
    (datetime.datetime(2026, 12, 20, 16, 59, tzinfo=datetime.UTC), selectors.ON_TIME),
])
def test_on_time_or_late_is_decided_at_midnight_in_ho_chi_minh_city(semester1, school_a, principal_a, moment, expected):
    services.periodic_report_submit(school=school_a, deadline=semester1, by=principal_a, at=moment)
    assert selectors.periodic_timing(school_a, semester1, D(2027, 1, 5)) == expected
    row = next(r for r in selectors.deadline_status_of(semester1, D(2027, 1, 5)).rows if r.school == school_a)
    assert row.status == expected and row.report_status == "submitted"


def test_the_deadline_page_counts_every_state(semester1, district, school_a, school_b, principal_a, principal_b, reviewer):
    from schools.tests.factories import SchoolFactory

    SchoolFactory(reviewing_unit=district, code="A-MN-09", level="mn")  # never opens a report
    late = services.periodic_report_submit(school=school_b, deadline=semester1, by=principal_b, at=local(D(2026, 12, 22), 9))
    services.periodic_report_start_review(report=late, by=reviewer)
    services.periodic_report_submit(school=school_a, deadline=semester1, by=principal_a, at=local(D(2026, 12, 2), 9))
    status = selectors.deadline_status_of(semester1, D(2026, 12, 28))
    assert status.counts == {"pending": 0, "on_time": 1, "late": 1, "missing": 1}
    assert {r.school.code: r.report_status for r in status.rows} == {
        "A-MN-09": None, "A-THCS-01": "submitted", "A-THCS-02": "in_review"}
    before = selectors.deadline_status_of(semester1, D(2026, 12, 10))
    assert before.counts == {"pending": 1, "on_time": 1, "late": 1, "missing": 0}


# --- Notifications -----------------------------------------------------------------------------------


def test_the_district_hears_of_a_submission_and_the_principal_of_a_return(semester1, school_a, principal_a, reviewer,
                                                                         head, staff_a):
    report = services.periodic_report_submit(school=school_a, deadline=semester1, by=principal_a,
                                             at=local(D(2026, 12, 22), 9))
    submitted = Notification.objects.filter(kind=Kind.REPORT_SUBMITTED)
    assert {n.user for n in submitted} == {reviewer, head}
    assert "muộn" in submitted.first().body and "/schools/" in submitted.first().url
    services.periodic_report_start_review(report=report, by=reviewer)
    services.periodic_report_return(report=report, by=reviewer, reason="Bổ sung tiến độ tiêu chí 1.1")
    (returned,) = Notification.objects.filter(kind=Kind.REPORT_RETURNED)
    assert returned.user == principal_a and returned.body == "Bổ sung tiến độ tiêu chí 1.1"
    # The resubmission goes to the reviewer who took the report up, never to the actor.
    services.periodic_report_submit(report=report, by=principal_a)
    assert [n.user for n in Notification.objects.filter(kind=Kind.REPORT_SUBMITTED).order_by("-pk")[:1]] == [reviewer]
    assert not Notification.objects.filter(user=staff_a).exists()


def test_a_refused_move_notifies_nobody(semester1, school_a, principal_a, reviewer):
    report = _open(school_a, semester1, principal_a)
    with pytest.raises(periodic.PeriodicWorkflowError):
        services.periodic_report_accept(report=report, by=reviewer)
    assert not Notification.objects.exists()


def test_the_old_call_with_a_school_and_a_deadline_still_works(semester1, school_a, principal_a):
    report = services.periodic_report_submit(school=school_a, deadline=semester1, by=principal_a)
    assert PeriodicReport.objects.get().pk == report.pk and report.status == "submitted"
    assert PeriodicProgress.objects.filter(report=report).count() == 0
