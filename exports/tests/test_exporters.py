"""Every exporter's file opened and read back: PDF text (pdftotext), Word paragraphs, Excel cells.

The full-size report (TT18: 28 criteria, realistic text, 150 evidence items, levels computed by the
real engine) is rendered once for the module and read as a person would check a printed copy.
"""

from __future__ import annotations

import datetime
import re

import pytest

from exports.document import Stamp, build_report_document
from exports.exporters import ReportDocxExporter, ReportPdfExporter
from exports.exporters.forms import (
    CouncilDecisionExporter,
    CriterionSheetsExporter,
    RoundLetterExporter,
    SelfAssessmentPlanExporter,
)
from exports.exporters.sheets import EvidenceListXlsxExporter, ReportSummaryXlsxExporter
from exports.official import LetterInfo, LetterSchool
from exports.tests.readers import (
    docx_document,
    docx_text,
    needs_poppler,
    pdf_fonts,
    pdf_page_sizes,
    pdf_pages,
    pdf_text,
    pdf_words,
    sheet_rows,
    workbook,
)
from exports.tests.sample import report_dict

HASH = "3f9a1c0b7d2e4a61" + "0123456789abcdef" * 3
STAMP = Stamp(version=3, content_hash=HASH, submitted_at=datetime.datetime(2025, 4, 20, 9, 30),
              verify_url="http://testserver/exports/verify/")


@pytest.fixture(scope="module")
def full_data():
    return report_dict(evidence_items=150)


@pytest.fixture(scope="module")
def full_pdf(full_data):
    name, content_type, content = ReportPdfExporter(full_data, STAMP).render()
    assert name == "bao-cao-tu-danh-gia-dda-thcs-01-2024-2025-v3.pdf"
    assert content_type == "application/pdf"
    return content


@pytest.fixture(scope="module")
def small_data():
    return report_dict(evidence_items=30, sentences=1)


# --- The report as PDF ---------------------------------------------------------------------------


@needs_poppler
def test_pdf_reads_in_the_ministrys_order_with_correct_diacritics(full_pdf, full_data):
    text = pdf_text(full_pdf)
    order = [
        "PHÒNG GIÁO DỤC VÀ ĐÀO TẠO QUẬN ĐỐNG ĐA", "TRƯỜNG THCS ĐỐNG ĐA", "BÁO CÁO TỰ ĐÁNH GIÁ", "HÀ NỘI – 2025",
        "DANH SÁCH VÀ CHỮ KÝ THÀNH VIÊN HỘI ĐỒNG TỰ ĐÁNH GIÁ", "MỤC LỤC", "DANH MỤC CÁC CHỮ VIẾT TẮT",
        "BẢNG TỔNG HỢP KẾT QUẢ TỰ ĐÁNH GIÁ", "CƠ SỞ DỮ LIỆU", "A. ĐẶT VẤN ĐỀ", "B. TỰ ĐÁNH GIÁ",
        "I. TỰ ĐÁNH GIÁ TIÊU CHÍ MỨC 1, 2 VÀ 3", "Tiêu chuẩn 1: Tổ chức và quản lý nhà trường",
        "Tiêu chí 1.1: Phương hướng, chiến lược xây dựng và phát triển nhà trường", "1. Mô tả hiện trạng",
        "2. Điểm mạnh", "3. Điểm yếu", "4. Kế hoạch cải tiến chất lượng", "5. Tự đánh giá",
        "Kết luận về Tiêu chuẩn 1", "II. TỰ ĐÁNH GIÁ TIÊU CHÍ MỨC 4", "KẾT LUẬN CHUNG", "HIỆU TRƯỞNG",
        "DANH MỤC MÃ MINH CHỨNG",
    ]
    position = -1
    for heading in order:
        found = text.find(heading, position + 1)
        assert found > position, f"{heading!r} missing or out of order"
        position = found
    # The official wording of an indicator, with every diacritic, and a council member's name.
    flat = " ".join(text.split())
    indicator = full_data["part2"]["standards"][0]["criteria"][0]["levels"][0]["indicators"][1]["text"]
    assert indicator in flat
    assert "Đỗ Thị Ngọc Ánh" in flat and "Phó Chủ tịch Hội đồng" in flat
    assert "\ufffd" not in text  # no missing glyph


@needs_poppler
def test_every_page_carries_the_version_and_check_code(full_pdf):
    pages = pdf_pages(full_pdf)
    assert len(pages) > 60
    for number, page in enumerate(pages, start=1):
        flat = " ".join(page.split())
        assert f"Phiên bản 3 · mã kiểm tra {HASH[:16]}" in flat, number
        assert "BẢN NHÁP" not in page


@needs_poppler
def test_page_numbers_start_after_the_cover(full_pdf):
    pages = pdf_pages(full_pdf)
    assert not pages[0].strip().startswith("1")
    for number in (3, 10, len(pages) - 1):
        assert pages[number - 1].strip().split()[0] == str(number)


@needs_poppler
def test_table_of_contents_page_numbers_point_at_their_headings(full_pdf):
    pages = pdf_pages(full_pdf)
    toc = next(p for p in pages if "MỤC LỤC" in p)
    entries = dict(re.findall(r"^(.+?)\s*\.{3,}\s*(\d+)\s*$", toc, flags=re.M))
    checks = {"Phần III. KẾT LUẬN CHUNG": "KẾT LUẬN CHUNG", "Phụ lục. DANH MỤC MÃ MINH CHỨNG": "DANH MỤC MÃ MINH CHỨNG",
              "Tiêu chuẩn 3: Cơ sở vật chất và thiết bị dạy học": "Tiêu chuẩn 3: Cơ sở vật chất"}
    for label, needle in checks.items():
        page = int(entries[label])
        assert needle in " ".join(pages[page - 1].split()), label


@needs_poppler
def test_summary_table_matches_the_computed_levels(full_pdf, full_data):
    """Read the marks of the summary table by column position and compare with the engine's levels."""
    pages = pdf_pages(full_pdf)
    first = next(i for i, p in enumerate(pages, start=1) if "BẢNG TỔNG HỢP KẾT QUẢ TỰ ĐÁNH GIÁ" in p)
    words = pdf_words(full_pdf, first=first, last=first + 2)
    columns = {}
    for page in {w.page for w in words}:
        on_page = [w for w in words if w.page == page]
        # The header row of the level columns: the line with three "Mức" words.
        by_line: dict[int, list] = {}
        for i, w in enumerate(on_page):
            if w.text == "Mức" and i + 1 < len(on_page) and on_page[i + 1].text in ("1", "2", "3"):
                by_line.setdefault(round(w.y), []).append((w, on_page[i + 1]))
        header = next((pairs for pairs in by_line.values() if len(pairs) == 3), None)
        if header is None:
            continue
        header_y = header[0][0].y
        centres = {int(digit.text): (word.x + digit.x) / 2 for word, digit in header}
        khong_index = next(i for i, w in enumerate(on_page) if w.text == "Không" and 0 <= header_y - w.y < 30)
        centres[0] = (on_page[khong_index].x + on_page[khong_index + 1].x) / 2
        columns[page] = centres
    found = {}
    for page, cols in columns.items():
        on_page = [w for w in words if w.page == page]
        for i, w in enumerate(on_page):
            if w.text == "Tiêu" and i + 2 < len(on_page) and on_page[i + 1].text == "chí" and \
                    re.fullmatch(r"\d+\.\d+", on_page[i + 2].text):
                row = [m for m in on_page if abs(m.y - w.y) < 2 and m.text in ("x", "--")]
                marks = {}
                for mark in row:
                    column = min(cols, key=lambda c: abs(cols[c] - mark.x))
                    marks[column] = mark.text
                found[on_page[i + 2].text] = marks
    expected_rows = full_data["summary"]["criteria"]
    assert len(found) == len(expected_rows) == 28
    for row in expected_rows:
        level, available = row["level"], row["levels_available"]
        expected = {0: "x"} if level == 0 else {}
        for lv in (1, 2, 3):
            if lv not in available:
                expected[lv] = "--"
            elif level >= lv:
                expected[lv] = "x"
        assert found[row["criterion"]] == expected, row["criterion"]
    result = full_data["part3"]["school_level"]
    assert f"Kết quả: {'Đạt Mức ' + str(result) if result else 'Không đạt Mức 1'}" in pdf_text(full_pdf, first=first,
                                                                                                 last=first + 2)


@needs_poppler
def test_every_cited_code_appears_in_the_evidence_list(full_pdf, full_data):
    text = pdf_text(full_pdf)
    appendix = text[text.rindex("DANH MỤC MÃ MINH CHỨNG"):]
    listed = set(re.findall(r"H\d+-\d+\.\d+-\d{2,3}", appendix))
    cited = build_report_document(full_data).cited_codes
    assert len(cited) > 100
    assert set(cited) <= listed
    assert len(listed) == 150


@needs_poppler
def test_evidence_list_is_on_landscape_pages_and_the_rest_is_portrait(full_pdf):
    sizes = pdf_page_sizes(full_pdf)
    pages = pdf_pages(full_pdf)
    appendix = next(i for i, p in enumerate(pages) if "PHỤ LỤC" in p and "DANH MỤC MÃ MINH CHỨNG" in p
                    and "MỤC LỤC" not in p)
    assert all(w < h for w, h in sizes[:appendix])
    assert all(w > h for w, h in sizes[appendix:])
    assert round(sizes[0][0]) == 595 and round(sizes[0][1]) == 842  # A4


@needs_poppler
def test_fonts_are_the_vendored_serif_and_embedded(full_pdf):
    fonts = pdf_fonts(full_pdf)
    assert fonts
    assert all(embedded for _name, embedded in fonts)
    assert all("KD-Serif" in name for name, _ in fonts)


def test_pdf_has_an_outline_of_the_parts(small_data):
    """The PDF's bookmarks (outline): the parts, then the standards, then the criteria."""
    from exports.pdf import layout_html, render_html

    doc = build_report_document(small_data, STAMP)
    html = render_html("exports/pdf/report.html", {"doc": doc, "footer": doc.stamp.footer, "watermark": ""})
    # Subtrees are (label, target, children, state).
    tree = layout_html(html).make_bookmark_tree()
    top = [label for label, *_rest in tree]
    assert [t.upper() for t in top] == [entry.label.upper() for entry in doc.toc if entry.level == 1]
    part2 = tree[3][2]
    assert [label for label, *_rest in part2][:2] == ["A. ĐẶT VẤN ĐỀ", "B. TỰ ĐÁNH GIÁ"]
    standards = [node for node in part2 if node[0].startswith("Tiêu chuẩn")]
    assert [node[0] for node in standards] == [s.heading for s in doc.standards]
    assert [node[0] for node in standards[0][2]] == [c.heading for c in doc.standards[0].criteria]


@needs_poppler
def test_draft_is_watermarked_on_every_page():
    data = report_dict(evidence_items=10, sentences=1)
    name, _type, content = ReportPdfExporter(data, Stamp(generated_at=datetime.datetime(2025, 3, 1, 10, 0))).render()
    assert name.endswith("-ban-nhap.pdf")
    pages = pdf_pages(content)
    for page in pages:
        assert "BẢN NHÁP – chưa nộp, không dùng để đối chiếu" in page  # the footer
        assert "mã kiểm tra" not in page
        # The diagonal watermark: its letters come out one per line, in reading order of the rotation.
        letters = "".join(ch for ch in page if ch in "BẢNHÁP")
        assert _subsequence("PÁHNNẢB", letters) or _subsequence("BẢNNHÁP", letters)


def _subsequence(needle: str, text: str) -> bool:
    remaining = iter(text)
    return all(ch in remaining for ch in needle)


def test_margins_and_body_size_come_from_settings(settings):
    from exports.pdf import page_format

    settings.EXPORT_PDF_MARGINS_MM = {"top": 25, "bottom": 22, "left": 35, "right": 20}
    settings.EXPORT_PDF_FONT_SIZE_PT = 14
    assert page_format() == {"margin_top": 25, "margin_bottom": 22, "margin_left": 35, "margin_right": 20,
                             "font_size": 14}
    # Outside Nghị định 30/2020's bounds: clamped.
    settings.EXPORT_PDF_MARGINS_MM = {"top": 5, "left": 50}
    settings.EXPORT_PDF_FONT_SIZE_PT = "huge"
    assert page_format() == {"margin_top": 20, "margin_bottom": 20, "margin_left": 35, "margin_right": 15,
                             "font_size": 13}


# --- The report as Word ----------------------------------------------------------------------------


def test_docx_has_the_same_structure(small_data):
    name, content_type, content = ReportDocxExporter(small_data, STAMP).render()
    assert name.endswith("-v3.docx")
    assert content_type.endswith("wordprocessingml.document")
    document = docx_document(content)
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    doc = build_report_document(small_data, STAMP)
    # The parts' titles on two lines, as the PDF prints them.
    expected = ["DANH MỤC CÁC CHỮ VIẾT TẮT", "BẢNG TỔNG HỢP KẾT QUẢ TỰ ĐÁNH GIÁ", "PHẦN I\nCƠ SỞ DỮ LIỆU",
                "PHẦN II\nTỰ ĐÁNH GIÁ", "A. ĐẶT VẤN ĐỀ", "B. TỰ ĐÁNH GIÁ", doc.assessment_heading]
    assert headings[: len(expected)] == expected
    assert [c.heading for c in doc.criteria()] == [h for h in headings if h.startswith("Tiêu chí ")]
    assert headings[-2:] == ["PHẦN III\nKẾT LUẬN CHUNG", "PHỤ LỤC\nDANH MỤC MÃ MINH CHỨNG"]
    text = docx_text(content)
    for member in small_data["council"]["members"]:
        assert member["full_name"] in text
    assert "Mô tả hiện trạng" in text and "Kế hoạch cải tiến chất lượng" in text
    for item in small_data["evidence"]:
        assert item["code"] in text
    # The footer, the page-number field (none on the covers, from the table of contents on), the TOC
    # field, the landscape appendix.
    covers, numbered = document.sections[0], document.sections[1]
    assert covers.footer.paragraphs[0].text == STAMP.footer
    assert "PAGE" not in covers.header._element.xml and "PAGE" not in covers.first_page_header._element.xml
    assert "PAGE" in numbered.header.paragraphs[0]._p.xml and not numbered.header.is_linked_to_previous
    assert 'TOC \\o "1-3"' in document.element.xml
    assert document.sections[-1].page_width > document.sections[-1].page_height
    assert document.styles["Normal"].font.name == "Times New Roman"
    assert document.styles["Normal"].font.size.pt == 13


def test_docx_summary_table_has_the_marks(small_data):
    _name, _type, content = ReportDocxExporter(small_data, STAMP).render()
    document = docx_document(content)
    summary = next(t for t in document.tables if t.rows[0].cells[0].text == "Tiêu chuẩn, tiêu chí")
    rows = {r.cells[0].text: [c.text for c in r.cells[1:]] for r in summary.rows[1:]}
    for row in small_data["summary"]["criteria"]:
        level = row["level"]
        expected = ["x" if level == 0 else ""] + [
            "--" if lv not in row["levels_available"] else ("x" if level >= lv else "") for lv in (1, 2, 3)
        ]
        assert rows[f"Tiêu chí {row['criterion']}"] == expected


def test_docx_draft_is_marked_by_a_diagonal_watermark_on_every_page(small_data):
    _name, _type, content = ReportDocxExporter(small_data, Stamp()).render()
    document = docx_document(content)
    for section in document.sections:
        for header in (section.header, section.first_page_header):
            xml = header._element.xml
            # Word's printed watermark: a text shape behind the page, turned like the PDF's mark.
            assert 'string="BẢN NHÁP"' in xml and "rotation:325" in xml, section
            assert "BẢN NHÁP" not in header.paragraphs[0].text  # no red text in the header line
    _name, _type, version = ReportDocxExporter(small_data, STAMP).render()
    assert "v:textpath" not in "".join(s.header._element.xml for s in docx_document(version).sections)


# --- Spreadsheets of a report ----------------------------------------------------------------------


def test_summary_xlsx_lists_every_criterion_with_its_marks_and_result(small_data):
    name, content_type, content = ReportSummaryXlsxExporter(small_data, STAMP).render()
    assert name == "bang-tong-hop-dda-thcs-01-2024-2025-v3.xlsx"
    assert content_type.endswith("spreadsheetml.sheet")
    book = workbook(content)
    assert book.sheetnames == ["Tổng hợp", "Mức 4", "Kết luận"]
    sheet = book["Tổng hợp"]
    assert sheet["A1"].value == "BẢNG TỔNG HỢP KẾT QUẢ TỰ ĐÁNH GIÁ"
    assert sheet["A3"].value == STAMP.footer
    header_row = 5
    assert [c.value for c in sheet[header_row]][:7] == ["Tiêu chuẩn", "Tiêu chí", "Tên tiêu chí", "Không đạt",
                                                       "Đạt Mức 1", "Đạt Mức 2", "Đạt Mức 3"]
    assert sheet.cell(header_row, 1).font.b
    assert sheet.freeze_panes == f"C{header_row + 1}"
    assert sheet.auto_filter.ref.startswith(f"A{header_row}:")
    assert sheet.column_dimensions["C"].width == 50
    rows = {r[1]: r for r in sheet_rows(sheet)[header_row:] if r[1]}
    for row in small_data["summary"]["criteria"]:
        cells = rows[row["criterion"]]
        level = row["level"]
        assert cells[3:7] == ["x" if level == 0 else None] + [
            "--" if lv not in row["levels_available"] else ("x" if level >= lv else None) for lv in (1, 2, 3)
        ]
        assert cells[7] == (f"Đạt Mức {level}" if level else "Không đạt")
    conclusion = [r[0] for r in sheet_rows(book["Kết luận"]) if r[0]]
    assert any(line.startswith("Mức đánh giá của trường:") for line in conclusion)


def test_evidence_xlsx_has_the_official_columns_every_item_and_checksums(small_data):
    _name, _type, content = EvidenceListXlsxExporter(small_data, STAMP).render()
    sheet = workbook(content)["Danh mục minh chứng"]
    header = [c.value for c in sheet[5]]
    assert header[:6] == ["Số TT", "Mã minh chứng", "Tên minh chứng",
                          "Số, ngày ban hành hoặc thời điểm khảo sát, điều tra, phỏng vấn, quan sát",
                          "Nơi ban hành hoặc nhóm, cá nhân thực hiện", "Ghi chú"]
    rows = [r for r in sheet_rows(sheet)[5:] if isinstance(r[0], int)]
    assert [r[0] for r in rows] == list(range(1, 31))
    by_code = {r[1]: r for r in rows}
    for item in small_data["evidence"]:
        row = by_code[item["code"]]
        assert row[2] == item["name"]
        assert row[10] == ((item["file"] or {}).get("sha256") or None)
    assert sheet.freeze_panes == "C6"


# --- Forms ------------------------------------------------------------------------------------------


@needs_poppler
@pytest.mark.parametrize(
    ("exporter", "needles"),
    [
        (CouncilDecisionExporter, ["QUYẾT ĐỊNH", "Về việc thành lập Hội đồng tự đánh giá", "HIỆU TRƯỞNG TRƯỜNG THCS ĐỐNG ĐA",
                                   "Điều 1.", "Điều 3.", "DANH SÁCH THÀNH VIÊN HỘI ĐỒNG TỰ ĐÁNH GIÁ", "Lê Thị Thu Hà",
                                   "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "Nơi nhận:"]),
        (SelfAssessmentPlanExporter, ["KẾ HOẠCH TỰ ĐÁNH GIÁ", "I. MỤC ĐÍCH TỰ ĐÁNH GIÁ", "VIII. THỜI GIAN BIỂU",
                                      "Thu thập, phân tích minh chứng"]),
        (CriterionSheetsExporter, ["PHIẾU ĐÁNH GIÁ TIÊU CHÍ", "Tiêu chí 5.6:", "5. Tự đánh giá", "NGƯỜI VIẾT PHIẾU", "NHÓM TRƯỞNG"]),
    ],
)
def test_report_forms_as_pdf(small_data, exporter, needles):
    name, content_type, content = exporter(small_data, STAMP, "pdf").render()
    assert content_type == "application/pdf" and name.endswith(".pdf")
    flat = " ".join(pdf_text(content).split())
    for needle in needles:
        assert needle in flat, needle
    assert f"mã kiểm tra {HASH[:16]}" in flat


@pytest.mark.parametrize("exporter", [CouncilDecisionExporter, SelfAssessmentPlanExporter, CriterionSheetsExporter])
def test_report_forms_as_docx_say_the_same(small_data, exporter):
    name, content_type, content = exporter(small_data, STAMP, "docx").render()
    assert name.endswith(".docx") and content_type.endswith("wordprocessingml.document")
    text = docx_text(content)
    form = exporter(small_data, STAMP, "docx").form
    for block in form.blocks:
        for value in (getattr(block, "text", ""), getattr(block, "name", "")):
            if value:
                assert value in text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text or exporter is CriterionSheetsExporter


def test_unknown_form_format_is_refused(small_data):
    with pytest.raises(ValueError):
        CouncilDecisionExporter(small_data, STAMP, "odt")


@needs_poppler
def test_round_letter_as_pdf_and_docx():
    info = LetterInfo(
        unit_name="Phòng Giáo dục và Đào tạo quận Đống Đa", department_name="Sở Giáo dục và Đào tạo Hà Nội",
        head_name="Trịnh Đan Ly", round_number=1, year=2025, place="Đống Đa", date=datetime.date(2025, 5, 12),
        schools=[LetterSchool("Trường THCS Đống Đa", "Trung học cơ sở", "thcs", 2, 2, 1, 3, HASH)],
    )
    name, _type, pdf = RoundLetterExporter(info, "pdf").render()
    assert name == "cong-van-de-nghi-danh-gia-ngoai-dot-1-2025.pdf"
    flat = " ".join(pdf_text(pdf).split())
    for needle in ("UBND QUẬN ĐỐNG ĐA", "PHÒNG GIÁO DỤC VÀ ĐÀO TẠO", "V/v đề nghị đánh giá ngoài các trường đợt 1 năm 2025",
                   "Đống Đa, ngày 12 tháng 5 năm 2025", "Kính gửi: Sở Giáo dục và Đào tạo Hà Nội.",
                   "Trường THCS Đống Đa", HASH[:16], "TRƯỞNG PHÒNG", "Trịnh Đan Ly"):
        assert needle in flat, needle
    _name, _type, docx = RoundLetterExporter(info, "docx").render()
    text = docx_text(docx)
    assert "V/v đề nghị đánh giá ngoài các trường đợt 1 năm 2025" in text and "Trịnh Đan Ly" in text
