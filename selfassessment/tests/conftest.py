"""Fixtures of the report tests (personas come from the root conftest, catalogs from factories)."""

from __future__ import annotations

import datetime

import pytest

from schools.tests.factories import SchoolYearFactory
from standards.models import Regulation
from standards.services import DATA_DIR, catalogs_load

from .factories import add_evidence, catalog_dict, criterion, indicator, load_catalog, school_person  # noqa: F401


@pytest.fixture
def regulation(db) -> Regulation:
    return load_catalog()


@pytest.fixture
def tt18(db) -> Regulation:
    catalogs_load(paths=[DATA_DIR / "tt18_2018.json"])
    return Regulation.objects.get(code="TT18/2018")


@pytest.fixture
def last_year(db):
    return SchoolYearFactory(code="2023-2024", start_date=datetime.date(2023, 9, 5), end_date=datetime.date(2024, 5, 31))


@pytest.fixture
def report(regulation, school_a, school_year, principal_a):
    from selfassessment import services

    return services.report_create(school=school_a, school_year=school_year, kind="periodic", by=principal_a)
