"""The document layout (exports.document): pure functions, tested on their own."""

from __future__ import annotations

import copy
import datetime

import pytest

from exports import document as d
from exports.tests.sample import report_dict


@pytest.fixture(scope="module")
def data():
    return report_dict(evidence_items=60, sentences=2)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (None, []),
        ("", []),
        ("  Một  đoạn. \n\n  Hai\tđoạn ", ["Một đoạn.", "Hai đoạn"]),
        ("a\r\nb", ["a", "b"]),
    ],
)
def test_paragraphs_split_lines_and_tidy_spaces(text, expected):
    assert d.paragraphs(text) == expected


@pytest.mark.parametrize(("value", "expected"), [(None, ""), (0, "0"), (7, "7"), (1234, "1.234"), (1234567, "1.234.567")])
def test_numbers_use_the_vietnamese_thousands_dot(value, expected):
    assert d.number(value) == expected


@pytest.mark.parametrize(("value", "expected"), [(None, ""), (100.0, "100%"), (89.3, "89,3%"), (0, "0%"), (16.67, "16,7%")])
def test_percent_uses_a_decimal_comma(value, expected):
    assert d.percent(value) == expected


def test_dates_print_day_month_year():
    assert d.date_vn("2024-09-05") == "05/09/2024"
    assert d.date_vn(datetime.date(2025, 1, 2)) == "02/01/2025"
    assert d.date_vn(None) == ""
    assert d.date_vn("không phải ngày") == "không phải ngày"


@pytest.mark.parametrize(
    ("body", "province", "expected"),
    [
        ("Phòng Giáo dục và Đào tạo quận Đống Đa", "Hà Nội", "Đống Đa"),
        ("Phòng Giáo dục và Đào tạo huyện Gia Lâm", "Hà Nội", "Gia Lâm"),
        ("Ủy ban nhân dân phường Văn Miếu - Quốc Tử Giám", "Hà Nội", "Văn Miếu - Quốc Tử Giám"),
        ("Sở Giáo dục và Đào tạo", "Hà Nội", "Hà Nội"),
    ],
)
def test_place_before_the_date_comes_from_the_managing_body(body, province, expected):
    assert d.place_name(body, province) == expected


def test_slug_folds_vietnamese_letters():
    assert d.slug("Trường THCS Đống Đa") == "truong-thcs-dong-da"
    assert d.slug("DDA-THCS-01") == "dda-thcs-01"
    assert d.slug("") == "tep"


def test_footer_of_a_version_shows_number_and_sixteen_hex_of_the_hash():
    stamp = d.Stamp(version=3, content_hash="0123456789abcdef" + "f" * 48, verify_url="https://kd.vn/exports/verify/")
    assert stamp.footer == "Phiên bản 3 · mã kiểm tra 0123456789abcdef · đối chiếu tại https://kd.vn/exports/verify/"
    assert not stamp.is_draft


def test_footer_of_a_draft_says_it_is_a_draft():
    stamp = d.Stamp(generated_at=datetime.datetime(2025, 4, 1, 8, 5))
    assert stamp.is_draft
    assert stamp.footer.startswith("BẢN NHÁP")
    assert "08:05 01/04/2025" in stamp.footer


def test_summary_marks_each_level_reached_and_dashes_missing_levels(data):
    doc = d.build_report_document(data)
    assert doc.summary.columns == ["Không đạt", "Mức 1", "Mức 2", "Mức 3"]
    levels = {row["criterion"]: row for row in data["summary"]["criteria"]}
    rows = {r.label.removeprefix("Tiêu chí "): r for s in doc.summary.standards for r in s.rows}
    assert set(rows) == set(levels)
    for number, row in rows.items():
        level = levels[number]["level"]
        available = levels[number]["levels_available"]
        expected = ["x" if level == 0 else ""]
        for lv in (1, 2, 3):
            expected.append("--" if lv not in available else ("x" if level >= lv else ""))
        assert row.marks == expected, number


def test_summary_of_a_criterion_without_level_three_prints_a_dash():
    data = report_dict(evidence_items=0, sentences=1, miss_rate=0)
    doc = d.build_report_document(data)
    row = next(r for s in doc.summary.standards for r in s.rows if r.label == "Tiêu chí 1.2")
    assert row.marks == ["", "x", "x", "--"]


def test_summary_of_a_criterion_at_level_zero_marks_khong_dat_only():
    data = report_dict(evidence_items=0, sentences=1, miss_rate=0)
    data["summary"]["criteria"][0]["level"] = 0
    doc = d.build_report_document(data)
    assert doc.summary.standards[0].rows[0].marks == ["x", "", "", ""]


def test_binary_regulation_has_dat_and_khong_dat_columns():
    data = report_dict(evidence_items=0, sentences=1)
    data["regulation"]["level_count"] = 1
    data["summary"]["level_count"] = 1
    data["summary"]["criteria"][0]["level"] = 0
    data["summary"]["criteria"][1]["level"] = 1
    doc = d.build_report_document(data)
    assert doc.summary.binary
    assert doc.summary.columns == ["Không đạt", "Đạt"]
    first, second = doc.summary.standards[0].rows[:2]
    assert first.marks == ["x", ""]
    assert second.marks == ["", "x"]
    assert doc.assessment_heading == "I. TỰ ĐÁNH GIÁ THEO CÁC TIÊU CHÍ"


def test_level4_summary_rows_follow_the_verdicts(data):
    doc = d.build_report_document(data)
    for row, item in zip(doc.summary.level4, data["summary"]["level4"], strict=True):
        assert (row.met, row.not_met) == (("x", "") if item["verdict"] == "dat" else ("", "x"))


def test_school_result_and_counts_come_from_part_three(data):
    doc = d.build_report_document(data)
    level = data["part3"]["school_level"]
    assert doc.school_result == (f"Đạt Mức {level}" if level else "Không đạt Mức 1")
    assert doc.summary.result == doc.school_result
    total = data["part3"]["criteria_total"]
    at_least = {row["level"]: row["at_least"] for row in data["part3"]["counts"]}
    for level in (1, 2, 3):
        line = doc.counts[level - 1]
        assert f"đạt Mức {level}: {at_least[level]}/{total}" in line
        assert f"không đạt Mức {level}: {total - at_least[level]}/{total}" in line


def test_proposal_names_the_accreditation_and_national_standard_levels(data):
    data = copy.deepcopy(data)
    data["part3"].update(accreditation_level=2, national_standard=1)
    doc = d.build_report_document(data)
    assert doc.proposal == ("Nhà trường đề nghị đạt kiểm định chất lượng giáo dục Cấp độ 2 và công nhận đạt "
                            "chuẩn quốc gia Mức độ 1.")
    data["part3"].update(accreditation_level=0, national_standard=0)
    assert "chưa đủ điều kiện" in d.build_report_document(data).proposal


def test_every_cited_code_is_found_in_the_evidence_list(data):
    doc = d.build_report_document(data)
    listed = {row.code for group in doc.evidence for row in group.rows}
    assert doc.cited_codes
    assert set(doc.cited_codes) <= listed
    assert doc.missing_codes == []


def test_a_code_cited_but_missing_from_the_list_is_reported(data):
    data = copy.deepcopy(data)
    data["part2"]["standards"][0]["criteria"][0]["levels"][0]["indicators"][0]["evidence"].append("H9-9.9-99")
    assert d.build_report_document(data).missing_codes == ["H9-9.9-99"]


def test_evidence_list_is_numbered_and_grouped_by_standard_and_criterion(data):
    doc = d.build_report_document(data)
    orders = [row.order for group in doc.evidence for row in group.rows]
    assert orders == list(range(1, len(data["evidence"]) + 1))
    assert doc.evidence[0].label.startswith("Tiêu chuẩn 1: ")
    assert doc.evidence[1].label == "Tiêu chí 1.1"
    assert all(row.criterion == "1.1" for row in doc.evidence[1].rows)


def test_evidence_row_prints_number_date_or_period():
    data = report_dict(evidence_items=2, sentences=1)
    data["evidence"][0].update(issued="", issued_number="15/QĐ-THCS", issued_on="2023-09-12", issued_period="")
    data["evidence"][1].update(issued="", issued_number="", issued_on=None, issued_period="Năm học 2022-2023",
                               valid_until="2025-09-01", note="Bản sao")
    doc = d.build_report_document(data)
    rows = [row for group in doc.evidence for row in group.rows]
    assert rows[0].issued == "15/QĐ-THCS, 12/09/2023"
    assert rows[1].issued == "Năm học 2022-2023"
    assert rows[1].note == "Bản sao; hiệu lực đến 01/09/2025"


def test_abbreviations_list_only_those_used_plus_the_core_ones():
    data = report_dict(evidence_items=0, sentences=1)
    doc = d.build_report_document(data)
    shorts = [s for s, _ in doc.abbreviations]
    assert {"TĐG", "KĐCLGD", "GD&ĐT"} <= set(shorts)
    assert "PCCC" not in shorts
    data["part2"]["introduction"] += " Công tác PCCC được thực hiện."
    assert "PCCC" in [s for s, _ in d.build_report_document(data).abbreviations]


def test_criterion_section_has_the_official_text_the_five_headings_and_the_verdict_table(data):
    doc = d.build_report_document(data)
    source = data["part2"]["standards"][0]["criteria"][0]
    section = doc.standards[0].criteria[0]
    assert section.heading == f"Tiêu chí {source['number']}: {source['title']}"
    assert [b.title for b in section.levels] == ["Mức 1", "Mức 2", "Mức 3"]
    assert section.levels[0].indicators[0].text == source["levels"][0]["indicators"][0]["text"]
    assert section.levels[0].indicators[0].label == "a)"
    assert section.levels[1].indicators[0].label == ""  # the regulation prints it without a letter
    assert section.verdicts.columns == ["Mức 1", "Mức 2", "Mức 3"]
    assert len(section.verdicts.rows) == 3  # a, b, c at Mức 1
    first = source["levels"][0]["indicators"][0]
    assert section.verdicts.rows[0][0] == f"a) {d.verdict_word(first['verdict'])}"
    level = source["level"]
    assert section.result == (f"Đạt Mức {level}" if level else "Không đạt")
    assert section.plan and section.plan[0].line.endswith(".")


def test_verdict_table_totals_per_level(data):
    data = copy.deepcopy(data)
    criterion = data["part2"]["standards"][0]["criteria"][1]  # 1.2: no Mức 3 indicators
    for block in criterion["levels"]:
        for indicator in block["indicators"]:
            indicator["verdict"] = "dat"
    criterion["levels"][1]["indicators"][0]["verdict"] = "khong_dat"
    section = d.build_report_document(data).standards[0].criteria[1]
    assert section.verdicts.totals == ["Đạt", "Không đạt", "--"]
    criterion["levels"][0]["indicators"][0]["verdict"] = None
    assert d.build_report_document(data).standards[0].criteria[1].verdicts.totals[0] == "Chưa đánh giá"


def test_data_tables_group_their_header_and_format_numbers(data):
    doc = d.build_report_document(data)
    staff = doc.data_tables[1]
    assert [c.label for c in staff.header_top] == ["Nội dung", "Tổng số", "Nữ", "Dân tộc thiểu số", "Trình độ đào tạo"]
    assert staff.header_top[-1].colspan == 3
    assert staff.header_top[0].rowspan == 2
    assert staff.header_bottom == ["Chưa đạt chuẩn", "Đạt chuẩn", "Trên chuẩn"]
    assert staff.rows[-1].cells[0] == "1.234"
    classes = doc.data_tables[0]
    assert classes.header_bottom == []
    assert all(cell.rowspan == 1 for cell in classes.header_top)


def test_table_of_contents_lists_the_parts_and_every_standard(data):
    doc = d.build_report_document(data)
    labels = [entry.label for entry in doc.toc]
    assert labels[0] == "Danh mục các chữ viết tắt"
    assert "Phần I. CƠ SỞ DỮ LIỆU" in labels and "Phần III. KẾT LUẬN CHUNG" in labels
    assert labels[-1] == "Phụ lục. DANH MỤC MÃ MINH CHỨNG"
    assert [e.label for e in doc.toc if e.level == 3] == [s.heading for s in doc.standards]
    assert len({e.anchor for e in doc.toc}) == len(doc.toc)


def test_cover_year_and_signature_date_follow_the_submission():
    data = report_dict(evidence_items=0, sentences=1)
    draft = d.build_report_document(data)
    assert draft.year == "2025"
    assert draft.signature_date.startswith("ngày") and draft.signature_date.endswith("năm 2025")
    submitted = d.build_report_document(data, d.Stamp(version=1, content_hash="a" * 64,
                                                      submitted_at=datetime.datetime(2025, 5, 8, 9, 0)))
    assert submitted.signature_date == "ngày 08 tháng 05 năm 2025"
    assert submitted.file_stem.endswith("-v1")
    assert draft.file_stem.endswith("-ban-nhap")


def test_regulation_number_reads_as_a_circular():
    assert d.regulation_name("18/2018/TT-BGDĐT") == "Thông tư số 18/2018/TT-BGDĐT"
    assert d.regulation_name("Thông tư số 18/2018/TT-BGDĐT") == "Thông tư số 18/2018/TT-BGDĐT"
    assert d.regulation_name("") == ""


def test_missing_parts_never_break_the_layout():
    doc = d.build_report_document({})
    assert doc.standards == [] and doc.evidence == [] and doc.council == []
    assert doc.summary.result == "Chưa xác định"


def test_an_improvement_item_reads_as_one_sentence():
    item = d.PlanItem("Rà soát hồ sơ.", "Tổ văn phòng;", "từ 01/09/2025 đến 31/05/2026", "", "Hồ sơ khoa học.")
    assert item.line == ("Rà soát hồ sơ; người, bộ phận thực hiện: Tổ văn phòng; thời gian: từ 01/09/2025 đến "
                         "31/05/2026; kết quả dự kiến: Hồ sơ khoa học.")


def test_dropped_improvement_items_are_not_printed():
    data = report_dict(evidence_items=0, sentences=1)
    criterion = data["part2"]["standards"][0]["criteria"][0]
    criterion["improvement_plan"][0]["status"] = "dropped"
    section = d.build_report_document(data).standards[0].criteria[0]
    assert len(section.plan) == len(criterion["improvement_plan"]) - 1
