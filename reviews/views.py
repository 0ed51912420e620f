"""Views of the district review: thin (scoped lookup, permission, form, service, message, redirect).

A report outside the user's scope is a 404 (``reports_visible_to``); a visible report the user
may not act on is a 403 with the rule's reason; an action the workflow does not allow from the
report's current status is a message on the report page (the services raise ``WorkflowError``).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kiemdinh.permissions import require
from schools.scope import scope_of
from selfassessment.models import Report
from standards.models import Criterion, Standard

from . import diff, gates, selectors, services, snapshot, workflow
from .forms import (
    AcceptForm,
    AssignForm,
    CompareForm,
    CriterionReviewForm,
    ReplyForm,
    ReturnForm,
    ThreadForm,
    UnitSettingsForm,
    UnlockDecisionForm,
    UnlockRequestForm,
)
from .models import CommentThread, ReportVersion, UnlockRequest
from .permissions import active_assignment, is_head_of
from .services import WorkflowError

QUEUE_PAGE_SIZE = 50


def _report(request, pk: int) -> Report:
    try:
        return selectors.report_for_review(request.user, pk)
    except Report.DoesNotExist:
        raise Http404 from None


def _back(report: Report):
    return redirect("reviews:report_detail", pk=report.pk)


def _run(request, report: Report, call, success: str):
    """Call a service; show its refusal as an error message. Returns the service's result or None."""
    try:
        result = call()
    except WorkflowError as exc:
        messages.error(request, exc.message)
        return None
    messages.success(request, success)
    return result


# --- Queue and dashboards --------------------------------------------------------------------------


@login_required
@require_GET
def report_queue(request):
    """The district's review queue: mine, unassigned, all in review, awaiting approval, accepted, unlocks."""
    require(request.user, "review.queue")
    tab = request.GET.get("tab", "mine")
    if tab not in selectors.QUEUE_TABS:
        tab = "mine"
    counts = selectors.queue_counts(request.user)
    paginator = Paginator(range(counts.get(tab, 0)), QUEUE_PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    reports = selectors.review_queue(
        request.user, tab, page_slice=slice(page.start_index() - 1 if page.object_list else 0,
                                            page.end_index() if page.object_list else 0)
    )
    tabs = [
        ("mine", _("Tôi được phân công")),
        ("unassigned", _("Chưa phân công")),
        ("all", _("Tất cả đang thẩm định")),
        ("approval", _("Chờ thủ trưởng đơn vị phê duyệt")),
        ("accepted", _("Đã chấp nhận, chờ chuyển Sở")),
        ("unlock", _("Đề nghị mở khóa")),
    ]
    return render(request, "reviews/report_queue.html", {
        "tab": tab, "tabs": [(key, label, counts.get(key, 0)) for key, label in tabs], "reports": reports,
        "page": page,
    })


# --- The report's review page ------------------------------------------------------------------------


@login_required
@require_GET
def report_detail(request, pk: int):
    """One report's review thread: status, actions, versions, comments (the school's to-do), timeline."""
    report = _report(request, pk)
    require(request.user, "version.view", report)
    return render(request, "reviews/report_detail.html", _detail_context(request, report))


def _detail_context(request, report: Report) -> dict:
    """What the review page shows; its comment lists and actions card are rendered again from it after
    a comment or thread action posted in place (``_thread_json``)."""
    versions = selectors.versions_of(report)
    threads = selectors.threads_of(report)
    is_school = report.school_id in scope_of(request.user).school_ids
    # Every button of the page follows the workflow's answer (kiemdinh.workflow.actions_for).
    acts = workflow.REPORT_REVIEW.actions_for(request.user, report)
    is_head = acts.assign.allowed and is_head_of(request.user, report)
    state = selectors.review_state_of(report)
    return {
        "report": report,
        "state": state,
        "versions": list(reversed(versions)),
        "latest": versions[-1] if versions else None,
        "threads": threads,
        "open_threads": [t for t in threads if t.is_open],
        "resolved_threads": [t for t in threads if not t.is_open],
        "todo": selectors.school_todo(report, threads) if is_school else [],
        "is_school": is_school,
        "acts": acts,
        "is_latest": True,
        "assign_form": AssignForm(reviewers=selectors.reviewers_for(report) if is_head else [request.user])
        if acts.assign.allowed else None,
        "is_head": is_head,
        "assignment": active_assignment(report),
        "accept_form": AcceptForm(),
        "pending_unlock": selectors.pending_unlock_request(report),
        "unlock_requests": selectors.unlock_requests_of(report),
        "timeline": selectors.timeline_of(report),
        "steps": _steps(report),
        "editor_url": selectors.editor_url("report_detail", report),
    }


def _steps(report: Report) -> list[tuple[str, str, str]]:
    """The workflow as a progress line: (label, state) with state done / current / todo."""
    order = [
        (workflow.DRAFT, _("Soạn thảo")), (workflow.SUBMITTED, _("Nộp")), (workflow.IN_REVIEW, _("Thẩm định")),
        (workflow.ACCEPTED, _("Chấp nhận")), (workflow.FORWARDED, _("Chuyển Sở")), (workflow.CLOSED, _("Đóng")),
    ]
    position = {
        workflow.DRAFT: 0, workflow.RETURNED: 0, workflow.SUBMITTED: 1, workflow.RESUBMITTED: 1,
        workflow.IN_REVIEW: 2, workflow.ACCEPTED: 3, workflow.FORWARDED: 4, workflow.CLOSED: 5,
    }[report.status]
    return [
        (label, "done" if i < position else "current" if i == position else "todo", key)
        for i, (key, label) in enumerate(order)
    ]


# --- Transitions (POST only) -------------------------------------------------------------------------


@login_required
@require_POST
def report_submit(request, pk: int):
    report = _report(request, pk)
    require(request.user, "report.submit", report)
    version = _run(request, report, lambda: services.report_submit(report=report, by=request.user),
                   _("Đã nộp báo cáo cho %(unit)s.") % {"unit": report.school.reviewing_unit.display_name})
    if version is not None:
        messages.info(request, _("Phiên bản %(n)s đã được lưu cố định (mã băm %(hash)s).")
                      % {"n": version.number, "hash": version.short_hash})
    return _back(report)


@login_required
@require_POST
def report_withdraw(request, pk: int):
    report = _report(request, pk)
    require(request.user, "report.withdraw", report)
    _run(request, report, lambda: services.report_withdraw(report=report, by=request.user),
         _("Đã rút báo cáo; nhà trường có thể tiếp tục chỉnh sửa."))
    return _back(report)


@login_required
@require_POST
def report_start_review(request, pk: int):
    report = _report(request, pk)
    require(request.user, "report.review", report)
    result = _run(request, report, lambda: services.report_start_review(report=report, by=request.user),
                  _("Đã bắt đầu thẩm định báo cáo."))
    latest = selectors.latest_version(report) if result is not None else None
    if latest is not None:
        return redirect("reviews:version_detail", pk=report.pk, number=latest.number)
    return _back(report)


@login_required
@require_POST
def report_assign(request, pk: int):
    report = _report(request, pk)
    require(request.user, "report.assign", report)
    form = AssignForm(request.POST, reviewers=selectors.reviewers_for(report))
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return _back(report)
    reviewer = form.cleaned_data["reviewer"]
    _run(request, report, lambda: services.report_assign(report=report, reviewer=reviewer, by=request.user),
         _("Đã phân công %(name)s thẩm định.") % {"name": reviewer.display_name})
    return _back(report)


@login_required
@require_http_methods(["GET", "POST"])
def report_return(request, pk: int):
    """The return form (GET) and the return itself (POST); a refused return keeps the typed reason."""
    report = _report(request, pk)
    require(request.user, "report.return", report)
    form = ReturnForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.report_return(report=report, by=request.user, reason=form.cleaned_data["reason"])
        except WorkflowError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Đã trả lại báo cáo cho nhà trường chỉnh sửa."))
            return _back(report)
    threads = [t for t in selectors.threads_of(report) if t.is_open]
    return render(request, "reviews/report_return.html", {
        "report": report, "form": form, "open_threads": threads,
        "act": workflow.REPORT_REVIEW.action_state(request.user, report, workflow.RETURN),
    })


@login_required
@require_POST
def report_accept(request, pk: int):
    report = _report(request, pk)
    require(request.user, "report.accept", report)
    form = AcceptForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        result = services.report_accept(report=report, by=request.user, note=note)
    except WorkflowError as exc:
        messages.error(request, exc.message)
    else:
        if result.accepted:
            messages.success(request, _("Đã chấp nhận báo cáo; báo cáo được khóa."))
        else:
            messages.success(request, _("Đã ghi nhận đề nghị chấp nhận; báo cáo chờ %(head)s phê duyệt.")
                             % {"head": report.school.reviewing_unit.head_label})
    return _back(report)


@login_required
@require_POST
def report_forward(request, pk: int):
    report = _report(request, pk)
    require(request.user, "report.forward", report)
    _run(request, report, lambda: services.report_forward(report=report, by=request.user),
         _("Đã chuyển báo cáo lên Sở GD&ĐT."))
    return _back(report)


@login_required
@require_POST
def report_close(request, pk: int):
    report = _report(request, pk)
    require(request.user, "report.close", report)
    _run(request, report, lambda: services.report_close(report=report, by=request.user), _("Đã đóng hồ sơ."))
    return _back(report)


@login_required
@require_http_methods(["GET", "POST"])
def report_unlock_request(request, pk: int):
    report = _report(request, pk)
    require(request.user, "report.request_unlock", report)
    form = UnlockRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.unlock_request_create(report=report, by=request.user, reason=form.cleaned_data["reason"])
        except WorkflowError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Đã gửi đề nghị mở khóa tới %(unit)s.")
                             % {"unit": report.school.reviewing_unit.display_name})
            return _back(report)
    return render(request, "reviews/unlock_request_form.html", {
        "report": report, "form": form,
        "act": workflow.REPORT_REVIEW.action_state(request.user, report, workflow.REQUEST_UNLOCK),
        "pending": selectors.pending_unlock_request(report),
    })


def _unlock_request(request, pk: int) -> UnlockRequest:
    return get_object_or_404(selectors.unlock_requests_visible_to(request.user), pk=pk)


@login_required
@require_POST
def unlock_grant(request, pk: int):
    unlock = _unlock_request(request, pk)
    report = _report(request, unlock.report_id)
    require(request.user, "report.unlock", report)
    form = UnlockDecisionForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    _run(request, report, lambda: services.unlock_grant(request=unlock, by=request.user, note=note),
         _("Đã mở khóa báo cáo; nhà trường có thể chỉnh sửa và nộp lại."))
    return _back(report)


@login_required
@require_POST
def unlock_refuse(request, pk: int):
    unlock = _unlock_request(request, pk)
    report = _report(request, unlock.report_id)
    require(request.user, "report.unlock", report)
    form = UnlockDecisionForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    _run(request, report, lambda: services.unlock_refuse(request=unlock, by=request.user, note=note),
         _("Đã từ chối đề nghị mở khóa."))
    return _back(report)


# --- Versions ------------------------------------------------------------------------------------------


def _version(report: Report, number: int) -> ReportVersion:
    try:
        return selectors.version_get(report, number)
    except ReportVersion.DoesNotExist:
        raise Http404 from None


@login_required
@require_GET
def version_detail(request, pk: int, number: int):
    """A frozen version as the school sent it, with the comment threads and the reviewed marks."""
    report = _report(request, pk)
    require(request.user, "version.view", report)
    version = _version(report, number)
    versions = selectors.versions_of(report)
    latest = versions[-1]
    view = snapshot.layout(version.data)
    threads = selectors.threads_of(report)
    by_passage: dict[str, list[CommentThread]] = {}
    by_criterion: dict[str, list[CommentThread]] = {}
    by_standard: dict[int, list[CommentThread]] = {}
    general: list[CommentThread] = []
    for thread in threads:
        if thread.passage_key:
            by_passage.setdefault(thread.passage_key, []).append(thread)
        elif thread.criterion_id:
            by_criterion.setdefault(thread.criterion.number, []).append(thread)
        elif thread.standard_id:
            by_standard.setdefault(thread.standard.number, []).append(thread)
        else:
            general.append(thread)
    previous = next((v for v in versions if v.number == number - 1), None)
    changed: set[str] = set()
    if previous is not None:
        old = ReportVersion.objects.get(pk=previous.pk)
        changed = {s.key for s in diff.compare_sections(snapshot.sections(old.data), snapshot.sections(version.data))
                   if s.changed}
    is_latest = version.number == latest.number
    reviewed = selectors.reviewed_numbers(version)
    catalog = list(
        Criterion.objects.filter(standard__version_id=report.regulation_version_id).values_list("number", "pk", "mandatory")
    )
    criteria_ids = {number: pk for number, pk, _mandatory in catalog}
    mandatory = {number for number, _pk, flag in catalog if flag}
    for criterion_view in view.criteria:
        criterion_view.mandatory = criterion_view.number in mandatory
    standard_ids = dict(
        Standard.objects.filter(version_id=report.regulation_version_id).values_list("number", "pk")
    ) if view.is_tt57 else {}
    return render(request, "reviews/version_detail.html", {
        "report": report, "version": version, "versions": versions, "latest": latest, "view": view,
        "by_passage": by_passage, "by_criterion": by_criterion, "by_standard": by_standard, "general_threads": general,
        "standard_ids": standard_ids, "plan_changed": any(key.startswith("plan57:") for key in changed),
        "previous": previous, "changed": changed, "reviewed": reviewed,
        "criteria_ids": criteria_ids, "is_latest": is_latest,
        # Comment and review-mark forms follow the workflow's answer (on the latest version only).
        "acts": workflow.REPORT_REVIEW.actions_for(request.user, report),
        "verified": version.verify(),
        "open_count": sum(1 for t in threads if t.is_open),
    })


@login_required
@require_GET
def version_content(request, pk: int, number: int):
    """The version's canonical JSON as stored: hashing this file gives the version's SHA-256."""
    report = _report(request, pk)
    require(request.user, "version.view", report)
    version = _version(report, number)
    response = HttpResponse(version.content.encode("utf-8"), content_type="application/json; charset=utf-8")
    name = f"bao-cao-{report.school.code}-{report.school_year.code}-v{version.number}.json"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_GET
def version_compare(request, pk: int):
    """Two versions side by side, criterion by criterion, with the changed passages highlighted."""
    report = _report(request, pk)
    require(request.user, "version.view", report)
    versions = selectors.versions_of(report)
    if len(versions) < 1:
        raise Http404
    numbers = [v.number for v in versions]
    form = CompareForm(request.GET or None)
    if form.is_valid() and form.cleaned_data["a"] in numbers and form.cleaned_data["b"] in numbers:
        a, b = form.cleaned_data["a"], form.cleaned_data["b"]
        changed_only = form.cleaned_data["changed_only"] or "a" not in request.GET
    else:
        b = numbers[-1]
        a = numbers[-2] if len(numbers) > 1 else b
        changed_only = True
    old, new = _version(report, a), _version(report, b)
    sections = diff.compare_sections(snapshot.sections(old.data), snapshot.sections(new.data))
    changed = [s for s in sections if s.changed]
    shown = changed if changed_only else sections
    return render(request, "reviews/version_compare.html", {
        "report": report, "versions": versions, "old": old, "new": new, "sections": shown,
        "changed_count": len(changed), "total": len(sections), "changed_only": changed_only,
    })


@login_required
@require_POST
def criterion_review_set(request, pk: int, number: int, criterion_pk: int):
    report = _report(request, pk)
    require(request.user, "report.review", report)
    version = _version(report, number)
    criterion = get_object_or_404(
        Criterion.objects.filter(standard__version_id=report.regulation_version_id), pk=criterion_pk
    )
    form = CriterionReviewForm(request.POST)
    reviewed = form.is_valid() and form.cleaned_data["reviewed"]
    try:
        services.criterion_review_set(version=version, criterion=criterion, by=request.user, reviewed=reviewed)
    except WorkflowError as exc:
        messages.error(request, exc.message)
    anchor = "c-" + criterion.number.replace(".", "-")
    return redirect(reverse("reviews:version_detail", args=[report.pk, version.number]) + "#" + anchor)


# --- Comments ------------------------------------------------------------------------------------------


def _wants_json(request) -> bool:
    """A comment or thread action posted from the review page by its script, which puts the answer in place."""
    return ("application/json" in request.headers.get("Accept", "")
            or request.headers.get("X-Requested-With", "") == "XMLHttpRequest")


def _require_or_json(request, rule: str, obj) -> JsonResponse | None:
    """Ask the policy (``require``) as the ordinary post does; asked by the page's script, a refusal
    is a 403 whose JSON carries the rule's reason (shown beside the thread) instead of the 403 page."""
    try:
        require(request.user, rule, obj)
    except PermissionDenied as exc:
        if not _wants_json(request):
            raise
        return JsonResponse({"message": str(exc) or _("Bạn không có quyền thực hiện thao tác này.")}, status=403)
    return None


def _thread_json(request, thread: CommentThread, message: str, *, status: int = 200) -> JsonResponse:
    """The thread as the review page shows it (reviews/partials/_thread.html), to put in place of the old one."""
    fresh = selectors.threads_visible_to(request.user).select_related("version").prefetch_related(
        "comments__author").get(pk=thread.pk)
    fresh.report = thread.report
    nxt = request.POST.get("next", "version")
    html = render_to_string("reviews/partials/_thread.html", {
        "thread": fresh, "report": thread.report, "next": nxt if nxt in ("version", "report") else "version",
    }, request=request)
    open_count = sum(1 for t in selectors.threads_of(thread.report) if t.is_open)
    open_label = ngettext("%(n)s góp ý chưa xử lý", "%(n)s góp ý chưa xử lý", open_count) % {"n": open_count}
    panels = {}
    if nxt == "report":
        # On the report page the comment lists (a closed thread moves to the closed ones) and the actions
        # card (the accept panel's note on open comments) follow the action too, put in place by reviews.js.
        context = _detail_context(request, thread.report)
        panels = {key: render_to_string(f"reviews/partials/{name}.html", context, request=request)
                  for key, name in (("review-threads", "_thread_lists"), ("review-actions", "_actions_card"))}
    return JsonResponse({"id": fresh.pk, "html": html, "message": message, "open_label": open_label,
                         "open_count": open_count, "panels": panels}, status=status)


def _form_error_json(form) -> JsonResponse:
    messages_ = [str(m) for errors in form.errors.values() for m in errors]
    return JsonResponse({"message": " ".join(messages_) or _("Dữ liệu gửi lên không hợp lệ; hãy tải lại trang.")}, status=400)


@login_required
@require_POST
def thread_create(request, pk: int):
    """Open a thread; if refused, the form comes back with the typed text (nothing is lost)."""
    report = _report(request, pk)
    refused = _require_or_json(request, "comment.add", report)
    if refused is not None:
        return refused
    form = ThreadForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        version = ReportVersion.objects.filter(report=report, number=data["version"]).first()
        criterion = None
        if data.get("criterion"):
            criterion = Criterion.objects.filter(
                pk=data["criterion"], standard__version_id=report.regulation_version_id
            ).select_related("standard").first()
            if criterion is None:
                form.add_error(None, _("Tiêu chí không thuộc bộ tiêu chuẩn của báo cáo."))
        standard = None
        if data.get("standard"):
            standard = Standard.objects.filter(pk=data["standard"], version_id=report.regulation_version_id).first()
            if standard is None:
                form.add_error(None, _("Tiêu chuẩn không thuộc bộ tiêu chuẩn của báo cáo."))
        if version is None:
            form.add_error(None, _("Phiên bản được góp ý không tồn tại."))
        if form.is_valid():
            try:
                thread = services.thread_open(
                    report=report, by=request.user, text=data["text"], version=version, criterion=criterion,
                    passage_key=data.get("passage_key") or "", quote=data.get("quote") or "", standard=standard,
                )
            except WorkflowError as exc:
                form.add_error(None, exc.message)
            else:
                if _wants_json(request):
                    thread.report = report
                    return _thread_json(request, thread, _("Đã gửi góp ý."), status=201)
                messages.success(request, _("Đã gửi góp ý."))
                return redirect(
                    reverse("reviews:version_detail", args=[report.pk, thread.version.number]) + f"#thread-{thread.pk}"
                )
    if _wants_json(request):
        return _form_error_json(form)
    return render(request, "reviews/thread_form.html", {"report": report, "form": form}, status=400)


def _thread(request, pk: int) -> CommentThread:
    thread = get_object_or_404(selectors.threads_visible_to(request.user), pk=pk)
    thread.report = _report(request, thread.report_id)
    return thread


def _thread_back(request, thread: CommentThread):
    target = request.POST.get("next", "")
    if target == "version":
        return redirect(
            reverse("reviews:version_detail", args=[thread.report_id, thread.version.number]) + f"#thread-{thread.pk}"
        )
    return redirect(reverse("reviews:report_detail", args=[thread.report_id]) + f"#thread-{thread.pk}")


def _reply(request, pk: int, *, rule: str, apply, done: str):
    """Post a reply to a thread through ``apply``; a refused one comes back in a form with the typed text."""
    thread = _thread(request, pk)
    refused = _require_or_json(request, rule, thread)
    if refused is not None:
        return refused
    form = ReplyForm(request.POST)
    if form.is_valid():
        try:
            apply(thread=thread, by=request.user, text=form.cleaned_data["text"])
        except WorkflowError as exc:
            form.add_error(None, exc.message)
        else:
            if _wants_json(request):
                return _thread_json(request, thread, done)
            messages.success(request, done)
            return _thread_back(request, thread)
    if _wants_json(request):
        return _form_error_json(form)
    return render(request, "reviews/comment_form.html", {"thread": thread, "report": thread.report, "form": form},
                  status=400)


@login_required
@require_POST
def comment_create(request, pk: int):
    """Answer a thread."""
    return _reply(request, pk, rule="comment.add", apply=services.comment_add, done=_("Đã gửi trả lời."))


@login_required
@require_POST
def thread_mark_fixed(request, pk: int):
    """The school says "Đã sửa" with its reply; the thread stays open until the district closes it."""
    return _reply(request, pk, rule="comment.mark_fixed", apply=services.thread_mark_fixed,
                  done=_("Đã báo đơn vị thẩm định là nhà trường đã sửa; góp ý chờ chuyên viên đóng."))


def _thread_action(request, pk: int, *, rule: str, call, done: str):
    """Close or reopen a thread. Asked by the page's script, the answer is the thread as the page shows
    it (or the refusal's reason, nothing changed); otherwise a message and the redirect, as before."""
    thread = _thread(request, pk)
    refused = _require_or_json(request, rule, thread)
    if refused is not None:
        return refused
    if _wants_json(request):
        try:
            call(thread=thread, by=request.user)
        except WorkflowError as exc:
            # Refused (e.g. somebody closed it meanwhile): the reason, with the thread as it stands now.
            return _thread_json(request, thread, exc.message, status=400)
        return _thread_json(request, thread, done)
    _run(request, thread.report, lambda: call(thread=thread, by=request.user), done)
    return _thread_back(request, thread)


@login_required
@require_POST
def thread_resolve(request, pk: int):
    return _thread_action(request, pk, rule="comment.resolve", call=services.thread_resolve,
                          done=_("Đã đánh dấu góp ý là đã xử lý."))


@login_required
@require_POST
def thread_reopen(request, pk: int):
    return _thread_action(request, pk, rule="comment.resolve", call=services.thread_reopen,
                          done=_("Đã mở lại góp ý."))


@login_required
@require_http_methods(["GET", "POST"])
def unit_settings(request, pk: int):
    """The unit's review settings (the head's final approval)."""
    unit = next((u for u in selectors.dashboard_units(request.user) if u.pk == pk), None)
    if unit is None:
        raise Http404
    require(request.user, "review.settings", unit)
    form = UnitSettingsForm(request.POST or None, head_label=unit.head_label, initial={
        "requires_head_approval": unit.requires_head_approval, "required_sections": gates.required_sections(unit),
        "token": services.unit_settings_token(unit),
    })
    if request.method == "POST" and form.is_valid():
        try:
            services.unit_review_settings_save(
                unit=unit, by=request.user, expected=form.cleaned_data["token"],
                requires_head_approval=form.cleaned_data["requires_head_approval"],
                sections=form.cleaned_data["required_sections"],
            )
        except WorkflowError as exc:
            # What was chosen stays on the page; the token becomes the stored one, so saving again overwrites.
            unit.refresh_from_db(fields=["requires_head_approval"])
            data = request.POST.copy()
            data["token"] = services.unit_settings_token(unit)
            form = UnitSettingsForm(data, head_label=unit.head_label)
            form.is_valid()
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Đã lưu quy trình thẩm định của đơn vị."))
            return redirect("reviews:unit_settings", pk=unit.pk)
    return render(request, "reviews/unit_settings.html", {
        "unit": unit, "form": form, "staff": selectors.unit_staff(unit),
    })
