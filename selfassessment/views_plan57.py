"""Biểu 2 of a TT57 report (Kế hoạch cải tiến chất lượng): one page, plain forms with revisions.

The content (II, IV, V, VII) is written while the report may be (``plan57.edit``); the monitoring
(VI and each action's Mức độ thực hiện) during the year (``plan57.monitor``). A refused save
shows the page again with what the person typed and the reason (400, or 409 on a conflict).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from kiemdinh.permissions import can, require
from standards.models import Standard

from . import plan57
from . import services_plan57 as svc
from .forms_plan57 import (
    Plan57ActionForm,
    Plan57CheckForm,
    Plan57DeleteForm,
    Plan57IssueForm,
    Plan57MoveForm,
    Plan57PointForm,
    Plan57SectionsForm,
    Plan57StatusForm,
)
from .models import CriterionAssessment, Plan57, Plan57Action, Plan57Check, Plan57Issue, Report
from .services import ConflictError, ReportError
from .views_tt57 import _context, _tt57_report


@dataclass
class Row:
    obj: Any
    number: int
    form: Any = None
    open: bool = False
    overdue: bool = False
    status_form: Any = None
    extra: dict = field(default_factory=dict)


REMIND_DAYS = 14


def _plan(report: Report) -> Plan57:
    plan = plan57.plan_for_report(report)
    if plan is None:
        raise Http404
    return plan


def _first_error(form) -> str:
    for errors in form.errors.values():
        for error in errors:
            return str(error)
    return _("Dữ liệu gửi lên không hợp lệ; hãy tải lại trang.")


def _url(report: Report, anchor: str = "") -> str:
    return reverse("selfassessment:plan57", kwargs={"pk": report.pk}) + (f"#{anchor}" if anchor else "")


def _page(request, report: Report, plan: Plan57 | None, *, bound: dict | None = None, status: int = 200):
    """The page; ``bound`` maps (kind, pk or point) to a bound form shown open, with its input."""
    bound = bound or {}
    user = request.user
    can_edit = can(user, "plan57.edit", report)
    can_monitor = can(user, "plan57.monitor", report)
    context: dict[str, Any] = {"plan": plan, "can_edit_plan": can_edit, "can_monitor": can_monitor,
                               "can_create": plan is None and can_edit}
    if plan is None:
        return render(request, "selfassessment/plan57.html", _context(request, report, section="plan57", **context),
                      status=status)
    today = timezone.localdate()
    issues, actions, checks = plan57.plan_rows(plan)
    standards = list(Standard.objects.filter(version=report.regulation_version_id, is_repealed=False)
                     .only("pk", "number").order_by("position"))
    standard_choices = [(s.pk, _("Tiêu chuẩn %(n)s") % {"n": s.number}) for s in standards]
    issue_number = {i.pk: n for n, i in enumerate(issues, start=1)}
    issue_choices = [(i.pk, f"{n}. {i.weakness[:70]}") for n, i in enumerate(issues, start=1)]
    action_number = {a.pk: n for n, a in enumerate(actions, start=1)}
    action_choices = [(a.pk, f"{n}. {a.content[:70]}") for n, a in enumerate(actions, start=1)]

    sections_form = bound.get(("sections", None)) or Plan57SectionsForm(
        initial={"revision": plan.revision, **{f: getattr(plan, f) for f in plan57.SECTION_FIELDS}})
    issue_rows = []
    for n, issue in enumerate(issues, start=1):
        form = bound.get(("issue", issue.pk))
        if form is None and can_edit:
            form = Plan57IssueForm(standards=standard_choices, prefix=f"i{issue.pk}", initial={
                "revision": issue.revision, "standard": issue.standard_id,
                **{f: getattr(issue, f) for f in plan57.ISSUE_FIELDS}})
        issue_rows.append(Row(issue, n, form, open=("issue", issue.pk) in bound))
    action_rows = []
    for n, action in enumerate(actions, start=1):
        form = bound.get(("action", action.pk))
        if form is None and can_edit:
            form = Plan57ActionForm(issues=issue_choices, prefix=f"a{action.pk}", initial={
                "revision": action.revision, "issue": action.issue_id, "start_on": action.start_on,
                "end_on": action.end_on, **{f: getattr(action, f) for f in plan57.ACTION_FIELDS}})
        status_form = bound.get(("status", action.pk))
        if status_form is None and can_monitor:
            status_form = Plan57StatusForm(prefix=f"s{action.pk}",
                                           initial={"revision": action.revision, "status": action.status})
        action_rows.append(Row(action, n, form, open=("action", action.pk) in bound, overdue=action.is_overdue(today),
                               status_form=status_form, extra={"issue_number": issue_number.get(action.issue_id)}))
    points = []
    for point in plan57.MONITORING_POINTS:
        rows = []
        for check in (c for c in checks if c.point == point):
            form = bound.get(("check", check.pk))
            if form is None and can_monitor:
                form = Plan57CheckForm(actions=action_choices, prefix=f"c{check.pk}", initial={
                    "revision": check.revision, "action": check.action_id,
                    **{f: getattr(check, f) for f in plan57.CHECK_FIELDS}})
            rows.append(Row(check, len(rows) + 1, form, open=("check", check.pk) in bound,
                            extra={"action_number": action_number.get(check.action_id)}))
        new_form = bound.get(("new_check", point))
        if new_form is None and can_monitor:
            new_form = Plan57CheckForm(actions=action_choices, prefix=f"n{point}", initial={"revision": 0})
        points.append({"point": point, "label": _(plan57.POINT_LABELS[point]), "rows": rows, "new_form": new_form,
                       "new_open": ("new_check", point) in bound,
                       "recorded": any(r.obj.result for r in rows)})
    for p, due in zip(points, plan57.monitoring_dates(report), strict=True):
        p["due"] = due
        p["days_left"] = (due - today).days if due else None
        # A reminder from two weeks before the point until it is recorded (late: after the date).
        p["remind"] = bool(due and not p["recorded"] and p["days_left"] <= REMIND_DAYS)
    criteria_count = CriterionAssessment.objects.filter(report=report).count()
    new_issue = bound.get(("new_issue", None)) or (
        Plan57IssueForm(standards=standard_choices, prefix="ni", initial={"revision": 0}) if can_edit else None)
    new_action = bound.get(("new_action", None)) or (
        Plan57ActionForm(issues=issue_choices, prefix="na", initial={"revision": 0}) if can_edit else None)
    context.update({
        "today": today,
        "sections_form": sections_form,
        "sections_open": ("sections", None) in bound,
        # The page speaks the reader's language; the printed Biểu 2 keeps the form's own words.
        "basis": [(_(label).format(year=report.school_year.code), getattr(plan, f)) for f, label in plan57.SECTION_II_LABELS],
        "organisation": [(_(label), getattr(plan, f)) for f, label in plan57.SECTION_VII_LABELS],
        "info": [(_(label), value) for (key, label), value in
                 zip(plan57.SECTION_I_LABELS, [plan57.report_info(report)[k] for k, _l in plan57.SECTION_I_LABELS],
                     strict=True)],
        "purpose": plan57.SECTION_III_PURPOSE,
        "requirements": plan57.SECTION_III_REQUIREMENTS,
        "mechanism": plan57.SECTION_VIII_TEXT,
        "table_iv_note": plan57.TABLE_IV_NOTE,
        "issue_rows": issue_rows,
        "action_rows": action_rows,
        "points": points,
        "new_issue": new_issue,
        "new_issue_open": ("new_issue", None) in bound,
        "new_action": new_action,
        "new_action_open": ("new_action", None) in bound,
        "criteria_count": criteria_count,
        "per_criterion": plan57.looks_per_criterion(criteria_count=criteria_count, issues=issues, actions=actions),
        "priority_rule": plan57.PRIORITY_RULE,
        "overdue_count": sum(1 for r in action_rows if r.overdue),
        "missing_points": [p["label"] for p in points if not p["recorded"]],
    })
    return render(request, "selfassessment/plan57.html", _context(request, report, section="plan57", **context),
                  status=status)


def _refused(request, report, plan, key, form, exc: ReportError):
    messages.error(request, exc.message)
    return _page(request, report, plan, bound={key: form}, status=409 if isinstance(exc, ConflictError) else 400)


def _invalid(request, report, plan, key, form):
    messages.error(request, _first_error(form))
    return _page(request, report, plan, bound={key: form}, status=400)


@login_required
@require_GET
def plan57_page(request, pk: int):
    """Biểu 2: sections I-VIII, tables IV-VI; editable as the report, monitoring during the year."""
    report = _tt57_report(request, pk)
    require(request.user, "plan57.view", report)
    return _page(request, report, plan57.plan_for_report(report))


@login_required
@require_POST
def plan57_create(request, pk: int):
    report = _tt57_report(request, pk)
    require(request.user, "plan57.edit", report)
    try:
        svc.plan_create(report=report, by=request.user)
    except ReportError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Đã lập Biểu 2 – Kế hoạch cải tiến chất lượng; các vấn đề được đề xuất từ các tiêu chí "
                                    "chưa đạt Mức 2, hãy chọn lọc các vấn đề ưu tiên."))
    return redirect(_url(report))


@login_required
@require_POST
def plan57_sections(request, pk: int):
    report = _tt57_report(request, pk)
    plan = _plan(report)
    require(request.user, "plan57.edit", report)
    form = Plan57SectionsForm(request.POST)
    if not form.is_valid():
        return _invalid(request, report, plan, ("sections", None), form)
    data = form.cleaned_data
    try:
        svc.plan_sections_save(plan=plan, values={f: data[f] for f in plan57.SECTION_FIELDS},
                               revision=data["revision"], by=request.user)
    except ReportError as exc:
        return _refused(request, report, plan, ("sections", None), form, exc)
    messages.success(request, _("Đã lưu phần căn cứ và tổ chức thực hiện."))
    return redirect(_url(report, "sections"))


def _standards(report):
    return [(s.pk, _("Tiêu chuẩn %(n)s") % {"n": s.number}) for s in
            Standard.objects.filter(version=report.regulation_version_id, is_repealed=False).order_by("position")]


def _issue_choices(plan):
    return [(i.pk, i.weakness[:70]) for i in Plan57Issue.objects.filter(plan=plan)]


def _action_choices(plan):
    return [(a.pk, a.content[:70]) for a in Plan57Action.objects.filter(plan=plan)]


def _issue_form(data, report, plan, prefix: str) -> Plan57IssueForm:
    return Plan57IssueForm(data, standards=_standards(report), prefix=prefix)


def _issue_store(plan, issue, data, by) -> None:
    standard = Standard.objects.filter(pk=data["standard"]).first() if data["standard"] else None
    svc.issue_save(plan=plan, issue=issue, revision=data["revision"], by=by,
                   values={"standard": standard, **{f: data[f] for f in plan57.ISSUE_FIELDS}})


def _action_form(data, report, plan, prefix: str) -> Plan57ActionForm:
    return Plan57ActionForm(data, issues=_issue_choices(plan), prefix=prefix)


def _action_store(plan, action, data, by) -> None:
    issue = Plan57Issue.objects.filter(plan=plan, pk=data["issue"]).first() if data["issue"] else None
    svc.action_save(plan=plan, action=action, revision=data["revision"], by=by, values={
        "issue": issue, "start_on": data["start_on"], "end_on": data["end_on"],
        **{f: data[f] for f in plan57.ACTION_FIELDS}})


@dataclass(frozen=True)
class _ContentTable:
    """Table IV (issues) or V (actions) as its save view handles a row: the row's model, its form
    (prefix: the letter, then the row's id, or ``n`` and the letter for a new row), how the row is
    stored, the page's anchor and the messages."""

    model: type[Plan57Issue] | type[Plan57Action]
    letter: str
    form: Callable[..., Any]
    store: Callable[..., None]
    anchor: str
    gone: Any
    saved: Any


_CONTENT_TABLES = {
    "issue": _ContentTable(Plan57Issue, "i", _issue_form, _issue_store, "issues",
                           gettext_lazy("Vấn đề này không còn trong kế hoạch; hãy tải lại trang."),
                           gettext_lazy("Đã lưu vấn đề trọng tâm.")),
    "action": _ContentTable(Plan57Action, "a", _action_form, _action_store, "actions",
                            gettext_lazy("Nội dung cải tiến này không còn trong kế hoạch; hãy tải lại trang."),
                            gettext_lazy("Đã lưu nội dung cải tiến.")),
}


def _content_row_save(request, pk: int, kind: str, row_pk: int | None):
    """A new row of table IV or V (``row_pk`` None), or a change of one."""
    table = _CONTENT_TABLES[kind]
    report = _tt57_report(request, pk)
    plan = _plan(report)
    require(request.user, "plan57.edit", report)
    row = None
    if row_pk is not None:
        row = table.model.objects.filter(plan=plan, pk=row_pk).first()
        if row is None:
            messages.error(request, str(table.gone))
            return redirect(_url(report, table.anchor))
    key = (kind, row.pk) if row else (f"new_{kind}", None)
    form = table.form(request.POST, report, plan, prefix=f"{table.letter}{row.pk}" if row else f"n{table.letter}")
    if not form.is_valid():
        return _invalid(request, report, plan, key, form)
    try:
        table.store(plan, row, form.cleaned_data, request.user)
    except ReportError as exc:
        return _refused(request, report, plan, key, form, exc)
    messages.success(request, str(table.saved))
    return redirect(_url(report, table.anchor))


@login_required
@require_POST
def plan57_issue_save(request, pk: int, issue_pk: int | None = None):
    return _content_row_save(request, pk, "issue", issue_pk)


@login_required
@require_POST
def plan57_action_save(request, pk: int, action_pk: int | None = None):
    return _content_row_save(request, pk, "action", action_pk)


_ROWS = {"issue": Plan57Issue, "action": Plan57Action, "check": Plan57Check}


def _row(plan, kind: str, row_pk: int):
    return _ROWS[kind].objects.filter(plan=plan, pk=row_pk).first()


@login_required
@require_POST
def plan57_row_delete(request, pk: int, kind: str, row_pk: int):
    """Remove a row of table IV, V (content: plan57.edit) or VI (monitoring: plan57.monitor)."""
    if kind not in _ROWS:
        raise Http404
    report = _tt57_report(request, pk)
    plan = _plan(report)
    require(request.user, "plan57.monitor" if kind == "check" else "plan57.edit", report)
    anchor = {"issue": "issues", "action": "actions", "check": "monitoring"}[kind]
    row = _row(plan, kind, row_pk)
    form = Plan57DeleteForm(request.POST)
    if row is None or not form.is_valid():
        messages.error(request, _("Dòng này không còn trong kế hoạch hoặc dữ liệu gửi lên không hợp lệ; hãy tải lại trang."))
        return redirect(_url(report, anchor))
    delete = {"issue": lambda: svc.issue_delete(issue=row, revision=form.cleaned_data["revision"], by=request.user),
              "action": lambda: svc.action_delete(action=row, revision=form.cleaned_data["revision"], by=request.user),
              "check": lambda: svc.check_delete(check=row, revision=form.cleaned_data["revision"], by=request.user)}
    try:
        delete[kind]()
    except ReportError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Đã xóa dòng."))
    return redirect(_url(report, anchor))


@login_required
@require_POST
def plan57_row_move(request, pk: int, kind: str, row_pk: int):
    """Move a row of table IV or V up or down."""
    if kind not in ("issue", "action"):
        raise Http404
    report = _tt57_report(request, pk)
    plan = _plan(report)
    require(request.user, "plan57.edit", report)
    row = _row(plan, kind, row_pk)
    form = Plan57MoveForm(request.POST)
    anchor = "issues" if kind == "issue" else "actions"
    if row is None or not form.is_valid():
        messages.error(request, _("Dòng này không còn trong kế hoạch hoặc dữ liệu gửi lên không hợp lệ; hãy tải lại trang."))
        return redirect(_url(report, anchor))
    try:
        if kind == "issue":
            svc.issue_move(issue=row, step=form.cleaned_data["step"], by=request.user)
        else:
            svc.action_move(action=row, step=form.cleaned_data["step"], by=request.user)
    except ReportError as exc:
        messages.error(request, exc.message)
    return redirect(_url(report, anchor))


@login_required
@require_POST
def plan57_action_status(request, pk: int, action_pk: int):
    """Mức độ thực hiện of one action: monitoring, also after submission."""
    report = _tt57_report(request, pk)
    plan = _plan(report)
    require(request.user, "plan57.monitor", report)
    action = Plan57Action.objects.filter(plan=plan, pk=action_pk).first()
    if action is None:
        messages.error(request, _("Nội dung cải tiến này không còn trong kế hoạch; hãy tải lại trang."))
        return redirect(_url(report, "actions"))
    form = Plan57StatusForm(request.POST, prefix=f"s{action.pk}")
    if not form.is_valid():
        return _invalid(request, report, plan, ("status", action.pk), form)
    try:
        svc.action_status_set(action=action, status=form.cleaned_data["status"], revision=form.cleaned_data["revision"],
                              by=request.user)
    except ReportError as exc:
        return _refused(request, report, plan, ("status", action.pk), form, exc)
    messages.success(request, _("Đã lưu mức độ thực hiện."))
    return redirect(_url(report, f"action-{action.pk}"))


@login_required
@require_POST
def plan57_check_save(request, pk: int, check_pk: int | None = None):
    """A row of table VI: a new one at a point (``point`` posted), or a change of one."""
    report = _tt57_report(request, pk)
    plan = _plan(report)
    require(request.user, "plan57.monitor", report)
    check, point = None, None
    if check_pk is not None:
        check = Plan57Check.objects.filter(plan=plan, pk=check_pk).first()
        if check is None:
            messages.error(request, _("Dòng theo dõi này không còn trong kế hoạch; hãy tải lại trang."))
            return redirect(_url(report, "monitoring"))
        key, prefix = ("check", check.pk), f"c{check.pk}"
    else:
        point_form = Plan57PointForm(request.POST)
        if not point_form.is_valid():
            messages.error(request, _first_error(point_form))
            return redirect(_url(report, "monitoring"))
        point = point_form.cleaned_data["point"]
        key, prefix = ("new_check", point), f"n{point}"
    form = Plan57CheckForm(request.POST, actions=_action_choices(plan), prefix=prefix)
    if not form.is_valid():
        return _invalid(request, report, plan, key, form)
    data = form.cleaned_data
    action = Plan57Action.objects.filter(plan=plan, pk=data["action"]).first() if data["action"] else None
    try:
        svc.check_save(plan=plan, check=check, point=point, revision=data["revision"] if check else None,
                       by=request.user, values={"action": action, **{f: data[f] for f in plan57.CHECK_FIELDS}})
    except ReportError as exc:
        return _refused(request, report, plan, key, form, exc)
    messages.success(request, _("Đã lưu kết quả theo dõi."))
    return redirect(_url(report, "monitoring"))
