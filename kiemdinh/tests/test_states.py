"""How pages show a status (kiemdinh/states.py): one declaration per status field, one badge tag.

The expectations are read from the declarations themselves (every workflow and every declared field,
every value of its choices), so a new workflow or a new status is checked without editing this file.
"""

from __future__ import annotations

import pytest
from django.apps import apps
from django.template import Context, Template, TemplateSyntaxError
from django.utils.html import escape

from kiemdinh import states, workflow


def _field_values(model_label: str, field: str) -> set[str]:
    model = apps.get_model(model_label)
    return {str(value) for value, _label in model._meta.get_field(field).flatchoices}


def _samples() -> list[tuple[states.States, str]]:
    return [(declared, value) for declared in states.declared() for value in sorted(declared.values)]


def _instance(declared: states.States, value: str):
    return apps.get_model(declared.model_label)(**{declared.field: value})


def test_every_workflow_declares_how_its_statuses_look():
    for flow in workflow.registered_workflows():
        assert flow.states is not None, f"{flow.name} declares no tones"
        assert states.states_for(apps.get_model(flow.model_label), flow.field) is flow.states
        choices = _field_values(flow.model_label, flow.field)
        assert set(flow.states.tones) == choices, flow.name
        # Every status the table moves through is a choice of the field (so it has a tone).
        assert {str(status) for status in flow.statuses} <= choices, flow.name


def test_every_declared_field_gives_each_of_its_values_a_known_tone():
    assert len(states.declared()) >= len(workflow.registered_workflows())
    for declared in states.declared():
        assert set(declared.tones) == _field_values(declared.model_label, declared.field), declared
        assert set(declared.tones.values()) <= states.TONES, declared
        assert set(declared.icons) <= set(declared.tones), declared


@pytest.mark.parametrize(("declared", "value"), _samples(), ids=lambda x: str(x) if isinstance(x, str) else x.model_label)
def test_state_badge_shows_the_label_and_the_declared_tone(declared, value):
    obj = _instance(declared, value)
    html = Template('{% load workflow %}{% state_badge obj field %}').render(Context({"obj": obj, "field": declared.field}))
    tone = declared.tones[value]
    label = str(declared.choices[value])
    assert f'class="badge text-bg-{tone}' in html
    assert html.endswith(f"{escape(label)}</span>")
    if tone == "light":
        assert "text-bg-light border" in html
    if value in declared.icons:
        assert f'<i class="bi bi-{declared.icons[value]}"></i> ' in html
    else:
        assert "<i " not in html


@pytest.mark.parametrize(("declared", "value"), _samples(), ids=lambda x: str(x) if isinstance(x, str) else x.model_label)
def test_state_of_answers_is_status_for_its_own_status_only(declared, value):
    state = states.state_of(_instance(declared, value), declared.field)
    assert state.value == value and state.label == str(declared.choices[value])
    for other in declared.values:
        assert getattr(state, f"is_{other}") is (other == value)


def test_a_misspelt_status_is_an_error_even_in_an_if():
    report = apps.get_model("selfassessment.Report")(status="returned")
    with pytest.raises(states.UnknownStatus):
        states.state_of(report).is_retuned  # noqa: B018
    template = Template('{% load workflow %}{% state_of report as st %}{% if st.is_retuned %}x{% endif %}')
    with pytest.raises(states.UnknownStatus):
        template.render(Context({"report": report}))
    ok = Template('{% load workflow %}{% state_of report as st %}{% if st.is_returned %}x{% endif %}')
    assert ok.render(Context({"report": report})) == "x"


def test_state_badge_adds_a_note_and_classes():
    job = apps.get_model("exports.ExportJob")(status="running", progress=42)
    html = Template('{% load workflow %}{% state_badge job note=job.progress|stringformat:"d%%" classes="fs-6" %}').render(
        Context({"job": job}))
    assert html == '<span class="badge text-bg-info fs-6">Đang tạo 42%</span>'


def test_state_of_nothing_is_none():
    assert Template('{% load workflow %}{% state_of obj as st %}{{ st|default:"-" }}').render(Context({"obj": None})) == "-"


def test_undeclared_field_is_an_error():
    school = apps.get_model("schools.School")(level="thcs")
    with pytest.raises(LookupError):
        states.state_of(school, "level")
    with pytest.raises(TemplateSyntaxError):
        Template("{% load workflow %}{% state_badge %}")


def test_a_field_is_declared_once():
    with pytest.raises(ValueError, match="declared twice"):
        states.declare_states(states.States("schools.School", tones={"active": "success"}))
    with pytest.raises(ValueError, match="unknown tones"):
        states.States("schools.School", tones={"active": "green"})


def test_the_report_filters_keep_their_badge_for_bare_statuses():
    """An event's from/to and a dashboard row carry a bare status: the same look, from the same declaration."""
    html = Template('{% load reviews_tags %}{{ s|status_badge }}|{{ ""|status_css }}|{{ "x"|status_label }}').render(
        Context({"s": "returned"}))
    assert html == ('<span class="badge text-bg-warning"><i class="bi bi-arrow-return-left"></i> Trả lại để chỉnh sửa'
                    "</span>|text-bg-light|x")
