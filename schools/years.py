"""The one rule for "the current school year" (năm học hiện tại), by the calendar.

Every page and export that opens on a school year asks ``school_year_current``; a ``?year=`` the
user chose (a pk, or a code such as ``2026-2027``) goes through ``school_year_chosen``. A school
year runs from its ``start_date`` (early September) to its ``end_date`` (late May); the summer in
between still belongs to the year that has just ended, so a page opened in July shows the year
whose results are being closed, and from September the new one.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from .models import SchoolYear


def today() -> datetime.date:
    """Today in the project's time zone (one place, so that tests can freeze it)."""
    return timezone.localdate()


def school_year_current(on: datetime.date | None = None) -> SchoolYear | None:
    """The school year containing ``on`` (today), else the latest one that started before it."""
    on = on or today()
    return (
        SchoolYear.objects.filter(start_date__lte=on, end_date__gte=on).order_by("-start_date").first()
        or SchoolYear.objects.filter(start_date__lte=on).order_by("-start_date").first()
    )


def school_year_chosen(value, on: datetime.date | None = None) -> SchoolYear | None:
    """The year a ``?year=`` parameter names (its pk or its code), else the current school year."""
    raw = str(value or "").strip()
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
