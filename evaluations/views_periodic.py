"""Views of the periodic report (báo cáo định kỳ): the school writes and sends it, the district reviews it.

Same shape as every other view: scoped lookup (another school's report is a 404), the permission
rule (403 with its reason), the form validates, the service applies, a message, a redirect. A move
the workflow refuses from the report's current status is a message on the report page. Kept apart
from ``views.py``, which holds the plans, rounds, evaluations and deadlines.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from audit.selectors import events_for
from kiemdinh.permissions import can, require
from kiemdinh.workflow import action_state, actions_for
from schools.scope import scope_of

from . import selectors, services
from .forms import PeriodicAcceptForm, PeriodicReasonForm, PeriodicReportForm
from .models import PeriodicReport
from .services import periodic


def _page_objects(request, pk: int, school_pk: int):
    try:
        return selectors.periodic_page_objects(request.user, pk, school_pk)
    except ObjectDoesNotExist:
        raise Http404 from None


def _report(request, pk: int) -> PeriodicReport:
    return get_object_or_404(selectors.periodic_reports_visible_to(request.user), pk=pk)


def _back(report: PeriodicReport):
    return redirect("evaluations:periodic_report_detail", pk=report.deadline_id, school_pk=report.school_id)


def _steps(status: str | None) -> list[tuple[str, str]]:
    """The periodic report's workflow as a progress line: (label, done / current / todo)."""
    order = [_("Soạn thảo"), _("Nộp"), _("Thẩm định"), _("Chấp nhận")]
    status_ = PeriodicReport.Status
    position = {
        None: 0, status_.DRAFT: 0, status_.RETURNED: 0, status_.SUBMITTED: 1, status_.RESUBMITTED: 1,
        status_.IN_REVIEW: 2, status_.ACCEPTED: 3,
    }.get(status, 3)
    return [(label, "done" if i < position else "current" if i == position else "todo") for i, label in enumerate(order)]


def _render(request, school, deadline, report: PeriodicReport | None, *, form: PeriodicReportForm | None = None,
            status: int = 200):
    """The report page: the school's view (the form while it holds the report), the district's and the Sở's."""
    user = request.user
    today = timezone.localdate()
    is_school = school.pk in scope_of(user).school_ids
    shows_content = report is not None and can(user, "periodic_report.read_content", report)
    # Before the report is opened the school sees what it would state (a preview).
    content = selectors.periodic_content(report, school, deadline) if shows_content or (report is None and is_school) else None
    can_edit = (report is None or report.is_editable) and can(user, "periodic_report.edit", school)
    if report is not None and not report.is_editable:
        # Sent: the page shows the frozen lines, which have no fields (a post refused on it keeps none).
        form = None
    if report is not None and report.is_editable and can_edit and form is None:
        form = PeriodicReportForm(initial={"summary": report.summary, "revision": report.revision}, lines=content.lines)
    # Every move of the report with allowed or the reason it is refused (kiemdinh.workflow).
    actions = actions_for(user, report) if report is not None else None
    return render(request, "evaluations/periodic_report_detail.html", {
        "school": school, "deadline": deadline, "report": report, "content": content,
        "shows_content": shows_content, "is_school": is_school, "can_edit": can_edit, "form": form,
        "actions": actions, "timing": selectors.periodic_timing(school, deadline, today),
        "days_left": (deadline.due_date - today).days, "steps": _steps(report.status if report else None),
        "timeline": list(events_for(report)[:50]) if report is not None else [],
        "accept_form": PeriodicAcceptForm(), "unlock_form": PeriodicReasonForm(auto_id="unlock_%s"),
        "can_view_deadline": can(user, "deadline.view", deadline),
    }, status=status)


@login_required
@require_GET
def periodic_report_detail(request, pk: int, school_pk: int):
    """One school's periodic report for one deadline (``pk``: the deadline)."""
    school, deadline, report = _page_objects(request, pk, school_pk)
    require(request.user, "periodic_report.view", school)
    return _render(request, school, deadline, report)


@login_required
@require_POST
def periodic_report_open(request, pk: int, school_pk: int):
    school, deadline, _report_ = _page_objects(request, pk, school_pk)
    require(request.user, "periodic_report.edit", school)
    try:
        report = services.periodic_report_open(school=school, deadline=deadline, by=request.user)
    except services.EvaluationsError as exc:
        messages.error(request, str(exc))
        return redirect("evaluations:periodic_report_detail", pk=deadline.pk, school_pk=school.pk)
    messages.success(request, _("Đã lập bản nháp báo cáo định kỳ; nội dung được lấy từ báo cáo tự đánh giá hiện tại."))
    return _back(report)


@login_required
@require_POST
def periodic_report_save(request, pk: int):
    """Save the summary and progress texts; with ``then=submit`` send the report right after."""
    report = _report(request, pk)
    require(request.user, "periodic_report.edit", report)
    content = selectors.periodic_content(report, report.school, report.deadline)
    form = PeriodicReportForm(request.POST, lines=content.lines if content.live else [])
    if not form.is_valid():
        messages.error(request, _("Báo cáo chưa được lưu: hãy sửa các ô được đánh dấu."))
        return _render(request, report.school, report.deadline, report, form=form, status=400)
    try:
        services.periodic_report_save(report=report, by=request.user, revision=form.cleaned_data["revision"],
                                      summary=form.cleaned_data["summary"], progress=form.progress)
    except services.ConcurrentEditError as exc:
        # Someone saved first: keep what was typed on the page (to copy), with the reason above it; a report
        # sent meanwhile is shown frozen, without the form, so the reason goes above the page.
        report.refresh_from_db()
        if report.is_editable:
            form.add_error(None, str(exc))
        else:
            messages.error(request, str(exc))
        return _render(request, report.school, report.deadline, report, form=form, status=409)
    except services.EvaluationsError as exc:
        messages.error(request, str(exc))
        return _back(report)
    if request.POST.get("then") == "submit":
        return _submit(request, report)
    messages.success(request, _("Đã lưu báo cáo định kỳ."))
    return _back(report)


def _submit(request, report: PeriodicReport):
    require(request.user, "periodic_report.submit", report)
    try:
        submitted = services.periodic_report_submit(report=report, by=request.user)
    except services.EvaluationsError as exc:
        messages.error(request, str(exc))
        return _back(report)
    if timezone.localdate(submitted.submitted_at) > submitted.deadline.due_date:
        messages.warning(request, _("Đã nộp báo cáo định kỳ cho %(unit)s, sau hạn %(due)s: báo cáo được ghi nhận là nộp "
                                    "muộn.") % {"unit": report.school.reviewing_unit.display_name,
                                                "due": submitted.deadline.due_date.strftime("%d/%m/%Y")})
    else:
        messages.success(request, _("Đã nộp báo cáo định kỳ cho %(unit)s.")
                         % {"unit": report.school.reviewing_unit.display_name})
    return _back(report)


@login_required
@require_POST
def periodic_report_submit(request, pk: int):
    return _submit(request, _report(request, pk))


def _apply(request, report: PeriodicReport, call, success: str):
    """Run a transition service; its refusal becomes an error message on the report page."""
    try:
        call()
    except services.EvaluationsError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, success)
    return _back(report)


def _form_errors(request, form) -> None:
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)


@login_required
@require_POST
def periodic_report_withdraw(request, pk: int):
    report = _report(request, pk)
    require(request.user, "periodic_report.withdraw", report)
    return _apply(request, report, lambda: services.periodic_report_withdraw(report=report, by=request.user),
                  _("Đã rút báo cáo định kỳ; nhà trường có thể tiếp tục chỉnh sửa."))


@login_required
@require_POST
def periodic_report_start_review(request, pk: int):
    report = _report(request, pk)
    require(request.user, "periodic_report.review", report)
    return _apply(request, report, lambda: services.periodic_report_start_review(report=report, by=request.user),
                  _("Đã bắt đầu thẩm định báo cáo định kỳ."))


@login_required
@require_POST
def periodic_report_accept(request, pk: int):
    report = _report(request, pk)
    require(request.user, "periodic_report.accept", report)
    form = PeriodicAcceptForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return _back(report)
    return _apply(request, report,
                  lambda: services.periodic_report_accept(report=report, by=request.user, note=form.cleaned_data["note"]),
                  _("Đã chấp nhận báo cáo định kỳ."))


@login_required
@require_http_methods(["GET", "POST"])
def periodic_report_return(request, pk: int):
    """The return form (GET) and the return itself (POST); a refused return keeps the typed reason."""
    report = _report(request, pk)
    require(request.user, "periodic_report.return", report)
    form = PeriodicReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.periodic_report_return(report=report, by=request.user, reason=form.cleaned_data["reason"])
        except services.EvaluationsError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Đã trả lại báo cáo định kỳ cho nhà trường chỉnh sửa."))
            return _back(report)
    return render(request, "evaluations/periodic_report_return.html", {
        "report": report, "form": form,
        "allowed": action_state(request.user, report, periodic.RETURN).allowed,
    })


@login_required
@require_POST
def periodic_report_unlock(request, pk: int):
    report = _report(request, pk)
    require(request.user, "periodic_report.unlock", report)
    form = PeriodicReasonForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return _back(report)
    return _apply(request, report,
                  lambda: services.periodic_report_unlock(report=report, by=request.user, reason=form.cleaned_data["reason"]),
                  _("Đã mở lại báo cáo định kỳ để nhà trường chỉnh sửa."))
