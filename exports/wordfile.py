"""Word documents with python-docx, in the print format of Nghị định 30/2020/NĐ-CP.

A thin layer over python-docx for what every document of the project needs: A4 sections with the
configured margins (portrait or landscape), Times New Roman 13 pt with Vietnamese text set on
every script slot of the run fonts, the page number field centred in the header (not on the
first page), a footer line, heading styles that Word's table of contents picks up, bordered
tables with a repeated header row, the two-column national header of administrative documents
and the signature block.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence

from docx import Document as new_document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

FONT = "Times New Roman"
CENTER = WD_ALIGN_PARAGRAPH.CENTER
RIGHT = WD_ALIGN_PARAGRAPH.RIGHT
LEFT = WD_ALIGN_PARAGRAPH.LEFT
JUSTIFY = WD_ALIGN_PARAGRAPH.JUSTIFY


def _set_run_fonts(element, name: str = FONT) -> None:
    """Set the font of every script slot (ascii, hAnsi, cs, eastAsia) of a run or style."""
    rpr = element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for slot in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(slot), name)


class DocxWriter:
    """A Word document being written top to bottom."""

    def __init__(self, *, margins_mm: dict[str, float], font_size: float = 13, draft_mark: str = "",
                 footer: str = ""):
        self.doc = new_document()
        self.margins = margins_mm
        self.font_size = font_size
        self.draft_mark = draft_mark
        self.footer = footer
        self._setup_styles()
        section = self.doc.sections[0]
        self._format_section(section, landscape=False)
        section.different_first_page_header_footer = True
        self._decorate(section)

    # -- Styles and sections ------------------------------------------------------------------

    def _setup_styles(self) -> None:
        styles = self.doc.styles
        normal = styles["Normal"]
        normal.font.name = FONT
        normal.font.size = Pt(self.font_size)
        _set_run_fonts(normal.element)
        fmt = normal.paragraph_format
        fmt.space_after = Pt(6)
        fmt.space_before = Pt(0)
        fmt.line_spacing = 1.15
        for level, size in ((1, self.font_size + 1), (2, self.font_size), (3, self.font_size)):
            style = styles[f"Heading {level}"]
            style.font.name = FONT
            style.font.size = Pt(size)
            style.font.bold = True
            style.font.italic = False
            style.font.color.rgb = RGBColor(0, 0, 0)
            _set_run_fonts(style.element)
            style.paragraph_format.space_before = Pt(12 if level == 1 else 8)
            style.paragraph_format.space_after = Pt(6)
            style.paragraph_format.keep_with_next = True
            if level == 1:
                style.paragraph_format.alignment = CENTER
        table_style = styles["Table Grid"]
        table_style.font.name = FONT
        table_style.font.size = Pt(max(self.font_size - 1, 11))

    def _format_section(self, section, *, landscape: bool) -> None:
        long_side, short_side = Mm(297), Mm(210)
        section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = (long_side, short_side) if landscape else (short_side, long_side)
        section.top_margin = Mm(self.margins["top"])
        section.bottom_margin = Mm(self.margins["bottom"])
        section.left_margin = Mm(self.margins["left"])
        section.right_margin = Mm(self.margins["right"])
        section.header_distance = Mm(10)
        section.footer_distance = Mm(8)

    def _decorate(self, section) -> None:
        """Page number centred in the header (none on the first page), the footer line on every page."""
        header = section.header.paragraphs[0]
        header.alignment = CENTER
        if self.draft_mark:
            self._mark(header)
        self.field(header, "PAGE")
        first = section.first_page_header.paragraphs[0]
        first.alignment = CENTER
        if self.draft_mark:
            self._mark(first)
        for footer in (section.footer, section.first_page_footer):
            paragraph = footer.paragraphs[0]
            paragraph.alignment = CENTER
            if self.footer:
                run = paragraph.add_run(self.footer)
                run.italic = True
                run.font.size = Pt(9)

    def _mark(self, paragraph) -> None:
        run = paragraph.add_run(f"{self.draft_mark}    ")
        run.bold = True
        run.font.color.rgb = RGBColor(0xC0, 0, 0)

    def landscape_section(self) -> None:
        """Start a new page in landscape (the evidence list), with the same header and footer."""
        from docx.enum.section import WD_SECTION

        section = self.doc.add_section(WD_SECTION.NEW_PAGE)
        self._format_section(section, landscape=True)
        section.different_first_page_header_footer = False

    def portrait_section(self) -> None:
        from docx.enum.section import WD_SECTION

        section = self.doc.add_section(WD_SECTION.NEW_PAGE)
        self._format_section(section, landscape=False)
        section.different_first_page_header_footer = False

    # -- Content ------------------------------------------------------------------------------

    def field(self, paragraph, instruction: str, placeholder: str = "") -> None:
        """A Word field (PAGE, TOC …) with ``placeholder`` as its last computed result."""
        run = paragraph.add_run()
        begin = OxmlElement("w:fldChar")
        begin.set(qn("w:fldCharType"), "begin")
        begin.set(qn("w:dirty"), "true")
        run._r.append(begin)
        run = paragraph.add_run()
        text = OxmlElement("w:instrText")
        text.set(qn("xml:space"), "preserve")
        text.text = f" {instruction} "
        run._r.append(text)
        run = paragraph.add_run()
        separate = OxmlElement("w:fldChar")
        separate.set(qn("w:fldCharType"), "separate")
        run._r.append(separate)
        paragraph.add_run(placeholder)
        run = paragraph.add_run()
        end = OxmlElement("w:fldChar")
        end.set(qn("w:fldCharType"), "end")
        run._r.append(end)

    def update_fields_on_open(self) -> None:
        """Ask Word to refresh fields (the table of contents) when the file is opened."""
        settings = self.doc.settings.element
        update = settings.find(qn("w:updateFields"))
        if update is None:
            update = OxmlElement("w:updateFields")
            settings.append(update)
        update.set(qn("w:val"), "true")

    def paragraph(self, text: str = "", *, bold: bool = False, italic: bool = False, align=JUSTIFY,
                  indent: bool = True, size: float | None = None, upper: bool = False, space_after: float | None = None,
                  space_before: float | None = None, keep_with_next: bool = False, style: str | None = None):
        paragraph = self.doc.add_paragraph(style=style)
        paragraph.alignment = align
        fmt = paragraph.paragraph_format
        if indent and align == JUSTIFY:
            fmt.first_line_indent = Mm(10)
        if space_after is not None:
            fmt.space_after = Pt(space_after)
        if space_before is not None:
            fmt.space_before = Pt(space_before)
        if keep_with_next:
            fmt.keep_with_next = True
        if text:
            run = paragraph.add_run(text.upper() if upper else text)
            run.bold = bold
            run.italic = italic
            if size:
                run.font.size = Pt(size)
        return paragraph

    def runs(self, parts: Iterable[tuple[str, dict]], *, align=JUSTIFY, indent: bool = True):
        """A paragraph of several runs: ``(text, {"bold": True, "italic": False, "size": 12})``."""
        paragraph = self.paragraph(align=align, indent=indent)
        for text, fmt in parts:
            run = paragraph.add_run(text)
            run.bold = fmt.get("bold", False)
            run.italic = fmt.get("italic", False)
            if fmt.get("size"):
                run.font.size = Pt(fmt["size"])
        return paragraph

    def heading(self, text: str, level: int = 1):
        paragraph = self.doc.add_heading(level=level)
        paragraph.add_run(text)
        if level == 1:
            paragraph.alignment = CENTER
        return paragraph

    def page_break(self) -> None:
        self.doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    def spacer(self, points: float) -> None:
        paragraph = self.doc.add_paragraph()
        paragraph.paragraph_format.space_after = Pt(points)

    def table(
        self,
        header: Sequence[str] | Sequence[Sequence[str]],
        rows: Iterable[Sequence[str]],
        *,
        widths_mm: Sequence[float] | None = None,
        center_columns: Iterable[int] = (),
        groups: Iterable[int] = (),
        size: float | None = None,
    ):
        """A bordered table; ``header`` one row of labels (repeated on each page); ``groups``: the
        indexes of rows printed as one bold merged cell (e.g. "Tiêu chuẩn 1")."""
        header_rows = [list(header)] if header and isinstance(header[0], str) else [list(h) for h in header]
        columns = len(header_rows[0])
        rows = list(rows)
        table = self.doc.add_table(rows=len(header_rows), cols=columns)
        table.style = self.doc.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        centered = set(center_columns)
        group_rows = set(groups)
        size = size or max(self.font_size - 1, 11)
        for r, labels in enumerate(header_rows):
            cells = table.rows[r].cells
            for c, label in enumerate(labels):
                self._cell_text(cells[c], label, bold=True, align=CENTER, size=size)
            _repeat_header(table.rows[r])
        for index, values in enumerate(rows):
            cells = table.add_row().cells
            if index in group_rows:
                merged = cells[0].merge(cells[-1])
                self._cell_text(merged, values[0], bold=True, size=size)
                continue
            for c, value in enumerate(values):
                self._cell_text(cells[c], value, align=CENTER if c in centered else LEFT, size=size)
        if widths_mm:
            for row in table.rows:
                for cell, width in zip(row.cells, widths_mm, strict=False):
                    cell.width = Mm(width)
        self.doc.add_paragraph().paragraph_format.space_after = Pt(2)
        return table

    @staticmethod
    def _cell_text(cell, text, *, bold: bool = False, align=LEFT, size: float = 12) -> None:
        paragraph = cell.paragraphs[0]
        paragraph.alignment = align
        paragraph.paragraph_format.space_after = Pt(0)
        paragraph.paragraph_format.first_line_indent = None
        run = paragraph.add_run("" if text is None else str(text))
        run.bold = bold
        run.font.size = Pt(size)

    def admin_header(self, *, left_top: str, left_bold: str, number: str, place_date: str,
                     subject: str = "") -> None:
        """The national header of an administrative document (Nghị định 30/2020, Phụ lục I)."""
        table = self.doc.add_table(rows=1, cols=2)
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        left, right = table.rows[0].cells
        left.width, right.width = Mm(70), Mm(95)
        p = left.paragraphs[0]
        p.alignment = CENTER
        p.paragraph_format.space_after = Pt(0)
        p.add_run(left_top.upper()).font.size = Pt(12)
        p = left.add_paragraph()
        p.alignment = CENTER
        p.paragraph_format.space_after = Pt(0)
        run = p.add_run(left_bold.upper())
        run.bold = True
        run.font.size = Pt(12)
        p = left.add_paragraph("―――――――")
        p.alignment = CENTER
        p.paragraph_format.space_after = Pt(0)
        p = left.add_paragraph(number)
        p.alignment = CENTER
        if subject:
            p = left.add_paragraph(subject)
            p.alignment = CENTER
            p.runs[0].font.size = Pt(12)
        p = right.paragraphs[0]
        p.alignment = CENTER
        p.paragraph_format.space_after = Pt(0)
        run = p.add_run("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
        run.bold = True
        run.font.size = Pt(12)
        p = right.add_paragraph()
        p.alignment = CENTER
        p.paragraph_format.space_after = Pt(0)
        run = p.add_run("Độc lập - Tự do - Hạnh phúc")
        run.bold = True
        run.underline = True
        p = right.add_paragraph()
        p.alignment = CENTER
        p.paragraph_format.space_before = Pt(6)
        run = p.add_run(place_date)
        run.italic = True
        self.doc.add_paragraph()

    def signature(self, *, title: str, name: str, place_date: str = "", note: str = "",
                  recipients: Sequence[str] = (), left_title: str = "", left_note: str = "") -> None:
        """Recipients (Nơi nhận) or a second signer on the left, the signature block on the right."""
        table = self.doc.add_table(rows=1, cols=2)
        left, right = table.rows[0].cells
        left.width, right.width = Mm(80), Mm(85)
        if left_title and not recipients:
            p = left.paragraphs[0]
            p.alignment = CENTER
            p.paragraph_format.space_after = Pt(0)
            p.add_run(left_title.upper()).bold = True
            for line in (left_note or "").splitlines():
                q = left.add_paragraph()
                q.alignment = CENTER
                q.paragraph_format.space_after = Pt(0)
                q.add_run(line).italic = True
        if recipients:
            p = left.paragraphs[0]
            p.paragraph_format.space_after = Pt(0)
            run = p.add_run("Nơi nhận:")
            run.bold = True
            run.italic = True
            run.font.size = Pt(12)
            for line in recipients:
                q = left.add_paragraph()
                q.paragraph_format.space_after = Pt(0)
                q.add_run(line).font.size = Pt(11)
        p = right.paragraphs[0]
        p.alignment = CENTER
        p.paragraph_format.space_after = Pt(0)
        if place_date:
            p.add_run(place_date).italic = True
            p = right.add_paragraph()
            p.alignment = CENTER
            p.paragraph_format.space_after = Pt(0)
        p.add_run(title.upper()).bold = True
        if note:
            q = right.add_paragraph()
            q.alignment = CENTER
            q.paragraph_format.space_after = Pt(0)
            q.add_run(note).italic = True
        for _ in range(4):
            right.add_paragraph().paragraph_format.space_after = Pt(0)
        q = right.add_paragraph()
        q.alignment = CENTER
        q.add_run(name).bold = True

    def save(self) -> bytes:
        buffer = io.BytesIO()
        self.doc.save(buffer)
        return buffer.getvalue()


def _repeat_header(row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    element = OxmlElement("w:tblHeader")
    element.set(qn("w:val"), "true")
    tr_pr.append(element)
