"""Reads of the evaluations app: scoped querysets and the page/dashboard data built from them.

Every lookup a view makes goes through a ``*_visible_to(user)`` queryset, so what a user cannot
see does not exist (404). The "has this school met this deadline?" question is answered in one
place, ``deadline_met_by``, used by the reminders, the dashboards and the school's page alike.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from schools.models import Membership, Organisation, School, SchoolYear
from schools.scope import scope_of
from schools.selectors import schools_visible_to
from schools.years import school_year_current

from . import certification, deadlines57, reminders, reports
from .models import (
    AccreditationPlan,
    Certificate,
    CriterionResult,
    EvaluationRound,
    ExternalEvaluation,
    Milestone,
    MilestoneCompletion,
    PeriodicProgress,
    PeriodicReport,
    PlannedSchool,
    PlanTarget,
    Recommendation,
    ReminderLog,
    ReportingDeadline,
    RoundRegistration,
    TeamMember,
)

# Statuses of a periodic report that count as "submitted" for its deadline: the school handed it
# in (a report returned for revision was still handed in on the day it was first submitted).
SUBMITTED_STATUSES = frozenset(PeriodicReport.Status.values) - {PeriodicReport.Status.DRAFT}
# The levels a district plans for (the Đống Đa letter: MN, TH, THCS); others show when used.
PLAN_LEVELS = ("mn", "th", "thcs")
UPCOMING_HORIZON_DAYS = 60
# Improvement actions listed one by one on a school's upcoming page (overdue ones are summed up).
UPCOMING_ACTIONS_SHOWN = 10
# How long a missed deadline stays on the school's list of upcoming deadlines.
OVERDUE_VISIBLE_DAYS = 60


# --- Scoped querysets ------------------------------------------------------------------------


def _unit_condition(scope, field: str = "unit") -> Q:
    return (
        Q(**{f"{field}_id__in": scope.district_unit_ids})
        | Q(**{f"{field}_id__in": scope.department_ids})
        | Q(**{f"{field}__parent_id__in": scope.department_ids})
    )


def units_overseen_by(user) -> QuerySet[Organisation]:
    """Reviewing units whose plans, rounds and deadlines the user sees (district staff, the Sở)."""
    scope = scope_of(user)
    qs = Organisation.objects.exclude(kind=Organisation.Kind.DEPARTMENT).select_related("parent").order_by("name")
    if scope.sees_everything:
        return qs
    return qs.filter(
        Q(pk__in=scope.district_unit_ids) | Q(pk__in=scope.department_ids) | Q(parent_id__in=scope.department_ids)
    )


def units_managed_by(user) -> QuerySet[Organisation]:
    """Reviewing units whose plans, rounds and deadlines the user manages (their district office)."""
    scope = scope_of(user)
    qs = Organisation.objects.exclude(kind=Organisation.Kind.DEPARTMENT).order_by("name")
    if scope.sees_everything:
        return qs
    return qs.filter(pk__in=scope.district_unit_ids)


def plans_visible_to(user) -> QuerySet[AccreditationPlan]:
    scope = scope_of(user)
    qs = AccreditationPlan.objects.select_related("unit", "unit__parent")
    if scope.sees_everything:
        return qs
    condition = _unit_condition(scope)
    if scope.school_ids:
        condition |= Q(pk__in=PlannedSchool.objects.filter(school_id__in=scope.school_ids).values("plan_id"))
    return qs.filter(condition)


def rounds_visible_to(user) -> QuerySet[EvaluationRound]:
    scope = scope_of(user)
    qs = EvaluationRound.objects.select_related("unit", "unit__parent")
    if scope.sees_everything:
        return qs
    condition = _unit_condition(scope)
    if scope.school_ids:
        condition |= Q(pk__in=RoundRegistration.objects.filter(school_id__in=scope.school_ids).values("round_id"))
    return qs.filter(condition)


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


# --- The one answer to "has this school met this deadline?" -----------------------------------


def periodic_ref(deadline_id: int) -> str:
    return f"periodic:{deadline_id}"


def milestone_ref(milestone_id: int) -> str:
    return f"milestone:{milestone_id}"


def periodic_report_states(
    periodic_ids: Iterable[int],
) -> dict[tuple[int, int], tuple[str, datetime.datetime | None]]:
    """Each periodic report of these deadlines: {(deadline id, school id): (its status, when it met the
    deadline or None)} in one query. Met means handed in (any status after draft) at its first
    submission (``submitted_at``): the rule ``deadline_met_by`` gives every page."""
    states = {}
    for deadline_id, school_id, status, submitted_at in PeriodicReport.objects.filter(
        deadline_id__in=list(periodic_ids)
    ).values_list("deadline_id", "school_id", "status", "submitted_at"):
        met = submitted_at if status in SUBMITTED_STATUSES and submitted_at is not None else None
        states[(deadline_id, school_id)] = (status, met)
    return states


def deadline_met_by(
    *, periodic_ids: Iterable[int] = (), milestone_ids: Iterable[int] = ()
) -> dict[str, dict[int, datetime.datetime]]:
    """Who met each deadline and when: {ref: {id: met_at}} (two queries at most).

    - a periodic deadline is met by a school whose periodic report for it was handed in (any
      status after draft, a report returned for revision included) at its first submission
      (``submitted_at``; a resubmission does not move it, a withdrawal before review cancels it);
    - a school milestone by a registered school that marked it done;
    - a district milestone by its unit (the id in the inner dict is the unit id) once done.
    The reminders, the deadline pages, the school's pages and the district dashboard
    (``reviews.integrations``) all ask this function: change the rule here and nowhere else.
    """
    result: dict[str, dict[int, datetime.datetime]] = defaultdict(dict)
    periodic_ids = list(periodic_ids)
    milestone_ids = list(milestone_ids)
    if periodic_ids:
        for (deadline_id, school_id), (_status, met_at) in periodic_report_states(periodic_ids).items():
            if met_at is not None:
                result[periodic_ref(deadline_id)][school_id] = met_at
    if milestone_ids:
        for milestone_id, unit_id, done_at in Milestone.objects.filter(
            pk__in=milestone_ids, owner=Milestone.Owner.DISTRICT, done_at__isnull=False
        ).values_list("pk", "round__unit_id", "done_at"):
            result[milestone_ref(milestone_id)][unit_id] = done_at
        for milestone_id, school_id, done_at in MilestoneCompletion.objects.filter(
            milestone_id__in=milestone_ids
        ).values_list("milestone_id", "registration__school_id", "done_at"):
            result[milestone_ref(milestone_id)][school_id] = done_at
    return dict(result)


def school_has_met(school: School, deadline: ReportingDeadline | Milestone) -> bool:
    """Whether one school met one deadline (a convenience over ``deadline_met_by``)."""
    if isinstance(deadline, ReportingDeadline):
        return school.pk in deadline_met_by(periodic_ids=[deadline.pk]).get(periodic_ref(deadline.pk), {})
    return school.pk in deadline_met_by(milestone_ids=[deadline.pk]).get(milestone_ref(deadline.pk), {})


# --- Reminders: the deadlines in play on a day --------------------------------------------------


@dataclass
class ReminderContext:
    """What the reminder service needs besides the pure selection: the rows behind each ref."""

    deadlines: list[reminders.Deadline]
    periodic: dict[int, ReportingDeadline]
    milestones: dict[int, Milestone]
    met: dict[str, dict[int, datetime.datetime]]
    sent: set[str]


def reminder_context(today: datetime.date) -> ReminderContext:
    """Every deadline whose reminder window contains ``today``, with who met it and what was sent.

    A constant number of queries whatever the number of units, schools and milestones.
    """
    first = today - datetime.timedelta(
        days=reminders.OVERDUE_DAYS[-1] + reminders.LAST_STAGE_WINDOW
    )
    last = today + datetime.timedelta(days=max(reminders.BEFORE_DAYS))
    periodic = {
        d.pk: d for d in ReportingDeadline.objects.for_reports().filter(due_date__range=(first, last))
        .select_related("unit", "school_year")
    }
    milestones = {
        m.pk: m for m in Milestone.objects.filter(due_date__range=(first, last)).select_related("round", "round__unit")
    }
    active_by_unit: dict[int, set[int]] = defaultdict(set)
    if periodic:
        for school_id, unit_id in School.objects.filter(
            reviewing_unit_id__in={d.unit_id for d in periodic.values()}, status=School.Status.ACTIVE
        ).values_list("pk", "reviewing_unit_id"):
            active_by_unit[unit_id].add(school_id)
    registered_by_round: dict[int, set[int]] = defaultdict(set)
    school_milestone_rounds = {m.round_id for m in milestones.values() if m.is_school}
    if school_milestone_rounds:
        for round_id, school_id in RoundRegistration.objects.filter(
            round_id__in=school_milestone_rounds, school__status=School.Status.ACTIVE
        ).values_list("round_id", "school_id"):
            registered_by_round[round_id].add(school_id)
    deadlines = [
        reminders.Deadline(
            ref=periodic_ref(d.pk), due=d.due_date, unit_id=d.unit_id, audience=reminders.SCHOOL,
            school_ids=frozenset(active_by_unit[d.unit_id]),
        )
        for d in periodic.values()
    ] + [
        reminders.Deadline(
            ref=milestone_ref(m.pk), due=m.due_date, unit_id=m.round.unit_id,
            audience=reminders.SCHOOL if m.is_school else reminders.DISTRICT,
            school_ids=frozenset(registered_by_round[m.round_id]) if m.is_school else frozenset(),
        )
        for m in milestones.values()
    ]
    met = deadline_met_by(periodic_ids=periodic, milestone_ids=milestones)
    sent = set(
        ReminderLog.objects.filter(Q(reporting_deadline_id__in=periodic) | Q(milestone_id__in=milestones))
        .values_list("key", flat=True)
    )
    return ReminderContext(deadlines, periodic, milestones, met, sent)


def district_recipients(unit_ids: Iterable[int]) -> dict[int, list]:
    """Active reviewers and heads of each unit: {unit_id: [user, ...]}."""
    result: dict[int, list] = defaultdict(list)
    for membership in Membership.objects.filter(
        organisation_id__in=set(unit_ids), role__in=Membership.DISTRICT_ROLES, is_active=True, user__is_active=True
    ).select_related("user").order_by("user__username"):
        if membership.user not in result[membership.organisation_id]:
            result[membership.organisation_id].append(membership.user)
    return dict(result)


def principal_recipients(school_ids: Iterable[int]) -> dict[int, list]:
    """Active principals of each school: {school_id: [user, ...]}."""
    result: dict[int, list] = defaultdict(list)
    for membership in Membership.objects.filter(
        school_id__in=set(school_ids), role=Membership.Role.PRINCIPAL, is_active=True, user__is_active=True
    ).select_related("user").order_by("user__username"):
        result[membership.school_id].append(membership.user)
    return dict(result)


# --- Deadline status (district dashboard) -----------------------------------------------------

PENDING = "pending"
ON_TIME = "on_time"
LATE = "late"
MISSING = "missing"
STATUS_LABELS = {
    PENDING: lambda: _("Chưa nộp (còn hạn)"),
    ON_TIME: lambda: _("Nộp đúng hạn"),
    LATE: lambda: _("Nộp muộn"),
    MISSING: lambda: _("Chưa nộp (quá hạn)"),
}


def submission_status(due: datetime.date, met_on: datetime.date | None, today: datetime.date) -> str:
    """On time / late / missing / still pending, comparing local dates (a report sent at 23:30 on
    the due day is on time)."""
    if met_on is not None:
        return ON_TIME if met_on <= due else LATE
    return MISSING if today > due else PENDING


@dataclass
class SchoolStatus:
    school: School
    status: str
    met_at: datetime.datetime | None = None
    # The school's periodic report for the deadline (filled by ``deadline_status_of``): its review
    # status and latest submission; None when the school has not opened one.
    report_status: str | None = None
    last_submitted_at: datetime.datetime | None = None

    @property
    def label(self) -> str:
        return STATUS_LABELS[self.status]()


@dataclass
class DeadlineStatus:
    deadline: ReportingDeadline
    rows: list[SchoolStatus]
    counts: dict[str, int]
    days_left: int

    @property
    def behind(self) -> list[SchoolStatus]:
        return [row for row in self.rows if row.status in (LATE, MISSING)]


def _local_date(moment: datetime.datetime | None) -> datetime.date | None:
    from django.utils import timezone

    return timezone.localdate(moment) if moment is not None else None


def _statuses(deadlines: list[ReportingDeadline], schools: list[School], today: datetime.date) -> list[DeadlineStatus]:
    met = deadline_met_by(periodic_ids=[d.pk for d in deadlines])
    result = []
    for deadline in sorted(deadlines, key=lambda d: d.due_date):
        by_school = met.get(periodic_ref(deadline.pk), {})
        rows = [
            SchoolStatus(s, submission_status(deadline.due_date, _local_date(by_school.get(s.pk)), today), by_school.get(s.pk))
            for s in schools
        ]
        counts = {key: 0 for key in STATUS_LABELS}
        for row in rows:
            counts[row.status] += 1
        result.append(DeadlineStatus(deadline, rows, counts, (deadline.due_date - today).days))
    return result


def _active_schools(unit_id: int) -> list[School]:
    return list(School.objects.filter(reviewing_unit_id=unit_id, status=School.Status.ACTIVE).order_by("level", "code"))


def deadline_status_for_unit(unit: Organisation, today: datetime.date) -> list[DeadlineStatus]:
    """For the unit's periodic deadlines of the current school year: each active school on time,
    late, missing or still pending (four queries whatever the number of schools)."""
    year = school_year_current(today)
    if year is None:
        return []
    deadlines = list(
        ReportingDeadline.objects.for_reports().filter(unit=unit, school_year=year).select_related("school_year", "unit")
    )
    if not deadlines:
        return []
    return _statuses(deadlines, _active_schools(unit.pk), today)


def deadline_status_of(deadline: ReportingDeadline, today: datetime.date) -> DeadlineStatus:
    """One deadline with the status of each active school of its unit and the review status of each
    school's periodic report (three queries whatever the number of schools)."""
    status = _statuses([deadline], _active_schools(deadline.unit_id), today)[0]
    by_school = {
        school_id: (report_status, last)
        for school_id, report_status, last in PeriodicReport.objects.filter(deadline=deadline)
        .order_by().values_list("school_id", "status", "last_submitted_at")
    }
    for row in status.rows:
        row.report_status, row.last_submitted_at = by_school.get(row.school.pk, (None, None))
    return status


def deadline_overview(user, school_year: SchoolYear, today: datetime.date) -> list[tuple[Organisation, list]]:
    """The deadlines page: per unit the user oversees, its two deadlines of the year with counts.

    [(unit, [(period, deadline or None, counts or None)])]; a constant number of queries.
    """
    units = list(units_overseen_by(user))
    deadlines = {
        (d.unit_id, d.period): d
        for d in ReportingDeadline.objects.for_reports().filter(unit__in=units, school_year=school_year)
        .select_related("school_year")
    }
    met = deadline_met_by(periodic_ids=[d.pk for d in deadlines.values()])
    active: dict[int, list[int]] = defaultdict(list)
    for school_id, unit_id in School.objects.filter(reviewing_unit__in=units, status=School.Status.ACTIVE).values_list(
        "pk", "reviewing_unit_id"
    ):
        active[unit_id].append(school_id)
    overview = []
    for unit in units:
        periods = []
        for period in ReportingDeadline.REPORT_PERIODS:
            deadline = deadlines.get((unit.pk, period))
            counts = None
            if deadline is not None:
                by_school = met.get(periodic_ref(deadline.pk), {})
                counts = {key: 0 for key in STATUS_LABELS}
                for school_id in active[unit.pk]:
                    counts[submission_status(deadline.due_date, _local_date(by_school.get(school_id)), today)] += 1
            periods.append((period, deadline, counts))
        overview.append((unit, periods))
    return overview


# --- A school's upcoming deadlines ----------------------------------------------------------


@dataclass
class UpcomingItem:
    kind: str  # "periodic", "tt57" (approval, Biểu 2 monitoring), "milestone", "certificate", "improvement"
    title: str
    due: datetime.date
    days_left: int
    done: bool = False
    done_at: datetime.datetime | None = None
    url: str = ""
    context: str = ""

    @property
    def is_overdue(self) -> bool:
        return not self.done and self.days_left < 0

    @property
    def is_soon(self) -> bool:
        return not self.done and 0 <= self.days_left <= 14


def upcoming_deadlines_for_school(
    school: School, today: datetime.date, *, horizon_days: int = UPCOMING_HORIZON_DAYS
) -> list[UpcomingItem]:
    """What the school must do next: its periodic reports, its round milestones, the actions of its
    improvement plan, its certificate's expiry; due within ``horizon_days``, or missed within the
    last two months. Seven queries whatever their number."""
    first = today - datetime.timedelta(days=OVERDUE_VISIBLE_DAYS)
    last = today + datetime.timedelta(days=horizon_days)
    items: list[UpcomingItem] = []
    periodic = list(
        ReportingDeadline.objects.for_reports().filter(unit_id=school.reviewing_unit_id, due_date__range=(first, last))
        .select_related("school_year")
    )
    milestones = list(
        Milestone.objects.filter(
            owner=Milestone.Owner.SCHOOL, round__registrations__school=school, due_date__range=(first, last)
        ).select_related("round")
    )
    met = deadline_met_by(periodic_ids=[d.pk for d in periodic], milestone_ids=[m.pk for m in milestones])
    for deadline in periodic:
        done_at = met.get(periodic_ref(deadline.pk), {}).get(school.pk)
        if done_at is not None and deadline.due_date < today:
            continue
        items.append(UpcomingItem(
            "periodic", _("Báo cáo kết quả tự đánh giá và thực hiện kế hoạch cải tiến (%(period)s)")
            % {"period": deadline.short_period},
            deadline.due_date, (deadline.due_date - today).days, done_at is not None, done_at,
            reverse("evaluations:periodic_report_detail", args=[deadline.pk, school.pk]),
            context=_("Năm học %(year)s") % {"year": deadline.school_year.code},
        ))
    for milestone in milestones:
        done_at = met.get(milestone_ref(milestone.pk), {}).get(school.pk)
        if done_at is not None and milestone.due_date < today:
            continue
        items.append(UpcomingItem(
            "milestone", milestone.title, milestone.due_date, (milestone.due_date - today).days,
            done_at is not None, done_at, reverse("evaluations:round_detail", args=[milestone.round_id]),
            context=_("Đánh giá ngoài – %(round)s") % {"round": milestone.round},
        ))
    items.extend(_tt57_duties(school, today, first, last))
    items.extend(_plan57_items(school, today, last))
    actions = reports.improvement_actions_due(school, last)
    overdue = [a for a in actions if a.due_on < today]
    if overdue:
        # However many, one line: the plan's own page lists them (improvement-plan tracking).
        items.append(UpcomingItem(
            "improvement", ngettext(
                "%(n)s biện pháp cải tiến chưa hoàn thành đã quá hạn",
                "%(n)s biện pháp cải tiến chưa hoàn thành đã quá hạn", len(overdue)) % {"n": len(overdue)},
            overdue[0].due_on, (overdue[0].due_on - today).days,
            url=reverse("selfassessment:report_detail", args=[overdue[0].report_id]),
            context=_("Kế hoạch cải tiến chất lượng – báo cáo năm học %(year)s") % {"year": overdue[0].report.school_year.code},
        ))
    for action in [a for a in actions if a.due_on >= today][:UPCOMING_ACTIONS_SHOWN]:
        target = (_("Tiêu chí %(n)s") % {"n": action.criterion.number}) if action.criterion_id else (
            _("Mức 4 – yêu cầu %(n)s") % {"n": action.level4.number})
        url = reverse("selfassessment:criterion_edit", args=[action.report_id, action.criterion_id]) if action.criterion_id \
            else reverse("selfassessment:level4_edit", args=[action.report_id])
        items.append(UpcomingItem(
            "improvement", action.action, action.due_on, (action.due_on - today).days, url=url,
            context=_("Kế hoạch cải tiến – %(target)s%(who)s") % {
                "target": target, "who": f" · {action.responsible}" if action.responsible else ""},
        ))
    certificate = Certificate.objects.filter(school=school).order_by("-decision_date", "-id").first()
    if certificate is not None and certificate.validity_state(today) != certification.VALID:
        items.append(UpcomingItem(
            "certificate", _("Hết hiệu lực công nhận %(level)s (QĐ %(number)s)") % {
                "level": certificate.get_accreditation_level_display(), "number": certificate.decision_number,
            },
            certificate.valid_until, (certificate.valid_until - today).days,
            context=_("Cần đăng ký đánh giá lại"),
        ))
    items.sort(key=lambda item: (item.done, item.due))
    return items


def _tt57_duties(school: School, today: datetime.date, first: datetime.date, last: datetime.date) -> list[UpcomingItem]:
    """The TT57 deadlines the school's reviewing unit set (15/6 approval, the two Biểu 2 monitoring
    points) that concern this school, met or not (``deadlines57.standings``); a met one leaves the
    list once its day has passed, as the periodic reports do."""
    deadlines = list(
        ReportingDeadline.objects.for_tt57().filter(unit_id=school.reviewing_unit_id, due_date__range=(first, last))
        .select_related("school_year")
    )
    if not deadlines:
        return []
    standing = deadlines57.standings(deadlines)
    report_of_year = dict(
        reports.open_reports_of(school, {d.school_year_id for d in deadlines}).values_list("school_year_id", "pk")
    )
    items = []
    for deadline in deadlines:
        concerned = standing.get(deadline.pk)
        if concerned is None or school.pk not in concerned.concerned:
            continue
        done = school.pk in concerned.met
        if done and deadline.due_date < today:
            continue
        report_pk = report_of_year.get(deadline.school_year_id)
        if report_pk is None:
            url = reverse("selfassessment:report_list")
        elif deadline.period in deadlines57.MONITORING_POINT:
            url = reverse("selfassessment:plan57", args=[report_pk])
        else:
            url = reverse("selfassessment:report_detail", args=[report_pk])
        items.append(UpcomingItem(
            "tt57", capfirst(deadlines57.what(deadline)), deadline.due_date, (deadline.due_date - today).days,
            done, url=url, context=deadline.get_period_display(),
        ))
    return items


def _plan57_items(school: School, today: datetime.date, last: datetime.date) -> list[UpcomingItem]:
    """The improvement activities of the school's Biểu 2 (TT57 plans of its open reports) not done by
    their end date: the overdue ones in one line, then the next few ending before ``last``."""
    actions = reports.plan57_actions_due(school, last)
    items = []
    overdue = [a for a in actions if a.end_on < today]
    if overdue:
        items.append(UpcomingItem(
            "improvement", ngettext(
                "%(n)s hoạt động cải tiến (Biểu 2) chưa hoàn thành đã quá hạn",
                "%(n)s hoạt động cải tiến (Biểu 2) chưa hoàn thành đã quá hạn", len(overdue)) % {"n": len(overdue)},
            overdue[0].end_on, (overdue[0].end_on - today).days,
            url=reverse("selfassessment:plan57", args=[overdue[0].plan.report_id]),
            context=_("Kế hoạch cải tiến chất lượng (Biểu 2) – năm học %(year)s") % {
                "year": overdue[0].plan.report.school_year.code},
        ))
    for action in [a for a in actions if a.end_on >= today][:UPCOMING_ACTIONS_SHOWN]:
        items.append(UpcomingItem(
            "improvement", action.content, action.end_on, (action.end_on - today).days,
            url=reverse("selfassessment:plan57", args=[action.plan.report_id]),
            context=_("Kế hoạch cải tiến (Biểu 2)%(who)s") % {
                "who": f" · {action.responsible}" if action.responsible else ""},
        ))
    return items


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


# --- Rounds -----------------------------------------------------------------------------------


@dataclass
class Cell:
    registration: RoundRegistration
    completion: MilestoneCompletion | None
    overdue: bool
    can_toggle: bool = False  # set by the view from the permission rule


@dataclass
class ScheduleRow:
    milestone: Milestone
    cells: list[Cell]
    overdue: bool = False

    @property
    def done_count(self) -> int:
        return sum(1 for c in self.cells if c.completion is not None)


@dataclass
class RoundSchedule:
    round: EvaluationRound
    registrations: list[RoundRegistration]
    school_rows: list[ScheduleRow]
    district_rows: list[ScheduleRow]


def round_schedule(round_: EvaluationRound, user, today: datetime.date) -> RoundSchedule:
    """The round's milestone table: a school milestone per registered school the user may see,
    then the district's milestones. Five queries whatever the size."""
    registrations = list(registrations_visible_to(user).filter(round=round_).order_by("school__level", "school__code"))
    # The registration's evaluation record, or None (a reverse one-to-one raises when missing).
    records = {e.registration_id: e for e in ExternalEvaluation.objects.filter(registration__in=registrations)}
    for registration in registrations:
        registration.evaluation_record = records.get(registration.pk)
    milestones = list(round_.milestones.select_related("done_by").order_by("due_date", "position", "id"))
    completions = {
        (c.milestone_id, c.registration_id): c
        for c in MilestoneCompletion.objects.filter(
            milestone__round=round_, registration__in=[r.pk for r in registrations]
        ).select_related("done_by")
    }
    school_rows, district_rows = [], []
    for milestone in milestones:
        late = milestone.due_date < today
        if milestone.is_school:
            cells = [
                Cell(r, completions.get((milestone.pk, r.pk)), late and (milestone.pk, r.pk) not in completions)
                for r in registrations
            ]
            school_rows.append(ScheduleRow(milestone, cells, any(c.overdue for c in cells)))
        else:
            district_rows.append(ScheduleRow(milestone, [], late and milestone.done_at is None))
    return RoundSchedule(round_, registrations, school_rows, district_rows)


def round_list(user) -> QuerySet[EvaluationRound]:
    return rounds_visible_to(user).annotate(
        registered=Count("registrations", distinct=True),
        milestone_count=Count("milestones", distinct=True),
    )


def round_candidates(round_: EvaluationRound) -> list[tuple[School, bool]]:
    """Active schools of the round's unit not registered yet, flagged when in that year's plan."""
    planned = set(
        PlannedSchool.objects.filter(plan__unit_id=round_.unit_id, plan__year=round_.year).values_list("school_id", flat=True)
    )
    schools = School.objects.filter(reviewing_unit_id=round_.unit_id, status=School.Status.ACTIVE).exclude(
        pk__in=round_.registrations.values("school_id")
    ).order_by("level", "code")
    return sorted(((s, s.pk in planned) for s in schools), key=lambda pair: (not pair[1], pair[0].level, pair[0].code))


# --- External evaluations ---------------------------------------------------------------------


@dataclass
class ResultRow:
    criterion: object
    standard: object
    result: CriterionResult | None
    self_level: int | None
    # Where the self-assessed level comes from: "report" (computed in the school's report in the
    # system) or "dossier" (typed from the paper dossier), "" when unknown.
    self_source: str = ""

    @property
    def differs(self) -> bool:
        return self.result is not None and self.self_level is not None and self.result.level != self.self_level


def evaluation_for_page(queryset: QuerySet[ExternalEvaluation], pk: int) -> ExternalEvaluation:
    return queryset.prefetch_related(
        Prefetch("team", queryset=TeamMember.objects.order_by("order", "id")),
        Prefetch("recommendations", queryset=Recommendation.objects.select_related("criterion", "action").order_by("position", "id")),
    ).get(pk=pk)


def evaluation_result_rows(evaluation: ExternalEvaluation, *, report=None) -> list[ResultRow]:
    """Every criterion of the evaluation's catalog version that applies to the school's level, with
    the external result and the self-assessed level beside it: the level computed in the school's
    ``report`` when there is one (matched by criterion number, the report may be on another
    version of the same regulation), else the one recorded from the dossier (two or three queries)."""
    from standards.models import Criterion

    report_levels = reports.self_assessed_levels(report) if report is not None else {}
    results = {r.criterion_id: r for r in evaluation.results.all()}
    criteria = Criterion.objects.filter(standard__version=evaluation.regulation_version, is_repealed=False).select_related(
        "standard"
    ).order_by("standard__position", "position")
    level = evaluation.school.level
    rows = []
    for criterion in criteria:
        if criterion.applies_to and level not in criterion.applies_to:
            continue
        result = results.get(criterion.pk)
        if report_levels.get(criterion.number) is not None:
            rows.append(ResultRow(criterion, criterion.standard, result, report_levels[criterion.number], "report"))
        else:
            recorded = result.self_level if result else None
            rows.append(ResultRow(criterion, criterion.standard, result, recorded, "dossier" if recorded is not None else ""))
    return rows


def evaluation_suggestion(evaluation: ExternalEvaluation, rows: list[ResultRow]) -> dict | None:
    """What the standards engine makes of the external results: the school's Mức, the Cấp độ and
    national-standard Mức độ it leads to, with the reasons that hold each back; None until every
    criterion has a result. The team's proposal is shown beside it, never replaced by it.

    Preconditions the engine cannot check (cohorts completed, when no report states it) make a
    ladder "undetermined", not "not reached".
    """
    from standards import engine
    from standards.engine import types as t
    from standards.explain import blocker_message
    from standards.selectors import catalog_rules_for

    if not rows or any(row.result is None for row in rows):
        return None
    rules = catalog_rules_for(evaluation.regulation_version)
    known = {spec.number for spec in rules.criteria if spec.is_assessed}
    binary = engine.get_family(rules.family).binary
    levels: dict[str, int | bool] = {row.criterion.number: row.result.level for row in rows if row.criterion.number in known}
    if binary:
        levels = {number: bool(level) for number, level in levels.items()}
    for number in known - set(levels):  # criteria that do not apply to this school's level
        levels[number] = True if binary else rules.level_count
    facts = engine.SchoolFacts(years_operating=evaluation.school.years_operating(evaluation.final_report_date))
    try:
        result = engine.evaluate(rules, engine.Verdicts(criteria=levels), facts)
    except engine.EngineError as exc:
        return {"error": str(exc)}

    def ladder(value, target):
        blockers = [b for b in result.blockers if b.target == target]
        undetermined = value is None or (
            value == 0 and any(b.code in (t.PRECONDITION_UNKNOWN, t.RULE_MISSING) for b in blockers)
        )
        return {"value": value, "undetermined": undetermined, "reasons": [blocker_message(b) for b in blockers]}

    below = sorted(
        (b.criterion for b in result.blockers if b.code == t.CRITERION_BELOW),
        key=lambda number: [int(part) if part.isdigit() else part for part in number.split(".")],
    )
    return {
        "school_level": result.school_level,
        "next_level": (result.school_level or 0) + 1,
        "holding_back": below,
        # Mức 4 requirements are not part of the team's per-criterion record.
        "level4_unrecorded": bool(rules.level4) and result.school_level == rules.level_count,
        "accreditation": ladder(result.accreditation_level, "accreditation"),
        "national": ladder(result.national_standard, "national_standard"),
    }


def evaluation_list(user) -> QuerySet[ExternalEvaluation]:
    return evaluations_visible_to(user).order_by("-created_at")


# --- Certificates -----------------------------------------------------------------------------


def latest_certificates(school_ids: Iterable[int]) -> dict[int, Certificate]:
    """The latest recognition decision of each school (one query)."""
    latest: dict[int, Certificate] = {}
    for certificate in Certificate.objects.filter(school_id__in=list(school_ids)).order_by("school_id", "decision_date", "id"):
        latest[certificate.school_id] = certificate
    return latest


@dataclass
class CertificateRow:
    school: School
    certificate: Certificate | None
    state: str | None
    days_left: int | None


def certificate_rows(
    schools: QuerySet[School], today: datetime.date, *, state: str = ""
) -> list[CertificateRow]:
    """Each school with its latest certificate and its validity on ``today`` (two queries).

    ``state``: "valid", "expiring", "expired" or "none" keeps only those rows.
    """
    latest_id = Certificate.objects.filter(school=OuterRef("pk")).order_by("-decision_date", "-id").values("pk")[:1]
    school_list = list(schools.annotate(latest_certificate_id=Subquery(latest_id)).order_by("reviewing_unit__name", "level", "code"))
    certificates = Certificate.objects.in_bulk([s.latest_certificate_id for s in school_list if s.latest_certificate_id])
    rows = []
    for school in school_list:
        certificate = certificates.get(school.latest_certificate_id)
        row_state = certificate.validity_state(today) if certificate else None
        days = (certificate.valid_until - today).days if certificate else None
        if state and (row_state or "none") != state:
            continue
        rows.append(CertificateRow(school, certificate, row_state, days))
    return rows


def expiring_certificates_for_unit(unit: Organisation, today: datetime.date) -> list[CertificateRow]:
    """The unit's schools whose latest recognition expires within six months or has expired
    within the last year: the re-evaluations due (dashboard)."""
    schools = School.objects.filter(reviewing_unit=unit, status=School.Status.ACTIVE).select_related("reviewing_unit")
    rows = [
        row for row in certificate_rows(schools, today)
        if row.state in (certification.EXPIRING, certification.EXPIRED) and row.days_left is not None
        and row.days_left >= -366
    ]
    return sorted(rows, key=lambda row: row.days_left)


def expiring_certificates_for_user(user, today: datetime.date) -> list[CertificateRow]:
    """The same across every school the user sees (the Sở's overview)."""
    rows = [
        row for row in certificate_rows(schools_visible_to(user).filter(status=School.Status.ACTIVE), today)
        if row.state in (certification.EXPIRING, certification.EXPIRED) and row.days_left is not None
        and row.days_left >= -366
    ]
    return sorted(rows, key=lambda row: row.days_left)


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
    from .services.periodic import progress_prefill

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
                     saved[action.pk] if action.pk in saved else progress_prefill(note), note)
        for action, note in reports.actions_with_latest_note(source)
    ]
    return PeriodicContent(True, source, reports.results_snapshot(source), lines)


def periodic_timing(school: School, deadline: ReportingDeadline, today: datetime.date) -> str:
    """On time, late, missing or pending for one school (the one rule: ``deadline_met_by``, then
    ``submission_status``)."""
    met_at = deadline_met_by(periodic_ids=[deadline.pk]).get(periodic_ref(deadline.pk), {}).get(school.pk)
    return submission_status(deadline.due_date, _local_date(met_at), today)
