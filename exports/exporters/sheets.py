"""Spreadsheets (openpyxl): a report's summary table and evidence list, the improvement plan, the
external result beside the self-assessment, and the district summary.

Each is formatted the same way (``exports.xlsx``): title lines, a bold header, widths, frozen panes
below the header, an auto-filter, A4 landscape printing.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from typing import Any

from django.utils import timezone

from evaluations import selectors_regimes
from evaluations.selectors_regimes import regime_chosen, regime_label
from exports import summary57
from exports.document import (
    ReportDocument,
    Stamp,
    build_report_document,
    date_vn,
    evidence_list_is_tt57,
    level_word,
    slug,
)
from exports.xlsx import Column, WorkbookWriter
from selfassessment.models import Report

from .base import Exporter


def _local(moment: datetime.datetime | None) -> datetime.datetime | None:
    return timezone.localtime(moment) if moment else None


class ReportSheetExporter(Exporter):
    """A spreadsheet of one report's content (the dict of a version or of the draft)."""

    extension = "xlsx"
    kind = ""

    def __init__(self, data: Mapping[str, Any], stamp: Stamp | None = None):
        self.data = data
        self.stamp = stamp or Stamp()
        self._document: ReportDocument | None = None

    @property
    def document(self) -> ReportDocument:
        if self._document is None:
            self._document = build_report_document(self.data, self.stamp)
        return self._document

    def file_stem(self) -> str:
        return self.document.file_stem.replace("bao-cao-tu-danh-gia", self.kind, 1)

    def heading(self, title: str) -> list[str]:
        doc = self.document
        return [title, f"{doc.school_name} – năm học {doc.school_year} – {doc.regulation_code}", doc.stamp.footer]


class ReportSummaryXlsxExporter(ReportSheetExporter):
    """Bảng tổng hợp kết quả tự đánh giá: per criterion the marks, the level and what holds it back."""

    kind = "bang-tong-hop"

    def content(self) -> bytes:
        doc = self.document
        book = WorkbookWriter()
        summary = doc.summary
        marks = summary.columns if summary.binary else ["Không đạt", *(f"Đạt {c}" for c in summary.columns[1:])]
        columns = [Column("Tiêu chuẩn", 12), Column("Tiêu chí", 10), Column("Tên tiêu chí", 50, "wrap"),
                   *(Column(m, 11, "center") for m in marks), Column("Kết quả", 14),
                   Column("Lý do chưa đạt mức cao hơn", 60, "wrap")]
        sheet = book.sheet("Tổng hợp", columns, heading=self.heading("BẢNG TỔNG HỢP KẾT QUẢ TỰ ĐÁNH GIÁ"),
                           freeze_columns=2)
        criteria = {c.number: c for c in doc.criteria()}
        for standard_section, standard in zip(doc.standards, summary.standards, strict=False):
            sheet.group(standard.label)
            for row in standard.rows:
                number = row.label.removeprefix("Tiêu chí ").strip()
                criterion = criteria.get(number)
                sheet.add([
                    f"Tiêu chuẩn {standard_section.number}", number, criterion.title if criterion else "",
                    *row.marks, criterion.result if criterion else "",
                    "\n".join(criterion.explanation) if criterion else "",
                ])
        sheet.finish()
        if summary.level4:
            level4 = book.sheet("Mức 4", [Column("Yêu cầu", 12), Column("Nội dung", 80, "wrap"), Column("Đạt", 8, "center"),
                                          Column("Không đạt", 10, "center")],
                                heading=self.heading("ĐÁNH GIÁ TIÊU CHÍ MỨC 4"))
            for row, item in zip(summary.level4, doc.level4, strict=False):
                level4.add([row.label, item.text, row.met, row.not_met])
            level4.finish()
        result = book.sheet("Kết luận", [Column("Nội dung", 100, "wrap")], heading=self.heading("KẾT LUẬN CHUNG"),
                            freeze_columns=0, landscape=False)
        for line in [*doc.counts, f"Mức đánh giá của trường: {doc.school_result}.", doc.proposal, *doc.explanation]:
            result.add([line])
        result.finish()
        return book.save()


class EvidenceListXlsxExporter(ReportSheetExporter):
    """Danh mục mã minh chứng, with the official columns plus criterion, box, file and checksum."""

    kind = "danh-muc-minh-chung"

    def content(self) -> bytes:
        if evidence_list_is_tt57(self.data):
            return self._content_tt57()
        doc = self.document
        book = WorkbookWriter()
        columns = [
            Column("Số TT", 7, "int"), Column("Mã minh chứng", 16), Column("Tên minh chứng", 55, "wrap"),
            Column("Số, ngày ban hành hoặc thời điểm khảo sát, điều tra, phỏng vấn, quan sát", 30, "wrap"),
            Column("Nơi ban hành hoặc nhóm, cá nhân thực hiện", 28, "wrap"), Column("Ghi chú", 24, "wrap"),
            Column("Tiêu chí", 10, "center"), Column("Hộp", 7, "int"), Column("Dùng chung cho tiêu chí", 16),
            Column("Tệp", 26), Column("Mã băm SHA-256 của tệp", 66),
        ]
        sheet = book.sheet("Danh mục minh chứng", columns, heading=self.heading("DANH MỤC MÃ MINH CHỨNG"),
                           freeze_columns=2)
        items = {str(item.get("code", "")): item for item in self.data.get("evidence") or []}
        for group in doc.evidence:
            if group.level == 1:
                sheet.group(group.label)
            for row in group.rows:
                item = items.get(row.code, {})
                file = item.get("file") or {}
                sheet.add([
                    row.order, row.code, row.name, row.issued, row.issuer, row.note, row.criterion, item.get("box"),
                    ", ".join(item.get("shared_criteria") or []), file.get("name", ""), file.get("sha256", ""),
                ])
        sheet.finish()
        return book.save()


    def _content_tt57(self) -> bytes:
        """The five columns of the TT57 list (mẫu mục II khoản 4 Phụ lục IV)."""
        doc = self.document
        book = WorkbookWriter()
        columns = [
            Column("TT", 6, "int"), Column("Mã minh chứng", 16), Column("Tên minh chứng", 55, "wrap"),
            Column("Định dạng, vị trí lưu trữ hoặc đường dẫn điện tử", 40, "wrap"), Column("Ghi chú", 30, "wrap"),
        ]
        sheet = book.sheet("Danh mục minh chứng", columns, heading=self.heading("DANH MỤC MINH CHỨNG"),
                           freeze_columns=2)
        items = {str(item.get("code", "")): item for item in self.data.get("evidence") or []}
        for group in doc.evidence:
            if group.level == 1:
                sheet.group(group.label)
            for row in group.rows:
                item = items.get(row.code, {})
                sheet.add([row.order, row.code, row.name, row.storage, tt57_note(item, row.note)])
        sheet.finish()
        return book.save()


def tt57_note(item: Mapping[str, Any], note: str) -> str:
    lines = [note] if note else []
    shared = item.get("shared_criteria") or []
    if shared:
        lines.append("Dùng chung cho tiêu chí " + ", ".join(shared))
    return "\n".join(lines)


_STATUS_WORDS = {"not_started": "Chưa thực hiện", "in_progress": "Đang thực hiện", "done": "Đã hoàn thành",
                 "dropped": "Không thực hiện"}


class ImprovementPlanXlsxExporter(Exporter):
    """Theo dõi kế hoạch cải tiến chất lượng: every action of the report with its status and progress."""

    extension = "xlsx"

    def __init__(self, report, actions: Sequence, *, today: datetime.date | None = None):
        self.report = report
        self.actions = actions
        self.today = today or timezone.localdate()

    def file_stem(self) -> str:
        return f"ke-hoach-cai-tien-{slug(self.report.school.code)}-{self.report.school_year.code}"

    def content(self) -> bytes:
        book = WorkbookWriter()
        columns = [
            Column("STT", 6, "int"), Column("Tiêu chí", 12), Column("Nội dung, biện pháp cải tiến", 50, "wrap"),
            Column("Người, bộ phận thực hiện", 24, "wrap"), Column("Từ ngày", 12, "date"), Column("Đến ngày", 12, "date"),
            Column("Nguồn lực, kinh phí", 24, "wrap"), Column("Kết quả dự kiến", 30, "wrap"),
            Column("Tình trạng", 16), Column("Quá hạn", 9, "center"), Column("Lý do không thực hiện", 24, "wrap"),
            Column("Tiến độ gần nhất", 16, "date"), Column("Nội dung tiến độ", 45, "wrap"),
        ]
        heading = [
            "THEO DÕI THỰC HIỆN KẾ HOẠCH CẢI TIẾN CHẤT LƯỢNG",
            f"{self.report.school.name} – năm học {self.report.school_year.code}",
            f"Số liệu ngày {self.today:%d/%m/%Y}",
        ]
        sheet = book.sheet("Kế hoạch cải tiến", columns, heading=heading, freeze_columns=3)
        for index, action in enumerate(self.actions, start=1):
            target = f"Tiêu chí {action.criterion.number}" if action.criterion_id else f"Mức 4 – {action.level4.number}"
            notes = list(action.progress_notes.all())
            latest = notes[0] if notes else None
            overdue = (
                action.due_on is not None and action.due_on < self.today and action.status in ("not_started", "in_progress")
            )
            sheet.add([
                index, target, action.action, action.responsible, action.start_on, action.due_on, action.resources,
                action.expected_result, _STATUS_WORDS.get(action.status, action.status), "x" if overdue else "",
                action.dropped_reason, latest.date if latest else None, latest.text if latest else "",
            ])
        sheet.finish()
        return book.save()


class ExternalResultXlsxExporter(Exporter):
    """The external evaluation's result per criterion beside the self-assessed level, and its recommendations."""

    extension = "xlsx"

    def __init__(self, evaluation, rows: Sequence, recommendations: Mapping[str, list[str]]):
        self.evaluation = evaluation
        self.rows = rows
        self.recommendations = recommendations

    def file_stem(self) -> str:
        school = self.evaluation.school
        return f"ket-qua-danh-gia-ngoai-{slug(school.code)}-{self.evaluation.pk}"

    def content(self) -> bytes:
        evaluation = self.evaluation
        book = WorkbookWriter()
        heading = [
            "KẾT QUẢ ĐÁNH GIÁ NGOÀI SO VỚI TỰ ĐÁNH GIÁ",
            f"{evaluation.school.name} – {evaluation.regulation_version.regulation.code}",
            f"Quyết định thành lập đoàn: {evaluation.team_decision_number or '…'}"
            + (f" ngày {date_vn(evaluation.team_decision_date)}" if evaluation.team_decision_date else ""),
        ]
        columns = [Column("Tiêu chuẩn", 11), Column("Tiêu chí", 10), Column("Tên tiêu chí", 50, "wrap"),
                   Column("Tự đánh giá", 14, "center"), Column("Đánh giá ngoài", 16, "center"),
                   Column("Chênh lệch", 12, "center"), Column("Ghi chú của đoàn", 40, "wrap"),
                   Column("Kiến nghị", 60, "wrap")]
        sheet = book.sheet("So sánh theo tiêu chí", columns, heading=heading, freeze_columns=2)
        for row in self.rows:
            external = row.result.level if row.result else None
            difference = "" if external is None or row.self_level is None else external - row.self_level
            sheet.add([
                f"Tiêu chuẩn {row.standard.number}", row.criterion.number, row.criterion.title,
                level_word(row.self_level) if row.self_level is not None else "",
                level_word(external) if external is not None else "Chưa có kết quả",
                f"{difference:+d}" if isinstance(difference, int) and difference else ("0" if difference == 0 else ""),
                row.result.note if row.result else "", "\n".join(self.recommendations.get(row.criterion.number, [])),
            ])
        sheet.finish()
        general = self.recommendations.get("", [])
        summary = book.sheet("Kết luận của đoàn", [Column("Nội dung", 30, "wrap"), Column("Kết quả", 90, "wrap")],
                             heading=heading, freeze_columns=1)
        proposed = evaluation.proposed_accreditation_level
        national = evaluation.proposed_national_standard
        for label, value in [
            ("Điểm mạnh", evaluation.strengths),
            ("Điểm yếu", evaluation.weaknesses),
            ("Kiến nghị chung", "\n".join(general)),
            ("Đề nghị cấp độ kiểm định", f"Cấp độ {proposed}" if proposed else "Chưa đề nghị"),
            ("Đề nghị chuẩn quốc gia", f"Mức độ {national}" if national else "Không đề nghị"),
            ("Báo cáo chính thức", date_vn(evaluation.final_report_date)),
        ]:
            summary.add([label, value])
        summary.finish()
        return book.save()


# The periodic reports of a school year (evaluations.ReportingDeadline.Period), as the sheet names them.
PERIODIC_TITLES = (("semester1", "học kỳ I"), ("year_end", "cuối năm học"))


class DistrictSummaryXlsxExporter(Exporter):
    """The district summary: every school with its report status, levels, certificate and deadline.

    ``rows``: ``exports.selectors.district_summary_rows`` (plain values, one per school).
    """

    extension = "xlsx"

    def __init__(self, rows: Sequence, *, units: Sequence, school_year, kind_label: str,
                 today: datetime.date | None = None):
        self.rows = rows
        self.units = units
        self.school_year = school_year
        self.kind_label = kind_label
        self.today = today or timezone.localdate()

    def file_stem(self) -> str:
        year = self.school_year.code if self.school_year else "khong-co-nam-hoc"
        unit = slug(self.units[0].short_name or self.units[0].code) if len(self.units) == 1 else "cac-don-vi"
        return f"tong-hop-kiem-dinh-{unit}-{year}"

    def content(self) -> bytes:
        book = WorkbookWriter()
        columns = [
            Column("STT", 6, "int"), Column("Đơn vị quản lý", 22), Column("Mã trường", 14), Column("Tên trường", 34),
            Column("Cấp học", 14), Column("Loại hình", 11), Column("Trạng thái báo cáo tự đánh giá", 20),
            Column("Phiên bản đã nộp", 10, "int"), Column("Nộp lần gần nhất", 14, "date"),
            Column("Chuyên viên thẩm định", 22), Column("Góp ý chưa xử lý", 10, "int"),
            Column("Mức tự đánh giá", 12, "center"), Column("Cấp độ KĐCLGD (tự đánh giá)", 13, "center"),
            Column("Chuẩn quốc gia (tự đánh giá)", 13, "center"),
            Column("Hạn nộp báo cáo tự đánh giá (đợt ĐGN)", 13, "date"),
            Column("Tình trạng hạn nộp báo cáo tự đánh giá", 22),
            *[column for _period, title in PERIODIC_TITLES for column in (
                Column(f"Hạn nộp báo cáo định kỳ {title}", 12, "date"), Column(f"Tình trạng hạn nộp {title}", 16),
                Column(f"Trạng thái báo cáo định kỳ {title}", 16))],
            Column("Số quyết định công nhận", 18), Column("Ngày quyết định", 13, "date"),
            Column("Cấp độ được công nhận", 12, "center"), Column("Chuẩn quốc gia được công nhận", 13, "center"),
            Column("Hiệu lực đến", 13, "date"), Column("Tình trạng chứng nhận", 16),
            # Both regimes: the regulation of the report, and TT57's Biểu 2 (exports.summary57).
            *[Column(title, 16) for title in summary57.COLUMNS],
        ]
        regimes = summary57.regime_cells((row.code for row in self.rows), self.school_year, self.kind_label)
        year = self.school_year.code if self.school_year else "—"
        units = ", ".join(u.short_name or u.name for u in self.units) if len(self.units) <= 3 else \
            f"{len(self.units)} đơn vị"
        heading = [
            "TỔNG HỢP TÌNH HÌNH KIỂM ĐỊNH CHẤT LƯỢNG GIÁO DỤC",
            f"{units} – năm học {year} – {self.kind_label}",
            f"Số liệu ngày {self.today:%d/%m/%Y}",
        ]
        sheet = book.sheet("Tổng hợp", columns, heading=heading, freeze_columns=4)
        for index, row in enumerate(self.rows, start=1):
            sheet.add([
                index, row.unit, row.code, row.name, row.level, row.ownership, row.report_status or "Chưa tạo báo cáo",
                row.version, _local(row.submitted_at).date() if row.submitted_at else None, row.reviewer,
                row.open_threads,
                level_word(row.school_level) if row.school_level is not None else "",
                f"Cấp độ {row.accreditation_level}" if row.accreditation_level else "",
                f"Mức độ {row.national_standard}" if row.national_standard else "",
                row.self_deadline, row.self_deadline_status,
                *[value for period, _title in PERIODIC_TITLES for value in row.periodic.get(period, (None, "", ""))],
                row.certificate_number, row.certificate_date,
                f"Cấp độ {row.certificate_accreditation}" if row.certificate_accreditation else "",
                f"Mức độ {row.certificate_national}" if row.certificate_national else "",
                row.certificate_until, row.certificate_state or "Chưa có",
                *regimes.get(row.code, [""] * len(summary57.COLUMNS)),
            ])
        sheet.finish()
        return book.save()


class DistrictDashboardXlsxExporter(Exporter):
    """The district dashboard as shown: the same rows (every page of the filter) and the same columns,
    each stating one thing: the self-assessment report's status and deadline apart from each periodic
    report's deadline and status.

    ``dashboard``: ``reviews.selectors.district_dashboard`` read without a page slice.
    """

    extension = "xlsx"

    def __init__(self, dashboard, *, kind_label: str, filter_words: Sequence[str] = (),
                 today: datetime.date | None = None, regime: str = ""):
        self.dashboard = dashboard
        self.kind_label = kind_label
        self.filter_words = list(filter_words)
        # "?regime=": both regimes' columns, or only those of TT57/2026 or of the 2018 regulations.
        self.regime = regime_chosen(regime)
        if self.regime:
            self.filter_words.append(regime_label(self.regime))
        self.today = today or timezone.localdate()

    def file_stem(self) -> str:
        board = self.dashboard
        year = board.school_year.code if board.school_year else "khong-co-nam-hoc"
        return f"bang-dieu-khien-{slug(board.unit.short_name or board.unit.code)}-{year}"

    def content(self) -> bytes:
        from django.utils.translation import gettext as _


        board = self.dashboard
        # Both regimes as the page shows them (evaluations.selectors_regimes), never one "Mức" column.
        regimes = selectors_regimes.district_board(
            unit=board.unit, school_year=board.school_year, kind=board.kind, rows=board.rows, page_rows=board.rows,
            regime=self.regime, today=self.today)
        columns = [
            Column("STT", 6, "int"), Column(_("Mã trường"), 14), Column(_("Tên trường"), 34), Column(_("Cấp học"), 12),
            Column(_("Trạng thái báo cáo tự đánh giá"), 20), Column(_("Thay đổi gần nhất"), 13, "date"),
            Column(_("Hạn nộp báo cáo tự đánh giá"), 13, "date"), Column(_("Tình trạng hạn nộp báo cáo tự đánh giá"), 20),
            Column(_("Chuyên viên thẩm định"), 22), Column(_("Góp ý chưa xử lý"), 10, "int"),
            *(Column(title, width, kind) for title, width, kind in selectors_regimes.sheet_columns(regimes)),
        ]
        for column in board.periodic_columns:
            due = f" ({column.deadline.due_date:%d/%m/%Y})" if column.deadline else ""
            period = column.label[:1].lower() + column.label[1:]  # "Học kỳ I" -> "học kỳ I"
            title = _("Báo cáo định kỳ %(period)s") % {"period": period}
            columns += [Column(f"{title}{due}", 18),
                        Column(_("Trạng thái báo cáo định kỳ %(period)s") % {"period": period}, 18)]
        year = board.school_year.code if board.school_year else "—"
        heading = [
            _("BẢNG ĐIỀU KHIỂN KIỂM ĐỊNH CHẤT LƯỢNG GIÁO DỤC – %(unit)s") % {"unit": board.unit.name.upper()},
            _("Năm học %(year)s – %(kind)s") % {"year": year, "kind": self.kind_label}
            + (" – " + "; ".join(self.filter_words) if self.filter_words else ""),
            _("Số liệu ngày %(day)s") % {"day": f"{self.today:%d/%m/%Y}"},
        ]
        statuses = dict(self._status_labels())
        no_report, no_periodic = _("Chưa có báo cáo"), _("Chưa mở báo cáo")
        book = WorkbookWriter()
        sheet = book.sheet(_("Bảng điều khiển"), columns, heading=heading, freeze_columns=3)
        for index, row in enumerate(board.rows, start=1):
            deadline = row.self_deadline
            cells = [
                index, row.school.code, row.school.name, row.school.level_label,
                statuses.get(row.status, no_report) if row.report else no_report,
                _local(row.last_change).date() if row.last_change else None,
                deadline.due if deadline else None,
                f"{deadline.label} – {deadline.round_label}" if deadline else "",
                row.reviewer.display_name if row.reviewer else "", row.open_threads if row.report else None,
                *selectors_regimes.sheet_cells(regimes, row.school.pk),
            ]
            for column in board.periodic_columns:
                cell = row.periodic.get(column.period)
                cells += [cell.label if cell else "",
                          (statuses.get(cell.report_status, cell.report_status) if cell.report_status else no_periodic)
                          if cell else ""]
            sheet.add(cells)
        sheet.finish()
        return book.save()

    @staticmethod
    def _status_labels():
        return [(value, str(label)) for value, label in Report.Status.choices]
