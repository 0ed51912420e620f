"""The official forms (Quyết định, Kế hoạch, Phiếu đánh giá tiêu chí, Công văn) as PDF or Word.

Each form is built once as blocks by ``exports.official``; this module prints the blocks with
WeasyPrint (``templates/exports/pdf/form.html``) or python-docx, so both files say the same.
"""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Mapping, Sequence
from typing import Any

from exports import official
from exports.document import DRAFT_WATERMARK, Stamp, build_report_document
from exports.pdf import page_format, render_pdf

from .base import Exporter

FORMATS = ("pdf", "docx")


class FormExporter(Exporter):
    """A form in ``fmt`` ("pdf" or "docx"); subclasses build the ``official.FormDocument``."""

    formats: tuple[str, ...] = FORMATS

    def __init__(self, fmt: str = "pdf"):
        if fmt not in FORMATS:
            raise ValueError(f"Unknown format {fmt!r}")
        self.extension = fmt
        self._form: official.FormDocument | None = None

    @abstractmethod
    def build(self) -> official.FormDocument:
        """The form's content, laid out by ``official``."""

    @property
    def draft(self) -> bool:
        return False

    @property
    def form(self) -> official.FormDocument:
        if self._form is None:
            self._form = self.build()
        return self._form

    def file_stem(self) -> str:
        return self.form.file_stem

    def content(self) -> bytes:
        return self._pdf() if self.extension == "pdf" else self._docx()

    def _pdf(self) -> bytes:
        form = self.form
        return render_pdf("exports/pdf/form.html", {"form": form, "footer": form.footer,
                                                    "watermark": DRAFT_WATERMARK if self.draft else ""})

    def _docx(self) -> bytes:
        """The blocks as ``templates/exports/pdf/form.html`` prints them, in Word."""
        from exports.wordfile import CENTER, JUSTIFY, LEFT, RIGHT, DocxWriter

        form = self.form
        fmt = page_format()
        margins = {side: fmt[f"margin_{side}"] for side in ("top", "bottom", "left", "right")}
        w = DocxWriter(margins_mm=margins, font_size=fmt["font_size"],
                       draft_mark=DRAFT_WATERMARK if self.draft else "", footer=form.footer,
                       author=self.author(), title=form.title)
        aligns = {"justify": JUSTIFY, "center": CENTER, "left": LEFT, "right": RIGHT}
        for block in form.blocks:
            if isinstance(block, official.Header):
                w.admin_header(left_top=block.left_top, left_bold=block.left_bold, number=block.number,
                               place_date=block.place_date, subject=block.subject)
            elif isinstance(block, official.Title):
                # print.css .doc-title (14 pt, 12 pt above) and .doc-subject (12 pt below; 6 pt when empty).
                w.paragraph(block.text, bold=True, align=CENTER, size=14, space_before=12,
                            space_after=0 if block.subtitle else 6, keep_with_next=True)
                if block.subtitle:
                    w.paragraph(block.subtitle, bold=True, align=CENTER, space_after=12, keep_with_next=True)
            elif isinstance(block, official.Para):
                w.paragraph(block.text, bold=block.bold, italic=block.italic, align=aligns[block.align],
                            indent=block.indent)
            elif isinstance(block, official.Heading):
                w.sub(block.text)
            elif isinstance(block, official.Table):
                w.table(block.header, block.rows, groups=block.groups, center_columns=block.center,
                        widths=block.widths or None, empty_text="(Chưa có dữ liệu.)")
            elif isinstance(block, official.Signature):
                w.signature(title=block.title, name=block.name, place_date=block.place_date, note=block.note,
                            recipients=block.recipients, left_title=block.left_title, left_note=block.left_note)
            elif isinstance(block, official.PageBreak):
                w.page_break()
        return w.save()

    def author(self) -> str:
        """Who the Word file says wrote it: the issuing body of the form's header."""
        header = next((b for b in self.form.blocks if isinstance(b, official.Header)), None)
        return header.left_bold if header else ""


class ReportFormExporter(FormExporter):
    """A form generated from a report's content (draft or version)."""

    def __init__(self, data: Mapping[str, Any], stamp: Stamp | None = None, fmt: str = "pdf"):
        super().__init__(fmt)
        self.data = data
        self.stamp = stamp or Stamp()

    @property
    def draft(self) -> bool:
        return self.stamp.is_draft

    def document(self):
        return build_report_document(self.data, self.stamp)


class CouncilDecisionExporter(ReportFormExporter):
    """Quyết định thành lập Hội đồng tự đánh giá, with its lists."""

    def build(self) -> official.FormDocument:
        return official.council_decision(self.data, self.document())


class SelfAssessmentPlanExporter(ReportFormExporter):
    """Kế hoạch tự đánh giá."""

    def build(self) -> official.FormDocument:
        return official.self_assessment_plan(self.data, self.document())


class CriterionSheetsExporter(ReportFormExporter):
    """Phiếu đánh giá tiêu chí, one page (or more) per criterion."""

    def __init__(self, data, stamp=None, fmt: str = "pdf", *, criteria: Sequence[str] | None = None):
        super().__init__(data, stamp, fmt)
        self.criteria = criteria

    def build(self) -> official.FormDocument:
        return official.criterion_sheets(self.data, self.document(), criteria=self.criteria)


class RoundLetterExporter(FormExporter):
    """Công văn đề nghị đánh giá ngoài: the district's letter to the Sở with the round's schools."""

    def __init__(self, info: official.LetterInfo, fmt: str = "pdf"):
        super().__init__(fmt)
        self.info = info

    def build(self) -> official.FormDocument:
        return official.round_letter(self.info)
