"""What the evaluations pages read from the self-assessment reports (app ``selfassessment``).

Kept in this one module so the coupling is visible in one place: the self-assessed level of each
criterion beside the external one, whose report was accepted for the plan's progress, the
improvement actions due on a school's "Hạn sắp tới" page, and what a periodic report states (the
current report's computed levels and its improvement actions with their latest progress note). Read-only; where the selfassessment app
has a selector for the question (which report holds the plan), these functions call it.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db.models import Case, IntegerField, Value, When
from django.utils import timezone

from selfassessment import services as report_services
from selfassessment.models import CriterionAssessment, ImprovementAction, ImprovementProgress, Plan57Action, Report
from selfassessment.selectors import report_outline
from selfassessment.tracking.selectors import current_plan_report
from standards import engine
from standards.models import Criterion

if TYPE_CHECKING:
    from schools.models import School, SchoolYear

# A report counts as accepted by the district once it reached one of these statuses.
ACCEPTED = ("accepted", "forwarded")
OPEN_ACTION_STATUSES = ("not_started", "in_progress")


def _models():
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
    _r, _ca, ImprovementAction = _models()
    report = current_plan_report(school)
    if report is None or report.status == "closed":  # every report closed: no plan being followed
        return []
    actions = list(
        ImprovementAction.objects.filter(report=report, status__in=OPEN_ACTION_STATUSES, due_on__lte=last)
        .select_related("criterion", "level4")
        .only("report_id", "criterion__number", "level4__number", "action", "responsible", "due_on", "position", "status")
        .order_by("due_on", "position")
    )
    for action in actions:
        action.report = report  # already loaded: joining it again would copy the report row into every action
    return actions


def open_reports_of(school, school_year_ids: Iterable[int]):
    """The school's reports of these school years that are not closed (one per year and kind)."""
    Report, _ca, _ia = _models()
    return Report.objects.filter(school=school, school_year_id__in=list(school_year_ids)).exclude(
        status=Report.Status.CLOSED
    ).order_by("school_year_id", "kind")


def plan57_actions_due(school, last: datetime.date) -> list:
    """The activities of the school's TT57 improvement plans (Biểu 2 of its open reports) that are not
    done and end by ``last``, overdue ones included, earliest first (one query)."""
    return list(
        Plan57Action.objects.filter(plan__report__school=school, end_on__isnull=False, end_on__lte=last)
        .exclude(plan__report__status="closed").exclude(status=Plan57Action.Status.DONE)
        .select_related("plan__report__school_year")
        .order_by("end_on", "position")
    )


# --- What a periodic report (báo cáo định kỳ) states -------------------------------------------


def current_report(school: School, school_year: SchoolYear) -> Report | None:
    """The school's current self-assessment report for a periodic report of ``school_year``: the
    report holding its plan among that school year's and earlier ones (the selfassessment app's
    rule, as on the school's plan page), or None."""
    return current_plan_report(school, up_to_year=school_year)


def results_snapshot(report) -> dict:
    """The report's results as plain data: per standard and criterion the level the standards engine
    computed (cached by the selfassessment app on every verdict change), the school's level, its
    accreditation level and national standard. Never typed: read from the engine's cache (two queries)."""
    regulation = report.regulation_version.regulation
    try:
        binary = engine.get_family(regulation.family).binary
    except engine.EngineError:
        binary = False
    standards = []
    for outline in report_outline(report):
        standards.append({
            "number": outline.standard.number,
            "title": outline.standard.title,
            "criteria": [
                {"number": item.criterion.number, "title": item.criterion.title, "level": item.assessment.level}
                for item in outline.criteria
            ],
        })
    computed = report.levels_computed_at
    return {
        "report_id": report.pk,
        "school_year": report.school_year.code,
        "kind": report.kind,
        "regulation": regulation.code,
        "binary": binary,
        "level_count": regulation.level_count,
        "school_level": report.school_level,
        "accreditation_level": report.accreditation_level,
        "national_standard": report.national_standard,
        "computed_at": timezone.localtime(computed).isoformat() if computed else None,
        "standards": standards,
    }


def actions_with_latest_note(report) -> list[tuple]:
    """The improvement actions of ``report`` in plan order, each with its latest progress note (or
    None): [(action, note)] in three queries whatever their number."""
    _r, _ca, ImprovementAction = _models()
    actions = list(
        ImprovementAction.objects.filter(report=report)
        .select_related("criterion__standard", "level4")
        .order_by("criterion__standard__position", "criterion__position", "level4__position", "position", "pk")
    )
    latest: dict[int, object] = {}
    for note in ImprovementProgress.objects.filter(action__in=[a.pk for a in actions]).order_by("action_id", "-date", "-id"):
        latest.setdefault(note.action_id, note)
    return [(action, latest.get(action.pk)) for action in actions]


def progress_prefill(note) -> str:
    """The progress text a periodic report's line starts with: the action's latest progress note, dated."""
    if note is None:
        return ""
    return f"{note.date:%d/%m/%Y}: {note.text}"


def action_target(action) -> str:
    """"Tiêu chí 1.2" or "Mức 4 – yêu cầu 3": what the action improves."""
    from django.utils.translation import gettext as _

    if action.criterion_id:
        return _("Tiêu chí %(n)s") % {"n": action.criterion.number}
    return _("Mức 4 – yêu cầu %(n)s") % {"n": action.level4.number}


def action_status_label(status: str) -> str:
    _r, _ca, ImprovementAction = _models()
    return str(ImprovementAction.Status(status).label) if status in ImprovementAction.Status.values else status
