"""TT57/2026 Điều 16: the years of self-assessment data a report counts, and the national standard it gives."""

from __future__ import annotations

import datetime

import pytest

from schools.tests.factories import SchoolYearFactory
from selfassessment import levels, services
from standards.models import Criterion, Indicator
from standards.services import DATA_DIR, catalogs_load

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def catalogs(db):
    catalogs_load(paths=[DATA_DIR / name for name in ("tt17_2018.json", "tt18_2018.json", "tt19_2018.json",
                                                     "tt57_2026.json")])


def year(first: int):
    return SchoolYearFactory(code=f"{first}-{first + 1}", start_date=D(first, 9, 5), end_date=D(first + 1, 5, 31))


def report_of(school, first: int, by):
    return services.report_create(school=school, school_year=year(first), kind="periodic", by=by,
                                  today=D(first, 10, 1))


def test_years_of_data_count_consecutive_school_years_ending_with_the_report(catalogs, school_a, principal_a):
    report_of(school_a, 2023, principal_a)
    current = report_of(school_a, 2026, principal_a)
    assert levels.years_of_data(current) == 1  # 2025-2026 missing: the run is broken
    report_of(school_a, 2025, principal_a)
    assert levels.years_of_data(current) == 2
    report_of(school_a, 2024, principal_a)
    assert levels.years_of_data(current) == 4


def test_a_tt57_report_at_mức_2_reaches_national_standard_mức_độ_2_only_with_3_years_of_data(
    catalogs, school_a, principal_a,
):
    current = report_of(school_a, 2026, principal_a)
    assert current.regulation_version.regulation.family == "2026"
    current.completed_cohorts = 2
    current.save(update_fields=["completed_cohorts"])
    for criterion in Criterion.objects.filter(standard__version=current.regulation_version):
        for level in (1, 2):
            indicator = Indicator.objects.get(criterion=criterion, level=level)
            services.indicator_verdict_set(report=current, indicator=indicator, met=True, by=principal_a)
    current.refresh_from_db()
    assert (current.school_level, current.national_standard, current.accreditation_level) == (2, 0, None)
    assert [b["fact"] for b in current.level_blockers if b["target"] == "national_standard"] == ["years_of_data"]
    report_of(school_a, 2025, principal_a)
    report_of(school_a, 2024, principal_a)
    levels.refresh(current)
    current.refresh_from_db()
    assert (current.school_level, current.national_standard) == (2, 2)
