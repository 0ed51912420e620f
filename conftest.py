"""Fixed personas shared by every app's tests (style.md item 19).

Two schools (A and B) in one district, a second district with school C, the Sở above both.
"""

import contextlib
import os
import shutil

import pytest
from django.utils import translation

from schools.models import Membership
from schools.tests.factories import (
    DepartmentFactory,
    MembershipFactory,
    SchoolFactory,
    SchoolYearFactory,
    UnitFactory,
    UserFactory,
)

PASSWORD = "Secret-pass-123"


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup):
    """pytest-django's test databases, and at the end of the session, before they are dropped, no
    thread of the in-process export runner left (exports/runner.py) and no connection of this
    process open: PostgreSQL refuses to drop a database somebody is still connected to."""
    with _flush_by_delete():
        yield
    from django.db import connections

    from exports import runner

    stopped = runner.stop(timeout=300)
    connections.close_all()
    assert stopped, "the in-process export runner was still building at the end of the tests"


@contextlib.contextmanager
def _flush_by_delete():
    """On PostgreSQL, the empty database after a transactional test (a browser test, a real worker)
    by DELETE instead of TRUNCATE.

    Django empties every table after such a test (``flush``); PostgreSQL's TRUNCATE of the 79 tables
    gives each table and index a new file, about half a second each time, whatever the few rows
    the test wrote. DELETE of those rows in the same transaction (the foreign keys are deferred)
    leaves the same empty tables and the same sequences (neither resets them) in a few
    milliseconds. A flush that resets sequences or cascades keeps Django's statements."""
    from django.db.backends.postgresql.operations import DatabaseOperations

    truncate = DatabaseOperations.sql_flush

    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        if reset_sequences or allow_cascade or not tables:
            return truncate(self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade)
        return ["SET CONSTRAINTS ALL DEFERRED;"] + [
            f"{style.SQL_KEYWORD('DELETE FROM')} {style.SQL_FIELD(self.quote_name(table))};" for table in tables
        ]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(DatabaseOperations, "sql_flush", sql_flush)
        yield


@pytest.fixture(scope="session", autouse=True)
def _static_files_cached_by_the_browser():
    """The live server's static files (``/static/``) with ``Cache-Control: max-age``, as WhiteNoise
    serves them in production (there for a year, under hashed names).

    Django's test server sends them with only ``Last-Modified``; chromium then asked again for each
    of a page's seven files (stylesheets, scripts, the icon font) at every page the browser tests
    open, to hear "304 Not Modified". With a max-age a test's browser context loads them once, at its
    first page; each test still starts with an empty cache (a new context)."""
    from django.contrib.staticfiles.handlers import StaticFilesHandlerMixin

    serve = StaticFilesHandlerMixin.serve

    def serve_cached(self, request):
        response = serve(self, request)
        response.headers.setdefault("Cache-Control", "max-age=3600")
        return response

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(StaticFilesHandlerMixin, "serve", serve_cached)
        yield


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in Vietnamese: a request that switched to English leaves the language
    active in the thread, and messages built outside a request would follow it."""
    translation.activate("vi")
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    yield
    shutil.rmtree(tmp_path / "media", ignore_errors=True)


@pytest.fixture
def department(db):
    return DepartmentFactory()


@pytest.fixture
def district(department):
    return UnitFactory(code="pgd-a", name="Phòng GD&ĐT quận A", parent=department)


@pytest.fixture
def other_district(department):
    return UnitFactory(code="pgd-b", name="Phòng GD&ĐT quận B", parent=department)


@pytest.fixture
def school_a(district):
    return SchoolFactory(code="A-THCS-01", name="Trường THCS A", reviewing_unit=district)


@pytest.fixture
def school_b(district):
    return SchoolFactory(code="A-THCS-02", name="Trường THCS B", reviewing_unit=district)


@pytest.fixture
def school_c(other_district):
    return SchoolFactory(code="B-THCS-01", name="Trường THCS C", reviewing_unit=other_district)


@pytest.fixture
def school_year(db):
    return SchoolYearFactory()


def _persona(username, role, **target):
    user = UserFactory(username=username, email=f"{username}@example.vn")
    MembershipFactory(user=user, role=role, **target)
    return user


@pytest.fixture
def principal_a(school_a):
    return _persona("principal_a", Membership.Role.PRINCIPAL, school=school_a)


@pytest.fixture
def staff_a(school_a):
    return _persona("staff_a", Membership.Role.SCHOOL_STAFF, school=school_a)


@pytest.fixture
def principal_b(school_b):
    return _persona("principal_b", Membership.Role.PRINCIPAL, school=school_b)


@pytest.fixture
def principal_c(school_c):
    return _persona("principal_c", Membership.Role.PRINCIPAL, school=school_c)


@pytest.fixture
def reviewer(district):
    return _persona("reviewer", Membership.Role.DISTRICT_REVIEWER, organisation=district)


@pytest.fixture
def head(district):
    return _persona("head", Membership.Role.DISTRICT_HEAD, organisation=district)


@pytest.fixture
def other_reviewer(other_district):
    return _persona("other_reviewer", Membership.Role.DISTRICT_REVIEWER, organisation=other_district)


@pytest.fixture
def officer(department):
    return _persona("officer", Membership.Role.DEPARTMENT_OFFICER, organisation=department)


@pytest.fixture
def sysadmin(db):
    user = UserFactory(username="sysadmin", is_superuser=True, is_staff=True)
    MembershipFactory(user=user, role=Membership.Role.ADMIN)
    return user


@pytest.fixture
def personas(principal_a, staff_a, principal_b, principal_c, reviewer, head, other_reviewer, officer, sysadmin):
    return {
        "principal_a": principal_a,
        "staff_a": staff_a,
        "principal_b": principal_b,
        "principal_c": principal_c,
        "reviewer": reviewer,
        "head": head,
        "other_reviewer": other_reviewer,
        "officer": officer,
        "sysadmin": sysadmin,
    }


@pytest.fixture(scope="module")
def matrix_world(django_db_setup, django_db_blocker, tmp_path_factory):
    """The URL matrix's world (the personas above and every matrix setup's objects), built once per
    test module in a transaction rolled back after the module: building it takes about a second,
    and each test runs in its own savepoint on top of it (the ``db`` fixture), so nothing a test
    writes reaches the next. Use it through ``matrix_ctx``."""
    from kiemdinh.testing import PERSONAS
    from kiemdinh.tests import module_world
    from kiemdinh.tests.badinput import world

    def build():
        ctx = world.build()
        ctx["sessions"] = module_world.sessions(ctx, PERSONAS)
        return ctx

    with module_world.rolled_back(django_db_blocker, tmp_path_factory.mktemp("matrix-media"), build) as ctx:
        yield ctx


@pytest.fixture
def matrix_ctx(matrix_world, db, settings):
    """The shared world for one test: its files under the world's media folder, and an empty cache
    (aggregates cached by a test that was rolled back must not be read by the next)."""
    from kiemdinh.tests import module_world

    settings.MEDIA_ROOT = matrix_world["media_root"]
    with module_world.empty_cache():
        yield matrix_world


def services_required() -> bool:
    """CI sets KIEMDINH_REQUIRE_SERVICES=1: a test that needs Redis/PostgreSQL must not skip there."""
    return os.environ.get("KIEMDINH_REQUIRE_SERVICES") == "1"


# ---------------------------------------------------------------------------------------------
# Object storage: a standalone S3-protocol server on loopback (moto's server mode, started by
# .ci/run and `make s3`); tests marked `s3` switch the default storage to a fresh bucket on it.
# ---------------------------------------------------------------------------------------------
S3_ENDPOINT = os.environ.get("TEST_S3_ENDPOINT_URL", "http://127.0.0.1:5555")


def s3_server_answers(endpoint: str = S3_ENDPOINT) -> bool:
    import urllib.error
    import urllib.request

    try:
        with urllib.request.urlopen(endpoint, timeout=2):  # noqa: S310  # nosec B310  # the loopback test server
            return True
    except urllib.error.HTTPError:
        return True  # it answered (a server that checks signatures refuses the anonymous listing)
    except Exception:
        return False


def s3_environment(bucket: str) -> dict[str, str]:
    """The variables a deployment would set for a bucket on the test server."""
    return {
        "AWS_STORAGE_BUCKET_NAME": bucket,
        "AWS_S3_ENDPOINT_URL": S3_ENDPOINT,
        "AWS_S3_REGION_NAME": "us-east-1",
        "AWS_ACCESS_KEY_ID": "kiemdinh-test",
        "AWS_SECRET_ACCESS_KEY": "kiemdinh-test-secret",  # moto accepts any key
    }


class S3Buckets:
    """Makes fresh buckets on the test server and empties and removes them afterwards."""

    def __init__(self):
        import boto3

        env = s3_environment("")
        self.client = boto3.client(
            "s3", endpoint_url=S3_ENDPOINT, region_name=env["AWS_S3_REGION_NAME"],
            aws_access_key_id=env["AWS_ACCESS_KEY_ID"], aws_secret_access_key=env["AWS_SECRET_ACCESS_KEY"],
        )
        self.names: list[str] = []

    def new(self) -> str:
        import uuid

        name = f"kiemdinh-test-{uuid.uuid4().hex[:16]}"
        self.client.create_bucket(Bucket=name)
        self.names.append(name)
        return name

    def storage_setting(self, bucket: str) -> dict:
        from kiemdinh.env import env_storage

        return env_storage(s3_environment(bucket))

    def keys(self, bucket: str) -> list[str]:
        pages = self.client.get_paginator("list_objects_v2").paginate(Bucket=bucket)
        return sorted(item["Key"] for page in pages for item in page.get("Contents", []))

    def remove_all(self) -> None:
        for name in self.names:
            for key in self.keys(name):
                self.client.delete_object(Bucket=name, Key=key)
            self.client.delete_bucket(Bucket=name)


@pytest.fixture
def s3_buckets():
    """Fresh buckets on the loopback S3 server; a test needing it fails in CI when it is down."""
    if not s3_server_answers():
        reason = f"no S3-protocol server answers at {S3_ENDPOINT} (start one: make s3)"
        if services_required():
            pytest.fail(f"required service missing in CI: {reason}")
        pytest.skip(reason)
    buckets = S3Buckets()
    yield buckets
    buckets.remove_all()


@pytest.fixture
def s3_storage(settings, s3_buckets):
    """The default storage switched to the S3 backend with a fresh, empty bucket; yields it."""
    from django.core.files.storage import default_storage

    bucket = s3_buckets.new()
    settings.STORAGES = {**settings.STORAGES, "default": s3_buckets.storage_setting(bucket)}
    assert default_storage.bucket_name == bucket  # resolved now: a wrong setting fails here
    yield default_storage


# ---------------------------------------------------------------------------------------------
# End-to-end browser tests: Playwright for Python driving Debian's chromium, headless.
# ---------------------------------------------------------------------------------------------
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run",
]
ARTIFACTS = os.path.join(os.path.dirname(__file__), "test-artifacts")
# Playwright's sync API keeps an event loop running in the test thread; Django would then refuse
# ORM calls made by fixtures and assertions. They are plain synchronous calls, so allow them.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="module")
def _chromium():
    """One chromium per test module (launching it costs most of a second): each test still gets a
    browser with no page or context left by the test before (``browser``).

    Playwright's sync API keeps its event loop alive while the browser is open, and Django opens the
    connections of code running meanwhile in that loop's context (asgiref's Local), where nothing
    outside the loop can reach them: on PostgreSQL such a session kept the test database from being
    dropped at the end of the run. So they are closed before the loop ends, and again after it."""
    if not os.path.exists(CHROMIUM):
        if services_required():
            pytest.fail(f"{CHROMIUM} is missing in CI (make test installs it)")
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)")
    from django.db import connections
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield instance
        connections.close_all()
        instance.close()
    connections.close_all()


@pytest.fixture
def browser(_chromium):
    """The module's chromium, with every context a test opened closed after it (its pages, cookies
    and downloads go with it), and the connections opened in Playwright's loop context closed."""
    yield _chromium
    for context in list(_chromium.contexts):
        context.close()
    from django.db import connections

    connections.close_all()


@pytest.fixture
def page(browser, request):
    """A fresh browser page; on failure a screenshot is kept in test-artifacts/."""
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="vi-VN")
    pg = context.new_page()
    pg.set_default_timeout(15000)
    yield pg
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        os.makedirs(ARTIFACTS, exist_ok=True)
        name = "".join(c if c.isalnum() else "_" for c in request.node.nodeid)[-150:]
        try:
            pg.screenshot(path=os.path.join(ARTIFACTS, f"{name}.png"), full_page=True)
        except Exception as exc:  # the page may be gone; the test failure itself is what matters
            print(f"could not save a screenshot: {exc}")
    context.close()
    # Connections opened while Playwright's loop ran live in that loop's context: close them now.
    from django.db import connections

    connections.close_all()


@pytest.hookimpl(tryfirst=True, hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.skipped and services_required() and not hasattr(report, "wasxfail"):
        # CI (KIEMDINH_REQUIRE_SERVICES=1) has every service and tool the suite needs: a skip there
        # (a skipif mark, a pytest.skip call) hides a test that did not run, so it fails the run.
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        report.outcome = "failed"
        report.longrepr = f"skipped in CI, where nothing may skip (KIEMDINH_REQUIRE_SERVICES=1): {reason}"
    setattr(item, f"rep_{report.when}", report)


@pytest.fixture
def browser_login(live_server):
    """Log a persona in through the real login form: browser_login(page, user).

    It returns once the page the login leads to has loaded (``expect_event("load")`` around the click),
    as do the e2e tests after each click that leaves a page: waiting for the network to stay idle
    instead would add half a second, with the CPU idle, to every such step."""

    def login(pg, user, password=PASSWORD):
        pg.goto(f"{live_server.url}/accounts/login/")
        pg.fill("input[name=username]", user.username)
        pg.fill("input[name=password]", password)
        with pg.expect_event("load"):
            pg.click("#login-form button[type=submit]")
        return pg

    return login


# The files that take minutes (a whole demo seed, writers typing for a minute, the backup drill, the
# URL matrix), by measured weight: they start first, so that the two processes of `make test` (one file
# each at a time) finish together instead of one waiting for the other's last long file.
HEAVY_FILES = (
    "selfassessment/tests/test_autosave_e2e.py",
    "kiemdinh/tests/test_make_run_demo_e2e.py",
    "schools/tests/test_demo_clock.py",
    "schools/tests/test_demo_clock_later_years.py",
    "ops/tests/test_backup_drill.py",
    "kiemdinh/tests/test_url_matrix.py",
    "kiemdinh/tests/test_e2e_full_loop.py",
    "ops/tests/test_two_nodes.py",
)


def pytest_collection_modifyitems(config, items):
    """Heavy files first, in HEAVY_FILES order; every other test keeps its place (a stable sort)."""
    weight = {path: index for index, path in enumerate(HEAVY_FILES)}
    items.sort(key=lambda item: weight.get(item.nodeid.split("::", 1)[0], len(HEAVY_FILES)))
