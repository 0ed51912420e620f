"""Phần I (Cơ sở dữ liệu): the tables of the school's data, as plain Python. No Django here.

Each table is a grid of whole numbers. A *year table* has one column per school year of the five
most recent ones (the report's year and the four before it); a *fixed table* has named columns
(the staff at the time of the assessment). Some rows are totals computed from other rows, never
typed; the ``checks`` of a table state the relations between typed numbers that must hold (girls
cannot outnumber pupils; the results of a year must account for every pupil of that year), and
``table_problems`` lists every cell where one does not.

Stored values: ``{row_key: {column_key: int}}``; an empty cell is simply absent. Column keys of a
year table are school-year codes ("2024-2025"), which is what lets a new report carry last year's
numbers forward: the four years the two reports share keep their values.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

MAX_VALUE = 1_000_000
YEARS = 5

# Check kinds.
AT_MOST = "at_most"  # every part ≤ total
SUM_EQUALS = "sum_equals"  # the parts add up to the total


@dataclass(frozen=True)
class Row:
    key: str
    label: str
    # Keys of the rows this row adds up; empty for a typed row.
    sum_of: tuple[str, ...] = ()
    # A sub-heading line with no cells (groups the rows below it).
    heading: bool = False
    indent: int = 0

    @property
    def computed(self) -> bool:
        return bool(self.sum_of)


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    # Keys of the columns this column adds up (fixed tables only).
    sum_of: tuple[str, ...] = ()
    group: str = ""

    @property
    def computed(self) -> bool:
        return bool(self.sum_of)


@dataclass(frozen=True)
class Check:
    """A relation that must hold between cells.

    ``axis="rows"``: ``parts`` and ``total`` are row keys and the relation is checked in every
    column (a year table); a part or total written ``"table:row"`` is read from another table in
    the same column. ``axis="columns"``: they are column keys, checked in every row.
    """

    kind: str
    parts: tuple[str, ...]
    total: str
    message: str
    axis: str = "rows"


@dataclass(frozen=True)
class TableSpec:
    key: str
    title: str
    rows: tuple[Row, ...]
    # None for a year table (one column per school year).
    columns: tuple[Column, ...] | None = None
    checks: tuple[Check, ...] = ()
    note: str = ""

    @property
    def by_years(self) -> bool:
        return self.columns is None

    def row(self, key: str) -> Row | None:
        for row in self.rows:
            if row.key == key:
                return row
        return None

    def input_rows(self) -> list[Row]:
        return [r for r in self.rows if not r.computed and not r.heading]

    def column_keys(self, years: Iterable[str]) -> list[str]:
        return list(years) if self.by_years else [c.key for c in self.columns or ()]

    def input_columns(self, years: Iterable[str]) -> list[str]:
        if self.by_years:
            return list(years)
        return [c.key for c in self.columns or () if not c.computed]


@dataclass(frozen=True)
class Problem:
    table: str
    row: str
    column: str
    message: str
    detail: Mapping[str, int] = field(default_factory=dict)


def school_years(last_code: str, count: int = YEARS) -> list[str]:
    """The ``count`` school years ending with ``last_code`` ("2024-2025"), oldest first."""
    first = int(last_code[:4])
    return [f"{y}-{y + 1}" for y in range(first - count + 1, first + 1)]


# -- The tables ---------------------------------------------------------------------------------

_GRADES = {
    "th": [(f"grade_{g}", f"Khối lớp {g}") for g in range(1, 6)],
    "thcs": [(f"grade_{g}", f"Khối lớp {g}") for g in range(6, 10)],
    "thpt": [(f"grade_{g}", f"Khối lớp {g}") for g in range(10, 13)],
    "multi": [(f"grade_{g}", f"Khối lớp {g}") for g in range(1, 13)],
}
_AGE_GROUPS = [
    ("nt_3_12", "Nhóm trẻ từ 03 đến 12 tháng tuổi"),
    ("nt_13_24", "Nhóm trẻ từ 13 đến 24 tháng tuổi"),
    ("nt_25_36", "Nhóm trẻ từ 25 đến 36 tháng tuổi"),
    ("mg_3_4", "Lớp mẫu giáo 3-4 tuổi"),
    ("mg_4_5", "Lớp mẫu giáo 4-5 tuổi"),
    ("mg_5_6", "Lớp mẫu giáo 5-6 tuổi"),
]


def _groups(level: str) -> list[tuple[str, str]]:
    return _AGE_GROUPS if level == "mn" else _GRADES.get(level, _GRADES["thcs"])


def _classes(level: str) -> TableSpec:
    groups = _groups(level)
    rows = [Row(k, label) for k, label in groups]
    rows.append(Row("total", "Cộng", sum_of=tuple(k for k, _ in groups)))
    title = "Số nhóm trẻ, lớp mẫu giáo" if level == "mn" else "Số lớp học"
    return TableSpec("classes", title, tuple(rows))


_ROOM_KINDS = [
    ("classrooms", "Phòng học, phòng nhóm"),
    ("subject_rooms", "Phòng học bộ môn, phòng chức năng"),
    ("support", "Khối phục vụ học tập"),
    ("admin", "Khối hành chính - quản trị"),
]
_BUILD_TYPES = [("solid", "Kiên cố"), ("semi", "Bán kiên cố"), ("temporary", "Tạm")]


def _rooms(level: str) -> TableSpec:
    rows: list[Row] = []
    subtotals = []
    for kind, label in _ROOM_KINDS:
        parts = tuple(f"{kind}_{t}" for t, _ in _BUILD_TYPES)
        rows.append(Row(f"{kind}_total", label, sum_of=parts))
        rows.extend(Row(f"{kind}_{t}", tlabel, indent=1) for t, tlabel in _BUILD_TYPES)
        subtotals.append(f"{kind}_total")
    rows.append(Row("total", "Tổng số phòng", sum_of=tuple(subtotals)))
    return TableSpec(
        "rooms", "Phòng học và các khối công trình (theo loại công trình)", tuple(rows),
        note="Số phòng theo loại: kiên cố, bán kiên cố, tạm.",
    )


_STAFF_ROWS = [
    ("principal", "Hiệu trưởng"),
    ("vice_principal", "Phó hiệu trưởng"),
    ("teachers", "Giáo viên"),
    ("employees", "Nhân viên"),
]
_STAFF_COLUMNS = (
    Column("total", "Tổng số"),
    Column("women", "Nữ"),
    Column("ethnic", "Dân tộc thiểu số"),
    Column("below", "Chưa đạt chuẩn", group="Trình độ đào tạo"),
    Column("standard", "Đạt chuẩn", group="Trình độ đào tạo"),
    Column("above", "Trên chuẩn", group="Trình độ đào tạo"),
)


def _staff(level: str) -> TableSpec:
    rows = [Row(k, label) for k, label in _STAFF_ROWS]
    rows.append(Row("total", "Cộng", sum_of=tuple(k for k, _ in _STAFF_ROWS)))
    return TableSpec(
        "staff",
        "Cán bộ quản lý, giáo viên, nhân viên (tại thời điểm tự đánh giá)",
        tuple(rows),
        columns=_STAFF_COLUMNS,
        checks=(
            Check(AT_MOST, ("women",), "total", "Số nữ lớn hơn tổng số", axis="columns"),
            Check(AT_MOST, ("ethnic",), "total", "Số người dân tộc thiểu số lớn hơn tổng số", axis="columns"),
            Check(
                SUM_EQUALS, ("below", "standard", "above"), "total",
                "Số chưa đạt chuẩn, đạt chuẩn và trên chuẩn không cộng lại bằng tổng số", axis="columns",
            ),
        ),
    )


def _staff_years(level: str) -> TableSpec:
    teacher = "giáo viên" if level != "mn" else "giáo viên, cô nuôi dạy trẻ"
    rows = (
        Row("managers", "Cán bộ quản lý"),
        Row("teachers", f"Tổng số {teacher}"),
        Row("employees", "Nhân viên"),
        Row("total", "Tổng số cán bộ, giáo viên, nhân viên", sum_of=("managers", "teachers", "employees")),
        Row("excellent_district", "Giáo viên dạy giỏi cấp quận (huyện) hoặc tương đương", indent=1),
        Row("excellent_city", "Giáo viên dạy giỏi cấp thành phố (tỉnh) trở lên", indent=1),
        Row("professional_good", "Giáo viên đạt chuẩn nghề nghiệp mức khá trở lên", indent=1),
    )
    at_most = "Lớn hơn tổng số giáo viên cùng năm"
    return TableSpec(
        "staff_years",
        "Cán bộ quản lý, giáo viên, nhân viên trong 5 năm gần đây",
        rows,
        checks=(
            Check(AT_MOST, ("excellent_district",), "teachers", at_most),
            Check(AT_MOST, ("excellent_city",), "teachers", at_most),
            Check(AT_MOST, ("professional_good",), "teachers", at_most),
        ),
    )


def _pupils(level: str) -> TableSpec:
    groups = _groups(level)
    word = "trẻ" if level == "mn" else "học sinh"
    rows = [Row(k, label) for k, label in groups]
    rows.append(Row("total", f"Tổng số {word}", sum_of=tuple(k for k, _ in groups)))
    breakdown = [
        ("girls", f"{word.capitalize()} nữ"),
        ("ethnic", f"{word.capitalize()} dân tộc thiểu số"),
        ("policy", f"{word.capitalize()} thuộc đối tượng chính sách"),
        ("disabled", f"{word.capitalize()} khuyết tật học hòa nhập"),
        ("boarding", f"{word.capitalize()} bán trú"),
        ("new_intake", f"{word.capitalize()} tuyển mới"),
    ]
    if level != "mn":
        breakdown += [("repeaters", "Học sinh lưu ban"), ("dropouts", "Học sinh bỏ học")]
    rows.extend(Row(k, label, indent=1) for k, label in breakdown)
    checks = tuple(
        Check(AT_MOST, (k,), "total", f"{label} lớn hơn tổng số {word}") for k, label in breakdown
    )
    return TableSpec("pupils", "Trẻ em" if level == "mn" else "Học sinh", tuple(rows), checks=checks)


def _results(level: str) -> TableSpec:
    if level == "mn":
        rows = (
            Row("attendance_good", "Trẻ đi học chuyên cần"),
            Row("underweight", "Trẻ suy dinh dưỡng thể nhẹ cân"),
            Row("stunted", "Trẻ suy dinh dưỡng thể thấp còi"),
            Row("overweight", "Trẻ thừa cân, béo phì"),
            Row("completed_5yo", "Trẻ 5 tuổi hoàn thành Chương trình giáo dục mầm non"),
        )
        checks = (
            Check(AT_MOST, ("attendance_good",), "pupils:total", "Lớn hơn tổng số trẻ cùng năm"),
            Check(
                AT_MOST, ("underweight", "stunted", "overweight"), "pupils:total",
                "Lớn hơn tổng số trẻ cùng năm",
            ),
            Check(AT_MOST, ("completed_5yo",), "pupils:mg_5_6", "Lớn hơn số trẻ lớp mẫu giáo 5-6 tuổi cùng năm"),
        )
        return TableSpec("results", "Kết quả nuôi dưỡng, chăm sóc, giáo dục trẻ", rows, checks=checks)
    if level == "th":
        learning = [("learning_excellent", "Hoàn thành tốt"), ("learning_done", "Hoàn thành"),
                    ("learning_not", "Chưa hoàn thành")]
        conduct = [("conduct_good", "Tốt"), ("conduct_ok", "Đạt"), ("conduct_needs", "Cần cố gắng")]
        final_row = ("completed_programme", "Học sinh hoàn thành chương trình tiểu học", "pupils:grade_5",
                     "Lớn hơn số học sinh khối lớp 5 cùng năm")
    else:
        learning = [("learning_excellent", "Tốt"), ("learning_good", "Khá"), ("learning_done", "Đạt"),
                    ("learning_not", "Chưa đạt")]
        conduct = [("conduct_good", "Tốt"), ("conduct_fair", "Khá"), ("conduct_ok", "Đạt"),
                   ("conduct_needs", "Chưa đạt")]
        last = {"thcs": "grade_9", "thpt": "grade_12", "multi": "grade_12"}.get(level, "grade_9")
        diploma = "trung học cơ sở" if level == "thcs" else "trung học phổ thông"
        final_row = ("completed_programme", f"Học sinh tốt nghiệp {diploma}", f"pupils:{last}",
                     f"Lớn hơn số học sinh khối lớp {last.removeprefix('grade_')} cùng năm")
    rows = [Row("learning_heading", "Kết quả học tập", heading=True)]
    rows += [Row(k, label, indent=1) for k, label in learning]
    rows.append(Row("conduct_heading", "Kết quả rèn luyện" if level != "th" else "Phẩm chất, năng lực", heading=True))
    rows += [Row(k, label, indent=1) for k, label in conduct]
    rows.append(Row(final_row[0], final_row[1]))
    checks = (
        Check(SUM_EQUALS, tuple(k for k, _ in learning), "pupils:total",
              "Kết quả học tập không cộng lại bằng tổng số học sinh cùng năm"),
        Check(SUM_EQUALS, tuple(k for k, _ in conduct), "pupils:total",
              "Kết quả rèn luyện không cộng lại bằng tổng số học sinh cùng năm"),
        Check(AT_MOST, (final_row[0],), final_row[2], final_row[3]),
    )
    return TableSpec("results", "Kết quả giáo dục", tuple(rows), checks=checks)


def tables_for(level: str) -> tuple[TableSpec, ...]:
    """The Phần I tables of a school level (School.Level code), in the report's order."""
    return tuple(build(level) for build in (_classes, _rooms, _staff, _staff_years, _pupils, _results))


TABLE_KEYS = ("classes", "rooms", "staff", "staff_years", "pupils", "results")


def table_for(level: str, key: str) -> TableSpec | None:
    for spec in tables_for(level):
        if spec.key == key:
            return spec
    return None


# -- Values ------------------------------------------------------------------------------------

Values = Mapping[str, Mapping[str, int]]


class GridError(ValueError):
    """A typed value is not a whole number in range; ``cell`` names it ("row/column")."""

    def __init__(self, cell: str, message: str):
        super().__init__(f"{cell}: {message}")
        self.cell = cell
        self.message = message


def parse_cell(raw: str | int | None) -> int | None:
    """A typed cell: blank is None; digits (spaces and dots as thousand separators allowed) an int."""
    if raw is None:
        return None
    if isinstance(raw, bool):
        raise ValueError("not a number")
    if isinstance(raw, int):
        value = raw
    else:
        text = str(raw).strip().replace(" ", "").replace("\u00a0", "").replace(".", "")
        if not text:
            return None
        if not text.isdigit():
            raise ValueError("not a whole number")
        value = int(text)
    if not 0 <= value <= MAX_VALUE:
        raise ValueError("out of range")
    return value


def clean_values(spec: TableSpec, years: Iterable[str], raw: Mapping[tuple[str, str], object]) -> dict[str, dict[str, int]]:
    """Keep only the typed cells of ``spec`` from ``raw`` {(row, column): value}, parsed.

    Computed rows and columns are dropped (they are never stored); a bad value raises GridError.
    """
    columns = spec.input_columns(years)
    values: dict[str, dict[str, int]] = {}
    for row in spec.input_rows():
        for column in columns:
            if (row.key, column) not in raw:
                continue
            try:
                value = parse_cell(raw[(row.key, column)])  # type: ignore[arg-type]
            except ValueError as exc:
                raise GridError(f"{row.key}/{column}", str(exc)) from None
            if value is not None:
                values.setdefault(row.key, {})[column] = value
    return values


def _sum(cells: Iterable[int | None]) -> int | None:
    present = [c for c in cells if c is not None]
    return sum(present) if present else None


def computed_grid(spec: TableSpec, years: Iterable[str], values: Values) -> dict[str, dict[str, int | None]]:
    """Every cell of the table, typed or computed; None where nothing is known."""
    columns = spec.column_keys(years)
    grid: dict[str, dict[str, int | None]] = {}
    for row in spec.rows:
        if row.heading:
            continue
        grid[row.key] = {}
        for column in columns:
            grid[row.key][column] = (values.get(row.key) or {}).get(column)
    # Computed rows may add up other computed rows (subtotals): resolve in declaration order, which
    # the specs keep dependency-first, but iterate until stable so the order is not load-bearing.
    for _ in range(len(spec.rows)):
        changed = False
        for row in spec.rows:
            if not row.computed:
                continue
            for column in columns:
                value = _sum(grid.get(part, {}).get(column) for part in row.sum_of)
                if grid[row.key][column] != value:
                    grid[row.key][column] = value
                    changed = True
        if not changed:
            break
    if spec.columns:
        for column in spec.columns:
            if column.computed:
                for cells in grid.values():
                    cells[column.key] = _sum(cells.get(part) for part in column.sum_of)
    return grid


def _lookup(ref: str, table: str, column: str, grids: Mapping[str, Mapping[str, Mapping]]) -> int | None:
    """A cell by row reference: "row" in ``table``, or "other_table:row"."""
    if ":" in ref:
        table, ref = ref.split(":", 1)
    return ((grids.get(table) or {}).get(ref) or {}).get(column)


def table_problems(
    level: str, years: Iterable[str], values_by_table: Mapping[str, Values]
) -> list[Problem]:
    """Every cell where a check of a table does not hold; unknown (blank) cells are not judged."""
    years = list(years)
    specs = tables_for(level)
    grids = {spec.key: computed_grid(spec, years, values_by_table.get(spec.key) or {}) for spec in specs}
    problems: list[Problem] = []
    for spec in specs:
        grid = grids[spec.key]
        for check in spec.checks:
            if check.axis == "rows":
                for column in spec.column_keys(years):
                    parts = [_lookup(p, spec.key, column, grids) for p in check.parts]
                    total = _lookup(check.total, spec.key, column, grids)
                    problems.extend(_judge(spec.key, check, parts, total, column=column, part_keys=check.parts))
            else:
                # A computed row only repeats its parts' problems.
                computed = {r.key for r in spec.rows if r.computed}
                for row_key, cells in grid.items():
                    if row_key in computed:
                        continue
                    parts = [cells.get(p) for p in check.parts]
                    total = cells.get(check.total)
                    problems.extend(_judge(spec.key, check, parts, total, row=row_key, part_keys=check.parts))
    return problems


def _judge(table, check: Check, parts, total, *, row: str = "", column: str = "", part_keys=()) -> list[Problem]:
    if total is None:
        return []
    if check.kind == AT_MOST:
        found = []
        for key, part in zip(part_keys, parts, strict=True):
            if part is not None and part > total:
                found.append(Problem(table, row or key, column or key, check.message, {"value": part, "total": total}))
        return found
    if check.kind == SUM_EQUALS:
        if any(p is None for p in parts):
            # Partly filled: only judge when every part is typed, or when the typed ones already exceed.
            typed = sum(p for p in parts if p is not None)
            if typed <= total:
                return []
            return [Problem(table, row or part_keys[0], column or part_keys[0], check.message,
                            {"sum": typed, "total": total})]
        if sum(parts) != total:
            return [Problem(table, row or part_keys[0], column or part_keys[0], check.message,
                            {"sum": sum(parts), "total": total})]
        return []
    raise ValueError(f"unknown check kind {check.kind!r}")


def carry_over(spec: TableSpec, years: Iterable[str], previous: Values) -> dict[str, dict[str, int]]:
    """Last year's values that belong in this year's table: the shared years of a year table, the
    whole of a fixed table (the staff change little from one year to the next, and are reviewed)."""
    keep = set(spec.input_columns(years))
    rows = {r.key for r in spec.input_rows()}
    result: dict[str, dict[str, int]] = {}
    for row_key, cells in (previous or {}).items():
        if row_key not in rows:
            continue
        kept = {c: v for c, v in (cells or {}).items() if c in keep and isinstance(v, int)}
        if kept:
            result[row_key] = kept
    return result
