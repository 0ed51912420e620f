"""Reads of the self-assessment reports. Every lookup a view makes starts from ``reports_visible_to``.

The page selectors load what a page shows in a fixed number of queries, whatever the number of
criteria, texts or evidence items (tests assert it).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TypeVar

from django.db.models import Count, IntegerField, Max, OuterRef, Prefetch, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, Length
from django.utils import timezone

from evidence import codes
from evidence.models import Evidence
from schools.models import Membership, School, SchoolYear, User
from schools.scope import scope_of
from schools.selectors import schools_visible_to
from standards.models import Criterion, Indicator, Level4Requirement, Standard
from standards.selectors import regulation_for, regulations_applicable

from .models import (
    CouncilMember,
    CriterionAssessment,
    DataTable,
    ImprovementAction,
    IndicatorVerdict,
    Level4Verdict,
    Passage,
    PlanResource,
    PlanStep,
    Report,
    WorkingGroup,
)

Row = TypeVar("Row")


def _with_relations(qs: QuerySet[Report]) -> QuerySet[Report]:
    # A regulation's ``source`` is its whole catalog head (~20 kB): never needed to show a report.
    return qs.select_related(
        "school__reviewing_unit__parent", "school_year", "regulation_version__regulation", "created_by"
    ).defer("regulation_version__regulation__source")


def reports_visible_to(user) -> QuerySet[Report]:
    """Reports of the schools the user reaches; any other report does not exist for them (404)."""
    scope = scope_of(user)
    qs = _with_relations(Report.objects.all())
    if scope.sees_everything:
        return qs
    return qs.filter(school__in=schools_visible_to(user).values("pk"))


# The order ``year_report_per_school`` reads a school year's reports in.
YEAR_REPORT_ORDER = ("school_id", "created_at", "pk")


def year_report_per_school(
    rows: Iterable[Row], school_of: Callable[[Row], int], status_of: Callable[[Row], str]
) -> dict[int, Row]:
    """The report of each school for a school year and kind: its open one, else its latest closed one.

    ``rows`` are the reports of that year and kind in ``YEAR_REPORT_ORDER`` (as instances, values or
    whatever the page reads); ``school_of`` and ``status_of`` read a row's school id and status. The
    one rule of the district dashboard, its summary export and the regimes' columns.
    """
    chosen: dict[int, Row] = {}
    for row in rows:
        school_id = school_of(row)
        current = chosen.get(school_id)
        if current is None or status_of(current) == Report.Status.CLOSED or status_of(row) != Report.Status.CLOSED:
            chosen[school_id] = row
    return chosen


def _with_progress(qs: QuerySet[Report]) -> QuerySet[Report]:
    """Annotate how many of the report's texts are written (``texts_total``, ``texts_written``)."""
    passages = Passage.objects.filter(report=OuterRef("pk")).order_by().values("report")
    total = passages.annotate(n=Count("pk")).values("n")
    written = passages.annotate(n=Count("pk", filter=Q(text__gt=""))).values("n")
    return qs.annotate(
        texts_total=Coalesce(Subquery(total, output_field=IntegerField()), Value(0)),
        texts_written=Coalesce(Subquery(written, output_field=IntegerField()), Value(0)),
    )


def report_list(
    user, *, school_year_id: int | None = None, status: str = "", kind: str = "", query: str = ""
) -> QuerySet[Report]:
    """The report list page: visible reports filtered, newest school year first, with progress."""
    qs = reports_visible_to(user)
    if school_year_id:
        qs = qs.filter(school_year_id=school_year_id)
    if status:
        qs = qs.filter(status=status)
    if kind:
        qs = qs.filter(kind=kind)
    if query:
        qs = qs.filter(Q(school__name__icontains=query) | Q(school__code__icontains=query))
    return _with_progress(qs).order_by("-school_year__start_date", "school__level", "school__code", "kind")


def reports_for_school_home(user) -> dict[int, list[Report]]:
    """The reports of the user's own schools (principal, staff), by school id, newest year first."""
    scope = scope_of(user)
    if not scope.school_ids:
        return {}
    reports: dict[int, list[Report]] = defaultdict(list)
    # The user's own schools are in their scope by definition: no visibility subquery, and only the
    # relations the start page shows (each join costs PostgreSQL planning time on every request).
    qs = _with_progress(
        Report.objects.filter(school_id__in=scope.school_ids)
        .select_related("school", "school_year", "regulation_version__regulation")
        .defer("regulation_version__regulation__source")
    ).order_by("-school_year__start_date", "kind")
    for report in qs:
        reports[report.school_id].append(report)
    return dict(reports)


def creatable_schools(user) -> list[School]:
    """Schools the user may start a report for (principal of)."""
    scope = scope_of(user)
    return list(schools_visible_to(user).filter(pk__in=scope.principal_school_ids).order_by("code"))


def school_year_choices() -> QuerySet[SchoolYear]:
    return SchoolYear.objects.order_by("-start_date")


def regulation_date_for(school_year: SchoolYear, today: datetime.date | None = None) -> datetime.date:
    """The day whose regulation applies to a year's report: today, kept within the school year.

    A report written during its year follows the text in force that day; one written afterwards
    (or prepared ahead) follows the text in force at the year's end (or start).
    """
    today = today or timezone.localdate()
    return min(max(today, school_year.start_date), school_year.end_date)


def previous_report(report_or_school, school_year: SchoolYear | None = None, kind: str = "") -> Report | None:
    """The school's most recent report of an earlier school year (the same kind preferred)."""
    if isinstance(report_or_school, Report):
        school, school_year, kind = report_or_school.school, report_or_school.school_year, report_or_school.kind
    else:
        school = report_or_school
    candidates = list(
        Report.objects.filter(school=school, school_year__start_date__lt=school_year.start_date)
        .select_related("school_year", "regulation_version__regulation")
        .order_by("-school_year__start_date", "-created_at")[:10]
    )
    if not candidates:
        return None
    newest = candidates[0].school_year_id
    same_year = [r for r in candidates if r.school_year_id == newest]
    for candidate in same_year:
        if candidate.kind == kind:
            return candidate
    return same_year[0]


# --- The report's outline (sidebar of every editor page) -------------------------------------


@dataclass
class OutlineCriterion:
    assessment: CriterionAssessment

    @property
    def criterion(self) -> Criterion:
        return self.assessment.criterion


@dataclass
class OutlineStandard:
    standard: Standard
    criteria: list[OutlineCriterion] = field(default_factory=list)


def report_outline(report: Report) -> list[OutlineStandard]:
    """Standards and their criteria with the cached levels, in the regulation's order (one query)."""
    outline: list[OutlineStandard] = []
    by_standard: dict[int, OutlineStandard] = {}
    assessments = (
        CriterionAssessment.objects.filter(report=report)
        .select_related("criterion__standard__version")
        .defer("criterion__source", "criterion__standard__source")
        .order_by("position")
    )
    for assessment in assessments:
        standard = assessment.criterion.standard
        if standard.pk not in by_standard:
            by_standard[standard.pk] = OutlineStandard(standard)
            outline.append(by_standard[standard.pk])
        by_standard[standard.pk].criteria.append(OutlineCriterion(assessment))
    return outline


# --- One criterion (the criterion editor) ----------------------------------------------------


@dataclass
class IndicatorItem:
    indicator: Indicator
    passage: Passage | None
    verdict: IndicatorVerdict | None

    @property
    def met(self) -> bool | None:
        return self.verdict.met if self.verdict else None


@dataclass
class LevelBlock:
    level: int
    items: list[IndicatorItem]

    @property
    def in_force(self) -> list[IndicatorItem]:
        return [item for item in self.items if not item.indicator.is_repealed]


@dataclass
class CriterionItem:
    criterion: Criterion
    assessment: CriterionAssessment | None
    levels: list[LevelBlock]
    strengths: Passage | None
    weaknesses: Passage | None
    actions: list[ImprovementAction]

    @property
    def in_force_items(self) -> list[IndicatorItem]:
        return [item for block in self.levels for item in block.in_force]

    @property
    def is_assessed(self) -> bool:
        return bool(self.in_force_items)

    @property
    def level(self) -> int | None:
        return self.assessment.level if self.assessment else None


def _criterion_items(
    report: Report,
    criteria: list[Criterion],
    indicators: list[Indicator],
    passages: dict[str, Passage],
    verdicts: dict[int, IndicatorVerdict],
    actions: dict[int, list[ImprovementAction]],
    assessments: dict[int, CriterionAssessment],
) -> list[CriterionItem]:
    level_count = report.regulation_version.regulation.level_count
    by_criterion: dict[int, list[Indicator]] = defaultdict(list)
    for indicator in indicators:
        by_criterion[indicator.criterion_id].append(indicator)
    items = []
    for criterion in criteria:
        levels = []
        for level in range(1, level_count + 1):
            block = [
                IndicatorItem(i, passages.get(indicator_key(criterion.number, i.level, i.key)), verdicts.get(i.pk))
                for i in by_criterion[criterion.pk]
                if i.level == level
            ]
            levels.append(LevelBlock(level, block))
        items.append(
            CriterionItem(
                criterion=criterion,
                assessment=assessments.get(criterion.pk),
                levels=levels,
                strengths=passages.get(criterion_key(criterion.number, "strengths")),
                weaknesses=passages.get(criterion_key(criterion.number, "weaknesses")),
                actions=actions.get(criterion.pk, []),
            )
        )
    return items


def criterion_in_report(report: Report, criterion_pk: int) -> CriterionAssessment | None:
    """The report's assessment of a criterion of its own version, or None (a 404)."""
    return (
        CriterionAssessment.objects.filter(report=report, criterion_id=criterion_pk)
        .select_related("criterion__standard__version")
        .defer("criterion__source", "criterion__standard__source")
        .first()
    )


def improvement_actions_of(
    report: Report, *, criterion: Criterion | None = None, level4: Level4Requirement | None = None
) -> list[ImprovementAction]:
    """The improvement items of a criterion (or Mức 4 item) as stored, in the order their token counts them."""
    qs = ImprovementAction.objects.filter(report=report)
    qs = qs.filter(criterion=criterion) if criterion is not None else qs.filter(level4=level4)
    return list(qs.order_by("position", "pk"))


def criterion_page(report: Report, assessment: CriterionAssessment) -> CriterionItem:
    """Everything the criterion editor shows of one criterion (four queries)."""
    criterion = assessment.criterion
    indicators = list(Indicator.objects.filter(criterion=criterion).defer("source").order_by("level", "position"))
    passages = {}
    for p in Passage.objects.filter(report=report, criterion=criterion).select_related("updated_by"):
        p.report = report
        passages[p.key] = p
    verdicts = {
        v.indicator_id: v for v in IndicatorVerdict.objects.filter(report=report, indicator__criterion=criterion)
    }
    actions = {criterion.pk: list(ImprovementAction.objects.filter(report=report, criterion=criterion).order_by("position", "pk"))}
    return _criterion_items(report, [criterion], indicators, passages, verdicts, actions, {criterion.pk: assessment})[0]


# --- Keys of the report's texts -------------------------------------------------------------


def indicator_key(criterion_number: str, level: int, key: str) -> str:
    return f"indicator:{criterion_number}:{level}:{key}"


def criterion_key(criterion_number: str, part: str) -> str:
    return f"criterion:{criterion_number}:{part}"


def standard_key(number: int, part: str) -> str:
    return f"standard:{number}:{part}"


def level4_key(number: int, part: str) -> str:
    return f"level4:{number}:{part}"


PLAN_PARTS = ("purpose", "scope", "tools", "training")


def plan_key(part: str) -> str:
    return f"plan:{part}"


# --- The whole report ------------------------------------------------------------------------


@dataclass
class StandardItem:
    standard: Standard
    opening: Passage | None
    conclusion: Passage | None
    criteria: list[CriterionItem]


@dataclass
class Level4Item:
    requirement: Level4Requirement
    state: Passage | None
    strengths: Passage | None
    weaknesses: Passage | None
    verdict: Level4Verdict | None
    actions: list[ImprovementAction]

    @property
    def met(self) -> bool | None:
        return self.verdict.met if self.verdict else None


@dataclass
class ReportContent:
    """The whole report loaded at once (checks, the summary table, report_as_dict)."""

    report: Report
    standards: list[StandardItem]
    level4: list[Level4Item]
    passages: dict[str, Passage]
    tables: dict[str, DataTable]
    council: list[CouncilMember]
    groups: list[WorkingGroup]
    plan_resources: dict[int, PlanResource]
    plan_steps: list[PlanStep]
    # Passages with text that are not in the report's structure any more (regulation changed).
    orphans: list[Passage] = field(default_factory=list)

    def criteria(self) -> list[CriterionItem]:
        return [c for s in self.standards for c in s.criteria]

    def passage(self, key: str) -> Passage | None:
        return self.passages.get(key)


def report_content(report: Report) -> ReportContent:
    """Load the report in full, in a fixed number of queries."""
    version = report.regulation_version
    standards = list(Standard.objects.filter(version=version, is_repealed=False).defer("source").order_by("position"))
    criteria = list(
        Criterion.objects.filter(standard__version=version, is_repealed=False)
        .select_related("standard__version")
        .defer("source", "standard__source")
        .order_by("standard__position", "position")
    )
    indicators = list(
        Indicator.objects.filter(criterion__standard__version=version, criterion__is_repealed=False)
        .defer("source")
        .order_by("criterion_id", "level", "position")
    )
    requirements = list(
        Level4Requirement.objects.filter(version=version, is_repealed=False).defer("source").order_by("position")
    )
    passages = {}
    for p in Passage.objects.filter(report=report).select_related("updated_by"):
        p.report = report
        passages[p.key] = p
    verdicts = {v.indicator_id: v for v in IndicatorVerdict.objects.filter(report=report)}
    level4_verdicts = {v.requirement_id: v for v in Level4Verdict.objects.filter(report=report)}
    actions_by_criterion: dict[int, list[ImprovementAction]] = defaultdict(list)
    actions_by_level4: dict[int, list[ImprovementAction]] = defaultdict(list)
    for action in ImprovementAction.objects.filter(report=report).order_by("position", "pk"):
        if action.criterion_id:
            actions_by_criterion[action.criterion_id].append(action)
        else:
            actions_by_level4[action.level4_id].append(action)
    assessments = {a.criterion_id: a for a in CriterionAssessment.objects.filter(report=report)}
    items = _criterion_items(report, criteria, indicators, passages, verdicts, actions_by_criterion, assessments)
    by_standard: dict[int, list[CriterionItem]] = defaultdict(list)
    for item in items:
        by_standard[item.criterion.standard_id].append(item)
    standard_items = [
        StandardItem(
            standard=s,
            opening=passages.get(standard_key(s.number, "opening")),
            conclusion=passages.get(standard_key(s.number, "conclusion")),
            criteria=by_standard[s.pk],
        )
        for s in standards
    ]
    level4_items = [
        Level4Item(
            requirement=r,
            state=passages.get(level4_key(r.number, "state")),
            strengths=passages.get(level4_key(r.number, "strengths")),
            weaknesses=passages.get(level4_key(r.number, "weaknesses")),
            verdict=level4_verdicts.get(r.pk),
            actions=actions_by_level4.get(r.pk, []),
        )
        for r in requirements
    ]
    council = list(CouncilMember.objects.filter(report=report).select_related("user").order_by("position", "pk"))
    groups = list(
        WorkingGroup.objects.filter(report=report)
        .select_related("leader")
        .prefetch_related(
            Prefetch("members", queryset=CouncilMember.objects.order_by("position", "pk")),
            Prefetch("criteria", queryset=Criterion.objects.order_by("standard__position", "position")),
        )
        .order_by("position", "pk")
    )
    known = set(structure_keys(report, standards, criteria, indicators, requirements))
    orphans = [p for key, p in passages.items() if key not in known and p.text.strip()]
    return ReportContent(
        report=report,
        standards=standard_items,
        level4=level4_items,
        passages=passages,
        tables={t.key: t for t in DataTable.objects.filter(report=report)},
        council=council,
        groups=groups,
        plan_resources={r.criterion_id: r for r in PlanResource.objects.filter(report=report)},
        plan_steps=list(PlanStep.objects.filter(report=report).order_by("week", "position", "pk")),
        orphans=sorted(orphans, key=lambda p: p.position),
    )


def structure_keys(report, standards, criteria, indicators, requirements) -> list[str]:
    """Every passage key the report's structure has, in the order of the report."""
    keys = ["introduction", *(plan_key(part) for part in PLAN_PARTS)]
    by_criterion: dict[int, list[Indicator]] = defaultdict(list)
    for indicator in indicators:
        if not indicator.is_repealed:
            by_criterion[indicator.criterion_id].append(indicator)
    criteria_by_standard: dict[int, list[Criterion]] = defaultdict(list)
    for criterion in criteria:
        criteria_by_standard[criterion.standard_id].append(criterion)
    for standard in standards:
        keys.append(standard_key(standard.number, "opening"))
        for criterion in criteria_by_standard[standard.pk]:
            in_force = sorted(by_criterion[criterion.pk], key=lambda i: (i.level, i.position))
            if not in_force:
                continue
            keys.extend(indicator_key(criterion.number, i.level, i.key) for i in in_force)
            keys.append(criterion_key(criterion.number, "strengths"))
            keys.append(criterion_key(criterion.number, "weaknesses"))
        keys.append(standard_key(standard.number, "conclusion"))
    for requirement in requirements:
        keys.extend(level4_key(requirement.number, part) for part in ("state", "strengths", "weaknesses"))
    keys.append("conclusion")
    return keys


def previous_texts(report: Report) -> dict[str, str]:
    """Texts of the school's previous report by key (for the "same as last year" check)."""
    previous = report.copied_from if report.copied_from_id else previous_report(report)
    if previous is None:
        return {}
    return dict(
        Passage.objects.filter(report=previous).annotate(n=Length("text")).filter(n__gt=0).values_list("key", "text")
    )


# --- Council page -----------------------------------------------------------------------------


def council_members(report: Report) -> list[CouncilMember]:
    return list(
        CouncilMember.objects.filter(report=report)
        .select_related("user")
        .prefetch_related("working_groups")
        .order_by("position", "pk")
    )


def working_groups(report: Report) -> list[WorkingGroup]:
    return list(
        WorkingGroup.objects.filter(report=report)
        .select_related("leader")
        .prefetch_related(
            Prefetch("members", queryset=CouncilMember.objects.order_by("position", "pk")),
            Prefetch("criteria", queryset=Criterion.objects.select_related("standard").order_by("standard__position", "position")),
        )
        .order_by("position", "pk")
    )


def report_criteria(report: Report) -> list[Criterion]:
    """The criteria of the report (its assessments' criteria), in order."""
    return [
        a.criterion
        for a in CriterionAssessment.objects.filter(report=report).select_related("criterion__standard").order_by("position")
    ]


def school_staff_accounts(school: School):
    """Active accounts of the school's people, to link council members to."""
    return (
        User.objects.filter(
            is_active=True,
            memberships__school=school,
            memberships__is_active=True,
            memberships__role__in=[Membership.Role.PRINCIPAL, Membership.Role.SCHOOL_STAFF],
        )
        .distinct()
        .order_by("full_name", "username")
    )


def my_criteria_ids(user, report: Report) -> frozenset[int]:
    from .permissions import report_role

    return report_role(user, report).criterion_ids


# --- Creation page ------------------------------------------------------------------------------


def schools_visible_to_for_create(user, schools: list[School]) -> QuerySet[School]:
    return School.objects.filter(pk__in=[s.pk for s in schools]).order_by("code")


@dataclass
class RegulationPreview:
    school: School
    years: list[tuple[SchoolYear, object]]


def regulation_previews(schools: list[School], years) -> list[RegulationPreview]:
    """For each school the regulation version its report of each year would be written under."""
    regulations = regulations_applicable()
    years = list(years)
    return [
        RegulationPreview(school, [(y, regulation_for(school.level, regulation_date_for(y), regulations=regulations,
                                                      school_year=y.code))
                                   for y in years])
        for school in schools
    ]


# --- Overview -----------------------------------------------------------------------------------


@dataclass
class CriterionProgress:
    assessment: CriterionAssessment
    texts_total: int = 0
    texts_written: int = 0
    verdicts_total: int = 0
    verdicts_given: int = 0
    needs_review: int = 0

    @property
    def complete(self) -> bool:
        return self.texts_written == self.texts_total and self.verdicts_given == self.verdicts_total


@dataclass
class StandardProgress:
    standard: Standard
    criteria: list[CriterionProgress]


def report_progress(report: Report) -> list[StandardProgress]:
    """Per criterion: texts written and verdicts given (three queries in all)."""
    texts = {
        row["criterion_id"]: row
        for row in Passage.objects.filter(report=report, criterion__isnull=False)
        .values("criterion_id")
        .annotate(total=Count("pk"), written=Count("pk", filter=Q(text__gt="")),
                  review=Count("pk", filter=Q(needs_review=True)))
    }
    verdicts = {
        row["indicator__criterion_id"]: row
        for row in IndicatorVerdict.objects.filter(report=report)
        .values("indicator__criterion_id")
        .annotate(total=Count("pk"), given=Count("pk", filter=Q(met__isnull=False)),
                  review=Count("pk", filter=Q(needs_review=True)))
    }
    result = []
    for outline in report_outline(report):
        rows = []
        for item in outline.criteria:
            cid = item.assessment.criterion_id
            t, v = texts.get(cid, {}), verdicts.get(cid, {})
            rows.append(CriterionProgress(
                item.assessment, t.get("total", 0), t.get("written", 0), v.get("total", 0), v.get("given", 0),
                t.get("review", 0) + v.get("review", 0),
            ))
        result.append(StandardProgress(outline.standard, rows))
    return result


# --- Summary table (Bảng tổng hợp) -----------------------------------------------------------


@dataclass
class SummaryRow:
    assessment: CriterionAssessment
    # For each level 1..n: True when the criterion has indicators at that level (else "--").
    available: list[bool]

    @property
    def criterion(self) -> Criterion:
        return self.assessment.criterion

    @property
    def marked_level(self) -> int | None:
        """The column of the "x": a criterion without Mức 3 that reaches every level it has is marked
        at its highest one (Mức 3 prints "--" for it)."""
        level = self.assessment.level
        if level is None:
            return None
        highest = max((i + 1 for i, has in enumerate(self.available) if has), default=0)
        return min(level, highest)


@dataclass
class Summary:
    level_count: int
    standards: list[tuple[Standard, list[SummaryRow]]]
    level4: list[tuple[Level4Requirement, bool | None]]
    counts: list[dict]
    total: int

    @property
    def level_numbers(self) -> list[int]:
        return list(range(1, self.level_count + 1))


def report_summary(report: Report) -> Summary:
    from . import levels

    level_count = report.regulation_version.regulation.level_count
    highest = dict(
        Indicator.objects.filter(criterion__standard__version=report.regulation_version, is_repealed=False)
        .values("criterion_id")
        .annotate(top=Max("level"))
        .values_list("criterion_id", "top")
    )
    standards = []
    for outline in report_outline(report):
        rows = [
            SummaryRow(o.assessment, [lv <= highest.get(o.assessment.criterion_id, 0) for lv in range(1, level_count + 1)])
            for o in outline.criteria
        ]
        standards.append((outline.standard, rows))
    verdicts = {v.requirement_id: v.met for v in Level4Verdict.objects.filter(report=report)}
    level4 = [(r, verdicts.get(r.pk)) for r in
              Level4Requirement.objects.filter(version=report.regulation_version, is_repealed=False).order_by("position")]
    assessed = [r.assessment.level for _s, rows in standards for r in rows if r.assessment.level is not None]
    return Summary(level_count, standards, level4, levels.level_counts(assessed, level_count), len(assessed))


# --- Criterion editor helpers -----------------------------------------------------------------


def _evidence_rows(report: Report):
    """The school's evidence items with what citation checks read (criteria and their versions),
    without the catalogs' large ``source`` columns (two queries whatever the number of items)."""
    shared = Criterion.objects.select_related("standard__version").defer("source", "standard__source")
    return (
        Evidence.objects.filter(school_id=report.school_id)
        .select_related("criterion__standard__version")
        .defer("search_text", "note", "criterion__source", "criterion__standard__source")
        .prefetch_related(Prefetch("shared_criteria", queryset=shared))
    )


def evidence_codes(report: Report, codes: set[str] | None = None) -> dict:
    """The school's evidence by code (archived included): all of it, or only the ``codes`` cited."""
    rows = _evidence_rows(report)
    if codes is not None:
        if not codes:
            return {}
        rows = rows.filter(code__in=codes)
    return {item.code: item for item in rows}


def evidence_for_page(report: Report, criterion: Criterion, cited: set[str]) -> tuple[list, dict]:
    """The criterion page's evidence in one query: the items usable under ``criterion`` (in list
    order) and, by code, every item the page's texts cite (wherever it is coded)."""
    regulation_id = criterion.standard.version.regulation_id
    shared_ids = Evidence.shared_criteria.through.objects.filter(
        criterion__standard__version__regulation_id=regulation_id, criterion__number=criterion.number
    ).values("evidence_id")
    same = Q(criterion__standard__version__regulation_id=regulation_id, criterion__number=criterion.number)
    usable = same | Q(pk__in=shared_ids)
    rows = list(
        _evidence_rows(report).filter(Q(is_archived=False) & usable | Q(code__in=cited))
        .order_by("criterion__standard__number", "criterion__position", "sequence", "pk")
    )
    usable_items = [
        item for item in rows
        if not item.is_archived and (
            (item.criterion.standard.version.regulation_id, item.criterion.number) == (regulation_id, criterion.number)
            or item.is_usable_for(criterion)
        )
    ]
    return usable_items, {item.code: item for item in rows if item.code in cited}


def cited_codes(passages) -> set[str]:
    return {code for p in passages if p is not None and p.text for code in codes.find_citations(p.text)}


@dataclass(frozen=True)
class CitationWarning:
    code: str
    kind: str  # unknown, archived, not_shared, expired, future
    message: str


def citation_warnings(passage: Passage | None, *, known: dict | None = None, criterion: Criterion | None = None,
                      on: datetime.date | None = None) -> list[dict]:
    """What is wrong with the codes a text cites, shown under the text while writing."""
    from django.utils.translation import gettext as _


    if passage is None or not passage.text:
        return []
    cited = list(dict.fromkeys(codes.find_citations(passage.text)))
    if not cited:
        return []
    if known is None:
        known = evidence_codes(passage.report, set(cited))
    if criterion is None and passage.criterion_id:
        criterion = Criterion.objects.select_related("standard__version").get(pk=passage.criterion_id)
    on = on or passage.report.regulation_date
    warnings = []
    for code in cited:
        item = known.get(code)
        if item is None:
            warnings.append(CitationWarning(code, "unknown", _("[%(c)s] không có trong danh mục minh chứng") % {"c": code}))
        elif item.is_archived:
            warnings.append(CitationWarning(code, "archived", _("[%(c)s] đã được lưu trữ") % {"c": code}))
        else:
            if criterion is not None and not item.is_usable_for(criterion):
                warnings.append(CitationWarning(code, "not_shared", _(
                    "[%(c)s] thuộc tiêu chí %(o)s, chưa khai báo dùng chung cho tiêu chí này") % {"c": code, "o": item.criterion.number}))
            if item.is_expired(on):
                warnings.append(CitationWarning(code, "expired", _("[%(c)s] đã hết hiệu lực") % {"c": code}))
            if item.is_future_dated(on):
                warnings.append(CitationWarning(code, "future", _("[%(c)s] có ngày ban hành sau thời điểm báo cáo") % {"c": code}))
    return [{"code": w.code, "kind": w.kind, "message": w.message} for w in warnings]


def outline_assessment(outline: list[OutlineStandard], criterion_pk: int) -> CriterionAssessment | None:
    """The report's assessment of a criterion, found in the outline the page loads anyway."""
    for standard in outline:
        for item in standard.criteria:
            if item.assessment.criterion_id == criterion_pk:
                return item.assessment
    return None


def neighbours(outline: list[OutlineStandard], assessment: CriterionAssessment):
    """The criteria before and after this one in the outline, for the editor's navigation."""
    ordered = [item.assessment for standard in outline for item in standard.criteria]
    index = next((i for i, a in enumerate(ordered) if a.pk == assessment.pk), None)
    if index is None:
        return None, None
    return (ordered[index - 1] if index > 0 else None), (ordered[index + 1] if index + 1 < len(ordered) else None)


def groups_for_criterion(report: Report, criterion: Criterion) -> list[WorkingGroup]:
    return list(
        WorkingGroup.objects.filter(report=report, criteria=criterion)
        .select_related("leader")
        .order_by("position", "pk")
    )


def level4_page(report: Report) -> list[Level4Item]:
    """The Mức 4 items with their texts, verdicts and plans (four queries)."""
    requirements = list(Level4Requirement.objects.filter(version=report.regulation_version, is_repealed=False).order_by("position"))
    passages = {}
    for p in Passage.objects.filter(report=report, level4__isnull=False).select_related("updated_by"):
        p.report = report
        passages[p.key] = p
    verdicts = {v.requirement_id: v for v in Level4Verdict.objects.filter(report=report)}
    actions: dict[int, list[ImprovementAction]] = defaultdict(list)
    for action in ImprovementAction.objects.filter(report=report, level4__isnull=False).order_by("position", "pk"):
        actions[action.level4_id].append(action)
    return [
        Level4Item(
            requirement=r,
            state=passages.get(level4_key(r.number, "state")),
            strengths=passages.get(level4_key(r.number, "strengths")),
            weaknesses=passages.get(level4_key(r.number, "weaknesses")),
            verdict=verdicts.get(r.pk),
            actions=actions.get(r.pk, []),
        )
        for r in requirements
    ]


# --- Council page helpers -------------------------------------------------------------------


def report_criteria_queryset(report: Report) -> QuerySet[Criterion]:
    return (
        Criterion.objects.filter(pk__in=CriterionAssessment.objects.filter(report=report).values("criterion_id"))
        .select_related("standard")
        .order_by("standard__position", "position")
    )


def unassigned_criteria(report: Report) -> list[Criterion]:
    assigned = WorkingGroup.criteria.through.objects.filter(workinggroup__report=report).values("criterion_id")
    return list(report_criteria_queryset(report).exclude(pk__in=assigned))


def criteria_taken_by_other_groups(report: Report, group: WorkingGroup) -> dict[int, str]:
    """Criterion id -> name of the other group that already has it (shown beside the checkbox)."""
    rows = WorkingGroup.criteria.through.objects.filter(workinggroup__report=report).select_related("workinggroup")
    if group.pk:
        rows = rows.exclude(workinggroup=group)
    return {row.criterion_id: row.workinggroup.name for row in rows}


def group_criteria_choices(form, criteria: QuerySet[Criterion]) -> list[tuple[Standard, list]]:
    """The criteria checkboxes of the group form, grouped by standard."""
    by_id = {c.pk: c for c in criteria}
    grouped: dict[int, tuple[Standard, list]] = {}
    for widget in form["criteria"]:
        criterion = by_id.get(int(widget.data["value"].value if hasattr(widget.data["value"], "value") else widget.data["value"]))
        if criterion is None:
            continue
        grouped.setdefault(criterion.standard_id, (criterion.standard, []))[1].append((criterion, widget))
    return list(grouped.values())


def plan_resources(report: Report) -> dict[int, PlanResource]:
    return {r.criterion_id: r for r in PlanResource.objects.filter(report=report)}


def plan_steps(report: Report) -> list[PlanStep]:
    return list(PlanStep.objects.filter(report=report).order_by("week", "position", "pk"))


def data_tables(report: Report) -> dict[str, DataTable]:
    return {t.key: t for t in DataTable.objects.filter(report=report).select_related("updated_by")}
