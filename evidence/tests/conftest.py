"""Fixtures of the evidence tests: a TT18-like catalog, and the same regulation as amended."""

from __future__ import annotations

import datetime

import pytest

from evidence.tests.factories import RegulationFactory, VersionFactory, build_catalog

NUMBERS = ["1.1", "1.2", "1.10", "2.1", "5.1"]


@pytest.fixture
def regulation(db):
    return RegulationFactory()


@pytest.fixture
def version(regulation):
    return VersionFactory(regulation=regulation)


@pytest.fixture
def amended_version(regulation):
    """The same regulation as amended (TT22/2024): its own criterion rows with the same numbers."""
    return VersionFactory(regulation=regulation, code="TT22/2024", is_base=False, effective=datetime.date(2025, 1, 25))


@pytest.fixture
def criteria(version):
    return build_catalog(version, NUMBERS)


@pytest.fixture
def amended_criteria(amended_version):
    return build_catalog(amended_version, NUMBERS)


@pytest.fixture
def c11(criteria):
    return criteria["1.1"]
