"""Reads of the improvement-plan tracking: the school's plan page, one action, the district roll-up.

Every page reads a fixed number of queries whatever the number of actions or schools (the tests
assert it). The flags are the pure rule of ``flags``; where rows are only counted (the roll-up,
the counts of a plan), the same rule is written as SQL conditions by ``_flag_conditions`` and a
test checks the two agree.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import FieldDoesNotExist
from django.db.models import (
    Case,
    Count,
    F,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.utils.translation import gettext as _

from audit.selectors import events_for
from evidence.models import Evidence
from schools.models import Organisation, School
from schools.selectors import units_managed_by
from standards.models import Criterion, Level4Requirement, Standard

from .. import tt57
from ..models import ImprovementAction, ImprovementProgress, Plan57, Plan57Action, Report
from ..selectors import reports_visible_to
from . import flags

Status = ImprovementAction.Status
OPEN = list(flags.OPEN_STATUSES)


# --- Which report holds the school's plan -----------------------------------------------------


def plan_order():
    """The school's current plan first: an open (not closed) report before a closed one, then the
    newest school year, the report for external evaluation before the periodic one. The one rule
    of "which report holds the plan", used here and by the evaluations app (its "Hạn sắp tới" and
    the periodic report's source)."""
    return [
        Case(When(status=Report.Status.CLOSED, then=Value(1)), default=Value(0), output_field=IntegerField()).asc(),
        "-school_year__start_date",
        Case(When(kind=Report.Kind.EXTERNAL, then=Value(0)), default=Value(1), output_field=IntegerField()).asc(),
        "-pk",
    ]


def current_plan_report(school: School, *, up_to_year=None) -> Report | None:
    """The report holding the school's current plan (``plan_order``), among the reports of
    ``up_to_year`` and earlier school years when given (one query; the answer for the whole history
    is kept on the school object for the rest of the request)."""
    if up_to_year is None and "_kd_current_plan_report" in school.__dict__:
        return school.__dict__["_kd_current_plan_report"]  # asked twice on the start page (plan card, deadlines)
    qs = Report.objects.filter(school=school)
    if up_to_year is not None:
        qs = qs.filter(school_year__start_date__lte=up_to_year.start_date)
    report = qs.select_related("school_year", "regulation_version__regulation").order_by(*plan_order()).first()
    if up_to_year is None:
        school.__dict__["_kd_current_plan_report"] = report
    return report


def plan_reports(user, school: School) -> list[Report]:
    """The school's reports the user sees, the current plan first (one query)."""
    return list(reports_visible_to(user).filter(school=school).order_by(*plan_order()))


def actions_visible_to(user) -> QuerySet[ImprovementAction]:
    """Actions of the reports the user sees; any other does not exist for them (404)."""
    return ImprovementAction.objects.filter(report__in=reports_visible_to(user).values("pk"))


# --- Flags as SQL ---------------------------------------------------------------------------


def _flag_conditions(today: datetime.date) -> dict[str, Q]:
    """``flags.action_flag`` as conditions on ImprovementAction rows (an open action without a due date is on track)."""
    is_open = Q(status__in=OPEN)
    until = flags.due_soon_until(today)
    overdue = is_open & Q(due_on__lt=today)
    due_soon = is_open & Q(due_on__gte=today, due_on__lte=until)
    return {
        flags.OVERDUE: overdue,
        flags.DUE_SOON: due_soon,
        flags.ON_TRACK: is_open & (Q(due_on__isnull=True) | Q(due_on__gt=until)),
    }


def _count_aggregates(today: datetime.date) -> dict:
    conditions = _flag_conditions(today)
    return {
        "open": Count("pk", filter=Q(status__in=OPEN)),
        "overdue": Count("pk", filter=conditions[flags.OVERDUE]),
        "due_soon": Count("pk", filter=conditions[flags.DUE_SOON]),
        "done": Count("pk", filter=Q(status=Status.DONE)),
        "dropped": Count("pk", filter=Q(status=Status.DROPPED)),
        "oldest_overdue": Min("due_on", filter=conditions[flags.OVERDUE]),
    }


def _counts(row: dict) -> PlanCounts:
    return PlanCounts(**{k: v if k == "oldest_overdue" else (v or 0) for k, v in row.items()})


@dataclass
class PlanCounts:
    """How a plan stands: open (not started + in progress), of which overdue and due soon; done; dropped."""

    open: int = 0
    overdue: int = 0
    due_soon: int = 0
    done: int = 0
    dropped: int = 0
    oldest_overdue: datetime.date | None = None

    @property
    def total(self) -> int:
        return self.open + self.done + self.dropped


def plan_counts(report: Report | None, today: datetime.date) -> PlanCounts:
    """The counts of one report's plan (one query)."""
    if report is None:
        return PlanCounts()
    row = ImprovementAction.objects.filter(report=report).aggregate(**_count_aggregates(today))
    return _counts(row)


def school_plan_summary(school: School, today: datetime.date) -> tuple[Report | None, PlanCounts]:
    """The school's current plan report and its counts, for the school's start page (two queries).

    The school's own people see every report of their school, so no user scoping is needed here:
    the caller shows it on the page of a school the user belongs to.
    """
    report = current_plan_report(school)
    return report, plan_counts(report, today)


def plan57_counts(report: Report, today: datetime.date) -> PlanCounts | None:
    """How the Biểu 2 of a TT57 report stands, in the same counts as a 2018 plan (two queries; None
    when the report has no Biểu 2 yet). Open = not reported done; overdue = open past its end date;
    due soon = open and ending within ``flags.DUE_SOON_DAYS`` days."""
    if not Plan57.objects.filter(report=report).exists():
        return None
    open_ = ~Q(status=Plan57Action.Status.DONE)
    overdue = open_ & Q(end_on__lt=today)
    row = Plan57Action.objects.filter(plan__report=report).aggregate(
        open=Count("pk", filter=open_),
        overdue=Count("pk", filter=overdue),
        due_soon=Count("pk", filter=open_ & Q(end_on__gte=today, end_on__lte=flags.due_soon_until(today))),
        done=Count("pk", filter=Q(status=Plan57Action.Status.DONE)),
        oldest_overdue=Min("end_on", filter=overdue),
    )
    return _counts(row)


@dataclass
class PlanCard:
    """The start page's plan card: the current plan report, which plan it holds and its counts."""

    report: Report | None
    counts: PlanCounts
    tt57: bool = False      # a TT57/2026 report: its plan is Biểu 2
    has_plan57: bool = False


def school_plan_card(school: School, today: datetime.date) -> PlanCard:
    """The school's current plan for its start page: a 2018 report's per-criterion plan, or a TT57
    report's Biểu 2 (its activities counted the same way; two or three queries)."""
    report = current_plan_report(school)
    if report is not None and tt57.is_tt57(report):
        counts = plan57_counts(report, today)
        return PlanCard(report, counts or PlanCounts(), tt57=True, has_plan57=counts is not None)
    return PlanCard(report, plan_counts(report, today))


# --- The school's plan page ---------------------------------------------------------------------


@dataclass
class TrackedAction:
    action: ImprovementAction
    flag: str | None
    days_late: int = 0

    @property
    def last_note(self):
        return getattr(self.action, "last_note_date", None)

    @property
    def note_count(self) -> int:
        return getattr(self.action, "note_count", 0)


@dataclass
class PlanGroup:
    """The actions of one criterion (or one Mức 4 item), under their standard's heading."""

    standard: Standard | None
    criterion: Criterion | None
    level4: Level4Requirement | None
    actions: list[TrackedAction] = field(default_factory=list)

    @property
    def heading(self) -> str:
        if self.criterion is not None:
            return _("Tiêu chí %(n)s. %(t)s") % {"n": self.criterion.number, "t": self.criterion.title}
        if self.level4 is not None:
            return _("Mức 4 – yêu cầu %(n)s") % {"n": self.level4.number}
        return ""


@dataclass
class PlanPage:
    report: Report | None
    counts: PlanCounts
    groups: list[tuple[Standard | None, list[PlanGroup]]]
    shown: int


def _with_notes(qs: QuerySet[ImprovementAction]) -> QuerySet[ImprovementAction]:
    return qs.annotate(note_count=Count("progress_notes", distinct=True), last_note_date=Max("progress_notes__date"))


def plan_page(report: Report | None, today: datetime.date, *, status: str = "", flag: str = "") -> PlanPage:
    """The plan of ``report`` grouped by standard and criterion, then Mức 4, filtered by status
    ("open" or a status value) and flag (two queries whatever the number of actions)."""
    if report is None:
        return PlanPage(None, PlanCounts(), [], 0)
    counts = plan_counts(report, today)
    qs = ImprovementAction.objects.filter(report=report)
    if status == "open":
        qs = qs.filter(status__in=OPEN)
    elif status in Status.values:
        qs = qs.filter(status=status)
    if flag in flags.FLAGS:
        qs = qs.filter(_flag_conditions(today)[flag])
    qs = _with_notes(
        qs.select_related("criterion__standard", "level4", "updated_by")
        .defer("criterion__source", "criterion__standard__source", "level4__source")
    ).order_by(
        # Criteria first (their level4 is null), in the regulation's order, then the Mức 4 items.
        F("level4__position").asc(nulls_first=True), "criterion__standard__position", "criterion__position",
        "position", "pk",
    )
    standards: dict[int | None, tuple[Standard | None, list[PlanGroup]]] = {}
    groups: dict[tuple[str, int], PlanGroup] = {}
    shown = 0
    for action in qs:
        shown += 1
        tracked = TrackedAction(
            action, flags.action_flag(status=action.status, due_on=action.due_on, today=today),
            flags.days_late(due_on=action.due_on, today=today) if action.is_open else 0,
        )
        if action.criterion_id:
            standard = action.criterion.standard
            key = ("criterion", action.criterion_id)
            if key not in groups:
                groups[key] = PlanGroup(standard, action.criterion, None)
                standards.setdefault(standard.pk, (standard, []))[1].append(groups[key])
        else:
            key = ("level4", action.level4_id)
            if key not in groups:
                groups[key] = PlanGroup(None, None, action.level4)
                standards.setdefault(None, (None, []))[1].append(groups[key])
        groups[key].actions.append(tracked)
    return PlanPage(report, counts, list(standards.values()), shown)


# --- One action ----------------------------------------------------------------------------------


def action_for_page(user, action_pk: int) -> ImprovementAction | None:
    """The action with its report, target and notes (each note with its evidence), or None when the
    user does not see it (three queries)."""
    evidence = Evidence.objects.only("pk", "code", "name", "school_id", "is_archived").order_by("code")
    notes = (
        ImprovementProgress.objects.select_related("by")
        .prefetch_related(Prefetch("evidence", queryset=evidence))
        .order_by("-date", "-id")
    )
    return (
        actions_visible_to(user)
        .select_related(
            "report__school__reviewing_unit__parent", "report__school_year", "report__regulation_version__regulation",
            "criterion__standard", "level4", "updated_by", "carried_from__report__school_year",
        )
        .defer("report__regulation_version__regulation__source", "criterion__source", "criterion__standard__source",
               "level4__source")
        .prefetch_related(Prefetch("progress_notes", queryset=notes))
        .filter(pk=action_pk)
        .first()
    )


def carried_to(action: ImprovementAction) -> list[ImprovementAction]:
    """The continuations of the action in later reports (one query)."""
    return list(action.carried_to.select_related("report__school_year").order_by("-report__school_year__start_date"))


@dataclass
class HistoryEntry:
    event: object
    text: str


def _describe(event) -> str:
    """An audit event of the action in words, without repeating the action's text."""
    verb = event.action.rsplit(".", 1)[-1]
    data = event.data or {}
    if verb == "status_changed":
        labels = dict(Status.choices)
        text = _("Tình trạng: %(old)s → %(new)s") % {
            "old": labels.get(event.from_state, event.from_state), "new": labels.get(event.to_state, event.to_state)}
        if data.get("reason"):
            text += " – " + _("lý do: %(r)s") % {"r": data["reason"]}
        if data.get("done_on"):
            text += " – " + _("ngày %(d)s") % {"d": datetime.date.fromisoformat(data["done_on"]).strftime("%d/%m/%Y")}
        return text
    if verb == "updated":
        names = []
        for name in (data.get("changes") or {}):
            try:
                names.append(str(ImprovementAction._meta.get_field(name).verbose_name))
            except FieldDoesNotExist:  # a field renamed since the event was written
                names.append(name)
        return _("Cập nhật: %(f)s") % {"f": ", ".join(names)}
    if verb == "progress_added" and data.get("date"):
        return _("Ghi tiến độ ngày %(d)s") % {"d": datetime.date.fromisoformat(data["date"]).strftime("%d/%m/%Y")}
    return event.text


def action_history(action: ImprovementAction, limit: int = 50) -> list[HistoryEntry]:
    """The action's audit events, newest first, in words: status changes, edits, notes (one query)."""
    return [HistoryEntry(event, _describe(event)) for event in events_for(action)[:limit]]


def evidence_suggestions(action: ImprovementAction, limit: int = 60) -> list:
    """Evidence items a note on this action most likely cites: those coded under its criterion, then
    the newest of the school's (one query)."""
    qs = Evidence.objects.filter(school_id=action.report.school_id, is_archived=False).only(
        "pk", "code", "name", "school_id", "criterion_id", "is_archived"
    )
    if action.criterion_id:
        same = Q(criterion__number=action.criterion.number,
                 criterion__standard__version__regulation_id=action.report.regulation_version.regulation_id)
        qs = qs.annotate(
            first=Case(When(same, then=Value(0)), default=Value(1), output_field=IntegerField())
        ).order_by("first", "code")
    else:
        qs = qs.order_by("-created_at")
    return list(qs[:limit])


def evidence_by_codes(school: School, codes: list[str]) -> tuple[list, list[str]]:
    """The school's evidence items with the given codes, and the codes it does not have (one query)."""
    found = {item.code: item for item in Evidence.objects.filter(school=school, code__in=codes)}
    return [found[c] for c in codes if c in found], [c for c in codes if c not in found]


# --- The district roll-up --------------------------------------------------------------------------


def rollup_units(user) -> list[Organisation]:
    """Reviewing units whose roll-up the user may open: their own, or every unit under their Sở
    (the units they manage, ``schools.scope.MANAGED_UNITS``)."""
    return list(units_managed_by(user).order_by("name"))


@dataclass
class RollupRow:
    school: School
    report: Report | None
    counts: PlanCounts


@dataclass
class Rollup:
    unit: Organisation
    rows: list[RollupRow]
    totals: PlanCounts
    late_schools: int


def _current_report_id():
    return Subquery(
        Report.objects.filter(school=OuterRef("pk")).order_by(*plan_order()).values("pk")[:1]
    )


def improvement_rollup(unit: Organisation, today: datetime.date, *, level: str = "") -> Rollup:
    """One row per active school of the unit: the counts of its current plan, the most overdue first.

    Three queries whatever the number of schools: the schools with their current report's id, the
    action counts grouped by report, the reports with their school years.
    """
    schools = list(
        School.objects.filter(reviewing_unit=unit, status=School.Status.ACTIVE)
        .filter(**({"level": level} if level else {}))
        .annotate(plan_report_id=_current_report_id())
        .order_by("code")
    )
    report_ids = [s.plan_report_id for s in schools if s.plan_report_id]
    by_report: dict[int, PlanCounts] = defaultdict(PlanCounts)
    reports: dict[int, Report] = {}
    if report_ids:
        rows = (
            ImprovementAction.objects.filter(report_id__in=report_ids)
            .values("report_id").order_by("report_id").annotate(**_count_aggregates(today))
        )
        for row in rows:
            report_id = row.pop("report_id")
            by_report[report_id] = _counts(row)
        reports = {r.pk: r for r in Report.objects.filter(pk__in=report_ids).select_related("school_year")}
    result = []
    for school in schools:
        report = reports.get(school.plan_report_id) if school.plan_report_id else None
        school.reviewing_unit = unit
        result.append(RollupRow(school, report, by_report[report.pk] if report else PlanCounts()))
    far_future = datetime.date.max
    result.sort(key=lambda r: (-r.counts.overdue, r.counts.oldest_overdue or far_future, -r.counts.due_soon,
                               r.school.code))
    totals = PlanCounts(
        open=sum(r.counts.open for r in result), overdue=sum(r.counts.overdue for r in result),
        due_soon=sum(r.counts.due_soon for r in result), done=sum(r.counts.done for r in result),
        dropped=sum(r.counts.dropped for r in result),
        oldest_overdue=min((r.counts.oldest_overdue for r in result if r.counts.oldest_overdue), default=None),
    )
    return Rollup(unit, result, totals, sum(1 for r in result if r.counts.overdue))


def unit_overdue_summary(unit: Organisation, today: datetime.date) -> dict[str, int]:
    """For the district dashboard: overdue actions in the current plans of the unit's schools, and how
    many schools are late: the 2018 per-criterion plans, and the Biểu 2 activities of TT57 reports
    (``plan57_*``), counted apart (two queries)."""
    current = Report.objects.filter(school=OuterRef("report__school")).order_by(*plan_order()).values("pk")[:1]
    overdue = (
        ImprovementAction.objects.filter(
            report__school__reviewing_unit=unit, report__school__status=School.Status.ACTIVE,
        )
        .filter(_flag_conditions(today)[flags.OVERDUE])
        .filter(report_id=Subquery(current))
        .aggregate(actions=Count("pk"), schools=Count("report__school", distinct=True))
    )
    # The same for the activities of Biểu 2 when the current plan report is a TT57 one (one query).
    overdue57 = (
        Plan57Action.objects.filter(
            plan__report__school__reviewing_unit=unit, plan__report__school__status=School.Status.ACTIVE,
            end_on__lt=today,
        )
        .exclude(status=Plan57Action.Status.DONE)
        .filter(plan__report_id=Subquery(
            Report.objects.filter(school=OuterRef("plan__report__school")).order_by(*plan_order()).values("pk")[:1]
        ))
        .aggregate(actions=Count("pk"), schools=Count("plan__report__school", distinct=True))
    )
    return {"actions": overdue["actions"] or 0, "schools": overdue["schools"] or 0,
            "plan57_actions": overdue57["actions"] or 0, "plan57_schools": overdue57["schools"] or 0}
