"""Writing catalogs back: the JSON shape of ../shared/standards, and the XLSX import template.

``catalog_dict`` rebuilds a catalog from its base version exactly as it was loaded (each element's
``source`` plus its children), so load then export gives the same file.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from typing import Any

from django.utils.translation import gettext as _

from kiemdinh import xlsxsafe

from .catalog import amendment_action, merge_group, school_level_code
from .engine import get_family
from .importers import (
    AMENDMENT_COLUMNS,
    INDICATOR_COLUMNS,
    LEVEL4_COLUMNS,
    META_ROWS,
    RULE_COLUMNS,
    RULE_SECTIONS,
    SHEET_AMENDMENTS,
    SHEET_HELP,
    SHEET_INDICATORS,
    SHEET_LEVEL4,
    SHEET_META,
    SHEET_RULES,
)
from .models import Criterion, Indicator, Regulation


def catalog_dict(regulation: Regulation) -> dict[str, Any]:
    """The catalog of ``regulation`` in the shared JSON shape (its base version; repeals stay as amendments)."""
    base = regulation.versions.get(is_base=True)
    standards = list(base.standards.filter(is_repealed=False).order_by("position"))
    criteria = list(Criterion.objects.filter(standard__version=base, is_repealed=False).order_by("position"))
    by_criterion: dict[int, list[Indicator]] = defaultdict(list)
    for indicator in Indicator.objects.filter(criterion__standard__version=base, is_repealed=False).order_by(
        "criterion_id", "level", "position"
    ):
        by_criterion[indicator.criterion_id].append(indicator)
    by_standard: dict[int, list[dict]] = defaultdict(list)
    binary = get_family(regulation.family).binary
    for criterion in criteria:
        by_standard[criterion.standard_id].append(
            _criterion_dict(criterion, by_criterion[criterion.id], binary, regulation.level_count)
        )
    data = regulation.source_data
    standard_dicts = []
    for standard in standards:
        item = standard.source_data
        item["criteria"] = by_standard[standard.id]
        standard_dicts.append(item)
    data["standards"] = standard_dicts
    level4 = [r.source_data for r in base.level4_requirements.filter(is_repealed=False).order_by("position")]
    if "level4_requirements" in data or level4:
        data["level4_requirements"] = level4
    return data


def group_dict(group_code: str) -> dict[str, Any] | None:
    """The file a group of regulations was loaded from (TT57/2026: both appendices), None when no such group."""
    regulations = list(Regulation.objects.filter(group_code=group_code).order_by("code"))
    if not regulations:
        return None
    return merge_group([catalog_dict(regulation) for regulation in regulations])


def _criterion_dict(criterion: Criterion, indicators: list[Indicator], binary: bool, level_count: int) -> dict:
    item = criterion.source_data
    if isinstance(item.get("levels"), list):
        keys = item["levels"]
    elif "levels" not in item and "indicators" not in item and indicators and not binary:
        keys = [str(level) for level in range(1, level_count + 1)]
    else:
        keys = None
    if keys is not None:
        item["levels"] = {key: [i.source_data for i in indicators if i.level == int(key)] for key in keys}
    elif "indicators" in item or indicators:
        item["indicators"] = [i.source_data for i in indicators]
    return item


def catalog_json(data: dict[str, Any]) -> str:
    """The same formatting as the shared files, so that a diff of the two shows only real changes."""
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def catalog_fingerprint(data: dict[str, Any] | None) -> str:
    if data is None:
        return ""
    return hashlib.sha256(json.dumps(data, ensure_ascii=False, sort_keys=True).encode()).hexdigest()


def _file_stem(code: str) -> str:
    return code.replace("/", "_").replace(" ", "_")


class CatalogJsonExporter:
    def __init__(self, regulation: Regulation):
        self.regulation = regulation

    def render(self) -> tuple[str, str, bytes]:
        content = catalog_json(catalog_dict(self.regulation)).encode("utf-8")
        return f"{_file_stem(self.regulation.code)}.json", "application/json", content


class CatalogXlsxExporter:
    """The XLSX import template: blank, or filled with a catalog so that it can be corrected and re-imported."""

    content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

    def __init__(self, data: dict[str, Any] | None = None):
        self.data = data

    def render(self) -> tuple[str, str, bytes]:
        from openpyxl import Workbook
        from openpyxl.styles import Alignment, Font, PatternFill

        book = Workbook()
        bold = Font(bold=True)
        fill = PatternFill("solid", fgColor="DDE7F3")
        wrap = Alignment(wrap_text=True, vertical="top")

        help_sheet = book.active
        help_sheet.title = SHEET_HELP
        for line in self._help_lines():
            help_sheet.append([line])
        help_sheet.column_dimensions["A"].width = 120

        def table(name: str, columns: list[tuple[str, str]], rows: list[list[Any]], widths: dict[str, int]):
            sheet = book.create_sheet(name)
            sheet.append([label for _key, label in columns])
            for cell in sheet[1]:
                cell.font, cell.fill = bold, fill
            for row in rows:
                sheet.append(row)
            for letter, width in widths.items():
                sheet.column_dimensions[letter].width = width
            for row in sheet.iter_rows(min_row=2):
                for cell in row:
                    cell.alignment = wrap
            sheet.freeze_panes = "A2"
            return sheet

        data = self.data or {}
        meta = book.create_sheet(SHEET_META)
        meta.append(["key", _("Thông tin"), _("Giá trị")])
        for cell in meta[1]:
            cell.font, cell.fill = bold, fill
        for key, label in META_ROWS:
            meta.append([key, label, self._meta_value(data, key)])
        meta.column_dimensions["A"].width = 22
        meta.column_dimensions["B"].width = 60
        meta.column_dimensions["C"].width = 90
        for row in meta.iter_rows(min_row=2):
            for cell in row:
                cell.alignment = wrap

        table(SHEET_INDICATORS, INDICATOR_COLUMNS, self._indicator_rows(data),
              {"A": 10, "B": 30, "C": 9, "D": 40, "E": 14, "F": 6, "G": 8, "H": 10, "I": 90, "J": 22})
        table(SHEET_LEVEL4, LEVEL4_COLUMNS, [
            [r.get("number"), r.get("article"), r.get("text")] for r in data.get("level4_requirements") or []
        ], {"A": 6, "B": 22, "C": 100})
        table(SHEET_AMENDMENTS, AMENDMENT_COLUMNS, [
            [a.get("number"), a.get("title"), a.get("issued"), a.get("effective")] for a in data.get("amendments") or []
        ], {"A": 22, "B": 80, "C": 14, "D": 14})
        table(SHEET_RULES, RULE_COLUMNS, self._rule_rows(data),
              {"A": 16, "B": 10, "C": 28, "D": 12, "E": 14, "F": 14, "G": 14, "H": 12, "I": 12, "J": 40, "K": 40})

        content = xlsxsafe.workbook_bytes(book)
        stem = _file_stem(data["code"]) if data.get("code") else "mau_bo_tieu_chuan"
        return f"{stem}.xlsx", self.content_type, content

    @staticmethod
    def _help_lines() -> list[str]:
        return [
            _("MẪU NHẬP BỘ TIÊU CHUẨN ĐÁNH GIÁ"),
            "",
            _("1. Trang “Văn bản”: điền cột “Giá trị”; không sửa cột “key”."),
            _("2. Trang “Chỉ báo”: mỗi dòng một chỉ báo; tên tiêu chuẩn, tên tiêu chí chỉ cần ghi ở dòng đầu."),
            _("   Một tiêu chí chưa có chỉ báo: ghi một dòng, để trống “Mức” và “Chỉ báo”."),
            _("   Mức không có chỉ báo (vd. tiêu chí không có Mức 3): không ghi dòng nào cho mức đó."),
            _("   “Bãi bỏ bởi”: số hiệu văn bản sửa đổi (phải có trong trang “Sửa đổi”)."),
            _("3. Trang “Mức 4”: các yêu cầu Mức 4 (nếu có)."),
            _("4. Trang “Sửa đổi”: các văn bản sửa đổi; mỗi văn bản tạo một phiên bản mới từ ngày hiệu lực."),
            _("5. Trang “Quy tắc”: cấp độ kiểm định (cap_do) và chuẩn quốc gia (chuan_quoc_gia)."),
            _("   Tiêu chí bắt buộc ghi “?” khi văn bản có danh sách nhưng chưa thu thập được."),
            _("   Đánh “x” ở cột “Chưa rõ quy tắc” khi chưa có quy định: hệ thống sẽ báo chưa xác định được."),
            _("6. Nhập lại một bộ đã có: hệ thống giữ các ghi chú, nguồn, quy tắc nguyên văn không có trong tệp."),
            _("Trước khi áp dụng, hệ thống hiển thị các thay đổi so với bộ tiêu chuẩn hiện hành để xác nhận."),
        ]

    @staticmethod
    def _meta_value(data: dict, key: str) -> Any:
        catalog = data.get("catalog") or {}
        if key in catalog:
            return catalog[key]
        if key == "number":
            return data.get("number") or data.get("document_number")
        if key == "school_levels":
            return ", ".join(school_level_code(v) or v for v in data.get("school_levels") or [])
        if key == "source":
            sources = data.get("source") or []
            return "\n".join(sources) if isinstance(sources, list) else str(sources)
        value = data.get(key)
        return value if isinstance(value, (str, int, float)) or value is None else json.dumps(value, ensure_ascii=False)

    @staticmethod
    def _indicator_rows(data: dict) -> list[list[Any]]:
        rows = []
        for standard in data.get("standards") or []:
            first_in_standard = True
            criteria = standard.get("criteria") or []
            if not criteria:
                rows.append([standard.get("number"), standard.get("title")] + [None] * 8)
            for criterion in criteria:
                repealed = {}
                for entry in criterion.get("amendments") or []:
                    if amendment_action(entry) == "repealed":
                        repealed[(str(entry.get("level")), str(entry.get("indicator_key") or "*"))] = entry.get("by")
                levels = criterion.get("levels")
                items = (
                    [(level, item) for level, level_items in levels.items() for item in level_items]
                    if isinstance(levels, dict)
                    else [("1", item) for item in criterion.get("indicators") or []]
                )
                applies = ", ".join(school_level_code(v) or v for v in criterion.get("applies_to") or [])
                head = [
                    standard.get("number"), standard.get("title") if first_in_standard else None,
                    criterion.get("number"), criterion.get("title"), applies or None,
                ]
                first_in_standard = False
                if not items:
                    rows.append(head + [None] * 5)
                for index, (level, item) in enumerate(items):
                    by = repealed.get((level, item.get("key"))) or repealed.get((level, "*"))
                    row_head = head if index == 0 else [standard.get("number"), None, criterion.get("number"), None, None]
                    rows.append(row_head + [
                        int(level), item.get("key"), "x" if item.get("unlettered") else None, item.get("text"), by,
                    ])
        return rows

    @staticmethod
    def _rule_rows(data: dict) -> list[list[Any]]:
        rows = []
        rules = data.get("rules") or {}
        for section_code, section in RULE_SECTIONS.items():
            for level, entry in (rules.get(section) or {}).items():
                if not str(level).isdigit():
                    continue
                entry = entry if isinstance(entry, dict) else {}
                s = entry.get("structured")
                if not isinstance(s, dict):
                    rows.append([section_code, int(level), None, "x"] + [None] * 6 + [entry.get("article")])
                    continue
                required = s.get("required_criteria", [])
                rows.append([
                    section_code, int(level), s.get("name"), None,
                    s.get("school_assessment_level_required"), s.get("min_completed_cohorts"),
                    s.get("min_years_operating"),
                    _percent(s.get("min_share_criteria_met")), _percent(s.get("max_share_exclusive")),
                    "?" if required is None else ", ".join(required or []),
                    entry.get("article"),
                ])
        return rows


def _percent(value: Any) -> Any:
    if value is None:
        return None
    percent = round(float(value) * 100, 2)
    return int(percent) if percent.is_integer() else percent
