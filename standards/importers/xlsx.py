"""The XLSX import template: one row per indicator, read into the same catalog dict as a JSON upload.

The sheet names and column headers are the file format (the reader matches them), so they are
not translated.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext as _

from kiemdinh import xlsxsafe

from ..engine import EngineError, get_family
from ..engine.rules import ACCREDITATION, NATIONAL_STANDARD
from .validate import Issue

# A catalog is a few hundred rows of a dozen columns: a workbook past these bounds is not one.
LIMITS = xlsxsafe.Limits(max_rows=5000, max_columns=60, max_inflated_bytes=20 * 1024 * 1024)

SHEET_META = "Văn bản"
SHEET_INDICATORS = "Chỉ báo"
SHEET_LEVEL4 = "Mức 4"
SHEET_AMENDMENTS = "Sửa đổi"
SHEET_RULES = "Quy tắc"
SHEET_HELP = "Hướng dẫn"

# Rows of the "Văn bản" sheet: (key, label). Column A holds the key the parser reads.
META_ROWS = [
    ("code", "Mã văn bản (vd. TT18/2018)"),
    ("number", "Số hiệu"),
    ("title", "Tên văn bản"),
    ("issuer", "Cơ quan ban hành"),
    ("issued", "Ngày ban hành (YYYY-MM-DD hoặc DD/MM/YYYY)"),
    ("effective", "Ngày hiệu lực"),
    ("school_levels", "Cấp học áp dụng (mn, th, thcs, thpt, multi; cách nhau dấu phẩy)"),
    ("family", "Họ quy tắc (2018: Mức 1–4; legacy: đạt/không đạt)"),
    ("status", "Trạng thái (current, legacy, draft)"),
    ("evidence_code_scheme", "Cách ghi mã minh chứng (vd. Hn-a.b-c)"),
    ("verification_status", "Tình trạng đối chiếu (verified, secondary_source, incomplete, unverified)"),
    ("verification_note", "Ghi chú đối chiếu"),
    ("level_count", "Số mức của tiêu chí (2018: 3)"),
    ("source", "Nguồn (mỗi dòng một địa chỉ)"),
]
META_KEYS = {key for key, _label in META_ROWS}
CATALOG_META_KEYS = ("family", "status", "evidence_code_scheme", "verification_status", "verification_note")

INDICATOR_COLUMNS = [
    ("standard", "Tiêu chuẩn"),
    ("standard_title", "Tên tiêu chuẩn"),
    ("criterion", "Tiêu chí"),
    ("criterion_title", "Tên tiêu chí"),
    ("applies_to", "Áp dụng cho cấp học"),
    ("level", "Mức"),
    ("key", "Chỉ báo"),
    ("unlettered", "Không đánh chữ (x)"),
    ("text", "Nội dung chỉ báo"),
    ("repealed_by", "Bãi bỏ bởi (số hiệu văn bản)"),
]
LEVEL4_COLUMNS = [("number", "Số"), ("article", "Điều khoản"), ("text", "Nội dung")]
AMENDMENT_COLUMNS = [
    ("number", "Số hiệu"), ("title", "Tên văn bản"), ("issued", "Ngày ban hành"), ("effective", "Ngày hiệu lực"),
]
RULE_COLUMNS = [
    ("section", "Loại (cap_do / chuan_quoc_gia)"),
    ("level", "Cấp / Mức độ"),
    ("name", "Tên"),
    ("unknown", "Chưa rõ quy tắc (x)"),
    ("school_level_required", "Mức đánh giá của trường"),
    ("min_completed_cohorts", "Số khóa HS hoàn thành tối thiểu"),
    ("min_years_operating", "Số năm hoạt động tối thiểu"),
    ("min_share", "Tỷ lệ tiêu chí đạt từ (%)"),
    ("max_share", "Tỷ lệ tiêu chí đạt dưới (%)"),
    ("required_criteria", "Tiêu chí bắt buộc (cách nhau dấu phẩy; ? = chưa rõ)"),
    ("article", "Điều khoản"),
]
RULE_SECTIONS = {"cap_do": ACCREDITATION, "chuan_quoc_gia": NATIONAL_STANDARD}


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _cell_date(value: Any) -> str | None:
    text = _cell_text(value)
    if not text:
        return None
    match = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", text)
    if match:
        day, month, year = (int(g) for g in match.groups())
        try:
            return datetime.date(year, month, day).isoformat()
        except ValueError:
            return text
    return text


def _int_or_text(text: str) -> int | str:
    return int(text) if text.isdigit() else text


def _is_marked(value: Any) -> bool:
    return _cell_text(value).lower() in {"x", "1", "true", "có", "co", "yes"}


class _SheetReader:
    """Rows of one sheet as dicts keyed by column key, matched by header label; remembers row numbers."""

    def __init__(self, sheet, columns: list[tuple[str, str]], issues: list[Issue]):
        self.sheet, self.columns, self.issues = sheet, columns, issues

    def rows(self):
        rows = iter(self.sheet.rows)
        _number, header = next(rows, (1, ()))
        labels = [_cell_text(h).lower() for h in header]
        index = {}
        for key, label in self.columns:
            if label.lower() in labels:
                index[key] = labels.index(label.lower())
            elif key in labels:
                index[key] = labels.index(key)
        missing = [label for key, label in self.columns if key not in index]
        if missing:
            self.issues.append(
                Issue(
                    self.sheet.title,
                    _("Thiếu cột: %(cols)s.") % {"cols": ", ".join(missing)},
                    row=_("%(sheet)s, dòng 1") % {"sheet": self.sheet.title},
                )
            )
            return
        for number, values in rows:
            values = tuple(values) + (None,) * len(self.columns)
            row = {key: values[i] for key, i in index.items()}
            if all(_cell_text(v) == "" for v in row.values()):
                continue
            yield number, row


def parse_xlsx(raw: bytes) -> tuple[dict | None, dict[str, str], list[Issue]]:
    """Read the XLSX template into a catalog dict; return (dict, JSON path -> "sheet, row", issues)."""
    try:
        book = xlsxsafe.read_workbook(raw, limits=LIMITS)
    except xlsxsafe.WorkbookError as exc:
        return None, {}, [Issue(_("Tệp Excel"), str(exc))]
    issues: list[Issue] = []
    for name in (SHEET_META, SHEET_INDICATORS):
        if name not in book.sheetnames:
            issues.append(Issue(_("Tệp Excel"), _("Thiếu trang tính “%(s)s”.") % {"s": name}))
    if issues:
        return None, {}, issues
    locations: dict[str, str] = {}

    def at(sheet: str, row: int) -> str:
        return _("%(sheet)s, dòng %(row)s") % {"sheet": sheet, "row": row}

    data: dict[str, Any] = {}
    meta: dict[str, Any] = {}
    for number, values in book[SHEET_META].rows:
        values = tuple(values) + (None, None, None)
        key = _cell_text(values[0])
        if key not in META_KEYS:
            continue
        value = values[2]
        target = meta if key in CATALOG_META_KEYS or key == "level_count" else data
        path = f"catalog.{key}" if target is meta else key
        locations[path] = at(SHEET_META, number)
        if key in ("issued", "effective"):
            target[key] = _cell_date(value)
        elif key == "school_levels":
            text = _cell_text(value)
            target[key] = [part.strip() for part in re.split(r"[,;\n]", text) if part.strip()]
        elif key == "source":
            target[key] = [line.strip() for line in _cell_text(value).splitlines() if line.strip()]
        elif key == "level_count":
            text = _cell_text(value)
            if text:
                target[key] = _int_or_text(text)
        else:
            text = _cell_text(value)
            target[key] = text or None
    data["catalog"] = {k: v for k, v in meta.items() if v not in (None, "")}
    family_name = data["catalog"].get("family") or "2018"
    try:
        binary = get_family(family_name).binary
    except EngineError:
        binary = False
    level_count = 1 if binary else data["catalog"].get("level_count")
    if not isinstance(level_count, int):
        level_count = None

    amendments = []
    if SHEET_AMENDMENTS in book.sheetnames:
        for number, row in _SheetReader(book[SHEET_AMENDMENTS], AMENDMENT_COLUMNS, issues).rows():
            locations[f"amendments[{len(amendments)}]"] = at(SHEET_AMENDMENTS, number)
            amendments.append({
                "number": _cell_text(row["number"]) or None,
                "title": _cell_text(row["title"]) or None,
                "issued": _cell_date(row["issued"]),
                "effective": _cell_date(row["effective"]),
            })
    data["amendments"] = amendments

    standards: list[dict] = []
    by_number: dict[int | str, dict] = {}
    criteria: dict[str, dict] = {}
    max_level = 1
    for number, row in _SheetReader(book[SHEET_INDICATORS], INDICATOR_COLUMNS, issues).rows():
        where = at(SHEET_INDICATORS, number)
        standard_no = _int_or_text(_cell_text(row["standard"]))
        if standard_no == "":
            issues.append(Issue(SHEET_INDICATORS, _("Thiếu số tiêu chuẩn."), row=where))
            continue
        standard = by_number.get(standard_no)
        if standard is None:
            standard = {"number": standard_no, "title": _cell_text(row["standard_title"]) or None, "criteria": []}
            by_number[standard_no] = standard
            locations[f"standards[{len(standards)}]"] = where
            standards.append(standard)
        elif _cell_text(row["standard_title"]) and standard["title"] is None:
            standard["title"] = _cell_text(row["standard_title"])
        elif _cell_text(row["standard_title"]) and _cell_text(row["standard_title"]) != standard["title"]:
            issues.append(Issue(SHEET_INDICATORS, _("Tên tiêu chuẩn khác với dòng trước của cùng tiêu chuẩn."), row=where))
        criterion_no = _cell_text(row["criterion"])
        if not criterion_no:
            continue
        criterion = criteria.get(criterion_no)
        if criterion is None:
            applies = _cell_text(row["applies_to"])
            criterion = {
                "number": criterion_no,
                "title": _cell_text(row["criterion_title"]) or None,
                "applies_to": [p.strip() for p in re.split(r"[,;]", applies) if p.strip()] or None,
                "indicators" if binary else "levels": [] if binary else {},
                "amendments": [],
            }
            criteria[criterion_no] = criterion
            s_index = standards.index(standard)
            locations[f"standards[{s_index}].criteria[{len(standard['criteria'])}]"] = where
            standard["criteria"].append(criterion)
        elif _cell_text(row["criterion_title"]) and criterion["title"] is None:
            criterion["title"] = _cell_text(row["criterion_title"])
        elif _cell_text(row["criterion_title"]) and _cell_text(row["criterion_title"]) != criterion["title"]:
            issues.append(Issue(SHEET_INDICATORS, _("Tên tiêu chí khác với dòng trước của cùng tiêu chí."), row=where))
        level_text, key = _cell_text(row["level"]), _cell_text(row["key"])
        if not level_text and not key:
            continue  # a criterion declared without indicators
        if not level_text.isdigit() or int(level_text) < 1:
            issues.append(Issue(SHEET_INDICATORS, _("Mức phải là số nguyên dương."), row=where))
            continue
        if not key:
            issues.append(Issue(SHEET_INDICATORS, _("Thiếu ký hiệu chỉ báo."), row=where))
            continue
        level = int(level_text)
        max_level = max(max_level, level)
        indicator: dict[str, Any] = {"key": key}
        if _is_marked(row["unlettered"]):
            indicator["unlettered"] = True
        indicator["text"] = _cell_text(row["text"]) or None
        s_index = standards.index(standard)
        c_index = standard["criteria"].index(criterion)
        if binary:
            if level != 1:
                issues.append(Issue(SHEET_INDICATORS, _("Bộ tiêu chuẩn kiểu cũ chỉ có Mức 1."), row=where))
                continue
            locations[f"standards[{s_index}].criteria[{c_index}].indicators[{len(criterion['indicators'])}]"] = where
            criterion["indicators"].append(indicator)
        else:
            if str(level) not in criterion["levels"]:
                locations[f"standards[{s_index}].criteria[{c_index}].levels.{level}"] = where
            items = criterion["levels"].setdefault(str(level), [])
            locations[f"standards[{s_index}].criteria[{c_index}].levels.{level}[{len(items)}]"] = where
            items.append(indicator)
        repealed_by = _cell_text(row["repealed_by"])
        if repealed_by:
            criterion["amendments"].append(
                {"level": str(level), "indicator_key": key, "action": "repealed (bãi bỏ)", "by": repealed_by}
            )
            locations[f"standards[{s_index}].criteria[{c_index}].amendments[{len(criterion['amendments']) - 1}]"] = where
    count = level_count or max_level
    for criterion in criteria.values():
        if not binary:
            levels = criterion["levels"]
            criterion["levels"] = {str(k): levels.get(str(k), []) for k in range(1, max(count, max_level) + 1)}
        if not criterion["amendments"]:
            del criterion["amendments"]
    data["standards"] = standards

    if SHEET_LEVEL4 in book.sheetnames:
        level4 = []
        for number, row in _SheetReader(book[SHEET_LEVEL4], LEVEL4_COLUMNS, issues).rows():
            locations[f"level4_requirements[{len(level4)}]"] = at(SHEET_LEVEL4, number)
            level4.append({
                "number": _int_or_text(_cell_text(row["number"])),
                "article": _cell_text(row["article"]) or None,
                "text": _cell_text(row["text"]) or None,
            })
        if level4:
            data["level4_requirements"] = level4

    if SHEET_RULES in book.sheetnames:
        rules: dict[str, dict] = {}
        for number, row in _SheetReader(book[SHEET_RULES], RULE_COLUMNS, issues).rows():
            where = at(SHEET_RULES, number)
            section = RULE_SECTIONS.get(_cell_text(row["section"]))
            level_text = _cell_text(row["level"])
            if section is None or not level_text.isdigit():
                issues.append(Issue(SHEET_RULES, _("Loại phải là cap_do hoặc chuan_quoc_gia, cấp là số."), row=where))
                continue
            locations[f"rules.{section}.{level_text}"] = where
            rules.setdefault(section, {})[level_text] = _rule_entry(row, issues, where)
        if rules:
            data["rules"] = rules
    return data, locations, issues


def _rule_entry(row: dict, issues: list[Issue], where: str) -> dict:
    entry: dict[str, Any] = {"article": _cell_text(row["article"]) or None}
    if _is_marked(row["unknown"]):
        entry["structured"] = None
        return entry
    structured: dict[str, Any] = {"name": _cell_text(row["name"]) or None}
    for key, target in (
        ("school_level_required", "school_assessment_level_required"),
        ("min_completed_cohorts", "min_completed_cohorts"),
        ("min_years_operating", "min_years_operating"),
    ):
        text = _cell_text(row[key])
        structured[target] = _int_or_text(text) if text else None
    for key, target in (("min_share", "min_share_criteria_met"), ("max_share", "max_share_exclusive")):
        text = _cell_text(row[key]).rstrip("%").strip().replace(",", ".")
        if not text:
            structured[target] = None
            continue
        try:
            structured[target] = round(float(text) / 100, 4)
        except ValueError:
            issues.append(Issue(SHEET_RULES, _("Tỷ lệ phải là số phần trăm (vd. 70)."), row=where))
    required = _cell_text(row["required_criteria"])
    structured["required_criteria"] = (
        None if required == "?" else [p.strip() for p in re.split(r"[,;\s]+", required) if p.strip()]
    )
    entry["structured"] = structured
    return entry


def locator(locations: dict[str, str]) -> Callable[[str], str]:
    """The sheet and row of a JSON path, or of its nearest located parent."""

    def locate(path: str) -> str:
        while path:
            if path in locations:
                return locations[path]
            cut = max(path.rfind("."), path.rfind("["))
            path = path[:cut] if cut > 0 else ""
        return ""

    return locate
