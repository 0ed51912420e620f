"""The permission rules of the evidence library, persona by persona."""

import pytest

from evidence import services
from kiemdinh.permissions import can, check, registered_rules

RULES = ["evidence.view", "evidence.download", "evidence.add", "evidence.share", "evidence.change", "evidence.renumber"]


def test_every_rule_is_registered():
    assert set(RULES) <= set(registered_rules())


@pytest.fixture
def item(school_a, staff_a, c11):
    return services.evidence_create(school=school_a, criterion=c11, by=staff_a, name="Biên bản họp")


@pytest.mark.parametrize(
    ("persona", "view", "add", "change", "renumber"),
    [
        ("principal_a", True, True, True, True),
        ("staff_a", True, True, True, False),  # staff_a created the item
        ("principal_b", False, False, False, False),
        ("principal_c", False, False, False, False),
        ("reviewer", True, False, False, False),
        ("head", True, False, False, False),
        ("other_reviewer", False, False, False, False),
        ("officer", True, False, False, False),
        ("sysadmin", True, False, False, False),
    ],
)
def test_rules_by_persona(request, item, school_a, persona, view, add, change, renumber):
    user = request.getfixturevalue(persona)
    assert can(user, "evidence.view", school_a) is view
    assert can(user, "evidence.view", item) is view
    assert can(user, "evidence.download", item) is view
    assert can(user, "evidence.add", school_a) is add
    assert can(user, "evidence.share", item) is add
    assert can(user, "evidence.change", item) is change
    assert can(user, "evidence.renumber", school_a) is renumber


def test_staff_may_change_only_their_own_items(school_a, principal_a, staff_a, c11):
    principals_item = services.evidence_create(school=school_a, criterion=c11, by=principal_a, name="Quy chế")
    decision = check(staff_a, "evidence.change", principals_item)
    assert not decision.allowed
    assert "hiệu trưởng hoặc người đã tạo" in decision.reason


def test_a_creator_who_left_the_school_can_no_longer_change_their_item(item, staff_a):
    from schools.scope import reset_scope

    staff_a.memberships.update(is_active=False)
    reset_scope(staff_a)
    assert not can(staff_a, "evidence.change", item)


def test_refusals_carry_a_reason(reviewer, school_a, item):
    assert "Chỉ cán bộ, giáo viên của trường" in check(reviewer, "evidence.add", school_a).reason
    assert "Chỉ hiệu trưởng" in check(reviewer, "evidence.renumber", school_a).reason


def test_the_library_section_is_for_anyone_with_a_role(db, principal_a, reviewer):
    from schools.tests.factories import UserFactory

    assert can(principal_a, "evidence.view") and can(reviewer, "evidence.view")
    assert not can(UserFactory(), "evidence.view")
