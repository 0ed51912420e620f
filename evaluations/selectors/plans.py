"""Accreditation plans: their lists, candidates and progress per school and level."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from schools.models import School

from .. import reports
from ..models import (
    AccreditationPlan,
    Certificate,
    ExternalEvaluation,
    PlannedSchool,
    PlanTarget,
    RoundRegistration,
)
from .certificates import latest_certificates
from .scope import plans_visible_to

# The levels a district plans for (the Đống Đa letter: MN, TH, THCS); others show when used.
PLAN_LEVELS = ("mn", "th", "thcs")


# --- Plans ------------------------------------------------------------------------------------


@dataclass
class EntryProgress:
    entry: PlannedSchool
    report: object | None = None  # the self-assessment report the district accepted
    registration: RoundRegistration | None = None
    evaluation: ExternalEvaluation | None = None
    certificate: Certificate | None = None
    previous_certificate: Certificate | None = None

    @property
    def stage(self) -> int:
        """0 planned, 1 registered in a round, 2 evaluated (final report), 3 certified."""
        if self.certificate is not None:
            return 3
        if self.evaluation is not None and self.evaluation.is_completed:
            return 2
        if self.registration is not None:
            return 1
        return 0


@dataclass
class LevelProgress:
    level: str
    label: str
    target: int | None
    planned: int = 0
    accepted: int = 0
    registered: int = 0
    evaluated: int = 0
    certified: int = 0


@dataclass
class PlanProgress:
    plan: AccreditationPlan
    rows: list[EntryProgress]
    levels: list[LevelProgress]
    totals: LevelProgress = field(default_factory=lambda: LevelProgress("", "", None))


def plan_progress(plan: AccreditationPlan, *, school_ids: Iterable[int] | None = None) -> PlanProgress:
    """The plan's schools with how far each got this year, and targets vs actual per level.

    Report accepted = its self-assessment report of the year was accepted by the district;
    registered = in a round of the plan's unit and year; evaluated = its external evaluation has a
    final report; certified = a recognition decision dated in or after the plan's year. Six
    queries whatever the number of schools. ``school_ids`` limits the rows (a school's view).
    """
    entries = plan.entries.select_related("school").order_by("school__level", "school__code")
    if school_ids is not None:
        entries = entries.filter(school_id__in=list(school_ids))
    entries = list(entries)
    ids = [e.school_id for e in entries]
    registrations = {
        r.school_id: r
        for r in RoundRegistration.objects.filter(
            school_id__in=ids, round__unit_id=plan.unit_id, round__year=plan.year
        ).select_related("round").order_by("round__number")
    }
    evaluations: dict[int, ExternalEvaluation] = {}
    for evaluation in ExternalEvaluation.objects.filter(school_id__in=ids).filter(
        Q(registration__round__year=plan.year) | Q(final_report_date__year=plan.year)
    ).order_by("created_at"):
        evaluations[evaluation.school_id] = evaluation
    certificates: dict[int, Certificate] = {}
    previous: dict[int, Certificate] = {}
    for certificate in Certificate.objects.filter(school_id__in=ids).order_by("decision_date", "id"):
        if certificate.decision_date >= plan.starts_on:
            certificates.setdefault(certificate.school_id, certificate)
        else:
            previous[certificate.school_id] = certificate
    accepted = reports.accepted_reports(ids, plan.year) if ids else {}
    rows = [
        EntryProgress(e, accepted.get(e.school_id), registrations.get(e.school_id), evaluations.get(e.school_id),
                      certificates.get(e.school_id), previous.get(e.school_id))
        for e in entries
    ]
    targets = {t.level: t.count for t in plan.targets.all()}
    labels = dict(School.Level.choices)
    used = [lvl for lvl in School.Level.values if lvl in PLAN_LEVELS or lvl in targets or lvl in {r.entry.school.level for r in rows}]
    levels = {lvl: LevelProgress(lvl, str(labels[lvl]), targets.get(lvl)) for lvl in used}
    totals = LevelProgress("", _("Tổng cộng"), sum(targets.values()) if targets else None)
    for row in rows:
        for bucket in (levels[row.entry.school.level], totals):
            bucket.planned += 1
            bucket.accepted += row.report is not None
            bucket.registered += row.stage >= 1
            bucket.evaluated += row.stage >= 2
            bucket.certified += row.stage >= 3
    return PlanProgress(plan, rows, list(levels.values()), totals)


def plan_list(user) -> QuerySet[AccreditationPlan]:
    """Plans with their sizes (one query)."""
    return plans_visible_to(user).annotate(
        planned=Count("entries", distinct=True),
    ).prefetch_related(Prefetch("targets", queryset=PlanTarget.objects.order_by("level")))


def plan_candidates(plan: AccreditationPlan) -> list[tuple[School, Certificate | None]]:
    """Active schools of the plan's unit not in the plan yet, each with its latest certificate."""
    schools = list(
        School.objects.filter(reviewing_unit_id=plan.unit_id, status=School.Status.ACTIVE)
        .exclude(pk__in=plan.entries.values("school_id"))
        .order_by("level", "code")
    )
    latest = latest_certificates([s.pk for s in schools])
    return [(s, latest.get(s.pk)) for s in schools]
