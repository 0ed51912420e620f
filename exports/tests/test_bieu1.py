"""TT57/2026 reports exported as Biểu 1 of Phụ lục V (PDF and Word), from the real pipeline.

A TT57 report of school A is written through the services (overview, per-standard assessment,
proposals, texts citing MC codes, verdicts), serialised by ``report_as_dict`` and printed; the
tests read the PDF's text (pdftotext) and the Word file (python-docx) as a reader would.
"""

from __future__ import annotations

import datetime
import re
import zlib

import pytest

from exports.document import Stamp
from exports.document57 import build_bieu1, is_tt57_data, mandatory_criteria
from exports.exporters import ReportDocxExporter, ReportPdfExporter
from exports.exporters.report57 import evidence_links
from exports.tests.readers import docx_document, docx_text, needs_poppler, pdf_text

# One world for the module (exports/tests/conftest.py): the personas and school A's TT57 report written
# for Biểu 1.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("tt57_world")]


@pytest.fixture
def written57(tt57_world, db):
    """The TT57 report with evidence cited by code, every text of Biểu 1 written, 1.1 at Mức 2, and its
    two evidence items (``builders.written57``): the module's world, read afresh."""
    return tuple(type(obj)._default_manager.get(pk=obj.pk) for obj in tt57_world["written57"])


def _data(report):
    from selfassessment.serializers import report_as_dict

    return report_as_dict(report)


def test_tt57_report_dict_is_recognised_and_2018_is_not(written57):
    from exports.tests.sample import report_dict

    data = _data(written57[0])
    assert is_tt57_data(data)
    assert not is_tt57_data(report_dict())
    assert "1.3" in mandatory_criteria(data["regulation"]) and "1.1" not in mandatory_criteria(data["regulation"])


def test_evidence_links_are_the_download_pages(written57, settings, principal_a):
    from django.core.files.base import ContentFile
    from django.urls import reverse

    from evidence import services as evidence_services
    from evidence.tests import samples

    report, first, second = written57
    settings.SITE_URL = "https://kiemdinh.example.vn"
    with_file = evidence_services.evidence_update(evidence=first, by=principal_a,
                                                  upload=ContentFile(samples.pdf(), name="ke-hoach.pdf"))
    links = evidence_links(_data(report))
    assert links[with_file.code.upper()] == "https://kiemdinh.example.vn" + reverse("evidence:evidence_download",
                                                                                   args=[first.pk])
    # A paper record has no file to download: its code links to its page (where its box is named), not to a 404.
    assert links[second.code.upper()] == "https://kiemdinh.example.vn" + reverse("evidence:evidence_detail",
                                                                                args=[second.pk])


@needs_poppler
def test_pdf_prints_biểu_1_parts_tables_and_codes(written57):
    report, first, second = written57
    filename, content_type, content = ReportPdfExporter(_data(report), Stamp(generated_at=datetime.datetime(2026, 10, 2)),
                                                        evidence_url=lambda code: f"https://kd.vn/mc/{code}").render()
    assert content_type == "application/pdf" and filename.endswith(".pdf")
    text = pdf_text(content)
    flat = " ".join(text.split())
    for words in ("PHẦN I TỔNG QUAN", "PHẦN II TỰ ĐÁNH GIÁ", "PHẦN III KẾT LUẬN", "PHẦN IV PHỤ LỤC",
                  "DANH SÁCH VÀ CHỮ KÝ THÀNH VIÊN HỘI ĐỒNG TỰ ĐÁNH GIÁ", "MỤC LỤC",
                  "b) Thuận lợi", "Địa phương quan tâm đầu tư cho giáo dục.",
                  "Mô tả hiện trạng", "Hiện trạng, kết quả đạt được của tiêu chí đến thời điểm", "(kèm theo mã minh chứng)",
                  "Tự đánh giá: Tiêu chí đạt Mức 2.", "Tự đánh giá: Tiêu chí đạt Mức 1.",
                  "(tiêu chí bắt buộc)", "Đánh giá chung về Tiêu chuẩn 1", "1. Điểm mạnh nổi bật",
                  "Kế hoạch phát triển rõ ràng, được công khai.", "2. Điểm hạn chế trọng tâm và nguyên nhân cốt lõi",
                  "3. Định hướng cải tiến chất lượng", "b) Các vấn đề trọng tâm cần ưu tiên cải tiến",
                  "4. Tổng hợp kết quả đánh giá các tiêu chí của Tiêu chuẩn 1",
                  "a) Bảng tổng hợp kết quả đánh giá tiêu chí", "Cộng chung", "b) Bảng tổng hợp chung",
                  "Tổng số tiêu chí", "3. Mức đạt của cơ sở giáo dục", "Cơ sở giáo dục đạt Mức 1.",
                  "a) Với cơ quan quản lý", "Đề nghị tập huấn về Thông tư 57.",
                  "Hiệu trưởng chịu trách nhiệm về tính trung thực", "THÔNG TIN DỮ LIỆU",
                  "3. Danh mục minh chứng", "Định dạng, vị trí lưu trữ hoặc đường dẫn điện tử",
                  first.code, second.code, "BẢN NHÁP"):
        assert words in flat, words
    # The 2018 parts are not printed.
    assert "CƠ SỞ DỮ LIỆU" not in flat.replace("1. Cơ sở dữ liệu", "")
    assert "Điểm yếu" not in flat and "Kế hoạch cải tiến chất lượng" not in flat
    # Every code is a link to its download page (in the state table and in the list).
    uris = set(re.findall(rb"/URI \((https://kd\.vn/mc/[^)]*)\)", _inflated(content)))
    assert {f"https://kd.vn/mc/{first.code}".encode(), f"https://kd.vn/mc/{second.code}".encode()} <= uris


def _inflated(content: bytes) -> bytes:
    """The PDF with its compressed streams (object streams hold the link annotations) inflated."""
    parts = [content]
    for match in re.finditer(rb"stream\r?\n", content):
        try:
            parts.append(zlib.decompressobj().decompress(content[match.end():]))
        except zlib.error:
            continue
    return b"\n".join(parts)


def test_word_prints_the_same_parts_with_links(written57):
    report, first, _second = written57
    url = "https://kd.vn/evidence/1/download/"
    content = ReportDocxExporter(_data(report), Stamp(version=2, content_hash="ab" * 32,
                                                      submitted_at=datetime.datetime(2027, 5, 20, 9, 0)),
                                 evidence_url={first.code: url}).render()[2]
    text = docx_text(content)
    for words in ("PHẦN I", "TỔNG QUAN", "PHẦN II", "Mô tả hiện trạng", "Đánh giá (Đạt/Không đạt)",
                  "Tự đánh giá: Tiêu chí đạt Mức 2.", "1. Điểm mạnh nổi bật", "PHẦN III", "Cộng chung",
                  "Bảng tổng hợp chung", "PHẦN IV", "3. Danh mục minh chứng", first.code):
        assert words in text, words
    document = docx_document(content)
    targets = {rel.target_ref for rel in document.part.rels.values() if rel.reltype.endswith("/hyperlink")}
    assert url in targets
    # Landscape evidence list: the last section is wider than high.
    last = document.sections[-1]
    assert last.page_width > last.page_height


def test_2018_report_is_unchanged_by_the_tt57_path(catalog):
    from exports.tests.sample import report_dict

    exporter = ReportPdfExporter(report_dict(evidence_items=10))
    assert exporter.bieu1 is None


def test_document_counts_and_marks(written57):
    doc = build_bieu1(_data(written57[0]), Stamp(), {})
    total = doc.general_table[-1]
    assert total.label == "Cộng" and total.total == sum(r.total for r in doc.general_table[:-1])
    first_standard = doc.criteria_table[0][1]
    assert first_standard[0].label == "Tiêu chí 1.1" and first_standard[0].marks == ["", "×", "×"]
    assert all(row.marks[1] == "×" for _label, rows in doc.criteria_table for row in rows)
    assert doc.criteria_totals == ["0", str(total.total), "1"]
