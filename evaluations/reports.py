"""What the evaluations pages read from the self-assessment reports (app ``selfassessment``).

Kept in this one module so the coupling is visible in one place: the self-assessed level of each
criterion beside the external one, whose report was accepted for the plan's progress, and the
improvement actions due on a school's "Hạn sắp tới" page. Read-only; should the selfassessment
app offer selectors for these questions, these functions become thin calls to them.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db.models import Case, IntegerField, Value, When
from django.utils import timezone

# A report counts as accepted by the district once it reached one of these statuses.
ACCEPTED = ("accepted", "forwarded")
OPEN_ACTION_STATUSES = ("not_started", "in_progress")


def _models():
    from selfassessment.models import CriterionAssessment, ImprovementAction, Report

    return Report, CriterionAssessment, ImprovementAction


def _external_first():
    # The report written for the external evaluation is the one the team reads.
    return Case(When(kind="external", then=Value(0)), default=Value(1), output_field=IntegerField())


def report_for_evaluation(evaluation):
    """The school's report the team evaluated: handed in (not a draft: a draft's levels are not
    what the school submitted), under the same regulation, of the latest school year that had
    started by the dossier date (or the visit), the external-evaluation report first."""
    Report, _ca, _ia = _models()
    on = None
    if evaluation.registration_id and evaluation.registration.round.dossier_date:
        on = evaluation.registration.round.dossier_date
    on = on or evaluation.visit_start or timezone.localdate(evaluation.created_at)
    return (
        Report.objects.filter(
            school_id=evaluation.school_id,
            regulation_version__regulation_id=evaluation.regulation_version.regulation_id,
            school_year__start_date__lte=on,
        )
        .exclude(status__in=("draft", "closed"))
        .select_related("school_year")
        .order_by("-school_year__start_date", _external_first(), "-pk")
        .first()
    )


def self_assessed_levels(report) -> dict[str, int | None]:
    """The level the report computed for each criterion, by criterion number (one query)."""
    _r, CriterionAssessment, _ia = _models()
    return dict(
        CriterionAssessment.objects.filter(report=report).values_list("criterion__number", "level")
    )


def accepted_reports(school_ids: Iterable[int], year: int) -> dict:
    """Per school, its report accepted by the district for a plan of calendar ``year``: a report
    of the school year ending or starting in that year (one query)."""
    Report, _ca, _ia = _models()
    rows = (
        Report.objects.filter(school_id__in=list(school_ids), status__in=ACCEPTED)
        .filter(school_year__start_date__year__in=[year - 1, year])
        .select_related("school_year")
        .order_by("school_year__start_date", "-kind")
    )
    return {report.school_id: report for report in rows}


def editable_report(school, regulation_id: int):
    """The school's report being written (draft or returned) under the regulation, latest year first:
    where the school's improvement plan for the coming year is written."""
    Report, _ca, _ia = _models()
    return (
        Report.objects.filter(school=school, status__in=("draft", "returned"), regulation_version__regulation_id=regulation_id)
        .select_related("school_year", "regulation_version")
        .order_by("-school_year__start_date", _external_first(), "-pk")
        .first()
    )


def action_append(*, report, criterion_number: str, text: str, by):
    """Append an improvement action to a criterion's plan in ``report`` through the selfassessment
    service (which checks the writer's permission and the list's concurrent changes)."""
    from selfassessment import services as report_services
    from standards.models import Criterion

    _r, _ca, ImprovementAction = _models()
    criterion = Criterion.objects.filter(standard__version_id=report.regulation_version_id, number=criterion_number).first()
    if criterion is None:
        return None
    current = list(ImprovementAction.objects.filter(report=report, criterion=criterion).order_by("position", "id"))
    items = [{"id": a.pk, **{f: getattr(a, f) for f in report_services.ACTION_FIELDS}} for a in current]
    items.append({"id": None, "action": text})
    try:
        saved = report_services.improvement_actions_save(
            report=report, criterion=criterion, items=items, token=report_services.actions_token(current), by=by
        )
    except report_services.ReportError as exc:
        raise ValueError(str(exc)) from exc
    return saved[-1]


def improvement_actions_due(school, last: datetime.date) -> list:
    """The open improvement actions of the school's current plan (its latest open report) due by
    ``last``, overdue ones included, earliest first (two queries)."""
    Report, _ca, ImprovementAction = _models()
    report = (
        Report.objects.filter(school=school).exclude(status="closed")
        .order_by("-school_year__start_date", _external_first(), "-pk").first()
    )
    if report is None:
        return []
    return list(
        ImprovementAction.objects.filter(
            report=report, status__in=OPEN_ACTION_STATUSES, due_on__lte=last
        ).select_related("criterion", "level4", "report").order_by("due_on", "position")
    )
