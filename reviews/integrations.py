"""The district dashboard's columns that belong to the evaluations app: deadline, certificate, plan.

Read through the evaluations app's selectors and pure rules, in a fixed number of queries for any
number of schools. Whether a school met a periodic deadline is the evaluations app's one rule:
its periodic report (báo cáo định kỳ) for that deadline, handed in at its first submission
(``evaluations.selectors.deadline_met_by``, then ``submission_status``): the same answer as the
deadline pages, the school's pages and the reminders.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


@dataclass
class DeadlineCell:
    due: datetime.date
    status: str  # evaluations.selectors: pending, on_time, late, missing
    days_left: int
    met_on: datetime.date | None = None
    deadline_id: int | None = None
    school_id: int | None = None

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
        return {"on_time": "text-bg-success", "late": "text-bg-warning", "missing": "text-bg-danger"}.get(
            self.status, "text-bg-danger" if self.days_left <= 7 else "text-bg-light"
        )


@dataclass
class CertificateCell:
    certificate: Any
    state: str  # valid, expiring, expired

    @property
    def label(self) -> str:
        return {"valid": _("Còn hiệu lực"), "expiring": _("Sắp hết hạn"), "expired": _("Hết hiệu lực")}.get(
            self.state, self.state
        )

    @property
    def css(self) -> str:
        return {"valid": "text-bg-success", "expiring": "text-bg-warning", "expired": "text-bg-danger"}.get(
            self.state, "text-bg-light"
        )


@dataclass
class PlanSummary:
    plan: Any
    progress: Any


def attach(dashboard, rows, page_rows, today: datetime.date) -> None:
    """Fill ``deadline`` of the rows (and the deadline counts), ``certificate`` of the page's rows,
    and ``plan`` of the dashboard."""
    try:
        from evaluations import models as ev
        from evaluations.selectors import (
            deadline_met_by,
            latest_certificates,
            periodic_ref,
            plan_progress,
            submission_status,
        )
    except ImportError:  # the evaluations app is not installed: the columns stay empty
        dashboard.gaps.append(_("Chưa có dữ liệu hạn nộp, chứng nhận và kế hoạch (ứng dụng đánh giá ngoài)."))
        return

    year = dashboard.school_year
    unit = dashboard.unit
    deadlines = (
        sorted(ev.ReportingDeadline.objects.filter(unit=unit, school_year=year), key=lambda d: d.due_date)
        if year else []
    )
    deadline = pick_deadline(deadlines, dashboard.period, today)
    dashboard.deadline = deadline
    dashboard.deadlines = deadlines
    if deadline is not None:
        met = deadline_met_by(periodic_ids=[deadline.pk]).get(periodic_ref(deadline.pk), {})
        for row in rows:
            met_at = met.get(row.school.pk)
            met_on = timezone.localdate(met_at) if met_at else None
            row.deadline = DeadlineCell(
                deadline.due_date, submission_status(deadline.due_date, met_on, today),
                (deadline.due_date - today).days, met_on, deadline.pk, row.school.pk,
            )
            dashboard.deadline_counts[row.deadline.status] = dashboard.deadline_counts.get(row.deadline.status, 0) + 1
    certificates = latest_certificates([row.school.pk for row in page_rows])
    for row in page_rows:
        certificate = certificates.get(row.school.pk)
        if certificate is not None:
            row.certificate = CertificateCell(certificate, certificate.validity_state(today))
    dashboard.plan = _plan(ev, plan_progress, unit, year, today, dashboard)


def pick_deadline(deadlines: list, period: str, today: datetime.date):
    """The deadline asked for, else the next one still to come, else the last one passed."""
    if period:
        for deadline in deadlines:
            if deadline.period == period:
                return deadline
    upcoming = [d for d in deadlines if d.due_date >= today]
    if upcoming:
        return upcoming[0]
    return deadlines[-1] if deadlines else None


def _plan(ev, plan_progress, unit, year, today, dashboard) -> PlanSummary | None:
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
