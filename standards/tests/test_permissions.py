"""The two rules of the standards app."""

import pytest

from kiemdinh.permissions import can, check


@pytest.mark.parametrize("persona", ["principal_a", "staff_a", "reviewer", "head", "officer", "sysadmin"])
def test_every_logged_in_user_may_view_the_catalogs(personas, persona):
    assert can(personas[persona], "catalog.view")


@pytest.mark.parametrize(
    ("persona", "allowed"),
    [("principal_a", False), ("staff_a", False), ("reviewer", False), ("head", False), ("officer", False),
     ("sysadmin", True)],
)
def test_only_a_system_admin_may_manage_the_catalogs(personas, persona, allowed):
    decision = check(personas[persona], "catalog.manage")
    assert decision.allowed is allowed
    if not allowed:
        assert "quản trị hệ thống" in decision.reason


def test_an_inactive_user_may_not_view(principal_a):
    principal_a.is_active = False
    assert not can(principal_a, "catalog.view")


def test_an_admin_membership_without_superuser_may_manage(db):
    from schools.models import Membership
    from schools.tests.factories import MembershipFactory, UserFactory

    user = UserFactory(username="plainadmin")
    MembershipFactory(user=user, role=Membership.Role.ADMIN)
    assert can(user, "catalog.manage")
