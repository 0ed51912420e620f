"""The one rule for the current school year (schools.years): by the calendar, never by the data."""

from __future__ import annotations

import datetime

import pytest

from schools import years
from schools.models import SchoolYear

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def three_years():
    return {
        code: SchoolYear.objects.get_or_create(
            code=code, defaults={"start_date": D(int(code[:4]), 9, 5), "end_date": D(int(code[:4]) + 1, 5, 31)}
        )[0]
        for code in ("2024-2025", "2025-2026", "2026-2027")
    }


@pytest.mark.parametrize("day, code", [
    (D(2026, 12, 6), "2026-2027"),   # in the year
    (D(2026, 9, 5), "2026-2027"),    # its first day
    (D(2026, 9, 4), "2025-2026"),    # the summer still belongs to the year that has ended
    (D(2026, 7, 15), "2025-2026"),
    (D(2026, 5, 31), "2025-2026"),
    (D(2030, 1, 1), "2026-2027"),    # beyond the last year known: the latest started
])
def test_current_school_year_by_the_calendar(three_years, day, code):
    assert years.school_year_current(day).code == code


def test_no_year_before_the_first(three_years):
    assert years.school_year_current(D(2020, 1, 1)) is None


def test_today_is_the_default_and_can_be_frozen(three_years, monkeypatch):
    monkeypatch.setattr(years, "today", lambda: D(2025, 10, 1))
    assert years.school_year_current().code == "2025-2026"


def test_a_chosen_year_by_pk_or_code_else_the_current(three_years, monkeypatch):
    monkeypatch.setattr(years, "today", lambda: D(2026, 12, 6))
    first = three_years["2024-2025"]
    assert years.school_year_chosen(first.pk) == first
    assert years.school_year_chosen(str(first.pk)) == first
    assert years.school_year_chosen("2024-2025") == first
    for value in (None, "", "abc", "999999", "2031-2032"):
        assert years.school_year_chosen(value).code == "2026-2027", value


def test_the_school_year_ending_in_a_calendar_year(three_years):
    assert years.school_year_ending_in(2027).code == "2026-2027"
    assert years.school_year_ending_in(2025).code == "2024-2025"
    assert years.school_year_ending_in(2040) is None


def test_a_page_chooses_among_the_years_it_already_read(three_years, monkeypatch, django_assert_num_queries):
    monkeypatch.setattr(years, "today", lambda: D(2026, 12, 6))
    listed = list(SchoolYear.objects.order_by("-start_date"))
    first = three_years["2024-2025"]
    with django_assert_num_queries(0):
        assert years.school_year_chosen(str(first.pk), school_years=listed) == first
        assert years.school_year_chosen("2024-2025", school_years=listed) == first
        assert years.school_year_chosen("", school_years=listed).code == "2026-2027"
        assert years.current_among(listed, D(2026, 7, 1)).code == "2025-2026"
    assert years.current_among([], D(2026, 7, 1)) is None
