"""What a user's memberships reach, computed once per request, and written once.

Pure data about the user: the ids of the schools and organisations each role reaches. "Which
objects may this user see" (a queryset condition) and "may this user see this object" (a
predicate) both come from one declaration per kind of object, a ``Reach``: the selectors filter
with ``scope.q(reach)``, the permission rules ask ``scope.reaches(reach, obj)``, so the two cannot
disagree (schools/tests/test_scope_agreement.py checks it for every role). "Admin" is decided in
one place too: ``is_admin`` (a superuser, or an active ADMIN membership).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q

from .models import Membership, Organisation, School

Role = Membership.Role


@dataclass(frozen=True)
class Reach:
    """Which rows of a model a scope reaches: a row whose ``path`` value is among the scope's
    ``ids`` for any of the clauses. ``path`` is a lookup from the row ("pk", "reviewing_unit_id",
    "reviewing_unit__parent_id"); ``ids`` names a Scope attribute holding a set of ids."""

    clauses: tuple[tuple[str, str], ...]

    def q(self, scope: Scope, prefix: str = "") -> Q:
        """The queryset condition (``prefix`` reaches the row through a relation: "school__").

        For an administrator it is ``Q()``, no condition: OR-ing it with another condition keeps
        only the other one, so a caller that ORs checks ``scope.sees_everything`` first."""
        if scope.sees_everything:
            return Q()
        condition = Q(**{f"{prefix}pk__in": []})  # matches nothing: no clause applies
        for path, ids in self.clauses:
            values = getattr(scope, ids)
            if values:
                condition |= Q(**{f"{prefix}{path}__in": values})
        return condition

    def contains(self, scope: Scope, obj) -> bool:
        """The same condition for one loaded row (no query when the related rows are loaded)."""
        if scope.sees_everything:
            return True
        for path, ids in self.clauses:
            values = getattr(scope, ids)
            if values and _value_at(obj, path) in values:
                return True
        return False


def _value_at(obj, path: str):
    for name in path.split("__"):
        if obj is None:
            return None
        obj = getattr(obj, name)
    return obj


# A school: its own people, the district office of its reviewing unit, the Sở above that unit
# (a school attached to the Sở directly included).
SCHOOLS = Reach((
    ("pk", "school_ids"),
    ("reviewing_unit_id", "district_unit_ids"),
    ("reviewing_unit_id", "department_ids"),
    ("reviewing_unit__parent_id", "department_ids"),
))
# Reviewing units and departments (for filters and dashboards): one's own office, one's Sở and
# the units under it.
ORGANISATIONS = Reach((
    ("pk", "district_unit_ids"),
    ("pk", "department_ids"),
    ("parent_id", "department_ids"),
))
# Reviewing units whose schools and accounts the user manages: one's own office, the units under
# one's Sở (departments themselves are not managed units: ``units_managed_by`` leaves them out).
MANAGED_UNITS = Reach((
    ("pk", "district_unit_ids"),
    ("parent_id", "department_ids"),
))


def is_admin_account(user, roles) -> bool:
    """The one definition of an administrator: a superuser, or a holder of the ADMIN role."""
    return bool(user.is_superuser) or Role.ADMIN in roles


@dataclass(frozen=True)
class Scope:
    is_admin: bool = False
    # Organisation ids per role.
    department_ids: frozenset[int] = frozenset()
    reviewer_unit_ids: frozenset[int] = frozenset()
    head_unit_ids: frozenset[int] = frozenset()
    # School ids per role.
    principal_school_ids: frozenset[int] = frozenset()
    staff_school_ids: frozenset[int] = frozenset()
    roles: frozenset[str] = field(default_factory=frozenset)

    @property
    def district_unit_ids(self) -> frozenset[int]:
        return self.reviewer_unit_ids | self.head_unit_ids

    @property
    def school_ids(self) -> frozenset[int]:
        return self.principal_school_ids | self.staff_school_ids

    @property
    def sees_everything(self) -> bool:
        return self.is_admin

    @property
    def is_district(self) -> bool:
        return bool(self.district_unit_ids)

    @property
    def is_department(self) -> bool:
        return bool(self.department_ids)

    @property
    def is_school(self) -> bool:
        return bool(self.school_ids)

    @property
    def reaches_any_school(self) -> bool:
        """Whether some school's data is visible at all (a member of a school, a unit, the Sở, admin)."""
        return self.sees_everything or bool(self.school_ids or self.district_unit_ids or self.department_ids)

    @property
    def reaches_beyond_own_schools(self) -> bool:
        """District staff, the Sở and admins see every school of their reach, not only their own."""
        return self.sees_everything or bool(self.district_unit_ids or self.department_ids)

    @property
    def single_own_school_id(self) -> int | None:
        """The one school of a user who is a member of exactly one school and reaches nothing else."""
        if len(self.school_ids) == 1 and not self.reaches_beyond_own_schools:
            return next(iter(self.school_ids))
        return None

    def q(self, reach: Reach, prefix: str = "") -> Q:
        return reach.q(self, prefix)

    def reaches(self, reach: Reach, obj) -> bool:
        return reach.contains(self, obj)


EMPTY = Scope()


def active_memberships(user):
    """The user's active memberships with what the header shows of each (school, unit)."""
    return Membership.objects.filter(user=user, is_active=True).select_related(
        "school", "organisation", "school__reviewing_unit"
    )


def scope_of(user) -> Scope:
    """The user's scope, cached on the user object for the length of the request."""
    if user is None or not user.is_authenticated or not user.is_active:
        return EMPTY
    cached = getattr(user, "_kiemdinh_scope", None)
    if cached is not None:
        return cached
    # One query serves both the scope and the header's list of the user's roles (kept on the user
    # for the request, as the scope is).
    memberships = list(active_memberships(user))
    user._kiemdinh_memberships = memberships
    by_role: dict[str, set[int]] = {}
    for membership in memberships:
        by_role.setdefault(membership.role, set()).add(membership.school_id or membership.organisation_id or 0)
    scope = Scope(
        is_admin=is_admin_account(user, by_role),
        department_ids=frozenset(by_role.get(Role.DEPARTMENT_OFFICER, ())),
        reviewer_unit_ids=frozenset(by_role.get(Role.DISTRICT_REVIEWER, ())),
        head_unit_ids=frozenset(by_role.get(Role.DISTRICT_HEAD, ())),
        principal_school_ids=frozenset(by_role.get(Role.PRINCIPAL, ())),
        staff_school_ids=frozenset(by_role.get(Role.SCHOOL_STAFF, ())),
        roles=frozenset(by_role) | ({Role.ADMIN} if user.is_superuser else set()),
    )
    user._kiemdinh_scope = scope
    return scope


def reset_scope(user) -> None:
    """Forget the cached scope (after memberships change within a request or a test)."""
    for attribute in ("_kiemdinh_scope", "_kiemdinh_memberships"):
        if hasattr(user, attribute):
            delattr(user, attribute)


def units_under_departments(department_ids) -> list[int]:
    return list(Organisation.objects.filter(parent_id__in=department_ids).values_list("id", flat=True))


def is_admin(user) -> bool:
    """Whether the user is an administrator of kiemdinh (active account; see ``is_admin_account``)."""
    return scope_of(user).is_admin


def holds_admin(account, memberships=None) -> bool:
    """Whether an account (active or not, the one edited, not the actor) is an administrator.
    ``memberships``: the account's memberships when already loaded (active or not)."""
    if memberships is None:
        memberships = Membership.objects.filter(user=account, is_active=True)
    return is_admin_account(account, {m.role for m in memberships if m.is_active})


def school_in_scope(scope: Scope, school: School) -> bool:
    """Whether the school is reachable by the scope (no query when the school's unit is loaded)."""
    return scope.reaches(SCHOOLS, school)
