"""Word documents with python-docx, in the print format of Nghị định 30/2020/NĐ-CP.

A layer over python-docx for what every document of the project needs, written so that a Word
file prints like the app's own PDF (``static/exports/print.css``) in any office suite:

- Times New Roman everywhere: every style of python-docx's template (Normal, Heading 1-9, Title,
  the table and TOC styles…) and the document defaults name Times New Roman on every script slot
  and lose their theme fonts (``asciiTheme``…, which override a named font), and the theme's own
  fonts become Times New Roman too;
- 13 pt text with the PDF's line height (at least 1.2 × the size), A4 sections with the configured
  margins (portrait or landscape), the page number centred in the header, a footer line, the
  draft mark as a diagonal watermark behind the text;
- tables with their column widths in the table's grid (``w:tblGrid``) as well as on the cells, a
  fixed layout, header rows (one or several levels, with merged cells) repeated on every page,
  rows that never split across pages, group rows kept with the next row;
- page breaks as "page break before" on the next block (no paragraph holding only a break, so a
  full page never gains a blank one);
- the document in Vietnamese (vi-VN), with its author, title and dates, in Word 2013+ mode.
"""

from __future__ import annotations

import copy
import datetime
import html
import io
import re
from collections.abc import Iterable, Sequence

from docx import Document as new_document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

FONT = "Times New Roman"
LANGUAGE = "vi-VN"
CENTER = WD_ALIGN_PARAGRAPH.CENTER
RIGHT = WD_ALIGN_PARAGRAPH.RIGHT
LEFT = WD_ALIGN_PARAGRAPH.LEFT
JUSTIFY = WD_ALIGN_PARAGRAPH.JUSTIFY
# CSS line-height of the PDF (print.css: body { line-height: 1.2 }).
LINE_HEIGHT = 1.2
FONT_SLOTS = ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia")
THEME_FONT_ATTRS = ("w:asciiTheme", "w:hAnsiTheme", "w:cstheme", "w:eastAsiaTheme")
THEME_COLOR_ATTRS = ("w:themeColor", "w:themeShade", "w:themeTint")
# Word 2013+ layout (no "Compatibility Mode"), as Word itself writes it.
COMPAT_SETTINGS = (
    ("compatibilityMode", "15"),
    ("overrideTableStyleFontSizeAndJustification", "1"),
    ("enableOpenTypeFeatures", "1"),
    ("doNotFlipMirrorIndents", "1"),
    ("differentiateMultirowTableHeaders", "1"),
)
TWIPS_PER_MM = 1440 / 25.4


def _twips(mm: float) -> int:
    return int(round(mm * TWIPS_PER_MM))


def set_fonts(rpr) -> None:
    """Times New Roman on every script slot of a ``w:rPr``, theme fonts removed."""
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in THEME_FONT_ATTRS:
        fonts.attrib.pop(qn(attr), None)
    for slot in FONT_SLOTS:
        fonts.set(qn(slot), FONT)


def _set_lang(rpr) -> None:
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), LANGUAGE)
    lang.set(qn("w:eastAsia"), LANGUAGE)


def clean_styles_element(root) -> None:
    """Every style and the document defaults of a styles part: Times New Roman, black, Vietnamese."""
    for fonts in root.iter(qn("w:rFonts")):
        for attr in THEME_FONT_ATTRS:
            fonts.attrib.pop(qn(attr), None)
        for slot in FONT_SLOTS:
            fonts.set(qn(slot), FONT)
    for color in root.iter(qn("w:color")):
        if any(color.get(qn(attr)) is not None for attr in THEME_COLOR_ATTRS):
            for attr in THEME_COLOR_ATTRS:
                color.attrib.pop(qn(attr), None)
            color.set(qn("w:val"), "000000")
    for lang in root.iter(qn("w:lang")):
        lang.set(qn("w:val"), LANGUAGE)
        lang.set(qn("w:eastAsia"), LANGUAGE)
    for style in root.iter(qn("w:style")):
        # Every style names the font itself: a style never falls back to a theme font.
        if style.get(qn("w:type")) in ("paragraph", "character", "table"):
            rpr = style.get_or_add_rPr()
            set_fonts(rpr)
    defaults = root.find(qn("w:docDefaults"))
    if defaults is not None:
        rpr_default = defaults.find(qn("w:rPrDefault"))
        if rpr_default is None:
            rpr_default = OxmlElement("w:rPrDefault")
            defaults.insert(0, rpr_default)
        rpr = rpr_default.find(qn("w:rPr"))
        if rpr is None:
            rpr = OxmlElement("w:rPr")
            rpr_default.append(rpr)
        set_fonts(rpr)
        _set_lang(rpr)


class DocxWriter:
    """A Word document being written top to bottom."""

    def __init__(self, *, margins_mm: dict[str, float], font_size: float = 13, draft_mark: str = "",
                 footer: str = "", author: str = "", title: str = "", numbered: bool = True):
        self.doc = new_document()
        self.margins = margins_mm
        self.font_size = font_size
        # print.css: tables in 12 pt whatever the body size.
        self.table_size = 12
        self.draft_mark = draft_mark
        self.footer = footer
        self.landscape = False
        self._break_before = False
        # The space a table leaves under it (print.css: 10 pt), given to whatever comes next.
        self._gap_after_table = 0.0
        self._setup_styles()
        self._setup_package(author=author, title=title)
        section = self.doc.sections[0]
        self._format_section(section, landscape=False)
        # Numbered pages from the second on (Nghị định 30/2020); ``numbered=False``: no number at all
        # in this first section (the report's covers), ``numbered_section`` starts the numbered part.
        section.different_first_page_header_footer = True
        self._decorate(section, numbered=numbered)

    # -- Package, styles and sections ---------------------------------------------------------

    def _setup_package(self, *, author: str, title: str) -> None:
        now = datetime.datetime.now(datetime.UTC).replace(microsecond=0, tzinfo=None)
        props = self.doc.core_properties
        props.author = author or "kiemdinh"
        props.last_modified_by = author or "kiemdinh"
        props.title = title
        props.comments = ""
        props.language = LANGUAGE
        props.created = now
        props.modified = now
        props.revision = 1
        settings = self.doc.settings.element
        compat = settings.find(qn("w:compat"))
        if compat is None:
            compat = OxmlElement("w:compat")
            settings.append(compat)
        for child in list(compat):
            compat.remove(child)
        for name, value in COMPAT_SETTINGS:
            setting = OxmlElement("w:compatSetting")
            setting.set(qn("w:name"), name)
            setting.set(qn("w:uri"), "http://schemas.microsoft.com/office/word")
            setting.set(qn("w:val"), value)
            compat.append(setting)
        theme_lang = settings.find(qn("w:themeFontLang"))
        if theme_lang is not None:
            theme_lang.set(qn("w:val"), LANGUAGE)
            theme_lang.attrib.pop(qn("w:eastAsia"), None)
        for part in self.doc.part.package.iter_parts():
            name = str(part.partname)
            if name.startswith("/word/theme/"):
                # The theme's major and minor Latin fonts: what a theme reference would resolve to.
                part._blob = re.sub(rb'(<a:latin typeface=")[^"]*(")', rb"\g<1>" + FONT.encode() + rb"\g<2>",
                                    part.blob)
            elif name == "/word/stylesWithEffects.xml":
                root = parse_xml(part.blob)
                clean_styles_element(root)
                from lxml import etree

                part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)

    def _setup_styles(self) -> None:
        styles = self.doc.styles
        size = self.font_size
        normal = styles["Normal"]
        normal.font.size = Pt(size)
        fmt = normal.paragraph_format
        fmt.space_after = Pt(6)
        fmt.space_before = Pt(0)
        fmt.line_spacing_rule = WD_LINE_SPACING.AT_LEAST
        fmt.line_spacing = Pt(LINE_HEIGHT * size)
        for level in range(1, 10):
            style = styles[f"Heading {level}"]
            heading_size = round(size * 1.1) if level == 1 else size
            style.font.size = Pt(heading_size)
            style.font.bold = True
            style.font.italic = False
            style.font.color.rgb = RGBColor(0, 0, 0)
            pf = style.paragraph_format
            pf.space_before = Pt(12)
            pf.space_after = Pt(6)
            pf.keep_with_next = True
            pf.line_spacing_rule = WD_LINE_SPACING.AT_LEAST
            pf.line_spacing = Pt(LINE_HEIGHT * heading_size)
            pf.alignment = CENTER if level == 1 else LEFT
        # The table of contents' styles, so that Word's TOC is in the body font too.
        from docx.enum.style import WD_STYLE_TYPE

        for level in (1, 2, 3):
            name = f"toc {level}"
            try:
                style = styles[name]
            except KeyError:
                style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
                style.element.set(qn("w:styleId"), f"TOC{level}")  # Word's own id for "toc 1"
                style.base_style = normal
            style.paragraph_format.left_indent = Mm(6 * (level - 1))
            style.paragraph_format.space_after = Pt(3)
        table_style = styles["Table Grid"]
        table_style.font.size = Pt(self.table_size)
        clean_styles_element(styles.element)

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
        self.landscape = landscape

    @property
    def text_width_mm(self) -> float:
        return (297 if self.landscape else 210) - self.margins["left"] - self.margins["right"]

    def _decorate(self, section, *, numbered: bool) -> None:
        """Page number centred in the header (none on a first page), the footer line, the draft mark."""
        headers = [(section.header, numbered)]
        if section.different_first_page_header_footer:
            headers.append((section.first_page_header, False))
        for header, with_number in headers:
            header.is_linked_to_previous = False
            paragraph = header.paragraphs[0]
            paragraph.alignment = CENTER
            paragraph.paragraph_format.space_after = Pt(0)
            if self.draft_mark:
                self._watermark(paragraph)
            if with_number:
                self.field(paragraph, "PAGE", "")
        footers = [section.footer] + ([section.first_page_footer] if section.different_first_page_header_footer else [])
        for footer in footers:
            footer.is_linked_to_previous = False
            paragraph = footer.paragraphs[0]
            paragraph.alignment = CENTER
            paragraph.paragraph_format.space_after = Pt(0)
            if self.footer:
                run = paragraph.add_run(self.footer)
                run.italic = True
                run.font.size = Pt(9)

    def _watermark(self, paragraph) -> None:
        """The draft mark as Word's own "printed watermark": a diagonal text shape behind the page."""
        text = '"' + html.escape(self.draft_mark, quote=True) + '"'
        xml = (
            '<w:r xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
            'xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office">'
            "<w:rPr><w:noProof/></w:rPr><w:pict>"
            '<v:shapetype id="_x0000_t136" coordsize="21600,21600" o:spt="136" adj="10800" '
            'path="m@7,l@8,m@5,21600l@6,21600e">'
            '<v:formulas><v:f eqn="sum #0 0 10800"/><v:f eqn="prod #0 2 1"/><v:f eqn="sum 21600 0 @1"/>'
            '<v:f eqn="sum 0 0 @2"/><v:f eqn="sum 21600 0 @3"/><v:f eqn="if @0 @3 0"/><v:f eqn="if @0 21600 @1"/>'
            '<v:f eqn="if @0 0 @2"/><v:f eqn="if @0 @4 21600"/><v:f eqn="mid @5 @6"/><v:f eqn="mid @8 @5"/>'
            '<v:f eqn="mid @7 @8"/><v:f eqn="mid @6 @7"/><v:f eqn="sum @6 0 @5"/></v:formulas>'
            '<v:path textpathok="t" o:connecttype="custom" o:connectlocs="@9,0;@10,10800;@11,21600;@12,10800" '
            'o:connectangles="270,180,90,0"/><v:textpath on="t" fitshape="t"/>'
            '<v:handles><v:h position="#0,bottomRight" xrange="6629,14971"/></v:handles>'
            '<o:lock v:ext="edit" text="t" shapetype="t"/></v:shapetype>'
            '<v:shape id="KiemdinhDraftMark" o:spid="_x0000_s2049" type="#_x0000_t136" '
            'style="position:absolute;margin-left:0;margin-top:0;width:440pt;height:110pt;rotation:325;'
            "z-index:-251657216;mso-position-horizontal:center;mso-position-horizontal-relative:margin;"
            'mso-position-vertical:center;mso-position-vertical-relative:margin" o:allowincell="f" '
            'fillcolor="#f8dede" stroked="f">'
            f'<v:textpath style="font-family:&quot;{FONT}&quot;;font-size:1pt;font-weight:bold" string={text}/>'
            "</v:shape></w:pict></w:r>"
        )
        paragraph._p.append(parse_xml(xml))

    def _new_section(self, *, landscape: bool, numbered: bool = True, decorate: bool = False):
        """End the current section on its last paragraph (no empty paragraph that could spill onto a
        page of its own) and start a new one on a new page."""
        self._gap_after_table = 0.0
        body = self.doc.element.body
        sentinel = body.get_or_add_sectPr()
        last = body[-2] if len(body) >= 2 and body[-1] is sentinel else None
        if last is None or last.tag != qn("w:p") or last.find(qn("w:pPr") + "/" + qn("w:sectPr")) is not None:
            last = self._tiny_paragraph()._p
        last.set_sectPr(copy.deepcopy(sentinel))
        for reference in sentinel.xpath("w:headerReference|w:footerReference"):
            sentinel.remove(reference)
        section = self.doc.sections[-1]
        section.start_type = WD_SECTION.NEW_PAGE
        self._format_section(section, landscape=landscape)
        section.different_first_page_header_footer = False
        title_pg = section._sectPr.find(qn("w:titlePg"))
        if title_pg is not None:
            section._sectPr.remove(title_pg)
        if decorate:
            self._decorate(section, numbered=numbered)
        self._break_before = False
        return section

    def numbered_section(self) -> None:
        """A new page starting a section whose pages carry their number (after unnumbered covers)."""
        self._new_section(landscape=False, numbered=True, decorate=True)

    def landscape_section(self) -> None:
        """Start a new page in landscape (the evidence list), with the same header and footer."""
        self._new_section(landscape=True)

    def portrait_section(self) -> None:
        self._new_section(landscape=False)

    def cover_border(self) -> None:
        """A double border around the first page (the report's cover), as the PDF draws it."""
        sect_pr = self.doc.sections[0]._sectPr
        borders = OxmlElement("w:pgBorders")
        borders.set(qn("w:display"), "firstPage")
        borders.set(qn("w:offsetFrom"), "text")
        for side in ("top", "left", "bottom", "right"):
            edge = OxmlElement(f"w:{side}")
            edge.set(qn("w:val"), "double")
            edge.set(qn("w:sz"), "6")
            edge.set(qn("w:space"), "4")
            edge.set(qn("w:color"), "000000")
            borders.append(edge)
        # Schema order: pgBorders follows pgMar (and paperSrc).
        anchor = sect_pr.find(qn("w:pgMar"))
        anchor.addnext(borders)

    # -- Content ------------------------------------------------------------------------------

    def page_break(self) -> None:
        """The next block starts a new page (page break before it, never a paragraph holding a break)."""
        self._break_before = True

    def _add_paragraph(self, style: str | None = None):
        paragraph = self.doc.add_paragraph(style=style)
        if self._break_before:
            paragraph.paragraph_format.page_break_before = True
            self._break_before = False
        elif self._gap_after_table:
            paragraph.paragraph_format.space_before = Pt(self._gap_after_table)
        self._gap_after_table = 0.0
        return paragraph

    def _add_table(self, rows: int, cols: int):
        """A new table: apart from a table just above (a paragraph between, or Word joins them), on a
        new page if a page break is pending (page break before its first paragraph)."""
        if self._gap_after_table and not self._break_before:
            self._tiny_paragraph(self._gap_after_table)
        self._gap_after_table = 0.0
        table = self.doc.add_table(rows=rows, cols=cols)
        return table

    def _start_table_page(self, cell) -> None:
        if self._break_before:
            cell.paragraphs[0].paragraph_format.page_break_before = True
            self._break_before = False

    def _tiny_paragraph(self, height: float = 1):
        paragraph = self.doc.add_paragraph()
        fmt = paragraph.paragraph_format
        fmt.space_after = Pt(0)
        fmt.space_before = Pt(0)
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = Pt(height)
        return paragraph

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
        if placeholder:
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
                  space_before: float | None = None, keep_with_next: bool = False, style: str | None = None,
                  left_indent_mm: float | None = None):
        paragraph = self._add_paragraph(style=style)
        paragraph.alignment = align
        fmt = paragraph.paragraph_format
        if indent and align == JUSTIFY:
            fmt.first_line_indent = Mm(10)
        if left_indent_mm:
            fmt.left_indent = Mm(left_indent_mm)
        if space_after is not None:
            fmt.space_after = Pt(space_after)
        if space_before is not None:
            fmt.space_before = Pt(space_before)
        if keep_with_next:
            fmt.keep_with_next = True
        if size:
            fmt.line_spacing_rule = WD_LINE_SPACING.AT_LEAST
            fmt.line_spacing = Pt(LINE_HEIGHT * size)
        if text:
            self._runs(paragraph, text.upper() if upper else text, bold=bold, italic=italic, size=size)
        return paragraph

    @staticmethod
    def _runs(paragraph, text: str, *, bold: bool = False, italic: bool = False, size: float | None = None,
              underline: bool = False) -> None:
        """``text`` as runs; a newline becomes a line break."""
        previous = None
        for line in text.split("\n"):
            if previous is not None:
                previous.add_break()
            run = previous = paragraph.add_run(line)
            run.bold = bold or None
            run.italic = italic or None
            if underline:
                run.underline = True
            if size:
                run.font.size = Pt(size)

    def sub(self, text: str, *, page_break_before: bool = False):
        """A bold sub-heading kept with what follows (print.css ``.sub``: margins 8 pt above, 4 pt below)."""
        if page_break_before:
            self.page_break()
        return self.paragraph(text, bold=True, align=LEFT, indent=False, space_before=8, space_after=4,
                              keep_with_next=True)

    def runs(self, parts: Iterable[tuple[str, dict]], *, align=JUSTIFY, indent: bool = True):
        """A paragraph of several runs: ``(text, {"bold": True, "italic": False, "size": 12})``."""
        paragraph = self.paragraph(align=align, indent=indent)
        for text, fmt in parts:
            run = paragraph.add_run(text)
            run.bold = fmt.get("bold", False) or None
            run.italic = fmt.get("italic", False) or None
            if fmt.get("size"):
                run.font.size = Pt(fmt["size"])
        return paragraph

    def heading(self, text: str, level: int = 1, *, page_break_before: bool = False):
        """A heading of Word's outline (picked up by the table of contents); a newline breaks the line."""
        if page_break_before:
            self.page_break()
        paragraph = self._add_paragraph(style=f"Heading {level}")
        self._runs(paragraph, text)
        return paragraph

    def short_rule(self, width_mm: float = 40, *, container=None, container_width_mm: float | None = None) -> None:
        """The short line under a name (print.css ``.line-short``): a bottom border, no characters."""
        paragraph = container.add_paragraph() if container is not None else self._add_paragraph()
        width = container_width_mm or self.text_width_mm
        fmt = paragraph.paragraph_format
        side = max((width - width_mm) / 2, 0)
        fmt.left_indent = Mm(side)
        fmt.right_indent = Mm(side)
        fmt.first_line_indent = Mm(0)
        fmt.space_before = Pt(0)
        fmt.space_after = Pt(3)
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = Pt(3)
        borders = OxmlElement("w:pBdr")
        bottom = OxmlElement("w:bottom")
        bottom.set(qn("w:val"), "single")
        bottom.set(qn("w:sz"), "6")
        bottom.set(qn("w:space"), "1")
        bottom.set(qn("w:color"), "000000")
        borders.append(bottom)
        ppr = paragraph._p.get_or_add_pPr()
        # Schema order: pBdr comes after keepNext/keepLines/pageBreakBefore…, before spacing.
        spacing = ppr.find(qn("w:spacing"))
        if spacing is not None:
            spacing.addprevious(borders)
        else:
            ppr.append(borders)

    def spacer(self, points: float) -> None:
        paragraph = self._tiny_paragraph(max(points, 1))
        paragraph.paragraph_format.space_after = Pt(0)

    def table(
        self,
        header: Sequence,
        rows: Iterable[Sequence[str]],
        *,
        widths: Sequence[float] | None = None,
        center_columns: Iterable[int] = (),
        right_columns: Iterable[int] = (),
        groups: Iterable[int] = (),
        bold_rows: Iterable[int] = (),
        indents: Sequence[int] | None = None,
        size: float | None = None,
        keep_together: bool = False,
        empty_text: str = "",
        borders: bool = True,
        row_height_mm: float | None = None,
    ):
        """A table the width of the text.

        ``header``: one row of labels, or several rows whose cells are labels or ``(label, colspan,
        rowspan)`` (objects with ``label``, ``colspan``, ``rowspan`` too); repeated on each page.
        ``widths``: per column, in percent of the text width (equal columns without it).
        ``groups``: indexes of rows printed as one bold shaded merged cell (e.g. "Tiêu chuẩn 1"),
        kept with the next row. ``bold_rows``: totals. ``indents``: per row, a level of indentation
        of the first cell. ``keep_together``: the whole table on one page if it fits.
        ``empty_text``: the one row printed when there are no rows. ``row_height_mm``: the least
        height of a body row (room to sign).
        """
        header_rows = _header_rows(header)
        rows = [list(r) for r in rows]
        columns = len(widths) if widths else sum(span for _label, span, _rows in header_rows[0]) if header_rows \
            else len(next(iter(rows), []))
        size = size or self.table_size
        centered, righted = set(center_columns), set(right_columns)
        group_rows, bold = set(groups), set(bold_rows)
        widths_mm = _column_widths(widths, columns, self.text_width_mm)
        table = self._add_table(len(header_rows), columns)
        if borders:
            table.style = self.doc.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        _table_properties(table, widths_mm, padding=borders)
        # Header: place each cell in the grid, skipping the slots taken by a cell spanning from above.
        taken: set[tuple[int, int]] = set()
        for r, cells in enumerate(header_rows):
            c = 0
            for label, colspan, rowspan in cells:
                while (r, c) in taken:
                    c += 1
                first = table.cell(r, c)
                if colspan > 1 or rowspan > 1:
                    first = first.merge(table.cell(r + rowspan - 1, c + colspan - 1))
                for rr in range(r, r + rowspan):
                    for cc in range(c, c + colspan):
                        taken.add((rr, cc))
                self._cell_text(first, label, bold=True, align=CENTER, size=size, keep_with_next=True)
                _vertical_center(first)
                c += colspan
            _row_properties(table.rows[r], header=True)
        if not rows and empty_text:
            cells = table.add_row().cells
            merged = cells[0].merge(cells[-1])
            self._cell_text(merged, empty_text, italic=True, align=CENTER, size=size)
            _row_properties(table.rows[-1])
        for index, values in enumerate(rows):
            row = table.add_row()
            cells = row.cells
            last = index == len(rows) - 1
            keep = (keep_together and not last) or index in group_rows
            if index in group_rows:
                merged = cells[0].merge(cells[-1])
                self._cell_text(merged, values[0], bold=True, size=size, keep_with_next=True)
                _shade(merged, "F0F0F0")
                _row_properties(row)
                continue
            for c, value in enumerate(values[:columns]):
                align = CENTER if c in centered else RIGHT if c in righted else LEFT
                indent = (indents[index] if indents and c == 0 else 0) or 0
                self._cell_text(cells[c], value, align=align, size=size, bold=index in bold, keep_with_next=keep,
                                left_indent_pt=(14 if indent == 1 else 24 if indent >= 2 else 0))
            if row_height_mm:
                from docx.enum.table import WD_ROW_HEIGHT_RULE

                row.height = Mm(row_height_mm)
                row.height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST
            _row_properties(row)
        if table.rows:
            self._start_table_page(table.rows[0].cells[0])
        _apply_widths(table, widths_mm)
        self._after_table()
        return table

    def _after_table(self) -> None:
        """The space under a table (print.css: 10 pt): the space before the next paragraph, or a thin
        paragraph before the next table; none before a new page (a page-filling table followed by an
        empty paragraph would push it onto a page of its own)."""
        self._gap_after_table = 10.0

    @staticmethod
    def _cell_text(cell, text, *, bold: bool = False, italic: bool = False, align=LEFT, size: float = 12,
                   keep_with_next: bool = False, left_indent_pt: float = 0) -> None:
        paragraph = cell.paragraphs[0]
        for extra in cell.paragraphs[1:]:
            extra._p.getparent().remove(extra._p)
        paragraph.alignment = align
        fmt = paragraph.paragraph_format
        fmt.space_after = Pt(0)
        fmt.first_line_indent = None
        fmt.line_spacing_rule = WD_LINE_SPACING.AT_LEAST
        fmt.line_spacing = Pt(LINE_HEIGHT * size)
        if left_indent_pt:
            fmt.left_indent = Pt(left_indent_pt)
        if keep_with_next:
            fmt.keep_with_next = True
        DocxWriter._runs(paragraph, "" if text is None else str(text), bold=bold, italic=italic, size=size)

    def admin_header(self, *, left_top: str, left_bold: str, number: str, place_date: str,
                     subject: str = "") -> None:
        """The national header of an administrative document (Nghị định 30/2020, Phụ lục I), in the
        PDF's columns (40 % / 60 %): the national title fits on one line of the right column."""
        size = 12.5
        widths_mm = _column_widths([40, 60], 2, self.text_width_mm)
        table = self._add_table(1, 2)
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        _table_properties(table, widths_mm, padding=False)
        left, right = table.rows[0].cells

        def line(cell, text, *, first=False, bold=False, italic=False, underline=False, text_size=size):
            p = cell.paragraphs[0] if first else cell.add_paragraph()
            p.alignment = CENTER
            fmt = p.paragraph_format
            fmt.space_after = Pt(0)
            fmt.line_spacing_rule = WD_LINE_SPACING.AT_LEAST
            fmt.line_spacing = Pt(LINE_HEIGHT * text_size)
            self._runs(p, text, bold=bold, italic=italic, underline=underline, size=text_size)
            return p

        self._start_table_page(left)
        line(left, left_top.upper(), first=True)
        line(left, left_bold.upper(), bold=True)
        self.short_rule(container=left, container_width_mm=widths_mm[0])
        line(left, number)
        if subject:
            line(left, subject, text_size=11)
        line(right, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", first=True, bold=True)
        line(right, "Độc lập - Tự do - Hạnh phúc", bold=True)
        self.short_rule(container=right, container_width_mm=widths_mm[1])
        line(right, place_date, italic=True)
        _row_properties(table.rows[0])
        _apply_widths(table, widths_mm)
        self._after_table()

    def signature(self, *, title: str, name: str, place_date: str = "", note: str = "",
                  recipients: Sequence[str] = (), left_title: str = "", left_note: str = "",
                  left_percent: float = 45, space_mm: float = 22) -> None:
        """Recipients (Nơi nhận) or a second signer on the left, the signature block on the right;
        one row that never splits, so the block stays whole."""
        widths_mm = _column_widths([left_percent, 100 - left_percent], 2, self.text_width_mm)
        table = self._add_table(1, 2)
        _table_properties(table, widths_mm, padding=False)
        left, right = table.rows[0].cells
        size = self.font_size

        def line(cell, text, *, first=False, align=CENTER, bold=False, italic=False, text_size=size,
                 space_before=0):
            p = cell.paragraphs[0] if first else cell.add_paragraph()
            p.alignment = align
            fmt = p.paragraph_format
            fmt.space_after = Pt(0)
            fmt.space_before = Pt(space_before)
            fmt.line_spacing_rule = WD_LINE_SPACING.AT_LEAST
            fmt.line_spacing = Pt(LINE_HEIGHT * text_size)
            self._runs(p, text, bold=bold, italic=italic, size=text_size)
            return p

        self._start_table_page(left)
        if recipients:
            line(left, "Nơi nhận:", first=True, align=LEFT, bold=True, italic=True, text_size=12)
            for entry in recipients:
                line(left, entry, align=LEFT, text_size=11)
        elif left_title:
            line(left, left_title.upper(), first=True, bold=True)
            if left_note:
                line(left, left_note, italic=True)
        first = True
        if place_date:
            line(right, place_date, first=True, italic=True)
            first = False
        line(right, title.upper(), first=first, bold=True)
        if note:
            line(right, note, italic=True)
        line(right, name, bold=True, space_before=space_mm * 72 / 25.4)
        _row_properties(table.rows[0])
        _apply_widths(table, widths_mm)
        self._after_table()

    def save(self) -> bytes:
        body = self.doc.element.body
        sentinel = body.get_or_add_sectPr()
        if len(body) >= 2 and body[-1] is sentinel and body[-2].tag == qn("w:tbl"):
            # A document ends with a paragraph: one point high, it cannot make a page of its own
            # unless the table fills the last page to the last point.
            self._tiny_paragraph(1)
        buffer = io.BytesIO()
        self.doc.save(buffer)
        return buffer.getvalue()


# -- Table helpers -------------------------------------------------------------------------------


def _header_rows(header: Sequence) -> list[list[tuple[str, int, int]]]:
    """Header rows as ``(label, colspan, rowspan)`` cells, whatever form they were given in."""
    if not header:
        return []
    rows = [header] if isinstance(header[0], str) or hasattr(header[0], "label") or (
        isinstance(header[0], tuple) and header[0] and isinstance(header[0][0], str)
        and len(header[0]) == 3 and isinstance(header[0][1], int)) else header
    result = []
    for row in rows:
        cells = []
        for cell in row:
            if isinstance(cell, str):
                cells.append((cell, 1, 1))
            elif hasattr(cell, "label"):
                cells.append((cell.label, getattr(cell, "colspan", 1), getattr(cell, "rowspan", 1)))
            else:
                label, colspan, rowspan = cell
                cells.append((label, colspan, rowspan))
        result.append(cells)
    return result


def _column_widths(widths: Sequence[float] | None, columns: int, total_mm: float) -> list[float]:
    """Percentages (any total) → millimetres filling ``total_mm``; equal columns without them."""
    if not widths:
        return [total_mm / columns] * columns
    scale = total_mm / sum(widths)
    return [w * scale for w in widths]


def _table_properties(table, widths_mm: Sequence[float], *, padding: bool = True) -> None:
    """Total width, fixed layout and the PDF's cell padding (2 pt above and below, 4 pt at the sides)."""
    tbl_pr = table._tbl.tblPr
    width = tbl_pr.find(qn("w:tblW"))
    if width is None:
        width = OxmlElement("w:tblW")
        tbl_pr.append(width)
    width.set(qn("w:w"), str(sum(_twips(w) for w in widths_mm)))
    width.set(qn("w:type"), "dxa")
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    margins = OxmlElement("w:tblCellMar")
    for side, value in (("top", 40 if padding else 0), ("left", 80 if padding else 0),
                        ("bottom", 40 if padding else 0), ("right", 80 if padding else 0)):
        edge = OxmlElement(f"w:{side}")
        edge.set(qn("w:w"), str(value))
        edge.set(qn("w:type"), "dxa")
        margins.append(edge)
    # Schema order inside tblPr: … tblW, jc, …, tblLayout, tblCellMar, tblLook.
    look = tbl_pr.find(qn("w:tblLook"))
    for element in (layout, margins):
        if look is not None:
            look.addprevious(element)
        else:
            tbl_pr.append(element)


def _apply_widths(table, widths_mm: Sequence[float]) -> None:
    """Column widths in the grid (what LibreOffice and Word lay out by) and on every cell."""
    grid = table._tbl.tblGrid
    for col in list(grid):
        grid.remove(col)
    twips = [_twips(w) for w in widths_mm]
    for value in twips:
        col = OxmlElement("w:gridCol")
        col.set(qn("w:w"), str(value))
        grid.append(col)
    for tr in table._tbl.tr_lst:
        position = 0
        for tc in tr.tc_lst:
            span = tc.grid_span
            tc_pr = tc.get_or_add_tcPr()
            width = tc_pr.find(qn("w:tcW"))
            if width is None:
                width = OxmlElement("w:tcW")
                tc_pr.insert(0, width)
            width.set(qn("w:w"), str(sum(twips[position:position + span])))
            width.set(qn("w:type"), "dxa")
            position += span


def _row_properties(row, *, header: bool = False) -> None:
    """Rows never split across pages; header rows repeat on each page."""
    tr_pr = row._tr.get_or_add_trPr()
    if tr_pr.find(qn("w:cantSplit")) is None:
        tr_pr.append(OxmlElement("w:cantSplit"))
    if header and tr_pr.find(qn("w:tblHeader")) is None:
        element = OxmlElement("w:tblHeader")
        element.set(qn("w:val"), "true")
        tr_pr.append(element)


def _shade(cell, fill: str) -> None:
    tc_pr = cell._tc.get_or_add_tcPr()
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    tc_pr.append(shading)


def _vertical_center(cell) -> None:
    tc_pr = cell._tc.get_or_add_tcPr()
    if tc_pr.find(qn("w:vAlign")) is None:
        align = OxmlElement("w:vAlign")
        align.set(qn("w:val"), "center")
        tc_pr.append(align)
