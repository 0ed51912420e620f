"""Writes of Biểu 2 (TT57/2026 improvement plan): the plan's content and its monitoring.

Content (sections II and VII, tables IV and V) follows the report: written only while the report
may be written in (rule ``plan57.edit``), and every change counts as a change of the report's
content (``Report.version``), since the plan is frozen with each submitted version. Monitoring
(table VI, each action's Mức độ thực hiện) goes on during the year (rule ``plan57.monitor``),
also after submission and acceptance, without touching the report's version.

Every row has a ``revision``: a save based on an older one is refused with ``ConflictError``
(nothing is written; the page keeps what the person typed). Every write leaves an audit event.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Model, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import event_record
from kiemdinh import validation
from kiemdinh.i18n import N_, Text
from kiemdinh.permissions import require
from schools.models import User
from standards.models import Standard

from . import plan57, tt57
from .models import (
    CriterionAssessment,
    ImprovementAction,
    IndicatorVerdict,
    Passage,
    Plan57,
    Plan57Action,
    Plan57Check,
    Plan57Issue,
    Report,
)
from .selectors import previous_report, standard_key
from .services import MAX_TEXT_LENGTH, ConflictError, ReportError, _lock_report, _touch, normalise_text

MAX_CELL_LENGTH = 5000
LEVEL_WORDS = {0: "Không đạt", 1: "Mức 1", 2: "Mức 2"}


# --- Helpers ------------------------------------------------------------------------------------


def _text(value: Any, *, limit: int = MAX_CELL_LENGTH) -> str:
    text = normalise_text(str(value or "")).strip()
    if len(text) > limit:
        raise ReportError(_("Nội dung quá dài (tối đa %(n)s ký tự).") % {"n": limit})
    return text


def _event(
    verb: str, *, plan: Plan57, by: User | None, summary: Text, target: Model | None = None,
    data: dict[str, Any] | None = None,
) -> None:
    event_record(
        actor=by, action=f"selfassessment.plan57.{verb}", target=target if target is not None else plan,
        school=plan.report.school, summary=summary, data={"report": plan.report_id, "plan": plan.pk, **(data or {})},
    )


def _lock_plan(plan: Plan57) -> Plan57:
    """Lock the report (the content follows it) then the plan; return the plan fresh with its report."""
    report = _lock_report(plan.report)
    locked = Plan57.objects.select_for_update().filter(pk=plan.pk).first()
    if locked is None:
        raise ReportError(_("Kế hoạch cải tiến này không còn tồn tại; hãy tải lại trang."))
    locked.report = report
    return locked


def _lock_plan_for_monitoring(plan: Plan57) -> Plan57:
    """Monitoring does not lock the report (a reviewer's transition may hold it): the plan row only."""
    locked = Plan57.objects.select_for_update().filter(pk=plan.pk).first()
    if locked is None:
        raise ReportError(_("Kế hoạch cải tiến này không còn tồn tại; hãy tải lại trang."))
    locked.report = Report.objects.select_related(
        "school__reviewing_unit__parent", "school_year", "regulation_version__regulation").get(pk=locked.report_id)
    return locked


def _conflict(what: str, row: Any) -> ConflictError:
    when = getattr(row, "updated_at", None) or getattr(row, "recorded_at", None)
    when_text = timezone.localtime(when).strftime("%H:%M %d/%m/%Y") if when else ""
    return ConflictError(
        _("%(what)s vừa được người khác lưu%(when)s sau khi bạn mở trang. Nội dung bạn nhập chưa được lưu và vẫn còn "
          "trên trang; hãy xem bản đang lưu rồi lưu lại.")
        % {"what": what, "when": (_(" lúc %(t)s") % {"t": when_text}) if when_text else ""},
        current=row,
    )


def _check_revision(row: Any, revision: int | None, what: str) -> None:
    if revision is None:
        return
    if revision > row.revision:
        raise ReportError(_("Phiên bản gửi lên không hợp lệ; hãy tải lại trang."))
    if revision != row.revision:
        raise _conflict(what, row)


def _clean(row: Model) -> None:
    try:
        validation.full_clean(row, exclude=["plan", "issue", "action", "standard", "recorded_by"])
    except ValidationError as exc:
        raise ReportError(" ".join(str(m) for m in exc.messages))


def _next_position(qs: QuerySet[Any]) -> int:
    return int(qs.aggregate(m=Max("position"))["m"] or 0) + 1


# --- The plan ------------------------------------------------------------------------------------


def _level_summary(report: Report) -> tuple[str, list[CriterionAssessment]]:
    assessments = list(
        CriterionAssessment.objects.filter(report=report).select_related("criterion__standard")
        .defer("criterion__source", "criterion__standard__source").order_by("position")
    )
    counts = {lv: sum(1 for a in assessments if a.level == lv) for lv in (0, 1, 2)}
    text = (
        f"Báo cáo tự đánh giá năm học {report.school_year.code} của {report.school.name}: "
        f"{len(assessments)} tiêu chí, trong đó {counts[2]} tiêu chí đạt Mức 2, {counts[1]} tiêu chí đạt Mức 1, "
        f"{counts[0]} tiêu chí không đạt."
    )
    if report.school_level is not None:
        text += f" Mức đánh giá của cơ sở giáo dục: {LEVEL_WORDS.get(report.school_level, report.school_level)}."
    return text, assessments


def _previous_review(report: Report) -> str:
    """II.2 from last year's plan: Biểu 2 if there was one, else the 2018 per-criterion plan."""
    previous = previous_report(report)
    if previous is None:
        return ""
    year = previous.school_year.code
    old_plan = Plan57.objects.filter(report=previous).first()
    if old_plan is not None:
        statuses = list(Plan57Action.objects.filter(plan=old_plan).values_list("status", flat=True))
        if statuses:
            done = statuses.count("done")
            going = statuses.count("in_progress")
            return (f"Kế hoạch cải tiến chất lượng năm học {year}: {len(statuses)} nội dung cải tiến, "
                    f"{done} nội dung hoàn thành, {going} nội dung đang thực hiện, "
                    f"{len(statuses) - done - going} nội dung chưa hoàn thành hoặc chưa đánh giá.")
    statuses = list(ImprovementAction.objects.filter(report=previous).values_list("status", flat=True))
    if statuses:
        done = statuses.count(ImprovementAction.Status.DONE)
        return (f"Kế hoạch cải tiến chất lượng năm học {year}: {len(statuses)} biện pháp, {done} biện pháp đã hoàn thành, "
                f"{len(statuses) - done} biện pháp chưa hoàn thành hoặc không thực hiện.")
    return ""


def proposed_issues(report: Report, assessments: list[CriterionAssessment] | None = None) -> list[dict[str, Any]]:
    """Table IV's first draft: per standard, its criteria below Mức 2, with the standard's
    "Điểm hạn chế trọng tâm" (Biểu 1) when written. Only standards with such criteria."""
    if assessments is None:
        assessments = _level_summary(report)[1]
    below: dict[int, list[CriterionAssessment]] = {}
    standards: dict[int, Standard] = {}
    # A criterion nobody has assessed yet (no Đạt / Không đạt) computes as Không đạt: not an issue.
    assessed = set(IndicatorVerdict.objects.filter(report=report, met__isnull=False)
                   .values_list("indicator__criterion_id", flat=True))
    for a in assessments:
        if a.level is not None and a.level < 2 and a.criterion_id in assessed:
            standards[a.criterion.standard_id] = a.criterion.standard
            below.setdefault(a.criterion.standard_id, []).append(a)
    if not below:
        return []
    keys = {standard_key(s.number, "weaknesses"): sid for sid, s in standards.items()}
    weaknesses = {keys[p.key]: p.text.strip() for p in Passage.objects.filter(report=report, key__in=keys) if p.text.strip()}
    rows = []
    for sid, items in below.items():
        numbers = ", ".join(a.criterion.number for a in items)
        state = "; ".join(f"Tiêu chí {a.criterion.number}: {LEVEL_WORDS[a.level or 0]}" for a in items)
        rows.append({
            "standard": standards[sid], "criteria": numbers, "current_state": state,
            "weakness": weaknesses.get(sid) or f"Các tiêu chí {numbers} chưa đạt Mức 2.", "cause": "",
        })
    return rows


ORG_DEFAULTS = {
    "org_head": "Chỉ đạo chung việc thực hiện kế hoạch; phân công nhiệm vụ, bố trí nguồn lực; chịu trách nhiệm về "
                "kết quả cải tiến chất lượng.",
    "org_council": "Theo dõi, đánh giá việc thực hiện kế hoạch cải tiến (khoản 3 Điều 10); tổng hợp kết quả cuối "
                   "học kỳ I và cuối năm học; đề xuất điều chỉnh.",
    "org_groups": "Triển khai các hoạt động được phân công; lưu trữ thông tin, minh chứng; báo cáo tiến độ cho "
                  "Hội đồng tự đánh giá.",
}


@transaction.atomic
def plan_create(*, report: Report, by: User | None) -> Plan57:
    """Start the report's Biểu 2, pre-filled: II.1 from the report's levels, II.2 from last year's plan,
    VII with the usual duties, table IV with the standards whose criteria are below Mức 2.

    Starting it twice returns the plan already there.
    """
    report = _lock_report(report)
    require(by, "plan57.edit", report)
    if not tt57.is_tt57(report):
        raise ReportError(_("Biểu 2 (kế hoạch cải tiến theo Thông tư 57/2026) chỉ dùng cho báo cáo theo Thông tư 57."))
    existing = Plan57.objects.filter(report=report).first()
    if existing is not None:
        existing.report = report
        return existing
    basis, assessments = _level_summary(report)
    plan = Plan57.objects.create(
        report=report, basis_report=basis, basis_review=_previous_review(report),
        basis_school_plan=f"Kế hoạch giáo dục năm học {report.school_year.code} của {report.school.name}.",
        created_by=by, updated_by=by, **ORG_DEFAULTS,
    )
    plan.report = report
    for position, row in enumerate(proposed_issues(report, assessments), start=1):
        Plan57Issue.objects.create(plan=plan, position=position, **row)
    _touch(report)
    _event("create", plan=plan, by=by, summary=Text(N_("Lập Biểu 2 – Kế hoạch cải tiến chất lượng năm học %(year)s"),
                                                     {"year": report.school_year.code}))
    return plan


@transaction.atomic
def plan_sections_save(*, plan: Plan57, values: Mapping[str, Any], revision: int | None, by: User) -> Plan57:
    """Save sections II and VII (the fields in ``values``; the others are kept)."""
    plan = _lock_plan(plan)
    require(by, "plan57.edit", plan.report)
    _check_revision(plan, revision, _("Phần căn cứ và tổ chức thực hiện"))
    changed = {}
    for name in plan57.SECTION_FIELDS:
        if name in values:
            text = _text(values[name], limit=MAX_TEXT_LENGTH)
            if text != getattr(plan, name):
                changed[name] = text
                setattr(plan, name, text)
    if not changed:
        return plan
    plan.revision += 1
    plan.updated_by = by
    plan.save(update_fields=[*changed, "revision", "updated_by", "updated_at"])
    _touch(plan.report)
    _event("sections", plan=plan, by=by, summary=Text(N_("Sửa phần căn cứ, tổ chức thực hiện của Biểu 2")),
           data={"fields": sorted(changed)})
    return plan


# A row of table IV, V or VI.
_Row = TypeVar("_Row", Plan57Issue, Plan57Action, Plan57Check)


# What a change of a row deleted meanwhile (by someone else) is told, per table.
_GONE = {
    Plan57Issue: "Vấn đề này không còn trong kế hoạch; hãy tải lại trang.",
    Plan57Action: "Nội dung cải tiến này không còn trong kế hoạch; hãy tải lại trang.",
    Plan57Check: "Dòng theo dõi này không còn trong kế hoạch; hãy tải lại trang.",
}


def _locked_row(model: type[_Row], plan: Plan57, pk: int) -> _Row:
    """The plan's row of ``model`` (table IV, V or VI) locked for the change; a ReportError when it is gone."""
    row = model._default_manager.select_for_update().filter(plan=plan, pk=pk).first()
    if row is None:
        raise ReportError(_(_GONE[model]))
    return row


def _content_row(model: type[_Row], plan: Plan57, row: _Row | None, revision: int | None, by: User,
                 what: str) -> tuple[Plan57, _Row]:
    """The locked plan (``plan57.edit``) and the row of table IV or V to save: a new one at the end,
    or the locked row at the revision the page showed (``what`` names it in a refusal)."""
    plan = _lock_plan(plan)
    require(by, "plan57.edit", plan.report)
    if row is None:
        return plan, model(plan=plan, position=_next_position(model.objects.filter(plan=plan)))
    locked = _locked_row(model, plan, row.pk)
    _check_revision(locked, revision, what)
    return plan, locked


# --- Table IV: issues ------------------------------------------------------------------------


@transaction.atomic
def issue_save(*, plan: Plan57, values: Mapping[str, Any], by: User, issue: Plan57Issue | None = None,
               revision: int | None = None) -> Plan57Issue:
    """Add a row to table IV (``issue`` None) or change one (its ``revision`` as the page showed it)."""
    plan, row = _content_row(Plan57Issue, plan, issue, revision, by, _("Vấn đề này"))
    standard = values.get("standard")
    if standard is not None and standard.version_id != plan.report.regulation_version_id:
        raise ReportError(_("Tiêu chuẩn không thuộc bộ tiêu chuẩn của báo cáo."))
    row.standard = standard
    for name in plan57.ISSUE_FIELDS:
        setattr(row, name, _text(values.get(name), limit=200 if name == "criteria" else MAX_CELL_LENGTH))
    if not row.weakness:
        raise ReportError(_("Cần ghi điểm hạn chế của vấn đề."))
    _clean(row)
    row.revision += 1
    row.save()
    _touch(plan.report)
    _event("issue_add" if issue is None else "issue_edit", plan=plan, by=by, target=row,
           summary=Text(N_("Biểu 2: thêm vấn đề “%(name)s”") if issue is None else N_("Biểu 2: sửa vấn đề “%(name)s”"),
                        {"name": row.weakness[:80]}))
    return row


def _row_delete(model: type[_Row], row: _Row, revision: int | None, by: User, *, what: str, verb: str,
                record: Callable[[_Row], tuple[Text, dict[str, Any]]], monitoring: bool = False) -> None:
    """Remove a row of table IV or V (``plan57.edit``) or VI (``monitoring``: ``plan57.monitor``)
    at the revision the person saw; ``record``: the audit summary and data of the locked row."""
    plan = _lock_plan_for_monitoring(row.plan) if monitoring else _lock_plan(row.plan)
    require(by, "plan57.monitor" if monitoring else "plan57.edit", plan.report)
    locked = _locked_row(model, plan, row.pk)
    _check_revision(locked, revision, what)
    summary, data = record(locked)
    _event(verb, plan=plan, by=by, summary=summary, data=data)
    locked.delete()
    if not monitoring:  # monitoring leaves the report as it is
        _touch(plan.report)


@transaction.atomic
def issue_delete(*, issue: Plan57Issue, revision: int | None, by: User) -> None:
    """Remove a row of table IV; the actions that pointed to it stay, without an issue."""
    _row_delete(Plan57Issue, issue, revision, by, what=_("Vấn đề này"), verb="issue_delete", record=lambda row: (
        Text(N_("Biểu 2: xóa vấn đề “%(name)s”"), {"name": row.weakness[:80]}),
        {"issue": row.pk, "weakness": row.weakness}))


def _move(rows: list[_Row], row_id: int, step: int) -> list[_Row]:
    index = next(i for i, r in enumerate(rows) if r.pk == row_id)
    target = index + step
    if 0 <= target < len(rows):
        rows[index], rows[target] = rows[target], rows[index]
    return rows


def _row_move(model: type[_Row], row: _Row, step: int, by: User, *, gone: str, verb: str, summary: str) -> None:
    """Move a row of table IV or V up (step -1) or down (+1) among the plan's rows of its table; the
    numbering follows. ``gone``: the refusal when the row is no longer in the plan."""
    plan = _lock_plan(row.plan)
    require(by, "plan57.edit", plan.report)
    rows = list(model.objects.select_for_update().filter(plan=plan).order_by("position", "pk"))
    if not any(r.pk == row.pk for r in rows):
        raise ReportError(gone)
    _renumber(_move(rows, row.pk, step))
    _touch(plan.report)
    _event(verb, plan=plan, by=by, summary=Text(summary))


@transaction.atomic
def issue_move(*, issue: Plan57Issue, step: int, by: User) -> None:
    """Move a row of table IV up (step -1) or down (+1); the numbering follows."""
    _row_move(Plan57Issue, issue, step, by, gone=_("Vấn đề này không còn trong kế hoạch; hãy tải lại trang."),
              verb="issue_move", summary=N_("Biểu 2: sắp xếp lại các vấn đề trọng tâm"))


def _renumber(rows: list[Any]) -> None:
    for position, row in enumerate(rows, start=1):
        if row.position != position:
            row.position = position
            type(row).objects.filter(pk=row.pk).update(position=position)


# --- Table V: actions -----------------------------------------------------------------------


@transaction.atomic
def action_save(*, plan: Plan57, values: Mapping[str, Any], by: User, action: Plan57Action | None = None,
                revision: int | None = None) -> Plan57Action:
    """Add a row to table V (``action`` None) or change one. ``values``: the text fields, ``issue``
    (a Plan57Issue of the plan or None), ``start_on`` / ``end_on`` (dates or None)."""
    plan, row = _content_row(Plan57Action, plan, action, revision, by, _("Nội dung cải tiến này"))
    issue = values.get("issue")
    if issue is not None and issue.plan_id != plan.pk:
        raise ReportError(_("Vấn đề được chọn không thuộc kế hoạch này."))
    row.issue = issue
    for name in plan57.ACTION_FIELDS:
        limit = 255 if name in ("responsible", "coordination") else MAX_CELL_LENGTH
        setattr(row, name, _text(values.get(name), limit=limit))
    if not row.content:
        raise ReportError(_("Cần ghi nội dung cải tiến."))
    row.start_on, row.end_on = values.get("start_on"), values.get("end_on")
    if row.start_on and row.end_on and row.end_on < row.start_on:
        raise ReportError(_("Ngày kết thúc phải sau ngày bắt đầu."))
    _clean(row)
    row.revision += 1
    row.save()
    _touch(plan.report)
    _event("action_add" if action is None else "action_edit", plan=plan, by=by, target=row,
           summary=Text(N_("Biểu 2: thêm nội dung cải tiến “%(name)s”") if action is None
                        else N_("Biểu 2: sửa nội dung cải tiến “%(name)s”"), {"name": row.content[:80]}))
    return row


@transaction.atomic
def action_delete(*, action: Plan57Action, revision: int | None, by: User) -> None:
    """Remove a row of table V."""
    _row_delete(Plan57Action, action, revision, by, what=_("Nội dung cải tiến này"), verb="action_delete",
                record=lambda row: (Text(N_("Biểu 2: xóa nội dung cải tiến “%(name)s”"), {"name": row.content[:80]}),
                                    {"action": row.pk, "content": row.content}))


@transaction.atomic
def action_move(*, action: Plan57Action, step: int, by: User) -> None:
    """Move a row of table V up (step -1) or down (+1); the numbering follows."""
    _row_move(Plan57Action, action, step, by,
              gone=_("Nội dung cải tiến này không còn trong kế hoạch; hãy tải lại trang."),
              verb="action_move", summary=N_("Biểu 2: sắp xếp lại các nội dung cải tiến"))


# --- Monitoring: Mức độ thực hiện, table VI -------------------------------------------------


@transaction.atomic
def action_status_set(*, action: Plan57Action, status: str, revision: int | None, by: User) -> Plan57Action:
    """Record an action's Mức độ thực hiện (column 10), during the year, whatever the report's status."""
    plan = _lock_plan_for_monitoring(action.plan)
    require(by, "plan57.monitor", plan.report)
    row = _locked_row(Plan57Action, plan, action.pk)
    if status not in Plan57Action.Status.values:
        raise ReportError(_("Mức độ thực hiện không hợp lệ."))
    _check_revision(row, revision, _("Nội dung cải tiến này"))
    if row.status == status:
        return row
    previous = row.status
    row.status = status
    row.status_updated_at = timezone.now()
    row.revision += 1
    row.save(update_fields=["status", "status_updated_at", "revision", "updated_at"])
    event_record(
        actor=by, action="selfassessment.plan57.action_status", target=row, school=plan.report.school,
        from_state=previous, to_state=status,
        summary=Text(N_("Biểu 2: mức độ thực hiện của “%(name)s”: %(status)s"),
                     {"name": row.content[:80], "status": Plan57Action.Status(status).label}),
        data={"report": plan.report_id, "plan": plan.pk},
    )
    return row


@transaction.atomic
def check_save(*, plan: Plan57, values: Mapping[str, Any], by: User, check: Plan57Check | None = None,
               point: str | None = None, revision: int | None = None, now: datetime.datetime | None = None) -> Plan57Check:
    """Add a row of table VI at ``point`` (``check`` None) or change one. ``values``: the text fields and
    ``action`` (a Plan57Action of the plan or None). A row with a result counts as the point's record."""
    plan = _lock_plan_for_monitoring(plan)
    require(by, "plan57.monitor", plan.report)
    if check is None:
        if point not in plan57.MONITORING_POINTS:
            raise ReportError(_("Thời điểm theo dõi không hợp lệ."))
        row = Plan57Check(plan=plan, point=point,
                          position=_next_position(Plan57Check.objects.filter(plan=plan, point=point)))
    else:
        row = _locked_row(Plan57Check, plan, check.pk)
        _check_revision(row, revision, _("Dòng theo dõi này"))
    action = values.get("action")
    if action is not None and action.plan_id != plan.pk:
        raise ReportError(_("Nội dung cải tiến được chọn không thuộc kế hoạch này."))
    row.action = action
    for name in plan57.CHECK_FIELDS:
        setattr(row, name, _text(values.get(name), limit=150 if name == "assessor" else MAX_CELL_LENGTH))
    if not (row.content or row.result):
        raise ReportError(_("Cần ghi nội dung theo dõi hoặc kết quả thực hiện."))
    row.recorded_at = now or timezone.now()
    row.recorded_by = by
    _clean(row)
    row.revision += 1
    row.save()
    _event("check_add" if check is None else "check_edit", plan=plan, by=by, target=row,
           summary=Text(N_("Biểu 2: ghi kết quả theo dõi %(point)s"), {"point": Plan57Check.Point(row.point).label}),
           data={"point": row.point})
    return row


@transaction.atomic
def check_delete(*, check: Plan57Check, revision: int | None, by: User) -> None:
    """Remove a row of table VI, during the year."""
    _row_delete(Plan57Check, check, revision, by, what=_("Dòng theo dõi này"), verb="check_delete", monitoring=True,
                record=lambda row: (
                    Text(N_("Biểu 2: xóa một dòng theo dõi %(point)s"), {"point": Plan57Check.Point(row.point).label}),
                    {"point": row.point, "content": row.content, "result": row.result}))
