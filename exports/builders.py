"""Builders of background exports, by job kind: each writes one file and reports its progress.

``build_report``: one submitted version of a report as PDF or Word (Ministry format).

``build_dossier``: the dossier of an external-evaluation round for the Sở, as one ZIP:

    00-cong-van-de-nghi-danh-gia-ngoai-dot-1-2025.pdf / .docx   the district's letter
    01-dda-thcs-01-truong-thcs-dong-da/
        bao-cao-tu-danh-gia-…-v3.pdf                          the submitted version, as printed (TT57: Biểu 1)
        ke-hoach-cai-tien-chat-luong-…-v3.pdf                 TT57: its Biểu 2, as frozen with the version
        danh-muc-minh-chung-…-v3.xlsx                         its evidence list with checksums
        minh-chung/H1-1.1-01-….pdf                            (optional) the evidence files
    MANIFEST.txt                                               every file with its SHA-256

Evidence files are optional (a tick on the form): the list and its checksums are always there, and
the files can weigh hundreds of megabytes. A file is included only when its checksum still matches
the one frozen in the submitted version; otherwise the manifest says it changed since submission.
"""

from __future__ import annotations

import hashlib
import logging
import tempfile
import time
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from evaluations.models import EvaluationRound
from evidence.models import Evidence
from kiemdinh.i18n import N_, Text
from kiemdinh.permissions import can
from kiemdinh.storage import open_private
from reviews.models import ReportVersion
from reviews.selectors import dashboard_query, district_dashboard
from schools.models import Organisation
from selfassessment.models import Report

from .document import slug
from .models import ExportJob

DEFAULT_FILES_MAX_MB = 500


class BuildError(Exception):
    """The export cannot be built for a reason the user can act on (message shown as is)."""


@contextmanager
def pages_laid_out(callback: Callable[[int], None], *, every: float = 1.5) -> Iterator[None]:
    """Call ``callback(page)`` while WeasyPrint lays pages out (at most every ``every`` seconds).

    WeasyPrint reports its progress on the "weasyprint.progress" logger ("Step 5 - Creating layout -
    Page %d"); a background build listens to it so that the progress page can say which page it is
    on. The logger's level and propagation are restored afterwards, so nothing reaches the logs.
    """
    logger = logging.getLogger("weasyprint.progress")
    last = [0.0]

    class Listener(logging.Handler):
        def emit(self, record):
            if record.msg.startswith("Step 5 - Creating layout - Page") and record.args:
                now = time.monotonic()
                if now - last[0] >= every:
                    last[0] = now
                    callback(int(record.args[0]))

    listener = Listener()
    saved = (logger.level, logger.propagate)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    logger.addHandler(listener)
    try:
        yield
    finally:
        logger.removeHandler(listener)
        logger.setLevel(saved[0])
        logger.propagate = saved[1]


def _add(zf: zipfile.ZipFile, manifest: list[str], name: str, content: bytes) -> None:
    zf.writestr(name, content)
    manifest.append(f"{hashlib.sha256(content).hexdigest()}  {len(content):>10}  {name}")


def build_dossier(job: ExportJob, progress: Callable[[int, str], None]):
    from .exporters.forms import RoundLetterExporter
    from .exporters.plan57 import version_plan_files
    from .exporters.report import ReportPdfExporter
    from .exporters.sheets import EvidenceListXlsxExporter
    from .selectors import round_entries, round_letter_info, version_stamp

    evaluation_round = (
        EvaluationRound.objects.select_related("unit", "unit__parent").filter(pk=job.params.get("round")).first()
    )
    if evaluation_round is None:
        raise BuildError(_("Đợt đánh giá ngoài không còn tồn tại."))
    include_files = bool(job.params.get("include_files"))
    budget = int(getattr(settings, "EXPORT_DOSSIER_FILES_MAX_MB", DEFAULT_FILES_MAX_MB)) * 1024 * 1024
    progress(1, _("Đang đọc danh sách trường"))
    entries = round_entries(evaluation_round)
    if not entries:
        raise BuildError(_("Đợt đánh giá chưa có trường nào đăng ký."))
    manifest: list[str] = []
    notes: list[str] = []
    tmp = tempfile.TemporaryFile()
    try:
        with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            progress(3, _("Đang tạo công văn"))
            info = round_letter_info(evaluation_round, entries, on=timezone.localdate())
            for fmt in ("pdf", "docx"):
                name, _type, content = RoundLetterExporter(info, fmt).render()
                _add(zf, manifest, f"00-{name}", content)
            total = len(entries)
            for index, entry in enumerate(entries, start=1):
                school = entry.school
                folder = f"{index:02d}-{slug(school.code)}-{slug(school.name)}/"
                share = 90 / total
                base = 5 + share * (index - 1)
                label = {"school": school.name, "i": index, "n": total}
                progress(int(base), _("Đang tạo báo cáo của %(school)s (%(i)s/%(n)s)") % label)
                if entry.version is None:
                    text = _("%(school)s: %(reason)s.") % {"school": school.name, "reason": entry.missing_reason}
                    _add(zf, manifest, folder + "CHUA-CO-BAO-CAO.txt", text.encode("utf-8"))
                    notes.append(text)
                    continue
                data, stamp = entry.version.data, version_stamp(entry.version)

                def on_page(page, base=base, share=share, label=label):
                    # A report is about 90 pages; layout is most of the work of a school's share.
                    progress(int(base + share * min(page, 90) / 100),
                             _("Đang dàn trang báo cáo của %(school)s (%(i)s/%(n)s): trang %(page)s")
                             % {**label, "page": page})

                with pages_laid_out(on_page):
                    name, _type, content = ReportPdfExporter(data, stamp).render()
                _add(zf, manifest, folder + name, content)
                # A TT57 report travels with its Biểu 2 (the plan frozen with the version).
                for name, content in version_plan_files(data, stamp):
                    _add(zf, manifest, folder + name, content)
                progress(int(base + share * 0.95), _("Đang lập danh mục minh chứng của %(school)s") % label)
                name, _type, content = EvidenceListXlsxExporter(data, stamp).render()
                _add(zf, manifest, folder + name, content)
                if include_files:
                    budget = _add_evidence_files(zf, manifest, notes, folder, school, data, budget, Evidence)
            progress(97, _("Đang hoàn tất"))
            header = [
                _("HỒ SƠ ĐỀ NGHỊ ĐÁNH GIÁ NGOÀI – %(round)s – %(unit)s") % {
                    "round": evaluation_round, "unit": evaluation_round.unit.name},
                _("Tạo lúc %(when)s; mỗi dòng: mã băm SHA-256, dung lượng (byte), tên tệp.") % {
                    "when": timezone.localtime().strftime("%H:%M %d/%m/%Y")},
                "",
            ]
            for entry in entries:
                if entry.version is not None:
                    header.append(_("%(school)s: báo cáo phiên bản %(n)s, mã kiểm tra %(hash)s") % {
                        "school": entry.school.name, "n": entry.version.number, "hash": entry.version.content_hash})
            text = "\n".join([*header, "", *manifest, "", *notes]) + "\n"
            zf.writestr("MANIFEST.txt", text.encode("utf-8"))
    except BaseException:
        tmp.close()
        raise
    name = f"ho-so-danh-gia-ngoai-{slug(evaluation_round.unit.short_name or evaluation_round.unit.code)}-" \
           f"dot-{evaluation_round.number}-{evaluation_round.year}.zip"
    summary = {"schools": len(entries), "without_report": sum(1 for e in entries if e.version is None),
               "files": len(manifest)}
    return name, "application/zip", tmp, summary


def _add_evidence_files(zf, manifest, notes, folder, school, data, budget, Evidence) -> int:
    """Copy the evidence files whose checksum matches the submitted version, within ``budget`` bytes."""
    frozen = {item["code"]: (item.get("file") or {}) for item in data.get("evidence") or [] if item.get("file")}
    if not frozen:
        return budget
    items = Evidence.objects.filter(school=school, code__in=list(frozen)).exclude(file="").only(
        "code", "file", "file_name", "sha256", "file_size"
    )
    for item in sorted(items, key=lambda e: e.code):
        expected = frozen[item.code].get("sha256")
        if item.sha256 != expected:
            notes.append(_("%(school)s – %(code)s: tệp đã thay đổi sau khi nộp báo cáo, không đưa vào hồ sơ.") % {
                "school": school.name, "code": item.code})
            continue
        if (item.file_size or 0) > budget:
            notes.append(_("%(school)s – %(code)s: vượt giới hạn dung lượng hồ sơ, không đưa vào.") % {
                "school": school.name, "code": item.code})
            continue
        extension = item.file.name.rsplit(".", 1)[-1] if "." in item.file.name else "bin"
        name = f"{folder}minh-chung/{item.code}-{slug(item.file_name.rsplit('.', 1)[0])[:60]}.{extension}"
        digest = hashlib.sha256()
        size = 0
        with open_private(item.file) as source, zf.open(name, "w", force_zip64=True) as target:
            for chunk in iter(lambda: source.read(1024 * 1024), b""):
                digest.update(chunk)
                size += len(chunk)
                target.write(chunk)
        manifest.append(f"{digest.hexdigest()}  {size:>10}  {name}")
        budget -= size
    return budget


def build_report(job: ExportJob, progress: Callable[[int, str], None]):
    """One submitted version of a report as PDF or Word: the same exporters as the direct download.

    The version must still hold the content it had when the job was asked for (its content hash is
    in the parameters): the file then is that document, whoever downloads it later.
    """
    from .exporters.report import ReportDocxExporter, ReportPdfExporter
    from .selectors import version_stamp

    params = job.params
    exporters = {"pdf": ReportPdfExporter, "docx": ReportDocxExporter}
    if params.get("fmt") not in exporters:
        raise BuildError(_("Định dạng tệp không được hỗ trợ."))
    version = ReportVersion.objects.filter(report_id=params.get("report"), number=params.get("version")).first()
    if version is None or version.content_hash != params.get("content_hash"):
        raise BuildError(_("Phiên bản báo cáo này không còn như lúc yêu cầu; hãy xuất lại từ trang của báo cáo."))
    progress(5, _("Đang đọc phiên bản %(n)s của báo cáo") % {"n": version.number})
    summary = {"report": version.report_id, "version": version.number, "content_hash": version.content_hash}
    _wait_for_earlier_render(job, progress)
    copied = _copy_of_rendered_report(job, progress)
    if copied is not None:
        name, content_type, tmp, source = copied
        return name, content_type, tmp, {**summary, "copied_from": str(source.uuid)}
    exporter = exporters[params["fmt"]](version.data, version_stamp(version))
    if params["fmt"] == "pdf":
        def on_page(page):
            # A report is about 90 pages; laying them out is most of the work.
            progress(10 + 85 * min(page, 90) // 90, _("Đang dàn trang: trang %(page)s") % {"page": page})

        with pages_laid_out(on_page):
            name, content_type, content = exporter.render()
    else:
        progress(10, _("Đang tạo tệp Word"))
        name, content_type, content = exporter.render()
    tmp = tempfile.TemporaryFile()
    tmp.write(content)
    return name, content_type, tmp, summary


# How often a job waiting for another's render of the same version looks again (seconds).
RENDER_WAIT_POLL = 0.5


def _wait_for_earlier_render(job: ExportJob, progress: Callable[[int, str], None]) -> None:
    """While another worker renders the same version (taken before this job, still alive), wait for
    it: two people asking at once on two nodes get one rendering, the second job then copies its
    file. A renderer that stops (failed, or silent past the stale limit) is waited for no longer,
    and this job renders the version itself."""
    from .selectors import report_job_rendering_before
    from .services import job_stale_after

    told = False
    last_beat = 0.0
    while True:
        earlier = report_job_rendering_before(job, alive_since=timezone.now() - job_stale_after())
        if earlier is None:
            return
        if not told or time.monotonic() - last_beat > 5:
            # Also this job's heartbeat, so that the sweep does not take it for a dead one.
            progress(5, _("Đang chờ tệp của phiên bản này, đang được tạo theo yêu cầu khác"))
            told, last_beat = True, time.monotonic()
        time.sleep(RENDER_WAIT_POLL)


def _copy_of_rendered_report(job: ExportJob, progress: Callable[[int, str], None]):
    """The file of the same version, format and content hash already built for anybody, copied:
    a submitted version is rendered once, however many people ask for it (each still gets a job
    of their own, which only they and their unit may open). None when there is none to copy, or
    its stored file is gone or no longer matches its checksum (then the report is rendered)."""
    from .selectors import rendered_report_job

    source = rendered_report_job(job.params, exclude_pk=job.pk)
    if source is None:
        return None
    progress(50, _("Dùng lại tệp đã tạo của phiên bản này"))
    tmp = tempfile.TemporaryFile()
    digest = hashlib.sha256()
    try:
        with open_private(source.file) as handle:
            for chunk in iter(lambda: handle.read(1024 * 1024), b""):
                digest.update(chunk)
                tmp.write(chunk)
    except OSError:
        tmp.close()
        return None
    if digest.hexdigest() != source.sha256:
        tmp.close()
        return None
    return source.file_name, source.content_type, tmp, source


def _requester(job: ExportJob):
    if job.requested_by is None or not job.requested_by.is_active:
        raise BuildError(_("Người yêu cầu tệp này không còn hoạt động."))
    return job.requested_by


def _sheet_file(exporter) -> tuple[str, str, object]:
    name, content_type, content = exporter.render()
    tmp = tempfile.TemporaryFile()
    tmp.write(content)
    return name, content_type, tmp


def build_district_summary(job: ExportJob, progress: Callable[[int, str], None]):
    """The district summary spreadsheet (one row per school) of the units in the parameters, for the
    year and report kind: read unit by unit (the progress), then written as one sheet.

    The requester must still reach every unit: the file holds what they may see when it is built.
    """
    from . import services
    from .exporters.sheets import DistrictSummaryXlsxExporter
    from .selectors import district_summary_rows, summary_school_year, summary_units

    params = job.params
    user = _requester(job)
    wanted = [int(pk) for pk in params.get("units") or []]
    units = [unit for unit in summary_units(user) if unit.pk in wanted]
    if not wanted or len(units) != len(wanted) or not all(can(user, "summary.export", u) for u in units):
        raise BuildError(_("Bạn không còn quyền tổng hợp số liệu của đơn vị này."))
    kind = params.get("kind")
    if kind not in Report.Kind.values:
        raise BuildError(_("Loại báo cáo không hợp lệ."))
    school_year = summary_school_year(params.get("school_year"))
    today = timezone.localdate()
    rows = []
    for index, unit in enumerate(units, start=1):
        progress(5 + 75 * (index - 1) // len(units),
                 _("Đang đọc số liệu của %(unit)s (%(i)s/%(n)s)") % {"unit": unit, "i": index, "n": len(units)})
        rows.extend(district_summary_rows([unit], school_year=school_year, kind=kind, today=today))
    progress(85, _("Đang ghi bảng tính (%(n)s trường)") % {"n": len(rows)})
    exporter = DistrictSummaryXlsxExporter(rows, units=units, school_year=school_year,
                                           kind_label=str(Report.Kind(kind).label), today=today)
    name, content_type, tmp = _sheet_file(exporter)
    for unit in Organisation.objects.filter(pk__in=[u.pk for u in units]):
        services.export_record(
            target=unit, by=user, action="exports.summary.exported",
            summary=Text(N_("Xuất bảng tổng hợp kiểm định năm học %(year)s"), {"year": school_year or "—"}),
            data={"school_year": school_year.code if school_year else None, "kind": kind, "schools": len(rows)},
        )
    return name, content_type, tmp, {"schools": len(rows)}


def build_dashboard(job: ExportJob, progress: Callable[[int, str], None]):
    """The district dashboard as a spreadsheet: the same query as the page (unit, year, kind,
    period and filters in the parameters), read for the requester as they may see it now."""
    from . import services
    from .exporters.sheets import DistrictDashboardXlsxExporter
    from .selectors import dashboard_filter_words

    user = _requester(job)
    query = dashboard_query(user, {k: "" if v is None else str(v) for k, v in job.params.items()})
    if query is None or query.unit.pk != job.params.get("unit") or not can(user, "dashboard.district", query.unit):
        raise BuildError(_("Bạn không còn quyền xem bảng điều khiển của đơn vị này."))
    today = timezone.localdate()
    progress(10, _("Đang đọc số liệu của %(unit)s") % {"unit": query.unit})
    dashboard = district_dashboard(query.unit, school_year=query.school_year, kind=query.kind,
                                   filters=query.filters, period=query.period, today=today)
    progress(70, _("Đang ghi bảng tính (%(n)s trường)") % {"n": len(dashboard.rows)})
    words = dashboard_filter_words(query)
    exporter = DistrictDashboardXlsxExporter(dashboard, kind_label=str(Report.Kind(query.kind).label),
                                             filter_words=words, today=today, regime=job.params.get("regime", ""))
    name, content_type, tmp = _sheet_file(exporter)
    services.export_record(
        target=query.unit, by=user, action="exports.dashboard.exported",
        summary=Text(N_("Xuất bảng điều khiển năm học %(year)s"), {"year": query.school_year or "—"}),
        data={"school_year": query.school_year.code if query.school_year else None, "kind": query.kind,
              "schools": len(dashboard.rows), "filters": words},
    )
    return name, content_type, tmp, {"schools": len(dashboard.rows)}


BUILDERS = {
    ExportJob.Kind.DOSSIER: build_dossier,
    ExportJob.Kind.REPORT: build_report,
    ExportJob.Kind.SUMMARY: build_district_summary,
    ExportJob.Kind.DASHBOARD: build_dashboard,
}
