"""The workflow layer on its own (kiemdinh/workflow.py): a small made-up workflow on the report model.

The table, ``actions_for`` (every action, allowed or why not), ``apply`` (lock, check, effect,
status, audit, notifications after the commit) and the template tag.
"""

from __future__ import annotations

import pytest
from django.template import Context, Template
from django.test import RequestFactory

from audit.models import Event
from kiemdinh import workflow as wf
from kiemdinh.permissions import ALLOW, deny, rule
from reviews.tests import factories
from selfassessment.models import Report

NAME = "test.layer"


@rule("test.layer.principal")
def _principal_only(user, report):
    return ALLOW if user.username == "principal_a" else deny("only the principal")


@rule("test.layer.anyone")
def _anyone(user, report):
    return ALLOW


@rule("test.layer.about_the_school")
def _about_the_school(user, obj):
    return ALLOW if obj._meta.label == "schools.School" else deny("asked about the wrong object")


def _blocked_title(user, report):
    return "the title says no" if report.council_decision_number == "blocked" else None


def _effect(step):
    if step.data.get("explode"):
        raise wf.WorkflowError("effect refused")
    step.summary = "made by the effect"
    step.audit_data = {"note": step.data.get("note", "")}
    step.result = "effect ran"


NOTIFIED = []

TABLE = (
    wf.Transition("submit", "draft", "submitted", "test.layer.principal", "sent", "Gửi",
                  guards=(_blocked_title,), effect=_effect),
    wf.Transition("withdraw", "submitted", "draft", "test.layer.principal", "taken_back", "Rút"),
    wf.Transition("close", "submitted", "closed", "test.layer.anyone", "closed", "Đóng"),
)


@pytest.fixture
def layer():
    flow = wf.register(wf.Workflow(NAME, "selfassessment.Report", transitions=TABLE, audit_prefix="test.report",
                                   notify=lambda step: NOTIFIED.append((step.transition.action, step.obj.pk))))
    NOTIFIED.clear()
    yield flow
    wf.unregister(NAME)


@pytest.fixture
def report(principal_a, staff_a, school_year):
    return factories.report_for(principal_a.memberships.get().school, principal_a)


def test_the_table_refuses_two_moves_for_one_action_from_one_status():
    with pytest.raises(ValueError):
        wf.Workflow("dup", "x.Y", transitions=(TABLE[0], TABLE[0]))


def test_an_unknown_action_is_a_programming_error(layer, report, principal_a):
    with pytest.raises(wf.UnknownAction):
        layer.action_state(principal_a, report, "publish")


def test_actions_for_lists_every_action_with_the_reason_of_each_refusal(layer, report, principal_a, staff_a):
    acts = wf.actions_for(principal_a, report, NAME)
    assert [a.action for a in acts] == ["submit", "withdraw", "close"]
    assert acts["submit"].allowed and acts["submit"].reason == "" and acts["submit"].transition is TABLE[0]
    assert acts.submit.label == "Gửi"
    assert not acts["withdraw"].allowed and acts["withdraw"].transition is None
    assert acts["withdraw"].reason == "Không thể thực hiện “Rút” ở trạng thái “Đang soạn thảo”."
    assert [a.action for a in acts.allowed] == ["submit"]
    staff = wf.actions_for(staff_a, report, NAME)
    assert not staff.submit.allowed and staff.submit.reason == "only the principal"
    report.council_decision_number = "blocked"
    assert wf.action_state(principal_a, report, "submit", NAME).reason == "the title says no"


def test_apply_moves_records_the_event_and_notifies_after_the_commit(
        layer, report, principal_a, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        moved = wf.apply(report, "submit", principal_a, workflow=NAME, note="n1")
        assert NOTIFIED == []  # nothing is sent before the commit
    assert moved.status == "submitted" and report.status == "submitted"
    assert Report.objects.get(pk=report.pk).status == "submitted"
    event = Event.objects.get(action="test.report.sent")
    assert (event.from_state, event.to_state, event.summary, event.data) == (
        "draft", "submitted", "made by the effect", {"note": "n1"})
    assert event.actor == principal_a and event.school_id == report.school_id
    assert wf.last_step(moved).result == "effect ran" and wf.last_step(moved).event == event
    for callback in callbacks:
        callback()
    assert NOTIFIED == [("submit", report.pk)]


def test_the_audit_summary_defaults_to_the_label(layer, report, principal_a):
    report.status = "submitted"
    report.save()
    wf.apply(report, "withdraw", principal_a, workflow=NAME)
    assert Event.objects.get(action="test.report.taken_back").summary == "Rút"


@pytest.mark.parametrize(("who", "title", "action", "error", "message"), [
    ("principal_a", "", "withdraw", wf.TransitionNotAllowed, "Không thể thực hiện “Rút” ở trạng thái “Đang soạn thảo”."),
    ("staff_a", "", "submit", wf.PermissionRefused, "only the principal"),
    ("principal_a", "blocked", "submit", wf.GuardRefused, "the title says no"),
])
def test_a_refused_move_raises_and_changes_nothing(layer, report, principal_a, staff_a, who, title, action, error,
                                                   message):
    Report.objects.filter(pk=report.pk).update(council_decision_number=title)
    report.refresh_from_db()
    user = {"principal_a": principal_a, "staff_a": staff_a}[who]
    with pytest.raises(error) as raised:
        wf.apply(report, action, user, workflow=NAME)
    assert raised.value.message == message and isinstance(raised.value, wf.WorkflowError)
    assert Report.objects.get(pk=report.pk).status == "draft"
    assert not Event.objects.filter(action__startswith="test.report.").exists()


def test_an_effect_that_refuses_rolls_the_move_back(layer, report, principal_a):
    with pytest.raises(wf.WorkflowError, match="effect refused"):
        wf.apply(report, "submit", principal_a, workflow=NAME, explode=True)
    assert Report.objects.get(pk=report.pk).status == "draft"
    assert not Event.objects.filter(action__startswith="test.report.").exists()


def test_apply_checks_the_locked_row_not_the_callers_copy(layer, report, principal_a):
    stale = Report.objects.get(pk=report.pk)
    wf.apply(report, "submit", principal_a, workflow=NAME)
    assert stale.status == "draft"  # someone else's page still shows the draft
    with pytest.raises(wf.TransitionNotAllowed):
        wf.apply(stale, "submit", principal_a, workflow=NAME)
    assert Event.objects.filter(action="test.report.sent").count() == 1


def test_workflow_for_needs_a_name_when_a_model_has_several(layer, report):
    assert wf.workflow_for(report, NAME) is layer
    assert wf.get(NAME) is layer
    assert layer in wf.registered_workflows()
    other = wf.register(wf.Workflow("test.layer.other", "selfassessment.Report", transitions=TABLE))
    try:
        with pytest.raises(LookupError):
            wf.workflow_for(report)
    finally:
        wf.unregister(other.name)


def test_registering_two_workflows_under_one_name_is_refused(layer):
    with pytest.raises(ValueError):
        wf.register(wf.Workflow(NAME, "selfassessment.Report", transitions=TABLE))


def test_templates_ask_the_workflow(layer, report, principal_a, staff_a):
    template = Template(
        "{% load workflow %}{% actions_for report 'test.layer' as acts %}"
        "{% if acts.submit.allowed %}SUBMIT{% else %}{{ acts.submit.reason }}{% endif %}"
        "|{{ acts|action_allowed:'close' }}"
    )
    for user, expected in ((principal_a, "SUBMIT|False"), (staff_a, "only the principal|False")):
        request = RequestFactory().get("/")
        request.user = user
        assert template.render(Context({"request": request, "report": report})) == expected


def test_the_refusal_says_what_refused(layer, report, principal_a, staff_a):
    assert wf.action_state(principal_a, report, "withdraw", NAME).refused_by == "status"
    assert wf.action_state(staff_a, report, "submit", NAME).refused_by == "rule"
    report.council_decision_number = "blocked"
    assert wf.action_state(principal_a, report, "submit", NAME).refused_by == "guard"
    report.council_decision_number = ""
    assert wf.action_state(principal_a, report, "submit", NAME).refused_by == ""


def test_attached_hooks_run_in_order_and_a_move_that_keeps_the_status_saves_nothing_else(
        report, principal_a, staff_a):
    calls = []
    stay = wf.Transition("note", "draft", "draft", "test.layer.about_the_school", "noted", "Ghi chú")
    flow = wf.register(wf.Workflow("test.layer.hooks", "selfassessment.Report", transitions=(stay,),
                                   audit_prefix="test.report", rule_object=lambda obj: obj.school))
    try:
        flow.attach("note", effect=lambda step: calls.append(("effect", step.source)),
                    after=lambda step: calls.append(("after", step.event.action)))
        with pytest.raises(ValueError):
            flow.attach("note", effect=lambda step: None)  # one set of hooks per move
        with pytest.raises(wf.UnknownAction):
            flow.attach("publish", effect=lambda step: None)
        assert flow.action_state(staff_a, report, "note").allowed  # the rule was asked about the school
        before = Report.objects.get(pk=report.pk).updated_at
        wf.apply(report, "note", staff_a, workflow="test.layer.hooks")
        assert calls == [("effect", "draft"), ("after", "test.report.noted")]
        assert Report.objects.get(pk=report.pk).updated_at == before  # nothing saved: the status stays
        event = Event.objects.get(action="test.report.noted")
        assert (event.from_state, event.to_state) == ("", "")  # no status change to record
    finally:
        wf.unregister("test.layer.hooks")
