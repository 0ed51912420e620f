"""Faults a district office will meet: Redis down, the mail server down, PostgreSQL restarted, a
crash in the middle of an import or a submission. The pages keep working, nothing is lost and
nothing is left half-written.

Redis is simulated down by pointing the broker at a closed local port (the machine's Redis keeps
running for everyone else); the PostgreSQL restart by terminating the test database's server
connection, which is what a restart does to every open connection.
"""

from __future__ import annotations

import datetime
import io
import json
import logging
import os
import smtplib
import socket
from contextlib import contextmanager
from unittest import mock

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.handlers.wsgi import WSGIHandler
from django.core.management import call_command
from django.db import connection
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook

from audit.models import Event
from conftest import services_required
from kiemdinh.celery import app as celery_app
from notifications import tasks as notification_tasks
from notifications.models import Notification, OutboundEmail

FRIENDLY_500 = "Đã có lỗi xảy ra"


def _closed_port() -> int:
    """A local port nothing listens on: connecting to it is refused at once."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def broker_unreachable():
    """Celery as in production (not eager) with its broker unreachable; restored afterwards."""
    url = f"redis://127.0.0.1:{_closed_port()}/0"
    conf = celery_app.conf
    saved = (conf.broker_url, conf.task_always_eager, celery_app._pool, celery_app.amqp._producer_pool)
    conf.broker_url, conf.task_always_eager = url, False
    # The connection pool is bound to the broker of its first use: start a fresh one.
    celery_app._pool, celery_app.amqp._producer_pool = None, None
    try:
        # Celery prefers the CELERY_BROKER_URL variable (set in CI) to its configuration.
        with mock.patch.dict(os.environ, {"CELERY_BROKER_URL": url}):
            assert celery_app.connection_for_write().as_uri().endswith(f":{url.rsplit(':', 1)[1]}")
            yield url
    finally:
        if celery_app._pool is not None and celery_app._pool is not saved[2]:
            celery_app._pool.force_close_all()
        conf.broker_url, conf.task_always_eager, celery_app._pool, celery_app.amqp._producer_pool = saved


@pytest.fixture
def broker_down(settings):
    with broker_unreachable() as url:
        settings.CELERY_BROKER_URL = url
        yield url


def _age_outbox():
    """Make the pending e-mails old enough for the periodic flush (it leaves the newest alone)."""
    OutboundEmail.objects.filter(status=OutboundEmail.Status.PENDING).update(
        created_at=timezone.now() - datetime.timedelta(hours=1)
    )


# --- Redis down ------------------------------------------------------------------------------------


@pytest.fixture
def submittable_report(principal_a, reviewer, head, school_year):
    """A complete draft report of school A, ready to submit: it passes the real submission gate."""
    from reviews.tests import factories

    return factories.complete_report_for(principal_a.memberships.get().school, principal_a)


def test_with_redis_down_pages_work_and_a_submission_keeps_its_emails_for_later(
    broker_down, client, principal_a, submittable_report, caplog, django_capture_on_commit_callbacks
):
    from reviews.models import ReportVersion

    report = submittable_report
    client.force_login(principal_a)
    for url in (reverse("schools:school_home"), reverse("reviews:report_detail", args=[report.pk]),
                reverse("notifications:notification_list"), reverse("evidence:library_index")):
        assert client.get(url, follow=True).status_code == 200, url

    with caplog.at_level(logging.WARNING, logger="notifications.services"):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("reviews:report_submit", args=[report.pk]))
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == "submitted"
    assert ReportVersion.objects.filter(report=report).count() == 1
    # The district hears of it in the app at once; the e-mails wait in the outbox.
    assert set(Notification.objects.values_list("user__username", flat=True)) == {"reviewer", "head"}
    pending = OutboundEmail.objects.filter(status=OutboundEmail.Status.PENDING)
    assert sorted(pending.values_list("to", flat=True)) == ["head@example.vn", "reviewer@example.vn"]
    assert "Could not queue e-mail" in caplog.text
    assert mail.outbox == []


def test_once_redis_is_back_the_flush_sends_each_waiting_email_once(
    client, principal_a, submittable_report, django_capture_on_commit_callbacks, settings
):
    with broker_unreachable():
        client.force_login(principal_a)
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("reviews:report_submit", args=[submittable_report.pk]))
    assert OutboundEmail.objects.filter(status=OutboundEmail.Status.PENDING).count() == 2
    _age_outbox()
    # The beat's flush (in-process here, as a worker would run it).
    assert notification_tasks.emails_flush_pending() == 2
    assert notification_tasks.emails_flush_pending() == 0
    assert sorted(m.to[0] for m in mail.outbox) == ["head@example.vn", "reviewer@example.vn"]
    assert set(OutboundEmail.objects.values_list("status", flat=True)) == {"sent"}


@pytest.fixture
def reminder_day(district, school_a, principal_a, reviewer):
    """District A's first-semester deadline of 2026-2027 and the day its 7-day reminder is due."""
    from evaluations import services as evaluation_services
    from schools.tests.factories import SchoolYearFactory

    year = SchoolYearFactory(code="2026-2027", start_date=datetime.date(2026, 9, 5), end_date=datetime.date(2027, 5, 31))
    rows = evaluation_services.reporting_deadlines_ensure(unit=district, school_year=year, by=reviewer)
    deadline = min(rows, key=lambda d: d.due_date)
    return deadline.due_date - datetime.timedelta(days=7)


def test_reminders_sent_by_hand_while_redis_is_down_are_logged_and_their_emails_wait(
    broker_down, reminder_day, principal_a, django_capture_on_commit_callbacks
):
    from evaluations.models import ReminderLog

    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_reminders", "--today", reminder_day.isoformat(), stdout=out)
    assert "sent: 1" in out.getvalue()
    assert ReminderLog.objects.count() == 1
    assert Notification.objects.filter(user=principal_a, kind="deadline_reminder").count() == 1
    assert OutboundEmail.objects.get(to=principal_a.email).status == OutboundEmail.Status.PENDING
    assert mail.outbox == []


def test_the_daily_reminder_task_run_while_redis_is_down_loses_nothing(
    broker_down, reminder_day, principal_a, django_capture_on_commit_callbacks
):
    from evaluations import tasks as evaluation_tasks
    from evaluations.models import ReminderLog

    with django_capture_on_commit_callbacks(execute=True):
        evaluation_tasks.reminders_dispatch(now=f"{reminder_day.isoformat()}T07:00:00+07:00")
    assert ReminderLog.objects.count() == 1
    assert OutboundEmail.objects.get(to=principal_a.email).status == OutboundEmail.Status.PENDING


# --- SMTP down -------------------------------------------------------------------------------------


def test_an_email_that_failed_for_good_is_visible_to_the_administrator(client, principal_a, sysadmin):
    from notifications import services as notification_services

    with mock.patch("django.core.mail.EmailMessage.send", side_effect=smtplib.SMTPConnectError(421, "mail down")):
        notification_services.notify(user=principal_a, kind="general", title="Thư khi máy chủ thư ngừng")
        row = OutboundEmail.objects.get()
        for _attempt in range(notification_tasks.MAX_ATTEMPTS):
            try:
                notification_tasks.email_deliver(row.pk)
            except smtplib.SMTPException:
                pass
    row.refresh_from_db()
    assert row.status == OutboundEmail.Status.FAILED
    client.force_login(sysadmin)
    listing = client.get("/admin/notifications/outboundemail/?status__exact=failed").content.decode()
    assert "principal_a@example.vn" in listing and "Gửi lỗi" in listing
    detail = client.get(f"/admin/notifications/outboundemail/{row.pk}/change/").content.decode()
    assert "SMTPConnectError" in detail and "mail down" in detail


# --- PostgreSQL restart ----------------------------------------------------------------------------


def _wsgi_get(path: str, cookies) -> int:
    """One request through Django's WSGI handler, as gunicorn sends it: the request_started and
    request_finished signals run (the test client leaves them out), so persistent connections and
    their health checks behave as in production."""
    environ = RequestFactory().get(
        path, HTTP_COOKIE="; ".join(f"{key}={morsel.value}" for key, morsel in cookies.items())
    ).environ
    status = {}

    def start_response(line, headers, exc_info=None):
        status["code"] = int(line.split()[0])

    result = WSGIHandler()(environ, start_response)
    try:
        b"".join(result)
    finally:
        result.close()
    return status["code"]


def _terminate(pid: int) -> None:
    """What a server restart does to a connection, from a connection of its own."""
    other = connection.get_new_connection(connection.get_connection_params())
    try:
        other.autocommit = True
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
            assert cursor.fetchone()[0] is True
    finally:
        other.close()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_app_recovers_by_itself_after_postgresql_drops_its_connections(principal_a):
    if connection.vendor != "postgresql":
        if services_required():
            pytest.fail("required service missing in CI: PostgreSQL (DATABASE_URL)")
        pytest.skip("needs PostgreSQL (DATABASE_URL=postgres://...)")
    assert connection.settings_dict["CONN_MAX_AGE"] > 0 and connection.settings_dict["CONN_HEALTH_CHECKS"]
    client = Client()
    client.force_login(principal_a)
    home = reverse("schools:school_home")
    assert _wsgi_get(home, client.cookies) == 200
    # The connection outlives the request (CONN_MAX_AGE): that is the one a restart breaks.
    assert connection.connection is not None
    before = connection.connection.get_backend_pid()
    _terminate(before)

    assert _wsgi_get(home, client.cookies) == 200
    assert connection.connection.get_backend_pid() != before
    assert _wsgi_get(reverse("notifications:notification_list"), client.cookies) == 200


# --- A crash in the middle of a write --------------------------------------------------------------


def _fail_on_call(n: int, original):
    """A wrapper of ``original`` that raises an unexpected error on its n-th call (1-based)."""
    calls = {"n": 0}

    def wrapper(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == n:
            raise RuntimeError("crash in the middle")
        return original(*args, **kwargs)

    wrapper.calls = calls
    return wrapper


def _fail_after(original):
    """A wrapper of ``original`` that does its work, then raises an unexpected error."""

    def wrapper(*args, **kwargs):
        original(*args, **kwargs)
        raise RuntimeError("crash in the middle")

    return wrapper


def _crash_client(user) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def _assert_friendly_500(response):
    assert response.status_code == 500
    html = response.content.decode()
    assert FRIENDLY_500 in html and "Traceback" not in html and "RuntimeError" not in html


def _schools_workbook(rows) -> bytes:
    from schools import importers

    book = Workbook()
    sheet = book.active
    sheet.append([c.header for c in importers.COLUMNS])
    for values in rows:
        sheet.append([values.get(c.key, "") for c in importers.COLUMNS])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_crash_in_the_middle_of_the_school_import_saves_nothing(monkeypatch, reviewer, school_a, district):
    from schools.models import School

    rows = [{"code": f"A-TH-{n:02d}", "name": f"Trường Tiểu học số {n}", "level": "Tiểu học"} for n in range(1, 6)]
    rows.insert(2, {"code": school_a.code, "name": "Tên mới không được lưu", "level": "THCS"})
    before = {s.code: s.name for s in School.objects.all()}
    events_before = Event.objects.count()
    failing = _fail_on_call(4, School.save)
    monkeypatch.setattr(School, "save", failing)

    response = _crash_client(reviewer).post(
        reverse("schools:school_import"), {"file": SimpleUploadedFile("truong.xlsx", _schools_workbook(rows))}
    )
    _assert_friendly_500(response)
    assert failing.calls["n"] == 4  # three schools were written before the crash...
    monkeypatch.undo()
    # ...and none of them is left: no new school, the existing one unchanged, no audit entry.
    assert {s.code: s.name for s in School.objects.all()} == before
    assert Event.objects.count() == events_before


def test_a_crash_in_the_middle_of_applying_a_standards_import_changes_nothing(monkeypatch, sysadmin):
    from standards import services as standard_services
    from standards.exporters import catalog_dict
    from standards.models import CatalogImport, Criterion, Indicator, Regulation

    standard_services.catalogs_load(paths=[standard_services.DATA_DIR / "tt18_2018.json"])
    regulation = Regulation.objects.get(code="TT18/2018")
    data = catalog_dict(regulation)
    data["title"] += " (sửa)"
    for criterion in data["standards"][0]["criteria"]:
        criterion["title"] = "Tiêu đề mới " + criterion["title"]
    catalog_import, errors = standard_services.catalog_import_create(
        content=json.dumps(data, ensure_ascii=False).encode(), file_name="tt18.json", by=sysadmin
    )
    assert not errors
    titles = dict(Criterion.objects.values_list("pk", "title"))
    texts = dict(Indicator.objects.values_list("pk", "text"))
    failing = _fail_on_call(5, standard_services._upsert)
    monkeypatch.setattr(standard_services, "_upsert", failing)

    response = _crash_client(sysadmin).post(reverse("standards:catalog_import_confirm", args=[catalog_import.pk]))
    _assert_friendly_500(response)
    assert failing.calls["n"] == 5
    monkeypatch.undo()
    regulation.refresh_from_db()
    assert "(sửa)" not in regulation.title
    assert dict(Criterion.objects.values_list("pk", "title")) == titles
    assert dict(Indicator.objects.values_list("pk", "text")) == texts
    catalog_import.refresh_from_db()
    assert catalog_import.status == CatalogImport.Status.PENDING
    # Nothing half-done blocks a second try.
    assert _crash_client(sysadmin).post(
        reverse("standards:catalog_import_confirm", args=[catalog_import.pk])
    ).status_code == 302
    regulation.refresh_from_db()
    assert regulation.title.endswith("(sửa)")


@pytest.mark.parametrize("where", ["storing the version", "notifying the district"])
def test_a_crash_during_a_submission_leaves_the_report_as_it_was(
    monkeypatch, principal_a, submittable_report, where, django_capture_on_commit_callbacks
):
    from reviews.models import ReportVersion

    report = submittable_report
    if where == "storing the version":
        monkeypatch.setattr(ReportVersion, "save", _fail_on_call(1, ReportVersion.save))
    else:
        # The district's notifications and their e-mails are already written when it fails.
        from notifications import services as notification_services

        monkeypatch.setattr(notification_services, "_emails_queue",
                            _fail_after(notification_services._emails_queue))
    events_before = Event.objects.count()

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = _crash_client(principal_a).post(reverse("reviews:report_submit", args=[report.pk]))
    _assert_friendly_500(response)
    report.refresh_from_db()
    assert report.status == "draft"
    assert not ReportVersion.objects.filter(report=report).exists()
    assert Event.objects.count() == events_before
    assert not Notification.objects.exists() and not OutboundEmail.objects.exists()
    assert callbacks == [] and mail.outbox == []
    # The school can simply submit again.
    monkeypatch.undo()
    client = Client()
    client.force_login(principal_a)
    assert client.post(reverse("reviews:report_submit", args=[report.pk])).status_code == 302
    report.refresh_from_db()
    assert report.status == "submitted"
