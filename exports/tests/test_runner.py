"""The embedded default (no broker): the dossier request returns at once, the job runs in the runner's
thread, and its progress reaches the status URL while it runs.

The build is a controllable fake: it records a step, then waits for the test's signal. Nothing here
depends on timing: if the request ran the build itself, the job would be done when it returns.
"""

from __future__ import annotations

import json
import threading
import time
import uuid

import pytest
from django.urls import reverse

from exports import builders, services
from exports import runner as runner_module
from exports.models import ExportJob

pytestmark = pytest.mark.django_db(transaction=True)  # the runner's thread reads committed rows


class GatedBuild:
    """A build that reports a step and then waits until the test releases it."""

    def __init__(self):
        self.progressed = threading.Event()
        self.release = threading.Event()
        self.thread_id = None

    def __call__(self, job, progress):
        import io

        self.thread_id = threading.get_ident()
        progress(40, "Đang tạo báo cáo của Trường THCS A (1/2)")
        self.progressed.set()
        # Bounded: a runner that worked inside the request would end here and the test would fail
        # on the job's status instead of hanging.
        self.release.wait(30)
        return "ho-so.zip", "application/zip", io.BytesIO(b"PK\x05\x06" + b"\x00" * 18), {}


@pytest.fixture
def gated(monkeypatch, runner):
    build = GatedBuild()
    monkeypatch.setitem(builders.BUILDERS, ExportJob.Kind.DOSSIER, build)
    yield build
    build.release.set()  # never leave the runner's thread waiting


def _drain(door):
    """Let the runner build everything it holds, and wait until it is idle."""
    door.set()
    assert runner_module.wait_idle(300), "the runner's jobs did not end"
    door.clear()


def _status(client, job) -> dict:
    response = client.get(reverse("exports:job_status", kwargs={"uuid": job.uuid}))
    assert response.status_code == 200
    return json.loads(response.content)


def _until(condition, what: str, limit: float = 30):
    deadline = time.monotonic() + limit
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} did not happen")
        time.sleep(0.05)


def test_the_request_returns_before_the_build_and_the_status_follows_it(client, reviewer, round_a, runner, gated):
    client.force_login(reviewer)
    response = client.post(reverse("exports:dossier_build", kwargs={"pk": round_a.pk}), {"include_files": ""})
    job = ExportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("exports:job_detail", kwargs={"uuid": job.uuid})
    # Back from the request with the build not finished: it runs elsewhere.
    assert job.status in (ExportJob.Status.QUEUED, ExportJob.Status.RUNNING)
    assert not gated.release.is_set()

    page = client.get(response["Location"]).content.decode()
    assert "data-job-bar" in page and "exports/progress.js" in page and "Đang chờ" in page

    runner.set()
    assert gated.progressed.wait(30), "the runner never started the build"
    assert gated.thread_id != threading.get_ident()  # not in the test's (the request's) thread
    status = _status(client, job)
    assert status["status"] == "running" and status["active"] is True
    assert status["progress"] == 40 and "(1/2)" in status["step"]
    assert status["download_url"] == ""

    gated.release.set()
    assert runner_module.wait_idle(60), "the build did not end"
    status = _status(client, job)
    assert status["progress"] == 100 and status["download_url"] == reverse(
        "exports:job_download", kwargs={"uuid": job.uuid})
    assert client.get(status["download_url"])["Content-Type"] == "application/zip"


def test_a_failing_build_ends_failed_with_a_message_and_the_runner_goes_on(client, reviewer, round_a, runner,
                                                                           monkeypatch):
    def broken(job, progress):
        raise RuntimeError("boom")

    monkeypatch.setitem(builders.BUILDERS, ExportJob.Kind.DOSSIER, broken)
    client.force_login(reviewer)
    client.post(reverse("exports:dossier_build", kwargs={"pk": round_a.pk}), {"include_files": ""})
    job = ExportJob.objects.get()
    _drain(runner)
    status = _status(client, job)
    assert status["status"] == "failed" and status["active"] is False
    assert "Có lỗi khi tạo tệp" in status["error"]
    page = client.get(reverse("exports:job_detail", kwargs={"uuid": job.uuid})).content.decode()
    assert "Có lỗi khi tạo tệp" in page and "Tạo lại" in page

    # The same runner builds the next job.
    build = GatedBuild()
    build.release.set()
    monkeypatch.setitem(builders.BUILDERS, ExportJob.Kind.DOSSIER, build)
    client.post(reverse("exports:job_retry", kwargs={"uuid": job.uuid}))
    _drain(runner)
    assert _status(client, job)["status"] == "done"


def test_asking_again_for_a_job_whose_worker_stopped_hands_it_over_again(client, reviewer, round_a, runner,
                                                                         gated):
    """A restart of the web process in the middle of a build: the row stays 'running' without heartbeat."""
    import datetime

    from django.utils import timezone

    gated.release.set()
    old = timezone.now() - datetime.timedelta(hours=2)
    job = ExportJob.objects.create(kind=ExportJob.Kind.DOSSIER, title="Hồ sơ", organisation=round_a.unit,
                                   requested_by=reviewer, params={"round": round_a.pk, "include_files": False},
                                   status=ExportJob.Status.RUNNING, attempts=1, started_at=old, heartbeat_at=old)
    again, created = services.export_job_request(kind=ExportJob.Kind.DOSSIER, params=dict(job.params),
                                                 title="Hồ sơ", organisation=round_a.unit, by=reviewer)
    assert again.pk == job.pk and not created
    client.force_login(reviewer)
    _drain(runner)
    assert _status(client, job)["status"] == "done"


def test_the_thread_closes_its_connections_after_each_job_and_stop_ends_it(client, reviewer, round_a, runner,
                                                                          monkeypatch):
    """No connection of the runner's thread outlives its job (PostgreSQL could not drop the database
    of a finished test run while one was open); ``stop`` ends the thread, and a later job starts one."""
    from django.db import connection, connections

    held = runner_module.run
    seen: list[bool] = []

    def observing(job_id):
        # At the start of each job, this thread holds no connection (the last job's was closed).
        # (SQLite's in-memory test database is the exception: Django never closes it, or it would be lost.)
        here = connections["default"]
        seen.append(here.connection is None or (here.vendor == "sqlite" and here.is_in_memory_db()))
        held(job_id)

    def others() -> int:
        """Sessions on the test database besides the test's own (PostgreSQL)."""
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                           "AND pid <> pg_backend_pid()")
            return cursor.fetchone()[0]

    before = others() if connection.vendor == "postgresql" else 0
    monkeypatch.setattr(runner_module, "run", observing)
    build = GatedBuild()
    build.release.set()
    monkeypatch.setitem(builders.BUILDERS, ExportJob.Kind.DOSSIER, build)
    client.force_login(reviewer)
    url = reverse("exports:dossier_build", kwargs={"pk": round_a.pk})
    for _ in range(2):  # the first is done before the second is asked for: two jobs
        client.post(url, {"include_files": ""})
        _drain(runner)
    assert list(ExportJob.objects.values_list("status", flat=True)) == ["done", "done"]
    assert seen == [True, True]
    assert runner_module.is_alive()

    assert runner_module.stop(timeout=30)
    assert not runner_module.is_alive()
    if connection.vendor == "postgresql":
        # The runner's thread left no session on the test database.
        assert others() == before

    # After a stop the next job starts a new thread.
    client.post(url, {"include_files": ""})
    _drain(runner)
    assert ExportJob.objects.filter(status="done").count() == 3 and seen == [True, True, True]


def test_the_status_url_is_the_job_page_s_audience_only(client, reviewer, other_reviewer, principal_a, round_a):
    job = ExportJob.objects.create(kind=ExportJob.Kind.DOSSIER, title="Hồ sơ", organisation=round_a.unit,
                                   requested_by=reviewer, params={"round": round_a.pk},
                                   status=ExportJob.Status.RUNNING, progress=30, step="Đang tạo công văn")
    url = reverse("exports:job_status", kwargs={"uuid": job.uuid})
    for outsider in (other_reviewer, principal_a):
        client.force_login(outsider)
        response = client.get(url)
        assert response.status_code == 404 and "Đang tạo công văn" not in response.content.decode()
    client.force_login(reviewer)
    assert client.get(reverse("exports:job_status", kwargs={"uuid": uuid.uuid4()})).status_code == 404
    assert client.get(url.replace(str(job.uuid), "not-a-uuid")).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302  # to the login page


def test_without_a_broker_the_settings_choose_the_in_process_runner():
    """settings.py itself (not the test settings): no CELERY_BROKER_URL → in-process; a broker → Celery."""
    import os
    import subprocess  # nosec B404
    import sys

    code = "from django.conf import settings; print(settings.EXPORT_JOBS_IN_PROCESS)"
    base = {k: v for k, v in os.environ.items() if k not in ("CELERY_BROKER_URL", "EXPORT_JOBS_IN_PROCESS")}
    base.update({"DJANGO_SETTINGS_MODULE": "kiemdinh.settings", "DEBUG": "1"})
    embedded = subprocess.run([sys.executable, "-c", code], env=base, capture_output=True, text=True,  # nosec B603
                              check=True)
    broker = subprocess.run([sys.executable, "-c", code], env={**base, "CELERY_BROKER_URL": "redis://127.0.0.1:1/0"},
                            capture_output=True, text=True, check=True)  # nosec B603
    assert embedded.stdout.strip() == "True" and broker.stdout.strip() == "False"
