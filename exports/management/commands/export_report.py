"""Export a report for batch use: ``manage.py export_report --report ID --format pdf|docx|xlsx --output PATH``.

A TT57/2026 report prints as Biểu 1; ``--document improvement-plan`` exports its Biểu 2 (Kế hoạch
cải tiến chất lượng, PDF or Word) instead: the plan frozen with the version, or the live plan with
``--draft``.

``--school CODE --year 2024-2025`` picks the school's latest report of that year instead of an id
(the one prepared for external evaluation when both kinds exist). The latest submitted version is
exported; ``--report-version N`` picks another, ``--draft`` the live draft (watermarked BẢN NHÁP). With
``--output`` a directory (or ending in "/"), the file keeps its generated name inside it.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from exports import selectors, services
from exports.exporters.plan57 import ImprovementPlan57Exporter, plan_document
from exports.exporters.report import ReportDocxExporter, ReportPdfExporter
from exports.exporters.sheets import EvidenceListXlsxExporter, ReportSummaryXlsxExporter
from selfassessment.models import Report

FORMATS = {
    "pdf": ReportPdfExporter,
    "docx": ReportDocxExporter,
    "xlsx": ReportSummaryXlsxExporter,
    "evidence-xlsx": EvidenceListXlsxExporter,
}

DOCUMENTS = ("report", "improvement-plan")


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
        parser.add_argument("--document", choices=DOCUMENTS, default="report",
                            help="report (báo cáo tự đánh giá, mặc định) hoặc improvement-plan "
                                 "(Biểu 2 – kế hoạch cải tiến chất lượng của báo cáo theo Thông tư 57/2026).")

    def handle(self, *args, report=None, school=None, year=None, format="pdf", output="", number=None,
               draft=False, force=False, document="report", **options):
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
        if document == "improvement-plan":
            exporter = self._plan_exporter(target, source, format)
            label = "kế hoạch cải tiến chất lượng (Biểu 2, dòng lệnh)"
        else:
            exporter = FORMATS[format](source.data, source.stamp)
            label = "báo cáo tự đánh giá (dòng lệnh)"
        filename, _content_type, content = exporter.render()
        path = Path(output)
        if output.endswith(("/", "\\")) or path.is_dir():
            path.mkdir(parents=True, exist_ok=True)
            path = path / filename
        if path.exists() and not force:
            raise CommandError(f"{path} đã tồn tại; dùng --force để ghi đè.")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
        services.report_export_record(
            report=target, by=None, fmt=format, document=label,
            version_number=source.version.number if source.version else None,
            content_hash=source.version.content_hash if source.version else "", size=len(content),
        )
        which = f"phiên bản {source.version.number}" if source.version else "bản nháp"
        self.stdout.write(f"{path}  ({len(content):,} byte, {target.school.code} {target.school_year}, {which})")

    @staticmethod
    def _plan_exporter(target: Report, source, format: str) -> ImprovementPlan57Exporter:
        from selfassessment.tt57 import is_tt57

        if not is_tt57(target):
            raise CommandError(f"Báo cáo #{target.pk} không theo Thông tư 57/2026: không có Biểu 2.")
        if format not in ("pdf", "docx"):
            raise CommandError("Biểu 2 chỉ xuất ra pdf hoặc docx.")
        plan = plan_document(target, source)
        if plan is None:
            which = f"phiên bản {source.version.number}" if source.version else "bản nháp"
            raise CommandError(f"Báo cáo #{target.pk} ({which}) chưa có kế hoạch cải tiến chất lượng (Biểu 2).")
        return ImprovementPlan57Exporter(plan, source.data, source.stamp, format)

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
