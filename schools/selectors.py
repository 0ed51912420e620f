"""Reads of the schools app: every queryset a view uses is scoped to what the user may see."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from .models import Membership, Organisation, School, SchoolYear, User
from .scope import MANAGED_UNITS, ORGANISATIONS, SCHOOLS, active_memberships, scope_of


def schools_visible_to(user) -> QuerySet[School]:
    """Schools the user's memberships reach: own school, the district's schools, or all of a Sở
    (``scope.SCHOOLS``, the same definition the rule "school.view" asks of one school)."""
    scope = scope_of(user)
    qs = School.objects.select_related("reviewing_unit", "reviewing_unit__parent")
    if not scope.reaches_any_school:
        return qs.none()
    return qs.filter(scope.q(SCHOOLS))


def own_schools_of(user) -> QuerySet[School]:
    """The schools the user is a member of (principal or staff), not those reached as district or Sở."""
    return schools_visible_to(user).filter(pk__in=scope_of(user).school_ids)


def sole_school_id(user) -> int | None:
    """The school of a user who is a member of exactly one school and reaches nothing wider."""
    return scope_of(user).single_own_school_id


def own_school_ids_unless_wider(user) -> frozenset[int] | None:
    """For pages listing schools' rows: a school's people see their own schools' rows (these
    ids); district staff, the Sở and admins see every row (None)."""
    scope = scope_of(user)
    return None if scope.reaches_beyond_own_schools else scope.school_ids


def organisations_visible_to(user) -> QuerySet[Organisation]:
    """Reviewing units and departments the user reaches (for filters and dashboards)."""
    return Organisation.objects.select_related("parent").filter(scope_of(user).q(ORGANISATIONS))


def units_managed_by(user) -> QuerySet[Organisation]:
    """Reviewing units whose schools and accounts the user may manage."""
    qs = Organisation.objects.exclude(kind=Organisation.Kind.DEPARTMENT).select_related("parent")
    return qs.filter(scope_of(user).q(MANAGED_UNITS))


def school_list(user, *, query: str = "", level: str = "", unit_id: int | None = None, status: str = "") -> QuerySet[School]:
    qs = schools_visible_to(user)
    if query:
        qs = qs.filter(Q(name__icontains=query) | Q(code__icontains=query) | Q(former_names__icontains=query))
    if level:
        qs = qs.filter(level=level)
    if unit_id:
        qs = qs.filter(reviewing_unit_id=unit_id)
    if status:
        qs = qs.filter(status=status)
    return qs.annotate(member_count=Count("memberships", filter=Q(memberships__is_active=True))).order_by(
        "level", "code"
    )


def users_visible_to(user) -> QuerySet[User]:
    """Accounts the user may list and manage: the people of the schools and units they manage."""
    scope = scope_of(user)
    qs = User.objects.prefetch_related(
        "memberships__school", "memberships__organisation"
    ).order_by("full_name", "username")
    if scope.sees_everything:
        return qs
    unit_ids = list(units_managed_by(user).values_list("id", flat=True))
    condition = Q(memberships__organisation_id__in=unit_ids) | Q(memberships__school__reviewing_unit_id__in=unit_ids)
    if scope.principal_school_ids:
        condition |= Q(memberships__school_id__in=scope.principal_school_ids)
    if not (unit_ids or scope.principal_school_ids):
        return qs.none()
    return qs.filter(condition).distinct()


def memberships_of(user) -> QuerySet[Membership]:
    return active_memberships(user)


def school_years() -> QuerySet[SchoolYear]:
    return SchoolYear.objects.all()
