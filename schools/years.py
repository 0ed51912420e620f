"""The one rule for "the current school year" (năm học hiện tại), by the calendar.

Every page and export that opens on a school year asks ``school_year_current``; a ``?year=`` the
user chose (a pk, or a code such as ``2026-2027``) goes through ``school_year_chosen``. A school
year runs from its ``start_date`` (early September) to its ``end_date`` (late May); the summer in
between still belongs to the year that has just ended, so a page opened in July shows the year
whose results are being closed, and from September the new one.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.utils import timezone

from .models import SchoolYear


def today() -> datetime.date:
    """Today in the project's time zone (one place, so that tests can freeze it)."""
    return timezone.localdate()


# A school year starts in early September (the demo's and most schools' 5 September).
YEAR_START = (9, 5)


def first_year_on(on: datetime.date | None = None) -> int:
    """The first calendar year of the school year ``on`` (today) falls in, by the calendar alone (no
    ``SchoolYear`` rows needed): 2027-10-01 → 2027; 2027-06-15 → 2026 (the summer still belongs
    to the year just ended, as in ``current_among``)."""
    on = on or today()
    return on.year if (on.month, on.day) >= YEAR_START else on.year - 1


def current_among(school_years: Iterable[SchoolYear], on: datetime.date | None = None) -> SchoolYear | None:
    """The rule itself: of these years, the latest that started on or before ``on`` (today). School
    years do not overlap, so that is the year containing ``on``, or in the summer the one just ended."""
    on = on or today()
    started = [year for year in school_years if year.start_date <= on]
    return max(started, key=lambda year: year.start_date) if started else None


def school_year_current(on: datetime.date | None = None) -> SchoolYear | None:
    """The current school year (``current_among`` every year), in one query."""
    on = on or today()
    return current_among(SchoolYear.objects.filter(start_date__lte=on).order_by("-start_date")[:1], on)


def school_year_chosen(value, on: datetime.date | None = None,
                       school_years: list[SchoolYear] | None = None) -> SchoolYear | None:
    """The year a ``?year=`` parameter names (its pk or its code), else the current school year.

    With ``school_years`` (a page's year switch, already read) no query is made.
    """
    raw = str(value or "").strip()
    if school_years is not None:
        named = next((y for y in school_years if raw and raw in (str(y.pk), y.code)), None)
        return named or current_among(school_years, on)
    year = None
    if raw.isdigit():
        year = SchoolYear.objects.filter(pk=int(raw)).first()
    elif raw:
        year = SchoolYear.objects.filter(code=raw[:9]).first()
    return year or school_year_current(on)


def school_year_ending_in(calendar_year: int) -> SchoolYear | None:
    """The school year that ends in ``calendar_year`` (2027 → 2026-2027): the year of a plan or a round
    of that calendar year, whose reports are the ones it carries."""
    return SchoolYear.objects.filter(code=SchoolYear.code_for(calendar_year - 1)).first()
