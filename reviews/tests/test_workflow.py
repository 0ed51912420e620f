"""The workflow table (pure): declared once and consistent; the moves themselves are tested through the services."""


from reviews import workflow
from selfassessment.models import Report


def test_statuses_are_those_of_the_report_model():
    assert list(workflow.STATUSES) == list(Report.Status.values)
    assert workflow.EDITABLE == Report.EDITABLE_STATUSES


def test_lookups_agree_with_the_table():
    """transition_for, targets_from and actions_from read the one table (which moves it holds is
    tested through the services in test_services.py, for every status and action)."""
    for (source, target), transition in workflow.TRANSITIONS.items():
        assert workflow.transition_for(transition.action, source) is transition
        assert target in workflow.targets_from(source)
        assert transition in workflow.actions_from(source)
    for source in workflow.STATUSES:
        for action in workflow.ACTIONS:
            transition = workflow.transition_for(action, source)
            assert transition is None or (transition.source, transition.action) == (source, action)


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
