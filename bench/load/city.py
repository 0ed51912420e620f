"""The December peak on two web nodes: `bench/bench_city.py` runs it on the city it built.

Two gunicorn nodes on two loopback ports share the city's PostgreSQL database and a Redis cache;
locust (``bench/load/locust_city.py``) drives ``users`` signed-in people who submit the 20/12
periodic report (principals) and review it (the units' reviewers), every user bound to one node in
turn. The accounts are signed in before the measured minutes (sessions written in bulk), as after
the morning's logins. Prints p50/p95/p99 and requests/s per page kind, and the /healthz baseline of
the same run. Everything it starts, it stops; traffic stays on the loopback interface.
"""

from __future__ import annotations

import csv
import datetime
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
RAMP_SECONDS = 20
WORKERS_PER_NODE = 2
CACHE_URL = "redis://127.0.0.1:6379/13"


def _work(path: Path) -> dict:
    """Sessions for the principals of schools whose report is still a draft and for every
    reviewer, with what each will act on; written to ``path`` for the locust process."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session
    from django.utils import timezone
    from django.utils.crypto import get_random_string

    from evaluations.models import PeriodicReport, ReportingDeadline
    from schools.models import Membership

    expire = timezone.now() + datetime.timedelta(hours=4)
    store = SessionStore()
    sessions = []

    def session_for(user) -> str:
        key = get_random_string(32, "abcdefghijklmnopqrstuvwxyz0123456789")
        data = {SESSION_KEY: str(user.pk), BACKEND_SESSION_KEY: settings.AUTHENTICATION_BACKENDS[-1],
                HASH_SESSION_KEY: user.get_session_auth_hash()}
        sessions.append(Session(session_key=key, session_data=store.encode(data), expire_date=expire))
        return key

    principals = []
    drafts = (PeriodicReport.objects.filter(status="draft", school__reviewing_unit__parent__code="so-bench-city")
              .select_related("school").order_by("?"))
    heads = {m.school_id: m.user for m in Membership.objects.filter(role="principal").select_related("user")}
    for report in drafts:
        principals.append({"session": session_for(heads[report.school_id]), "report": report.pk,
                           "page": f"/evaluations/deadlines/{report.deadline_id}/schools/{report.school_id}/"})
    reviewers = []
    pending: dict[int, list[tuple[int, int]]] = {}
    for report in PeriodicReport.objects.filter(status="submitted").order_by("pk"):
        pending.setdefault(report.deadline_id, []).append((report.pk, report.school_id))
    for membership in (Membership.objects.filter(role="district_reviewer", organisation__parent__code="so-bench-city")
                       .select_related("user").order_by("user__username")):
        reviewers.append({"session": session_for(membership.user), "unit": membership.organisation_id,
                          "username": membership.user.username})
    by_unit = {d.unit_id: d.pk for d in ReportingDeadline.objects.filter(period="semester1",
                                                                           unit__parent__code="so-bench-city")}
    for reviewer in reviewers:
        deadline = by_unit[reviewer["unit"]]
        items = pending.get(deadline, [])
        # The unit's two reviewers split its reports (a and b), so they never act on the same one.
        share = items[0::2] if reviewer["username"].endswith("a") else items[1::2]
        reviewer["reports"] = [{"report": pk, "page": f"/evaluations/deadlines/{deadline}/schools/{school}/"}
                               for pk, school in share]
    Session.objects.bulk_create(sessions, batch_size=2000)
    path.write_text(json.dumps({"principals": principals, "reviewers": reviewers}))
    return {"principals": len(principals), "reviewers": len(reviewers),
            "pending": sum(len(r["reports"]) for r in reviewers)}


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_up(host: str) -> bool:
    for _ in range(120):
        try:
            with urllib.request.urlopen(f"{host}/healthz", timeout=2) as response:
                if response.status == 200:
                    return True
        except OSError:
            time.sleep(0.5)
    return False


def _clear_cache(prefix: str) -> None:
    try:
        import redis

        client = redis.Redis.from_url(CACHE_URL)
        keys = list(client.scan_iter(f"{prefix}:*"))
        if keys:
            client.delete(*keys)
    except Exception as exc:  # noqa: BLE001  a benchmark's leftovers are not worth failing over
        print(f"note: could not clear the bench cache keys: {exc}", file=sys.stderr)


def run(database_url: str, *, users: int = 300, seconds: int = 120) -> dict:
    work = Path(tempfile.mkdtemp(prefix="kd-city-load-"))
    counts = _work(work / "work.json")
    from django.db import connections

    connections.close_all()
    prefix = f"bench-city-{os.getpid()}"
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "SECRET_KEY": os.environ.get("SECRET_KEY", "benchmark-only-secret-key-0123456789abcdefghijklmnopqrstuvwxyz"),
        "DEBUG": "0", "ALLOWED_HOSTS": "127.0.0.1,localhost", "SECURE_SSL_REDIRECT": "0",
        "SESSION_COOKIE_SECURE": "0", "CSRF_COOKIE_SECURE": "0", "STATIC_MANIFEST": "0", "LOG_LEVEL": "WARNING",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "CACHE_URL": CACHE_URL, "CACHE_KEY_PREFIX": prefix, "MEDIA_ROOT": str(work / "media"),
        "DJANGO_SETTINGS_MODULE": "kiemdinh.settings", "CITY_WORK": str(work / "work.json"),
    }
    env.pop("CELERY_BROKER_URL", None)
    nodes, hosts = [], []
    try:
        for _ in range(2):
            port = _free_port()
            hosts.append(f"http://127.0.0.1:{port}")
            nodes.append(subprocess.Popen(
                [str(BIN / "gunicorn"), "kiemdinh.wsgi", "--workers", str(WORKERS_PER_NODE), "--bind", f"127.0.0.1:{port}",
                 "--log-level", "warning", "--timeout", "60"],
                cwd=ROOT, env=env, start_new_session=True))
        if not all(_wait_up(h) for h in hosts):
            print("a gunicorn node did not come up", file=sys.stderr)
            return {}
        healthz = []
        for _ in range(40):
            started = time.perf_counter()
            urllib.request.urlopen(f"{hosts[len(healthz) % 2]}/healthz", timeout=10).read()
            healthz.append((time.perf_counter() - started) * 1000)
        env["LOAD_HOSTS"] = ",".join(hosts)
        stats = work / "stats"
        subprocess.run(
            [str(BIN / "locust"), "-f", str(ROOT / "bench" / "load" / "locust_city.py"), "--headless",
             "-u", str(users), "-r", str(max(1, users // RAMP_SECONDS)), "-t", f"{seconds + RAMP_SECONDS}s",
             "--reset-stats", "--host", hosts[0], "--csv", str(stats), "--only-summary", "--loglevel", "WARNING"],
            cwd=ROOT, env=env, check=False, stdout=subprocess.DEVNULL)
        with open(f"{stats}_stats.csv", newline="") as fh:
            rows = list(csv.DictReader(fh))
        total = next(r for r in rows if r["Name"] == "Aggregated")
        print(f"December peak: {users} users ({counts['principals']} principals with a draft to submit, "
              f"{counts['reviewers']} reviewers with {counts['pending']} reports to review), {seconds} s measured after a "
              f"{RAMP_SECONDS} s ramp; 2 gunicorn nodes × {WORKERS_PER_NODE} workers, one PostgreSQL, Redis cache; "
              f"{os.cpu_count()} cores shared with locust", flush=True)
        print(f"  requests {total['Request Count']}, errors {total['Failure Count']}, {float(total['Requests/s']):.1f} req/s; "
              f"p50 {total['50%']} ms, p95 {total['95%']} ms, p99 {total['99%']} ms, max {total['Max Response Time']} ms",
              flush=True)
        for r in sorted((r for r in rows if r["Name"] != "Aggregated"), key=lambda r: -int(r["Request Count"])):
            print(f"    {r['Type']:4} {r['Name']:<32} {r['Request Count']:>6} requests, {float(r['Requests/s']):5.1f}/s, "
                  f"p50 {r['50%']} ms, p95 {r['95%']} ms, errors {r['Failure Count']}", flush=True)
        print(f"  baseline /healthz p50 {statistics.median(healthz):.1f} ms over HTTP (idle nodes, same run)", flush=True)
        return {"total": total, "rows": rows}
    finally:
        for node in nodes:
            try:
                os.killpg(node.pid, signal.SIGTERM)
                node.wait(timeout=30)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                os.killpg(node.pid, signal.SIGKILL)
        _clear_cache(prefix)
        shutil.rmtree(work, ignore_errors=True)
