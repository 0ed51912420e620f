"""Views of the exports: thin; scoped lookup (404), permission (403), render, audit, response.

Small exports (a form, a sheet of one report, the live draft, a spreadsheet of few schools) are
built in the request and sent as attachments. The long ones are background jobs with a progress
page: a submitted report as PDF or Word, the dossier of a round, and the district summary or
dashboard spreadsheet of many schools (``EXPORT_SHEET_JOB_SCHOOLS``). The direct report download
stays for existing links.
"""

from __future__ import annotations

import datetime
import io
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from evaluations.selectors import rounds_visible_to
from evaluations.selectors_regimes import regime_chosen
from kiemdinh.i18n import N_, Text
from kiemdinh.params import int_or_none
from kiemdinh.permissions import can, check, require
from kiemdinh.storage import open_private
from reviews.models import ReportVersion
from reviews.selectors import dashboard_query, district_dashboard
from schools.selectors import school_years
from schools.years import school_year_current
from selfassessment.models import Report

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
# A spreadsheet of at least this many schools is built as a background job (setting).
DEFAULT_SHEET_JOB_SCHOOLS = 100
# A spreadsheet job built this recently with the same choices is offered again (setting, minutes).
DEFAULT_SHEET_REUSE_MINUTES = 10

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
    title = _("Báo cáo tự đánh giá – %(school)s – phiên bản %(n)s (%(fmt)s)") % {
        "school": report.school.name, "n": version.number, "fmt": fmt.upper()}
    job = _job_for(request, kind=ExportJob.Kind.REPORT, params=params, title=title,
                   organisation=report.school.reviewing_unit,
                   ready=_("Tệp của phiên bản này đã được tạo sẵn; bấm “Tải về”."))
    if job is None:
        return redirect("exports:report_exports", pk=report.pk)
    label = REPORT_FORMATS[fmt][1]
    services.report_export_record(report=report, by=request.user, fmt=fmt, document=str(label),
                                  version_number=version.number, content_hash=version.content_hash,
                                  size=job.size or 0)
    return redirect("exports:job_detail", uuid=job.uuid)


def _job_for(request, *, kind: str, params: dict, title: str, organisation, ready: str,
             built_after=None) -> ExportJob | None:
    """An equal built job the user may open (``built_after``: only one built since then), else the
    same job still being built, else a new one; with the message saying which. None (and an error
    message) when the job is refused."""
    job = selectors.done_job_for(request.user, kind=kind, params=params, built_after=built_after)
    if job is not None:
        messages.info(request, ready)
        return job
    try:
        job, created = services.export_job_request(
            kind=kind, params=params, title=title, organisation=organisation, by=request.user,
            among=selectors.jobs_visible_to(request.user),
        )
    except services.ExportError as exc:
        messages.error(request, str(exc))
        return None
    if created:
        messages.success(request, _("Đã bắt đầu tạo tệp; trang này tự cập nhật tiến độ."))
    else:
        messages.info(request, _("Tệp này đang được tạo; đây là tiến độ của lần tạo đó."))
    return job


def _sheet_is_small(units) -> bool:
    """Whether a spreadsheet of these units' schools is built in the request (few schools)."""
    limit = int(getattr(settings, "EXPORT_SHEET_JOB_SCHOOLS", DEFAULT_SHEET_JOB_SCHOOLS))
    return selectors.active_school_count(units) < limit


def _sheet_built_after():
    minutes = int(getattr(settings, "EXPORT_SHEET_REUSE_MINUTES", DEFAULT_SHEET_REUSE_MINUTES))
    return timezone.now() - datetime.timedelta(minutes=max(minutes, 0))


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


def _summary_units(request, form, units):
    """The units a valid summary form chose: the one picked (404 outside the user's, 403 by the
    rule) or every unit the user reaches (403 when none)."""
    unit_id = form.cleaned_data["unit"]
    if unit_id is not None:
        units = [u for u in units if u.pk == unit_id]
        if not units:
            raise Http404
        require(request.user, "summary.export", units[0])
    if not units:
        raise PermissionDenied(_("Bạn chưa được giao đơn vị nào để tổng hợp."))
    return units


def _summary_page(request, form, units, *, status=200):
    return render(request, "exports/district_summary.html", {"form": form, "units": units}, status=status)


@login_required
@require_GET
def district_summary(request):
    """The district summary spreadsheet: choose the unit, year and report kind, then download."""
    require(request.user, "summary.export", None)
    form, units = _summary_form(request, bound=False)
    return _summary_page(request, form, units)


@login_required
@require_GET
def district_summary_download(request):
    """The summary of few schools, built in the request; a large one is offered as a job instead."""
    require(request.user, "summary.export", None)
    # Missing fields mean the defaults (all units, the current year, periodic reports).
    form, units = _summary_form(request, bound=True)
    if not form.is_valid():
        return _summary_page(request, form, units, status=400)
    chosen = _summary_units(request, form, units)
    if not _sheet_is_small(chosen):
        # No long work in a request: the page offers the same choice as a background job.
        messages.info(request, _("Bảng tổng hợp này có nhiều trường nên được tạo nền: bấm “Tải bảng tính Excel” "
                                 "để tạo tệp và theo dõi tiến độ."))
        return _summary_page(request, form, units)
    school_year = selectors.summary_school_year(form.cleaned_data["school_year"])
    kind = form.cleaned_data["kind"]
    today = timezone.localdate()

    rows = selectors.district_summary_rows(chosen, school_year=school_year, kind=kind, today=today)
    exporter = DistrictSummaryXlsxExporter(rows, units=chosen, school_year=school_year,
                                           kind_label=str(Report.Kind(kind).label), today=today)
    filename, content_type, content = exporter.render()
    for unit in chosen:
        services.export_record(
            target=unit, by=request.user, action="exports.summary.exported",
            summary=Text(N_("Xuất bảng tổng hợp kiểm định năm học %(year)s"), {"year": school_year or "—"}),
            data={"school_year": school_year.code if school_year else None, "kind": kind, "schools": len(rows)},
        )
    return attachment(filename, content_type, content)


@login_required
@require_POST
def district_summary_request(request):
    """The summary form's button: few schools download at once (the GET above), many become a job
    with its progress page; the same choice built a few minutes ago is offered again."""
    require(request.user, "summary.export", None)
    units = selectors.summary_units(request.user)
    form = SummaryForm(request.POST, units=units, school_years=list(school_years()[:10]),
                       current=school_year_current())
    if not form.is_valid():
        return _summary_page(request, form, units, status=400)
    chosen = _summary_units(request, form, units)
    school_year = selectors.summary_school_year(form.cleaned_data["school_year"])
    kind = form.cleaned_data["kind"]
    if _sheet_is_small(chosen):
        query = urlencode({"unit": form.cleaned_data["unit"] or "", "school_year": school_year.pk if school_year else "",
                           "kind": kind})
        return redirect(reverse("exports:district_summary_download") + "?" + query)
    params = {"units": [u.pk for u in chosen], "school_year": school_year.pk if school_year else None, "kind": kind}
    parents = {u.parent_id for u in chosen}
    # Whose figures they are: the unit, or the Sở above all the chosen units (its audience may open it).
    organisation = chosen[0] if len(chosen) == 1 else (chosen[0].parent if len(parents) == 1 else None)
    title = _("Bảng tổng hợp kiểm định năm học %(year)s – %(units)s") % {
        "year": school_year.code if school_year else "—",
        "units": (chosen[0].short_name or chosen[0].name) if len(chosen) == 1
        else ngettext("%(n)s đơn vị", "%(n)s đơn vị", len(chosen)) % {"n": len(chosen)},
    }
    job = _job_for(request, kind=ExportJob.Kind.SUMMARY, params=params, title=title, organisation=organisation,
                   ready=_("Bảng tính với cùng lựa chọn vừa được tạo; bấm “Tải về”."), built_after=_sheet_built_after())
    if job is None:
        return redirect("exports:district_summary")
    return redirect("exports:job_detail", uuid=job.uuid)


def _dashboard(request, params):
    """The dashboard query of ``params`` (404 when the user reaches no unit; the rule for its unit)."""
    require(request.user, "dashboard.district")
    query = dashboard_query(request.user, params)
    if query is None:
        raise Http404
    require(request.user, "dashboard.district", query.unit)
    return query


@login_required
@require_GET
def dashboard_xlsx(request):
    """The district dashboard as an XLSX: exactly its rows (every page of the same filters) and columns.

    Built in the request for a unit of few schools; a large one is the job of ``dashboard_request``
    (the dashboard's button), so this sends the user back to the dashboard with a word about it."""
    query = _dashboard(request, request.GET)
    if not _sheet_is_small([query.unit]):
        messages.info(request, _("Bảng điều khiển này có nhiều trường nên tệp Excel được tạo nền: bấm “Xuất Excel” "
                                 "để tạo tệp và theo dõi tiến độ."))
        return redirect(reverse("reviews:district_dashboard") + "?" + request.GET.urlencode())
    today = timezone.localdate()
    dashboard = district_dashboard(query.unit, school_year=query.school_year, kind=query.kind, filters=query.filters,
                                   period=query.period, today=today)
    words = selectors.dashboard_filter_words(query)
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


@login_required
@require_POST
def dashboard_request(request):
    """The dashboard's “Xuất Excel” button (its query in the URL): a unit of few schools downloads at
    once (``dashboard_xlsx``), a large one becomes a job with its progress page; the same query
    built a few minutes ago is offered again."""
    query = _dashboard(request, request.GET)
    if _sheet_is_small([query.unit]):
        return redirect(reverse("exports:dashboard_xlsx") + "?" + request.GET.urlencode())
    # The query as the dashboard read it (defaults filled in), so that equal choices are equal jobs.
    params = {
        "unit": query.unit.pk, "year": query.school_year.pk if query.school_year else None, "kind": query.kind,
        "period": query.period, "level": query.filters.level, "status": query.filters.status,
        "reviewer": query.filters.reviewer_id, "regime": regime_chosen(request.GET.get("regime")),
    }
    title = _("Bảng điều khiển – %(unit)s – năm học %(year)s (Excel)") % {
        "unit": query.unit.short_name or query.unit.name,
        "year": query.school_year.code if query.school_year else "—"}
    job = _job_for(request, kind=ExportJob.Kind.DASHBOARD, params=params, title=title, organisation=query.unit,
                   ready=_("Bảng tính với cùng lựa chọn vừa được tạo; bấm “Tải về”."), built_after=_sheet_built_after())
    if job is None:
        return redirect(reverse("reviews:district_dashboard") + "?" + request.GET.urlencode())
    return redirect("exports:job_detail", uuid=job.uuid)


# --- Rounds: the letter and the dossier --------------------------------------------------------


def _round(request, pk: int):
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


def _job_origin(job: ExportJob) -> dict:
    """Where the job was asked from (the page to go back to, and to ask again once it expired)."""
    params = job.params or {}
    if job.kind == ExportJob.Kind.REPORT and params.get("report"):
        return {"url": reverse("exports:report_exports", kwargs={"pk": params["report"]}),
                "label": _("Về trang xuất của báo cáo"),
                "expired": _("Tệp đã hết thời hạn lưu và đã được xóa. Xuất lại từ trang xuất của báo cáo.")}
    if job.kind == ExportJob.Kind.SUMMARY:
        return {"url": reverse("exports:district_summary"), "label": _("Về trang bảng tổng hợp"),
                "expired": _("Tệp đã hết thời hạn lưu và đã được xóa. Tạo lại từ trang bảng tổng hợp.")}
    if job.kind == ExportJob.Kind.DASHBOARD:
        query = {k: v for k, v in params.items() if v not in (None, "")}
        return {"url": reverse("reviews:district_dashboard") + ("?" + urlencode(query) if query else ""),
                "label": _("Về bảng điều khiển"),
                "expired": _("Tệp đã hết thời hạn lưu và đã được xóa. Xuất lại từ bảng điều khiển.")}
    if job.kind == ExportJob.Kind.DOSSIER and params.get("round"):
        return {"url": reverse("exports:round_exports", kwargs={"pk": params["round"]}),
                "label": _("Về trang hồ sơ của đợt"),
                "expired": _("Tệp đã hết thời hạn lưu và đã được xóa. Tạo lại hồ sơ từ trang của đợt đánh giá.")}
    return {"url": "", "label": "", "expired": _("Tệp đã hết thời hạn lưu và đã được xóa.")}


@login_required
@require_GET
def job_detail(request, uuid):
    job = _job(request, uuid)
    return render(request, "exports/job_detail.html", {"job": job, "origin": _job_origin(job)})


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
