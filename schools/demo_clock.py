"""The demo's clock: the demo data was written for the 2026-2027 school year; seeded later, every year
code and date of it moves forward by whole school years, so that the demo's current year is the real
current school year (by today's date) with its history behind it.

The demo modules ask this module for every year and date they write: ``year_code("2024-2025")``,
``day(datetime.date(2026, 10, 1))``, ``first_year(2024)``. Seeded in the 2026-2027 school year the
offset is 0 and the demo comes out exactly as written.
"""

from __future__ import annotations

import datetime
import re

from . import years

BASE_FIRST_YEAR = 2026  # the school year the demo data was written for (2026-2027)


def current_first_year(on: datetime.date | None = None) -> int:
    """The first calendar year of the current school year (the calendar rule of ``schools.years``)."""
    return years.first_year_on(on)


def offset(on: datetime.date | None = None) -> int:
    """Years to add to the demo's written dates (never negative: an older clock keeps the data as written)."""
    return max(0, current_first_year(on) - BASE_FIRST_YEAR)


def first_year(n: int) -> int:
    """A calendar year of the data (a plan's year, a school year's first year), shifted."""
    return n + offset()


def year_code(code: str) -> str:
    """A school year code of the data, shifted: "2024-2025" → "2025-2026" a year later."""
    first, _dash, last = code.partition("-")
    return f"{int(first) + offset()}-{int(last) + offset()}"


def day(date: datetime.date) -> datetime.date:
    """A date of the data, shifted by whole years (29 February becomes 28 February in a common year)."""
    years_on = offset()
    if not years_on:
        return date
    try:
        return date.replace(year=date.year + years_on)
    except ValueError:  # 29 February into a common year
        return date.replace(year=date.year + years_on, day=28)


def past(date: datetime.date) -> datetime.date:
    """A date of something the demo records as already done (a submission, an approval, a milestone
    completed), shifted, and never after today: the data was written on 6 December 2026, so seeded
    earlier in a school year (say 1 October) its October-November events would otherwise lie in the
    future, which the services refuse."""
    return min(day(date), years.today())


_YEAR_CODE = re.compile(r"\b(\d{4})-(\d{4})\b")


def years_in(text: str) -> str:
    """The demo's prose with every school year code in it ("năm học 2023-2024") shifted; other numbers
    ("nhiệm kỳ 2019-2024", "Thông tư số 57/2026") stay as written."""
    if not offset():
        return text

    def shifted(match: re.Match) -> str:
        first, last = int(match.group(1)), int(match.group(2))
        return year_code(match.group(0)) if last == first + 1 else match.group(0)

    return _YEAR_CODE.sub(shifted, text)


def __getattr__(name: str):
    if name == "OFFSET":
        return offset()
    raise AttributeError(name)
