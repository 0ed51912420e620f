"""Views of the exports: thin; scoped lookup (404), permission (403), render, audit, response.

Small exports (a form, a spreadsheet, the live draft) are built in the request and sent as
attachments; a submitted report as PDF or Word and the dossier of a round are background jobs with
a progress page (the direct report download stays for existing links).
"""

from __future__ import annotations

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from kiemdinh.i18n import N_, Text
from kiemdinh.params import int_or_none
from kiemdinh.permissions import can, check, require
from kiemdinh.storage import open_private
from schools.selectors import school_years
from schools.years import school_year_current

from . import selectors, services
from .exporters.forms import (
    CouncilDecisionExporter,
    CriterionSheetsExporter,
    RoundLetterExporter,
    SelfAssessmentPlanExporter,
)
from .exporters.report import ReportDocxExporter, ReportPdfExporter
from .exporters.sheets import (
    DistrictDashboardXlsxExporter,
    DistrictSummaryXlsxExporter,
    EvidenceListXlsxExporter,
    ExternalResultXlsxExporter,
    ImprovementPlanXlsxExporter,
    ReportSummaryXlsxExporter,
)
from .forms import DossierForm, SummaryForm, VerifyForm
from .models import ExportJob

PAGE_SIZE = 30
SMALL_FILE_BYTES = 8 * 1024 * 1024

# What a report can be exported as: URL part → (exporter, label for the audit trail).
REPORT_FORMATS = {
    "pdf": (ReportPdfExporter, gettext_lazy("báo cáo tự đánh giá")),
    "docx": (ReportDocxExporter, gettext_lazy("báo cáo tự đánh giá")),
}
REPORT_SHEETS = {
    "summary": (ReportSummaryXlsxExporter, gettext_lazy("bảng tổng hợp kết quả")),
    "evidence": (EvidenceListXlsxExporter, gettext_lazy("danh mục minh chứng")),
}
REPORT_FORMS = {
    "council-decision": (CouncilDecisionExporter, gettext_lazy("quyết định thành lập Hội đồng tự đánh giá")),
    "plan": (SelfAssessmentPlanExporter, gettext_lazy("kế hoạch tự đánh giá")),
    "criterion-sheets": (CriterionSheetsExporter, gettext_lazy("phiếu đánh giá tiêu chí")),
}
FORM_FORMATS = ("pdf", "docx")


def attachment(filename: str, content_type: str, content: bytes) -> FileResponse:
    """A download: attachment with the file name (RFC 5987 for non-ASCII), never cached or sniffed."""
    response = FileResponse(io.BytesIO(content), as_attachment=True, filename=filename, content_type=content_type)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    # Even if a browser ignored the attachment, the document could run nothing and load nothing.
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def _report(request, pk: int):
    try:
        report = selectors.report_for_export(request.user, pk)
    except selectors.Report.DoesNotExist:
        raise Http404
    require(request.user, "report.export", report)
    return report


def _source(request, report):
    """The content asked for: ``?version=N``, ``?draft=1``, else the latest version (or the draft for
    the school's writers when nothing was submitted yet)."""
    from reviews.models import ReportVersion

    version_number = int_or_none(request.GET.get("version"))
    draft = request.GET.get("draft") == "1"
    if draft:
        require(request.user, "report.export_draft", report)
    try:
        return selectors.report_source(report, version_number=version_number, draft=draft)
    except ReportVersion.DoesNotExist:
        raise Http404
    except selectors.NoSubmittedVersionError:
        if can(request.user, "report.export_draft", report):
            return selectors.report_source(report, draft=True)
        raise PermissionDenied(_("Báo cáo chưa được nộp nên chưa có bản để xuất."))


def _send_report_export(request, report, source, exporter, label: str, fmt: str):
    filename, content_type, content = exporter.render()
    services.report_export_record(
        report=report, by=request.user, fmt=fmt, document=str(label),
        version_number=source.version.number if source.version else None,
        content_hash=source.version.content_hash if source.version else "", size=len(content),
    )
    return attachment(filename, content_type, content)


@login_required
@require_GET
def report_exports(request, pk: int):
    """Every export of one report: its versions and the draft, as report, forms and spreadsheets."""
    report = _report(request, pk)
    return render(request, "exports/report_exports.html", {
        "report": report,
        "versions": selectors.report_versions(report),
        "can_draft": can(request.user, "report.export_draft", report),
        "draft_reason": check(request.user, "report.export_draft", report).reason,
        "groups": selectors.working_groups(report),
    })


@login_required
@require_GET
def report_download(request, pk: int, fmt: str):
    if fmt not in REPORT_FORMATS:
        raise Http404
    report = _report(request, pk)
    source = _source(request, report)
    exporter_class, label = REPORT_FORMATS[fmt]
    return _send_report_export(request, report, source, exporter_class(source.data, source.stamp), label, fmt)


@login_required
@require_POST
def report_request(request, pk: int, fmt: str):
    """The report as PDF or Word through a background job: the page shows its progress, then the file.

    An equal file already built for the same version (same content hash) and still kept is offered
    again; the live draft is not a version and still downloads directly.
    """
    if fmt not in REPORT_FORMATS:
        raise Http404
    report = _report(request, pk)
    source = _source(request, report)
    if source.is_draft:
        return redirect(reverse("exports:report_download", kwargs={"pk": report.pk, "fmt": fmt}) + "?draft=1")
    version = source.version
    params = {"report": report.pk, "version": version.number, "fmt": fmt, "content_hash": version.content_hash}
    job = selectors.done_job_for(request.user, kind=ExportJob.Kind.REPORT, params=params)
    created = False
    if job is None:
        title = _("Báo cáo tự đánh giá – %(school)s – phiên bản %(n)s (%(fmt)s)") % {
            "school": report.school.name, "n": version.number, "fmt": fmt.upper()}
        try:
            job, created = services.export_job_request(
                kind=ExportJob.Kind.REPORT, params=params, title=title, organisation=report.school.reviewing_unit,
                by=request.user, among=selectors.jobs_visible_to(request.user),
            )
        except services.ExportError as exc:
            messages.error(request, str(exc))
            return redirect("exports:report_exports", pk=report.pk)
    label = REPORT_FORMATS[fmt][1]
    services.report_export_record(report=report, by=request.user, fmt=fmt, document=str(label),
                                  version_number=version.number, content_hash=version.content_hash,
                                  size=job.size or 0)
    if created:
        messages.success(request, _("Đã bắt đầu tạo tệp; trang này tự cập nhật tiến độ."))
    elif job.is_downloadable:
        messages.info(request, _("Tệp của phiên bản này đã được tạo sẵn; bấm “Tải về”."))
    else:
        messages.info(request, _("Tệp này đang được tạo; đây là tiến độ của lần tạo đó."))
    return redirect("exports:job_detail", uuid=job.uuid)


@login_required
@require_GET
def report_sheet(request, pk: int, sheet: str):
    if sheet == "improvement":
        report = _report(request, pk)
        exporter = ImprovementPlanXlsxExporter(report, selectors.improvement_actions(report))
        filename, content_type, content = exporter.render()
        services.report_export_record(report=report, by=request.user, fmt="xlsx",
                                      document=_("theo dõi kế hoạch cải tiến"), version_number=None, size=len(content))
        return attachment(filename, content_type, content)
    if sheet not in REPORT_SHEETS:
        raise Http404
    report = _report(request, pk)
    source = _source(request, report)
    exporter_class, label = REPORT_SHEETS[sheet]
    return _send_report_export(request, report, source, exporter_class(source.data, source.stamp), label, "xlsx")


@login_required
@require_GET
def report_form(request, pk: int, form: str, fmt: str):
    if form not in REPORT_FORMS or fmt not in FORM_FORMATS:
        raise Http404
    report = _report(request, pk)
    source = _source(request, report)
    exporter_class, label = REPORT_FORMS[form]
    if exporter_class is CriterionSheetsExporter:
        wanted = [c.strip() for c in request.GET.get("criteria", "").split(",") if c.strip()][:100]
        exporter = exporter_class(source.data, source.stamp, fmt, criteria=wanted or None)
    else:
        exporter = exporter_class(source.data, source.stamp, fmt)
    return _send_report_export(request, report, source, exporter, label, fmt)


@login_required
@require_GET
def evaluation_sheet(request, pk: int):
    evaluation = get_object_or_404(selectors.evaluations_for_export(request.user), pk=pk)
    require(request.user, "evaluation.export", evaluation)
    rows, recommendations = selectors.evaluation_rows(evaluation)
    filename, content_type, content = ExternalResultXlsxExporter(evaluation, rows, recommendations).render()
    services.export_record(
        target=evaluation, by=request.user, action="exports.evaluation.exported", school=evaluation.school,
        summary=Text(N_("Xuất kết quả đánh giá ngoài so với tự đánh giá (XLSX)")),
    )
    return attachment(filename, content_type, content)


# --- District summary ------------------------------------------------------------------------------


def _summary_form(request, *, bound: bool):
    units = selectors.summary_units(request.user)
    data = request.GET if bound else (request.GET or None)
    form = SummaryForm(data, units=units, school_years=list(school_years()[:10]), current=school_year_current())
    return form, units


@login_required
@require_GET
def district_summary(request):
    """The district summary spreadsheet: choose the unit, year and report kind, then download."""
    require(request.user, "summary.export", None)
    form, units = _summary_form(request, bound=False)
    return render(request, "exports/district_summary.html", {"form": form, "units": units})


@login_required
@require_GET
def district_summary_download(request):
    require(request.user, "summary.export", None)
    # Missing fields mean the defaults (all units, the current year, periodic reports).
    form, units = _summary_form(request, bound=True)
    if not form.is_valid():
        return render(request, "exports/district_summary.html", {"form": form, "units": units}, status=400)
    unit_id = form.cleaned_data["unit"]
    if unit_id is not None:
        units = [u for u in units if u.pk == unit_id]
        if not units:
            raise Http404
        require(request.user, "summary.export", units[0])
    if not units:
        raise PermissionDenied(_("Bạn chưa được giao đơn vị nào để tổng hợp."))
    school_year = selectors.summary_school_year(form.cleaned_data["school_year"])
    kind = form.cleaned_data["kind"]
    today = timezone.localdate()
    from selfassessment.models import Report

    rows = selectors.district_summary_rows(units, school_year=school_year, kind=kind, today=today)
    exporter = DistrictSummaryXlsxExporter(rows, units=units, school_year=school_year,
                                           kind_label=str(Report.Kind(kind).label), today=today)
    filename, content_type, content = exporter.render()
    for unit in units:
        services.export_record(
            target=unit, by=request.user, action="exports.summary.exported",
            summary=Text(N_("Xuất bảng tổng hợp kiểm định năm học %(year)s"), {"year": school_year or "—"}),
            data={"school_year": school_year.code if school_year else None, "kind": kind, "schools": len(rows)},
        )
    return attachment(filename, content_type, content)


@login_required
@require_GET
def dashboard_xlsx(request):
    """The district dashboard as an XLSX: exactly its rows (every page of the same filters) and columns."""
    from reviews.selectors import dashboard_query, district_dashboard
    from selfassessment.models import Report

    require(request.user, "dashboard.district")
    query = dashboard_query(request.user, request.GET)
    if query is None:
        raise Http404
    require(request.user, "dashboard.district", query.unit)
    today = timezone.localdate()
    dashboard = district_dashboard(query.unit, school_year=query.school_year, kind=query.kind, filters=query.filters,
                                   period=query.period, today=today)
    words = _dashboard_filter_words(query)
    exporter = DistrictDashboardXlsxExporter(dashboard, kind_label=str(Report.Kind(query.kind).label),
                                             filter_words=words, today=today, regime=request.GET.get("regime", ""))
    filename, content_type, content = exporter.render()
    services.export_record(
        target=query.unit, by=request.user, action="exports.dashboard.exported",
        summary=Text(N_("Xuất bảng điều khiển năm học %(year)s"), {"year": query.school_year or "—"}),
        data={"school_year": query.school_year.code if query.school_year else None, "kind": query.kind,
              "schools": len(dashboard.rows), "filters": words},
    )
    return attachment(filename, content_type, content)


def _dashboard_filter_words(query) -> list[str]:
    """The filters of the dashboard in words, for the sheet's heading."""
    from schools.models import School, User
    from selfassessment.models import Report

    words = []
    if query.filters.level:
        words.append(str(dict(School.Level.choices)[query.filters.level]))
    if query.filters.status:
        words.append(_("Chưa có báo cáo") if query.filters.status == "none"
                     else str(dict(Report.Status.choices)[query.filters.status]))
    if query.filters.reviewer_id == 0:
        words.append(_("Chưa phân công"))
    elif query.filters.reviewer_id:
        reviewer = User.objects.filter(pk=query.filters.reviewer_id).first()
        if reviewer is not None:
            words.append(_("Chuyên viên: %(name)s") % {"name": reviewer.display_name})
    return words


# --- Rounds: the letter and the dossier --------------------------------------------------------


def _round(request, pk: int):
    from evaluations.selectors import rounds_visible_to

    evaluation_round = get_object_or_404(rounds_visible_to(request.user), pk=pk)
    require(request.user, "dossier.build", evaluation_round)
    return evaluation_round


@login_required
@require_GET
def round_exports(request, pk: int):
    """The round's letter and dossier: what the dossier will hold, and its builds."""
    evaluation_round = _round(request, pk)
    entries = selectors.round_entries(evaluation_round)
    # The round's own builds, filtered in the query (others' rounds must not push them off the list).
    jobs = list(
        selectors.jobs_visible_to(request.user)
        .filter(kind=ExportJob.Kind.DOSSIER, params__round=evaluation_round.pk)
        .order_by("-created_at", "-id")[:10]
    )
    return render(request, "exports/round_exports.html", {
        "round": evaluation_round, "entries": entries, "jobs": jobs, "form": DossierForm(),
        "missing": sum(1 for e in entries if e.version is None),
        "school_year": selectors.round_school_year(evaluation_round),
    })


@login_required
@require_GET
def round_letter(request, pk: int, fmt: str):
    if fmt not in FORM_FORMATS:
        raise Http404
    evaluation_round = _round(request, pk)
    info = selectors.round_letter_info(evaluation_round, selectors.round_entries(evaluation_round))
    filename, content_type, content = RoundLetterExporter(info, fmt).render()
    services.export_record(
        target=evaluation_round, by=request.user, action="exports.round.letter_exported",
        summary=Text(N_("Xuất công văn đề nghị đánh giá ngoài (%(fmt)s)"), {"fmt": fmt.upper()}),
    )
    return attachment(filename, content_type, content)


@login_required
@require_POST
def dossier_build(request, pk: int):
    evaluation_round = _round(request, pk)
    form = DossierForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Dữ liệu gửi lên không hợp lệ."))
        return redirect("exports:round_exports", pk=evaluation_round.pk)
    params = {"round": evaluation_round.pk, "include_files": form.cleaned_data["include_files"]}
    title = _("Hồ sơ đề nghị đánh giá ngoài %(round)s – %(unit)s") % {
        "round": evaluation_round, "unit": evaluation_round.unit.short_name or evaluation_round.unit.name}
    try:
        job, created = services.export_job_request(
            kind=ExportJob.Kind.DOSSIER, params=params, title=title, organisation=evaluation_round.unit, by=request.user
        )
    except services.ExportError as exc:
        messages.error(request, str(exc))
        return redirect("exports:round_exports", pk=evaluation_round.pk)
    if created:
        messages.success(request, _("Đã bắt đầu tạo hồ sơ; trang này tự cập nhật tiến độ."))
    else:
        messages.info(request, _("Hồ sơ này đang được tạo; đây là tiến độ của lần tạo đó."))
    return redirect("exports:job_detail", uuid=job.uuid)


# --- Jobs -------------------------------------------------------------------------------------------


def _job(request, uuid):
    job = get_object_or_404(selectors.jobs_visible_to(request.user), uuid=uuid)
    require(request.user, "export.download", job)
    return job


@login_required
@require_GET
def job_list(request):
    page = Paginator(selectors.job_list(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "exports/job_list.html", {"page": page})


@login_required
@require_GET
def job_detail(request, uuid):
    job = _job(request, uuid)
    return render(request, "exports/job_detail.html", {"job": job})


@never_cache
@login_required
@require_GET
def job_status(request, uuid):
    """The progress page's poll: status, percentage, current step, and where to download."""
    from django.urls import reverse

    job = _job(request, uuid)
    return JsonResponse({
        "status": job.status,
        "status_label": str(job.get_status_display()),
        "progress": job.progress,
        "step": job.step_display,
        "error": job.error,
        "done": job.status == ExportJob.Status.DONE,
        "active": job.is_active,
        "download_url": reverse("exports:job_download", kwargs={"uuid": job.uuid}) if job.is_downloadable else "",
        "size": job.size_display,
        "expires_at": timezone.localtime(job.expires_at).strftime("%H:%M %d/%m/%Y") if job.expires_at else "",
    })


@login_required
@require_GET
def job_download(request, uuid):
    job = _job(request, uuid)
    if not job.is_downloadable:
        if job.status == ExportJob.Status.EXPIRED:
            messages.error(request, _("Tệp đã hết hạn tải và đã được xóa; hãy tạo lại hồ sơ."))
        else:
            messages.error(request, _("Tệp chưa sẵn sàng."))
        return redirect("exports:job_detail", uuid=job.uuid)
    try:
        handle = open_private(job.file)  # the local folder or the bucket, streamed
    except OSError:
        raise Http404(_("Không tìm thấy tệp trên máy chủ; hãy tạo lại hồ sơ."))
    services.export_record(target=job, by=request.user, action=f"exports.{job.kind}.downloaded", summary=job.title)
    content_type = job.content_type or "application/octet-stream"
    if (job.size or 0) <= SMALL_FILE_BYTES:
        # A small file goes in one piece and its handle is closed now; a large dossier streams.
        with handle:
            return attachment(job.file_name, content_type, handle.read())
    response = FileResponse(handle, as_attachment=True, filename=job.file_name, content_type=content_type)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@login_required
@require_POST
def job_retry(request, uuid):
    job = _job(request, uuid)
    try:
        services.export_job_retry(job=job, by=request.user)
    except services.ExportError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Đã bắt đầu tạo lại."))
    return redirect("exports:job_detail", uuid=job.uuid)


# --- Verification of a printed copy ------------------------------------------------------------------


@require_GET
def verify(request):
    """Which submitted version a printed code belongs to. Public on purpose (see the template)."""
    form = VerifyForm(request.GET or None)
    matches = None
    if form.is_bound and form.is_valid():
        matches = selectors.versions_by_hash(form.cleaned_data["code"])
    response = render(request, "exports/verify.html", {"form": form, "matches": matches})
    response["Cache-Control"] = "no-store"
    return response
