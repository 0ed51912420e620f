"""The review rules: who may act on a report they can see."""

import pytest

from kiemdinh.permissions import can, check
from reviews.models import CommentThread
from reviews.tests import factories

pytestmark = pytest.mark.usefixtures("complete_world")  # one world for the module (reviews/tests/conftest.py)

RULES = {
    # rule: personas allowed on school A's unassigned report
    "report.submit": {"principal_a"},
    "report.withdraw": {"principal_a"},
    "report.request_unlock": {"principal_a"},
    "report.review": {"reviewer", "head"},
    "report.return": {"reviewer", "head"},
    "report.accept": {"reviewer", "head"},
    "report.forward": {"reviewer", "head"},
    "report.unlock": {"reviewer", "head"},
    "report.assign": {"reviewer", "head"},
    "report.close": {"officer"},
    "version.view": {"principal_a", "staff_a", "reviewer", "head", "officer", "sysadmin"},
}


@pytest.mark.parametrize("rule", sorted(RULES))
def test_report_rules_by_persona(report, personas, rule):
    for name, user in personas.items():
        decision = check(user, rule, factories.reload(report))
        assert decision.allowed == (name in RULES[rule]), f"{rule} for {name}"
        if not decision.allowed:
            assert decision.reason


def test_an_assigned_report_is_the_assignee_s_and_the_head_s(report, personas, district):
    from reviews import services

    services.report_submit(report=report, by=personas["principal_a"])
    services.report_assign(report=report, reviewer=personas["head"], by=personas["head"])
    fresh = factories.reload(report)
    assert can(personas["head"], "report.review", fresh)
    decision = check(personas["reviewer"], "report.review", fresh)
    assert not decision.allowed and "đã được phân công" in decision.reason


def test_forwarding_is_the_head_s_when_the_unit_requires_it(report, personas, district):
    district.requires_head_approval = True
    district.save()
    fresh = factories.reload(report)
    assert not can(personas["reviewer"], "report.forward", fresh)
    assert can(personas["head"], "report.forward", fresh)


def test_comment_rules(report, personas):
    from reviews import services

    services.report_submit(report=report, by=personas["principal_a"])
    thread = services.thread_open(report=report, by=personas["reviewer"], text="Sửa")
    thread = CommentThread.objects.select_related("report__school__reviewing_unit").get(pk=thread.pk)
    fresh = factories.reload(report)
    opening = {name for name, user in personas.items() if can(user, "comment.add", fresh)}
    answering = {name for name, user in personas.items() if can(user, "comment.add", thread)}
    resolving = {name for name, user in personas.items() if can(user, "comment.resolve", thread)}
    assert opening == {"reviewer", "head"}
    marking = {name for name, user in personas.items() if can(user, "comment.mark_fixed", thread)}
    assert answering == {"principal_a", "staff_a", "reviewer", "head"}
    # The district closes (and reopens) its remarks; the school says "Đã sửa".
    assert resolving == {"reviewer", "head"}
    assert marking == {"principal_a", "staff_a"}


def test_dashboard_rules(personas, district, other_district):
    district_viewers = {name for name, user in personas.items() if can(user, "dashboard.district")}
    assert district_viewers == {"reviewer", "head", "other_reviewer", "officer", "sysadmin"}
    assert not can(personas["other_reviewer"], "dashboard.district", district)
    assert can(personas["officer"], "dashboard.district", district)
    assert {n for n, u in personas.items() if can(u, "dashboard.department")} == {"officer", "sysadmin"}
    assert {n for n, u in personas.items() if can(u, "review.queue")} == {"reviewer", "head", "other_reviewer"}
