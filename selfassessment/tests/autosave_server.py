"""A real server on the embedded default (a SQLite file) for the autosave browser tests.

The live-server fixture of pytest-django shares the test database with the test (in memory, or
PostgreSQL in CI) and serialises nothing like a deployment does. Finding 10 of issue #13 ("database
is locked" with three principals saving at once) only shows on a SQLite *file* written by several
server threads, so these tests migrate a file of their own and run ``manage.py runserver`` on it,
as ``make run`` does, whatever DATABASE_URL the suite itself uses. The server can be stopped and
started again on the same port and file (the "server down for 10 s" test).
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from django.conf import settings

from kiemdinh.testing import free_port

PASSWORD = "Secret-pass-123"  # the factories' password (root conftest)


def _env(db_file: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "CELERY_BROKER_URL"}}
    env.update({
        "DATABASE_URL": f"sqlite:///{db_file}",
        "DJANGO_SETTINGS_MODULE": "kiemdinh.settings_test",
        "DEBUG": "1",  # plain-HTTP cookies on 127.0.0.1
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "PYTHONUNBUFFERED": "1",
    })
    return env


def _python(args: list[str], db_file: Path) -> subprocess.CompletedProcess:
    done = subprocess.run([sys.executable, *args], cwd=settings.BASE_DIR, env=_env(db_file),  # nosec B603
                          capture_output=True, text=True, timeout=600)
    if done.returncode:
        raise RuntimeError(f"{' '.join(args[:2])} failed: {done.stderr[-3000:]}")
    return done


SEED = r"""
import json, django
django.setup()
from schools.models import Membership
from schools.tests.factories import DepartmentFactory, MembershipFactory, SchoolFactory, SchoolYearFactory, UnitFactory, UserFactory
from selfassessment import schooldata, services
from selfassessment.models import CouncilMember, Passage
from selfassessment.tests.factories import criterion, load_catalog

department = DepartmentFactory()
load_catalog()
year = SchoolYearFactory()
def person(username, role, school):
    user = UserFactory(username=username, email=f"{username}@example.vn")
    MembershipFactory(user=user, role=role, school=school)
    return user
out = {}
for code, district in (("A", "pgd-a"), ("C", "pgd-c")):
    unit = UnitFactory(code=district, name=f"Phòng GD&ĐT {code}", parent=department)
    school = SchoolFactory(code=f"{code}-THCS-01", name=f"Trường THCS {code}", reviewing_unit=unit)
    principal = person(f"principal_{code.lower()}", Membership.Role.PRINCIPAL, school)
    report = services.report_create(school=school, school_year=year, kind="periodic", by=principal)
    out[code] = {"report": report.pk, "criteria": {n: criterion(report, n).pk for n in ("1.1", "1.2", "2.1")},
                 "texts": {p.key: p.pk for p in Passage.objects.filter(report=report)}}
    if code == "A":
        # The council's secretary writes the whole report beside the principal.
        staff = person("staff_a", Membership.Role.SCHOOL_STAFF, school)
        services.council_member_save(report=report, member=CouncilMember(full_name="Trần Thư Ký", role="secretary"),
                                     by=principal, user=staff)
out["years"] = schooldata.school_years(year.code)
print(json.dumps(out))
"""


def prepare(folder: Path) -> tuple[Path, dict]:
    """A migrated and seeded SQLite file (two schools, three writers); the seed's ids."""
    db_file = folder / "template.sqlite3"
    _python(["manage.py", "migrate", "--no-input", "--skip-checks", "-v0"], db_file)
    seeded = _python(["-c", SEED], db_file)
    return db_file, json.loads(seeded.stdout.strip().splitlines()[-1])


def copy_db(template: Path, target: Path) -> Path:
    with sqlite3.connect(template) as source:  # a consistent copy even of a WAL file
        source.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    shutil.copyfile(template, target)
    return target


class Server:
    """``manage.py runserver`` (threaded, as ``make run``) on a SQLite file; stop() and start() again."""

    def __init__(self, db_file: Path, log: Path):
        self.db_file, self.log_path = db_file, log
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        log = open(self.log_path, "a")  # noqa: SIM115  (closed with the process)
        self.process = subprocess.Popen(  # nosec B603
            [sys.executable, "manage.py", "runserver", f"127.0.0.1:{self.port}", "--noreload", "--skip-checks"],
            cwd=settings.BASE_DIR, env=_env(self.db_file), stdout=log, stderr=subprocess.STDOUT,
        )
        self._log = log
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{self.url}/healthz", timeout=2) as response:  # noqa: S310  # nosec B310
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"the server did not start: {self.log()[-2000:]}")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None
        if getattr(self, "_log", None):
            self._log.close()

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def query(self, sql: str, params=()) -> list[tuple]:
        with sqlite3.connect(self.db_file, timeout=20) as db:
            return db.execute(sql, params).fetchall()


def login(page, server: Server, username: str) -> None:
    page.goto(f"{server.url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("#login-form button[type=submit]")
    try:
        page.wait_for_url(lambda address: "/accounts/login/" not in address, timeout=60000)
    except Exception as exc:  # say why, with what the page shows
        raise AssertionError(f"{username} could not log in: {page.inner_text('main')[:500]}") from exc


def wait_all_saved(page, timeout: float = 90_000) -> None:
    """Until the page's autosave has nothing left that the server does not have."""
    try:
        page.wait_for_function("() => window.kiemdinhAutosave && !window.kiemdinhAutosave.unsaved()", timeout=timeout)
    except Exception as exc:  # say which editor still waits, and why
        states = page.evaluate("""() => (window.kiemdinhAutosave ? window.kiemdinhAutosave.editors : [])
            .filter(e => e.unsaved())
            .map(e => ({action: e.form.getAttribute('action'), blocked: e.blocked, saving: !!e.saving,
                        waiting: e.waiting, refused: e.refused, dirty: e.dirty(), state: e.state.textContent}))""")
        raise AssertionError(f"autosave still has unsaved work: {states}") from exc
