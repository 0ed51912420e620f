"""The rules of the evaluations app, persona by persona."""

import datetime

import pytest

from evaluations import services
from evaluations.models import Milestone
from kiemdinh.permissions import can, registered_rules

RULES = ["plan.view", "plan.manage", "round.view", "round.manage", "milestone.complete", "evaluation.view",
         "evaluation.record", "certificate.view", "certificate.record", "deadline.view", "deadline.manage",
         "upcoming.view", "periodic_report.submit"]


def test_every_rule_is_registered():
    assert set(RULES) <= set(registered_rules())


@pytest.fixture
def plan(district, reviewer, school_a):
    plan = services.plan_create(unit=district, year=2024, title="KH", by=reviewer)
    services.plan_schools_add(plan=plan, schools=[school_a], by=reviewer)
    return plan


@pytest.mark.parametrize(
    "persona, view, manage",
    [
        ("principal_a", True, False), ("staff_a", True, False), ("principal_b", False, False),
        ("reviewer", True, True), ("head", True, True), ("other_reviewer", False, False),
        ("officer", True, False), ("sysadmin", True, True),
    ],
)
def test_plan_rules(plan, personas, principal_b, persona, view, manage):
    user = principal_b if persona == "principal_b" else personas[persona]
    assert can(user, "plan.view", plan) is view
    assert can(user, "plan.manage", plan) is manage


@pytest.fixture
def round_a(district, reviewer, school_a, school_b):
    round_ = services.round_create(unit=district, year=2027, number=1, by=reviewer, dossier_date=datetime.date(2027, 1, 9))
    services.round_schools_register(round_=round_, schools=[school_a, school_b], by=reviewer)
    return round_


@pytest.mark.parametrize(
    "persona, own, other, district_side",
    [
        ("principal_a", True, False, False), ("staff_a", False, False, False),
        ("reviewer", True, True, True), ("head", True, True, True),
        ("other_reviewer", False, False, False), ("officer", False, False, False), ("sysadmin", True, True, True),
    ],
)
def test_milestone_completion_belongs_to_the_owner_side(round_a, personas, school_a, school_b, persona, own, other, district_side):
    user = personas[persona]
    school_milestone = round_a.milestones.filter(owner=Milestone.Owner.SCHOOL).first()
    district_milestone = round_a.milestones.filter(owner=Milestone.Owner.DISTRICT).first()
    assert can(user, "milestone.complete", (school_milestone, round_a.registrations.get(school=school_a))) is own
    assert can(user, "milestone.complete", (school_milestone, round_a.registrations.get(school=school_b))) is other
    assert can(user, "milestone.complete", district_milestone) is district_side


@pytest.mark.parametrize(
    "persona, record",
    [("principal_a", False), ("reviewer", True), ("other_reviewer", False), ("officer", True), ("sysadmin", True)],
)
def test_evaluations_and_certificates_are_recorded_by_the_district_and_the_department(personas, school_a, persona, record):
    user = personas[persona]
    assert can(user, "evaluation.record", school_a) is record
    assert can(user, "certificate.record", school_a) is record


@pytest.mark.parametrize(
    "persona, view, manage",
    [("principal_a", False, False), ("reviewer", True, True), ("other_reviewer", False, False),
     ("officer", True, False), ("sysadmin", True, True)],
)
def test_deadline_rules(semester1, personas, persona, view, manage):
    user = personas[persona]
    assert can(user, "deadline.view", semester1) is view
    assert can(user, "deadline.manage", semester1) is manage


def test_upcoming_page_is_for_school_people(personas, school_a):
    assert can(personas["principal_a"], "upcoming.view")
    assert can(personas["staff_a"], "upcoming.view", school_a)
    assert not can(personas["principal_c"], "upcoming.view", school_a)
    assert not can(personas["reviewer"], "upcoming.view")


def test_unknown_rule_names_raise(personas):
    from kiemdinh.permissions import UnknownPermissionError

    with pytest.raises(UnknownPermissionError):
        can(personas["reviewer"], "plan.destroy")
