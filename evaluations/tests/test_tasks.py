"""Reminders end to end: selection on each day, time zone, recipients, idempotency, SMTP failures,
the management commands. Tasks run in-process (CELERY_TASK_ALWAYS_EAGER in tests)."""

import datetime
import io
import json
import smtplib
from unittest import mock

import pytest
from celery.exceptions import Retry
from celery.schedules import crontab
from django.core import mail
from django.core.management import call_command
from django.db import OperationalError

from evaluations import services, tasks
from evaluations.management.commands.run_scheduler import Scheduler
from evaluations.models import ReminderLog
from notifications import tasks as notification_tasks
from notifications.models import Notification, OutboundEmail

DUE = datetime.date(2026, 12, 20)


def at_local(day: datetime.date, hh=7, mm=0) -> str:
    """An ISO instant at hh:mm in Asia/Ho_Chi_Minh (UTC+7)."""
    return f"{day.isoformat()}T{hh:02d}:{mm:02d}:00+07:00"


def dispatch(day, capture, **kw):
    with capture(execute=True):
        return tasks.reminders_dispatch(now=at_local(day, **kw))


def offset(days: int) -> datetime.date:
    return DUE + datetime.timedelta(days=days)


@pytest.fixture
def scene(semester1, principal_a, principal_b, reviewer, head, staff_a):
    """District A, its schools A and B with their principals, the 20/12/2026 deadline."""
    return semester1


def notes(user, kind=None):
    qs = Notification.objects.filter(user=user)
    return list(qs.filter(kind=kind) if kind else qs)


@pytest.mark.parametrize("days_before", [14, 7, 1])
def test_each_reminder_day_notifies_the_principals_in_app_and_by_email(
    scene, days_before, principal_a, principal_b, staff_a, django_capture_on_commit_callbacks
):
    assert dispatch(offset(-days_before), django_capture_on_commit_callbacks) == 2
    (note,) = notes(principal_a)
    assert note.kind == "deadline_reminder"
    assert f"Còn {days_before} ngày" in note.title and "20/12/2026" in note.title
    assert notes(principal_b) and not notes(staff_a)
    assert sorted(m.to[0] for m in mail.outbox) == ["principal_a@example.vn", "principal_b@example.vn"]


@pytest.mark.parametrize("days_before", [15, 13, 8])
def test_days_between_stages_send_nothing_new(scene, days_before, django_capture_on_commit_callbacks):
    if days_before < 14:
        dispatch(offset(-14), django_capture_on_commit_callbacks)
    sent = ReminderLog.objects.count()
    assert dispatch(offset(-days_before), django_capture_on_commit_callbacks) == 0
    assert ReminderLog.objects.count() == sent


def test_the_due_day_itself_is_quiet_after_the_one_day_reminder(scene, django_capture_on_commit_callbacks):
    dispatch(offset(-1), django_capture_on_commit_callbacks)
    assert dispatch(offset(0), django_capture_on_commit_callbacks) == 0


def test_the_day_after_sends_overdue_to_schools_and_one_summary_to_each_district_user(
    scene, principal_a, principal_b, reviewer, head, other_reviewer, officer, django_capture_on_commit_callbacks
):
    assert dispatch(offset(1), django_capture_on_commit_callbacks) == 3  # two schools + one summary
    (overdue,) = notes(principal_a)
    assert overdue.kind == "deadline_overdue" and "Quá hạn 1 ngày" in overdue.title
    for user in (reviewer, head):
        (summary,) = notes(user)
        assert summary.kind == "deadline_overdue"
        assert "2 trường chưa hoàn thành" in summary.title
        assert "Trường THCS A" in summary.body and "Trường THCS B" in summary.body
        assert summary.url.endswith(f"/deadlines/{scene.pk}/")
    assert not notes(other_reviewer) and not notes(officer)
    assert dispatch(offset(2), django_capture_on_commit_callbacks) == 0


def test_overdue_repeats_weekly_to_the_school_only(scene, principal_a, reviewer, django_capture_on_commit_callbacks):
    dispatch(offset(1), django_capture_on_commit_callbacks)
    dispatch(offset(8), django_capture_on_commit_callbacks)
    assert len(notes(principal_a)) == 2
    assert len(notes(reviewer)) == 1


def test_no_reminder_to_a_school_that_submitted(scene, school_b, principal_a, principal_b, django_capture_on_commit_callbacks):
    services.periodic_report_submit(school=school_b, deadline=scene, by=principal_b)
    assert dispatch(offset(-7), django_capture_on_commit_callbacks) == 1
    assert notes(principal_a) and not notes(principal_b)


def test_a_school_that_submits_after_dispatch_gets_nothing_when_the_task_runs(
    scene, school_a, principal_a, django_capture_on_commit_callbacks
):
    """The send task re-checks: a report handed in between the daily selection and the task wins."""
    _context, due = services.reminders_due(offset(-7))
    services.periodic_report_submit(school=school_a, deadline=scene, by=principal_a)
    payload = next(services.reminder_payload(r, offset(-7)) for r in due if r.school_id == school_a.pk)
    outcome = services.reminder_send(**payload)
    assert not outcome.sent and not notes(principal_a)


def test_running_the_daily_task_twice_sends_once(scene, principal_a, django_capture_on_commit_callbacks):
    dispatch(offset(-7), django_capture_on_commit_callbacks)
    dispatch(offset(-7), django_capture_on_commit_callbacks, hh=7, mm=30)
    assert len(notes(principal_a)) == 1
    assert len([m for m in mail.outbox if m.to == [principal_a.email]]) == 1
    assert ReminderLog.objects.filter(school__isnull=False).count() == 2


def test_a_retried_send_task_sends_once(scene, school_a, principal_a, django_capture_on_commit_callbacks):
    """Two deliveries of the same task message (a second beat, a redelivered task) after the
    selection: the unique ReminderLog row lets only the first through."""
    _context, due = services.reminders_due(offset(-7))
    payload = next(services.reminder_payload(r, offset(-7)) for r in due if r.school_id == school_a.pk)
    with django_capture_on_commit_callbacks(execute=True):
        first = tasks.reminder_send.apply(kwargs=payload).get()
        second = tasks.reminder_send.apply(kwargs=payload).get()
    assert "→ 1" in first and "already sent" in second
    assert len(notes(principal_a)) == 1 and len(mail.outbox) == 1


@pytest.mark.parametrize(
    "instant, sends",
    [
        ("2026-12-05T16:59:00+00:00", False),  # 23:59 on 5/12 in Hà Nội: 15 days before
        ("2026-12-05T17:01:00+00:00", True),   # 00:01 on 6/12 in Hà Nội: 14 days before
        ("2026-12-06T16:59:00+00:00", True),   # 23:59 on 6/12 in Hà Nội: still 14 days before
        ("2026-12-06T17:01:00+00:00", False),  # 00:01 on 7/12 in Hà Nội: 13 days before, 14-day stage already sent
    ],
)
def test_the_task_picks_the_local_day_at_midnight(scene, instant, sends, principal_a, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        if instant.startswith("2026-12-06T17"):
            tasks.reminders_dispatch(now="2026-12-06T00:30:00+00:00")  # the 14-day reminder went out on 6/12
        before = len(notes(principal_a))
        tasks.reminders_dispatch(now=instant)
    assert (len(notes(principal_a)) - before == 1) is sends


@pytest.mark.parametrize(
    "instant, day",
    [
        ("2026-12-19T16:59:00+00:00", datetime.date(2026, 12, 19)),
        ("2026-12-19T17:00:00+00:00", datetime.date(2026, 12, 20)),
        ("2026-12-20T23:59:00+07:00", datetime.date(2026, 12, 20)),
        ("2026-12-21T00:01:00+07:00", datetime.date(2026, 12, 21)),
    ],
)
def test_local_today(instant, day):
    assert tasks.local_today(instant) == day


def test_local_today_refuses_naive_times():
    with pytest.raises(ValueError):
        tasks.local_today(datetime.datetime(2026, 12, 20, 7, 0))


def test_smtp_failure_keeps_the_reminder_and_is_retried_until_delivered(
    scene, principal_a, school_b, principal_b, django_capture_on_commit_callbacks
):
    services.periodic_report_submit(school=school_b, deadline=scene, by=principal_b)
    with mock.patch("django.core.mail.EmailMessage.send", side_effect=smtplib.SMTPServerDisconnected("down")):
        dispatch(offset(-7), django_capture_on_commit_callbacks)
    row = OutboundEmail.objects.get(to=principal_a.email)
    assert row.status == "pending" and row.attempts == 1 and "SMTPServerDisconnected" in row.last_error
    assert len(notes(principal_a)) == 1  # the in-app reminder is there regardless
    # The next day's run does not send the reminder a second time…
    dispatch(offset(-6), django_capture_on_commit_callbacks)
    assert OutboundEmail.objects.filter(to=principal_a.email).count() == 1
    # …and the outbox retry delivers the e-mail once the server is back.
    assert notification_tasks.email_deliver(row.pk) == "sent"
    assert notification_tasks.email_deliver(row.pk) == "sent"
    assert [m.to for m in mail.outbox] == [[principal_a.email]]


def test_a_worker_retries_a_failing_smtp_backend_with_backoff(scene, principal_a, django_capture_on_commit_callbacks):
    """Outside eager mode the e-mail task asks Celery to retry with an increasing countdown."""
    with mock.patch("notifications.services.email_queue"):
        dispatch(offset(-7), django_capture_on_commit_callbacks)
    row = OutboundEmail.objects.filter(to=principal_a.email).get()
    task = notification_tasks.email_send
    with mock.patch("django.core.mail.EmailMessage.send", side_effect=smtplib.SMTPConnectError(421, "busy")), \
            mock.patch.object(task, "retry", side_effect=Retry()) as retry:
        for attempt in (0, 1):
            task.push_request(retries=attempt, is_eager=False, called_directly=False)
            try:
                with pytest.raises(Retry):
                    task.run(row.pk)
            finally:
                task.pop_request()
    countdowns = [c.kwargs["countdown"] for c in retry.call_args_list]
    assert countdowns == [notification_tasks.backoff_seconds(1), notification_tasks.backoff_seconds(2)]
    assert countdowns[1] > countdowns[0]
    row.refresh_from_db()
    assert row.status == "pending" and row.attempts == 2


def test_the_send_task_retries_a_database_hiccup(scene, school_a):
    _context, due = services.reminders_due(offset(-7))
    payload = services.reminder_payload(due[0], offset(-7))
    task = tasks.reminder_send
    with mock.patch.object(services, "reminder_send", side_effect=OperationalError("locked")), \
            mock.patch.object(task, "retry", side_effect=Retry()) as retry:
        task.push_request(retries=0, is_eager=False, called_directly=False)
        try:
            with pytest.raises(Retry):
                task.run(**payload)
        finally:
            task.pop_request()
    assert retry.call_args.kwargs["countdown"] == 60


def test_moving_a_deadline_restarts_its_reminders(scene, reviewer, principal_a, django_capture_on_commit_callbacks):
    dispatch(offset(-7), django_capture_on_commit_callbacks)
    moved = services.reporting_deadline_update(deadline=scene, by=reviewer, revision=scene.revision, due_date=offset(7))
    assert moved.due_date == datetime.date(2026, 12, 27)
    dispatch(offset(-7), django_capture_on_commit_callbacks, hh=9)  # 14 days before the new date
    titles = [n.title for n in notes(principal_a)]
    assert any("Còn 7 ngày" in t for t in titles) and any("Còn 14 ngày" in t and "27/12/2026" in t for t in titles)


@pytest.fixture
def round_a(district, reviewer, school_a, school_b):
    round_ = services.round_create(unit=district, year=2027, number=1, by=reviewer, dossier_date=datetime.date(2027, 1, 9))
    services.round_schools_register(round_=round_, schools=[school_a], by=reviewer)
    return round_


def test_milestones_remind_registered_schools_not_done_and_the_district(
    round_a, school_a, principal_a, principal_b, reviewer, head, django_capture_on_commit_callbacks
):
    milestone = round_a.milestones.get(template_key="school_submit_dossier")  # 09/01/2027
    registration = round_a.registrations.get(school=school_a)
    with django_capture_on_commit_callbacks(execute=True):
        tasks.reminders_dispatch(now=at_local(datetime.date(2027, 1, 2)))
    assert [n.title for n in notes(principal_a) if milestone.title in n.title]
    assert not notes(principal_b)  # school B is not registered in the round
    # District milestones due 02/01/2027 (-7: support), 18/01 and 19/01 (+9, +10): the office is reminded.
    assert any("Hỗ trợ kỹ thuật" in n.title for n in notes(reviewer))
    services.milestone_complete(milestone=milestone, by=principal_a, registration=registration)
    with django_capture_on_commit_callbacks(execute=True):
        tasks.reminders_dispatch(now=at_local(datetime.date(2027, 1, 8)))
    assert not [n for n in notes(principal_a) if milestone.title in n.title and "Còn 1 ngày" in n.title]


def test_a_school_without_principal_is_recorded_with_no_recipient(semester1, school_a, django_capture_on_commit_callbacks):
    dispatch(offset(-7), django_capture_on_commit_callbacks)
    log = ReminderLog.objects.get(school=school_a)
    assert log.recipients == 0 and not Notification.objects.exists()


def test_send_reminders_command_dry_run_then_send(scene, principal_a, django_capture_on_commit_callbacks):
    out = io.StringIO()
    call_command("send_reminders", "--today", "2026-12-13", "--dry-run", stdout=out)
    lines = out.getvalue().strip().splitlines()
    assert lines[-1] == "would send: 2"
    assert len(lines) == 3 and all("Còn 7 ngày".lower() in line for line in lines[:2])
    assert not ReminderLog.objects.exists() and not Notification.objects.exists()
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_reminders", "--today", "2026-12-13", stdout=out)
    assert out.getvalue().strip().splitlines()[-1] == "sent: 2"
    assert len(mail.outbox) == 2
    out = io.StringIO()
    call_command("send_reminders", "--today", "2026-12-13", stdout=out)
    assert out.getvalue().strip() == "sent: 0"


def test_send_reminders_refuses_a_bad_date():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("send_reminders", "--today", "20/12/2026")


def test_scheduler_runs_the_daily_entry_once_a_day_and_at_start_up_when_missed(scene, tmp_path, principal_a):
    from zoneinfo import ZoneInfo

    tz = ZoneInfo("Asia/Ho_Chi_Minh")
    ran = []
    entries = {"reminders": {"task": "evaluations.tasks.reminders_dispatch", "schedule": crontab(hour=7, minute=0)},
               "flush": {"task": "notifications.tasks.emails_flush_pending", "schedule": 600.0}}
    state = tmp_path / "state.json"
    scheduler = Scheduler(entries, state, run=lambda entry: ran.append(entry["task"]))
    assert scheduler.tick(datetime.datetime(2026, 12, 6, 10, 0, tzinfo=tz)) == ["reminders", "flush"]  # start-up
    assert scheduler.tick(datetime.datetime(2026, 12, 6, 10, 5, tzinfo=tz)) == []
    assert scheduler.tick(datetime.datetime(2026, 12, 6, 10, 11, tzinfo=tz)) == ["flush"]
    # A restart the same day does not run the daily job again (the state file remembers).
    again = Scheduler(entries, state, run=lambda entry: ran.append(entry["task"]))
    assert again.tick(datetime.datetime(2026, 12, 6, 18, 0, tzinfo=tz)) == ["flush"]
    assert again.tick(datetime.datetime(2026, 12, 7, 6, 59, tzinfo=tz)) == ["flush"]
    assert again.tick(datetime.datetime(2026, 12, 7, 7, 0, 5, tzinfo=tz)) == ["reminders"]
    assert json.loads(state.read_text())["reminders"].startswith("2026-12-07T07:00:05")


def test_scheduler_runs_the_real_task_in_process(scene, principal_a, django_capture_on_commit_callbacks):
    entries = {"reminders": {"task": "evaluations.tasks.reminders_dispatch", "schedule": crontab(hour=7, minute=0),
                             "kwargs": {"now": at_local(offset(-14))}}}
    with django_capture_on_commit_callbacks(execute=True):
        assert Scheduler(entries, None).tick() == ["reminders"]
    assert len(notes(principal_a)) == 1


def test_run_scheduler_command_once(settings, tmp_path):
    settings.CELERY_BEAT_SCHEDULE = {
        "flush": {"task": "notifications.tasks.emails_flush_pending", "schedule": 600.0},
    }
    out = io.StringIO()
    call_command("run_scheduler", "--once", "--state", str(tmp_path / "s.json"), stdout=out)
    assert "ran flush" in out.getvalue()
    assert "flush" in json.loads((tmp_path / "s.json").read_text())
