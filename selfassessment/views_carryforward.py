"""Views of the carry-forward to TT57/2026: start the report, confirm the council and the MC codes.

Each view: login, scoped lookup (another school's report or school is a 404), permission (403),
service, message, redirect. The services are ``selfassessment.carryforward`` and
``evidence.carryover``.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from evidence import carryover
from evidence.models import EvidenceCarryOver
from evidence.services import EvidenceError
from kiemdinh.params import int_or_none
from kiemdinh.permissions import can, require
from schools.selectors import schools_visible_to
from standards.models import Criterion

from . import carryforward, selectors, services
from .models import Report

# The page filters its rows by status, one tab per status of the model.
STATUS_FILTERS = tuple(EvidenceCarryOver.Status.values)


def _report(request, pk: int) -> Report:
    report = get_object_or_404(
        selectors.reports_visible_to(request.user).select_related(
            "school", "school_year", "regulation_version__regulation", "copied_from__school_year",
            "copied_from__regulation_version__regulation",
        ),
        pk=pk,
    )
    require(request.user, "report.view", report)
    return report


def _page_url(report: Report, status: str = "") -> str:
    url = reverse("selfassessment:carry_forward", kwargs={"pk": report.pk})
    return f"{url}?status={status}" if status else url


@login_required
@require_POST
def carry_forward_start(request, school_pk: int):
    """“Bắt đầu báo cáo … theo Thông tư 57”: create (or find) the report, propose the codes."""
    school = get_object_or_404(schools_visible_to(request.user), pk=school_pk)
    require(request.user, "report.carry_forward", school)
    try:
        report, created = carryforward.report_carry_forward(school=school, by=request.user)
    except services.ReportError as exc:
        messages.error(request, str(exc))
        return redirect("selfassessment:report_list")
    if created:
        messages.success(request, _(
            "Đã tạo báo cáo năm học %(year)s theo %(reg)s từ báo cáo năm học %(source)s. Hãy xác nhận Hội đồng "
            "và mã minh chứng cho các minh chứng chuyển sang."
        ) % {"year": report.school_year.code, "reg": report.regulation_version.regulation.code,
             "source": report.copied_from.school_year.code if report.copied_from else "—"})
    else:
        messages.info(request, _("Báo cáo năm học %(year)s đã được tạo trước đó; tiếp tục xác nhận tại đây.")
                      % {"year": report.school_year.code})
    return redirect(_page_url(report))


@login_required
@require_GET
def carry_forward(request, pk: int):
    """The confirmation page: what came from last year's report, and a code for every evidence item."""
    report = _report(request, pk)
    if not carryforward.is_tt57(report):
        messages.info(request, _("Báo cáo này theo %(reg)s nên minh chứng giữ mã cũ.")
                      % {"reg": report.regulation_version.regulation.code})
        return redirect("selfassessment:report_detail", pk=report.pk)
    page = carryforward.carry_forward_page(report)
    status = request.GET.get("status", "")
    rows = page.carry_overs
    if status in STATUS_FILTERS:
        rows = [row for row in rows if row.status == status]
    else:
        status = ""
    return render(request, "selfassessment/carryforward/carry_forward.html", {
        "report": report,
        "page": page,
        "rows": rows,
        "status": status,
        "status_tabs": EvidenceCarryOver.Status.choices,
        "can_confirm": can(request.user, "evidence.renumber", report.school),
        "can_council": can(request.user, "report.manage_council", report),
        "evidence_list_url": reverse("evidence:evidence_list", kwargs={"school_pk": report.school_id})
        + f"?regulation={report.regulation_version.regulation_id}",
    })


@login_required
@require_POST
def carry_forward_confirm(request, pk: int):
    """Confirm the ticked proposals as proposed (the bulk confirmation is explicit: only what is ticked)."""
    report = _report(request, pk)
    require(request.user, "evidence.renumber", report.school)
    ids = [value for value in (int_or_none(v) for v in request.POST.getlist("ids")) if value is not None]
    if not ids:
        messages.warning(request, _("Chưa chọn minh chứng nào để xác nhận."))
        return redirect(_page_url(report))
    try:
        mapping = carryover.carry_overs_confirm(
            school=report.school, regulation=report.regulation_version.regulation, ids=ids, by=request.user
        )
    except EvidenceError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, ngettext(
            "Đã xác nhận %(count)s mã minh chứng.", "Đã xác nhận %(count)s mã minh chứng.", len(mapping)
        ) % {"count": len(mapping)})
    return redirect(_page_url(report, request.POST.get("status", "")))


@login_required
@require_POST
def carry_forward_item(request, pk: int, item_pk: int):
    """One item: confirm (the proposed criterion or another), leave behind, or take back."""
    report = _report(request, pk)
    row = get_object_or_404(
        EvidenceCarryOver.objects.select_related("source", "proposed_criterion"),
        pk=item_pk, school=report.school, regulation=report.regulation_version.regulation,
    )
    require(request.user, "evidence.renumber", report.school)
    action = request.POST.get("action", "")
    try:
        if action == "confirm":
            criterion = None
            criterion_pk = int_or_none(request.POST.get("criterion"))
            if criterion_pk is not None:
                criterion = Criterion.objects.filter(
                    pk=criterion_pk, standard__version=report.regulation_version
                ).select_related("standard__version__regulation").first()
                if criterion is None:
                    raise EvidenceError(_("Tiêu chí đã chọn không thuộc bộ tiêu chuẩn của báo cáo."))
            twin = carryover.carry_over_confirm(carry_over=row, criterion=criterion, by=request.user)
            messages.success(request, _("%(old)s nay có mã %(new)s.") % {"old": row.source.code, "new": twin.code})
        elif action == "skip":
            carryover.carry_over_skip(carry_over=row, by=request.user)
            messages.info(request, _("Minh chứng %(code)s không chuyển sang báo cáo mới.") % {"code": row.source.code})
        elif action == "reopen":
            carryover.carry_over_reopen(carry_over=row, by=request.user)
        else:
            messages.error(request, _("Thao tác không hợp lệ."))
    except EvidenceError as exc:
        messages.error(request, str(exc))
    return redirect(_page_url(report, request.POST.get("status", "")) + f"#co-{row.pk}")


@login_required
@require_POST
def carry_forward_council(request, pk: int):
    """Confirm last year's council as this year's proposal (members can still be edited one by one)."""
    report = _report(request, pk)
    require(request.user, "report.manage_council", report)
    count = carryforward.council_proposal_confirm(report=report, by=request.user)
    if count:
        messages.success(request, ngettext(
            "Đã xác nhận %(count)s thành viên Hội đồng.", "Đã xác nhận %(count)s thành viên Hội đồng.", count
        ) % {"count": count})
    else:
        messages.info(request, _("Hội đồng đã được xác nhận trước đó."))
    return redirect(_page_url(report))
