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

from kiemdinh.storage import open_private

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
    from evaluations.models import EvaluationRound
    from evidence.models import Evidence

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
    from reviews.models import ReportVersion

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
    return name, content_type, tmp, {"report": version.report_id, "version": version.number,
                                     "content_hash": version.content_hash}


BUILDERS = {ExportJob.Kind.DOSSIER: build_dossier, ExportJob.Kind.REPORT: build_report}
