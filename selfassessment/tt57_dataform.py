"""Phần IV mục 1 of a TT57 report: the data form over three consecutive school years.

Plain Python, no Django. The form (``report_forms.data_form_3_years`` of the catalog, "Phần I
THÔNG TIN DỮ LIỆU") has a header of facts about the school and sections of rows with one column per
school year: the report's year and the two before it. Section 5 ("Các số liệu khác") holds the
quantitative indicators of the catalog's criteria, so that each criterion page can show its
indicators' values for the three years.

Stored values: header ``{field_key: str}`` and years ``{row_key: {year_code: str}}``; a cell is a
number as typed, normalised ("12,5" → "12.5"); an empty cell is absent.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

YEARS = 3
MAX_NUMBER = 10_000_000
MAX_TEXT = 300


@dataclass(frozen=True)
class Row:
    key: str
    label: str
    heading: bool = False
    indent: int = 0
    unit: str = ""


HEADER_FIELDS: tuple[tuple[str, str], ...] = (
    ("name", "Tên trường (theo quyết định mới nhất)"),
    ("former_names", "Tên trước đây (nếu có)"),
    ("managing_body", "Cơ quan quản lý"),
    ("province", "Tỉnh/thành phố trực thuộc Trung ương"),
    ("ward", "Xã/phường/thị trấn"),
    ("national_standard", "Đạt chuẩn quốc gia năm, mức độ"),
    ("founding_year", "Năm thành lập trường (theo quyết định thành lập)"),
    ("ownership", "Loại hình (công lập, tư thục, trường chuyên biệt, liên kết với nước ngoài, khác)"),
    ("principal", "Họ và tên hiệu trưởng"),
    ("phone", "Điện thoại"),
    ("website", "Website"),
    ("sites", "Số điểm trường"),
    ("area", "Thuộc vùng khó khăn / đặc biệt khó khăn"),
)

_GRADES = {
    "mn": [("nt", "Nhóm trẻ"), ("mg_3_4", "Lớp mẫu giáo 3-4 tuổi"), ("mg_4_5", "Lớp mẫu giáo 4-5 tuổi"),
           ("mg_5_6", "Lớp mẫu giáo 5-6 tuổi")],
    "th": [(f"grade_{g}", f"Khối lớp {g}") for g in range(1, 6)],
    "thcs": [(f"grade_{g}", f"Khối lớp {g}") for g in range(6, 10)],
    "thpt": [(f"grade_{g}", f"Khối lớp {g}") for g in range(10, 13)],
    "multi": [(f"grade_{g}", f"Khối lớp {g}") for g in range(1, 13)],
}


def _grades(level: str) -> list[tuple[str, str]]:
    return _GRADES.get(level, _GRADES["thcs"])


def rows_for(level: str, indicators: Iterable[tuple[str, str, str]] = ()) -> list[Row]:
    """The form's rows for a school level; ``indicators`` are (row key, criterion number, label) of mục 5."""
    word = "trẻ" if level == "mn" else "học sinh"
    rows: list[Row] = [Row("h_classes", "1. Số lớp học" if level != "mn" else "1. Số nhóm, lớp", heading=True)]
    rows += [Row(f"classes_{k}", label, indent=1) for k, label in _grades(level)]
    rows.append(Row("classes_total", "Cộng", indent=1))
    rows.append(Row("h_rooms", "2. Cơ cấu khối công trình của nhà trường", heading=True))
    for key, label in (("classrooms", "Phòng học"), ("subject_rooms", "Phòng học bộ môn"),
                       ("support", "Khối phục vụ học tập")):
        for kind, kind_label in (("solid", "kiên cố"), ("semi", "bán kiên cố"), ("temporary", "tạm")):
            rows.append(Row(f"rooms_{key}_{kind}", f"{label}: {kind_label}", indent=1))
    rows += [Row("rooms_admin", "Khối phòng hành chính - quản trị", indent=1), Row("rooms_library", "Thư viện", indent=1),
             Row("rooms_other", "Các công trình, khối phòng chức năng khác", indent=1)]
    rows.append(Row("h_staff", "3. Cán bộ quản lý, giáo viên, nhân sự hỗ trợ giáo dục", heading=True))
    rows += [
        Row("staff_managers", "Cán bộ quản lý (Hiệu trưởng, Phó hiệu trưởng)", indent=1),
        Row("staff_teachers", "Tổng số giáo viên", indent=1),
        Row("staff_teachers_standard", "Giáo viên đạt chuẩn trở lên về trình độ đào tạo", indent=1),
        Row("staff_support", "Nhân sự hỗ trợ giáo dục", indent=1),
        Row("staff_teacher_per_class", "Tỉ lệ giáo viên/lớp", indent=1),
        Row("staff_teacher_per_pupil", f"Tỉ lệ giáo viên/{word}", indent=1),
        Row("staff_good", "Giáo viên dạy giỏi các cấp", indent=1),
        Row("staff_good_province", "Giáo viên dạy giỏi cấp tỉnh trở lên", indent=1),
    ]
    rows.append(Row("h_pupils", "4. Trẻ em" if level == "mn" else "4. Học sinh", heading=True))
    rows += [
        Row("pupils_total", f"Tổng số {word}", indent=1),
        Row("pupils_girls", "Nữ", indent=2),
        Row("pupils_ethnic", "Dân tộc thiểu số", indent=2),
        Row("pupils_new", "Tổng số tuyển mới", indent=1),
        Row("pupils_two_sessions", "Học 2 buổi/ngày", indent=1),
        Row("pupils_boarding", "Bán trú", indent=1),
        Row("pupils_per_class", f"Bình quân số {word}/lớp", indent=1),
        Row("pupils_right_age", "Tỉ lệ % đi học đúng độ tuổi", indent=1, unit="%"),
        Row("pupils_policy", f"{word.capitalize()} thuộc đối tượng chính sách", indent=1),
        Row("pupils_special", f"{word.capitalize()} có hoàn cảnh đặc biệt", indent=1),
    ]
    if level != "mn":
        rows += [Row("pupils_gifted", "Học sinh giỏi các cấp", indent=1)]
        rows += [
            Row("h_results", "Kết quả giáo dục", heading=True),
            Row("results_learning_good", "Học tập: Tốt (%)", indent=1, unit="%"),
            Row("results_learning_fair", "Học tập: Khá (%)", indent=1, unit="%"),
            Row("results_learning_fail", "Học tập: Chưa đạt (%)", indent=1, unit="%"),
            Row("results_conduct_good", "Rèn luyện: Tốt (%)", indent=1, unit="%"),
            Row("results_conduct_fair", "Rèn luyện: Khá (%)", indent=1, unit="%"),
            Row("results_conduct_pass", "Rèn luyện: Đạt (%)", indent=1, unit="%"),
            Row("results_completed", "Hoàn thành chương trình lớp học (%)", indent=1, unit="%"),
            Row("results_promoted", "Chuyển cấp / hoàn thành cấp học (%)", indent=1, unit="%"),
        ]
    indicators = list(indicators)
    if indicators:
        rows.append(Row("h_other", "5. Các số liệu khác (chỉ số định lượng của các tiêu chí)", heading=True))
        rows += [Row(key, f"Tiêu chí {number}: {label}", indent=1) for key, number, label in indicators]
    return rows


def school_years(last_code: str, count: int = YEARS) -> list[str]:
    """The ``count`` school years ending with ``last_code`` ("2026-2027"), oldest first."""
    first = int(last_code[:4])
    return [f"{y}-{y + 1}" for y in range(first - count + 1, first + 1)]


class CellError(ValueError):
    def __init__(self, row: str, column: str):
        super().__init__(f"{row}/{column}")
        self.row, self.column = row, column


_NUMBER = re.compile(r"^\d{1,8}([.,]\d{1,3})?$")


def parse_number(raw: object) -> str | None:
    """A typed cell as stored: "" → None; "12,5" or " 12.5 % " → "12.5"; anything else raises ValueError."""
    text = str(raw if raw is not None else "").strip().rstrip("%").strip().replace(" ", "")
    if not text:
        return None
    if not _NUMBER.match(text):
        raise ValueError(text)
    text = text.replace(",", ".")
    if float(text) > MAX_NUMBER:
        raise ValueError(text)
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def clean_years(rows: Iterable[Row], years: Iterable[str], raw: Mapping[tuple[str, str], object]) -> dict[str, dict[str, str]]:
    """The typed cells as stored; raises CellError at the first cell that is not a number."""
    years = list(years)
    values: dict[str, dict[str, str]] = {}
    for row in rows:
        if row.heading:
            continue
        for year in years:
            try:
                value = parse_number(raw.get((row.key, year)))
            except ValueError:
                raise CellError(row.key, year) from None
            if value is not None:
                values.setdefault(row.key, {})[year] = value
    return values


def clean_header(raw: Mapping[str, object]) -> dict[str, str]:
    header = {}
    for key, _label in HEADER_FIELDS:
        # NUL is never typed, and PostgreSQL's jsonb refuses it (a 500): dropped with the extra spaces.
        value = " ".join(str(raw.get(key) or "").replace("\x00", "").split())[:MAX_TEXT]
        if value:
            header[key] = value
    return header


def carry_over(years: Iterable[str], previous: Mapping[str, Mapping[str, str]]) -> dict[str, dict[str, str]]:
    """The cells of an earlier form for the years both forms cover."""
    years = set(years)
    values: dict[str, dict[str, str]] = {}
    for row, cells in (previous or {}).items():
        kept = {y: v for y, v in (cells or {}).items() if y in years}
        if kept:
            values[row] = dict(kept)
    return values


# 2018 Phần I tables (selfassessment.schooldata) → rows of this form, for the years they share.
FROM_2018 = {
    ("classes", "total"): "classes_total",
    ("pupils", "total"): "pupils_total",
    ("pupils", "girls"): "pupils_girls",
    ("pupils", "ethnic"): "pupils_ethnic",
    ("pupils", "new_intake"): "pupils_new",
    ("pupils", "boarding"): "pupils_boarding",
    ("pupils", "policy"): "pupils_policy",
}


def from_2018_tables(tables: Mapping[str, Mapping[str, Mapping[str, int]]], years: Iterable[str]) -> dict[str, dict[str, str]]:
    """What a 2018 report's Phần I tables say for this form's rows (typed per-grade rows are copied as is)."""
    years = set(years)
    values: dict[str, dict[str, str]] = {}
    for (table, row), target in FROM_2018.items():
        for year, value in ((tables.get(table) or {}).get(row) or {}).items():
            if year in years and value is not None:
                values.setdefault(target, {})[year] = str(value)
    for row, cells in (tables.get("classes") or {}).items():
        if row.startswith("grade_"):
            for year, value in (cells or {}).items():
                if year in years and value is not None:
                    values.setdefault(f"classes_{row}", {})[year] = str(value)
    # "Cộng" of the 2018 classes table is computed, never stored: add the grades up.
    for year in years:
        grades = [int(cells[year]) for row, cells in values.items() if row.startswith("classes_grade_") and year in cells]
        if grades and year not in values.get("classes_total", {}):
            values.setdefault("classes_total", {})[year] = str(sum(grades))
    return values
