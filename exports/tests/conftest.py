"""Fixtures of the export tests: a small 2018-family catalog, a written report of school A and its version.

Personas and schools come from the root conftest. The catalog is the self-assessment tests' own
small one (two standards, three criteria, Mức 1–3 and two Mức 4 requirements, criterion 1.2 without
Mức 3), so the whole pipeline (services → report_as_dict → version → exporters) runs in seconds.
"""

from __future__ import annotations

import threading

import pytest

from exports.tests import builders

RUNNER_STOP_SECONDS = 300  # a real report PDF on a busy machine; the stop waits for the build's end


@pytest.fixture
def catalog(db):
    from selfassessment.tests.factories import load_catalog

    return load_catalog()


@pytest.fixture
def report_a(catalog, school_a, school_year, principal_a):
    from selfassessment import services

    report = services.report_create(school=school_a, school_year=school_year, kind="periodic", by=principal_a)
    return builders.written_report(report, principal_a, unmet=(("2.1", 2, "a"),))


@pytest.fixture
def version_a(report_a, principal_a):
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
