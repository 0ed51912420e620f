"""Shared harness of the benchmark scripts: a database, Django, and timing of pages.

Every script prints its figures next to the /healthz baseline measured in the same run, so a
figure can be read against the speed of the machine at that moment. Timings are server time
through Django's test client (no network), on PostgreSQL when it is reachable.

    from bench.common import setup, measure, report
    client = setup("kd_bench_x")          # creates/migrates the database, returns a Client
    ...prepare data...
    report("district dashboard, 1000 schools", measure(client, "/district/"), measure(client, "/healthz"))
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _postgres_available() -> bool:
    try:
        result = subprocess.run(
            ["pg_isready", "-h", "127.0.0.1", "-p", "5432", "-q"], capture_output=True, timeout=5
        )
        return result.returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


def database_url(name: str) -> str:
    """DATABASE_URL if set; else a PostgreSQL database of this name on 127.0.0.1; else SQLite."""
    if os.environ.get("DATABASE_URL"):
        return os.environ["DATABASE_URL"]
    if _postgres_available():
        subprocess.run(
            ["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", "postgres", "-qc", f"CREATE DATABASE {name}"],
            capture_output=True,
        )
        return f"postgres://postgres@127.0.0.1:5432/{name}"
    print("note: PostgreSQL is not reachable; benchmarking on SQLite", file=sys.stderr)
    return f"sqlite:///{ROOT / 'var' / (name + '.sqlite3')}"


def setup(name: str):
    """Configure Django for a benchmark database, migrate it, and return a test Client."""
    os.environ["DATABASE_URL"] = database_url(name)
    os.environ.setdefault("SECRET_KEY", "benchmark-only-secret-key-0123456789abcdefghijklmnopqrstuvwxyz")
    os.environ.setdefault("DEBUG", "0")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
    os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
    os.environ.setdefault("STATIC_MANIFEST", "0")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ["DJANGO_SETTINGS_MODULE"] = os.environ.get("BENCH_SETTINGS", "kiemdinh.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.template import Template
    from django.test import Client
    from django.test.utils import setup_test_environment

    served_render = Template._render
    setup_test_environment()
    # The test environment wraps every template render to capture its context for assertions, which
    # costs time on include-heavy pages: benchmarks time templates as gunicorn serves them.
    Template._render = served_render
    call_command("migrate", verbosity=0)
    return Client()


def login(client, username: str) -> None:
    from schools.models import User

    client.force_login(User.objects.get(username=username))


def measure(client, url: str, *, runs: int = 30, warmup: int = 3) -> dict:
    """Median and p95 server time of GET url, and its query count (measured on a separate run)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(warmup):
        response = client.get(url)
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    timings.sort()
    return {
        "url": url,
        "median_ms": statistics.median(timings),
        "p95_ms": timings[max(0, int(len(timings) * 0.95) - 1)],
        "queries": len(queries.captured_queries),
        "runs": runs,
    }


def report(label: str, result: dict, baseline: dict | None = None, target_ms: float | None = None) -> None:
    line = (
        f"{label}: median {result['median_ms']:.1f} ms, p95 {result['p95_ms']:.1f} ms, "
        f"{result['queries']} queries ({result['runs']} runs)"
    )
    if baseline is not None:
        line += f" | /healthz baseline median {baseline['median_ms']:.2f} ms"
    if target_ms is not None:
        line += f" | target < {target_ms:.0f} ms: {'met' if result['median_ms'] < target_ms else 'NOT met'}"
    print(line, flush=True)
