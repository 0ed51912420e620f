"""Scoped querysets of the evaluations app: what a user cannot see does not exist (a 404)."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from schools.models import Organisation
from schools.scope import ORGANISATIONS, scope_of
from schools.selectors import schools_visible_to

from ..models import (
    AccreditationPlan,
    Certificate,
    EvaluationRound,
    ExternalEvaluation,
    Milestone,
    PeriodicReport,
    PlannedSchool,
    ReportingDeadline,
    RoundRegistration,
)

# --- Scoped querysets ------------------------------------------------------------------------


def _unit_condition(scope, field: str = "unit") -> Q:
    """The unit reached through ``field`` is one the scope reaches (``schools.scope.ORGANISATIONS``,
    the same reach the rules ask of one unit)."""
    return scope.q(ORGANISATIONS, prefix=f"{field}__")


def units_overseen_by(user) -> QuerySet[Organisation]:
    """Reviewing units whose plans, rounds and deadlines the user sees (district staff, the Sở)."""
    qs = Organisation.objects.exclude(kind=Organisation.Kind.DEPARTMENT).select_related("parent").order_by("name")
    return qs.filter(scope_of(user).q(ORGANISATIONS))


def units_managed_by(user) -> QuerySet[Organisation]:
    """Reviewing units whose plans, rounds and deadlines the user manages (their district office)."""
    scope = scope_of(user)
    qs = Organisation.objects.exclude(kind=Organisation.Kind.DEPARTMENT).order_by("name")
    if scope.sees_everything:
        return qs
    return qs.filter(pk__in=scope.district_unit_ids)


def _of_units_or_schools(user, qs: QuerySet, entries: QuerySet, column: str) -> QuerySet:
    """``qs`` (plans or rounds) of the units the user reaches, and those listing one of the user's
    schools among ``entries`` (their ``column`` names the plan or round)."""
    scope = scope_of(user)
    qs = qs.select_related("unit", "unit__parent")
    if scope.sees_everything:
        return qs
    condition = _unit_condition(scope)
    if scope.school_ids:
        condition |= Q(pk__in=entries.filter(school_id__in=scope.school_ids).values(column))
    return qs.filter(condition)


def plans_visible_to(user) -> QuerySet[AccreditationPlan]:
    return _of_units_or_schools(user, AccreditationPlan.objects.all(), PlannedSchool.objects.all(), "plan_id")


def rounds_visible_to(user) -> QuerySet[EvaluationRound]:
    return _of_units_or_schools(user, EvaluationRound.objects.all(), RoundRegistration.objects.all(), "round_id")


def milestones_visible_to(user) -> QuerySet[Milestone]:
    return Milestone.objects.filter(round__in=rounds_visible_to(user)).select_related("round", "round__unit")


def registrations_visible_to(user) -> QuerySet[RoundRegistration]:
    """Registrations the user sees: a school's people only their own school's."""
    scope = scope_of(user)
    qs = RoundRegistration.objects.select_related("round", "round__unit", "school", "school__reviewing_unit")
    if scope.sees_everything:
        return qs
    return qs.filter(_unit_condition(scope, "round__unit") | Q(school_id__in=scope.school_ids))


def evaluations_visible_to(user) -> QuerySet[ExternalEvaluation]:
    return ExternalEvaluation.objects.filter(school__in=schools_visible_to(user)).select_related(
        "school", "school__reviewing_unit", "school__reviewing_unit__parent", "registration__round",
        "regulation_version__regulation",
    )


def certificates_visible_to(user) -> QuerySet[Certificate]:
    return Certificate.objects.filter(school__in=schools_visible_to(user)).select_related(
        "school", "school__reviewing_unit", "school__reviewing_unit__parent"
    )


def deadlines_visible_to(user) -> QuerySet[ReportingDeadline]:
    scope = scope_of(user)
    qs = ReportingDeadline.objects.select_related("unit", "unit__parent", "school_year")
    if scope.sees_everything:
        return qs
    return qs.filter(_unit_condition(scope))


def periodic_reports_visible_to(user) -> QuerySet[PeriodicReport]:
    """Periodic reports of the schools the user sees (their own school, their unit's, the Sở's)."""
    return PeriodicReport.objects.filter(school__in=schools_visible_to(user)).select_related(
        "school", "school__reviewing_unit", "school__reviewing_unit__parent", "deadline", "deadline__unit",
        "deadline__school_year",
    )
