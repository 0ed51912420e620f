"""The TT57/2026 report as Biểu 1 (PDF and Word), from the report dict (draft or frozen version).

``ReportPdfExporter`` and ``ReportDocxExporter`` hand a TT57 report to the functions here, so that
every caller (the export page, the dossier, the command) prints Biểu 1 without knowing the regime.
The Word file is written block for block like ``templates/exports/pdf/report57.html``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from evidence.models import Evidence
from exports.document import DRAFT_WATERMARK
from exports.document57 import ATTACHED, RESPONSIBILITY, STATE_COLUMN, Bieu1
from exports.pdf import render_pdf

EvidenceLinks = Callable[[str], str] | Mapping[str, str] | None


def evidence_links(data: Mapping[str, Any]) -> dict[str, str]:
    """Each evidence code of the report → the absolute URL of its file's download page, or of the item's
    page when it has no file (a paper record in its box: the page says where it is kept).

    Looked up by the school and the code (the report dict has no database ids); a code whose
    evidence no longer exists gets no link. The pages themselves check who may see them.
    """
    from django.conf import settings
    from django.urls import reverse


    school = (data.get("school") or {}).get("code")
    codes = [str(i.get("code", "")) for i in data.get("evidence") or [] if i.get("code")]
    if not school or not codes:
        return {}
    found = Evidence.objects.filter(school__code=school, code__in=codes).values_list("code", "pk", "file")
    base = getattr(settings, "SITE_URL", "").rstrip("/")
    return {code.upper(): f"{base}{reverse('evidence:evidence_download' if file else 'evidence:evidence_detail', args=[pk])}"
            for code, pk, file in found}


def bieu1_pdf(doc: Bieu1) -> bytes:
    return render_pdf("exports/pdf/report57.html", {
        "doc": doc, "footer": doc.stamp.footer, "watermark": DRAFT_WATERMARK if doc.stamp.is_draft else "",
        "responsibility": RESPONSIBILITY, "attached": ATTACHED,
    })


def add_hyperlink(paragraph, url: str, text: str, *, size: float | None = None) -> None:
    """Replace the paragraph's runs with ``text`` as a link to ``url`` (underlined, black like the PDF)."""
    from docx.opc.constants import RELATIONSHIP_TYPE
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    for run in list(paragraph.runs):
        run._r.getparent().remove(run._r)
    rel = paragraph.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), rel)
    run = OxmlElement("w:r")
    props = OxmlElement("w:rPr")
    fonts = OxmlElement("w:rFonts")
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), "Times New Roman")
    props.append(fonts)
    underline = OxmlElement("w:u")
    underline.set(qn("w:val"), "single")
    props.append(underline)
    if size:
        for tag in ("w:sz", "w:szCs"):
            el = OxmlElement(tag)
            el.set(qn("w:val"), str(int(round(size * 2))))
            props.append(el)
    run.append(props)
    t = OxmlElement("w:t")
    t.text = text
    t.set(qn("xml:space"), "preserve")
    run.append(t)
    link.append(run)
    paragraph._p.append(link)


def bieu1_docx(doc: Bieu1) -> bytes:
    from exports.wordfile import CENTER

    from . import front_matter

    b = doc.base
    w = front_matter.report_writer(doc.stamp, author=b.school_name, title=doc.title)
    front_matter.cover(w, b, nation=True)
    # Bìa trong.
    front_matter.inner_cover_head(w, b)
    w.paragraph(f"Năm học {b.school_year}", align=CENTER, bold=True, space_after=0)
    w.paragraph(f"{b.place}, năm {b.year}", align=CENTER, bold=True, upper=True, space_before=14 * front_matter.MM)
    # Danh sách và chữ ký thành viên Hội đồng tự đánh giá.
    w.page_break()
    front_matter.council(w, b)
    front_matter.contents(w, b)

    def texts(items, empty="(Chưa viết.)"):
        for text in items:
            w.paragraph(text)
        if not items:
            w.paragraph(empty, italic=True)

    def titled(item):
        w.sub(item.heading)
        for text in item.paragraphs:
            w.paragraph(text)
        for sub in item.subs:
            w.paragraph(sub.heading, bold=True, italic=True, indent=False, space_before=4, space_after=2,
                        keep_with_next=True)
            texts(sub.paragraphs)

    # Phần I.
    w.heading("PHẦN I\nTỔNG QUAN", 1, page_break_before=True)
    for item in doc.overview:
        titled(item)
        if not item.paragraphs and not item.subs:
            w.paragraph("(Chưa viết.)", italic=True)

    # Phần II.
    w.heading("PHẦN II\nTỰ ĐÁNH GIÁ", 1, page_break_before=True)
    for standard in doc.standards:
        w.heading(standard.heading, 2)
        for c in standard.criteria:
            w.heading(c.heading, 3)
            for row in c.rows:
                w.runs([(f"{row.level}: ", {"bold": True, "italic": True}), (row.requirement, {"italic": True})],
                       indent=False)
            w.sub("Mô tả hiện trạng")
            table = w.table(["Mức", STATE_COLUMN, "Đánh giá (Đạt/Không đạt)"],
                            [[row.level, "", row.verdict] for row in c.rows], widths=[12, 70, 18],
                            center_columns=[0, 2])
            for index, row in enumerate(c.rows, start=1):
                _state_cell(table.rows[index].cells[1], row.paragraphs, w.table_size)
            w.paragraph(f"Tự đánh giá: {c.result}.", bold=True, indent=False)
        w.heading(f"Đánh giá chung về Tiêu chuẩn {standard.number}", 3)
        for part in standard.parts[:-1]:
            titled(part)
            if not part.paragraphs and not part.subs:
                w.paragraph("(Chưa viết.)", italic=True)
        w.sub(standard.parts[-1].heading)
        w.table([[("Tiêu chí", 1, 2), ("Không đạt", 1, 2), ("Đạt", 2, 1)], ["Mức 1", "Mức 2"]],
                [[r.label, *r.marks] for r in standard.table], widths=[40, 20, 20, 20],
                center_columns=[1, 2, 3], keep_together=True)

    # Phần III.
    w.heading("PHẦN III\nKẾT LUẬN", 1, page_break_before=True)
    w.sub("1. Khái quát về mức độ đáp ứng tiêu chuẩn chất lượng giáo dục của cơ sở giáo dục")
    texts(doc.overall)
    w.sub("2. Tổng hợp kết quả tự đánh giá")
    w.paragraph("a) Bảng tổng hợp kết quả đánh giá tiêu chí", bold=True, italic=True, indent=False,
                keep_with_next=True)
    rows, groups = [], []
    for label, items in doc.criteria_table:
        groups.append(len(rows))
        rows.append([label, "", "", ""])
        rows.extend([r.label, *r.marks] for r in items)
    rows.append(["Cộng chung", *doc.criteria_totals])
    w.table([[("Tiêu chuẩn, tiêu chí", 1, 2), ("Không đạt Mức 1", 1, 2), ("Đạt", 2, 1)], ["Mức 1", "Mức 2"]],
            rows, groups=groups, bold_rows=[len(rows) - 1], widths=[40, 20, 20, 20], center_columns=[1, 2, 3])
    w.paragraph("b) Bảng tổng hợp chung", bold=True, italic=True, indent=False, keep_with_next=True)
    general = [[r.label, str(r.total), *r.cells] for r in doc.general_table]
    w.table([[("Tiêu chuẩn", 1, 2), ("Tổng số tiêu chí", 1, 2), ("Không đạt", 2, 1), ("Mức 1", 2, 1),
              ("Mức 2", 2, 1)], ["SL", "%", "SL", "%", "SL", "%"]],
            general, bold_rows=[len(general) - 1], widths=[22, 12, 11, 11, 11, 11, 11, 11],
            center_columns=range(1, 8), keep_together=True)
    w.sub("3. Mức đạt của cơ sở giáo dục")
    w.paragraph(doc.school_result)
    w.sub("4. Đề xuất, kiến nghị")
    for item in doc.proposals:
        w.paragraph(item.heading, bold=True, italic=True, indent=False, space_before=4, space_after=2,
                    keep_with_next=True)
        texts(item.paragraphs, "(Không có.)")
    w.paragraph(RESPONSIBILITY, italic=True)
    front_matter.principal_signature(w, b)

    # Phần IV.
    w.heading("PHẦN IV\nPHỤ LỤC", 1, page_break_before=True)
    w.sub("1. Cơ sở dữ liệu")
    w.paragraph("THÔNG TIN DỮ LIỆU", align=CENTER, bold=True, indent=False)
    w.table((), [list(f) for f in doc.form_header], widths=[45, 55])
    rows, groups, indents = [], [], []
    for row in doc.form_rows:
        if row.heading:
            groups.append(len(rows))
            rows.append([row.label] + [""] * len(doc.form_years))
        else:
            rows.append([row.label, *row.values])
        indents.append(row.indent)
    year_count = max(len(doc.form_years), 1)
    w.table(["Nội dung", *(f"Năm học {y}" for y in doc.form_years)], rows, groups=groups, indents=indents,
            widths=[40] + [60 / year_count] * len(doc.form_years), right_columns=range(1, len(doc.form_years) + 1))
    w.sub("2. Các tư liệu, tài liệu liên quan")
    w.paragraph(ATTACHED + (f" ({b.council_decision} về việc thành lập Hội đồng tự đánh giá)"
                            if b.council_decision else ""))
    w.landscape_section()
    w.sub("3. Danh mục minh chứng")
    rows, groups, links = [], [], []
    for group in doc.linked_evidence:
        groups.append(len(rows))
        rows.append([group.label, "", "", "", ""])
        for r, url in group.rows:
            links.append((len(rows), r.code, url))
            rows.append([str(r.order), r.code, r.name, r.storage, r.note])
    size = 11.5
    table = w.table(
        ["TT", "Mã minh chứng", "Tên minh chứng", "Định dạng, vị trí lưu trữ hoặc đường dẫn điện tử", "Ghi chú"],
        rows, groups=groups, widths=[7, 13, 33, 27, 20], center_columns=[0], size=size,
        empty_text="Chưa có minh chứng.",
    )
    for index, code, url in links:
        if url:
            add_hyperlink(table.rows[index + 1].cells[1].paragraphs[0], url, code, size=size)
    w.sub("4. Văn bản, tài liệu khác có liên quan")
    w.paragraph("(Không có.)", italic=True)
    return w.save()


def _state_cell(cell, paragraphs, size: float) -> None:
    """The "Hiện trạng" cell: its paragraphs, each evidence code a link to its download page."""
    from exports.wordfile import LEFT, DocxWriter

    if not paragraphs:
        DocxWriter._cell_text(cell, "(Chưa mô tả hiện trạng.)", italic=True, size=size)
        return
    first = True
    for segments in paragraphs:
        if first:
            DocxWriter._cell_text(cell, "", size=size, align=LEFT)
            paragraph = cell.paragraphs[0]
            first = False
        else:
            paragraph = cell.add_paragraph()
            fmt, model = paragraph.paragraph_format, cell.paragraphs[0].paragraph_format
            fmt.space_after, fmt.line_spacing_rule, fmt.line_spacing = model.space_after, model.line_spacing_rule, \
                model.line_spacing
        for run in list(paragraph.runs):
            run._r.getparent().remove(run._r)
        for segment in segments:
            if segment.url:
                holder = cell.add_paragraph()
                add_hyperlink(holder, segment.url, segment.text, size=size)
                for link in holder._p.findall("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}hyperlink"):
                    paragraph._p.append(link)
                holder._p.getparent().remove(holder._p)
            else:
                DocxWriter._runs(paragraph, segment.text, size=size)
