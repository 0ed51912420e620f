"""The workflow table (pure): every status, every move, declared once and consistent."""

import itertools

import pytest

from reviews import workflow
from selfassessment.models import Report

ALLOWED = {
    ("draft", "submitted"), ("returned", "resubmitted"), ("submitted", "draft"), ("resubmitted", "returned"),
    ("submitted", "in_review"), ("resubmitted", "in_review"), ("in_review", "returned"), ("in_review", "accepted"),
    ("accepted", "forwarded"), ("accepted", "returned"), ("forwarded", "returned"), ("forwarded", "closed"),
}


def test_statuses_are_those_of_the_report_model():
    assert list(workflow.STATUSES) == list(Report.Status.values)
    assert workflow.EDITABLE == Report.EDITABLE_STATUSES


def test_the_table_holds_exactly_the_moves_of_the_issue():
    assert set(workflow.TRANSITIONS) == ALLOWED


@pytest.mark.parametrize(("source", "target"), list(itertools.product(workflow.STATUSES, repeat=2)))
def test_every_pair_is_either_declared_or_refused(source, target):
    transition = workflow.TRANSITIONS.get((source, target))
    if (source, target) in ALLOWED:
        assert transition is not None
        assert workflow.transition_for(transition.action, source) is transition
        assert target in workflow.targets_from(source)
    else:
        assert transition is None
        assert target not in workflow.targets_from(source)


def test_each_action_leads_to_one_target_from_a_status():
    for status in workflow.STATUSES:
        actions = [t.action for t in workflow.actions_from(status)]
        assert len(actions) == len(set(actions))


def test_only_submissions_freeze_a_version_and_locked_statuses_only_unlock_or_move_on():
    assert {t.target for t in workflow.TRANSITIONS.values() if t.freezes_version} == {"submitted", "resubmitted"}
    for status in workflow.LOCKED:
        assert all(t.action in {"unlock", "forward", "close"} for t in workflow.actions_from(status))
    assert workflow.actions_from(workflow.CLOSED) == []


def test_every_rule_named_in_the_table_is_registered():
    from kiemdinh.permissions import registered_rules

    assert {t.rule for t in workflow.TRANSITIONS.values()} <= set(registered_rules())


def test_withdrawing_is_possible_only_before_review_starts():
    assert {t.source for t in workflow.TRANSITIONS.values() if t.action == workflow.WITHDRAW} == workflow.WAITING
