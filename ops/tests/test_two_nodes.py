"""The proof that kiemdinh runs on several nodes (issue 19, item 4), on this machine.

Two gunicorn nodes (A and B, two workers each, the production settings), a Celery worker and Celery
beat run against one brand-new PostgreSQL database (created and migrated here, not the suite's test
database), the Redis of CELERY_BROKER_URL (a dedicated database number, queue and cache key prefix)
and a fresh bucket on the loopback S3 server. A requests session talks real HTTP to the nodes:

- the principal logs in on A, uploads an evidence file through A and downloads it through B byte
  for byte (the session, the row and the file are shared, none of them node-local);
- the principal submits on A; the reviewer starts the review, comments, closes the comment and
  accepts on B;
- the report's PDF is asked for on B and on A at once: the worker renders it once (one
  ``exports.report.built`` event without ``copied_from``) and both nodes serve the same bytes;
- node A is killed (SIGKILL of its process group) while a thread writes evidence to both nodes:
  every write a node acknowledged is in the database with its file in the bucket, and B goes on;
- beat sends the daily reminder task every two seconds for 13/12/2026 07:00 (seven days before the
  20/12 deadline), at least twice: one reminder and one notification per deadline and school.

Needs PostgreSQL, Redis and the S3 server (`bash .ci/run` starts them); it skips with the reason
without them, and fails in CI (KIEMDINH_REQUIRE_SERVICES=1). `make twonode` runs it alone.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import secrets
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlparse

import pytest
from django.urls import reverse

from conftest import s3_environment, services_required
from kiemdinh.testing import free_port

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.s3]

# 13/12/2026 07:00 in Hà Nội: the 7-days-before reminder of the unit's 20/12 deadline is due.
REMINDER_NOW = "2026-12-13T07:00:00+07:00"
BEAT_SECONDS = 2.0
# Beat with the installation's own schedule (kiemdinh/celery.py, settings.CELERY_BEAT_SCHEDULE) plus
# the daily reminder entry every BEAT_SECONDS for the day above, so the test sees several beats.
BEAT = """
import os
from kiemdinh.celery import app
schedule = dict(app.conf.beat_schedule)
schedule["twonode-reminders"] = {"task": "evaluations.tasks.reminders_dispatch",
                                 "schedule": float(os.environ["TWONODE_BEAT_SECONDS"]),
                                 "kwargs": {"now": os.environ["TWONODE_NOW"]}}
app.conf.beat_schedule = schedule
app.start(["beat", "--schedule", os.environ["TWONODE_BEAT_FILE"], "--loglevel=INFO"])
"""


def _skip_or_fail(reason: str):
    if services_required():
        pytest.fail(f"required service missing in CI: {reason}")
    pytest.skip(reason)


def _postgres_server() -> str:
    """The PostgreSQL server of DATABASE_URL (any database on it), else the machine's on loopback."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        url = os.environ.get("TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    return url


def _with_database(url: str, name: str) -> str:
    parsed = urlparse(url)
    return parsed._replace(path=f"/{name}").geturl()


def _redis_url(db: int) -> str:
    """The Redis of CELERY_BROKER_URL (else loopback), on database ``db`` of its own."""
    broker = os.environ.get("CELERY_BROKER_URL", "") or "redis://127.0.0.1:6379/0"
    if not broker.startswith("redis://"):
        _skip_or_fail(f"CELERY_BROKER_URL={broker!r} is not a Redis URL")
    parsed = urlparse(broker)
    return parsed._replace(path=f"/{db}").geturl()


class Processes:
    """Child processes, each the leader of its own process group (gunicorn's master and its workers,
    celery's pool), logged to files; stopped group by group, never by name."""

    def __init__(self, logs: Path):
        self.logs = logs
        self.running: dict[str, subprocess.Popen] = {}
        self.files = []

    def start(self, name: str, argv: list[str], env: dict[str, str]) -> subprocess.Popen:
        log = open(self.logs / f"{name}.log", "wb")  # noqa: SIM115  closed in stop_all
        self.files.append(log)
        process = subprocess.Popen(  # nosec B603  # our own interpreter and modules
            argv, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        self.running[name] = process
        return process

    def log(self, name: str) -> str:
        return (self.logs / f"{name}.log").read_text(encoding="utf-8", errors="replace")

    def kill(self, name: str, sig=signal.SIGKILL) -> None:
        process = self.running[name]
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            pass
        process.wait(timeout=20)

    def stop_all(self) -> None:
        for process in self.running.values():
            if process.poll() is None:
                try:
                    os.killpg(process.pid, signal.SIGTERM)
                except ProcessLookupError:
                    pass
        deadline = time.monotonic() + 15
        for process in self.running.values():
            try:
                process.wait(timeout=max(deadline - time.monotonic(), 0.1))
            except subprocess.TimeoutExpired:
                pass
        for process in self.running.values():
            # Whatever is left of a group (a worker its master did not take down) is killed.
            try:
                os.killpg(process.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
            if process.poll() is None:
                process.wait(timeout=10)
        for log in self.files:
            log.close()


class Node:
    """One web node: its base URL, and requests through a user's session."""

    def __init__(self, name: str, port: int):
        self.name, self.url = name, f"http://127.0.0.1:{port}"

    def get(self, session, path: str, **kwargs):
        return session.get(self.url + path, timeout=kwargs.pop("timeout", 30), allow_redirects=False, **kwargs)

    def post(self, session, path: str, data: dict | None = None, **kwargs):
        # The CSRF cookie is shared by both nodes (same host, same SECRET_KEY): any node's token works.
        payload = {"csrfmiddlewaretoken": session.cookies.get("csrftoken", ""), **(data or {})}
        return session.post(self.url + path, data=payload, timeout=kwargs.pop("timeout", 30),
                            allow_redirects=False, headers={"Referer": self.url + path}, **kwargs)


def _wait_healthy(node: Node, processes: Processes, name: str, timeout: float = 60) -> dict:
    import requests

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if processes.running[name].poll() is not None:
            pytest.fail(f"{name} exited at start:\n{processes.log(name)[-3000:]}")
        try:
            answer = requests.get(node.url + "/healthz", timeout=5)
            if answer.status_code == 200:
                return answer.json()
        except requests.RequestException:
            pass
        time.sleep(0.3)
    pytest.fail(f"{name} did not answer /healthz within {timeout} s:\n{processes.log(name)[-3000:]}")


def _login(node: Node, username: str, password: str):
    import requests

    session = requests.Session()
    page = node.get(session, reverse("login"))
    assert page.status_code == 200, page.status_code
    answer = node.post(session, reverse("login"), {"username": username, "password": password})
    assert answer.status_code == 302 and answer.headers["Location"] != reverse("login"), answer.text[:2000]
    return session


def _pdf(label: str) -> bytes:
    from evidence.demo import tiny_pdf

    return tiny_pdf([f"Minh chung {label}", secrets.token_hex(16)])


def _upload(node: Node, session, school: int, criterion: int, name: str, content: bytes) -> int | None:
    """Evidence with a file through ``node``; its id when the node acknowledged the write (the
    redirect to the new item), None when it answered otherwise."""
    answer = node.post(session, reverse("evidence:evidence_create", kwargs={"school_pk": school}),
                       {"name": name, "criterion": str(criterion)},
                       files={"upload": (f"{name}.pdf", content, "application/pdf")})
    found = re.fullmatch(r"/evidence/(\d+)/", answer.headers.get("Location", "")) if answer.status_code == 302 else None
    return int(found.group(1)) if found else None


def _wait_job(node: Node, session, job_url: str, processes: Processes, timeout: float = 120) -> dict:
    deadline = time.monotonic() + timeout
    state: dict = {}
    while time.monotonic() < deadline:
        answer = node.get(session, job_url + "status/")
        assert answer.status_code == 200, answer.status_code
        state = answer.json()
        if not state["active"]:
            return state
        time.sleep(0.5)
    pytest.fail(f"the export job did not end: {state}\n{processes.log('worker')[-3000:]}")


class Database:
    """The proof's own database on the PostgreSQL server: created, read with plain SQL, dropped."""

    def __init__(self, server: str, name: str):
        import psycopg2

        self.server, self.name = server, name
        self.url = _with_database(server, name)
        self._connect = lambda url: psycopg2.connect(url, connect_timeout=5)

    def admin(self, sql: str) -> None:
        connection = self._connect(self.server)
        connection.autocommit = True
        try:
            with connection.cursor() as cursor:
                cursor.execute(sql)
        finally:
            connection.close()

    def rows(self, sql: str, params: tuple = ()) -> list[tuple]:
        connection = self._connect(self.url)
        try:
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                return cursor.fetchall()
        finally:
            connection.close()


def _manage(args: list[str], env: dict[str, str], timeout: int = 180) -> str:
    done = subprocess.run(  # nosec B603  # our own interpreter and manage.py
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, f"manage.py {' '.join(args)}:\n{done.stdout[-2000:]}\n{done.stderr[-3000:]}"
    return done.stdout


@pytest.fixture
def services():
    """The three services, or the reason they are missing."""
    import psycopg2
    import redis

    server = _postgres_server()
    try:
        psycopg2.connect(server, connect_timeout=3).close()
    except Exception as exc:
        _skip_or_fail(f"no PostgreSQL answers at {server}: {exc}")
    redis_url = _redis_url(int(os.environ.get("TWONODE_REDIS_DB", "14")))
    client = redis.Redis.from_url(redis_url, socket_connect_timeout=2)
    try:
        client.ping()
    except Exception as exc:
        _skip_or_fail(f"no Redis answers at {redis_url}: {exc}")
    finally:
        client.close()
    return {"postgres": server, "redis": redis_url}


def test_two_nodes_share_everything(services, s3_buckets, tmp_path):
    import redis
    import requests

    run = f"{os.getpid()}_{secrets.token_hex(4)}"
    database = Database(services["postgres"], f"kiemdinh_twonode_{run}")
    bucket = s3_buckets.new()
    queue, prefix = f"kiemdinh-twonode-{run}", f"kiemdinh-twonode-{run}"
    redis_client = redis.Redis.from_url(services["redis"])
    logs = tmp_path / "logs"
    logs.mkdir()
    ports = {"a": free_port(), "b": free_port()}
    node_a, node_b = Node("a", ports["a"]), Node("b", ports["b"])
    inherited = {k: v for k, v in os.environ.items()
                 if not k.startswith(("AWS_", "DATABASE_URL", "CACHE_", "REDIS_URL", "CELERY_", "TEST_", "DJANGO_",
                                      "PYTEST", "EXPORT_", "MEDIA_ROOT", "EMAIL_", "KIEMDINH_"))}
    env = {
        **inherited,
        # The production settings, as a deployment sets them (README "Running in production").
        "DJANGO_SETTINGS_MODULE": "kiemdinh.settings", "DEBUG": "0", "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1", "SITE_URL": node_a.url, "SECURE_SSL_REDIRECT": "0",
        "SESSION_COOKIE_SECURE": "0", "CSRF_COOKIE_SECURE": "0", "SECURE_HSTS_SECONDS": "0", "STATIC_MANIFEST": "0",
        "DATABASE_URL": database.url, "CELERY_BROKER_URL": services["redis"], "CELERY_QUEUE": queue,
        "CACHE_URL": services["redis"], "CACHE_KEY_PREFIX": prefix, **s3_environment(bucket),
        "KIEMDINH_VAR_DIR": str(tmp_path / "var"), "MEDIA_ROOT": str(tmp_path / "no-local-media"),
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend", "EMAIL_FILE_PATH": str(tmp_path / "mail"),
        "LOG_LEVEL": "INFO", "PYTHONUNBUFFERED": "1",
        "TWONODE_NOW": REMINDER_NOW, "TWONODE_BEAT_SECONDS": str(BEAT_SECONDS),
        "TWONODE_BEAT_FILE": str(tmp_path / "celerybeat-schedule"),
    }
    processes = Processes(logs)
    sessions = []
    started = time.monotonic()
    timings: dict[str, float] = {}

    def lap(name):
        timings[name] = round(time.monotonic() - started, 1)

    database.admin(f'CREATE DATABASE "{database.name}"')
    try:
        # The nodes and the worker boot (imports, no query) while the database is migrated and seeded.
        gunicorn = [sys.executable, "-m", "gunicorn", "kiemdinh.wsgi", "--workers", "2", "--timeout", "60",
                    "--graceful-timeout", "5", "--access-logfile", "-"]
        processes.start("node_a", [*gunicorn, "--bind", f"127.0.0.1:{ports['a']}"], env)
        processes.start("node_b", [*gunicorn, "--bind", f"127.0.0.1:{ports['b']}"], env)
        processes.start("worker", [sys.executable, "-m", "celery", "-A", "kiemdinh", "worker", "--concurrency=2",
                                   "--without-heartbeat", "--without-mingle", "--without-gossip", "--loglevel=INFO"], env)
        _manage(["migrate", "--noinput"], env)
        lap("migrated")
        seeded = _manage(["shell", "-c", "from ops.tests.twonode_world import main; main()"], env)
        world = json.loads(next(line for line in seeded.splitlines() if line.startswith("TWONODE "))[8:])
        from ops.tests.twonode_world import PASSWORD

        lap("seeded")
        processes.start("beat", [sys.executable, "-c", BEAT], env)
        for node in (node_a, node_b):
            health = _wait_healthy(node, processes, f"node_{node.name}")
            assert health["checks"] == {"database": "ok", "redis": "ok", "storage": "ok"}, health

        lap("nodes up")
        # 1. Log in on A; the session (in the database) is valid on B too.
        principal = _login(node_a, "principal_a", PASSWORD)
        sessions.append(principal)
        library = reverse("evidence:evidence_list", kwargs={"school_pk": world["school_a"]})
        assert node_b.get(principal, library).status_code == 200

        # 2. Upload through A, download through B, byte for byte.
        content = _pdf("upload-a")
        uploaded = _upload(node_a, principal, world["school_a"], world["criterion"], "Biên bản họp hội đồng", content)
        assert uploaded is not None
        download = node_b.get(principal, reverse("evidence:evidence_download", kwargs={"pk": uploaded}))
        assert download.status_code == 200 and download.content == content
        [(stored_name,)] = database.rows("SELECT file FROM evidence_evidence WHERE id = %s", (uploaded,))
        assert stored_name in s3_buckets.keys(bucket)  # in the bucket, not on a node's disk
        assert not (tmp_path / "no-local-media").exists()

        lap("upload and download")
        # 3. Submit on A; review on B: start, comment, close the comment, accept.
        report = world["report"]
        answer = node_a.post(principal, reverse("reviews:report_submit", kwargs={"pk": report}))
        assert answer.status_code == 302
        assert database.rows("SELECT status FROM selfassessment_report WHERE id = %s", (report,)) == [("submitted",)]
        reviewer = _login(node_b, "reviewer", PASSWORD)
        sessions.append(reviewer)
        assert node_b.post(reviewer, reverse("reviews:report_start_review", kwargs={"pk": report})).status_code == 302
        answer = node_b.post(reviewer, reverse("reviews:thread_create", kwargs={"pk": report}),
                             {"version": "1", "text": "Đề nghị bổ sung minh chứng cho tiêu chí 1.1."})
        assert answer.status_code == 302, answer.status_code
        [(thread,)] = database.rows("SELECT id FROM reviews_commentthread WHERE report_id = %s", (report,))
        assert node_b.post(reviewer, reverse("reviews:thread_resolve", kwargs={"pk": thread})).status_code == 302
        assert node_b.post(reviewer, reverse("reviews:report_accept", kwargs={"pk": report})).status_code == 302
        assert database.rows("SELECT status FROM selfassessment_report WHERE id = %s", (report,)) == [("accepted",)]

        # The dashboard's per-school summaries are cached in the shared Redis (CACHE_URL), not in a node.
        assert node_a.get(reviewer, reverse("reviews:district_dashboard")).status_code == 200
        cached = [key.decode() for key in redis_client.scan_iter(f"{prefix}:*")]
        assert any("criterion-summary" in key for key in cached), cached
        assert node_b.get(reviewer, reverse("reviews:district_dashboard")).status_code == 200
        lap("submit and review")
        # 4. The PDF of version 1 asked for on B (the reviewer) and on A (the principal) at once.
        pdf_request = reverse("exports:report_request", kwargs={"pk": report, "fmt": "pdf"})
        asked: dict[str, str] = {}

        def ask(node, session, who):
            asked[who] = node.post(session, pdf_request).headers.get("Location", "")

        askers = [threading.Thread(target=ask, args=(node_b, reviewer, "reviewer")),
                  threading.Thread(target=ask, args=(node_a, principal, "principal"))]
        for asker in askers:
            asker.start()
        for asker in askers:
            asker.join(60)
        assert all(re.fullmatch(r"/exports/jobs/[0-9a-f-]+/", url) for url in asked.values()), asked
        pdfs = {}
        for who, session, node, other in (("reviewer", reviewer, node_b, node_a), ("principal", principal, node_a, node_b)):
            state = _wait_job(node, session, asked[who], processes)
            assert state["done"], state
            # Each downloads through the other node.
            answer = other.get(session, state["download_url"])
            assert answer.status_code == 200 and answer.content.startswith(b"%PDF"), answer.status_code
            pdfs[who] = answer.content
        assert pdfs["reviewer"] == pdfs["principal"]
        built = database.rows("SELECT data FROM audit_event WHERE action = 'exports.report.built'")
        renders = [data for (data,) in built if "copied_from" not in data]
        assert len(renders) == 1, built  # rendered once, whoever asked and on whichever node

        lap("pdf")
        # 5. Node A dies (SIGKILL) while a thread writes evidence through both nodes in turn.
        acknowledged: dict[int, tuple[str, str, str]] = {}
        refused: list[tuple[str, str]] = []
        killed = threading.Event()
        after_kill = {"a": 0, "b": 0}

        def writer():
            n = 0
            while n < 200 and not (killed.is_set() and after_kill["b"] >= 6):
                node = (node_a, node_b)[n % 2]
                name, data = f"Ghi {n:03d} qua nút {node.name.upper()}", _pdf(f"write-{n}")
                n += 1
                try:
                    pk = _upload(node, principal, world["school_a"], world["criterion"], name, data)
                except requests.RequestException as exc:
                    refused.append((node.name, type(exc).__name__))
                    continue
                finally:
                    if killed.is_set():
                        after_kill[node.name] += 1
                if pk is None:
                    refused.append((node.name, "not acknowledged"))
                else:
                    acknowledged[pk] = (name, hashlib.sha256(data).hexdigest(), node.name)

        thread = threading.Thread(target=writer)
        thread.start()
        deadline = time.monotonic() + 60
        while len(acknowledged) < 6 and time.monotonic() < deadline and thread.is_alive():
            time.sleep(0.05)
        processes.kill("node_a")
        killed.set()
        thread.join(120)
        assert not thread.is_alive()
        assert len(acknowledged) >= 6
        assert any(node == "a" for node, _ in refused), refused  # A was down for the rest of the run
        assert all(node == "a" for node, _ in refused), refused  # B refused nothing
        assert sum(1 for *_, node in acknowledged.values() if node == "b") >= 6
        rows = {pk: (name, sha, file) for pk, name, sha, file in database.rows(
            "SELECT id, name, sha256, file FROM evidence_evidence WHERE school_id = %s AND id <> %s",
            (world["school_a"], uploaded))}
        for pk, (name, sha, _node) in acknowledged.items():
            assert rows.get(pk, (None, None))[:2] == (name, sha), f"acknowledged write {pk} lost"
        keys = set(s3_buckets.keys(bucket))
        for pk, (_name, sha, file) in rows.items():
            # Nothing half-written either: every row's file is in the bucket with the row's hash.
            assert file in keys, f"evidence {pk} has no file in the bucket"
            body = s3_buckets.client.get_object(Bucket=bucket, Key=file)["Body"].read()
            assert hashlib.sha256(body).hexdigest() == sha
        assert node_b.get(principal, library).status_code == 200

        lap("kill")
        # 6. Reminders: beat has sent the daily task at least twice; one reminder per deadline and school.
        deadline = time.monotonic() + 60
        dispatched = 0
        while time.monotonic() < deadline:
            dispatched = len(re.findall(r"reminders_dispatch\[[^\]]+\] succeeded", processes.log("worker")))
            pending = redis_client.llen(queue)
            if dispatched >= 2 and pending == 0:
                break
            time.sleep(0.5)
        assert dispatched >= 2, processes.log("beat")[-2000:] + processes.log("worker")[-3000:]
        time.sleep(1)  # the reminder tasks of the last dispatch finish
        reminders = database.rows(
            "SELECT reporting_deadline_id, school_id, kind, days, count(*) FROM evaluations_reminderlog "
            "GROUP BY reporting_deadline_id, school_id, kind, days")
        assert any(school == world["school_b"] and (kind, days) == ("before", 7) and deadline in world["deadlines"]
                   for deadline, school, kind, days, _count in reminders), reminders
        assert all(count == 1 for *_, count in reminders), reminders
        notified = database.rows(
            "SELECT user_id, title, count(*) FROM notifications_notification WHERE kind = 'deadline_reminder' "
            "GROUP BY user_id, title")
        assert notified and all(count == 1 for *_, count in notified), notified
        assert {user for user, *_ in notified} >= {world["users"]["principal_b"]}
        lap("reminders")
        print(f"two-node proof, seconds since start: {timings}; writes acknowledged {len(acknowledged)}, "
              f"refused {refused}; reminder dispatches {dispatched}")
    finally:
        processes.stop_all()
        try:
            database.admin(f'DROP DATABASE IF EXISTS "{database.name}" WITH (FORCE)')
        finally:
            for key in redis_client.scan_iter(f"{prefix}:*"):
                redis_client.delete(key)
            redis_client.delete(queue, f"_kombu.binding.{queue}", f"_kombu.binding_permanent.{queue}")
            redis_client.close()
            for session in sessions:
                session.close()  # no socket left for a later test's garbage collection to warn about
