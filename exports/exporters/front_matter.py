"""The front matter of the self-assessment report in Word, shared by the 2018 report and TT57 Biểu 1.

Block for block what ``templates/exports/pdf/_report_cover.html``, ``_report_council.html``,
``_report_contents.html`` and ``_report_signature.html`` print: the outer cover, the head of the
inner cover, the council with its signature column, the table of contents and the abbreviations,
and the principal's signature that closes the report. ``ReportDocxExporter``
(``report.py``) and ``bieu1_docx`` (``report57.py``) arrange them as each layout wants.
"""

from __future__ import annotations

from exports.document import DRAFT_WATERMARK, ReportDocument, Stamp
from exports.exporters.report import TOC_PLACEHOLDER
from exports.pdf import page_format
from exports.wordfile import CENTER, LEFT, DocxWriter

MM = 72 / 25.4  # points per millimetre


def report_writer(stamp: Stamp, *, author: str, title: str) -> DocxWriter:
    """A Word file on the page format of the PDF, with the draft mark and the footer of the stamp."""
    fmt = page_format()
    margins = {side: fmt[f"margin_{side}"] for side in ("top", "bottom", "left", "right")}
    return DocxWriter(margins_mm=margins, font_size=fmt["font_size"],
                      draft_mark=DRAFT_WATERMARK if stamp.is_draft else "", footer=stamp.footer,
                      author=author, title=title, numbered=False)


def cover(w: DocxWriter, d: ReportDocument, *, nation: bool = False) -> None:
    """The outer cover (print.css .cover: a double border, the title 100 mm and the place 14 mm from
    the bottom); ``nation``: the national name and motto under the school (Biểu 1 of TT57)."""
    w.cover_border()
    w.paragraph(d.managing_body, align=CENTER, upper=True, space_after=0, space_before=10 * MM)
    w.paragraph(d.school_name, align=CENTER, upper=True, bold=True, space_after=0)
    w.short_rule()
    if nation:
        w.paragraph("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", align=CENTER, bold=True, space_before=8 * MM, space_after=0)
        w.paragraph("Độc lập - Tự do - Hạnh phúc", align=CENTER, bold=True, space_after=0)
        w.spacer(52 * MM)
    else:
        w.spacer(73 * MM)
    w.paragraph("BÁO CÁO TỰ ĐÁNH GIÁ", align=CENTER, bold=True, size=22, space_after=0)
    sub = f"Năm học {d.school_year}" + (f" – theo {d.regulation_document}" if d.regulation_document else "")
    w.paragraph(sub, align=CENTER, italic=True, space_before=5 * MM, space_after=0)
    w.spacer(100 * MM)
    w.paragraph(f"{d.province} – {d.year}", align=CENTER, bold=True, upper=True, space_after=0)


def inner_cover_head(w: DocxWriter, d: ReportDocument) -> None:
    """A new page headed by the managing body, the school and the title, as on the inner cover."""
    w.page_break()
    w.paragraph(d.managing_body, align=CENTER, upper=True, space_after=0)
    w.paragraph(d.school_name, align=CENTER, upper=True, bold=True, space_after=0)
    w.short_rule()
    w.paragraph("BÁO CÁO TỰ ĐÁNH GIÁ", align=CENTER, bold=True, size=16, space_before=14 * MM, space_after=10 * MM)


def council(w: DocxWriter, d: ReportDocument) -> None:
    """The members of the self-assessment council, with an empty column for their signatures."""
    w.paragraph("DANH SÁCH VÀ CHỮ KÝ THÀNH VIÊN HỘI ĐỒNG TỰ ĐÁNH GIÁ", align=CENTER, bold=True, space_after=0)
    if d.council_decision:
        w.paragraph(f"(Theo {d.council_decision})", align=CENTER, italic=True, space_after=0)
    w.table(["TT", "Họ và tên", "Chức danh, chức vụ", "Nhiệm vụ", "Chữ ký"],
            [[str(m.order), m.full_name, m.title, m.duty, ""] for m in d.council],
            widths=[6, 25, 27, 24, 18], center_columns=[0], row_height_mm=11,
            empty_text="Chưa có danh sách Hội đồng tự đánh giá.")


def contents(w: DocxWriter, d: ReportDocument) -> None:
    """The table of contents (a Word field, refreshed when the file is opened; numbered pages from
    here) and, on the next page, the abbreviations."""
    w.numbered_section()
    w.paragraph("MỤC LỤC", align=CENTER, bold=True, size=round(w.font_size * 1.1), space_before=12)
    toc = w.paragraph(align=LEFT, indent=False)
    w.field(toc, 'TOC \\o "1-3" \\h \\z \\u', TOC_PLACEHOLDER)
    w.update_fields_on_open()
    w.heading("DANH MỤC CÁC CHỮ VIẾT TẮT", 1, page_break_before=True)
    w.table(["TT", "Chữ viết tắt", "Nội dung"],
            [[str(i), short, long] for i, (short, long) in enumerate(d.abbreviations, start=1)],
            widths=[8, 22, 70], center_columns=[0])


def principal_signature(w: DocxWriter, d: ReportDocument) -> None:
    """The principal's signature that closes the report, with the place and date."""
    w.signature(title="Hiệu trưởng", name=d.principal, place_date=f"{d.place}, {d.signature_date}",
                note="(Ký, ghi rõ họ tên và đóng dấu)", space_mm=24)
