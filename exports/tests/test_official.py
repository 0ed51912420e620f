"""The official forms built as blocks (exports.official): pure, tested on their own."""

from __future__ import annotations

import datetime

import pytest

from exports import official as o
from exports.tests.sample import report_dict


@pytest.fixture(scope="module")
def data():
    return report_dict(evidence_items=30, sentences=1)


def _texts(form: o.FormDocument) -> str:
    parts = []
    for block in form.blocks:
        for attr in ("text", "subtitle", "left_top", "left_bold", "number", "subject", "place_date", "title", "name"):
            value = getattr(block, attr, "")
            if value:
                parts.append(value)
        for row in getattr(block, "rows", []):
            parts.extend(row)
        parts.extend(getattr(block, "header", []))
        parts.extend(getattr(block, "recipients", []))
    return "\n".join(parts)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (datetime.date(2025, 2, 5), "ngày 05 tháng 02 năm 2025"),
        (datetime.date(2024, 9, 10), "ngày 10 tháng 9 năm 2024"),
        (datetime.date(2024, 12, 1), "ngày 01 tháng 12 năm 2024"),
        (datetime.date(2025, 1, 25), "ngày 25 tháng 01 năm 2025"),
        ("2024-03-09", "ngày 09 tháng 3 năm 2024"),
    ],
)
def test_admin_dates_pad_days_below_ten_and_months_one_and_two(day, expected):
    assert o.date_admin(day) == expected


def test_unknown_date_leaves_blanks_to_fill_by_hand():
    assert o.date_admin(None).startswith("ngày\u00a0")
    assert o.date_admin("??") == o.date_admin(None)


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("Phòng Giáo dục và Đào tạo quận Đống Đa", "UBND quận Đống Đa"),
        ("Phòng Giáo dục và Đào tạo huyện Gia Lâm", "UBND huyện Gia Lâm"),
        ("Sở Giáo dục và Đào tạo Hà Nội", "Sở Giáo dục và Đào tạo Hà Nội"),
    ],
)
def test_body_above_a_district_office_is_its_peoples_committee(body, expected):
    assert o.parent_authority(body) == expected


def test_regulation_reference_reads_as_the_circulars_name():
    assert o.regulation_reference(
        "18/2018/TT-BGDĐT", "Thông tư ban hành Quy định về kiểm định chất lượng giáo dục"
    ) == "Thông tư số 18/2018/TT-BGDĐT ban hành Quy định về kiểm định chất lượng giáo dục"


def test_council_decision_has_header_articles_signature_and_member_list(data):
    form = o.council_decision(data)
    kinds = [b.kind for b in form.blocks]
    assert kinds[:2] == ["header", "title"]
    header = form.blocks[0]
    assert header.left_top == "UBND quận Đống Đa"
    assert header.left_bold == data["school"]["name"]
    assert header.number == "Số: 45/QĐ-THCSĐĐ"
    assert header.place_date == "Đống Đa, ngày 10 tháng 9 năm 2024"
    text = _texts(form)
    assert "QUYẾT ĐỊNH" in text and "Về việc thành lập Hội đồng tự đánh giá" in text
    assert "Thông tư số 32/2020/TT-BGDĐT" in text  # Điều lệ trường THCS
    assert "5932/BGDĐT-QLCL" in text
    for article in ("Điều 1.", "Điều 2.", "Điều 3."):
        assert article in text
    for member in data["council"]["members"]:
        assert member["full_name"] in text
    assert "Nhóm công tác số 1" in text
    signature = next(b for b in form.blocks if b.kind == "signature")
    assert signature.title == "Hiệu trưởng" and signature.name == data["school"]["principal"]
    assert signature.recipients[-1] == "- Lưu: VT."


def test_preschool_decision_cites_the_preschool_guidance(data):
    preschool = {**data, "school": {**data["school"], "level": "mn"}}
    text = _texts(o.council_decision(preschool))
    assert "5942/BGDĐT-QLCL" in text and "Thông tư số 52/2020/TT-BGDĐT" in text


def test_plan_has_the_sections_of_the_guidance_in_order(data):
    form = o.self_assessment_plan(data)
    headings = [b.text for b in form.blocks if b.kind == "heading"]
    assert headings == [
        "I. MỤC ĐÍCH TỰ ĐÁNH GIÁ", "II. PHẠM VI TỰ ĐÁNH GIÁ", "III. CÔNG CỤ TỰ ĐÁNH GIÁ", "IV. HỘI ĐỒNG TỰ ĐÁNH GIÁ",
        "V. TẬP HUẤN NGHIỆP VỤ TỰ ĐÁNH GIÁ", "VI. DỰ KIẾN CÁC NGUỒN LỰC VÀ THỜI ĐIỂM CẦN HUY ĐỘNG",
        "VII. DỰ KIẾN THU THẬP THÔNG TIN, MINH CHỨNG", "VIII. THỜI GIAN BIỂU",
    ]
    text = _texts(form)
    assert "Tuần 1" in text and "Họp Hội đồng tự đánh giá, phổ biến kế hoạch" in text
    assert "Hồ sơ quản lý, sổ sách của nhà trường" in text


def test_plan_says_what_is_missing_instead_of_leaving_a_hole(data):
    empty = {**data, "plan": {}}
    text = _texts(o.self_assessment_plan(empty))
    assert "(Chưa nêu mục đích.)" in text


def test_criterion_sheets_one_per_criterion_separated_by_page_breaks(data):
    form = o.criterion_sheets(data)
    total = sum(len(s["criteria"]) for s in data["part2"]["standards"])
    titles = [b for b in form.blocks if b.kind == "title"]
    assert len(titles) == total
    assert sum(1 for b in form.blocks if b.kind == "pagebreak") == total - 1
    tables = [b for b in form.blocks if b.kind == "table"]
    assert len(tables) == total and tables[0].header == ["Mức 1", "Mức 2", "Mức 3"]


def test_criterion_sheets_of_one_group(data):
    form = o.criterion_sheets(data, criteria=["2.1", "2.2"])
    text = _texts(form)
    assert sum(1 for b in form.blocks if b.kind == "title") == 2
    assert "Tiêu chí 2.1:" in text and "Tiêu chí 1.1:" not in text
    assert "Nhóm công tác số 2" in text


def test_round_letter_lists_the_schools_with_their_levels_and_codes():
    info = o.LetterInfo(
        unit_name="Phòng Giáo dục và Đào tạo quận Đống Đa", department_name="Sở Giáo dục và Đào tạo Hà Nội",
        head_name="Trịnh Đan Ly", round_number=2, year=2025, place="Đống Đa", date=datetime.date(2025, 2, 3),
        schools=[
            o.LetterSchool("Trường THCS Đống Đa", "Trung học cơ sở", "thcs", 2, 2, 1, 3, "ab" * 32),
            o.LetterSchool("Trường Mầm non Hoa Hồng", "Mầm non", "mn"),
        ],
        regulations=["Thông tư số 18/2018/TT-BGDĐT ban hành Quy định về kiểm định"],
    )
    form = o.round_letter(info)
    header = form.blocks[0]
    assert header.subject == "V/v đề nghị đánh giá ngoài các trường đợt 2 năm 2025"
    assert header.place_date == "Đống Đa, ngày 03 tháng 02 năm 2025"
    assert header.left_top == "UBND quận Đống Đa"
    table = next(b for b in form.blocks if b.kind == "table")
    assert table.rows[0][1:5] == ["Trường THCS Đống Đa", "Trung học cơ sở", "Mức 2", "Cấp độ 2; chuẩn quốc gia Mức độ 1"]
    assert "phiên bản 3, mã kiểm tra " + "ab" * 8 in table.rows[0][5]
    assert table.rows[1][3] == "Chưa nộp báo cáo"
    text = _texts(form)
    assert "Kính gửi: Sở Giáo dục và Đào tạo Hà Nội." in text
    assert "5932/BGDĐT-QLCL" in text and "5942/BGDĐT-QLCL" in text  # a THCS and a preschool
    assert "đối với 2 trường sau" in text
    signature = form.blocks[-1]
    assert signature.title == "Trưởng phòng" and signature.name == "Trịnh Đan Ly"
