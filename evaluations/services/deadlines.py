"""Periodic-report deadlines (20/12, 10/5); the reports handed in for them are in ``periodic``."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from kiemdinh.permissions import require
from schools.models import Organisation, SchoolYear

from ..models import ReportingDeadline
from .common import EvaluationsError, _bump, _event, _fmt, _locked


def default_due_date(school_year: SchoolYear, period: str) -> datetime.date:
    """20 December of the first calendar year (semester I), 10 May of the second (year end)."""
    first = school_year.first_year
    if period == ReportingDeadline.Period.SEMESTER_1:
        return datetime.date(first, 12, 20)
    return datetime.date(first + 1, 5, 10)


# A year-end report may be due after the last school day (results are consolidated in summer).
YEAR_END_GRACE_DAYS = 92


def _check_due_date(deadline: ReportingDeadline, due_date: datetime.date) -> None:
    """The date lies in the school year (or its summer), semester I before the year end."""
    school_year = deadline.school_year
    last = school_year.end_date + datetime.timedelta(days=YEAR_END_GRACE_DAYS)
    if not school_year.start_date <= due_date <= last:
        raise EvaluationsError(_("Hạn nộp %(date)s không thuộc năm học %(year)s (từ %(start)s đến %(end)s).") % {
            "date": _fmt(due_date), "year": school_year.code, "start": _fmt(school_year.start_date), "end": _fmt(last)})
    others = ReportingDeadline.objects.filter(unit_id=deadline.unit_id, school_year=school_year).exclude(pk=deadline.pk)
    for other in others:
        if other.period == ReportingDeadline.Period.YEAR_END and due_date >= other.due_date:
            raise EvaluationsError(_("Hạn báo cáo học kỳ I phải trước hạn báo cáo cuối năm (%(date)s).") % {"date": _fmt(other.due_date)})
        if other.period == ReportingDeadline.Period.SEMESTER_1 and due_date <= other.due_date:
            raise EvaluationsError(_("Hạn báo cáo cuối năm phải sau hạn báo cáo học kỳ I (%(date)s).") % {"date": _fmt(other.due_date)})


@transaction.atomic
def reporting_deadlines_ensure(*, unit: Organisation, school_year: SchoolYear, by) -> list[ReportingDeadline]:
    """The unit's two deadlines of the year, created with the default dates where missing."""
    require(by, "deadline.manage", unit)
    result = []
    for period in ReportingDeadline.Period.values:
        deadline, _created = ReportingDeadline.objects.get_or_create(
            unit=unit, school_year=school_year, period=period,
            defaults={"due_date": default_due_date(school_year, period), "updated_by": by},
        )
        result.append(deadline)
    return result


@transaction.atomic
def reporting_deadline_update(
    *, deadline: ReportingDeadline, by, revision: int | None, due_date: datetime.date, note: str = ""
) -> ReportingDeadline:
    """Move a deadline. Reminders restart for the new date (their key includes the due date)."""
    require(by, "deadline.manage", deadline)
    current = _locked(ReportingDeadline, deadline.pk, revision)
    _check_due_date(current, due_date)
    if current.due_date != due_date:
        _event("deadline.rescheduled", by=by, target=current, summary=str(current),
               from_state=current.due_date.isoformat(), to_state=due_date.isoformat())
    current.due_date, current.note, current.updated_by = due_date, note, by
    _bump(current)
    current.full_clean()
    current.save()
    return current
