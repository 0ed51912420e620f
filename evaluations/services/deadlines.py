"""The reviewing unit's deadlines of a school year: the periodic reports of the letters (20/12,
10/5; the reports handed in for them are in ``periodic``) and the TT57/2026 deadlines without a
report of their own (15/6 approval of the self-assessment report, the two reviews of the
improvement plan). The unit keeps, moves, adds or removes each of them.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext as _

from kiemdinh import validation
from kiemdinh.permissions import require
from schools.models import Organisation, SchoolYear

from ..models import ReportingDeadline
from .common import EvaluationsError, _bump, _event, _fmt, _locked

if TYPE_CHECKING:
    from schools.models import User


def default_due_date(school_year: SchoolYear, period: str) -> datetime.date:
    """20 December of the first calendar year (semester I, and its review of the improvement plan),
    10 May of the second (year end, and its review), 15 June of the second (TT57: the
    self-assessment report approved, điểm d khoản 3 Điều 9)."""
    first = school_year.first_year
    if period in (ReportingDeadline.Period.SEMESTER_1, ReportingDeadline.Period.MONITORING_SEMESTER_1):
        return datetime.date(first, 12, 20)
    if period == ReportingDeadline.Period.PLAN_APPROVAL:
        return datetime.date(first + 1, 6, 15)
    return datetime.date(first + 1, 5, 10)


# Pairs of periods whose first must come before the second within a school year.
ORDERED_PAIRS = (
    (ReportingDeadline.Period.SEMESTER_1, ReportingDeadline.Period.YEAR_END),
    (ReportingDeadline.Period.MONITORING_SEMESTER_1, ReportingDeadline.Period.MONITORING_YEAR_END),
)


# A year-end report may be due after the last school day (results are consolidated in summer).
YEAR_END_GRACE_DAYS = 92


def _check_due_date(deadline: ReportingDeadline, due_date: datetime.date) -> None:
    """The date lies in the school year (or its summer); semester I before the year end, for the
    reports and for the reviews of the improvement plan alike."""
    school_year = deadline.school_year
    last = school_year.end_date + datetime.timedelta(days=YEAR_END_GRACE_DAYS)
    if not school_year.start_date <= due_date <= last:
        raise EvaluationsError(_("Hạn nộp %(date)s không thuộc năm học %(year)s (từ %(start)s đến %(end)s).") % {
            "date": _fmt(due_date), "year": school_year.code, "start": _fmt(school_year.start_date), "end": _fmt(last)})
    others = ReportingDeadline.objects.filter(unit_id=deadline.unit_id, school_year=school_year).exclude(pk=deadline.pk)
    for other in others:
        if (deadline.period, other.period) == tuple(ORDERED_PAIRS[0]) and due_date >= other.due_date:
            raise EvaluationsError(_("Hạn báo cáo học kỳ I phải trước hạn báo cáo cuối năm (%(date)s).") % {"date": _fmt(other.due_date)})
        if (other.period, deadline.period) == tuple(ORDERED_PAIRS[0]) and due_date <= other.due_date:
            raise EvaluationsError(_("Hạn báo cáo cuối năm phải sau hạn báo cáo học kỳ I (%(date)s).") % {"date": _fmt(other.due_date)})
        if (deadline.period, other.period) == tuple(ORDERED_PAIRS[1]) and due_date >= other.due_date:
            raise EvaluationsError(_("Mốc rà soát cuối học kỳ I phải trước mốc rà soát cuối năm học (%(date)s).")
                                   % {"date": _fmt(other.due_date)})
        if (other.period, deadline.period) == tuple(ORDERED_PAIRS[1]) and due_date <= other.due_date:
            raise EvaluationsError(_("Mốc rà soát cuối năm học phải sau mốc rà soát cuối học kỳ I (%(date)s).")
                                   % {"date": _fmt(other.due_date)})


@transaction.atomic
def reporting_deadlines_ensure(*, unit: Organisation, school_year: SchoolYear, by: User) -> list[ReportingDeadline]:
    """The unit's two deadlines of the year, created with the default dates where missing."""
    require(by, "deadline.manage", unit)
    result = []
    for period in ReportingDeadline.REPORT_PERIODS:
        deadline, _created = ReportingDeadline.objects.get_or_create(
            unit=unit, school_year=school_year, period=period,
            defaults={"due_date": default_due_date(school_year, period), "updated_by": by},
        )
        result.append(deadline)
    return result


@transaction.atomic
def reporting_deadline_update(
    *, deadline: ReportingDeadline, by: User, revision: int | None, due_date: datetime.date, note: str = ""
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
    validation.full_clean(current)
    current.save()
    return current


@transaction.atomic
def reporting_deadline_add(
    *, unit: Organisation, school_year: SchoolYear, period: str, by: User, due_date: datetime.date | None = None, note: str = ""
) -> ReportingDeadline:
    """Add one deadline of the year (any kind the unit has not configured yet); its default date
    when none is given (20/12, 10/5, 15/6)."""
    require(by, "deadline.manage", unit)
    if period not in ReportingDeadline.Period.values:
        raise EvaluationsError(_("Loại hạn không hợp lệ."))
    Organisation.objects.select_for_update().filter(pk=unit.pk).first()
    if ReportingDeadline.objects.filter(unit=unit, school_year=school_year, period=period).exists():
        raise EvaluationsError(_("%(unit)s đã có hạn “%(period)s” trong năm học %(year)s.") % {
            "unit": unit, "period": ReportingDeadline.Period(period).label, "year": school_year.code})
    deadline = ReportingDeadline(unit=unit, school_year=school_year, period=period, note=note, updated_by=by,
                                 due_date=due_date or default_due_date(school_year, period))
    _check_due_date(deadline, deadline.due_date)
    validation.full_clean(deadline)
    deadline.save()
    _event("deadline.added", by=by, target=deadline, summary=str(deadline), to_state=deadline.due_date.isoformat())
    return deadline


@transaction.atomic
def reporting_deadline_remove(*, deadline: ReportingDeadline, by: User, revision: int | None) -> None:
    """Remove a deadline the unit no longer keeps. A periodic deadline for which a school already
    opened a report stays (the report belongs to it); its reminders go with it."""
    require(by, "deadline.manage", deadline)
    current = _locked(ReportingDeadline, deadline.pk, revision)
    if current.reports.exists():
        raise EvaluationsError(_("Không thể bỏ hạn này: đã có trường lập báo cáo định kỳ cho kỳ này; hãy đổi hạn thay vì bỏ."))
    _event("deadline.removed", by=by, target=current.unit, summary=str(current), from_state=current.due_date.isoformat())
    current.delete()
