"""A real Celery worker, over the Redis of CELERY_BROKER_URL, runs the daily reminder task: it
finds the deadline, sends the reminder task, which queues the e-mail, which the worker delivers.

Needs PostgreSQL (the worker process must see the test database) and Redis; elsewhere it is
skipped with the reason, except in CI (KIEMDINH_REQUIRE_SERVICES=1) where skipping is a failure.
"""

import email
import email.policy
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

from conftest import services_required
from evaluations import tasks
from evaluations.models import ReminderLog
from kiemdinh.celery import app as celery_app
from notifications.models import OutboundEmail

ROOT = Path(__file__).resolve().parents[2]

# The worker publishes the tasks it queues itself (reminder → e-mail) to the test's own queue, so
# that it neither steals nor leaves messages on the default queue another process may be using.
WORKER = """
import os, sys
from kiemdinh.celery import app
queue = os.environ["TEST_CELERY_QUEUE"]
app.conf.task_default_queue = queue
app.worker_main(["worker", "--pool=solo", "-Q", queue, "--without-heartbeat", "--without-mingle",
                 "--without-gossip", "--loglevel=WARNING"])
"""


def _skip_or_fail(reason):
    if services_required():
        pytest.fail(f"required service missing in CI: {reason}")
    pytest.skip(reason)


def _redis_ok(url):
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
        return True
    except Exception:
        return False


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_sends_the_reminder_email_once(semester1, principal_a, tmp_path):
    broker = os.environ.get("CELERY_BROKER_URL", "")
    if not broker.startswith("redis"):
        _skip_or_fail("CELERY_BROKER_URL does not point at Redis")
    if not _redis_ok(broker):
        _skip_or_fail(f"Redis at {broker} does not answer")
    if connection.vendor != "postgresql":
        _skip_or_fail("the worker needs the shared PostgreSQL test database (SQLite in memory is private)")

    db = connection.settings_dict
    test_db_url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    queue = f"kiemdinh-test-reminders-{os.getpid()}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "kiemdinh.settings_test",
        "DATABASE_URL": test_db_url,
        "CELERY_BROKER_URL": broker,
        "TEST_CELERY_EAGER": "0",
        "TEST_CELERY_QUEUE": queue,
        "TEST_EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "TEST_EMAIL_FILE_PATH": str(mail_dir),
    }
    log_path = tmp_path / "worker.log"
    log = open(log_path, "w")  # noqa: SIM115  closed in finally
    worker = subprocess.Popen([sys.executable, "-c", WORKER], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    previous = (celery_app.conf.task_always_eager, celery_app.conf.task_default_queue)
    try:
        celery_app.conf.task_always_eager = False
        celery_app.conf.task_default_queue = queue
        # 07:00 in Hà Nội on 13/12/2026: seven days before the 20/12 deadline. Twice, as a second
        # beat would: the worker must send one e-mail.
        tasks.reminders_dispatch.delay(now="2026-12-13T07:00:00+07:00")
        tasks.reminders_dispatch.delay(now="2026-12-13T07:05:00+07:00")
        deadline = time.monotonic() + 90
        row = None
        while time.monotonic() < deadline:
            row = OutboundEmail.objects.filter(to=principal_a.email).first()
            if row is not None and row.status != "pending":
                break
            time.sleep(0.5)
        assert row is not None and row.status == "sent", f"no e-mail sent; worker log: {log_path.read_text()[-3000:]}"
        time.sleep(1.5)  # let any duplicate work drain: there must be none
        assert OutboundEmail.objects.filter(to=principal_a.email).count() == 1
        assert ReminderLog.objects.filter(school__isnull=False).count() == 1  # school A, once
        files = [f for f in mail_dir.iterdir() if f.stat().st_size]
        messages = [
            email.message_from_bytes(raw, policy=email.policy.default)
            for f in files for raw in f.read_bytes().split(b"\n" + b"-" * 79) if raw.strip()
        ]
        to_principal = [m for m in messages if m["to"] == principal_a.email]
        assert len(to_principal) == 1
        assert "Còn 7 ngày" in str(to_principal[0]["subject"])
        assert "20/12/2026" in str(to_principal[0]["subject"])
    finally:
        celery_app.conf.task_always_eager, celery_app.conf.task_default_queue = previous
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()
        log.close()
