"""Load test: 50 concurrent users for 60 s against gunicorn (4 workers) and PostgreSQL.

    .venv/bin/python -m bench.load.run [--users 50] [--seconds 60]

Prepares a PostgreSQL database with the demo data, starts gunicorn on 127.0.0.1 only, runs
locust headless, and prints p50/p95/p99 and the error count.

The simulated users are signed in before the measured minute (their sessions are created in the
database, as after a morning login): a login costs a PBKDF2 hash of a million iterations by
design, and 50 people do not all sign in within the same five seconds. The login itself is
timed separately, and printed beside the /healthz baseline of the same run. Everything it starts, it stops;
traffic never leaves the loopback interface.
"""

from __future__ import annotations

import argparse
import csv
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PY = sys.executable
BIN = Path(PY).parent
RAMP_SECONDS = 5


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


SESSIONS_SCRIPT = """
import json
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
from importlib import import_module
store_class = import_module(settings.SESSION_ENGINE).SessionStore
result = {{}}
for user in get_user_model().objects.filter(is_active=True):
    store = store_class()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[-1]
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    result[user.username] = store.session_key
open({path!r}, "w").write(json.dumps(result))
"""


def timings(call, times: int) -> list[float]:
    result = []
    for _ in range(times):
        start = time.perf_counter()
        call()
        result.append((time.perf_counter() - start) * 1000)
    return result


def login(host: str) -> None:
    """One real login through the form (GET for the token, then POST)."""
    import http.cookiejar
    import re

    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(f"{host}/accounts/login/", timeout=30).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    data = urllib.parse.urlencode({"username": "cv.dongda1", "password": "Demo@2024kd",
                                   "csrfmiddlewaretoken": token}).encode()
    request = urllib.request.Request(f"{host}/accounts/login/", data=data,
                                     headers={"Referer": f"{host}/accounts/login/"})
    opener.open(request, timeout=30).read()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--workers", type=int, default=4)
    args = parser.parse_args()

    sys.path.insert(0, str(ROOT))
    from bench.common import database_url

    env = {
        **os.environ,
        "DATABASE_URL": database_url("kd_bench_load"),
        "SECRET_KEY": "load-test-only-secret-key-0123456789abcdefghijklmnopqrstuvwxyz",
        "DEBUG": "0",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "0",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        "STATIC_MANIFEST": "0",
        "LOG_LEVEL": "WARNING",
        "LOGIN_FAILURE_LIMIT": "1000",
        "DJANGO_SETTINGS_MODULE": "kiemdinh.settings",
    }
    env.pop("CELERY_BROKER_URL", None)  # the pages must not depend on the broker
    manage = [PY, str(ROOT / "manage.py")]
    for command in (["migrate", "-v0"], ["load_standards"], ["seed_demo", "--quiet-accounts", "--allow-without-debug"]):
        subprocess.run(manage + command, cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)

    sessions = ROOT / "var" / "bench-load-sessions.json"
    sessions.parent.mkdir(exist_ok=True)
    subprocess.run(manage + ["shell", "-c", SESSIONS_SCRIPT.format(path=str(sessions))], cwd=ROOT, env=env, check=True)
    env["LOAD_SESSIONS"] = str(sessions)

    port = free_port()
    host = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [str(BIN / "gunicorn"), "kiemdinh.wsgi", "--workers", str(args.workers), "--bind", f"127.0.0.1:{port}",
         "--log-level", "warning"],
        cwd=ROOT, env=env, start_new_session=True,
    )
    try:
        for _ in range(60):
            try:
                with urllib.request.urlopen(f"{host}/healthz", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                time.sleep(0.5)
        else:
            print("gunicorn did not come up", file=sys.stderr)
            return 1
        healthz = timings(lambda: urllib.request.urlopen(f"{host}/healthz", timeout=10).read(), 50)
        with tempfile.TemporaryDirectory() as tmp:
            prefix = os.path.join(tmp, "stats")
            # The users arrive over RAMP_SECONDS; the figures cover the measured seconds that follow,
            # once all of them are browsing (--reset-stats), so the arrival burst is not counted twice.
            subprocess.run(
                [str(BIN / "locust"), "-f", str(ROOT / "bench" / "load" / "locustfile.py"), "--headless",
                 "-u", str(args.users), "-r", str(max(1, args.users // RAMP_SECONDS)),
                 "-t", f"{args.seconds + RAMP_SECONDS}s", "--reset-stats",
                 "--host", host, "--csv", prefix, "--only-summary", "--loglevel", "WARNING"],
                cwd=ROOT, env=env, check=False, stdout=subprocess.DEVNULL,
            )
            with open(f"{prefix}_stats.csv", newline="") as fh:
                rows = list(csv.DictReader(fh))
        total = next(r for r in rows if r["Name"] == "Aggregated")
        print(f"load: {args.users} users, {args.seconds} s measured after a {RAMP_SECONDS} s ramp, gunicorn {args.workers} workers, "
              f"{os.cpu_count()} cores, PostgreSQL")
        print(f"requests {total['Request Count']}, errors {total['Failure Count']}, "
              f"{float(total['Requests/s']):.1f} req/s")
        print(f"p50 {total['50%']} ms, p95 {total['95%']} ms, p99 {total['99%']} ms, max {total['Max Response Time']} ms")
        worst = sorted((r for r in rows if r["Name"] != "Aggregated"), key=lambda r: -float(r["95%"] or 0))[:5]
        for r in worst:
            print(f"  slowest p95: {r['Name']} {r['95%']} ms ({r['Request Count']} requests, {r['Failure Count']} errors)")
        p95_ok = float(total["95%"]) < 300 and int(total["Failure Count"]) == 0
        print(f"target p95 < 300 ms and no errors: {'met' if p95_ok else 'NOT met'}")
        logins = timings(lambda: login(host), 5)
        print(f"baseline /healthz p50 {statistics.median(healthz):.1f} ms (idle, same run); "
              f"one login p50 {statistics.median(logins):.0f} ms (idle; PBKDF2 by design)")
        return 0
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


if __name__ == "__main__":
    raise SystemExit(main())
