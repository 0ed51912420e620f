"""Recognition dates and levels (pure rules)."""

import datetime

import pytest

from evaluations import certification as c

D = datetime.date


@pytest.mark.parametrize(
    "decision, until",
    [(D(2024, 6, 12), D(2029, 6, 12)), (D(2024, 2, 29), D(2029, 2, 28)), (D(2019, 12, 31), D(2024, 12, 31))],
)
def test_valid_for_five_years(decision, until):
    assert c.valid_until(decision) == until


@pytest.mark.parametrize(
    "decision, earliest",
    [
        (D(2025, 1, 24), D(2027, 1, 24)),  # before TT22/2024: two years
        (D(2025, 1, 25), D(2026, 1, 25)),  # the day TT22/2024 took effect: one year
        (D(2026, 3, 1), D(2027, 3, 1)),
        (D(2020, 2, 29), D(2022, 2, 28)),
        (D(2024, 2, 29), D(2026, 2, 28)),
    ],
)
def test_earliest_higher_level_application(decision, earliest):
    assert c.earliest_upgrade_date(decision) == earliest


@pytest.mark.parametrize(
    "today, state",
    [
        (D(2029, 6, 12), c.EXPIRING),  # last valid day
        (D(2029, 6, 13), c.EXPIRED),
        (D(2028, 12, 11), c.EXPIRING),  # 183 days before
        (D(2028, 12, 10), c.VALID),
        (D(2025, 1, 1), c.VALID),
    ],
)
def test_validity_state(today, state):
    assert c.validity_state(D(2029, 6, 12), today) == state


@pytest.mark.parametrize(
    "decision, accreditation, national, problem",
    [
        (D(2024, 1, 1), 2, 1, None),
        (D(2024, 1, 1), 3, 2, None),
        (D(2024, 1, 1), 4, 2, None),
        (D(2024, 1, 1), 1, 0, None),
        (D(2024, 1, 1), 1, 1, "national_above_accreditation"),
        (D(2024, 1, 1), 2, 2, "national_above_accreditation"),
        (D(2016, 5, 1), 1, 1, None),  # legacy recognitions were separate
        (D(2024, 1, 1), 0, 0, "accreditation_range"),
        (D(2024, 1, 1), 5, 0, "accreditation_range"),
        (D(2024, 1, 1), 2, 3, "national_range"),
    ],
)
def test_levels_problem(decision, accreditation, national, problem):
    assert c.levels_problem(decision, accreditation, national) == problem
