"""The small world with files (``world.seed``) built once for a test module, for tests that share it.

``build()`` makes what the fixtures of the root and export conftests make for a test (the Sở,
district A with schools A and B, the school year, principal A and the district reviewer, the small
catalog, school A's written report, round 1 of district A) and seeds it with ``world.seed``; the
caller runs it in a transaction it rolls back, with the storage's folder of its own:
``rolled_back`` does both, for a fixture of a module's or a class's scope, and ``for_one_test`` gives
it to a test in its own savepoint with its own copy of the files (see test_move_files_to_storage.py
and test_backup_drill.py).
"""

from __future__ import annotations

import contextlib
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from exports.tasks import export_job_run
from kiemdinh.tests import module_world


@contextlib.contextmanager
def rolled_back(django_db_blocker, media: Path) -> Iterator[dict]:
    """The world built in a transaction rolled back when the block ends, its files under ``media``."""
    with module_world.rolled_back(django_db_blocker, media, _build_without_celery) as built:
        yield built


def _build_without_celery() -> dict:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(export_job_run, "delay", lambda job_id: None)
        return build()


@contextlib.contextmanager
def for_one_test(world: dict, settings, monkeypatch) -> Iterator[dict]:
    """The shared world for one test that runs in its own savepoint (the ``db`` fixture): its files
    copied into the test's own media folder (a test damages or removes them), export jobs not sent
    to Celery, an empty cache before and after."""
    monkeypatch.setattr(export_job_run, "delay", lambda job_id: None)
    shutil.copytree(world["media_root"], settings.MEDIA_ROOT, dirs_exist_ok=True)
    with module_world.empty_cache():
        yield world


def fixtures(scope: str) -> dict:
    """``seeded_world`` (the world built once per ``scope``: "module" or "class") and ``seeded`` (that
    world for one test, through ``for_one_test``), for ``globals().update(...)`` in a test module."""

    @pytest.fixture(scope=scope, name="seeded_world")
    def seeded_world(django_db_setup, django_db_blocker, tmp_path_factory):
        with rolled_back(django_db_blocker, tmp_path_factory.mktemp(f"seeded-{scope}-media")) as built:
            yield built

    @pytest.fixture(name="seeded")
    def seeded(seeded_world, db, settings, monkeypatch):
        with for_one_test(seeded_world, settings, monkeypatch) as built:
            yield built

    return {"seeded_world": seeded_world, "seeded": seeded}


def build() -> dict:
    from conftest import _persona
    from evaluations.models import EvaluationRound, RoundRegistration
    from exports.tests import builders
    from ops.tests import world
    from schools.models import Membership
    from schools.tests.factories import DepartmentFactory, SchoolFactory, SchoolYearFactory, UnitFactory
    from selfassessment import services
    from selfassessment.tests.factories import load_catalog

    department = DepartmentFactory()
    district = UnitFactory(code="pgd-a", name="Phòng GD&ĐT quận A", parent=department)
    school_a = SchoolFactory(code="A-THCS-01", name="Trường THCS A", reviewing_unit=district)
    school_b = SchoolFactory(code="A-THCS-02", name="Trường THCS B", reviewing_unit=district)
    school_year = SchoolYearFactory()
    principal_a = _persona("principal_a", Membership.Role.PRINCIPAL, school=school_a)
    reviewer = _persona("reviewer", Membership.Role.DISTRICT_REVIEWER, organisation=district)
    load_catalog()
    report_a = services.report_create(school=school_a, school_year=school_year, kind="periodic", by=principal_a)
    report_a = builders.written_report(report_a, principal_a, unmet=(("2.1", 2, "a"),))
    round_a = EvaluationRound.objects.create(unit=district, year=2025, number=1)
    RoundRegistration.objects.create(round=round_a, school=school_a)
    RoundRegistration.objects.create(round=round_a, school=school_b)
    seeded = world.seed(report_a, principal_a, reviewer, round_a)
    return {"principal_a": principal_a, "reviewer": reviewer, "report_a": report_a, "round_a": round_a, **seeded}
