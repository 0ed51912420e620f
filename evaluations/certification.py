"""Dates and consistency of a recognition decision (quyết định công nhận). Pure Python, no Django.

- A certificate of accreditation (and the national-standard recognition) is valid for 5 years
  from the decision date (Điều 35/38 of TT17, TT18, TT19/2018).
- A school may apply for a higher level once some time has passed since its last recognition:
  1 year for decisions taken since Thông tư 22/2024/TT-BGDĐT took effect (25/01/2025), 2 years
  before that.
- Under the 2018 regulations, Cấp độ k is granted at Mức k, and the national standard Mức độ 1 at
  Mức 2, Mức độ 2 at Mức 3 or above: a national-standard level therefore needs an accreditation
  level at least one higher. The legacy regulations recognised the two separately, so the rule
  is only applied to decisions taken since the 2018 regulations took effect (10/10/2018).
"""

from __future__ import annotations

import datetime

VALIDITY_YEARS = 5
TT22_EFFECTIVE = datetime.date(2025, 1, 25)
REGULATIONS_2018_EFFECTIVE = datetime.date(2018, 10, 10)
UPGRADE_WAIT_YEARS = 1
UPGRADE_WAIT_YEARS_BEFORE_TT22 = 2
# A certificate that expires within this many days is due for re-evaluation.
EXPIRING_SOON_DAYS = 183

ACCREDITATION_LEVELS = (1, 2, 3, 4)
NATIONAL_STANDARD_LEVELS = (0, 1, 2)

VALID = "valid"
EXPIRING = "expiring"
EXPIRED = "expired"


def add_years(day: datetime.date, years: int) -> datetime.date:
    """The same day ``years`` later; 29 February becomes 28 February in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def valid_until(decision_date: datetime.date) -> datetime.date:
    """The last day the recognition is valid: the same day 5 years after the decision.

    A period counted in years ends on the corresponding day of its last year (Bộ luật Dân sự
    2015, Điều 147-148: the first day is not counted).
    """
    return add_years(decision_date, VALIDITY_YEARS)


def earliest_upgrade_date(decision_date: datetime.date) -> datetime.date:
    """The first day the school may apply for a higher level (1 year after since TT22/2024, else 2)."""
    years = UPGRADE_WAIT_YEARS if decision_date >= TT22_EFFECTIVE else UPGRADE_WAIT_YEARS_BEFORE_TT22
    return add_years(decision_date, years)


def validity_state(until: datetime.date, today: datetime.date) -> str:
    """VALID, EXPIRING (within about six months) or EXPIRED on ``today``."""
    if today > until:
        return EXPIRED
    if (until - today).days <= EXPIRING_SOON_DAYS:
        return EXPIRING
    return VALID


def levels_problem(decision_date: datetime.date, accreditation: int, national_standard: int) -> str | None:
    """A code naming what is inconsistent in the levels of a decision, or None.

    "accreditation_range", "national_range" or "national_above_accreditation" (2018 rules only).
    """
    if accreditation not in ACCREDITATION_LEVELS:
        return "accreditation_range"
    if national_standard not in NATIONAL_STANDARD_LEVELS:
        return "national_range"
    if decision_date >= REGULATIONS_2018_EFFECTIVE and national_standard and national_standard > accreditation - 1:
        return "national_above_accreditation"
    return None
