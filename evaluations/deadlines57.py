"""The TT57/2026 deadlines of a reviewing unit that have no report of their own. Reads only.

- ``plan_approval`` (15/6 by default): each active school of the unit has its self-assessment
  report of the school year approved by its council (``Report.approved_on``, điểm d khoản 3 Điều 9);
- ``monitoring_semester1`` / ``monitoring_year_end`` (20/12 and 10/5 by default, or whatever the unit
  sets): each school whose TT57 report of the year carries an improvement plan (Biểu 2) has
  recorded the review of the plan for that point (table VI row "Cuối học kỳ I" / "Cuối năm học"),
  as ``selfassessment.plan57.monitoring_missing`` answers.

Their reminders (``services.reminding``) go once per deadline and school, a week before
(``reminders.ONCE``), to the schools concerned that have not met it. Refs are ``tt57:<deadline id>``,
apart from the periodic reports' ``periodic:<id>``.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.utils.translation import gettext as _

from schools.models import School
from selfassessment import plan57
from selfassessment.models import Plan57, Report

from . import reminders
from .models import ReminderLog, ReportingDeadline
from .selectors.deadlines import active_schools, deadline_statuses

PREFIX = "tt57"
FAMILY_TT57 = "2026"
# The Biểu 2 monitoring point of each monitoring deadline (selfassessment.plan57.MONITORING_POINTS).
MONITORING_POINT = {
    ReportingDeadline.Period.MONITORING_SEMESTER_1: "semester1",
    ReportingDeadline.Period.MONITORING_YEAR_END: "year_end",
}


def ref(deadline_id: int) -> str:
    return f"{PREFIX}:{deadline_id}"


def what(deadline: ReportingDeadline) -> str:
    """The duty in words, for reminders and pages."""
    year = deadline.school_year.code
    if deadline.period == ReportingDeadline.Period.PLAN_APPROVAL:
        return _("phê duyệt báo cáo tự đánh giá năm học %(year)s") % {"year": year}
    if deadline.period == ReportingDeadline.Period.MONITORING_SEMESTER_1:
        return _("rà soát, đánh giá việc thực hiện kế hoạch cải tiến chất lượng cuối học kỳ I năm học %(year)s "
                 "(Biểu 2, mục VI)") % {"year": year}
    return _("rà soát, đánh giá việc thực hiện kế hoạch cải tiến chất lượng cuối năm học %(year)s "
             "(Biểu 2, mục VI)") % {"year": year}


@dataclass
class Standing:
    """Who must meet one deadline and who did."""

    concerned: set[int]
    met: set[int]

    @property
    def missing(self) -> set[int]:
        return self.concerned - self.met


def _reports(unit_ids, year_ids):
    return Report.objects.filter(
        school__reviewing_unit_id__in=unit_ids, school__status=School.Status.ACTIVE, school_year_id__in=year_ids,
    ).exclude(status=Report.Status.CLOSED)


def standings(deadlines: list[ReportingDeadline]) -> dict[int, Standing]:
    """{deadline id: Standing} for TT57 deadlines (report deadlines are ignored). A few queries per
    kind of deadline, whatever the number of schools."""
    deadlines = [d for d in deadlines if not d.is_report]
    if not deadlines:
        return {}
    unit_ids = {d.unit_id for d in deadlines}
    year_ids = {d.school_year_id for d in deadlines}
    active: dict[int, set[int]] = defaultdict(set)
    for school_id, unit_id in School.objects.filter(
        reviewing_unit_id__in=unit_ids, status=School.Status.ACTIVE
    ).values_list("pk", "reviewing_unit_id"):
        active[unit_id].add(school_id)
    result: dict[int, Standing] = {}
    approvals = [d for d in deadlines if d.period == ReportingDeadline.Period.PLAN_APPROVAL]
    if approvals:
        approved: dict[int, set[int]] = defaultdict(set)
        for school_id, year_id in _reports(unit_ids, year_ids).filter(approved_on__isnull=False).values_list(
            "school_id", "school_year_id"
        ):
            approved[year_id].add(school_id)
        for d in approvals:
            result[d.pk] = Standing(set(active[d.unit_id]), approved[d.school_year_id] & active[d.unit_id])
    monitoring = [d for d in deadlines if d.period in MONITORING_POINT]
    if monitoring:
        plans = list(
            Plan57.objects.filter(
                report__in=_reports(unit_ids, year_ids).filter(regulation_version__regulation__family=FAMILY_TT57)
            ).values_list("pk", "report__school_id", "report__school_year_id")
        )
        for point in {MONITORING_POINT[d.period] for d in monitoring}:
            missing_ids = {p.pk for p in plan57.monitoring_missing(point, Plan57.objects.filter(pk__in=[p[0] for p in plans]))}
            for d in (d for d in monitoring if MONITORING_POINT[d.period] == point):
                concerned = {school for pk, school, year in plans if year == d.school_year_id} & active[d.unit_id]
                missing = {school for pk, school, year in plans if year == d.school_year_id and pk in missing_ids}
                result[d.pk] = Standing(concerned, concerned - missing)
    return result


def monitoring_dates(report: Report) -> list[datetime.date | None]:
    """The date of each Biểu 2 monitoring point (``plan57.MONITORING_POINTS`` order) that the school's
    reviewing unit set for the report's year (None: not set); read by the Biểu 2 page through
    ``plan57.monitoring_dates`` (registered in apps.py)."""
    period_of = {point: period for period, point in MONITORING_POINT.items()}
    dates = dict(ReportingDeadline.objects.filter(
        unit_id=report.school.reviewing_unit_id, school_year_id=report.school_year_id,
        period__in=list(MONITORING_POINT)).values_list("period", "due_date"))
    return [dates.get(period_of[point]) for point in plan57.MONITORING_POINTS]


def reminder_deadline(deadline: ReportingDeadline, standing: Standing) -> reminders.Deadline:
    return reminders.Deadline(
        ref=ref(deadline.pk), due=deadline.due_date, unit_id=deadline.unit_id, audience=reminders.SCHOOL,
        school_ids=frozenset(standing.concerned), stages=reminders.ONCE, once=True,
    )


@dataclass
class Context:
    deadlines: list[reminders.Deadline]
    met: dict[str, set[int]]
    sent: set[str]


def reminder_context(today: datetime.date) -> Context:
    """The TT57 deadlines whose single reminder may be due on ``today``, who met them, what was sent."""
    last = today + datetime.timedelta(days=max(s.days for s in reminders.ONCE))
    rows = list(
        ReportingDeadline.objects.for_tt57().filter(due_date__range=(today, last)).select_related("unit", "school_year")
    )
    by_id = standings(rows)
    deadlines = [reminder_deadline(d, by_id[d.pk]) for d in rows]
    met = {ref(d.pk): by_id[d.pk].met for d in rows}
    sent = set(ReminderLog.objects.filter(reporting_deadline__in=rows).values_list("key", flat=True))
    return Context(deadlines, met, sent)


@dataclass
class ConfigRow:
    """One configured deadline of a unit's year, for the configuration page."""

    deadline: ReportingDeadline
    days_left: int
    # Periodic reports: the counts of selectors' statuses (on_time, late, missing, pending).
    report_counts: dict | None = None
    # TT57 deadlines: who must meet it and who did.
    standing: Standing | None = None

    @property
    def duty(self) -> str:
        if self.deadline.is_report:
            return _("Nộp báo cáo kết quả tự đánh giá và thực hiện kế hoạch cải tiến chất lượng (báo cáo định kỳ)")
        return what(self.deadline)


def configuration(unit, school_year, today: datetime.date) -> list[ConfigRow]:
    """The unit's deadlines of the school year in date order, with how far the schools are. A
    constant number of queries."""
    rows = list(ReportingDeadline.objects.filter(unit=unit, school_year=school_year).select_related("school_year", "unit"))
    report_rows = [d for d in rows if d.is_report]
    report_status = {
        s.deadline.pk: s.counts for s in deadline_statuses(report_rows, active_schools(unit.pk), today)
    } if report_rows else {}
    by_id = standings(rows)
    return [
        ConfigRow(d, (d.due_date - today).days, report_status.get(d.pk), by_id.get(d.pk))
        for d in sorted(rows, key=lambda d: (d.due_date, d.period))
    ]
