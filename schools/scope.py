"""What a user's memberships reach, computed once per request.

Pure data about the user: the ids of the schools and organisations each role reaches. The
selectors use it to scope querysets; the permission rules use it to decide.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .models import Membership, Organisation, School

Role = Membership.Role


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
        is_admin=user.is_superuser or Role.ADMIN in by_role,
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


def school_in_scope(scope: Scope, school: School) -> bool:
    """Whether the school is reachable by the scope (no query when the school's unit is loaded)."""
    if scope.sees_everything:
        return True
    if school.pk in scope.school_ids or school.reviewing_unit_id in scope.district_unit_ids:
        return True
    if scope.department_ids:
        unit = school.reviewing_unit
        return unit.id in scope.department_ids or unit.parent_id in scope.department_ids
    return False
