"""Notifications: idempotent by key, e-mail muted per kind, e-mail sent once, retried, recorded."""

import smtplib
from unittest import mock

import pytest
from django.core import mail
from django.urls import reverse

from notifications import services, tasks
from notifications.models import Notification, OutboundEmail


def test_notify_creates_in_app_row_and_sends_email_on_commit(principal_a, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.notify(user=principal_a, kind="comment", title="Góp ý mới cho tiêu chí 1.1", url="/reports/1/")
    assert Notification.objects.filter(user=principal_a).count() == 1
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["principal_a@example.vn"]
    assert "Góp ý mới cho tiêu chí 1.1" in message.subject
    assert "http://127.0.0.1:8000/reports/1/" in message.body or "/reports/1/" in message.body
    assert OutboundEmail.objects.get().status == "sent"


def test_same_dedupe_key_notifies_once(principal_a, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = services.notify(user=principal_a, kind="deadline_reminder", title="Còn 7 ngày", dedupe_key="r:1:7")
        second = services.notify(user=principal_a, kind="deadline_reminder", title="Còn 7 ngày", dedupe_key="r:1:7")
    assert first is not None and second is None
    assert Notification.objects.count() == 1
    assert len(mail.outbox) == 1


def test_muted_kind_gets_no_email_but_stays_in_app(principal_a, django_capture_on_commit_callbacks):
    services.email_mutes_set(by=principal_a, kinds=["comment"])
    with django_capture_on_commit_callbacks(execute=True):
        services.notify(user=principal_a, kind="comment", title="Góp ý")
        services.notify(user=principal_a, kind="report_returned", title="Trả lại")
    assert Notification.objects.filter(user=principal_a).count() == 2
    assert [m.subject for m in mail.outbox] == ["[kiemdinh] Trả lại"]


def test_unknown_kind_is_a_programming_error(principal_a):
    with pytest.raises(ValueError):
        services.notify(user=principal_a, kind="nope", title="x")


def _pending(principal_a):
    notification = services.notify(user=principal_a, kind="general", title="Thư thử", email=False)
    return OutboundEmail.objects.create(notification=notification, to=principal_a.email, subject="S", body="B",
                                        dedupe_key=f"t{notification.pk}")


def test_delivering_twice_sends_one_email(principal_a):
    row = _pending(principal_a)
    assert tasks.email_deliver(row.pk) == "sent"
    assert tasks.email_deliver(row.pk) == "sent"
    assert len(mail.outbox) == 1


def test_smtp_failure_is_retried_then_recorded_as_failed(principal_a):
    row = _pending(principal_a)
    with mock.patch("django.core.mail.EmailMessage.send", side_effect=smtplib.SMTPServerDisconnected("down")):
        for _ in range(tasks.MAX_ATTEMPTS - 1):
            with pytest.raises(smtplib.SMTPException):
                tasks.email_deliver(row.pk)
            row.refresh_from_db()
            assert row.status == "pending"
        assert tasks.email_deliver(row.pk) == "failed"
    row.refresh_from_db()
    assert row.attempts == tasks.MAX_ATTEMPTS
    assert "SMTPServerDisconnected" in row.last_error
    assert mail.outbox == []


def test_smtp_recovers_on_retry(principal_a):
    row = _pending(principal_a)
    with mock.patch("django.core.mail.EmailMessage.send", side_effect=smtplib.SMTPConnectError(421, "busy")):
        with pytest.raises(smtplib.SMTPException):
            tasks.email_deliver(row.pk)
    assert tasks.email_deliver(row.pk) == "sent"
    row.refresh_from_db()
    assert (row.attempts, row.status) == (2, "sent")
    assert len(mail.outbox) == 1


def test_the_celery_task_schedules_a_retry_with_backoff(principal_a):
    row = _pending(principal_a)
    with mock.patch("django.core.mail.EmailMessage.send", side_effect=smtplib.SMTPServerDisconnected("down")), \
            mock.patch.object(tasks.email_send, "retry", side_effect=RuntimeError("retry scheduled")) as retry:
        tasks.email_send.request.is_eager = False
        with pytest.raises(RuntimeError, match="retry scheduled"):
            tasks.email_send.run(row.pk)
    assert retry.call_args.kwargs["countdown"] == tasks.backoff_seconds(1) == 60
    assert tasks.backoff_seconds(10) == 3600


def test_broker_down_keeps_the_email_pending_and_the_flush_sends_it(principal_a, django_capture_on_commit_callbacks):
    with mock.patch.object(tasks.email_send, "delay", side_effect=ConnectionError("redis down")):
        with django_capture_on_commit_callbacks(execute=True):
            services.notify(user=principal_a, kind="general", title="Khi Redis ngừng")
    row = OutboundEmail.objects.get()
    assert row.status == "pending" and mail.outbox == []
    OutboundEmail.objects.filter(pk=row.pk).update(created_at=row.created_at.replace(year=2000))
    assert tasks.emails_flush_pending() == 1
    row.refresh_from_db()
    assert row.status == "sent" and len(mail.outbox) == 1


def test_bell_shows_unread_count_and_opening_marks_read(client, principal_a):
    n = services.notify(user=principal_a, kind="general", title="Xin chào", url="/profile/", email=False)
    client.force_login(principal_a)
    html = client.get(reverse("schools:profile")).content.decode()
    assert 'id="unread-count">1<' in html
    response = client.post(reverse("notifications:notification_open", args=[n.pk]))
    assert response["Location"] == "/profile/"
    n.refresh_from_db()
    assert n.is_read


def test_open_refuses_to_redirect_off_site(client, principal_a):
    n = services.notify(user=principal_a, kind="general", title="x", url="https://evil.example/", email=False)
    client.force_login(principal_a)
    assert client.post(reverse("notifications:notification_open", args=[n.pk]))["Location"] == reverse(
        "notifications:notification_list"
    )


# --- Several recipients at once (notify_many) ----------------------------------------------------------


def _people(n: int, start: int = 0):
    from schools.tests.factories import UserFactory

    return [UserFactory(username=f"nm{i}", email=f"nm{i}@example.vn") for i in range(start, start + n)]


def _messages(users, key="round:1"):
    return [services.Message(user=u, kind="general", title="Kế hoạch đánh giá ngoài", url="/plans/1/",
                             dedupe_key=f"{key}:u{u.pk}") for u in users]


def _queries_for(users) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        services.notify_many(_messages(users))
    return len(captured)


@pytest.mark.django_db
def test_ten_recipients_cost_the_same_queries_as_two(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        two = _queries_for(_people(2))
        ten = _queries_for(_people(10, start=2))
    assert ten == two <= 8
    assert Notification.objects.count() == 12 and OutboundEmail.objects.count() == 12


@pytest.mark.django_db
def test_a_key_already_used_skips_only_that_person_and_a_repeat_in_one_call_is_sent_once(
        django_capture_on_commit_callbacks):
    first, second, third = _people(3)
    services.notify(user=second, kind="general", title="Kế hoạch đánh giá ngoài", dedupe_key=f"round:1:u{second.pk}")
    with django_capture_on_commit_callbacks(execute=True):
        created = services.notify_many(_messages([first, second, third, first]))
    assert [n.user for n in created] == [first, third]
    assert Notification.objects.filter(user=second).count() == 1
    assert sorted(m.to[0] for m in mail.outbox) == ["nm0@example.vn", "nm2@example.vn"]


@pytest.mark.django_db
def test_a_muted_kind_or_an_inactive_account_gets_no_email_the_others_do(django_capture_on_commit_callbacks):
    from notifications.models import EmailMute

    loud, muted, gone = _people(3)
    EmailMute.objects.create(user=muted, kind="general")
    gone.is_active = False
    gone.save()
    with django_capture_on_commit_callbacks(execute=True):
        created = services.notify_many(_messages([loud, muted, gone]))
    assert len(created) == 3
    assert [m.to for m in mail.outbox] == [["nm0@example.vn"]]


@pytest.mark.django_db
def test_each_person_reads_it_in_their_own_language(django_capture_on_commit_callbacks):
    from kiemdinh.i18n import N_, Text

    vi, en = _people(2)
    en.language = "en"
    en.save()
    title = Text(N_("Tệp xuất đã sẵn sàng: %(title)s"), {"title": "Biểu 1"})
    with django_capture_on_commit_callbacks(execute=True):
        services.notify_many([services.Message(user=u, kind="export_ready", title=title) for u in (vi, en)])
    worded = dict(Notification.objects.values_list("user__username", "title"))
    assert worded["nm0"] == "Tệp xuất đã sẵn sàng: Biểu 1"
    assert worded["nm1"] != worded["nm0"] and "Biểu 1" in worded["nm1"]
    subjects = {m.to[0]: m.subject for m in mail.outbox}
    assert subjects["nm1@example.vn"] == f"[kiemdinh] {worded['nm1']}"


@pytest.mark.django_db
def test_a_key_taken_by_a_concurrent_call_loses_only_that_message(django_capture_on_commit_callbacks):
    """Between the check and the insert another request sent one of the keys: the insert fails on the
    unique constraint, and the others are still sent, each once."""
    first, raced, third = _people(3)
    services.notify(user=raced, kind="general", title="x", dedupe_key=f"round:1:u{raced.pk}")
    real = services._keys_taken
    calls = []

    def blind_first(keyed):
        calls.append(keyed)
        return set() if len(calls) == 1 else real(keyed)

    with mock.patch.object(services, "_keys_taken", blind_first), \
            django_capture_on_commit_callbacks(execute=True):
        created = services.notify_many(_messages([first, raced, third]))
    assert [n.user for n in created] == [first, third]
    assert Notification.objects.filter(user=raced).count() == 1
    assert sorted(m.to[0] for m in mail.outbox) == ["nm0@example.vn", "nm2@example.vn"]
