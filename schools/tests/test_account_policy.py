"""Account management: who may edit which account, who may grant which role to whom.

The matrix below is the account-management part of the permission matrix (issue #13): for every
persona, the accounts it may edit and, for each role, the accounts it may grant that role to.
The replays of findings 1 and 3 follow it.
"""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from kiemdinh.permissions import can
from schools import roles, services
from schools.models import Membership
from schools.scope import reset_scope, scope_of

ACTORS = ["principal_a", "staff_a", "principal_b", "principal_c", "reviewer", "head", "other_reviewer", "officer",
          "sysadmin"]
ALL = set(ACTORS)
DISTRICT_SCHOOL_PEOPLE = {"principal_a", "staff_a", "principal_b"}

# Accounts each persona may edit (identity and roles). Nobody but the administrator edits
# themselves here (their own details are on the profile page), nor an account holding a role
# they do not manage.
EDITS = {
    "principal_a": {"staff_a"},
    "staff_a": set(),
    "principal_b": set(),
    "principal_c": set(),
    "reviewer": DISTRICT_SCHOOL_PEOPLE,
    "head": DISTRICT_SCHOOL_PEOPLE | {"reviewer"},
    "other_reviewer": {"principal_c"},
    "officer": ALL - {"officer", "sysadmin"},
    "sysadmin": ALL,
}

# Who may receive each role, granted by each persona at the place the persona reaches first
# (school A for school roles, district A for the office roles, the Sở for the Sở's role).
GRANTS = {
    Membership.Role.SCHOOL_STAFF: {
        "principal_a": {"staff_a"},
        "reviewer": DISTRICT_SCHOOL_PEOPLE,
        "head": DISTRICT_SCHOOL_PEOPLE | {"reviewer"},
        "officer": ALL - {"officer", "sysadmin"},
        "sysadmin": ALL - {"sysadmin"},
    },
    Membership.Role.PRINCIPAL: {
        "reviewer": DISTRICT_SCHOOL_PEOPLE,
        "head": DISTRICT_SCHOOL_PEOPLE | {"reviewer"},
        "officer": ALL - {"officer", "sysadmin"},
        "sysadmin": ALL - {"sysadmin"},
    },
    Membership.Role.DISTRICT_REVIEWER: {
        "head": DISTRICT_SCHOOL_PEOPLE | {"reviewer"},
        "officer": ALL - {"officer", "sysadmin"},
        "sysadmin": ALL - {"sysadmin"},
    },
    Membership.Role.DISTRICT_HEAD: {
        "officer": ALL - {"officer", "sysadmin"},
        "sysadmin": ALL - {"sysadmin"},
    },
    Membership.Role.DEPARTMENT_OFFICER: {
        "sysadmin": ALL - {"sysadmin"},
    },
}


def _place(role, ctx):
    if role in Membership.SCHOOL_ROLES:
        return {"school": ctx["school_a"]}
    if role == Membership.Role.DEPARTMENT_OFFICER:
        return {"organisation": ctx["department"]}
    return {"organisation": ctx["district"]}


@pytest.fixture
def ctx(personas, school_a, district, department):
    return {**personas, "school_a": school_a, "district": district, "department": department}


@pytest.mark.parametrize("actor", ACTORS)
def test_accounts_each_role_may_edit(ctx, actor):
    editable = {target for target in ACTORS if can(ctx[actor], "account.edit", ctx[target])}
    assert editable == EDITS[actor]


@pytest.mark.parametrize("role", list(GRANTS))
@pytest.mark.parametrize("actor", ACTORS)
def test_roles_each_role_may_grant_and_to_whom(ctx, actor, role):
    receivers = {
        target for target in ACTORS
        if can(ctx[actor], "account.grant", Membership(user=ctx[target], role=role, **_place(role, ctx)))
    }
    assert receivers == GRANTS[role].get(actor, set())


@pytest.mark.parametrize("actor", ACTORS)
def test_the_role_form_offers_exactly_the_roles_below_the_actors_own(ctx, actor):
    from schools.permissions import grantable_roles

    below_principal = {Membership.Role.SCHOOL_STAFF}
    below_reviewer = below_principal | {Membership.Role.PRINCIPAL}
    below_head = below_reviewer | {Membership.Role.DISTRICT_REVIEWER}
    below_officer = below_head | {Membership.Role.DISTRICT_HEAD}
    expected = {
        "principal_a": below_principal, "principal_b": below_principal, "principal_c": below_principal,
        "staff_a": set(), "reviewer": below_reviewer, "other_reviewer": below_reviewer, "head": below_head,
        "officer": below_officer, "sysadmin": below_officer | {Membership.Role.DEPARTMENT_OFFICER},
    }
    assert set(grantable_roles(ctx[actor])) == expected[actor]


def test_a_role_grants_only_roles_strictly_below_it():
    for role in roles.RANK:
        for other in roles.grantable_by(role):
            assert role == roles.ADMIN or roles.rank(other) < roles.rank(role)
        assert role in roles.grantable_by(role) if role == roles.ADMIN else role not in roles.grantable_by(role)
    assert roles.grantable_by(roles.SCHOOL_STAFF) == frozenset()
    assert roles.grantable_by("unknown") == frozenset()


def test_every_membership_role_has_a_rank():
    assert set(Membership.Role.values) == set(roles.RANK)


# --- Finding 1: a reviewer adds a school role to the head, then edits the head's e-mail ----------


def test_finding1_reviewer_cannot_add_a_role_to_the_head_nor_edit_the_heads_email(client, reviewer, head, school_a):
    """Replays issue #13 finding 1 as cv.dongda1 against tp.dongda, through the pages."""
    client.force_login(reviewer)
    response = client.post(
        reverse("schools:account_membership_add", args=[head.pk]),
        {"role-role": "school_staff", "role-school": school_a.pk, "role-title": ""},
    )
    assert response.status_code == 403
    assert not head.memberships.filter(school=school_a).exists()

    # Even had the role been added (say by an administrator), the head's identity stays out of reach.
    Membership.objects.create(user=head, role=Membership.Role.SCHOOL_STAFF, school=school_a)
    response = client.post(
        reverse("schools:account_detail", args=[head.pk]),
        {"account-username": "head", "account-full_name": "Trưởng phòng", "account-email": "attacker@example.vn",
         "account-phone": "", "account-position": "", "account-is_active": "on"},
    )
    assert response.status_code == 403
    head.refresh_from_db()
    assert head.email == "head@example.vn"
    assert client.post(reverse("schools:account_send_password_link", args=[head.pk])).status_code == 403


def test_finding1_the_heads_page_shows_no_edit_form_to_a_reviewer(client, reviewer, head):
    client.force_login(reviewer)
    response = client.get(reverse("schools:account_detail", args=[head.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'name="account-email"' not in page
    assert reverse("schools:account_membership_add", args=[head.pk]) not in page
    assert "mà bạn không quản lý" in page


def test_finding1_services_refuse_too(reviewer, head, school_a):
    with pytest.raises(PermissionDenied):
        services.membership_add(
            by=reviewer, membership=Membership(user=head, role=Membership.Role.SCHOOL_STAFF, school=school_a)
        )
    head.email = "attacker@example.vn"
    with pytest.raises(PermissionDenied):
        services.account_update(by=reviewer, user=head)


def test_a_principal_edits_her_staff_but_not_a_staff_member_who_is_also_a_reviewer(principal_a, staff_a, reviewer,
                                                                                     school_a):
    assert can(principal_a, "account.edit", staff_a)
    Membership.objects.create(user=reviewer, role=Membership.Role.SCHOOL_STAFF, school=school_a)
    assert not can(principal_a, "account.edit", reviewer)
    # A revoked role still counts: it could be given back.
    Membership.objects.create(user=staff_a, role=Membership.Role.PRINCIPAL, school=school_a, is_active=False)
    assert not can(principal_a, "account.edit", staff_a)


# --- Finding 3: a reviewer makes itself principal of a school, then writes its report ---------------


def test_finding3_reviewer_cannot_make_itself_principal(client, reviewer, school_a):
    client.force_login(reviewer)
    response = client.post(
        reverse("schools:account_membership_add", args=[reviewer.pk]),
        {"role-role": "principal", "role-school": school_a.pk, "role-title": ""},
    )
    assert response.status_code == 403
    reset_scope(reviewer)
    assert school_a.pk not in scope_of(reviewer).principal_school_ids
    with pytest.raises(PermissionDenied):
        services.membership_add(
            by=reviewer, membership=Membership(user=reviewer, role=Membership.Role.PRINCIPAL, school=school_a)
        )


def test_finding3_reviewer_cannot_make_a_colleague_principal(reviewer, school_a, district):
    from schools.tests.factories import MembershipFactory, UserFactory

    colleague = UserFactory(username="cv2")
    MembershipFactory(user=colleague, role=Membership.Role.DISTRICT_REVIEWER, organisation=district)
    assert not can(reviewer, "account.grant", Membership(user=colleague, role="principal", school=school_a))


def test_nobody_grants_a_role_to_themselves_not_even_the_administrator(sysadmin, school_a):
    assert not can(sysadmin, "account.grant", Membership(user=sysadmin, role="principal", school=school_a))


def test_the_admin_site_changes_accounts_for_administrators_only(rf, sysadmin, reviewer):
    """A staff member given model permissions must not step around the role hierarchy there."""
    from django.contrib import admin as django_admin

    from schools.models import User

    user_admin = django_admin.site._registry[User]
    reviewer.is_staff = True
    for who, allowed in ((reviewer, False), (sysadmin, True)):
        request = rf.get("/admin/")
        request.user = who
        assert user_admin.has_change_permission(request, reviewer) is allowed
        assert user_admin.has_add_permission(request) is allowed
