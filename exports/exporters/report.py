"""The self-assessment report as PDF and Word, from the report dict (draft or frozen version)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from exports.document import DRAFT_WATERMARK, ReportDocument, Stamp, build_report_document
from exports.pdf import render_pdf

from .base import Exporter


class ReportExporter(Exporter):
    """Base of the report exporters: the dict and its stamp in, one laid-out document shared."""

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
        return self.document.file_stem


class ReportPdfExporter(ReportExporter):
    """The report in the Ministry's layout, printed by WeasyPrint (A4, Nghị định 30/2020)."""

    extension = "pdf"

    def content(self) -> bytes:
        doc = self.document
        return render_pdf(
            "exports/pdf/report.html",
            {"doc": doc, "footer": doc.stamp.footer, "watermark": DRAFT_WATERMARK if doc.stamp.is_draft else ""},
        )


class ReportDocxExporter(ReportExporter):
    """The same document as Word, for schools that edit it or sign it on paper."""

    extension = "docx"

    def content(self) -> bytes:
        from exports.pdf import page_format
        from exports.wordfile import CENTER, LEFT, DocxWriter

        doc = self.document
        fmt = page_format()
        margins = {side: fmt[f"margin_{side}"] for side in ("top", "bottom", "left", "right")}
        w = DocxWriter(margins_mm=margins, font_size=fmt["font_size"],
                       draft_mark=DRAFT_WATERMARK if doc.stamp.is_draft else "", footer=doc.stamp.footer)
        full_width = 210 - margins["left"] - margins["right"]

        # Cover.
        w.paragraph(doc.managing_body, align=CENTER, upper=True, space_after=0)
        w.paragraph(doc.school_name, align=CENTER, upper=True, bold=True, space_after=0)
        w.paragraph("―――――――", align=CENTER)
        w.spacer(180)
        w.paragraph("BÁO CÁO TỰ ĐÁNH GIÁ", align=CENTER, bold=True, size=22)
        sub = f"Năm học {doc.school_year}" + (f" – theo {doc.regulation_document}" if doc.regulation_document else "")
        w.paragraph(sub, align=CENTER, italic=True)
        w.spacer(200)
        w.paragraph(f"{doc.province} – {doc.year}", align=CENTER, bold=True, upper=True)
        w.page_break()

        # Sub-cover with the council and the signature column.
        w.paragraph(doc.managing_body, align=CENTER, upper=True, space_after=0)
        w.paragraph(doc.school_name, align=CENTER, upper=True, bold=True, space_after=0)
        w.paragraph("―――――――", align=CENTER)
        w.paragraph("BÁO CÁO TỰ ĐÁNH GIÁ", align=CENTER, bold=True, size=16, space_before=24)
        w.paragraph("DANH SÁCH VÀ CHỮ KÝ THÀNH VIÊN HỘI ĐỒNG TỰ ĐÁNH GIÁ", align=CENTER, bold=True)
        if doc.council_decision:
            w.paragraph(f"(Theo {doc.council_decision})", align=CENTER, italic=True)
        w.table(["TT", "Họ và tên", "Chức danh, chức vụ", "Nhiệm vụ", "Chữ ký"],
                [[str(m.order), m.full_name, m.title, m.duty, ""] for m in doc.council],
                widths_mm=[10, 42, 45, 40, 28], center_columns=[0])
        w.paragraph(f"{doc.province} – {doc.year}", align=CENTER, bold=True, upper=True, space_before=24)
        w.page_break()

        # Table of contents: a Word field, refreshed when the file is opened.
        w.paragraph("MỤC LỤC", align=CENTER, bold=True)
        toc = w.paragraph(align=LEFT, indent=False)
        w.field(toc, 'TOC \\o "1-3" \\h \\z \\u', "Nhấn chuột phải, chọn “Update Field” để cập nhật mục lục.")
        w.update_fields_on_open()
        w.page_break()

        w.heading("DANH MỤC CÁC CHỮ VIẾT TẮT", 1)
        w.table(["TT", "Chữ viết tắt", "Nội dung"],
                [[str(i), short, long] for i, (short, long) in enumerate(doc.abbreviations, start=1)],
                widths_mm=[12, 35, full_width - 47], center_columns=[0])
        w.page_break()

        # Summary table.
        w.heading("BẢNG TỔNG HỢP KẾT QUẢ TỰ ĐÁNH GIÁ", 1)
        summary = doc.summary
        w.paragraph("1. Đánh giá theo tiêu chí" + ("" if summary.binary else f" {summary.levels_phrase}"), bold=True, indent=False)
        if summary.binary:
            header = ["Tiêu chuẩn, tiêu chí", *summary.columns]
        else:
            header = ["Tiêu chuẩn, tiêu chí", "Không đạt", *(f"Đạt {c}" for c in summary.columns[1:])]
        rows, groups = [], []
        for standard in summary.standards:
            groups.append(len(rows))
            rows.append([standard.label] + [""] * len(summary.columns))
            rows.extend([row.label, *row.marks] for row in standard.rows)
        w.table(header, rows, groups=groups, center_columns=range(1, len(header)))
        if summary.level4:
            w.paragraph("2. Đánh giá tiêu chí Mức 4", bold=True, indent=False)
            w.table(["Yêu cầu Mức 4", "Đạt", "Không đạt"],
                    [[r.label, r.met, r.not_met] for r in summary.level4], center_columns=[1, 2])
        w.paragraph(f"Kết quả: {summary.result}", bold=True, indent=False)
        w.page_break()

        # Phần I.
        w.heading("Phần I. CƠ SỞ DỮ LIỆU", 1)
        w.table(["Thông tin", "Nội dung"], [list(f) for f in doc.facts], widths_mm=[70, full_width - 70])
        for table in doc.data_tables:
            w.paragraph(f"{table.number}. {table.title}", bold=True, indent=False, keep_with_next=True)
            header = ["Nội dung", *table.columns]
            if table.header_bottom:
                # Word tables get one header row: a grouped column is named "group – column".
                groups_by_column = []
                for cell in table.header_top[1:]:
                    if cell.rowspan == 2:
                        groups_by_column.append("")
                    else:
                        groups_by_column.extend([cell.label] * cell.colspan)
                header = ["Nội dung", *[
                    f"{g} – {c}" if g else c for g, c in zip(groups_by_column, table.columns, strict=False)
                ]]
            rows, groups = [], []
            for row in table.rows:
                if row.heading:
                    groups.append(len(rows))
                    rows.append([row.label] + [""] * len(table.columns))
                else:
                    rows.append([("    " * row.indent) + row.label, *row.cells])
            w.table(header, rows, groups=groups, widths_mm=[55] + [(full_width - 55) / max(len(table.columns), 1)]
                    * len(table.columns))
        w.page_break()

        # Phần II.
        w.heading("Phần II. TỰ ĐÁNH GIÁ", 1)
        w.heading("A. ĐẶT VẤN ĐỀ", 2)
        for text in doc.introduction:
            w.paragraph(text)
        w.heading("B. TỰ ĐÁNH GIÁ", 2)
        w.heading(doc.assessment_heading, 2)
        for standard in doc.standards:
            w.heading(standard.heading, 2)
            w.paragraph("Mở đầu", bold=True, indent=False, keep_with_next=True)
            for text in standard.opening:
                w.paragraph(text)
            for criterion in standard.criteria:
                self._criterion(w, criterion)
            w.paragraph(f"Kết luận về Tiêu chuẩn {standard.number}", bold=True, indent=False, keep_with_next=True)
            for text in standard.conclusion:
                w.paragraph(text)
        if doc.level4:
            w.heading("II. TỰ ĐÁNH GIÁ TIÊU CHÍ MỨC 4", 2)
            for item in doc.level4:
                w.heading(item.heading, 3)
                w.paragraph(item.text, italic=True, indent=False)
                self._sections(w, [("1. Mô tả hiện trạng", item.state), ("2. Điểm mạnh", item.strengths),
                                   ("3. Điểm yếu", item.weaknesses)])
                w.paragraph("4. Kế hoạch cải tiến chất lượng", bold=True, indent=False, keep_with_next=True)
                for action in item.plan:
                    w.paragraph(f"- {action.line}")
                w.paragraph(f"5. Tự đánh giá: {item.result}", bold=True, indent=False)
        w.page_break()

        # Phần III and the signature.
        w.heading("Phần III. KẾT LUẬN CHUNG", 1)
        for text in doc.conclusion:
            w.paragraph(text)
        for line in doc.counts:
            w.paragraph(f"- {line}")
        w.runs([("- Mức đánh giá của trường: ", {}), (doc.school_result, {"bold": True}), (".", {})])
        w.paragraph(f"- {doc.proposal}")
        w.signature(title="Hiệu trưởng", name=doc.principal, place_date=f"{doc.place}, {doc.signature_date}",
                    note="(Ký, ghi rõ họ tên và đóng dấu)")

        # Phụ lục: the evidence list on landscape pages.
        w.landscape_section()
        w.heading("Phụ lục. DANH MỤC MÃ MINH CHỨNG", 1)
        rows, groups = [], []
        for group in doc.evidence:
            groups.append(len(rows))
            rows.append([group.label, "", "", "", "", ""])
            rows.extend([str(r.order), r.code, r.name, r.issued, r.issuer, r.note] for r in group.rows)
        w.table(
            ["Số TT", "Mã minh chứng", "Tên minh chứng",
             "Số, ngày ban hành hoặc thời điểm khảo sát, điều tra, phỏng vấn, quan sát",
             "Nơi ban hành hoặc nhóm, cá nhân thực hiện", "Ghi chú"],
            rows, groups=groups, widths_mm=[14, 32, 85, 50, 42, 29], center_columns=[0], size=11,
        )
        return w.save()

    @staticmethod
    def _sections(w, sections) -> None:
        for title, texts in sections:
            w.paragraph(title, bold=True, indent=False, keep_with_next=True)
            for text in texts:
                w.paragraph(text)

    def _criterion(self, w, c) -> None:
        w.heading(c.heading, 3)
        for block in c.levels:
            if not block.indicators:
                continue
            w.paragraph(block.title, bold=True, italic=True, indent=False, space_after=2, keep_with_next=True)
            for indicator in block.indicators:
                label = f"{indicator.label} " if indicator.label else ""
                suffix = " (đã bãi bỏ)" if indicator.repealed else ""
                w.paragraph(f"{label}{indicator.text}{suffix}", italic=True, indent=False, space_after=2)
        w.paragraph("1. Mô tả hiện trạng", bold=True, indent=False, keep_with_next=True)
        for block in c.state:
            w.paragraph(block.title, bold=True, italic=True, indent=False, space_after=2, keep_with_next=True)
            for item in block.items:
                if item.empty:
                    w.paragraph(f"{item.label} (Chưa mô tả hiện trạng.)".strip(), italic=True)
                for index, text in enumerate(item.paragraphs):
                    w.paragraph(f"{item.label} {text}".strip() if index == 0 else text)
        self._sections(w, [("2. Điểm mạnh", c.strengths), ("3. Điểm yếu", c.weaknesses)])
        w.paragraph("4. Kế hoạch cải tiến chất lượng", bold=True, indent=False, keep_with_next=True)
        for action in c.plan:
            w.paragraph(f"- {action.line}")
        w.paragraph("5. Tự đánh giá", bold=True, indent=False, keep_with_next=True)
        w.table(c.verdicts.columns, [*c.verdicts.rows, c.verdicts.totals],
                center_columns=range(len(c.verdicts.columns)))
        w.paragraph(f"Đánh giá tiêu chí: {c.result}", bold=True, indent=False)
