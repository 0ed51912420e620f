"""The self-assessment report as PDF and Word, from the report dict (draft or frozen version)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from exports.document import DRAFT_WATERMARK, ReportDocument, Stamp, build_report_document
from exports.pdf import render_pdf

from .base import Exporter


class ReportExporter(Exporter):
    """Base of the report exporters: the dict and its stamp in, one laid-out document shared."""

    def __init__(self, data: Mapping[str, Any], stamp: Stamp | None = None, *, evidence_url=None):
        self.data = data
        self.stamp = stamp or Stamp()
        self._document: ReportDocument | None = None
        # TT57 (Biểu 1): code → download URL of the evidence (None: looked up in the database).
        self.evidence_url = evidence_url
        self._bieu1 = None

    @property
    def document(self) -> ReportDocument:
        if self._document is None:
            self._document = build_report_document(self.data, self.stamp)
        return self._document

    def file_stem(self) -> str:
        return self.document.file_stem

    @property
    def bieu1(self):
        """The TT57/2026 report laid out as Biểu 1 (``exports.document57``), or None for a 2018 report."""
        from exports.document57 import build_bieu1, is_tt57_data

        if self._bieu1 is None and is_tt57_data(self.data):
            from .report57 import evidence_links

            links = self.evidence_url if self.evidence_url is not None else evidence_links(self.data)
            self._bieu1 = build_bieu1(self.data, self.stamp, links)
        return self._bieu1


class ReportPdfExporter(ReportExporter):
    """The report in the Ministry's layout, printed by WeasyPrint (A4, Nghị định 30/2020)."""

    extension = "pdf"

    def content(self) -> bytes:
        if self.bieu1 is not None:
            from .report57 import bieu1_pdf

            return bieu1_pdf(self.bieu1)
        doc = self.document
        return render_pdf(
            "exports/pdf/report.html",
            {"doc": doc, "footer": doc.stamp.footer, "watermark": DRAFT_WATERMARK if doc.stamp.is_draft else ""},
        )


class ReportDocxExporter(ReportExporter):
    """The same document as Word, for schools that edit it or sign it on paper.

    Block for block what ``templates/exports/pdf/report.html`` prints, with the same words, the
    same column widths (percent of the text width, as in the template's ``<col>``) and the same
    page breaks, so that an office suite lays it out on the PDF's pages.
    """

    extension = "docx"

    def content(self) -> bytes:
        from exports.wordfile import CENTER, LEFT

        from . import front_matter

        if self.bieu1 is not None:
            from .report57 import bieu1_docx

            return bieu1_docx(self.bieu1)
        doc = self.document
        w = front_matter.report_writer(doc.stamp, author=doc.school_name, title=doc.title)
        front_matter.cover(w, doc)
        # Sub-cover with the council and the signature column.
        front_matter.inner_cover_head(w, doc)
        front_matter.council(w, doc)
        w.paragraph(f"{doc.province} – {doc.year}", align=CENTER, bold=True, upper=True,
                    space_before=14 * front_matter.MM)
        front_matter.contents(w, doc)

        self._summary(w)

        # Phần I.
        w.heading("PHẦN I\nCƠ SỞ DỮ LIỆU", 1, page_break_before=True)
        w.table((), [list(f) for f in doc.facts], widths=[45, 55])
        for table in doc.data_tables:
            self._data_table(w, table)

        # Phần II.
        w.heading("PHẦN II\nTỰ ĐÁNH GIÁ", 1, page_break_before=True)
        w.heading("A. ĐẶT VẤN ĐỀ", 2)
        self._texts(w, doc.introduction, "(Chưa viết phần Đặt vấn đề.)")
        w.heading("B. TỰ ĐÁNH GIÁ", 2)
        w.heading(doc.assessment_heading, 2)
        for standard in doc.standards:
            w.heading(standard.heading, 2)
            w.sub("Mở đầu")
            self._texts(w, standard.opening, "(Chưa viết phần mở đầu.)")
            for criterion in standard.criteria:
                self._criterion(w, criterion)
            w.sub(f"Kết luận về Tiêu chuẩn {standard.number}")
            self._texts(w, standard.conclusion, "(Chưa viết kết luận.)")
        if doc.level4:
            w.heading("II. TỰ ĐÁNH GIÁ TIÊU CHÍ MỨC 4", 2, page_break_before=True)
            for item in doc.level4:
                w.heading(item.heading, 3)
                w.paragraph(item.text, italic=True, indent=False)
                w.sub("1. Mô tả hiện trạng")
                self._texts(w, item.state, "(Chưa mô tả hiện trạng.)")
                w.sub("2. Điểm mạnh")
                self._texts(w, item.strengths, "(Chưa viết.)")
                w.sub("3. Điểm yếu")
                self._texts(w, item.weaknesses, "(Chưa viết.)")
                w.sub("4. Kế hoạch cải tiến chất lượng")
                self._texts(w, [f"- {action.line}" for action in item.plan], "(Chưa có biện pháp cải tiến.)")
                p = w.paragraph("5. Tự đánh giá: ", bold=True, align=LEFT, indent=False, space_before=8,
                                space_after=4)
                p.add_run(item.result).bold = True

        # Phần III and the signature.
        w.heading("PHẦN III\nKẾT LUẬN CHUNG", 1, page_break_before=True)
        for text in doc.conclusion:
            w.paragraph(text)
        for line in doc.counts:
            w.paragraph(f"- {line}")
        w.runs([("- Mức đánh giá của trường: ", {}), (doc.school_result, {"bold": True}), (".", {})])
        w.paragraph(f"- {doc.proposal}")
        front_matter.principal_signature(w, doc)

        # Phụ lục: the evidence list on landscape pages.
        w.landscape_section()
        if doc.evidence_tt57:
            self._evidence_tt57(w)
            return w.save()
        w.heading("PHỤ LỤC\nDANH MỤC MÃ MINH CHỨNG", 1)
        rows, groups = [], []
        for group in doc.evidence:
            groups.append(len(rows))
            rows.append([group.label, "", "", "", "", ""])
            rows.extend([str(r.order), r.code, r.name, r.issued, r.issuer, r.note] for r in group.rows)
        w.table(
            ["Số TT", "Mã minh chứng", "Tên minh chứng",
             "Số, ngày ban hành hoặc thời điểm khảo sát, điều tra, phỏng vấn, quan sát",
             "Nơi ban hành hoặc nhóm, cá nhân thực hiện", "Ghi chú"],
            rows, groups=groups, widths=[7, 13, 33, 19, 17, 11], center_columns=[0], size=11.5,
            empty_text="Chưa có minh chứng.",
        )
        return w.save()

    def _evidence_tt57(self, w) -> None:
        """The evidence list in the five columns of TT57 (mẫu mục II khoản 4 Phụ lục IV)."""
        rows, groups = [], []
        for group in self.document.evidence:
            groups.append(len(rows))
            rows.append([group.label, "", "", "", ""])
            rows.extend([str(r.order), r.code, r.name, r.storage, r.note] for r in group.rows)
        w.heading("PHỤ LỤC\nDANH MỤC MINH CHỨNG", 1)
        w.table(
            ["TT", "Mã minh chứng", "Tên minh chứng", "Định dạng, vị trí lưu trữ hoặc đường dẫn điện tử", "Ghi chú"],
            rows, groups=groups, widths=[7, 13, 33, 27, 20], center_columns=[0], size=11.5,
            empty_text="Chưa có minh chứng.",
        )

    def _summary(self, w) -> None:
        """Bảng tổng hợp: the two-level header of the PDF (Kết quả → Không đạt / Đạt → Mức 1…3)."""
        summary = self.document.summary
        w.heading("BẢNG TỔNG HỢP KẾT QUẢ TỰ ĐÁNH GIÁ", 1, page_break_before=True)
        w.sub("1. Đánh giá theo tiêu chí" + ("" if summary.binary else f" {summary.levels_phrase}"))
        count = len(summary.columns)
        if summary.binary:
            header = [[("Tiêu chuẩn, tiêu chí", 1, 2), ("Kết quả", count, 1)], list(summary.columns)]
        else:
            header = [[("Tiêu chuẩn, tiêu chí", 1, 3), ("Kết quả", count, 1)],
                      [("Không đạt", 1, 2), ("Đạt", count - 1, 1)], list(summary.columns[1:])]
        rows, groups = [], []
        for standard in summary.standards:
            groups.append(len(rows))
            rows.append([standard.label] + [""] * count)
            rows.extend([row.label, *row.marks] for row in standard.rows)
        equal = 60 / count
        w.table(header, rows, groups=groups, widths=[40] + [equal] * count, center_columns=range(1, count + 1))
        if summary.level4:
            w.sub("2. Đánh giá tiêu chí Mức 4")
            w.table([[("Yêu cầu Mức 4", 1, 2), ("Kết quả", 2, 1)], ["Đạt", "Không đạt"]],
                    [[r.label, r.met, r.not_met] for r in summary.level4], widths=[50, 25, 25],
                    center_columns=[1, 2], keep_together=True)
        w.paragraph(f"Kết quả: {summary.result}", bold=True, indent=False)

    @staticmethod
    def _data_table(w, table) -> None:
        """A table of Phần I with the PDF's header (grouped columns under their group) and figures."""
        w.sub(f"{table.number}. {table.title}")
        header = [table.header_top] + ([table.header_bottom] if table.header_bottom else [])
        rows, groups, bold, indents = [], [], [], []
        for row in table.rows:
            if row.heading:
                groups.append(len(rows))
                rows.append([row.label] + [""] * len(table.columns))
            else:
                if row.computed:
                    bold.append(len(rows))
                rows.append([row.label, *row.cells])
            indents.append(row.indent)
        columns = max(len(table.columns), 1)
        w.table(header, rows, groups=groups, bold_rows=bold, indents=indents,
                widths=[30] + [70 / columns] * len(table.columns), right_columns=range(1, len(table.columns) + 1))
        if table.note:
            w.paragraph(f"Ghi chú: {table.note}", italic=True, indent=False, size=11)

    @staticmethod
    def _texts(w, texts, empty: str) -> None:
        """The paragraphs of a typed text, or the PDF's italic note that it is missing."""
        for text in texts:
            w.paragraph(text)
        if not texts:
            w.paragraph(empty, italic=True)

    def _criterion(self, w, c) -> None:
        w.heading(c.heading, 3)
        for block in c.levels:
            if not block.indicators:
                continue
            w.paragraph(block.title, bold=True, italic=True, indent=False, space_before=4, space_after=2,
                        keep_with_next=True)
            for indicator in block.indicators:
                label = f"{indicator.label} " if indicator.label else ""
                suffix = " (đã bãi bỏ)" if indicator.repealed else ""
                w.paragraph(f"{label}{indicator.text}{suffix}", italic=True, indent=False)
        w.sub("1. Mô tả hiện trạng")
        for block in c.state:
            w.paragraph(block.title, bold=True, italic=True, indent=False, space_before=4, space_after=2,
                        keep_with_next=True)
            for item in block.items:
                if item.empty:
                    w.paragraph(f"{item.label} (Chưa mô tả hiện trạng.)".strip(), italic=True)
                for index, text in enumerate(item.paragraphs):
                    w.paragraph(f"{item.label} {text}".strip() if index == 0 else text)
        w.sub("2. Điểm mạnh")
        self._texts(w, c.strengths, "(Chưa viết.)")
        w.sub("3. Điểm yếu")
        self._texts(w, c.weaknesses, "(Chưa viết.)")
        w.sub("4. Kế hoạch cải tiến chất lượng")
        self._texts(w, [f"- {action.line}" for action in c.plan], "(Chưa có biện pháp cải tiến.)")
        w.sub("5. Tự đánh giá")
        rows = [*c.verdicts.rows, c.verdicts.totals]
        w.table(c.verdicts.columns, rows, center_columns=range(len(c.verdicts.columns)), bold_rows=[len(rows) - 1],
                keep_together=True)
        w.paragraph(f"Đánh giá tiêu chí: {c.result}", bold=True, indent=False)


# The cached result of the Word table of contents, shown until Word updates the field on opening.
TOC_PLACEHOLDER = "Nhấn chuột phải, chọn “Update Field” để cập nhật mục lục."
