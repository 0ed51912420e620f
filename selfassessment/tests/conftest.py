"""Fixtures of the report tests (personas come from the root conftest, catalogs from factories).

A module whose tests all may see the root conftest's personas, the small catalog and school A's
draft report (none needs a database without them) says
``pytestmark = pytest.mark.usefixtures("report_world")``: they are built once, in a transaction rolled
back after the module, as the root conftest's ``matrix_world`` does, and each test runs in its own
savepoint on top of it (the ``db`` fixture). There the persona fixtures, ``regulation`` and ``report``
give the world's rows read afresh (what a test changes in memory does not reach the next), and the
cache is emptied around each test.
"""

from __future__ import annotations

import datetime

import pytest

from kiemdinh.tests import module_world
from schools.tests.factories import SchoolYearFactory
from standards.models import Regulation
from standards.services import DATA_DIR, catalogs_load

from .factories import add_evidence, catalog_dict, criterion, indicator, load_catalog, school_person  # noqa: F401

_shared = module_world.world_of("report_world")


@pytest.fixture(scope="module")
def report_world(django_db_setup, django_db_blocker, tmp_path_factory):
    """The personas, the small catalog and school A's draft report, built once for the module."""
    from selfassessment import services

    with module_world.personas_rolled_back(django_db_blocker, tmp_path_factory.mktemp("selfassessment-media")) as ctx:
        ctx["regulation"] = load_catalog()
        ctx["report"] = services.report_create(
            school=ctx["school_a"], school_year=ctx["school_year"], kind="periodic", by=ctx["principal_a"]
        )
        yield ctx


@pytest.fixture(autouse=True)
def _empty_cache_when_shared(request):
    """Test databases reuse ids: in a module sharing a world, a cached aggregate of one test must not
    meet the next."""
    if "report_world" not in request.fixturenames:
        yield
        return
    with module_world.empty_cache():
        yield


globals().update(module_world.persona_fixtures(_shared))


@pytest.fixture
def regulation(request, db) -> Regulation:
    shared = _shared(request)
    return load_catalog() if shared is None else module_world.fresh(shared["regulation"])


@pytest.fixture
def tt18(db) -> Regulation:
    catalogs_load(paths=[DATA_DIR / "tt18_2018.json"])
    return Regulation.objects.get(code="TT18/2018")


@pytest.fixture
def last_year(db):
    return SchoolYearFactory(code="2023-2024", start_date=datetime.date(2023, 9, 5), end_date=datetime.date(2024, 5, 31))


@pytest.fixture
def report(request, regulation, school_a, school_year, principal_a):
    from selfassessment import services

    shared = _shared(request)
    if shared is not None:
        return module_world.fresh(shared["report"])
    return services.report_create(school=school_a, school_year=school_year, kind="periodic", by=principal_a)
