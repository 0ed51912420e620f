"""Reads of the district review. Every lookup starts from a scoped selector (404 for the rest).

Page selectors load what a page shows in a fixed number of queries, whatever the number of
reports, schools, threads or criteria (tests assert it).
"""

from __future__ import annotations

import datetime
import hashlib
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django.core.cache import cache
from django.db.models import (
    Count,
    Exists,
    F,
    IntegerField,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.models import Event
from audit.selectors import events_for
from evidence.text import fold
from kiemdinh.params import int_or_none
from schools.models import Membership, Organisation, School, SchoolYear, User
from schools.scope import scope_of
from schools.years import school_year_chosen
from selfassessment.checks import passage_url
from selfassessment.models import CriterionAssessment, Passage, Report
from selfassessment.selectors import YEAR_REPORT_ORDER, reports_visible_to, year_report_per_school
from standards.engine import EngineError
from standards.explain import family_labels
from standards.models import Criterion, RegulationVersion

from . import workflow
from .models import Comment, CommentThread, CriterionReview, ReportVersion, ReviewAssignment, UnlockRequest
from .permissions import set_active_assignment

# --- One report ------------------------------------------------------------------------------------


def report_for_review(user, pk: int) -> Report:
    """A visible report with what the review pages need (raises Report.DoesNotExist otherwise)."""
    report = reports_visible_to(user).select_related("review_state").get(pk=pk)
    assignment = (
        ReviewAssignment.objects.filter(report=report, is_active=True).select_related("reviewer").first()
    )
    set_active_assignment(report, assignment)
    return report


def review_state_of(report: Report):
    from .models import ReviewState

    try:
        return report.review_state
    except ReviewState.DoesNotExist:
        return None


# A reviewer's acceptance waiting for the head's approval: the queue's "approval" tab (in SQL) and the
# pages' "đã đề nghị chấp nhận" (in Python, ``awaits_approval``) say the same.
AWAITING_APPROVAL = Q(status=workflow.IN_REVIEW, review_state__recommended_at__isnull=False)


def awaits_approval(report: Report) -> bool:
    """Whether a reviewer recommended accepting ``report`` and the head has not decided yet."""
    state = review_state_of(report)
    return report.status == workflow.IN_REVIEW and state is not None and state.recommended_at is not None


def versions_of(report: Report) -> list[ReportVersion]:
    """The report's versions, oldest first, without their (large) content."""
    return list(
        ReportVersion.objects.filter(report=report).defer("content").select_related("submitted_by").order_by("number")
    )


def version_get(report: Report, number: int) -> ReportVersion:
    return ReportVersion.objects.select_related("submitted_by").get(report=report, number=number)


def latest_version(report: Report) -> ReportVersion | None:
    return ReportVersion.objects.filter(report=report).order_by("-number").first()


def _threads(qs: QuerySet[CommentThread]) -> QuerySet[CommentThread]:
    return qs.select_related("criterion", "standard", "version", "created_by", "resolved_by").prefetch_related(
        Prefetch("comments", queryset=Comment.objects.select_related("author").order_by("created_at", "pk"))
    )


def threads_of(report: Report) -> list[CommentThread]:
    """Every thread of the report with its comments (open first, then by date)."""
    threads = list(_threads(CommentThread.objects.filter(report=report)).order_by("-status", "created_at", "pk"))
    # "-status" sorts "resolved" < "open" descending: open first.
    return threads


def threads_visible_to(user) -> QuerySet[CommentThread]:
    return CommentThread.objects.filter(report__in=reports_visible_to(user).values("pk")).select_related(
        "report__school__reviewing_unit", "version", "criterion", "standard"
    )


def unlock_requests_visible_to(user) -> QuerySet[UnlockRequest]:
    return UnlockRequest.objects.filter(report__in=reports_visible_to(user).values("pk")).select_related(
        "report__school__reviewing_unit", "requested_by"
    )


def unlock_requests_of(report: Report) -> list[UnlockRequest]:
    return list(UnlockRequest.objects.filter(report=report).select_related("requested_by", "decided_by"))


def pending_unlock_request(report: Report) -> UnlockRequest | None:
    return UnlockRequest.objects.filter(report=report, status=UnlockRequest.Status.PENDING).select_related(
        "requested_by"
    ).first()


def reviewed_numbers(version: ReportVersion) -> set[str]:
    return set(CriterionReview.objects.filter(version=version).values_list("criterion__number", flat=True))


def reviewers_for(report: Report) -> list[User]:
    """The people of the school's unit who may be assigned to review it."""
    return list(
        User.objects.filter(
            is_active=True,
            memberships__is_active=True,
            memberships__role__in=list(Membership.DISTRICT_ROLES),
            memberships__organisation_id=report.school.reviewing_unit_id,
        ).distinct().order_by("full_name", "username")
    )


def unit_staff(unit: Organisation) -> list[Membership]:
    """The unit's reviewers and heads with their accounts."""
    return list(
        Membership.objects.filter(organisation=unit, is_active=True, role__in=list(Membership.DISTRICT_ROLES),
                                  user__is_active=True)
        .select_related("user", "organisation").order_by("role", "user__full_name")
    )


@dataclass
class TodoItem:
    """An open thread as the school's to-do: what to fix and where to fix it in the live report."""

    thread: CommentThread
    edit_url: str


def school_todo(report: Report, threads: list[CommentThread]) -> list[TodoItem]:
    """The open threads with a link to the place in the editor (one query for the passages)."""
    open_threads = [t for t in threads if t.is_open]
    keys = {t.passage_key for t in open_threads if t.passage_key}
    passages = {p.key: p for p in Passage.objects.filter(report=report, key__in=keys)} if keys else {}
    items = []
    for thread in open_threads:
        passage = passages.get(thread.passage_key)
        if passage is not None:
            url = passage_url(report, passage)
        elif thread.criterion_id:
            url = editor_url("criterion_edit", report, criterion_pk=thread.criterion_id)
        else:
            url = editor_url("report_detail", report)
        items.append(TodoItem(thread, url))
    return items


def editor_url(name: str, report: Report, **kwargs) -> str:
    """A page of the self-assessment editor for the report (empty if that page does not exist)."""
    from django.urls import NoReverseMatch, reverse

    try:
        return reverse(f"selfassessment:{name}", kwargs={"pk": report.pk, **kwargs})
    except NoReverseMatch:
        return ""


def timeline_of(report: Report) -> list[Event]:
    """The report's events and the school's evidence events since the report began, newest first."""
    evidence_events = Event.objects.filter(
        school_id=report.school_id, action__startswith="evidence.", created_at__gte=report.created_at
    ).select_related("actor")
    events = list(events_for(report)[:300]) + list(evidence_events[:100])
    events.sort(key=lambda e: (e.created_at, e.pk), reverse=True)
    return events


# --- The review queue ------------------------------------------------------------------------------


QUEUE_TABS = ("mine", "unassigned", "all", "approval", "accepted", "unlock")


def _with_review_columns(qs: QuerySet[Report]) -> QuerySet[Report]:
    """Annotate the latest version, open threads, reviewed criteria; preload the active reviewer."""
    latest = ReportVersion.objects.filter(report=OuterRef("pk")).order_by("-number")
    open_threads = (
        CommentThread.objects.filter(report=OuterRef("pk"), status=CommentThread.Status.OPEN)
        .order_by().values("report").annotate(n=Count("pk")).values("n")
    )
    criteria = (
        CriterionAssessment.objects.filter(report=OuterRef("pk")).order_by().values("report")
        .annotate(n=Count("pk")).values("n")
    )
    qs = qs.annotate(
        latest_version_id=Subquery(latest.values("pk")[:1]),
        latest_version_number=Subquery(latest.values("number")[:1]),
        open_threads=Coalesce(Subquery(open_threads, output_field=IntegerField()), Value(0)),
        criteria_total=Coalesce(Subquery(criteria, output_field=IntegerField()), Value(0)),
    )
    reviewed = (
        CriterionReview.objects.filter(version_id=OuterRef("latest_version_id")).order_by().values("version")
        .annotate(n=Count("pk")).values("n")
    )
    return qs.annotate(criteria_reviewed=Coalesce(Subquery(reviewed, output_field=IntegerField()), Value(0))).prefetch_related(
        Prefetch(
            "review_assignments",
            queryset=ReviewAssignment.objects.filter(is_active=True).select_related("reviewer"),
            to_attr="active_assignments",
        )
    )


def _attach_assignment(reports: list[Report]) -> list[Report]:
    for report in reports:
        active = getattr(report, "active_assignments", [])
        set_active_assignment(report, active[0] if active else None)
        report.reviewer = active[0].reviewer if active else None
    return reports


# Columns of a report a list never shows: the level explanations, and the regulation's whole catalog.
HEAVY_FIELDS = ("level_blockers", "regulation_version__regulation__source")


def review_queue(user, tab: str, *, page_slice: slice | None = None) -> list[Report]:
    """Reports of the user's units for one tab of the queue (a fixed number of queries)."""
    scope = scope_of(user)
    qs = reports_visible_to(user).filter(school__reviewing_unit_id__in=scope.district_unit_ids).select_related(
        "review_state"
    ).defer(*HEAVY_FIELDS)
    active = ReviewAssignment.objects.filter(report=OuterRef("pk"), is_active=True)
    if tab == "mine":
        qs = qs.filter(status__in=workflow.WITH_DISTRICT, review_assignments__is_active=True,
                       review_assignments__reviewer=user)
    elif tab == "unassigned":
        qs = qs.filter(status__in=workflow.WITH_DISTRICT).exclude(Exists(active))
    elif tab == "approval":
        qs = qs.filter(AWAITING_APPROVAL)
    elif tab == "accepted":
        qs = qs.filter(status=workflow.ACCEPTED)
    elif tab == "unlock":
        qs = qs.filter(Exists(UnlockRequest.objects.filter(report=OuterRef("pk"), status=UnlockRequest.Status.PENDING)))
    else:
        qs = qs.filter(status__in=workflow.WITH_DISTRICT)
    qs = _with_review_columns(qs).order_by("review_state__submitted_at", "school__code", "pk")
    if page_slice is not None:
        qs = qs[page_slice]
    return _attach_assignment(list(qs))


def queue_counts(user) -> dict[str, int]:
    """How many reports each tab holds (one query)."""
    scope = scope_of(user)
    active = ReviewAssignment.objects.filter(report=OuterRef("pk"), is_active=True)
    mine = ReviewAssignment.objects.filter(report=OuterRef("pk"), is_active=True, reviewer=user)
    pending = UnlockRequest.objects.filter(report=OuterRef("pk"), status=UnlockRequest.Status.PENDING)
    with_district = Q(status__in=workflow.WITH_DISTRICT)
    return Report.objects.filter(school__reviewing_unit_id__in=scope.district_unit_ids).aggregate(
        mine=Count("pk", filter=with_district & Q(Exists(mine))),
        unassigned=Count("pk", filter=with_district & ~Q(Exists(active))),
        all=Count("pk", filter=with_district),
        approval=Count("pk", filter=AWAITING_APPROVAL),
        accepted=Count("pk", filter=Q(status=workflow.ACCEPTED)),
        unlock=Count("pk", filter=Q(Exists(pending))),
    )


# --- Dashboards ------------------------------------------------------------------------------------


STATUS_ORDER = list(workflow.STATUSES)


def _number_key(number: str) -> tuple:
    """"1.2" before "1.10": criterion numbers compare part by part, as numbers where they are."""
    return tuple((0, int(part), "") if part.isdigit() else (1, 0, part) for part in number.split("."))


def criterion_numbers_sorted(numbers) -> list[str]:
    return sorted(numbers, key=_number_key)


@dataclass(frozen=True)
class SchoolRow:
    """What a dashboard row shows of a school (plain values: a district may have a thousand)."""

    pk: int
    code: str
    name: str
    level: str

    @property
    def level_label(self) -> str:
        return str(LEVEL_LABELS.get(self.level, self.level))


@dataclass
class ReportRow:
    """What a dashboard row shows of a report."""

    pk: int
    school_id: int
    status: str
    school_level: int | None
    regulation_version_id: int
    created_at: datetime.datetime
    updated_at: datetime.datetime
    status_changed_at: datetime.datetime | None = None
    open_threads: int = 0
    reviewer_id: int | None = None
    levels_computed_at: datetime.datetime | None = None
    # The first submitted version (version 1): when the report was handed in for its deadline.
    first_submitted_at: datetime.datetime | None = None


LEVEL_LABELS = dict(School.Level.choices)


@dataclass
class DashboardRow:
    school: SchoolRow
    report: ReportRow | None
    reviewer: User | None = None
    certificate: Any = None
    # The periodic report's deadline picked for the stat card (one of ``periodic``).
    deadline: Any = None
    # Each periodic report's deadline of the year by period ("semester1", "year_end").
    periodic: dict[str, Any] = field(default_factory=dict)
    # The self-assessment report's own deadline (its external-evaluation round's dossier date).
    self_deadline: Any = None
    criterion_levels: dict[str, int | None] = field(default_factory=dict)

    @property
    def status(self) -> str:
        return self.report.status if self.report else ""

    @property
    def level(self) -> int | None:
        return self.report.school_level if self.report else None

    @property
    def last_change(self) -> datetime.datetime | None:
        if self.report is None:
            return None
        changed = getattr(self.report, "status_changed_at", None)
        return max(x for x in (changed, self.report.updated_at) if x)

    @property
    def open_threads(self) -> int:
        return getattr(self.report, "open_threads", 0) if self.report else 0


@dataclass
class Heatmap:
    """Criteria × schools of one regulation version, coloured by level."""

    regulation: str
    numbers: list[str]
    rows: list[tuple[DashboardRow, list[int | None]]]
    # Per criterion over every school of the filter: mean level and how many are below Mức 1/2.
    summary: list[dict[str, Any]]
    # (level, name) of the rule family's levels, for the legend: 2018 Không đạt..Mức 4, TT57 ..Mức 2.
    legend: tuple[tuple[int, str], ...] = ()

    @property
    def weakest(self) -> list[dict[str, Any]]:
        ranked = [s for s in self.summary if s["n"]]
        return sorted(ranked, key=lambda s: (s["mean"], s["number"]))[:5]


@dataclass
class DistrictDashboard:
    unit: Organisation
    school_year: SchoolYear | None
    kind: str
    rows: list[DashboardRow]
    status_counts: dict[str, int]
    level_counts: dict[str, int]
    heatmaps: list[Heatmap]
    reviewers: list[User]
    all_rows: list[DashboardRow] = field(default_factory=list)
    period: str = ""
    deadline: Any = None
    deadlines: list = field(default_factory=list)
    # The periodic reports' columns (``home.integrations.PeriodicColumn``), in the year's order.
    periodic_columns: list = field(default_factory=list)
    deadline_counts: dict[str, int] = field(default_factory=dict)
    plan: Any = None
    total_schools: int = 0
    gaps: list[str] = field(default_factory=list)

    @property
    def deadline_summary(self) -> dict[str, int]:
        return {key: self.deadline_counts.get(key, 0) for key in ("on_time", "late", "missing", "pending")}

    @property
    def counts(self) -> dict[str, int]:
        """The stat cards: statuses grouped as the district reads them."""
        sc = self.status_counts
        return {
            "not_submitted": sc.get(NO_REPORT, 0) + sc.get(workflow.DRAFT, 0),
            "returned": sc.get(workflow.RETURNED, 0),
            "waiting": sc.get(workflow.SUBMITTED, 0) + sc.get(workflow.RESUBMITTED, 0),
            "in_review": sc.get(workflow.IN_REVIEW, 0),
            "accepted": sc.get(workflow.ACCEPTED, 0),
            "forwarded": sc.get(workflow.FORWARDED, 0) + sc.get(workflow.CLOSED, 0),
        }


def _report_for_rows(unit_ids, school_year, kind) -> dict[int, ReportRow]:
    """The report of each school for the year and kind (the open one, else the latest closed).

    Read as plain values (no model instances, none of the level explanations a report carries).
    """
    if school_year is None:
        return {}
    open_threads = (
        CommentThread.objects.filter(report=OuterRef("pk"), status=CommentThread.Status.OPEN)
        .order_by().values("report").annotate(n=Count("pk")).values("n")
    )
    # order_by(): the model's default ordering would join the report, school and year for nothing.
    reviewer = ReviewAssignment.objects.filter(report=OuterRef("pk"), is_active=True).order_by().values("reviewer_id")[:1]
    first_version = ReportVersion.objects.filter(report=OuterRef("pk"), number=1).order_by().values("created_at")[:1]
    rows = (
        Report.objects.filter(school__reviewing_unit_id__in=unit_ids, school_year=school_year, kind=kind)
        .annotate(
            open_threads=Coalesce(Subquery(open_threads, output_field=IntegerField()), Value(0)),
            status_changed_at=F("review_state__status_changed_at"),
            reviewer_id=Subquery(reviewer),
            first_submitted_at=Subquery(first_version),
        )
        .order_by(*YEAR_REPORT_ORDER)
        .values_list("pk", "school_id", "status", "school_level", "regulation_version_id", "created_at", "updated_at",
                     "status_changed_at", "open_threads", "reviewer_id", "levels_computed_at", "first_submitted_at")
    )
    return year_report_per_school(
        (ReportRow(*values) for values in rows), school_of=lambda row: row.school_id, status_of=lambda row: row.status
    )


def _levels_for(report_ids: list[int]) -> dict[int, dict[str, int | None]]:
    levels: dict[int, dict[str, int | None]] = defaultdict(dict)
    rows = (
        CriterionAssessment.objects.filter(report_id__in=report_ids)
        .order_by("report_id", "position")
        .values_list("report_id", "criterion__number", "level")
    )
    for report_id, number, level in rows:
        levels[report_id][number] = level
    return levels


def _summary_key(reports: list[ReportRow]) -> str:
    """A key that changes whenever any of these reports' computed levels may have changed.

    The self-assessment app recomputes a report's criterion levels and stamps ``levels_computed_at``
    in the same transaction (and every content change touches ``updated_at``), so the aggregate
    cached under this key is exact, never stale.
    """
    digest = hashlib.sha1(usedforsecurity=False)
    for report in sorted(reports, key=lambda r: r.pk):
        digest.update(f"{report.pk}:{report.levels_computed_at}:{report.updated_at};".encode())
    return f"reviews:criterion-summary:{digest.hexdigest()}"


def _criterion_summary_cached(reports: list[ReportRow]) -> dict[tuple[int, str], dict[str, Any]]:
    """The per-criterion aggregate of these reports, computed once per state of their levels."""
    key = _summary_key(reports)
    summary = cache.get(key)
    if summary is None:
        summary = _criterion_summary([r.pk for r in reports])
        cache.set(key, summary, SUMMARY_CACHE_SECONDS)
    return summary


SUMMARY_CACHE_SECONDS = 60 * 60


def _criterion_summary(report_ids: list[int]) -> dict[tuple[int, str], dict[str, Any]]:
    """Per (regulation version, criterion number): how many schools, mean level, below Mức 1 and 2.

    Grouped by criterion id alone (no join): the criteria themselves are read apart, a few dozen rows.
    """
    per_criterion = list(
        CriterionAssessment.objects.filter(report_id__in=report_ids, level__isnull=False)
        .values("criterion_id")
        .annotate(
            n=Count("pk"),
            below1=Count("pk", filter=Q(level__lt=1)),
            below2=Count("pk", filter=Q(level__lt=2)),
            level_sum=Coalesce(Sum("level"), Value(0)),
        )
        .order_by()
    )
    criteria = {
        c["id"]: c for c in Criterion.objects.filter(pk__in=[row["criterion_id"] for row in per_criterion])
        .values("id", "number", "title", "standard__version_id")
    }
    summary = {}
    for row in per_criterion:
        criterion, n = criteria[row["criterion_id"]], row["n"]
        summary[(criterion["standard__version_id"], criterion["number"])] = {
            "number": criterion["number"],
            "title": criterion["title"],
            "n": n,
            "mean": round(row["level_sum"] / n, 2) if n else 0,
            # The colour of the mean: the level every school of the group reaches on average (floor).
            "level": int(row["level_sum"] // n) if n else None,
            "below1": row["below1"],
            "below2": row["below2"],
        }
    return summary


def _heatmaps(rows: list[DashboardRow], page_rows: list[DashboardRow], summary) -> list[Heatmap]:
    by_version: dict[int, list[DashboardRow]] = defaultdict(list)
    for row in rows:
        if row.report is not None:
            by_version[row.report.regulation_version_id].append(row)
    versions = {
        pk: (code, family) for pk, code, family in
        RegulationVersion.objects.filter(pk__in=list(by_version)).values_list("pk", "regulation__code", "regulation__family")
    } if by_version else {}
    labels = {pk: code for pk, (code, _family) in versions.items()}
    numbers: dict[int, list[str]] = defaultdict(list)
    for vid, number in summary:
        numbers[vid].append(number)
    for row in page_rows:
        if row.report is not None:
            known = numbers[row.report.regulation_version_id]
            known.extend(n for n in row.criterion_levels if n not in known)
    page = {id(r) for r in page_rows}
    heatmaps = []
    for vid, version_rows in sorted(by_version.items(), key=lambda kv: labels.get(kv[0], "")):
        nums = criterion_numbers_sorted(numbers.get(vid, []))
        shown = [(r, [r.criterion_levels.get(n) for n in nums]) for r in version_rows if id(r) in page]
        heatmaps.append(Heatmap(
            regulation=labels.get(vid, ""), numbers=nums, rows=shown,
            summary=[summary.get((vid, n), {"number": n, "title": "", "n": 0, "mean": 0, "level": None, "below1": 0,
                                            "below2": 0})
                     for n in nums],
            legend=_legend(versions.get(vid, ("", ""))[1]),
        ))
    return heatmaps


def _legend(family: str) -> tuple[tuple[int, str], ...]:
    """The family's school levels in the user's language (the family names them, not a level count)."""
    try:
        return tuple(family_labels(family).school_levels)
    except EngineError:
        return ()


def dashboard_units(user) -> list[Organisation]:
    """Reviewing units whose dashboard the user may open."""
    scope = scope_of(user)
    qs = Organisation.objects.exclude(kind=Organisation.Kind.DEPARTMENT).select_related("parent").order_by("name")
    if scope.sees_everything:
        return list(qs)
    return list(qs.filter(Q(pk__in=scope.district_unit_ids) | Q(parent_id__in=scope.department_ids)))


# The dashboard's status of a school with no report for the year and kind (a filter value, a count).
NO_REPORT = "none"


def status_filter_choices() -> list[tuple[str, str]]:
    """The dashboard's status filter: no report yet, then each status of a report."""
    return [(NO_REPORT, _("Chưa có báo cáo")), *Report.Status.choices]


@dataclass(frozen=True)
class DashboardFilter:
    level: str = ""
    status: str = ""
    reviewer_id: int | None = None  # 0: not assigned


@dataclass(frozen=True)
class DashboardQuery:
    """What a district dashboard request asks for; the page and its XLSX read the same one."""

    units: list[Organisation]
    unit: Organisation
    school_year: SchoolYear | None
    kind: str
    filters: DashboardFilter
    period: str


def dashboard_query(user, params, school_years: list[SchoolYear] | None = None) -> DashboardQuery | None:
    """Read the dashboard's parameters (unit, year, kind, period, level, status, reviewer); unknown
    values fall back to the defaults (the first unit, the current school year, periodic reports).
    None when the user reaches no unit."""
    units = dashboard_units(user)
    if not units:
        return None
    unit_id = int_or_none(params.get("unit"))
    level, status, kind = params.get("level", ""), params.get("status", ""), params.get("kind", "")
    period = params.get("period", "")
    return DashboardQuery(
        units=units,
        unit=next((u for u in units if u.pk == unit_id), units[0]),
        school_year=school_year_chosen(params.get("year"), school_years=school_years),
        kind=kind if kind in Report.Kind.values else Report.Kind.PERIODIC,
        filters=DashboardFilter(
            level=level if level in School.Level.values else "",
            status=status if status in workflow.STATUSES or status == NO_REPORT else "",
            reviewer_id=int_or_none(params.get("reviewer")),
        ),
        period=period if period in ("semester1", "year_end") else "",
    )


def district_dashboard(
    unit: Organisation, *, school_year: SchoolYear | None, kind: str, filters: DashboardFilter,
    period: str = "", page_slice: slice | None = None, today: datetime.date | None = None,
) -> DistrictDashboard:
    """Every active school of the unit with its report for the year and kind, filtered.

    A fixed number of queries whatever the number of schools: schools, reports (with review state
    and open threads), active assignments, the page's criterion levels, one aggregate per criterion,
    and the evaluations app's deadline/certificate/plan reads.
    """
    today = today or timezone.localdate()
    schools = [
        SchoolRow(*values)
        for values in School.objects.filter(reviewing_unit=unit, status=School.Status.ACTIVE)
        .order_by("level", "code").values_list("pk", "code", "name", "level")
    ]
    reports = _report_for_rows([unit.pk], school_year, kind)
    # The unit has a handful of reviewers: read them once rather than once per report.
    people = User.objects.filter(pk__in={r.reviewer_id for r in reports.values() if r.reviewer_id}).only(
        "id", "username", "full_name", "first_name", "last_name"
    )
    reviewers_by_id = {u.pk: u for u in people}
    all_rows = []
    for school in schools:
        report = reports.get(school.pk)
        row = DashboardRow(school=school, report=report)
        if report is not None:
            row.reviewer = reviewers_by_id.get(report.reviewer_id)
        all_rows.append(row)
    reviewers = sorted({r.reviewer.pk: r.reviewer for r in all_rows if r.reviewer}.values(),
                       key=lambda u: u.display_name)
    rows = [r for r in all_rows if _matches(r, filters)]
    status_counts = Counter(r.status or NO_REPORT for r in rows)
    level_counts = Counter("none" if r.level is None else str(r.level) for r in rows)
    page_rows = rows[page_slice] if page_slice else rows
    page_levels = _levels_for([r.report.pk for r in page_rows if r.report])
    for row in page_rows:
        if row.report is not None:
            row.criterion_levels = page_levels.get(row.report.pk, {})
    summary = _criterion_summary_cached([r.report for r in rows if r.report])
    dashboard = DistrictDashboard(
        unit=unit, school_year=school_year, kind=kind, rows=rows, status_counts=dict(status_counts),
        level_counts=dict(level_counts), heatmaps=_heatmaps(rows, page_rows, summary), reviewers=reviewers,
        all_rows=all_rows, period=period, total_schools=len(all_rows),
    )
    _attach_evaluations(dashboard, rows, page_rows, today)
    return dashboard


def _matches(row: DashboardRow, filters: DashboardFilter) -> bool:
    if filters.level and row.school.level != filters.level:
        return False
    if filters.status:
        if filters.status == NO_REPORT:
            if row.report is not None:
                return False
        elif row.status != filters.status:
            return False
    if filters.reviewer_id is not None:
        if filters.reviewer_id == 0:
            return row.reviewer is None and row.report is not None
        if row.reviewer is None or row.reviewer.pk != filters.reviewer_id:
            return False
    return True


# The columns that apps above this one add to the district dashboard (the evaluations app's
# deadlines, certificate and plan): each is called as fill(dashboard, rows, page_rows, today) once
# the review columns are read. The top-level app registers them (home/apps.py), so that this app
# imports none above it.
DASHBOARD_COLUMNS: list[Callable[[DistrictDashboard, list[DashboardRow], list[DashboardRow], datetime.date], None]] = []


def dashboard_columns_register(fill):
    """Add the columns ``fill`` reads to every district dashboard (once, however often called)."""
    if fill not in DASHBOARD_COLUMNS:
        DASHBOARD_COLUMNS.append(fill)
    return fill


def _attach_evaluations(dashboard: DistrictDashboard, rows: list[DashboardRow], page_rows: list[DashboardRow],
                        today: datetime.date) -> None:
    """Deadline, certificate and plan columns from the apps that registered them (none: they stay empty)."""
    if not DASHBOARD_COLUMNS:
        dashboard.gaps.append(_("Chưa có dữ liệu hạn nộp, chứng nhận và kế hoạch (ứng dụng đánh giá ngoài)."))
    for fill in DASHBOARD_COLUMNS:
        fill(dashboard, rows, page_rows, today)


# --- The Sở's dashboard ------------------------------------------------------------------------------


@dataclass
class UnitRow:
    unit: Organisation
    schools: int = 0
    by_status: dict[str, int] = field(default_factory=dict)
    by_level: dict[str, int] = field(default_factory=dict)
    open_threads: int = 0
    last_change: datetime.datetime | None = None

    @property
    def reports(self) -> int:
        return sum(self.by_status.values())

    @property
    def without_report(self) -> int:
        return max(self.schools - self.reports, 0)

    @property
    def drafts(self) -> int:
        return self.by_status.get(workflow.DRAFT, 0)

    @property
    def returned(self) -> int:
        return self.by_status.get(workflow.RETURNED, 0)

    @property
    def accepted(self) -> int:
        return sum(self.by_status.get(s, 0) for s in workflow.LOCKED)

    @property
    def with_district(self) -> int:
        return sum(self.by_status.get(s, 0) for s in workflow.WITH_DISTRICT)

    @property
    def accepted_percent(self) -> int:
        return round(100 * self.accepted / self.schools) if self.schools else 0


# The Sở's units table, a page at a time: a city has over a hundred reviewing units.
UNIT_PAGE_SIZE = 25
# "attention": the units whose schools are furthest behind first; "name": alphabetical.
UNIT_SORT_CHOICES = (("attention", gettext_lazy("Cần chú ý trước")), ("name", gettext_lazy("Theo tên đơn vị")))
UNIT_SORTS = tuple(value for value, _label in UNIT_SORT_CHOICES)
# The reports forwarded to the Sở listed on its overview: those waiting longest (the rest: the report list).
FORWARDED_SHOWN = 25


def _attention(row: UnitRow) -> tuple:
    """Units needing the Sở's attention first: the lowest share of accepted reports, then the most
    reports waiting at the unit, then the most schools without a report; by name among equals."""
    return (row.accepted_percent, -row.with_district, -row.without_report, row.unit.name)


@dataclass
class DepartmentDashboard:
    school_year: SchoolYear | None
    kind: str
    units: list[UnitRow]  # the page's units (search, order)
    totals: UnitRow  # the whole Sở, whatever the search
    forwarded: list[Report]
    all_units: list[Organisation] = field(default_factory=list)  # every unit of the Sở, name order
    unit_query: str = ""
    sort: str = UNIT_SORTS[0]
    unit_matches: int = 0  # units matching the search
    unit_page: int = 1
    unit_pages: int = 1
    _heatmap_source: tuple = field(default=(), repr=False)

    @property
    def forwarded_total(self) -> int:
        """Every report forwarded to the Sở (``forwarded`` lists the longest waiting)."""
        return self.totals.by_status.get(workflow.FORWARDED, 0)

    @cached_property
    def heatmaps(self) -> list[dict[str, Any]]:
        """Criteria × units of every regulation (read when asked for: the overview page draws the
        regimes' heatmaps of ``evaluations.selectors_regimes`` instead)."""
        return _department_heatmaps(*self._heatmap_source) if self._heatmap_source else []


def department_dashboard(user, *, school_year: SchoolYear | None, kind: str, unit_query: str = "",
                         sort: str = UNIT_SORTS[0], page: int = 1, page_size: int = UNIT_PAGE_SIZE,
                         ) -> DepartmentDashboard:
    """Every reviewing unit under the user's Sở with its schools' report statuses (fixed query count).

    The totals are the whole Sở's; ``units`` is one page of the units whose name matches
    ``unit_query`` (without diacritics), in ``sort`` order.
    """
    units = [u for u in dashboard_units(user)]
    unit_ids = [u.pk for u in units]
    rows = {u.pk: UnitRow(unit=u) for u in units}
    for unit_id, n in (
        School.objects.filter(reviewing_unit_id__in=unit_ids, status=School.Status.ACTIVE)
        .values_list("reviewing_unit_id").annotate(n=Count("pk")).order_by()
    ):
        rows[unit_id].schools = n
    reports = Report.objects.filter(school__reviewing_unit_id__in=unit_ids, school_year=school_year, kind=kind,
                                    school__status=School.Status.ACTIVE)
    for unit_id, status, n in reports.values_list("school__reviewing_unit_id", "status").annotate(n=Count("pk")).order_by():
        rows[unit_id].by_status[status] = n
    for unit_id, level, n in (
        reports.values_list("school__reviewing_unit_id", "school_level").annotate(n=Count("pk")).order_by()
    ):
        rows[unit_id].by_level["none" if level is None else str(level)] = n
    for unit_id, n in (
        CommentThread.objects.filter(report__in=reports, status=CommentThread.Status.OPEN)
        .values_list("report__school__reviewing_unit_id").annotate(n=Count("pk")).order_by()
    ):
        rows[unit_id].open_threads = n
    for unit_id, changed in (
        reports.values_list("school__reviewing_unit_id").annotate(changed=Max("updated_at")).order_by()
    ):
        rows[unit_id].last_change = changed
    totals = UnitRow(unit=None)
    for row in rows.values():
        totals.schools += row.schools
        totals.open_threads += row.open_threads
        for key, n in row.by_status.items():
            totals.by_status[key] = totals.by_status.get(key, 0) + n
        for key, n in row.by_level.items():
            totals.by_level[key] = totals.by_level.get(key, 0) + n
    unit_query = " ".join(str(unit_query or "").split())[:100]
    words = fold(unit_query).split()
    matching = [row for row in rows.values()
                if all(word in fold(f"{row.unit.name} {row.unit.short_name} {row.unit.code}") for word in words)]
    sort = sort if sort in UNIT_SORTS else UNIT_SORTS[0]
    matching.sort(key=_attention if sort == "attention" else lambda row: (row.unit.name, row.unit.pk))
    pages = max((len(matching) + page_size - 1) // page_size, 1)
    page = min(max(page, 1), pages)
    forwarded = list(
        reports.filter(status=workflow.FORWARDED)
        .select_related("school__reviewing_unit", "review_state")
        # The columns of the list only (four models a row).
        .only("pk", "school_level", "school__name", "school__reviewing_unit__name",
              "school__reviewing_unit__short_name", "review_state__forwarded_at")
        .order_by("review_state__forwarded_at", "school__code")[:FORWARDED_SHOWN]
    )
    return DepartmentDashboard(
        school_year=school_year, kind=kind, units=matching[(page - 1) * page_size:page * page_size], totals=totals,
        forwarded=forwarded, all_units=units, unit_query=unit_query, sort=sort, unit_matches=len(matching),
        unit_page=page, unit_pages=pages, _heatmap_source=(rows, unit_ids, reports),
    )


def _department_heatmaps(rows: dict[int, UnitRow], unit_ids: list[int], reports) -> list[dict[str, Any]]:
    """Criteria × units: the mean level per criterion of each regulation, unit by unit (two queries)."""
    cells: dict[str, dict[str, dict[int, dict[str, Any]]]] = defaultdict(lambda: defaultdict(dict))
    # Grouped by criterion id and unit only (no join to the catalog): the criteria are read apart.
    grouped = list(
        CriterionAssessment.objects.filter(report__in=reports, level__isnull=False)
        .values_list("criterion_id", "report__school__reviewing_unit_id")
        .annotate(total=Sum("level"), n=Count("pk")).order_by()
    )
    criteria = {
        c["id"]: c for c in Criterion.objects.filter(pk__in={row[0] for row in grouped})
        .values("id", "number", "standard__version__regulation__code")
    }
    for criterion_id, unit_id, total, n in grouped:
        criterion = criteria[criterion_id]
        code, number = criterion["standard__version__regulation__code"], criterion["number"]
        cell = cells[code][number].setdefault(unit_id, {"total": 0, "n": 0})
        cell["total"] += total
        cell["n"] += n
    for numbers in cells.values():
        for by_unit in numbers.values():
            for cell in by_unit.values():
                cell["mean"] = round(cell["total"] / cell["n"], 2)
                cell["level"] = cell["total"] // cell["n"]
    heatmaps = []
    for code in sorted(cells):
        numbers = criterion_numbers_sorted(cells[code])
        unit_rows = [
            (rows[uid].unit, [cells[code][n].get(uid) for n in numbers])
            for uid in unit_ids if any(uid in cells[code][n] for n in numbers)
        ]
        heatmaps.append({"regulation": code, "numbers": numbers, "rows": unit_rows})
    return heatmaps

