"""Export a report for batch use: ``manage.py export_report --report ID --format pdf|docx|xlsx --output PATH``.

``--school CODE --year 2024-2025`` picks the school's latest report of that year instead of an id
(the one prepared for external evaluation when both kinds exist). The latest submitted version is
exported; ``--report-version N`` picks another, ``--draft`` the live draft (watermarked BẢN NHÁP). With
``--output`` a directory (or ending in "/"), the file keeps its generated name inside it.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from exports import selectors, services
from exports.exporters.report import ReportDocxExporter, ReportPdfExporter
from exports.exporters.sheets import EvidenceListXlsxExporter, ReportSummaryXlsxExporter
from selfassessment.models import Report

FORMATS = {
    "pdf": ReportPdfExporter,
    "docx": ReportDocxExporter,
    "xlsx": ReportSummaryXlsxExporter,
    "evidence-xlsx": EvidenceListXlsxExporter,
}


class Command(BaseCommand):
    help = "Xuất báo cáo tự đánh giá ra PDF, Word hoặc Excel (dùng cho xuất hàng loạt)."

    def add_arguments(self, parser):
        which = parser.add_mutually_exclusive_group(required=True)
        which.add_argument("--report", type=int, help="Mã số (id) của báo cáo.")
        which.add_argument("--school", help="Mã trường, ví dụ DDA-THCS-01 (dùng cùng --year).")
        parser.add_argument("--year", help="Năm học, ví dụ 2024-2025 (dùng cùng --school).")
        parser.add_argument("--format", choices=sorted(FORMATS), default="pdf",
                            help="pdf, docx, xlsx (bảng tổng hợp) hoặc evidence-xlsx (danh mục minh chứng).")
        parser.add_argument("--output", required=True, help="Tệp hoặc thư mục để ghi ra.")
        content = parser.add_mutually_exclusive_group()
        content.add_argument("--report-version", type=int, dest="number", help="Số phiên bản đã nộp (mặc định: phiên bản mới nhất).")
        content.add_argument("--draft", action="store_true", help="Xuất bản nháp hiện tại (in dấu BẢN NHÁP).")
        parser.add_argument("--force", action="store_true", help="Ghi đè tệp đã có.")

    def handle(self, *args, report=None, school=None, year=None, format="pdf", output="", number=None,
               draft=False, force=False, **options):
        target = self._report(report, school, year)
        try:
            source = selectors.report_source(target, version_number=number, draft=draft)
        except selectors.NoSubmittedVersionError:
            raise CommandError(
                f"Báo cáo #{target.pk} ({target.school.code}, {target.school_year}) chưa được nộp; "
                "dùng --draft để xuất bản nháp."
            )
        except Exception as exc:
            if type(exc).__name__ == "DoesNotExist":
                raise CommandError(f"Báo cáo #{target.pk} không có phiên bản {number}.")
            raise
        filename, _content_type, content = FORMATS[format](source.data, source.stamp).render()
        path = Path(output)
        if output.endswith(("/", "\\")) or path.is_dir():
            path.mkdir(parents=True, exist_ok=True)
            path = path / filename
        if path.exists() and not force:
            raise CommandError(f"{path} đã tồn tại; dùng --force để ghi đè.")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
        services.report_export_record(
            report=target, by=None, fmt=format, document="báo cáo tự đánh giá (dòng lệnh)",
            version_number=source.version.number if source.version else None,
            content_hash=source.version.content_hash if source.version else "", size=len(content),
        )
        which = f"phiên bản {source.version.number}" if source.version else "bản nháp"
        self.stdout.write(f"{path}  ({len(content):,} byte, {target.school.code} {target.school_year}, {which})")

    def _report(self, report_id, school, year) -> Report:
        reports = Report.objects.select_related("school", "school_year", "regulation_version__regulation")
        if report_id is not None:
            found = reports.filter(pk=report_id).first()
            if found is None:
                raise CommandError(f"Không có báo cáo #{report_id}.")
            return found
        if not year:
            raise CommandError("--school cần đi cùng --year (ví dụ --year 2024-2025).")
        candidates = list(reports.filter(school__code__iexact=school, school_year__code=year))
        if not candidates:
            raise CommandError(f"Trường {school} không có báo cáo năm học {year}.")
        # The report prepared for external evaluation first, then the most recently changed.
        candidates.sort(key=lambda r: (r.kind != Report.Kind.EXTERNAL, -r.updated_at.timestamp()))
        return candidates[0]
