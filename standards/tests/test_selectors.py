"""Reads: the regulation in force for a school level and date, school-year periods, search, engine inputs."""

import datetime

import pytest

from standards import engine
from standards.models import Indicator, Regulation
from standards.selectors import (
    catalog_rules_for,
    evaluate_version,
    regulation_for,
    regulation_list,
    regulation_periods,
    school_year_bounds,
    verdicts_from_indicators,
    version_tree,
)

D = datetime.date

pytestmark = pytest.mark.usefixtures("shared_catalogs")


@pytest.mark.parametrize(
    ("level", "on", "expected"),
    [
        ("th", D(2018, 10, 9), ("TT42/2012-TH", "original")),
        ("th", D(2018, 10, 10), ("TT17/2018", "original")),
        ("th", D(2025, 1, 24), ("TT17/2018", "original")),
        ("th", D(2025, 1, 25), ("TT17/2018", "TT22/2024")),
        ("thcs", D(2016, 5, 1), ("TT42/2012-TrH", "original")),
        ("thcs", D(2019, 5, 1), ("TT18/2018", "original")),
        ("thpt", D(2026, 5, 1), ("TT18/2018", "TT22/2024")),
        ("multi", D(2020, 1, 1), ("TT18/2018", "original")),
        ("mn", D(2016, 5, 1), ("TT25/2014", "original")),
        ("mn", D(2018, 10, 10), ("TT19/2018", "original")),
        ("mn", D(2025, 2, 1), ("TT19/2018", "TT22/2024")),
    ],
)
def test_regulation_for_picks_the_version_in_force(catalogs, level, on, expected):
    version = regulation_for(level, on)
    assert (version.regulation.code, version.code) == expected


def test_no_regulation_before_the_first_one(catalogs):
    assert regulation_for("th", D(2010, 1, 1)) is None


def test_a_draft_regulation_never_applies(catalogs):
    Regulation.objects.filter(code="TT17/2018").update(status=Regulation.Status.DRAFT)
    assert regulation_for("th", D(2020, 1, 1)).regulation.code == "TT42/2012-TH"


def test_regulation_for_runs_in_two_queries(catalogs, django_assert_num_queries):
    with django_assert_num_queries(2):
        regulation_for("thcs", D(2025, 3, 1))


def test_school_year_2018_2019_changes_regulation_on_10_october(catalogs):
    start, end = school_year_bounds("2018-2019")
    periods = regulation_periods("th", start, end)
    assert [(p.version.regulation.code, p.start, p.end) for p in periods] == [
        ("TT42/2012-TH", D(2018, 9, 1), D(2018, 10, 9)),
        ("TT17/2018", D(2018, 10, 10), D(2019, 8, 31)),
    ]


def test_school_year_2024_2025_changes_version_on_25_january(catalogs):
    periods = regulation_periods("thcs", *school_year_bounds("2024-2025"))
    assert [(p.version.code, p.start) for p in periods] == [("original", D(2024, 9, 1)), ("TT22/2024", D(2025, 1, 25))]


def test_school_year_bounds_come_from_the_school_year_row_when_there_is_one(db):
    from schools.models import SchoolYear

    SchoolYear.objects.create(code="2023-2024", start_date=D(2023, 9, 5), end_date=D(2024, 5, 31))
    assert school_year_bounds("2023-2024") == (D(2023, 9, 5), D(2024, 5, 31))


def test_search_ignores_case_and_accents(tt18):
    version = tt18.versions.get(code="original")
    tree = version_tree(version, query="PHUONG HUONG chien luoc")
    numbers = [row.criterion.number for s in tree for row in s.criteria]
    assert "1.1" in numbers and "3.1" not in numbers


def test_search_needs_every_word(tt18):
    version = tt18.versions.get(code="original")
    assert version_tree(version, query="thư viện xyzzy") == []


def test_version_tree_lists_every_level_even_without_indicators(tt18, django_assert_max_num_queries):
    version = tt18.versions.get(code="original")
    with django_assert_max_num_queries(4):
        tree = version_tree(version)
    row = next(r for s in tree for r in s.criteria if r.criterion.number == "1.2")
    assert [(level, len(items)) for level, items in row.levels] == [(1, 3), (2, 1), (3, 0)]


def test_regulation_list_counts_the_base_catalog(catalogs, django_assert_num_queries):
    with django_assert_num_queries(4):
        regulations = {r.code: r for r in regulation_list()}
    assert (regulations["TT17/2018"].criteria_count, regulations["TT17/2018"].indicator_counts) == (27, [81, 48, 24])
    assert regulations["TT42/2012-TrH"].criteria_count == 0


def test_catalog_rules_leave_out_what_tt22_repealed(tt18):
    rules = catalog_rules_for(tt18.versions.get(code="TT22/2024"))
    spec = rules.criterion("5.3")
    assert spec.indicators.get(1, ()) == () and spec.repealed[1] == ("a", "b", "c")
    assert rules.level4 == ("1", "2", "3", "4", "5", "6")
    assert [r.min_completed_cohorts for r in rules.accreditation] == [1, 1, 1, 1]


def test_evaluate_version_fills_criteria_not_assessed_yet(tt18):
    version = tt18.versions.get(code="original")
    indicators = Indicator.objects.filter(criterion__standard__version=version, criterion__number="1.1")
    verdicts = verdicts_from_indicators([(i, True) for i in indicators.select_related("criterion")])
    result = evaluate_version(version, verdicts, engine.SchoolFacts(completed_cohorts=1))
    assert result.criteria["1.1"].level == 3
    assert result.criteria["1.2"].level == 0
    assert result.school_level == 0
