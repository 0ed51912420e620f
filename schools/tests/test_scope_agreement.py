"""One scope definition: "which objects may this user see" (the scoped querysets) and "may this
user see this object" (the predicate the rules ask) agree for every role, over a small world.

The world has two Sở, three district offices, schools under each office and one school attached
to a Sở directly; the people hold every role at several places, plus the edge cases (a
superuser without any role, a revoked role, two roles at once, a locked account).
"""

from __future__ import annotations

import pytest

from kiemdinh.permissions import can
from schools import selectors
from schools.models import Membership, Organisation, School, User
from schools.scope import MANAGED_UNITS, ORGANISATIONS, SCHOOLS, holds_admin, is_admin, school_in_scope, scope_of
from schools.tests.factories import DepartmentFactory, MembershipFactory, SchoolFactory, UnitFactory, UserFactory

Role = Membership.Role


@pytest.fixture
def world(db):
    d1 = DepartmentFactory(code="so-1", name="Sở 1")
    d2 = DepartmentFactory(code="so-2", name="Sở 2")
    u1, u2, u3 = UnitFactory(parent=d1), UnitFactory(parent=d1), UnitFactory(parent=d2)
    schools = {
        "s1": SchoolFactory(reviewing_unit=u1), "s1b": SchoolFactory(reviewing_unit=u1),
        "s2": SchoolFactory(reviewing_unit=u2), "s3": SchoolFactory(reviewing_unit=u3),
        "s4": SchoolFactory(reviewing_unit=d1),  # attached to the Sở directly
    }
    places = {"d1": d1, "d2": d2, "u1": u1, "u2": u2, "u3": u3, **schools}
    people: dict[str, User] = {}

    def person(name, *roles, **fields):
        user = UserFactory(username=name, **fields)
        for role, place in roles:
            target = {}
            if role in Membership.SCHOOL_ROLES:
                target["school"] = places[place]
            elif role != Role.ADMIN:
                target["organisation"] = places[place]
            MembershipFactory(user=user, role=role, **target)
        people[name] = user
        return user

    for role in (Role.PRINCIPAL, Role.SCHOOL_STAFF):
        for place in ("s1", "s3", "s4"):
            person(f"{role}-{place}", (role, place))
    for role in (Role.DISTRICT_REVIEWER, Role.DISTRICT_HEAD):
        for place in ("u1", "u3"):
            person(f"{role}-{place}", (role, place))
    for place in ("d1", "d2"):
        person(f"officer-{place}", (Role.DEPARTMENT_OFFICER, place))
    person("admin-role", (Role.ADMIN, None))
    person("superuser", is_superuser=True)
    person("nobody")
    person("two-roles", (Role.PRINCIPAL, "s3"), (Role.DISTRICT_REVIEWER, "u1"))
    revoked = person("revoked", (Role.DISTRICT_HEAD, "u1"))
    revoked.memberships.update(is_active=False)
    person("locked", (Role.DEPARTMENT_OFFICER, "d1"), is_active=False)
    return {"people": people, "schools": schools, "places": places}


def _fresh(user: User) -> User:
    """A user as a new request loads it: no scope cached from an earlier call."""
    return User.objects.get(pk=user.pk)


def test_every_role_is_in_the_world(world):
    held = set(Membership.objects.values_list("role", flat=True))
    assert held == set(Role.values)


def test_scoped_schools_and_the_per_school_predicate_agree_for_every_person(world):
    schools = list(School.objects.all())
    for name, person in world["people"].items():
        user = _fresh(person)
        listed = set(selectors.schools_visible_to(user))
        scope = scope_of(user)
        # Each school loaded on its own, as a view's lookup does (the predicate follows the unit).
        predicate = {s for s in schools if school_in_scope(scope, School.objects.get(pk=s.pk))}
        rule = {s for s in schools if can(user, "school.view", s)}
        assert listed == predicate == rule, name
        assert listed == set(School.objects.filter(scope.q(SCHOOLS))), name


def test_scoped_organisations_and_the_predicate_agree_for_every_person(world):
    organisations = list(Organisation.objects.all())
    for name, person in world["people"].items():
        user = _fresh(person)
        scope = scope_of(user)
        assert set(selectors.organisations_visible_to(user)) == {
            o for o in organisations if scope.reaches(ORGANISATIONS, o)
        }, name
        assert set(selectors.units_managed_by(user)) == {
            o for o in organisations if o.kind != Organisation.Kind.DEPARTMENT and scope.reaches(MANAGED_UNITS, o)
        }, name


def test_the_reach_of_each_role_is_what_the_regulation_gives_it(world):
    """Anchors, so that the agreement above is not two empty sets agreeing."""
    s = world["schools"]
    seen = {name: {x.pk for x in selectors.schools_visible_to(_fresh(p))} for name, p in world["people"].items()}
    pk = {key: school.pk for key, school in s.items()}
    assert seen["principal-s1"] == seen["school_staff-s1"] == {pk["s1"]}
    assert seen["district_reviewer-u1"] == seen["district_head-u1"] == {pk["s1"], pk["s1b"]}
    assert seen["officer-d1"] == {pk["s1"], pk["s1b"], pk["s2"], pk["s4"]}
    assert seen["officer-d2"] == {pk["s3"]}
    assert seen["two-roles"] == {pk["s1"], pk["s1b"], pk["s3"]}
    assert seen["admin-role"] == seen["superuser"] == set(pk.values())
    assert seen["nobody"] == seen["revoked"] == seen["locked"] == set()


def test_admin_means_a_superuser_or_the_admin_role_everywhere(world):
    people = world["people"]
    for name, person in people.items():
        user = _fresh(person)
        expected = name in ("admin-role", "superuser")
        assert is_admin(user) is expected, name
        assert holds_admin(user) is expected, name
        assert can(user, "admin.system") is expected, name
    # The account edited (not the actor) counts as an administrator the same way, locked or not.
    people["superuser"].is_active = False
    assert holds_admin(people["superuser"])


def test_sole_school_and_own_rows_follow_the_scope(world):
    people, s = world["people"], world["schools"]
    assert selectors.sole_school_id(_fresh(people["principal-s1"])) == s["s1"].pk
    assert selectors.sole_school_id(_fresh(people["two-roles"])) is None
    assert selectors.own_school_ids_unless_wider(_fresh(people["school_staff-s3"])) == {s["s3"].pk}
    assert selectors.own_school_ids_unless_wider(_fresh(people["district_head-u3"])) is None
    assert list(selectors.own_schools_of(_fresh(people["two-roles"]))) == [s["s3"]]
