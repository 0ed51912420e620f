"""Fixtures of the evaluations tests (personas, schools and years come from the root conftest)."""

from __future__ import annotations

import datetime

import pytest

from evaluations import services
from evaluations.models import ReportingDeadline
from schools.tests.factories import SchoolYearFactory


@pytest.fixture
def tt18(db):
    """The bundled TT18/2018 catalog (lower secondary), original and as amended by TT22/2024."""
    from standards.models import Regulation
    from standards.services import DATA_DIR, catalogs_load

    catalogs_load(paths=[DATA_DIR / "tt18_2018.json"])
    return Regulation.objects.get(code="TT18/2018")


@pytest.fixture
def year_2026(db):
    return SchoolYearFactory(code="2026-2027", start_date=datetime.date(2026, 9, 5), end_date=datetime.date(2027, 5, 31))


@pytest.fixture
def deadlines(district, year_2026, reviewer) -> dict[str, ReportingDeadline]:
    """District A's two deadlines of 2026-2027: 20/12/2026 and 10/05/2027."""
    rows = services.reporting_deadlines_ensure(unit=district, school_year=year_2026, by=reviewer)
    return {d.period: d for d in rows}


@pytest.fixture
def semester1(deadlines) -> ReportingDeadline:
    return deadlines[ReportingDeadline.Period.SEMESTER_1]
