"""Fixtures of the export tests: a small 2018-family catalog, a written report of school A and its version.

Personas and schools come from the root conftest. The catalog is the self-assessment tests' own
small one (two standards, three criteria, Mức 1–3 and two Mức 4 requirements, criterion 1.2 without
Mức 3), so the whole pipeline (services → report_as_dict → version → exporters) runs in seconds.

Writing school A's report takes a good part of a second, so a module that only needs database rows
builds it once: with ``pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("export_world")]``
the personas, the catalog and ``report_a`` are made once for the module, in a transaction rolled back
after it, and each test runs in its own savepoint on top of them (the ``db`` fixture), as the root
conftest's ``matrix_world`` does; ``submitted_world`` also holds ``version_a`` (for a module whose
tests of ``report_a`` all want it submitted), ``tt57_world`` a written TT57 report instead of
``report_a``. Every test of such a module sees that world, asked for or not, and gets fresh objects
read from the database. Tests that need committed rows (the ``runner``, ``transactional_db``,
``live_server``) cannot run on it: they live in other modules and build their own.
"""

from __future__ import annotations

import shutil
import threading

import pytest

from exports.tests import builders
from kiemdinh.tests import module_world

RUNNER_STOP_SECONDS = 300  # a real report PDF on a busy machine; the stop waits for the build's end
UNMET_A = (("2.1", 2, "a"),)  # school A's report: every indicator đạt but this one
WORLDS = ("export_world", "submitted_world", "tt57_world")


_shared = module_world.world_of(*WORLDS)


def _world(django_db_blocker, tmp_path_factory, build):
    """The root conftest's personas and what ``build(ctx)`` adds, in a transaction rolled back at the end."""
    media = tmp_path_factory.mktemp("exports-media")  # lives as long as the session's temporary folders
    with module_world.personas_rolled_back(django_db_blocker, media) as ctx:
        build(ctx)
        yield ctx


def _report_a(ctx, *, submitted: bool) -> None:
    from selfassessment import services
    from selfassessment.tests.factories import load_catalog

    ctx["catalog"] = load_catalog()
    report = services.report_create(school=ctx["school_a"], school_year=ctx["school_year"], kind="periodic",
                                    by=ctx["principal_a"])
    ctx["report_a"] = builders.written_report(report, ctx["principal_a"], unmet=UNMET_A)
    if submitted:
        ctx["version_a"] = builders.submit(ctx["report_a"], ctx["principal_a"])


@pytest.fixture(scope="module")
def export_world(django_db_setup, django_db_blocker, tmp_path_factory):
    """The personas, the catalog and school A's written report, built once for the module."""
    yield from _world(django_db_blocker, tmp_path_factory, lambda ctx: _report_a(ctx, submitted=False))


@pytest.fixture(scope="module")
def submitted_world(django_db_setup, django_db_blocker, tmp_path_factory):
    """``export_world`` with school A's report submitted (``version_a``)."""
    yield from _world(django_db_blocker, tmp_path_factory, lambda ctx: _report_a(ctx, submitted=True))


@pytest.fixture(scope="module")
def tt57_world(django_db_setup, django_db_blocker, tmp_path_factory):
    """The personas and school A's TT57 report of 2026-2027 written for Biểu 1 (``builders.written57``)."""

    def build(ctx):
        import datetime

        from schools.tests.factories import SchoolYearFactory
        from selfassessment import services
        from standards.services import DATA_DIR, catalogs_load

        catalogs_load(paths=[DATA_DIR / "tt57_2026.json"])  # what selfassessment's tt57_report is made of
        year = SchoolYearFactory(code="2026-2027", start_date=datetime.date(2026, 9, 5), end_date=datetime.date(2027, 5, 31))
        report = services.report_create(school=ctx["school_a"], school_year=year, kind="periodic", by=ctx["principal_a"],
                                        today=datetime.date(2026, 10, 1))
        ctx["written57"] = builders.written57(report, ctx["principal_a"])

    yield from _world(django_db_blocker, tmp_path_factory, build)


def _transactional(request) -> bool:
    marker = request.node.get_closest_marker("django_db")
    wants = bool(marker and (marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences")))
    return wants or bool({"transactional_db", "live_server", "runner"} & set(request.fixturenames))


@pytest.fixture(autouse=True)
def _on_the_world(request):
    """In a module with a world: the test in its savepoint (``db``), the world's files in the test's
    own media folder (a copy: what a test writes there never reaches the next), an empty cache
    (an aggregate cached by a rolled-back test must not be read by the next)."""
    if not any(name in request.fixturenames for name in WORLDS):
        yield
        return
    if _transactional(request):
        pytest.fail("a test that needs committed rows cannot run on the module's shared world; move it to another module")
    shared = _shared(request)
    request.getfixturevalue("db")
    request.getfixturevalue("_media_root")  # the root conftest's folder of this test, then filled
    settings = request.getfixturevalue("settings")
    shutil.copytree(shared["media_root"], settings.MEDIA_ROOT, dirs_exist_ok=True)
    with module_world.empty_cache():
        yield


globals().update(module_world.persona_fixtures(_shared))


@pytest.fixture
def catalog(request, db):
    shared = _shared(request)
    if shared is not None and "catalog" in shared:
        return module_world.fresh(shared["catalog"])
    from selfassessment.tests.factories import load_catalog

    return load_catalog()


@pytest.fixture
def report_a(request, catalog, school_a, school_year, principal_a):
    shared = _shared(request)
    if shared is not None and "report_a" in shared:
        return builders.reload(shared["report_a"])
    from selfassessment import services

    report = services.report_create(school=school_a, school_year=school_year, kind="periodic", by=principal_a)
    return builders.written_report(report, principal_a, unmet=UNMET_A)


@pytest.fixture
def version_a(request, report_a, principal_a):
    shared = _shared(request)
    if shared is not None and "version_a" in shared:
        return module_world.fresh(shared["version_a"])
    return builders.submit(report_a, principal_a)


@pytest.fixture
def accepted_a(report_a, version_a):
    """School A's version accepted by the district: what a round's dossier carries."""
    builders.accept(report_a)
    return version_a


@pytest.fixture
def draft_b(catalog, school_b, school_year, principal_b):
    """A report of school B that was never submitted."""
    from selfassessment import services

    return services.report_create(school=school_b, school_year=school_year, kind="periodic", by=principal_b)


@pytest.fixture
def round_a(district, school_a, school_b, reviewer):
    """Round 1 of district A with schools A (submitted) and B (not submitted)."""
    from evaluations.models import EvaluationRound, RoundRegistration

    evaluation_round = EvaluationRound.objects.create(unit=district, year=2025, number=1)
    RoundRegistration.objects.create(round=evaluation_round, school=school_a)
    RoundRegistration.objects.create(round=evaluation_round, school=school_b)
    return evaluation_round


@pytest.fixture
def runner(transactional_db, monkeypatch, settings):
    """The embedded default's runner (exports/runner.py), held at the door: a job handed to it starts
    only when the test opens the door (``door.set()``).

    Afterwards the door is opened, the runner builds what it holds and its thread ends, having closed
    its database connections; this happens before the test's database is flushed (the fixture
    depends on ``transactional_db``), so no thread of a test ever outlives it.
    (Tests share one SQLite database between threads; a test touches the database only while the
    runner's thread is held or idle, never both at once.)
    """
    from exports import runner as runner_module

    settings.EXPORT_JOBS_IN_PROCESS = True
    door = threading.Event()
    real_run = runner_module.run

    def held(job_id):
        door.wait(RUNNER_STOP_SECONDS)
        real_run(job_id)

    monkeypatch.setattr(runner_module, "run", held)
    yield door
    door.set()
    assert runner_module.stop(timeout=RUNNER_STOP_SECONDS), "the runner's thread did not end"
    assert not runner_module.is_alive()
