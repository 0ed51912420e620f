"""Writes of the self-assessment reports: the only code that changes a report's business state.

Every service takes keyword arguments and the acting user (``by``), checks the permission itself,
and runs in one transaction. Concurrent edits are detected, never silently overwritten: a text
carries a revision number, a table its revision, a list (improvement items, council, plan) a
token computed from its rows; a save based on an older state raises ``ConflictError`` with what
is stored now, so the page can show both versions.
"""

from __future__ import annotations

import datetime
import hashlib
import re
from collections.abc import Iterable, Mapping
from typing import Any, cast

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Max, OuterRef, Subquery
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import event_record
from evidence import codes
from kiemdinh import validation
from kiemdinh.bulk import update_rows
from kiemdinh.i18n import N_, Text
from kiemdinh.permissions import require
from schools.models import Membership, School, SchoolYear, User
from schools.services import account_create
from standards.models import Criterion, Indicator, Level4Requirement, RegulationVersion, Standard
from standards.selectors import regulation_for

from . import levels, schooldata, tt57
from .models import (
    CouncilMember,
    CriterionAssessment,
    DataTable,
    ImprovementAction,
    IndicatorVerdict,
    Level4Verdict,
    Passage,
    PassageRevision,
    PlanResource,
    PlanStep,
    Report,
    WorkingGroup,
)
from .permissions import reset_report_roles
from .selectors import (
    PLAN_PARTS,
    criterion_key,
    indicator_key,
    level4_key,
    plan_key,
    previous_report,
    regulation_date_for,
    standard_key,
)

MAX_TEXT_LENGTH = 50_000
# Saves by the same person within this time extend their last history step.
HISTORY_COALESCE = datetime.timedelta(minutes=10)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
UNSET: Any = object()


class ReportError(Exception):
    """A business rule refused the write; the message is for the user."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class ConflictError(ReportError):
    """Someone saved this part since the page was loaded; ``current`` is what is stored now."""

    def __init__(self, message: str, current: Any = None):
        super().__init__(message)
        self.current = current


def _validation_message(exc: ValidationError) -> str:
    return " ".join(str(m) for m in exc.messages)


def _lock_report(report: Report) -> Report:
    """Lock the report row and return it fresh, with what permission rules need.

    Locked alone first: FOR UPDATE cannot cover the nullable side of the joins the fresh object
    needs on PostgreSQL.
    """
    list(Report.objects.select_for_update().filter(pk=report.pk).values_list("pk", flat=True))
    return Report.objects.select_related(
        "school__reviewing_unit__parent", "school_year", "regulation_version__regulation"
    ).get(pk=report.pk)


def _touch(report: Report) -> None:
    """Mark the report's content as changed (its version counts every change)."""
    Report.objects.filter(pk=report.pk).update(version=F("version") + 1, updated_at=timezone.now())


def state_token(rows: Iterable[Any]) -> str:
    """A short fingerprint of a list's stored state; it changes when any row is added, edited or removed."""
    digest = hashlib.sha256()
    for row in rows:
        digest.update(repr(row).encode())
        digest.update(b"\x1e")
    return digest.hexdigest()[:20]


def normalise_text(text: str) -> str:
    """Line breaks as \\n, no control characters (PostgreSQL refuses NUL), no trailing blanks."""
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL.sub("", text).rstrip()


# --- Structure: the rows a report has for its regulation version ---------------------------


def _catalog(
    version: RegulationVersion,
) -> tuple[list[Standard], list[Criterion], list[Indicator], list[Level4Requirement]]:
    standards = list(Standard.objects.filter(version=version, is_repealed=False).order_by("position"))
    criteria = list(
        Criterion.objects.filter(standard__version=version, standard__is_repealed=False, is_repealed=False)
        .select_related("standard")
        .order_by("standard__position", "position")
    )
    indicators = list(
        Indicator.objects.filter(criterion__in=criteria, is_repealed=False)
        .select_related("criterion")
        .order_by("criterion__standard__position", "criterion__position", "level", "position")
    )
    requirements = list(Level4Requirement.objects.filter(version=version, is_repealed=False).order_by("position"))
    return standards, criteria, indicators, requirements


def _desired_passages(
    standards: list[Standard], criteria: list[Criterion], indicators: list[Indicator],
    requirements: list[Level4Requirement],
) -> list[dict[str, Any]]:
    """Every text the structure has, in report order, with the catalog rows it belongs to."""
    rows: list[dict[str, Any]] = [{"key": "introduction", "kind": Passage.Kind.INTRODUCTION}]
    rows += [{"key": plan_key(part), "kind": Passage.Kind.PLAN} for part in PLAN_PARTS]
    by_criterion: dict[int, list[Indicator]] = {}
    for indicator in indicators:
        by_criterion.setdefault(indicator.criterion_id, []).append(indicator)
    for standard in standards:
        rows.append({"key": standard_key(standard.number, "opening"), "kind": Passage.Kind.STANDARD_OPENING,
                     "standard": standard})
        for criterion in (c for c in criteria if c.standard_id == standard.pk):
            in_force = by_criterion.get(criterion.pk, [])
            if not in_force:
                continue  # every indicator repealed: the criterion is not assessed
            for indicator in in_force:
                rows.append({"key": indicator_key(criterion.number, indicator.level, indicator.key),
                             "kind": Passage.Kind.CURRENT_STATE, "standard": standard, "criterion": criterion,
                             "indicator": indicator})
            for part, kind in (("strengths", Passage.Kind.STRENGTHS), ("weaknesses", Passage.Kind.WEAKNESSES)):
                rows.append({"key": criterion_key(criterion.number, part), "kind": kind, "standard": standard,
                             "criterion": criterion})
        rows.append({"key": standard_key(standard.number, "conclusion"), "kind": Passage.Kind.STANDARD_CONCLUSION,
                     "standard": standard})
    for requirement in requirements:
        for part, kind in (("state", Passage.Kind.CURRENT_STATE), ("strengths", Passage.Kind.STRENGTHS),
                           ("weaknesses", Passage.Kind.WEAKNESSES)):
            rows.append({"key": level4_key(requirement.number, part), "kind": kind, "level4": requirement})
    rows.append({"key": "conclusion", "kind": Passage.Kind.CONCLUSION})
    for position, row in enumerate(rows, start=1):
        row["position"] = position * 10
    return rows


def _field_value(passage: Passage, name: str) -> Any:
    return getattr(passage, name) if name in ("kind", "position") else getattr(passage, f"{name}_id")


def _wanted_value(value: Any) -> Any:
    return value.pk if hasattr(value, "pk") else value


def _sync_structure(report: Report) -> None:
    """Give the report a row for every criterion, indicator, Mức 4 item, text and table of its version.

    Rows of another version (after the regulation changed) are moved onto the new version's rows
    by their numbers and keys; a verdict or an empty text with no counterpart is dropped, a
    written text is kept (the checks list it) so that nothing anyone wrote is lost.
    """
    standards, criteria, indicators, requirements = _catalog(report.regulation_version)
    criteria_by_number = {c.number: c for c in criteria}
    wanted_criteria = {c.pk for c in criteria}

    # Criterion assessments.
    positions = {c.pk: i for i, c in enumerate(criteria, start=1)}
    existing = {a.criterion_id: a for a in CriterionAssessment.objects.filter(report=report).select_related("criterion")}
    for criterion_id, assessment in list(existing.items()):
        if criterion_id in wanted_criteria:
            continue
        target = criteria_by_number.get(assessment.criterion.number)
        if target is not None and target.pk not in existing:
            assessment.criterion = target
            assessment.save(update_fields=["criterion"])
            existing[target.pk] = existing.pop(criterion_id)
        else:
            assessment.delete()
            existing.pop(criterion_id)
    new = [CriterionAssessment(report=report, criterion=c, position=positions[c.pk]) for c in criteria if c.pk not in existing]
    CriterionAssessment.objects.bulk_create(new)
    for criterion_id, assessment in existing.items():
        if assessment.position != positions[criterion_id]:
            assessment.position = positions[criterion_id]
            assessment.save(update_fields=["position"])

    # Indicator verdicts.
    wanted = {(i.criterion.number, i.level, i.key): i for i in indicators}
    have = {}
    for verdict in IndicatorVerdict.objects.filter(report=report).select_related("indicator__criterion"):
        natural = (verdict.indicator.criterion.number, verdict.indicator.level, verdict.indicator.key)
        indicator_target = wanted.get(natural)
        if indicator_target is None or natural in have:
            verdict.delete()
            continue
        if verdict.indicator_id != indicator_target.pk:
            verdict.indicator = indicator_target
            verdict.save(update_fields=["indicator"])
        have[natural] = verdict
    IndicatorVerdict.objects.bulk_create(
        [IndicatorVerdict(report=report, indicator=i) for natural, i in wanted.items() if natural not in have]
    )

    # Mức 4 verdicts.
    wanted4 = {r.number: r for r in requirements}
    have4 = set()
    for verdict4 in Level4Verdict.objects.filter(report=report).select_related("requirement"):
        target4 = wanted4.get(verdict4.requirement.number)
        if target4 is None or verdict4.requirement.number in have4:
            verdict4.delete()
            continue
        if verdict4.requirement_id != target4.pk:
            verdict4.requirement = target4
            verdict4.save(update_fields=["requirement"])
        have4.add(target4.number)
    Level4Verdict.objects.bulk_create([Level4Verdict(report=report, requirement=r) for n, r in wanted4.items() if n not in have4])

    # Texts.
    if tt57.is_tt57_version(report.regulation_version):
        desired = tt57.desired_passages(standards, criteria, indicators)
    else:
        desired = _desired_passages(standards, criteria, indicators, requirements)
    stored = {p.key: p for p in Passage.objects.filter(report=report)}
    create = []
    fields = ("kind", "position", "standard", "criterion", "indicator", "level4")
    for row in desired:
        values = {f: row.get(f) for f in fields}
        passage = stored.pop(row["key"], None)
        if passage is None:
            create.append(Passage(report=report, key=row["key"], **values))
            continue
        changed = [f for f in fields if _field_value(passage, f) != _wanted_value(values[f])]
        if changed:
            for f in changed:
                setattr(passage, f, values[f])
            passage.save(update_fields=changed)
    Passage.objects.bulk_create(create)
    if create and tt57.is_tt57_version(report.regulation_version):
        _prefill(report, list(Passage.objects.filter(report=report, key__in=[p.key for p in create], text="")))
    leftovers = [p.pk for p in stored.values() if not p.text.strip()]
    Passage.objects.filter(pk__in=leftovers).delete()
    Passage.objects.filter(pk__in=[p.pk for p in stored.values() if p.pk not in leftovers]).update(position=100_000)

    # Everything else that points at criteria moves by criterion number.
    for action in ImprovementAction.objects.filter(report=report).select_related("criterion", "level4"):
        if action.criterion_id and action.criterion_id not in wanted_criteria:
            if action.criterion is None:  # criterion_id is set
                raise RuntimeError('broken invariant: criterion_id is set')
            target = criteria_by_number.get(action.criterion.number)
            if target is not None:
                action.criterion = target
                action.save(update_fields=["criterion"])
        elif (action.level4_id and (level4 := cast(Level4Requirement, action.level4)).number in wanted4
              and action.level4_id != wanted4[level4.number].pk):
            action.level4 = wanted4[level4.number]
            action.save(update_fields=["level4"])
    for resource in PlanResource.objects.filter(report=report).select_related("criterion"):
        if resource.criterion_id not in wanted_criteria:
            target = criteria_by_number.get(resource.criterion.number)
            if target is None or PlanResource.objects.filter(report=report, criterion=target).exists():
                resource.delete()
            else:
                resource.criterion = target
                resource.save(update_fields=["criterion"])
    for group in WorkingGroup.objects.filter(report=report).prefetch_related("criteria"):
        current = list(group.criteria.all())
        if any(c.pk not in wanted_criteria for c in current):
            mapped = {criteria_by_number[c.number].pk for c in current if c.number in criteria_by_number}
            group.criteria.set(mapped)

    # Phần I tables.
    have_tables = set(DataTable.objects.filter(report=report).values_list("key", flat=True))
    DataTable.objects.bulk_create(
        [DataTable(report=report, key=key) for key in schooldata.TABLE_KEYS if key not in have_tables]
    )


def _prefill(report: Report, passages: list[Passage]) -> None:
    """Give new TT57 texts what the school's record and the printed form already say (a history step each)."""
    initial = tt57.initial_texts(report)
    now = timezone.now()
    filled = []
    for passage in passages:
        text = initial.get(passage.key)
        if text and not passage.text:
            # The principal who starts the report is who the first draft is attributed to.
            passage.text, passage.revision, passage.updated_at, passage.updated_by_id = text, 1, now, report.created_by_id
            filled.append(passage)
    update_rows(filled, ["text", "revision", "updated_at", "updated_by"])
    PassageRevision.objects.bulk_create([
        PassageRevision(passage=p, revision=1, text=p.text, source=PassageRevision.Source.PREFILL, by_id=report.created_by_id,
                        started_at=now, saved_at=now) for p in filled
    ])


# --- Reports ---------------------------------------------------------------------------------


@transaction.atomic
def report_create(
    *, school: School, school_year: SchoolYear, kind: str, by: User, copy_previous: bool = False,
    today: datetime.date | None = None,
) -> Report:
    """Start a report on the regulation in force for the school's level; optionally from last year's.

    Invariant: one open (not closed) report per school, year and kind (a database constraint).
    """
    require(by, "report.create", school)
    if school.status != School.Status.ACTIVE:
        raise ReportError(_("Trường không còn hoạt động nên không thể tạo báo cáo mới."))
    if kind not in Report.Kind.values:
        raise ReportError(_("Loại báo cáo không hợp lệ."))
    on = regulation_date_for(school_year, today)
    version = regulation_for(school.level, on, school_year=school_year.code)
    if version is None:
        raise ReportError(
            _("Chưa có bộ tiêu chuẩn áp dụng cho cấp học %(level)s vào ngày %(date)s; đề nghị quản trị hệ thống nạp bộ tiêu chuẩn.")
            % {"level": school.get_level_display(), "date": on.strftime("%d/%m/%Y")}
        )
    existing = Report.objects.filter(school=school, school_year=school_year, kind=kind).exclude(status=Report.Status.CLOSED)
    if existing.exists():
        raise ReportError(
            _("Trường đã có báo cáo “%(kind)s” năm học %(year)s đang mở; hãy tiếp tục báo cáo đó.")
            % {"kind": Report.Kind(kind).label, "year": school_year.code}
        )
    source = None
    if copy_previous:
        source = previous_report(school, school_year, kind)
        if source is None:
            raise ReportError(_("Trường chưa có báo cáo của năm học trước để sao chép."))
    report = Report(
        school=school, school_year=school_year, kind=kind, regulation_version=version, regulation_date=on,
        created_by=by, copied_from=source,
    )
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError:
        # Someone created the same report a moment ago (the constraint is the final word).
        raise ReportError(_("Trường vừa có một báo cáo cùng loại, cùng năm học được tạo; hãy tải lại trang."))
    _sync_structure(report)
    if source is not None:
        _copy_from(report, source, by)
    levels.refresh(report)
    event_record(
        actor=by, action="selfassessment.report.created", target=report, school=school,
        summary=Text(N_("Tạo báo cáo tự đánh giá năm học %(year)s theo %(reg)s"),
                     {"year": school_year.code, "reg": version.regulation.code}),
        data={"kind": kind, "regulation": version.regulation.code, "copied_from": source.pk if source else None},
    )
    return report


def _copy_from(report: Report, source: Report, by: User) -> None:
    """Carry last year's report forward: texts, verdicts, plan items, council, plan, Phần I numbers.

    Everything copied is marked as to be reviewed. Parts tied to criteria are copied only within
    the same regulation (criterion 1.1 of TT18 is not 1.1 of TT42).
    """
    now = timezone.now()
    same_regulation = source.regulation_version.regulation_id == report.regulation_version.regulation_id
    general = {"introduction", "conclusion", *(plan_key(p) for p in PLAN_PARTS)}
    sources = {p.key: p.text for p in Passage.objects.filter(report=source).exclude(text="")}
    targets = list(Passage.objects.filter(report=report, key__in=list(sources)))
    copied = []
    for passage in targets:
        if not same_regulation and passage.key not in general:
            continue
        passage.text = sources[passage.key]
        # On top of a prefilled first draft (TT57's suggested texts are revision 1), the copy is the next
        # revision: two revisions 1 of one passage broke the carry-forward of a TT57 report into a TT57 year.
        passage.revision += 1
        passage.needs_review = True
        passage.updated_at = now
        passage.updated_by = by
        copied.append(passage)
    update_rows(copied, ["text", "revision", "needs_review", "updated_at", "updated_by"])
    PassageRevision.objects.bulk_create(
        [PassageRevision(passage=p, revision=p.revision, text=p.text, source=PassageRevision.Source.COPY, by=by,
                         started_at=now, saved_at=now) for p in copied]
    )

    if same_regulation:
        old_verdicts = {
            (v.indicator.criterion.number, v.indicator.level, v.indicator.key): v.met
            for v in IndicatorVerdict.objects.filter(report=source, met__isnull=False).select_related("indicator__criterion")
        }
        verdicts = list(IndicatorVerdict.objects.filter(report=report).select_related("indicator__criterion"))
        for verdict in verdicts:
            natural = (verdict.indicator.criterion.number, verdict.indicator.level, verdict.indicator.key)
            if natural in old_verdicts:
                verdict.met, verdict.needs_review = old_verdicts[natural], True
        update_rows(verdicts, ["met", "needs_review"])
        old4 = {
            v.requirement.number: v.met
            for v in Level4Verdict.objects.filter(report=source, met__isnull=False).select_related("requirement")
        }
        verdicts4 = list(Level4Verdict.objects.filter(report=report).select_related("requirement"))
        for verdict4 in verdicts4:
            if verdict4.requirement.number in old4:
                verdict4.met, verdict4.needs_review = old4[verdict4.requirement.number], True
        Level4Verdict.objects.bulk_update(verdicts4, ["met", "needs_review"])

        criteria = {a.criterion.number: a.criterion for a in CriterionAssessment.objects.filter(report=report).select_related("criterion")}
        requirements = {v.requirement.number: v.requirement for v in verdicts4}
        actions = []
        # Finished or abandoned items stay in last year's plan; the rest continue.
        for action in ImprovementAction.objects.filter(report=source).exclude(
            status__in=[ImprovementAction.Status.DONE, ImprovementAction.Status.DROPPED]
        ).select_related("criterion", "level4"):
            criterion = criteria.get(cast(Criterion, action.criterion).number) if action.criterion_id else None
            requirement = requirements.get(cast(Level4Requirement, action.level4).number) if action.level4_id else None
            if criterion is None and requirement is None:
                continue
            actions.append(ImprovementAction(
                report=report, criterion=criterion, level4=requirement, position=action.position, action=action.action,
                responsible=action.responsible, start_on=action.start_on, due_on=action.due_on,
                resources=action.resources, expected_result=action.expected_result, status=action.status,
                carried_from=action, needs_review=True, created_by=by, updated_by=by,
            ))
        ImprovementAction.objects.bulk_create(actions)
        PlanResource.objects.bulk_create([
            PlanResource(report=report, criterion=criteria[r.criterion.number], resources=r.resources,
                         needed_when=r.needed_when)
            for r in PlanResource.objects.filter(report=source).select_related("criterion")
            if r.criterion.number in criteria
        ])
    else:
        criteria = {}

    # The council: the same people, to be confirmed by this year's founding decision.
    staff_ids = set(
        Membership.objects.filter(school=report.school, is_active=True, user__is_active=True).values_list("user_id", flat=True)
    )
    member_map: dict[int, CouncilMember] = {}
    for member in CouncilMember.objects.filter(report=source).order_by("position", "pk"):
        copy = CouncilMember.objects.create(
            report=report, position=member.position, full_name=member.full_name, title=member.title, role=member.role,
            duty=member.duty, in_secretary_group=member.in_secretary_group,
            user_id=member.user_id if member.user_id in staff_ids else None, needs_review=True,
        )
        member_map[member.pk] = copy
    for group in WorkingGroup.objects.filter(report=source).prefetch_related("members", "criteria").order_by("position", "pk"):
        group_copy = WorkingGroup.objects.create(
            report=report, position=group.position, name=group.name,
            leader=member_map.get(group.leader_id) if group.leader_id else None,
        )
        group_copy.members.set([member_map[m.pk] for m in group.members.all() if m.pk in member_map])
        group_copy.criteria.set([criteria[c.number] for c in group.criteria.all() if c.number in criteria])
    PlanStep.objects.bulk_create([
        PlanStep(report=report, position=s.position, week=s.week, activity=s.activity, responsible=s.responsible)
        for s in PlanStep.objects.filter(report=source)
    ])

    # Phần I: the years both reports cover keep their numbers.
    years = schooldata.school_years(report.school_year.code)
    old_tables = {t.key: t.values for t in DataTable.objects.filter(report=source)}
    tables = list(DataTable.objects.filter(report=report))
    for table in tables:
        spec = schooldata.table_for(report.school.level, table.key)
        if spec is None:
            continue
        table.values = schooldata.carry_over(spec, years, old_tables.get(table.key) or {})
        table.needs_review = bool(table.values)
    DataTable.objects.bulk_update(tables, ["values", "needs_review"])
    Report.objects.filter(pk=report.pk).update(completed_cohorts=source.completed_cohorts)
    report.completed_cohorts = source.completed_cohorts


@transaction.atomic
def report_facts_update(
    *, report: Report, completed_cohorts: int | None, by: User, expected: Any = UNSET
) -> Report:
    """Update the facts the level preconditions need, and recompute the levels.

    ``expected`` is the number the writer saw; if someone changed it since, the change is refused.
    """
    report = _lock_report(report)
    require(by, "report.edit", report)
    stored = report.completed_cohorts
    if expected is not UNSET and stored != expected and stored != completed_cohorts:
        raise ConflictError(
            _("Số khóa học sinh đã hoàn thành chương trình vừa được người khác sửa; hãy xem lại."), current=report
        )
    report.completed_cohorts = completed_cohorts
    try:
        validation.full_clean(report, validate_constraints=False)
    except ValidationError as exc:
        raise ReportError(_validation_message(exc))
    report.save(update_fields=["completed_cohorts", "updated_at"])
    levels.refresh(report)
    _touch(report)
    return report


@transaction.atomic
def report_regulation_change(*, report: Report, version: RegulationVersion, by: User) -> Report:
    """An administrator moves the report to another regulation version; written texts are kept."""
    report = _lock_report(report)
    require(by, "report.change_regulation", report)
    if version.pk == report.regulation_version_id:
        return report
    if report.school.level not in (version.regulation.school_levels or []):
        raise ReportError(
            _("Bộ tiêu chuẩn %(code)s không áp dụng cho cấp học %(level)s.")
            % {"code": version.regulation.code, "level": report.school.get_level_display()}
        )
    report.regulation_version = version
    report.save(update_fields=["regulation_version", "updated_at"])
    _sync_structure(report)
    levels.refresh(report)
    _touch(report)
    return report


# --- Texts -----------------------------------------------------------------------------------


def _record_revision(passage: Passage, by: User | None, now: datetime.datetime, source: str) -> None:
    last = PassageRevision.objects.filter(passage=passage).order_by("-revision").first()
    if (
        last is not None
        and source == PassageRevision.Source.EDIT
        and last.source == PassageRevision.Source.EDIT
        and by is not None
        and last.by_id == by.pk
        and last.revision == passage.revision - 1
        and now - last.saved_at < HISTORY_COALESCE
    ):
        last.text, last.revision, last.saved_at = passage.text, passage.revision, now
        last.save(update_fields=["text", "revision", "saved_at"])
        return
    PassageRevision.objects.create(
        passage=passage, revision=passage.revision, text=passage.text, source=source, by=by, started_at=now, saved_at=now
    )


@transaction.atomic
def passage_save(
    *, passage: Passage, text: str, base_revision: int, by: User, source: str = PassageRevision.Source.EDIT
) -> Passage:
    """Save a text written on top of ``base_revision``; refuse (ConflictError) if it was changed since.

    Saving the text already stored is no change (two people typing the same correction do not
    conflict, and autosave may repeat itself).
    """
    text = normalise_text(text)
    if len(text) > MAX_TEXT_LENGTH:
        raise ReportError(_("Đoạn văn quá dài (tối đa %(n)s ký tự).") % {"n": f"{MAX_TEXT_LENGTH:,}".replace(",", ".")})
    locked = Passage.objects.select_for_update().get(pk=passage.pk)
    locked.report = _lock_report(locked.report)
    require(by, "passage.edit", locked)
    if locked.text == text:
        return locked
    if locked.revision != base_revision:
        raise ConflictError(
            _("Đoạn văn này vừa được %(who)s lưu lúc %(when)s. Bản của bạn chưa được lưu; hãy so sánh hai bản rồi chọn.")
            % {
                "who": locked.updated_by.display_name if locked.updated_by else _("người khác"),
                "when": timezone.localtime(locked.updated_at).strftime("%H:%M %d/%m/%Y") if locked.updated_at else "",
            },
            current=locked,
        )
    now = timezone.now()
    locked.text = text
    locked.revision += 1
    locked.needs_review = False
    locked.updated_by = by
    locked.updated_at = now
    locked.save(update_fields=["text", "revision", "needs_review", "updated_by", "updated_at"])
    _record_revision(locked, by, now, source)
    _touch(locked.report)
    return locked


@transaction.atomic
def passages_save(
    *, report: Report, texts: Mapping[str, str], base_revisions: Mapping[str, int], by: User,
) -> int:
    """Save several texts of one report at once, each as ``passage_save`` would (same checks, same
    history steps), with one lock and one version step of the report: for a writer that puts a
    whole draft in (the demo). All or nothing: an unknown key, a refused text or a text changed since
    its base revision refuses the whole batch. Returns the number of texts changed.
    """
    report = _lock_report(report)
    passages = {p.key: p for p in Passage.objects.select_for_update().filter(report=report, key__in=list(texts))}
    unknown = sorted(set(texts) - set(passages))
    if unknown:
        raise ReportError(_("Báo cáo không có đoạn văn %(keys)s.") % {"keys": ", ".join(unknown)})
    now = timezone.now()
    changed: list[Passage] = []
    for key, raw in texts.items():
        passage, text = passages[key], normalise_text(raw)
        if len(text) > MAX_TEXT_LENGTH:
            raise ReportError(_("Đoạn văn quá dài (tối đa %(n)s ký tự).") % {"n": f"{MAX_TEXT_LENGTH:,}".replace(",", ".")})
        passage.report = report  # the report's role cache serves every permission check
        require(by, "passage.edit", passage)
        if passage.text == text:
            continue
        if passage.revision != base_revisions.get(key):
            raise ConflictError(_("Đoạn văn này vừa được người khác lưu; hãy tải lại trang."), current=passage)
        passage.text, passage.revision, passage.needs_review = text, passage.revision + 1, False
        passage.updated_by, passage.updated_at = by, now
        changed.append(passage)
    if not changed:
        return 0
    # The history step of each text, as _record_revision makes it: one person's edits within minutes
    # make one step.
    latest = PassageRevision.objects.filter(passage=OuterRef("passage")).order_by("-revision").values("revision")[:1]
    lasts = {r.passage_id: r for r in PassageRevision.objects.filter(passage__in=changed, revision=Subquery(latest))}
    coalesced: list[PassageRevision] = []
    created: list[PassageRevision] = []
    for passage in changed:
        last = lasts.get(passage.pk)
        if (last is not None and last.source == PassageRevision.Source.EDIT and last.by_id == by.pk
                and last.revision == passage.revision - 1 and now - last.saved_at < HISTORY_COALESCE):
            last.text, last.revision, last.saved_at = passage.text, passage.revision, now
            coalesced.append(last)
        else:
            created.append(PassageRevision(passage=passage, revision=passage.revision, text=passage.text,
                                           source=PassageRevision.Source.EDIT, by=by, started_at=now, saved_at=now))
    update_rows(changed, ["text", "revision", "needs_review", "updated_by", "updated_at"])
    update_rows(coalesced, ["text", "revision", "saved_at"])
    PassageRevision.objects.bulk_create(created)
    _touch(report)
    return len(changed)


@transaction.atomic
def passage_restore(*, passage: Passage, revision: PassageRevision, base_revision: int, by: User) -> Passage:
    """Put an earlier text of the passage back (a new step of its history)."""
    if revision.passage_id != passage.pk:
        raise ReportError(_("Phiên bản không thuộc đoạn văn này."))
    return passage_save(
        passage=passage, text=revision.text, base_revision=base_revision, by=by, source=PassageRevision.Source.RESTORE
    )


@transaction.atomic
def passage_mark_reviewed(*, passage: Passage, by: User) -> Passage:
    """Confirm a text carried over from last year still holds, without changing it."""
    locked = Passage.objects.select_for_update().get(pk=passage.pk)
    locked.report = _lock_report(locked.report)
    require(by, "passage.edit", locked)
    if locked.needs_review:
        locked.needs_review = False
        locked.save(update_fields=["needs_review"])
        _touch(locked.report)
    return locked


def passages_rewrite_citations(*, school: School, mapping: Mapping[str, str], by: User | None = None) -> int:
    """Rewrite evidence codes in every text of the school's editable reports (never in submitted ones).

    Each rewritten text gets a new revision and a history step, so an open editor notices the
    change instead of overwriting it. Returns the number of texts changed.
    """
    if not mapping:
        return 0
    editable = Report.objects.filter(school=school, status__in=list(Report.EDITABLE_STATUSES))
    now = timezone.now()
    changed: list[Passage] = []
    for passage in Passage.objects.select_for_update().filter(report__in=editable).exclude(text=""):
        new_text = codes.replace_citations(passage.text, mapping)
        if new_text != passage.text:
            passage.text = new_text
            passage.revision += 1
            passage.updated_at = now
            changed.append(passage)
    if not changed:
        return 0
    Passage.objects.bulk_update(changed, ["text", "revision", "updated_at"])
    PassageRevision.objects.bulk_create([
        PassageRevision(passage=p, revision=p.revision, text=p.text, source=PassageRevision.Source.CITATIONS, by=by,
                        started_at=now, saved_at=now)
        for p in changed
    ])
    Report.objects.filter(pk__in={p.report_id for p in changed}).update(version=F("version") + 1, updated_at=now)
    return len(changed)


# --- Verdicts --------------------------------------------------------------------------------


@transaction.atomic
def indicator_verdict_set(
    *, report: Report, indicator: Indicator, met: bool | None, by: User, expected: Any = UNSET
) -> Report:
    """Set đạt / không đạt (None: not assessed) for an indicator and recompute the levels at once.

    ``expected`` is the verdict the user saw; if someone changed it since, the change is refused.
    Setting the same verdict again confirms a verdict carried over from last year.
    """
    report = _lock_report(report)
    require(by, "criterion.edit", (report, indicator.criterion_id))
    verdict = IndicatorVerdict.objects.select_for_update().filter(report=report, indicator=indicator).first()
    if verdict is None:
        raise ReportError(_("Chỉ báo này không thuộc bộ tiêu chuẩn của báo cáo."))
    if expected is not UNSET and verdict.met != expected and verdict.met != met:
        raise ConflictError(_("Kết luận của chỉ báo này vừa được người khác thay đổi; hãy xem lại."), current=verdict)
    changed = verdict.met != met
    if changed or verdict.needs_review:
        verdict.met, verdict.needs_review, verdict.updated_by = met, False, by
        verdict.save(update_fields=["met", "needs_review", "updated_by", "updated_at"])
    if changed:
        levels.refresh(report)
        _touch(report)
    return report


@transaction.atomic
def indicator_verdicts_set(
    *, report: Report, verdicts: Iterable[tuple[Indicator, bool | None]], by: User
) -> Report:
    """Set many verdicts of one report in one go (a whole draft typed in, the demo data).

    The same checks and the same rows as ``indicator_verdict_set`` called for each pair in turn:
    the writer may edit every criterion concerned, every indicator belongs to the report, a verdict
    confirmed again loses its "needs review" mark, the report's version counts each change; but one
    lock, one query for the verdicts, one update and one level computation.
    """
    pairs = list(verdicts)
    report = _lock_report(report)
    for criterion_id in dict.fromkeys(indicator.criterion_id for indicator, _met in pairs):
        require(by, "criterion.edit", (report, criterion_id))
    stored = {
        v.indicator_id: v
        for v in IndicatorVerdict.objects.select_for_update().filter(
            report=report, indicator__in={indicator.pk for indicator, _met in pairs}
        )
    }
    now = timezone.now()
    saved: dict[int, IndicatorVerdict] = {}
    changes = 0
    for indicator, met in pairs:
        verdict = stored.get(indicator.pk)
        if verdict is None:
            raise ReportError(_("Chỉ báo này không thuộc bộ tiêu chuẩn của báo cáo."))
        changed = verdict.met != met
        if changed or verdict.needs_review:
            verdict.met, verdict.needs_review, verdict.updated_by, verdict.updated_at = met, False, by, now
            saved[verdict.pk] = verdict
        changes += changed
    if saved:
        update_rows(list(saved.values()), ["met", "needs_review", "updated_by", "updated_at"])
    if changes:
        levels.refresh(report)
        Report.objects.filter(pk=report.pk).update(version=F("version") + changes, updated_at=now)
    return report


@transaction.atomic
def level4_verdict_set(
    *, report: Report, requirement: Level4Requirement, met: bool | None, by: User, expected: Any = UNSET
) -> Report:
    """Set đạt / không đạt for a Mức 4 requirement and recompute the school's level."""
    report = _lock_report(report)
    require(by, "report.edit", report)
    verdict = Level4Verdict.objects.select_for_update().filter(report=report, requirement=requirement).first()
    if verdict is None:
        raise ReportError(_("Yêu cầu Mức 4 này không thuộc bộ tiêu chuẩn của báo cáo."))
    if expected is not UNSET and verdict.met != expected and verdict.met != met:
        raise ConflictError(_("Kết luận của yêu cầu này vừa được người khác thay đổi; hãy xem lại."), current=verdict)
    changed = verdict.met != met
    if changed or verdict.needs_review:
        verdict.met, verdict.needs_review, verdict.updated_by = met, False, by
        verdict.save(update_fields=["met", "needs_review", "updated_by", "updated_at"])
    if changed:
        levels.refresh(report)
        _touch(report)
    return report


# --- Improvement plan ------------------------------------------------------------------------

ACTION_FIELDS = ("action", "responsible", "start_on", "due_on", "resources", "expected_result")


def actions_token(actions: Iterable[ImprovementAction]) -> str:
    return state_token((a.pk, *(getattr(a, f) for f in ACTION_FIELDS), a.status) for a in actions)


def _target_actions(
    report: Report, criterion: Criterion | None, level4: Level4Requirement | None,
) -> list[ImprovementAction]:
    qs = ImprovementAction.objects.select_for_update().filter(report=report)
    qs = qs.filter(criterion=criterion) if criterion is not None else qs.filter(level4=level4)
    return list(qs.order_by("position", "pk"))


@transaction.atomic
def improvement_actions_save(
    *, report: Report, items: list[Mapping[str, Any]], token: str, by: User,
    criterion: Criterion | None = None, level4: Level4Requirement | None = None,
) -> list[ImprovementAction]:
    """Replace the improvement items of a criterion (or Mức 4 item) by ``items``, in that order.

    Each item is a dict of ACTION_FIELDS plus ``id`` (None for a new one) and ``delete``; a stored
    item that ``items`` does not mention is deleted. Kept items keep their tracking state (status,
    progress notes). Refused if the list changed since ``token``.
    """
    if (criterion is None) == (level4 is None):
        raise ValueError("give a criterion or a Mức 4 requirement")
    report = _lock_report(report)
    if criterion is not None:
        require(by, "criterion.edit", (report, criterion.pk))
    else:
        require(by, "report.edit", report)
    current = _target_actions(report, criterion, level4)
    if actions_token(current) != token:
        raise ConflictError(
            _("Kế hoạch cải tiến của mục này vừa được người khác thay đổi; dữ liệu bạn nhập vẫn còn trên trang, hãy xem lại rồi lưu lại."),
            current=current,
        )
    by_id = {a.pk: a for a in current}
    kept: list[ImprovementAction] = []
    position = 0
    for item in items:
        action_id: Any = item.get("id")
        if action_id is not None and action_id not in by_id:
            raise ReportError(_("Một biện pháp cải tiến không còn tồn tại; hãy tải lại trang."))
        if item.get("delete"):
            if action_id is not None:
                by_id[action_id].delete()
            continue
        position += 1
        action = by_id.get(action_id) or ImprovementAction(
            report=report, criterion=criterion, level4=level4, created_by=by
        )
        before = tuple(getattr(action, f) for f in ACTION_FIELDS)
        for f in ACTION_FIELDS:
            setattr(action, f, item.get(f) if item.get(f) is not None else ("" if f not in ("start_on", "due_on") else None))
        if action.pk is None or before != tuple(getattr(action, f) for f in ACTION_FIELDS):
            # The tracking page's edits are guarded by this counter: an editor's change must show there too.
            action.revision += 1
        action.position = position
        action.needs_review = False
        action.updated_by = by
        try:
            validation.full_clean(action)
        except ValidationError as exc:
            raise ReportError(_validation_message(exc))
        action.save()
        kept.append(action)
    mentioned = {item.get("id") for item in items}
    for action_id, action in by_id.items():
        if action_id not in mentioned:
            action.delete()
    _touch(report)
    return kept


# --- Council, working groups, plan ----------------------------------------------------------

MEMBER_FIELDS = ("full_name", "title", "role", "duty", "in_secretary_group", "user_id")


def member_token(member: CouncilMember) -> str:
    return state_token([(member.pk, *(getattr(member, f) for f in MEMBER_FIELDS))])


def _check_member_account(report: Report, user: User | None) -> None:
    if user is None:
        return
    belongs = Membership.objects.filter(
        user=user, school=report.school, is_active=True,
        role__in=[Membership.Role.PRINCIPAL, Membership.Role.SCHOOL_STAFF],
    ).exists()
    if not belongs or not user.is_active:
        raise ReportError(_("Tài khoản được chọn không thuộc trường này."))


@transaction.atomic
def council_update(
    *, report: Report, decision_number: str, decision_date: datetime.date | None, by: User,
    base_revision: int | None = None,
) -> Report:
    """Record the council's founding decision (Quyết định thành lập hội đồng tự đánh giá).

    ``base_revision`` is the ``council_revision`` the writer saw; a change made since is refused
    (ConflictError with the stored report), unless it already says the same.
    """
    report = _lock_report(report)
    require(by, "report.manage_council", report)
    number = (decision_number or "").strip()
    same = (report.council_decision_number, report.council_decision_date) == (number, decision_date)
    if base_revision is not None and report.council_revision != base_revision and not same:
        raise ConflictError(_("Quyết định thành lập Hội đồng vừa được người khác sửa; hãy xem lại."), current=report)
    if same:
        return report
    report.council_decision_number = number
    report.council_decision_date = decision_date
    report.council_revision += 1
    report.save(update_fields=["council_decision_number", "council_decision_date", "council_revision", "updated_at"])
    _touch(report)
    return report


@transaction.atomic
def council_member_save(
    *, report: Report, member: CouncilMember, by: User, token: str | None = None, user: User | None = UNSET
) -> CouncilMember:
    """Add or update a council member; ``token`` (from member_token) guards an update."""
    report = _lock_report(report)
    require(by, "report.manage_council", report)
    if member.pk:
        stored = CouncilMember.objects.select_for_update().filter(pk=member.pk, report=report).first()
        if stored is None:
            raise ReportError(_("Thành viên này không còn trong danh sách; hãy tải lại trang."))
        if token is not None and member_token(stored) != token:
            raise ConflictError(_("Thông tin thành viên này vừa được người khác sửa; hãy xem lại."), current=stored)
    else:
        member.report = report
        member.position = (CouncilMember.objects.filter(report=report).aggregate(m=Max("position"))["m"] or 0) + 1
    if user is not UNSET:
        member.user = user
    _check_member_account(report, member.user)
    member.needs_review = False
    try:
        validation.full_clean(member)
    except ValidationError as exc:
        raise ReportError(_validation_message(exc))
    member.save()
    reset_report_roles(report)
    _touch(report)
    return member


@transaction.atomic
def council_member_delete(*, member: CouncilMember, by: User) -> None:
    report = _lock_report(member.report)
    require(by, "report.manage_council", report)
    WorkingGroup.objects.filter(report=report, leader=member).update(leader=None)
    member.delete()
    reset_report_roles(report)
    _touch(report)


@transaction.atomic
def council_member_account_create(
    *, member: CouncilMember, username: str, email: str, by: User, request: HttpRequest | None = None
) -> User:
    """Give a member who is school staff an account of the school and link it to the member."""
    report = _lock_report(member.report)
    require(by, "report.manage_council", report)
    if member.user_id:
        raise ReportError(_("Thành viên này đã có tài khoản."))
    account = User(username=username.strip(), email=(email or "").strip(), full_name=member.full_name,
                   position=member.title)
    membership = Membership(role=Membership.Role.SCHOOL_STAFF, school=report.school, title=member.title)
    try:
        account = account_create(by=by, user=account, membership=membership, request=request)
    except ValidationError as exc:
        raise ReportError(_validation_message(exc))
    member.user = account
    member.save(update_fields=["user"])
    reset_report_roles(report)
    _touch(report)
    return account


def group_token(group: WorkingGroup) -> str:
    return state_token([
        group.pk, group.name, group.leader_id,
        sorted(group.members.values_list("pk", flat=True)) if group.pk else [],
        sorted(group.criteria.values_list("pk", flat=True)) if group.pk else [],
    ])


@transaction.atomic
def working_group_save(
    *, report: Report, group: WorkingGroup, members: Iterable[CouncilMember], criteria: Iterable[Criterion],
    by: User, token: str | None = None,
) -> WorkingGroup:
    """Add or update a working group with its members and the criteria it writes."""
    report = _lock_report(report)
    require(by, "report.manage_council", report)
    members, criteria = list(members), list(criteria)
    if group.pk:
        stored = WorkingGroup.objects.select_for_update().filter(pk=group.pk, report=report).first()
        if stored is None:
            raise ReportError(_("Nhóm công tác này không còn tồn tại; hãy tải lại trang."))
        if token is not None and group_token(stored) != token:
            raise ConflictError(_("Nhóm công tác này vừa được người khác sửa; hãy xem lại."), current=stored)
    else:
        group.report = report
        group.position = (WorkingGroup.objects.filter(report=report).aggregate(m=Max("position"))["m"] or 0) + 1
    if any(m.report_id != report.pk for m in members) or (group.leader and group.leader.report_id != report.pk):
        raise ReportError(_("Thành viên được chọn không thuộc hội đồng của báo cáo này."))
    allowed = set(CriterionAssessment.objects.filter(report=report).values_list("criterion_id", flat=True))
    if any(c.pk not in allowed for c in criteria):
        raise ReportError(_("Tiêu chí được chọn không thuộc bộ tiêu chuẩn của báo cáo."))
    if group.leader and group.leader not in members:
        members.append(group.leader)
    try:
        validation.full_clean(group)
    except ValidationError as exc:
        raise ReportError(_validation_message(exc))
    group.save()
    group.members.set(members)
    group.criteria.set(criteria)
    reset_report_roles(report)
    _touch(report)
    return group


@transaction.atomic
def working_group_delete(*, group: WorkingGroup, by: User) -> None:
    report = _lock_report(group.report)
    require(by, "report.manage_council", report)
    group.delete()
    reset_report_roles(report)
    _touch(report)


def plan_token(report: Report) -> str:
    resources = PlanResource.objects.filter(report=report).order_by("criterion_id").values_list(
        "criterion_id", "resources", "needed_when"
    )
    steps = PlanStep.objects.filter(report=report).order_by("week", "position", "pk").values_list(
        "pk", "week", "activity", "responsible"
    )
    return state_token([*resources, "|", *steps])


@transaction.atomic
def plan_save(
    *, report: Report, resources: Mapping[int, tuple[str, str]], steps: list[Mapping[str, Any]], token: str, by: User
) -> None:
    """Save the plan's resources per criterion ({criterion id: (resources, when)}) and its timeline."""
    report = _lock_report(report)
    require(by, "report.manage_council", report)
    if plan_token(report) != token:
        raise ConflictError(_("Kế hoạch tự đánh giá vừa được người khác sửa; dữ liệu bạn nhập vẫn còn trên trang, hãy xem lại."))
    allowed = set(CriterionAssessment.objects.filter(report=report).values_list("criterion_id", flat=True))
    stored = {r.criterion_id: r for r in PlanResource.objects.filter(report=report)}
    for criterion_id, (text, when) in resources.items():
        if criterion_id not in allowed:
            raise ReportError(_("Tiêu chí không thuộc bộ tiêu chuẩn của báo cáo."))
        text, when = normalise_text(text), (when or "").strip()
        row = stored.get(criterion_id)
        if not text and not when:
            if row is not None:
                row.delete()
            continue
        row = row or PlanResource(report=report, criterion_id=criterion_id)
        row.resources, row.needed_when = text, when
        try:
            validation.full_clean(row, validate_constraints=False)
        except ValidationError as exc:
            raise ReportError(_validation_message(exc))
        row.save()
    PlanStep.objects.filter(report=report).delete()
    new_steps = []
    for position, step in enumerate(steps, start=1):
        step_row = PlanStep(report=report, position=position, week=step["week"],
                            activity=normalise_text(step["activity"]), responsible=(step.get("responsible") or "").strip())
        try:
            validation.full_clean(step_row)
        except ValidationError as exc:
            raise ReportError(_validation_message(exc))
        new_steps.append(step_row)
    PlanStep.objects.bulk_create(new_steps)
    _touch(report)


# --- Phần I ----------------------------------------------------------------------------------


@transaction.atomic
def data_table_save(
    *, report: Report, key: str, raw: Mapping[tuple[str, str], Any], base_revision: int, by: User
) -> DataTable:
    """Save the typed cells of one Phần I table (computed totals are never stored)."""
    report = _lock_report(report)
    require(by, "report.edit", report)
    spec = schooldata.table_for(report.school.level, key)
    table = DataTable.objects.select_for_update().filter(report=report, key=key).first()
    if spec is None or table is None:
        raise ReportError(_("Bảng số liệu không tồn tại."))
    try:
        values = schooldata.clean_values(spec, schooldata.school_years(report.school_year.code), raw)
    except schooldata.GridError as exc:
        raise ReportError(_("Ô %(cell)s: phải là số nguyên từ 0 đến %(max)s.") % {"cell": exc.cell, "max": schooldata.MAX_VALUE})
    if table.revision != base_revision and table.values != values:
        raise ConflictError(
            _("Bảng này vừa được %(who)s lưu; số liệu bạn nhập chưa được lưu, hãy so sánh rồi nhập lại.")
            % {"who": table.updated_by.display_name if table.updated_by else _("người khác")},
            current=table,
        )
    if table.values != values or table.needs_review:
        table.values = values
        table.revision += 1
        table.needs_review = False
        table.updated_by = by
        table.updated_at = timezone.now()
        table.save(update_fields=["values", "revision", "needs_review", "updated_by", "updated_at"])
        _touch(report)
    return table
