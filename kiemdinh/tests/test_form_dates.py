"""Issue 13 finding 8 (dates): date fields of the self-assessment forms refuse slips of the keyboard."""

from __future__ import annotations

import pytest

from selfassessment.forms import CouncilDecisionForm, ImprovementActionForm


@pytest.mark.parametrize("value", ["1899-12-31", "0001-01-01", "1999-12-31", "2101-01-01", "9999-12-31"])
def test_plan_and_council_dates_outside_2000_2100_are_refused_in_vietnamese(value):
    plan = ImprovementActionForm(data={"action": "Bồi dưỡng giáo viên", "start_on": value, "due_on": value})
    assert not plan.is_valid()
    assert plan.errors["start_on"] == ["Ngày phải từ 01/01/2000 đến 31/12/2100."]
    assert plan.errors["due_on"] == ["Ngày phải từ 01/01/2000 đến 31/12/2100."]
    council = CouncilDecisionForm(data={"decision_number": "12/QĐ-THCS", "decision_date": value})
    assert not council.is_valid() and "decision_date" in council.errors


def test_dates_inside_the_bounds_are_kept():
    plan = ImprovementActionForm(data={"action": "Bồi dưỡng giáo viên", "start_on": "2025-09-05", "due_on": "2100-12-31"})
    assert plan.is_valid(), plan.errors
    council = CouncilDecisionForm(data={"decision_date": "2000-01-01"})
    assert council.is_valid(), council.errors
    assert 'min="2000-01-01"' in str(council["decision_date"])
