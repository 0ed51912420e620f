"""Pages of the improvement-plan tracking: the school's plan, one action, the district roll-up.

Scoped lookup first (another school's plan or action is a 404), then the rule (403 with its
reason), then the form and the service. The district and the Sở read the same pages without forms.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from kiemdinh.params import int_or_none
from kiemdinh.permissions import can, check, require
from kiemdinh.workflow import actions_for
from schools.models import School
from schools.selectors import schools_visible_to

from ..models import ImprovementAction
from ..services import ConflictError, ReportError
from . import flags, forms, selectors, services

Status = ImprovementAction.Status

# The style of each status change's button (its words are the transition's label).
TRANSITION_BUTTONS = {
    services.START: ("btn-outline-primary", "play-circle"),
    services.FINISH: ("btn-success", "check2-circle"),
    services.DROP: ("btn-outline-danger", "x-circle"),
    services.RESET: ("btn-outline-secondary", "arrow-counterclockwise"),
}
# A finished action is reopened (not started) with the "back" arrow.
REOPEN_ICON = "arrow-counterclockwise"


def _action(request, action_pk: int) -> ImprovementAction:
    action = selectors.action_for_page(request.user, action_pk)
    if action is None:
        raise Http404
    require(request.user, "improvement.view", action.report)
    return action


def _plan_url(action: ImprovementAction) -> str:
    return reverse("selfassessment:improvement_plan", args=[action.report.school_id]) + f"?report={action.report_id}"


@login_required
@require_GET
def improvement_plan(request, school_pk: int):
    """Kế hoạch cải tiến chất lượng of a school: the actions of its current report (or of the one chosen)."""
    school = get_object_or_404(schools_visible_to(request.user), pk=school_pk)
    require(request.user, "school.view", school)
    reports = selectors.plan_reports(request.user, school)
    report_id = int_or_none(request.GET.get("report"))
    report = next((r for r in reports if r.pk == report_id), reports[0] if reports else None)
    if report is not None:
        require(request.user, "improvement.view", report)
    status = request.GET.get("status", "")
    status = status if status in ("open", *Status.values) else ""
    flag = request.GET.get("flag", "")
    flag = flag if flag in flags.FLAGS else ""
    today = timezone.localdate()
    page = selectors.plan_page(report, today, status=status, flag=flag)
    return render(request, "selfassessment/improvement_plan.html", {
        "school": school,
        "reports": reports,
        "report": report,
        "page": page,
        "counts": page.counts,
        "today": today,
        "soon_until": flags.due_soon_until(today),
        "filters": {"status": status, "flag": flag},
        "status_choices": forms.FILTER_STATUSES,
        "flag_choices": [(flags.OVERDUE, _("Quá hạn")), (flags.DUE_SOON, _("Đến hạn trong 14 ngày")),
                         (flags.ON_TRACK, _("Còn thời hạn"))],
        "is_current": bool(reports) and report == reports[0],
        "can_rollup": can(request.user, "improvement.rollup", school.reviewing_unit),
    })


def _detail_context(request, action: ImprovementAction, **forms_given) -> dict:
    today = timezone.localdate()
    can_track = can(request.user, "improvement.track", action)
    transitions = []
    # The status changes the workflow allows this user now, in its order (kiemdinh.workflow).
    for state in actions_for(request.user, action).allowed:
        target = state.transition.target
        css, icon = TRANSITION_BUTTONS[state.action]
        if state.action == services.START and state.transition.source == Status.DONE:
            icon = REOPEN_ICON
        given = forms_given.get("status_form")
        form = given if given is not None and given.data.get("status") == target else forms.StatusChangeForm(
            initial={"status": target, "revision": action.revision, "done_on": today}, auto_id=f"s{target}_%s")
        transitions.append({"action": state.action, "status": target, "css": css, "icon": icon, "form": form,
                            "label": state.transition.extra.get("button") or state.label})
    return {
        "action": action,
        "report": action.report,
        "school": action.report.school,
        "notes": list(action.progress_notes.all()),
        "flag": flags.action_flag(status=action.status, due_on=action.due_on, today=today),
        "days_late": flags.days_late(due_on=action.due_on, today=today) if action.is_open else 0,
        "today": today,
        "can_track": can_track,
        "track_reason": "" if can_track else _track_reason(request, action),
        "transitions": transitions,
        "tracking_form": forms_given.get("tracking_form") or (
            forms.TrackingForm(initial=forms.initial_tracking(action)) if can_track else None),
        "note_form": forms_given.get("note_form") or (
            forms.ProgressNoteForm(initial={"date": today}) if can_track else None),
        "suggestions": selectors.evidence_suggestions(action) if can_track else [],
        "carried_to": selectors.carried_to(action),
        "history": selectors.action_history(action),
        "plan_url": _plan_url(action),
    }


def _track_reason(request, action: ImprovementAction) -> str:
    return check(request.user, "improvement.track", action).reason


@login_required
@require_GET
def improvement_action_detail(request, action_pk: int):
    """One action: its plan, its status with the changes allowed, its progress notes and history."""
    action = _action(request, action_pk)
    return render(request, "selfassessment/improvement_action_detail.html", _detail_context(request, action))


def _refused(request, action_pk: int, message: str, status: int, **forms_given):
    """Show the page again with what was typed and the stored state (reloaded), and the reason."""
    messages.error(request, message)
    action = _action(request, action_pk)
    return render(request, "selfassessment/improvement_action_detail.html",
                  _detail_context(request, action, **forms_given), status=status)


@login_required
@require_POST
def improvement_action_status(request, action_pk: int):
    action = _action(request, action_pk)
    require(request.user, "improvement.track", action)
    form = forms.StatusChangeForm(request.POST, auto_id=f"s{request.POST.get('status', '')}_%s")
    if not form.is_valid():
        errors = " ".join(e for errs in form.errors.values() for e in errs)
        return _refused(request, action_pk, _("Chưa đổi được tình trạng: %(e)s") % {"e": errors}, 400, status_form=form)
    data = form.cleaned_data
    try:
        saved = services.action_status_change(action=action, status=data["status"], by=request.user,
                                              revision=data["revision"], reason=data["reason"], done_on=data["done_on"])
    except ConflictError as exc:
        return _refused(request, action_pk, exc.message, 409)
    except ReportError as exc:
        return _refused(request, action_pk, exc.message, 400, status_form=form)
    messages.success(request, _("Đã chuyển biện pháp sang “%(s)s”.") % {"s": saved.get_status_display()})
    return redirect("selfassessment:improvement_action_detail", action_pk=action.pk)


@login_required
@require_POST
def improvement_action_update(request, action_pk: int):
    action = _action(request, action_pk)
    require(request.user, "improvement.track", action)
    form = forms.TrackingForm(request.POST)
    if not form.is_valid():
        return _refused(request, action_pk, _("Chưa lưu được: hãy kiểm tra các ô được đánh dấu."), 400, tracking_form=form)
    data = form.cleaned_data
    try:
        services.action_tracking_update(
            action=action, by=request.user, revision=data["revision"], responsible=data["responsible"],
            start_on=data["start_on"], due_on=data["due_on"], resources=data["resources"],
            expected_result=data["expected_result"],
        )
    except ConflictError as exc:
        # What was typed stays in the form; the page above it shows what is stored now, and the
        # form now carries the stored revision, so saving again is a deliberate choice.
        form.data = form.data.copy()
        form.data["revision"] = str(exc.current.revision)
        message = exc.message + " " + _("Nội dung bạn nhập vẫn còn trong mục “Thông tin thực hiện”; "
                                        "bấm Lưu lần nữa nếu vẫn muốn thay bằng nội dung đó.")
        return _refused(request, action_pk, message, 409, tracking_form=form)
    except ReportError as exc:
        return _refused(request, action_pk, exc.message, 400, tracking_form=form)
    messages.success(request, _("Đã lưu thông tin thực hiện biện pháp."))
    return redirect("selfassessment:improvement_action_detail", action_pk=action.pk)


@login_required
@require_POST
def improvement_progress_add(request, action_pk: int):
    action = _action(request, action_pk)
    require(request.user, "improvement.track", action)
    form = forms.ProgressNoteForm(request.POST)
    if not form.is_valid():
        return _refused(request, action_pk, _("Chưa ghi được tiến độ: hãy kiểm tra các ô được đánh dấu."), 400,
                        note_form=form)
    data = form.cleaned_data
    items, unknown = selectors.evidence_by_codes(action.report.school, data["evidence_codes"])
    if unknown:
        form.add_error("evidence_codes", _("Không có trong thư viện minh chứng của trường: %(c)s.") % {"c": ", ".join(unknown)})
        return _refused(request, action_pk, _("Chưa ghi được tiến độ: có mã minh chứng không tồn tại."), 400,
                        note_form=form)
    try:
        services.progress_note_add(action=action, by=request.user, date=data["date"], text=data["text"], evidence=items)
    except ReportError as exc:
        return _refused(request, action_pk, exc.message, 400, note_form=form)
    messages.success(request, _("Đã ghi tiến độ thực hiện."))
    return redirect(reverse("selfassessment:improvement_action_detail", args=[action.pk]) + "#notes")


@login_required
@require_GET
def improvement_rollup(request):
    """Tình hình thực hiện kế hoạch cải tiến của các trường: one row per school of a reviewing unit."""
    require(request.user, "improvement.rollup")
    units = selectors.rollup_units(request.user)
    if not units:
        raise Http404
    unit_id = int_or_none(request.GET.get("unit"))
    unit = next((u for u in units if u.pk == unit_id), units[0])
    require(request.user, "improvement.rollup", unit)
    level = request.GET.get("level", "")
    level = level if level in School.Level.values else ""
    today = timezone.localdate()
    rollup = selectors.improvement_rollup(unit, today, level=level)
    return render(request, "selfassessment/improvement_rollup.html", {
        "rollup": rollup, "units": units, "unit": unit, "today": today, "level": level,
        "levels": School.Level.choices, "soon_until": flags.due_soon_until(today),
    })
