"""Who is told: the people a notification or a reminder about a school or a reviewing unit goes to.

One definition for every app that notifies (the review workflow, the periodic reports, the
reminders, the external evaluations): the active accounts holding an active membership of the
role, each once, in username order.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from .models import Membership, User


def principals_of(school_ids: Iterable[int]) -> dict[int, list[User]]:
    """Active principals of each school: {school_id: [user, ...]} (one query)."""
    result: dict[int, list[User]] = defaultdict(list)
    for membership in Membership.objects.filter(
        school_id__in=set(school_ids), role=Membership.Role.PRINCIPAL, is_active=True, user__is_active=True
    ).select_related("user").order_by("user__username"):
        if membership.user not in result[membership.school_id]:
            result[membership.school_id].append(membership.user)
    return dict(result)


def district_staff_of(unit_ids: Iterable[int], roles: Iterable[str] = Membership.DISTRICT_ROLES) -> dict[int, list[User]]:
    """Active reviewers and heads (or only ``roles``) of each reviewing unit: {unit_id: [user, ...]}
    (one query)."""
    result: dict[int, list[User]] = defaultdict(list)
    for membership in Membership.objects.filter(
        organisation_id__in=set(unit_ids), role__in=list(roles), is_active=True, user__is_active=True
    ).select_related("user").order_by("user__username"):
        if membership.user not in result[membership.organisation_id]:
            result[membership.organisation_id].append(membership.user)
    return dict(result)
