"""Periodic reports (báo cáo định kỳ): the page's objects and content, a school's timing."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from schools.models import School
from schools.selectors import schools_visible_to

from .. import reports
from ..models import (
    PeriodicProgress,
    PeriodicReport,
    ReportingDeadline,
)
from .deadlines import _local_date, deadline_met_by, periodic_ref, submission_status

# --- Periodic reports (báo cáo định kỳ) -----------------------------------------------------------


def periodic_page_objects(user, deadline_pk: int, school_pk: int) -> tuple[School, ReportingDeadline, PeriodicReport | None]:
    """The school (one the user sees), the deadline (of the school's unit) and the school's report
    for it, or None when not opened yet. Raises DoesNotExist (a 404) for anything else."""
    school = schools_visible_to(user).get(pk=school_pk)
    deadline = ReportingDeadline.objects.for_reports().select_related("unit", "school_year").get(
        pk=deadline_pk, unit_id=school.reviewing_unit_id
    )
    report = (
        PeriodicReport.objects.filter(school=school, deadline=deadline)
        .select_related("submitted_by", "reviewer", "returned_by", "accepted_by",
                        "source_report__school_year", "source_report__regulation_version__regulation")
        .first()
    )
    if report is not None:
        report.school, report.deadline = school, deadline
    return school, deadline, report


@dataclass
class ProgressView:
    """One improvement action as the periodic report page shows it."""

    action_id: int | None
    target: str
    action: str
    status: str
    due_on: datetime.date | None
    progress: str
    # The action's latest progress note (live view only): where the prefilled text comes from.
    latest_note: object | None = None

    @property
    def status_label(self) -> str:
        return reports.action_status_label(self.status) if self.status else ""

    @property
    def field_name(self) -> str:
        return f"progress-{self.action_id}"


@dataclass
class PeriodicContent:
    """What the periodic report states: live while the school holds it, as sent otherwise."""

    live: bool
    source_report: object | None
    results: dict
    lines: list[ProgressView]


def periodic_content(report: PeriodicReport | None, school: School, deadline: ReportingDeadline) -> PeriodicContent:
    """The results and the progress lines of the report: taken live from the school's current
    self-assessment report (with the texts saved so far) while the school holds it or before it
    opened one, the frozen copy once sent. A handful of queries whatever the number of actions."""
    if report is not None and not report.is_editable:
        lines = [
            ProgressView(line.action_id, line.target, line.action_text, line.action_status, line.due_on, line.progress)
            for line in PeriodicProgress.objects.filter(report=report).order_by("position", "id")
        ]
        return PeriodicContent(False, report.source_report, report.results or {}, lines)
    source = report.source_report if report is not None and report.source_report_id else (
        reports.current_report(school, deadline.school_year)
    )
    if source is None:
        return PeriodicContent(True, None, {}, [])
    saved = (
        {line.action_id: line.progress for line in PeriodicProgress.objects.filter(report=report, action__isnull=False)}
        if report is not None else {}
    )
    lines = [
        ProgressView(action.pk, reports.action_target(action), action.action, action.status, action.due_on,
                     saved[action.pk] if action.pk in saved else reports.progress_prefill(note), note)
        for action, note in reports.actions_with_latest_note(source)
    ]
    return PeriodicContent(True, source, reports.results_snapshot(source), lines)


def periodic_timing(school: School, deadline: ReportingDeadline, today: datetime.date) -> str:
    """On time, late, missing or pending for one school (the one rule: ``deadline_met_by``, then
    ``submission_status``)."""
    met_at = deadline_met_by(periodic_ids=[deadline.pk]).get(periodic_ref(deadline.pk), {}).get(school.pk)
    return submission_status(deadline.due_date, _local_date(met_at), today)
