"""Recognition of a school as meeting the national standard under Thông tư 57/2026. Pure Python.

Rules (standards/data/tt57_2026.json, copied from /work/shared/standards/tt57_2026.json, keys
``rules.national_standard_recognition`` and ``rules.certificates_before_TT57``; the texts come from
secondary sources, the official gazette text was not seen):

- khoản 1 Điều 16: a school is recognised when it meets, all at once, the conditions
  a) at least one cohort completed the programme of its highest age group / level;
  b) self-assessment data, results of the improvement plan and monitoring data of at least
     03 consecutive school years before the time of consideration;
  c) it reaches the level of quality-assurance activity of the Thông tư (Mức 1 or 2);
  d) it meets the requirements on facilities, teaching equipment, school safety and the other
     legal conditions of the degree in question (recorded by the Sở: ``Facilities57``).
- khoản 2 Điều 16: Mức 1 → chuẩn quốc gia Mức độ 1; Mức 2 → Mức độ 2.
- Điều 17: the Sở GD&ĐT considers and recognises.
- khoản 2 Điều 19: the certificate is valid 05 years from the day the decision is signed.
- khoản 4 Điều 19: a school at Mức độ 1 may be considered for Mức độ 2 at least 02 years after
  its recognition.
- khoản 2 Điều 27: certificates issued before 07/7/2026 stay valid until the expiry written on them
  (the ``Certificate`` rows keep their own ``valid_until``).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from .certification import add_years

TT57_EFFECTIVE = datetime.date(2026, 7, 7)
VALIDITY_YEARS = 5
UPGRADE_WAIT_YEARS = 2
CONSECUTIVE_YEARS_REQUIRED = 3
DEGREES = (1, 2)
CONDITION_KEYS = ("a", "b", "c", "d")
# Conditions whose data may predate the system (a paper report of an earlier year, the number of
# cohorts known to the Sở): the Sở may confirm them with the basis written down. The Sở's own
# record (d) and the degree (c: the level the TT57 report computed) cannot be waived.
CONFIRMABLE = ("a", "b")


def valid_until(decision_date: datetime.date) -> datetime.date:
    """The same day 5 years after the decision (khoản 2 Điều 19)."""
    return add_years(decision_date, VALIDITY_YEARS)


def upgrade_eligible_on(degree: int, decision_date: datetime.date) -> datetime.date | None:
    """From when a Mức độ 1 school may be considered for Mức độ 2 (2 years; none for Mức độ 2)."""
    return add_years(decision_date, UPGRADE_WAIT_YEARS) if degree == 1 else None


def longest_recent_run(first_years: Iterable[int]) -> list[int]:
    """The run of consecutive school years (by their first calendar year) that ends with the most
    recent one: {2023, 2024, 2025} → [2023, 2024, 2025]; {2021, 2024, 2025} → [2024, 2025]."""
    years = sorted(set(first_years))
    if not years:
        return []
    run = [years[-1]]
    for year in reversed(years[:-1]):
        if year != run[0] - 1:
            break
        run.insert(0, year)
    return run


@dataclass(frozen=True)
class Condition:
    key: str
    met: bool
    detail: str


@dataclass
class Conditions:
    """The four conditions of khoản 1 Điều 16 for one school, and the degree its level allows."""

    items: dict[str, Condition] = field(default_factory=dict)
    # The degree the computed TT57 level allows (khoản 2 Điều 16), 0 when none.
    level_degree: int = 0
    facilities_degree: int = 0

    @property
    def all_met(self) -> bool:
        return all(self.items[key].met for key in CONDITION_KEYS if key in self.items) and len(self.items) == 4

    def unmet(self) -> list[str]:
        return [key for key in CONDITION_KEYS if key in self.items and not self.items[key].met]

    @property
    def unmet_confirmable(self) -> list[str]:
        """The unmet conditions the Sở may confirm from records outside the system (a, b)."""
        return [key for key in CONFIRMABLE if key in self.items and not self.items[key].met]

    @property
    def proposed_degree(self) -> int:
        """The degree the school may be recognised at: what both its level and its facilities allow."""
        if not self.all_met:
            return 0
        return min(self.level_degree, self.facilities_degree)

    def as_data(self) -> dict:
        return {
            "items": {key: {"met": c.met, "detail": c.detail} for key, c in self.items.items()},
            "level_degree": self.level_degree, "facilities_degree": self.facilities_degree,
        }


def degree_problem(*, degree: int, decision_date: datetime.date, conditions: Conditions, confirmed: bool,
                   current_degree1_on: datetime.date | None) -> str | None:
    """Why a recognition at ``degree`` decided on ``decision_date`` cannot be recorded, as a code, or None.

    - "degree": not 1 or 2;  "before_tt57": decided before 07/7/2026 (a ``Certificate`` then);
    - "facilities": the Sở's facilities record does not reach the degree (d);
    - "level": the computed TT57 level does not reach the degree (c, khoản 2 Điều 16);
    - "unconfirmed": a or b not met and not confirmed by the Sở with its basis;
    - "upgrade_wait": Mức độ 2 for a school recognised at Mức độ 1 less than 2 years before.
    """
    if degree not in DEGREES:
        return "degree"
    if decision_date < TT57_EFFECTIVE:
        return "before_tt57"
    if conditions.facilities_degree < degree:
        return "facilities"
    if conditions.level_degree < degree:
        return "level"
    if any(not conditions.items[key].met for key in CONFIRMABLE if key in conditions.items) and not confirmed:
        return "unconfirmed"
    if degree == 2 and current_degree1_on is not None and decision_date < add_years(current_degree1_on, UPGRADE_WAIT_YEARS):
        return "upgrade_wait"
    return None
