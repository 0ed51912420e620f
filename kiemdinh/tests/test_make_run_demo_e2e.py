"""`make run` as a newcomer runs it, and the demo it serves read in a browser: one demo seed for both.

The real target runs (install stamp, migrate, catalogs, demo seed, the accounts, the scheduler and the
dev server) against a fresh SQLite database in a temporary directory, its e-mails in a temporary
folder. The module's tests share that one server (``make_run``), and read what they expect from its
own database through a second database alias (``run_db``):

- issue 18 item 6: the demo accounts are the last lines printed before the server's own. Between the
  accounts table and the server's lines only the blank lines and the "starting on" line of the
  Makefile may come, and no e-mail reaches the console;
- issue 18 "done when" (items 1-3 and 11), in a browser at 1366 × 768: for every demo school of the
  three reviewing units (Đống Đa, Long Biên, the ward Cửa Nam), the head of office's dashboard shows
  the school's report status of the current school year; the dashboard and the summary export open on
  that same year (by today's date); each round dossier lists only accepted (or forwarded) versions of
  its own year. Screenshots: test-artifacts/issue18/demo-*.png.

Slow (a whole demo seed, once).
"""

from __future__ import annotations

import os
import pathlib
import selectors
import shutil
import signal
import subprocess
import threading
import time
from dataclasses import dataclass, field

import pytest
from django.conf import settings
from django.db import connections
from django.urls import reverse

from kiemdinh.testing import free_port
from schools import years

ROOT = pathlib.Path(__file__).resolve().parents[2]
SHOTS = os.path.join(settings.BASE_DIR, "test-artifacts", "issue18")
HEADS = ["tp.dongda", "tp.longbien", "tp.cuanam"]
ALIAS = "make_run"

pytestmark = pytest.mark.skipif(
    shutil.which("make") is None or not (ROOT / ".venv" / ".installed-stamp").exists(),
    reason="needs make and the installed .venv",
)


@dataclass
class MakeRun:
    """The running `make run`: what it printed up to "Quit the server with", its address and database."""

    process: subprocess.Popen
    port: int
    database: pathlib.Path
    mail: pathlib.Path
    lines: list[str] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


def _read_until_serving(run: MakeRun, timeout: float) -> None:
    """Read the output line by line until the dev server says it is serving (or the process ends).

    With os.read on the pipe: a buffered readline() would keep lines that came together in Python's
    buffer, where select() does not see them, and wait for output that never comes."""
    watch = selectors.DefaultSelector()
    watch.register(run.process.stdout, selectors.EVENT_READ)
    fd, pending = run.process.stdout.fileno(), b""
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            if not watch.select(timeout=5):
                if run.process.poll() is not None:
                    break
                continue
            chunk = os.read(fd, 65536)
            if not chunk:
                break
            *complete, pending = (pending + chunk).split(b"\n")
            new = [line.decode("utf-8", "replace").rstrip("\r") for line in complete]
            run.lines.extend(new)
            if any("Quit the server with" in line for line in new):
                break
    finally:
        watch.close()


def _drain(stream) -> None:
    """Keep reading the server's request log: a full pipe would block the server mid-request."""
    try:
        while stream.read(65536):
            pass
    except (OSError, ValueError):  # the pipe was closed at the end of the module
        pass


@pytest.fixture(scope="module")
def make_run(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("make-run")
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST", "DATABASE_URL", "CELERY"))}
    env.update(DATABASE_URL=f"sqlite:///{tmp / 'run.sqlite3'}", EMAIL_FILE_PATH=str(tmp / "mail"),
               MEDIA_ROOT=str(tmp / "media"), PYTHONUNBUFFERED="1")
    process = subprocess.Popen(
        [shutil.which("make"), "--no-print-directory", "run", "HOST=127.0.0.1", f"PORT={port}"], cwd=ROOT,
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True,
    )
    run = MakeRun(process=process, port=port, database=tmp / "run.sqlite3", mail=tmp / "mail")
    drainer = None
    try:
        _read_until_serving(run, timeout=1500)
        drainer = threading.Thread(target=_drain, args=(process.stdout,), daemon=True)
        drainer.start()
        yield run
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=20)
        if drainer is not None:
            drainer.join(timeout=10)
        # Closed here: left to the garbage collector, its ResourceWarning would fail whichever test
        # runs next (warnings are errors in this suite).
        process.stdout.close()


@pytest.fixture(scope="module")
def run_db(make_run, django_db_blocker):
    """The alias of `make run`'s own database (the SQLite file it seeded), readable by the ORM."""
    assert make_run.database.exists(), "make run created no database"
    configured = connections.configure_settings({
        "default": dict(settings.DATABASES["default"]),
        ALIAS: {"ENGINE": "django.db.backends.sqlite3", "NAME": str(make_run.database)},
    })
    connections.settings[ALIAS] = configured[ALIAS]
    try:
        with django_db_blocker.unblock():
            yield ALIAS
            connections[ALIAS].close()
    finally:
        del connections[ALIAS]
        del connections.settings[ALIAS]


def test_make_run_prints_the_accounts_last_before_serving(make_run):
    lines, port = make_run.lines, make_run.port
    output = "\n".join(lines)
    assert any("Quit the server with" in line for line in lines), output[-3000:]
    header = max(i for i, line in enumerate(lines) if line.startswith("Demo data ready. Accounts"))
    # The server's own lines (runserver's banner and its checks) come after the Makefile's last echo.
    starting = next(i for i, line in enumerate(lines) if f"kiemdinh is starting on http://127.0.0.1:{port}/" in line)
    table = lines[header + 1:starting]
    accounts = [line for line in table if line.strip()]
    assert accounts[-1].strip().startswith("(every school has a principal account")
    for name in ("cv.dongda1", "tp.dongda", "tp.longbien", "tp.cuanam", "cv.so", "admin", "dda-thcs-01"):
        assert any(line.split()[0] == name for line in accounts if line.split()), name
    assert all(line.startswith("  ") for line in accounts), table  # nothing but the table's rows
    after = lines[starting + 1:]
    assert not any("Demo data ready" in line or "Subject:" in line for line in after)
    assert all(not line.strip() or not line.startswith("  ") for line in after[:3])
    # Nothing of an e-mail on the console, from the seed or after; the seed's e-mails are files.
    assert "Content-Transfer-Encoding" not in output and "Subject:" not in output
    assert any(make_run.mail.iterdir())
    assert lines.index(next(line for line in lines if "E-mails of the demo are written to var/mail/" in line)) < header


@pytest.mark.e2e
def test_the_demo_heads_read_numbers_that_agree(make_run, run_db, browser):
    from evaluations.models import EvaluationRound
    from reviews.models import ReportVersion
    from schools import demo
    from schools.models import School, SchoolYear, User
    from selfassessment.models import Report

    current = years.current_among(SchoolYear.objects.using(run_db).order_by("-start_date"))
    assert current is not None
    os.makedirs(SHOTS, exist_ok=True)
    seen_schools: set[str] = set()
    for username in HEADS:
        head = User.objects.using(run_db).get(username=username)
        context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="vi-VN")
        page = context.new_page()
        page.set_default_timeout(30000)
        try:
            page.goto(f"{make_run.url}/accounts/login/")
            page.fill("input[name=username]", username)
            page.fill("input[name=password]", demo.DEMO_PASSWORD)
            with page.expect_event("load"):
                page.click("#login-form button[type=submit]")
            page.goto(make_run.url + reverse("reviews:district_dashboard"))
            assert page.locator("#f-year option:checked").inner_text().strip() == current.code, username
            page.screenshot(path=os.path.join(SHOTS, f"demo-dashboard-{username}.png"))
            rows = page.locator("tr[data-school]")
            assert rows.count() > 0, username
            for i in range(rows.count()):
                row = rows.nth(i)
                code = row.get_attribute("data-school")
                school = School.objects.using(run_db).get(code=code)
                report = Report.objects.using(run_db).filter(school=school, school_year=current, kind="periodic").first()
                status = row.locator('td[data-col="sa-status"] [data-status]').get_attribute("data-status")
                assert status == (report.status if report else "none"), (username, code)
                seen_schools.add(code)
            # The summary export opens on the same year.
            page.goto(make_run.url + reverse("exports:district_summary"))
            assert current.code in page.locator("#id_school_year option:checked").inner_text(), username
            # Each round of the unit: its dossier holds only accepted or forwarded versions of its year.
            units = set(head.memberships.exclude(organisation=None).values_list("organisation_id", flat=True))
            for round_ in EvaluationRound.objects.using(run_db).filter(unit_id__in=units).select_related("unit"):
                page.goto(make_run.url + reverse("exports:round_exports", args=[round_.pk]))
                year_text = page.locator("[data-dossier-year]").inner_text()
                for code in page.locator("table tbody td code").all_inner_texts():
                    version = (ReportVersion.objects.using(run_db).select_related("report__school_year")
                               .get(content_hash__startswith=code))
                    assert version.report.status in ("accepted", "forwarded", "closed"), (round_, code)
                    assert version.report.school_year.code in year_text, (round_, code)
                    assert version == version.report.review_versions.order_by("-number").first(), (round_, code)
                page.screenshot(path=os.path.join(SHOTS, f"demo-dossier-{round_.unit.code}-{round_.year}-{round_.number}.png"))
        finally:
            context.close()
    demo_codes = set(School.objects.using(run_db).filter(code__regex=r"^(DDA|LBI|CNA)-").values_list("code", flat=True))
    assert demo_codes and demo_codes <= seen_schools, demo_codes - seen_schools
