"""The district dashboard's columns that belong to the evaluations app: deadlines, certificate, plan.

The dashboard is read by ``reviews.selectors.district_dashboard``; the reviews app sits below the
evaluations app, so these columns are added from here, the top layer, through the dashboard's
column registry (``reviews.selectors.dashboard_columns_register``, called by ``home.apps``).

Read through the evaluations app's selectors and pure rules, in a fixed number of queries for any
number of schools. Each column states one thing:

- the self-assessment report's deadline (``SelfDeadlineCell``): the dossier date of the external
  evaluation round the school is registered in for the school year (its report is due then), met
  by the report's first submitted version;
- each periodic report's deadline (báo cáo định kỳ, 20/12 and 10/5 by default; ``DeadlineCell``),
  met by the school's periodic report for it at its first submission
  (``evaluations.selectors.periodic_report_states``, the rule of ``deadline_met_by``, then
  ``submission_status``): the same answer as the
  deadline pages, the school's pages and the reminders; beside it the periodic report's own status.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from evaluations import models as ev
from evaluations.selectors import (
    latest_certificates,
    periodic_report_states,
    pick_deadline,
    plan_progress,
    self_assessment_rounds,
    status_css,
    submission_status,
    validity_css,
    validity_label,
)


@dataclass
class DeadlineCell:
    due: datetime.date
    status: str  # evaluations.selectors: pending, on_time, late, missing
    days_left: int
    met_on: datetime.date | None = None
    deadline_id: int | None = None
    school_id: int | None = None
    # The status of the school's periodic report for this deadline (None: never opened).
    report_status: str | None = None

    @property
    def url(self) -> str:
        """The school's periodic report for the deadline (reversed only for the rows shown)."""
        if self.deadline_id is None or self.school_id is None:
            return ""
        return reverse("evaluations:periodic_report_detail", args=[self.deadline_id, self.school_id])

    @property
    def label(self) -> str:
        if self.status == "on_time":
            return _("Nộp đúng hạn")
        if self.status == "late":
            return _("Nộp muộn")
        if self.status == "missing":
            return ngettext("Quá hạn %(n)s ngày", "Quá hạn %(n)s ngày", -self.days_left) % {"n": -self.days_left}
        if self.days_left == 0:
            return _("Hạn hôm nay")
        return ngettext("Còn %(n)s ngày", "Còn %(n)s ngày", self.days_left) % {"n": self.days_left}

    @property
    def css(self) -> str:
        return status_css(self.status, "text-bg-danger" if self.days_left <= 7 else "text-bg-light")


@dataclass
class PeriodicColumn:
    """One periodic report of the year as a dashboard column: its period and its deadline, if set."""

    period: str
    label: str
    deadline: Any = None


@dataclass
class SelfDeadlineCell:
    """The self-assessment report's deadline of a school registered in a round of the year."""

    round_label: str
    due: datetime.date | None
    status: str  # pending, on_time, late, missing ("" when the round has no dossier date yet)
    days_left: int | None
    met_on: datetime.date | None = None

    @property
    def label(self) -> str:
        if not self.status:
            return _("Chưa định ngày")
        return DeadlineCell(self.due, self.status, self.days_left).label

    @property
    def css(self) -> str:
        if not self.status:
            return "text-bg-light"
        return DeadlineCell(self.due, self.status, self.days_left).css


@dataclass
class CertificateCell:
    certificate: Any
    state: str  # valid, expiring, expired

    @property
    def label(self) -> str:
        return validity_label(self.state)

    @property
    def css(self) -> str:
        return validity_css(self.state)


@dataclass
class PlanSummary:
    plan: Any
    progress: Any


def attach(dashboard, rows, page_rows, today: datetime.date) -> None:
    """Fill ``deadline`` of the rows (and the deadline counts), ``certificate`` of the page's rows,
    and ``plan`` of the dashboard."""
    year = dashboard.school_year
    unit = dashboard.unit
    deadlines = (
        sorted(ev.ReportingDeadline.objects.for_reports().filter(unit=unit, school_year=year), key=lambda d: d.due_date)
        if year else []
    )
    deadline = pick_deadline(deadlines, dashboard.period, today)
    dashboard.deadline = deadline
    dashboard.deadlines = deadlines
    by_period = {d.period: d for d in deadlines}
    dashboard.periodic_columns = [
        PeriodicColumn(value, str(label), by_period.get(value)) for value, label in ev.ReportingDeadline.Period.choices
        if value in ev.ReportingDeadline.REPORT_PERIODS
    ]
    if deadlines:
        # The periodic reports' statuses and, by the same rule as deadline_met_by, when each met its deadline.
        states = periodic_report_states([d.pk for d in deadlines])
        for row in rows:
            for item in deadlines:
                status, met_at = states.get((item.pk, row.school.pk), (None, None))
                met_on = timezone.localdate(met_at) if met_at else None
                row.periodic[item.period] = DeadlineCell(
                    item.due_date, submission_status(item.due_date, met_on, today),
                    (item.due_date - today).days, met_on, item.pk, row.school.pk, status,
                )
            if deadline is not None:
                row.deadline = row.periodic[deadline.period]
                dashboard.deadline_counts[row.deadline.status] = dashboard.deadline_counts.get(row.deadline.status, 0) + 1
    _attach_self_deadlines(year, unit, rows, today)
    certificates = latest_certificates([row.school.pk for row in page_rows])
    for row in page_rows:
        certificate = certificates.get(row.school.pk)
        if certificate is not None:
            row.certificate = CertificateCell(certificate, certificate.validity_state(today))
    dashboard.plan = _plan(unit, year, today)


def _attach_self_deadlines(year, unit, rows, today: datetime.date) -> None:
    """The self-assessment report's deadline of each school registered in a round of the school year
    (the round of calendar year N carries the reports of the year ending in N): its dossier date,
    met by the first submitted version of the row's report (one query)."""
    if year is None:
        return
    due_of = self_assessment_rounds([unit.pk], year)
    for row in rows:
        if row.school.pk not in due_of:
            continue
        number, round_year, due = due_of[row.school.pk]
        first = getattr(row.report, "first_submitted_at", None) if row.report is not None else None
        met_on = timezone.localdate(first) if first else None
        label = _("Đợt %(number)s năm %(year)s") % {"number": number, "year": round_year}
        if due is None:
            row.self_deadline = SelfDeadlineCell(label, None, "", None, met_on)
        else:
            row.self_deadline = SelfDeadlineCell(label, due, submission_status(due, met_on, today),
                                                 (due - today).days, met_on)


def _plan(unit, year, today: datetime.date) -> PlanSummary | None:
    """The unit's accreditation plan for the calendar year the school year is in (today's when both),
    with the evaluations app's progress per level (report accepted, registered, evaluated, certified)."""
    if year is None:
        return None
    years = [year.start_date.year, year.end_date.year]
    preferred = today.year if today.year in years else year.end_date.year
    plans = sorted(
        ev.AccreditationPlan.objects.filter(unit=unit, year__in=years),
        key=lambda p: (p.year != preferred, -p.year),
    )
    if not plans:
        return None
    return PlanSummary(plans[0], plan_progress(plans[0]))
