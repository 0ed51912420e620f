"""A real Celery worker, over the Redis of CELERY_BROKER_URL, delivers a queued e-mail.

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
from django.conf import settings
from django.db import connection

from conftest import services_required
from kiemdinh.celery import app as celery_app
from notifications import services
from notifications.models import OutboundEmail

ROOT = Path(__file__).resolve().parents[2]


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
def test_a_real_worker_delivers_the_email(principal_a, tmp_path):
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
    queue = f"kiemdinh-test-{os.getpid()}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "kiemdinh.settings_test",
        "DATABASE_URL": test_db_url,
        "CELERY_BROKER_URL": broker,
        "TEST_CELERY_EAGER": "0",
        "TEST_EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "TEST_EMAIL_FILE_PATH": str(mail_dir),
    }
    log_path = tmp_path / "worker.log"
    log = open(log_path, "w")  # noqa: SIM115  closed in finally
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "kiemdinh", "worker", "--pool=solo", "-Q", queue,
         "--without-heartbeat", "--without-mingle", "--without-gossip", "--loglevel=WARNING"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    previous = (celery_app.conf.task_always_eager, celery_app.conf.task_default_queue)
    try:
        celery_app.conf.task_always_eager = False
        celery_app.conf.task_default_queue = queue
        notification = services.notify(user=principal_a, kind="general", title="Thư qua worker thật")
        assert notification is not None
        row = OutboundEmail.objects.get(notification=notification)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            row.refresh_from_db()
            if row.status != "pending":
                break
            time.sleep(0.5)
        assert row.status == "sent", f"still {row.status}; worker log: {log_path.read_text()[-2000:]}"
        files = list(mail_dir.iterdir())
        assert len(files) == 1
        # The file-based backend writes the raw message (one message, then a separator line).
        raw = files[0].read_bytes().split(b"\n" + b"-" * 79)[0]
        message = email.message_from_bytes(raw, policy=email.policy.default)
        assert "Thư qua worker thật" in str(message["subject"])
        assert message["to"] == principal_a.email
    finally:
        celery_app.conf.task_always_eager, celery_app.conf.task_default_queue = previous
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()
        log.close()
    assert settings.CELERY_TASK_ALWAYS_EAGER  # the suite itself stays in-process
