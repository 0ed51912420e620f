"""English pages of the improvement-plan tracking: words with two meanings told apart by their
context, and the district dashboard's count sentence with a plural for each count."""

import pytest
from django.conf import settings
from django.urls import reverse

from .test_views_tracking import _bulk_schools, _plan

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("report_world")]

DROPPED_WORDS = "Không thực hiện"


def _in_english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def dropped_and_open(report, principal_a):
    return _plan(report, principal_a, [
        ("1.1", "Việc còn hạn", 60, "not_started"),
        ("1.2", "Việc bỏ", 10, "dropped"),
    ])


def _plan_url(report):
    return reverse("selfassessment:improvement_plan", args=[report.school_id])


def _detail_url(action):
    return reverse("selfassessment:improvement_action_detail", args=[action.pk])


def test_english_plan_calls_the_status_dropped_and_the_button_drop(client, principal_a, report, dropped_and_open):
    open_action, dropped = dropped_and_open
    _in_english(client).force_login(principal_a)
    plan = client.get(_plan_url(report)).content.decode()
    assert 'lang="en"' in plan
    # The count card, the status filter and the dropped action's badge.
    assert '<div class="text-muted small">Dropped</div>' in plan
    assert '<option value="dropped">Dropped</option>' in plan
    assert '<span class="badge text-bg-secondary">Dropped</span>' in plan
    assert ">Drop<" not in plan and DROPPED_WORDS not in plan
    assert ">Track</a>" in plan and ">Follow-up</span>" in plan
    detail = client.get(_detail_url(open_action))
    assert [t["status"] for t in detail.context["transitions"]] == ["in_progress", "done", "dropped"]
    content = detail.content.decode()
    assert "Drop…</summary>" in content and "Mark as completed" in content and "Start implementation" in content
    assert ">Dropped<" not in content and DROPPED_WORDS not in content
    assert ">Dropped<" in client.get(_detail_url(dropped)).content.decode()


def test_vietnamese_keeps_the_same_words_for_the_status_and_the_button(client, principal_a, report, dropped_and_open):
    open_action, _dropped = dropped_and_open
    client.force_login(principal_a)
    plan = client.get(_plan_url(report)).content.decode()
    assert plan.count(f">{DROPPED_WORDS}<") == 3 and ">Theo dõi</a>" in plan  # card, filter, badge
    assert f"{DROPPED_WORDS}…</summary>" in client.get(_detail_url(open_action)).content.decode()


def test_english_rollup_column_is_the_status(client, reviewer, dropped_and_open):
    _in_english(client).force_login(reviewer)
    content = client.get(reverse("selfassessment:improvement_rollup")).content.decode()
    assert ">Dropped</th>" in content and "Completed / dropped" in content


def _dashboard(client) -> str:
    return client.get(reverse("reviews:district_dashboard")).content.decode()


def test_english_dashboard_sentence_for_one_overdue_action(client, reviewer, report, principal_a):
    _plan(report, principal_a, [("1.1", "Việc quá hạn", -5, "in_progress")])
    _in_english(client).force_login(reviewer)
    content = _dashboard(client)
    assert "Improvement plans: 1 overdue measure in 1 school." in content
    assert "Periodic reports" in content


def test_english_dashboard_sentence_for_several_overdue_actions(client, reviewer, district, report, principal_a):
    _plan(report, principal_a, [("1.1", "Việc quá hạn", -5, "in_progress")])
    _bulk_schools(district, report, 2)  # two overdue actions in each
    _in_english(client).force_login(reviewer)
    assert "Improvement plans: 5 overdue measures in 3 schools." in _dashboard(client)


def test_english_dashboard_sentence_for_several_actions_in_one_school(client, reviewer, report, principal_a):
    _plan(report, principal_a, [("1.1", "Việc quá hạn", -5, "in_progress"), ("1.2", "Việc trễ", -2, "not_started")])
    _in_english(client).force_login(reviewer)
    assert "Improvement plans: 2 overdue measures in 1 school." in _dashboard(client)


def test_vietnamese_dashboard_sentence_is_unchanged(client, reviewer, report, principal_a):
    _plan(report, principal_a, [("1.1", "Việc quá hạn", -5, "in_progress")])
    client.force_login(reviewer)
    assert "Kế hoạch cải tiến: 1 biện pháp quá hạn ở 1 trường." in _dashboard(client)
