"""A form's non-field errors are shown once on its page.

The crispy-forms rendering (``{% crispy form %}``, ``|crispy``) already lists them at the top of
the form, so a template that also prints ``form.non_field_errors`` in its own alert showed every
error twice. Each page is posted with a non-field error and the message is counted in the answer.
"""

from __future__ import annotations

import lxml.html
import pytest
from django import forms
from django.urls import reverse

from evaluations import forms as evaluation_forms
from evaluations.tests import url_matrix

MESSAGE = "Lỗi chung của biểu mẫu, chỉ được hiện một lần."


@pytest.fixture
def objects(district, reviewer, school_a, principal_a):
    ctx = {"district": district, "reviewer": reviewer, "school_a": school_a, "principal_a": principal_a}
    url_matrix.setup(ctx)
    return ctx


def _pk(name):
    return lambda ctx: {"pk": ctx[name].pk}


# (url name, its kwargs, the form class the view binds): every evaluations page with a form that
# can carry a non-field error (a refused service call, a stale page, a cross-field rule).
PAGES = [
    ("evaluations:plan_create", lambda ctx: {}, evaluation_forms.PlanForm),
    ("evaluations:plan_update", _pk("eval_plan"), evaluation_forms.PlanForm),
    ("evaluations:plan_schools_add", _pk("eval_plan"), evaluation_forms.PlanSchoolsForm),
    ("evaluations:plan_entry_update", _pk("eval_entry"), evaluation_forms.PlanEntryForm),
    ("evaluations:round_create", lambda ctx: {}, evaluation_forms.RoundForm),
    ("evaluations:round_update", _pk("eval_round"), evaluation_forms.RoundForm),
    ("evaluations:round_schools_add", _pk("eval_round"), evaluation_forms.RoundSchoolsForm),
    ("evaluations:milestone_create", _pk("eval_round"), evaluation_forms.MilestoneForm),
    ("evaluations:milestone_update", _pk("eval_school_milestone"), evaluation_forms.MilestoneForm),
    ("evaluations:deadline_update", _pk("eval_deadline"), evaluation_forms.DeadlineForm),
    ("evaluations:evaluation_create", lambda ctx: {}, evaluation_forms.EvaluationStartForm),
    ("evaluations:evaluation_update", _pk("eval_evaluation"), evaluation_forms.EvaluationForm),
    ("evaluations:evaluation_results", _pk("eval_evaluation"), evaluation_forms.ResultsForm),
    ("evaluations:certificate_create", lambda ctx: {}, evaluation_forms.CertificateForm),
    ("evaluations:certificate_update", _pk("eval_certificate"), evaluation_forms.CertificateForm),
    ("evaluations:periodic_report_return", _pk("eval_periodic_review"), evaluation_forms.PeriodicReasonForm),
]


def _refuse_with_a_non_field_error(self):
    raise forms.ValidationError(MESSAGE)


def _alerts_with(body: str, text: str) -> list[str]:
    tree = lxml.html.fromstring(body)
    alerts = tree.xpath('//*[contains(concat(" ", normalize-space(@class), " "), " alert-danger ")]')
    return [" ".join(a.text_content().split()) for a in alerts if text in a.text_content()]


@pytest.mark.parametrize(("url_name", "kwargs", "form_class"), PAGES, ids=[p[0].split(":")[1] for p in PAGES])
def test_a_non_field_error_is_shown_once(client, objects, monkeypatch, url_name, kwargs, form_class):
    monkeypatch.setattr(form_class, "clean", _refuse_with_a_non_field_error)
    client.force_login(objects["reviewer"])
    # Any field posted binds the form (the views take an empty POST for a first visit).
    response = client.post(reverse(url_name, kwargs=kwargs(objects)), {"note": "Thử"})
    assert response.status_code == 200
    body = response.content.decode()
    assert body.count(MESSAGE) == 1, f"{url_name}: the error is shown {body.count(MESSAGE)} times"
    assert len(_alerts_with(body, MESSAGE)) == 1


def test_a_stale_page_is_told_once(client, objects):
    """A tampered revision (a hidden field) is reported at the top of the form, once."""
    plan = objects["eval_plan"]
    client.force_login(objects["reviewer"])
    response = client.post(reverse("evaluations:plan_update", kwargs={"pk": plan.pk}),
                           {"title": "Kế hoạch 2024 (sửa)", "revision": "không phải số"})
    assert response.status_code == 200
    message = str(evaluation_forms.PlanForm.hidden_field_error)
    body = response.content.decode()
    assert body.count(message) == 1 and len(_alerts_with(body, message)) == 1
    plan.refresh_from_db()
    assert plan.title == "Kế hoạch 2024"


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31", "1999-12-31"])
def test_a_date_out_of_range_is_refused_in_vietnamese_not_a_crash(client, objects, day):
    """A round's default schedule counts days from the dossier date: year 1 or 9999 used to
    overflow into a 500 (found by the bad-input tests)."""
    from evaluations.models import EvaluationRound

    client.force_login(objects["reviewer"])
    before = EvaluationRound.objects.count()
    response = client.post(reverse("evaluations:round_create"), {
        "unit": objects["district"].pk, "year": "2028", "number": "7", "dossier_date": day,
        "with_default_schedule": "on", "note": "",
    })
    assert response.status_code == 200
    assert "Ngày phải từ 01/01/2000 đến 31/12/2100." in response.content.decode()
    assert EvaluationRound.objects.count() == before
