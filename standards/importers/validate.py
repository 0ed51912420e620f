"""Validating a catalog dict (the shape of ../shared/standards) into a CatalogSpec, and reading JSON.

Every problem is located (JSON path, and for XLSX uploads the sheet and row) and worded for the
administrator. Nothing here writes to the database.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from ..catalog import (
    SCHOOL_LEVEL_CODES,
    SCHOOL_LEVEL_WORDS,
    AmendmentSpec,
    CatalogSpec,
    CriterionSpec,
    IndicatorSpec,
    Level4Spec,
    StandardSpec,
    amendment_action,
    derive_versions,
    is_group,
    school_level_code,
    version_code,
)
from ..engine import EngineError, get_family, ladder
from ..engine.rules import ACCREDITATION, NATIONAL_STANDARD
from ..models import Regulation

AMENDMENT_ACTIONS = {"repealed", "amended", "added"}
MAX_KEY_LENGTH = 8


@dataclass(frozen=True)
class Issue:
    """A problem in an uploaded catalog: where (for a person), what, and where exactly."""

    where: str
    message: str
    path: str = ""
    row: str = ""


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


class _Checker:
    def __init__(self, locate: Callable[[str], str] | None):
        self.errors: list[Issue] = []
        self.warnings: list[Issue] = []
        self.locate = locate or (lambda path: "")

    def error(self, path: str, where: str, message: str) -> None:
        self.errors.append(Issue(where, message, path, self.locate(path)))

    def warn(self, path: str, where: str, message: str) -> None:
        self.warnings.append(Issue(where, message, path, self.locate(path)))

    def text(self, obj: dict, key: str, path: str, where: str, *, required=False, max_length=None) -> str | None:
        value = obj.get(key)
        if value is None:
            if required:
                self.error(_join(path, key), where, _("Thiếu “%(field)s”.") % {"field": key})
            return None
        if not isinstance(value, str):
            self.error(_join(path, key), where, _("“%(field)s” phải là chuỗi ký tự.") % {"field": key})
            return None
        value = value.strip()
        if required and not value:
            self.error(_join(path, key), where, _("“%(field)s” không được để trống.") % {"field": key})
        if max_length and len(value) > max_length:
            self.error(
                _join(path, key), where,
                _("“%(field)s” dài quá %(n)s ký tự.") % {"field": key, "n": max_length},
            )
        return value

    def date(self, obj: dict, key: str, path: str, where: str) -> datetime.date | None:
        value = obj.get(key)
        if value is None or value == "":
            return None
        try:
            return datetime.date.fromisoformat(str(value))
        except ValueError:
            self.error(
                _join(path, key), where,
                _("“%(field)s” phải là ngày dạng YYYY-MM-DD, nhận được “%(value)s”.") % {"field": key, "value": value},
            )
            return None

    def school_levels(self, value: Any, path: str, where: str) -> list[str] | None:
        if value is None:
            return None
        if not isinstance(value, list):
            self.error(path, where, _("Cấp học phải là một danh sách."))
            return None
        codes = []
        for item in value:
            code = school_level_code(item) if isinstance(item, str) else None
            if code is None:
                allowed = ", ".join(list(SCHOOL_LEVEL_WORDS) + list(SCHOOL_LEVEL_CODES))
                self.error(
                    path, where,
                    _("Cấp học “%(value)s” không hợp lệ (dùng: %(allowed)s).") % {"value": item, "allowed": allowed},
                )
            elif code not in codes:
                codes.append(code)
        return codes


def _standard_where(number) -> str:
    return _("Tiêu chuẩn %(n)s") % {"n": number}


def _criterion_where(number) -> str:
    return _("Tiêu chí %(n)s") % {"n": number}


def _indicator_where(criterion, level, key) -> str:
    return _("Tiêu chí %(c)s – Mức %(l)s – chỉ báo %(k)s") % {"c": criterion, "l": level, "k": key}


def _infer_family(standards: list) -> str:
    for standard in standards:
        for criterion in (standard or {}).get("criteria") or []:
            if isinstance(criterion, dict) and "indicators" in criterion and "levels" not in criterion:
                return "legacy"
    return "2018"


def _level_keys(standards: list) -> list[int]:
    found = set()
    for standard in standards:
        for criterion in (standard or {}).get("criteria") or []:
            levels = criterion.get("levels") if isinstance(criterion, dict) else None
            if isinstance(levels, dict):
                found.update(int(k) for k in levels if str(k).isdigit())
    return sorted(found)


def validate_catalog(
    data: Any, *, locate: Callable[[str], str] | None = None
) -> tuple[CatalogSpec | None, list[Issue], list[Issue]]:
    """Check a catalog dict; return (spec or None when there are errors, errors, warnings)."""
    check = _Checker(locate)
    head = _("Thông tin văn bản")
    if not isinstance(data, dict):
        check.error("", head, _("Tệp phải chứa một bộ tiêu chuẩn (một đối tượng JSON)."))
        return None, check.errors, check.warnings

    if is_group(data):
        check.error(
            "catalogs", head,
            _("Tệp gồm nhiều phụ lục (“catalogs”): hãy tải lên từng phụ lục, xuất bằng mã của phụ lục đó."),
        )
        return None, check.errors, check.warnings

    code = check.text(data, "code", "", head, required=True, max_length=40) or ""
    title = check.text(data, "title", "", head, required=True) or ""
    number_key = "number" if "number" in data else "document_number"
    document_number = check.text(data, number_key, "", head, max_length=60) or ""
    issuer = check.text(data, "issuer", "", head, max_length=200) or ""
    issued = check.date(data, "issued", "", head)
    effective = check.date(data, "effective", "", head)
    school_levels = check.school_levels(data.get("school_levels"), "school_levels", head) or []
    if not school_levels:
        check.warn("school_levels", head, _("Chưa khai báo cấp học áp dụng: văn bản sẽ không được tự động chọn cho trường nào."))

    standards_data = data.get("standards")
    if standards_data is None:
        standards_data = []
    if not isinstance(standards_data, list):
        check.error("standards", head, _("“standards” phải là một danh sách."))
        standards_data = []

    meta = data.get("catalog") or {}
    if not isinstance(meta, dict):
        check.error("catalog", head, _("“catalog” phải là một đối tượng."))
        meta = {}
    family_name = meta.get("family") or _infer_family(standards_data)
    try:
        family = get_family(str(family_name))
    except EngineError:
        check.error("catalog.family", head, _("Họ quy tắc “%(f)s” không tồn tại.") % {"f": family_name})
        return None, check.errors, check.warnings
    status = meta.get("status") or Regulation.Status.DRAFT
    if status not in Regulation.Status.values:
        check.error("catalog.status", head, _("Trạng thái “%(s)s” không hợp lệ.") % {"s": status})
    verification = meta.get("verification_status") or Regulation.Verification.UNVERIFIED
    if verification not in Regulation.Verification.values:
        check.error("catalog.verification_status", head, _("Tình trạng đối chiếu “%(s)s” không hợp lệ.") % {"s": verification})
    verification_note = check.text(meta, "verification_note", "catalog", head) or ""
    evidence_scheme = check.text(meta, "evidence_code_scheme", "catalog", head, max_length=40) or ""
    if not evidence_scheme:
        check.warn("catalog.evidence_code_scheme", head, _("Chưa khai báo cách ghi mã minh chứng."))
    provenance = meta.get("provenance") or data.get("text_provenance") or ""
    if not isinstance(provenance, str):
        provenance = json.dumps(provenance, ensure_ascii=False)
    first_school_year = meta.get("first_school_year") or ""
    if not isinstance(first_school_year, str) or (first_school_year and not _is_school_year(first_school_year)):
        check.error(
            "catalog.first_school_year", head,
            _("“first_school_year” phải là năm học dạng 2026-2027."),
        )
        first_school_year = ""
    group = data.get("group") if isinstance(data.get("group"), dict) else {}
    group_code = group.get("code") if isinstance(group.get("code"), str) else ""
    appendix_data = group.get("appendix") if isinstance(group.get("appendix"), dict) else {}
    appendix = str(appendix_data.get("appendix") or "")[:10]

    if family.binary:
        level_count = 1
    else:
        found = _level_keys(standards_data)
        level_count = meta.get("level_count") or (max(found) if found else 1)
        if not isinstance(level_count, int) or isinstance(level_count, bool) or not 1 <= level_count <= 9:
            check.error("catalog.level_count", head, _("Số mức của tiêu chí phải từ 1 đến 9."))
            level_count = 3

    amendments = _amendments(check, data.get("amendments"))
    amendment_numbers = {a.number for a in amendments}
    standards = _standards(check, standards_data, family.binary, level_count, school_levels, amendment_numbers)
    level4 = _level4(check, data.get("level4_requirements"))

    rules = data.get("rules") or {}
    if not isinstance(rules, dict):
        check.error("rules", _("Quy tắc xếp mức"), _("“rules” phải là một đối tượng."))
        rules = {}
    _rules(check, rules, standards)

    completeness = data.get("completeness") if isinstance(data.get("completeness"), dict) else {}
    expected = completeness.get("criteria_expected_total")
    expected = expected if isinstance(expected, int) and not isinstance(expected, bool) else None
    criteria_count = sum(len(s.criteria) for s in standards)
    complete = all((s or {}).get("criteria_complete") is not False for s in standards_data if isinstance(s, dict))
    if expected is not None and expected != criteria_count:
        complete = False
    if not complete:
        check.warn(
            "standards", head,
            _("Danh mục chưa đủ tiêu chí (%(n)s tiêu chí): chưa tính được cấp độ theo tỷ lệ tiêu chí đạt.")
            % {"n": criteria_count},
        )

    source = {k: v for k, v in data.items()}
    source["standards"] = None
    if "level4_requirements" in source:
        source["level4_requirements"] = None
    spec = CatalogSpec(
        code=code, document_number=document_number, title=title, issuer=issuer, issued=issued,
        effective=effective, school_levels=school_levels, family=family.name, status=status,
        evidence_code_scheme=evidence_scheme, verification_status=verification,
        verification_note=verification_note, provenance=provenance, level_count=level_count,
        source=source, rules=rules, standards=standards, level4=level4, amendments=amendments,
        complete=complete, expected_criteria=expected,
        group_code=group_code[:40], appendix=appendix, first_school_year=first_school_year,
    )
    if family.name == "2026":
        _check_mandatory_rules(check, rules, spec)
    _check_counts(check, data.get("counts"), spec)
    if check.errors:
        return None, check.errors, check.warnings
    for version in derive_versions(spec)[1:]:
        for problem in version.problems:
            check.warn(
                "amendments", _("Văn bản sửa đổi %(n)s") % {"n": version.amended_by},
                _("Không áp dụng được thay đổi cho %(ref)s.") % {"ref": problem},
            )
    return spec, check.errors, check.warnings


def _amendments(check: _Checker, data: Any) -> list[AmendmentSpec]:
    if data is None:
        return []
    if not isinstance(data, list):
        check.error("amendments", _("Văn bản sửa đổi"), _("“amendments” phải là một danh sách."))
        return []
    result, codes = [], set()
    for i, entry in enumerate(data):
        path = f"amendments[{i}]"
        where = _("Văn bản sửa đổi thứ %(n)s") % {"n": i + 1}
        if not isinstance(entry, dict):
            check.error(path, where, _("Mỗi văn bản sửa đổi phải là một đối tượng."))
            continue
        number = check.text(entry, "number", path, where, required=True, max_length=60)
        if not number:
            continue
        code = version_code(number)
        if code in codes or code == "original":
            check.error(f"{path}.number", where, _("Văn bản sửa đổi “%(n)s” bị trùng.") % {"n": number})
            continue
        codes.add(code)
        note = entry.get("repealed_list_status") or entry.get("amended_provisions_note") or ""
        result.append(
            AmendmentSpec(
                number=number,
                code=code,
                title=check.text(entry, "title", path, where) or "",
                issued=check.date(entry, "issued", path, where),
                effective=check.date(entry, "effective", path, where),
                note=note if isinstance(note, str) else "",
            )
        )
    return result


def _standards(check, data, binary, level_count, school_levels, amendment_numbers) -> list[StandardSpec]:
    standards, numbers, criterion_numbers = [], set(), set()
    for i, entry in enumerate(data):
        path = f"standards[{i}]"
        if not isinstance(entry, dict):
            check.error(path, _standard_where(i + 1), _("Mỗi tiêu chuẩn phải là một đối tượng."))
            continue
        number = entry.get("number")
        where = _standard_where(number)
        if isinstance(number, bool) or not isinstance(number, int) or number < 1:
            check.error(f"{path}.number", where, _("Số tiêu chuẩn phải là số nguyên dương."))
            continue
        if number in numbers:
            check.error(f"{path}.number", where, _("Tiêu chuẩn %(n)s bị trùng.") % {"n": number})
            continue
        numbers.add(number)
        title = check.text(entry, "title", path, where)
        if not title:
            check.warn(f"{path}.title", where, _("Chưa có tên tiêu chuẩn."))
        criteria_data = entry.get("criteria") or []
        if not isinstance(criteria_data, list):
            check.error(f"{path}.criteria", where, _("“criteria” phải là một danh sách."))
            criteria_data = []
        source = dict(entry)
        source["criteria"] = None
        standard = StandardSpec(number, title, source, title_variants=_variants(check, entry, path, where))
        for j, criterion_data in enumerate(criteria_data):
            criterion = _criterion(
                check, criterion_data, f"{path}.criteria[{j}]", binary, level_count, school_levels, amendment_numbers
            )
            if criterion is None:
                continue
            if criterion.number in criterion_numbers:
                check.error(
                    f"{path}.criteria[{j}].number", _criterion_where(criterion.number),
                    _("Tiêu chí %(n)s bị trùng.") % {"n": criterion.number},
                )
                continue
            criterion_numbers.add(criterion.number)
            if not criterion.number.startswith(f"{number}."):
                check.warn(
                    f"{path}.criteria[{j}].number", _criterion_where(criterion.number),
                    _("Số tiêu chí không bắt đầu bằng số tiêu chuẩn %(n)s.") % {"n": number},
                )
            standard.criteria.append(criterion)
        standards.append(standard)
    return standards


def _criterion(check, data, path, binary, level_count, school_levels, amendment_numbers) -> CriterionSpec | None:
    if not isinstance(data, dict):
        check.error(path, _("Tiêu chí"), _("Mỗi tiêu chí phải là một đối tượng."))
        return None
    number = data.get("number")
    if not isinstance(number, str) or not number.strip() or len(number) > 12 or " " in number.strip():
        check.error(f"{path}.number", _("Tiêu chí"), _("Số tiêu chí phải là chuỗi ngắn, không có khoảng trắng (vd. 1.1)."))
        return None
    number = number.strip()
    where = _criterion_where(number)
    title = check.text(data, "title", path, where)
    if not title:
        check.warn(f"{path}.title", where, _("Chưa có tên tiêu chí."))
    applies_to = check.school_levels(data.get("applies_to"), f"{path}.applies_to", where)
    if applies_to and school_levels and not set(applies_to) <= set(school_levels):
        check.warn(f"{path}.applies_to", where, _("Tiêu chí áp dụng cho cấp học mà văn bản không bao gồm."))
    source = dict(data)
    criterion = CriterionSpec(number, title, applies_to, source)
    _criterion_extras(check, criterion, data, path, where)
    if "levels" in data and "indicators" in data:
        check.error(path, where, _("Chỉ dùng một trong hai: “levels” hoặc “indicators”."))
        return None
    if binary and "levels" in data:
        check.error(f"{path}.levels", where, _("Bộ tiêu chuẩn kiểu cũ (đạt/không đạt) ghi chỉ báo trong “indicators”."))
        return None
    if not binary and "indicators" in data:
        check.error(f"{path}.indicators", where, _("Bộ tiêu chuẩn theo mức ghi chỉ báo trong “levels”."))
        return None
    if "levels" in data:
        levels = data["levels"]
        if not isinstance(levels, dict):
            check.error(f"{path}.levels", where, _("“levels” phải là một đối tượng theo mức."))
            return None
        source["levels"] = list(levels)
        for level_key, items in levels.items():
            if not str(level_key).isdigit() or not 1 <= int(level_key) <= level_count:
                check.error(
                    f"{path}.levels.{level_key}", where,
                    _("Mức “%(l)s” không hợp lệ (1 đến %(n)s).") % {"l": level_key, "n": level_count},
                )
                continue
            _indicators(check, criterion, int(level_key), items, f"{path}.levels.{level_key}")
    elif "indicators" in data:
        source["indicators"] = None
        _indicators(check, criterion, 1, data["indicators"], f"{path}.indicators")
    _criterion_amendments(check, criterion, data.get("amendments"), f"{path}.amendments", level_count, amendment_numbers)
    return criterion


def _is_school_year(value: str) -> bool:
    first, _sep, second = value.partition("-")
    return len(value) == 9 and first.isdigit() and second.isdigit() and int(second) == int(first) + 1


def _variants(check, data: dict, path: str, where: str) -> list[dict]:
    value = data.get("title_variants")
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, dict) and isinstance(v.get("title"), str) for v in value):
        check.error(f"{path}.title_variants", where, _("“title_variants” phải là danh sách các đối tượng có “title”."))
        return []
    return value


def _string_list(check, data: dict, key: str, path: str, where: str) -> list[str]:
    value = data.get(key)
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        check.error(f"{path}.{key}", where, _("“%(field)s” phải là danh sách chuỗi ký tự.") % {"field": key})
        return []
    return value


def _criterion_extras(check, criterion: CriterionSpec, data: dict, path: str, where: str) -> None:
    """TT57/2026 criterion fields: mandatory flag, evidence hints, quantitative data, title variants."""
    mandatory = data.get("mandatory", False)
    if not isinstance(mandatory, bool):
        check.error(f"{path}.mandatory", where, _("“mandatory” phải là true hoặc false."))
        mandatory = False
    criterion.mandatory = mandatory
    criterion.evidence_hints = _string_list(check, data, "evidence_hints", path, where)
    criterion.quantitative_indicators = _string_list(check, data, "quantitative_indicators", path, where)
    criterion.quantitative_data = check.text(data, "quantitative_data", path, where) or ""
    criterion.agreement = check.text(data, "agreement", path, where) or ""
    criterion.title_variants = _variants(check, data, path, where)


def _check_mandatory_rules(check: _Checker, rules: dict, spec: CatalogSpec) -> None:
    """The 2026 family reads its thresholds from rules.school_level.structured; the list must match the flags."""
    where = _("Quy tắc xếp mức")
    from ..engine import family2026

    try:
        family2026.thresholds(rules)
    except EngineError as exc:
        check.error(exc.field, where, _("Giá trị không hợp lệ: %(m)s") % {"m": exc.message})
    flagged = [c.number for c in spec.criteria() if c.mandatory]
    listed = ((rules.get("mandatory_criteria") or {}) if isinstance(rules.get("mandatory_criteria"), dict) else {}).get("list")
    if isinstance(listed, list) and sorted(map(str, listed)) != sorted(flagged):
        check.warn(
            "rules.mandatory_criteria.list", where,
            _("Danh sách tiêu chí bắt buộc (%(listed)s) khác với các tiêu chí được đánh dấu bắt buộc (%(flagged)s).")
            % {"listed": ", ".join(map(str, listed)), "flagged": ", ".join(flagged)},
        )


def _indicators(check, criterion: CriterionSpec, level: int, items: Any, path: str) -> None:
    if not isinstance(items, list):
        check.error(path, _criterion_where(criterion.number), _("Danh sách chỉ báo phải là một mảng."))
        return
    keys = set()
    for k, item in enumerate(items):
        item_path = f"{path}[{k}]"
        if not isinstance(item, dict):
            check.error(item_path, _criterion_where(criterion.number), _("Mỗi chỉ báo phải là một đối tượng."))
            continue
        key = item.get("key")
        if not isinstance(key, str) or not key.strip() or len(key.strip()) > MAX_KEY_LENGTH:
            check.error(
                f"{item_path}.key", _criterion_where(criterion.number),
                _("Ký hiệu chỉ báo phải là chuỗi ngắn (a, b, c…)."),
            )
            continue
        key = key.strip()
        where = _indicator_where(criterion.number, level, key)
        if key in keys:
            check.error(f"{item_path}.key", where, _("Chỉ báo bị trùng ký hiệu trong cùng mức."))
            continue
        keys.add(key)
        text = item.get("text")
        if text is not None and not isinstance(text, str):
            check.error(f"{item_path}.text", where, _("Nội dung chỉ báo phải là chuỗi ký tự."))
            continue
        if not text:
            check.warn(f"{item_path}.text", where, _("Chưa có nội dung chỉ báo."))
        unlettered = item.get("unlettered", False)
        if not isinstance(unlettered, bool):
            check.error(f"{item_path}.unlettered", where, _("“unlettered” phải là true hoặc false."))
            continue
        criterion.indicators.append(IndicatorSpec(level, key, text, unlettered, dict(item)))


def _criterion_amendments(check, criterion, data, path, level_count, amendment_numbers) -> None:
    if data is None:
        return
    where = _criterion_where(criterion.number)
    if not isinstance(data, list):
        check.error(path, where, _("“amendments” của tiêu chí phải là một danh sách."))
        return
    for i, entry in enumerate(data):
        entry_path = f"{path}[{i}]"
        if not isinstance(entry, dict):
            check.error(entry_path, where, _("Mỗi sửa đổi phải là một đối tượng."))
            continue
        level = str(entry.get("level") or "")
        if not level.isdigit() or not 1 <= int(level) <= level_count:
            check.error(f"{entry_path}.level", where, _("Mức bị sửa đổi không hợp lệ: “%(l)s”.") % {"l": level})
            continue
        action = amendment_action(entry)
        if action not in AMENDMENT_ACTIONS:
            check.error(
                f"{entry_path}.action", where,
                _("Loại sửa đổi “%(a)s” không hợp lệ (repealed, amended, added).") % {"a": entry.get("action")},
            )
            continue
        by = str(entry.get("by") or "").strip()
        if by not in amendment_numbers:
            check.error(
                f"{entry_path}.by", where,
                _("Văn bản sửa đổi “%(n)s” không có trong danh sách văn bản sửa đổi của bộ tiêu chuẩn.") % {"n": by},
            )
            continue
        key = str(entry.get("indicator_key") or "*")
        if action != "added" and key != "*" and not any(
            i.level == int(level) and i.key == key for i in criterion.indicators
        ):
            check.error(
                f"{entry_path}.indicator_key", where,
                _("Sửa đổi nhắc tới chỉ báo %(k)s Mức %(l)s không tồn tại.") % {"k": key, "l": level},
            )
            continue
        criterion.amendments.append(entry)


def _level4(check: _Checker, data: Any) -> list[Level4Spec]:
    if data is None:
        return []
    where = _("Yêu cầu Mức 4")
    if not isinstance(data, list):
        check.error("level4_requirements", where, _("“level4_requirements” phải là một danh sách."))
        return []
    result, numbers = [], set()
    for i, entry in enumerate(data):
        path = f"level4_requirements[{i}]"
        if not isinstance(entry, dict):
            check.error(path, where, _("Mỗi yêu cầu Mức 4 phải là một đối tượng."))
            continue
        number = entry.get("number")
        if isinstance(number, bool) or not isinstance(number, int) or number < 1 or number in numbers:
            check.error(f"{path}.number", where, _("Số yêu cầu Mức 4 phải là số nguyên dương, không trùng."))
            continue
        numbers.add(number)
        item_where = _("Yêu cầu Mức 4 số %(n)s") % {"n": number}
        text = check.text(entry, "text", path, item_where, required=True) or ""
        article = check.text(entry, "article", path, item_where, max_length=100) or ""
        result.append(Level4Spec(number, article, text, dict(entry)))
    return result


def _rules(check: _Checker, rules: dict, standards: list[StandardSpec]) -> None:
    where = _("Quy tắc xếp mức")
    numbers = {c.number for s in standards for c in s.criteria}
    for section in (ACCREDITATION, NATIONAL_STANDARD):
        try:
            rungs = ladder(rules, section)
        except EngineError as exc:
            check.error(exc.field, where, _("Giá trị không hợp lệ: %(m)s") % {"m": exc.message})
            continue
        for rung in rungs:
            unknown = [n for n in rung.required_criteria or () if n not in numbers]
            if unknown:
                check.warn(
                    f"rules.{section}.{rung.level}", where,
                    _("Cấp %(l)s yêu cầu tiêu chí chưa có trong danh mục: %(list)s.")
                    % {"l": rung.level, "list": ", ".join(unknown)},
                )


def _check_counts(check: _Checker, counts: Any, spec: CatalogSpec) -> None:
    """The 2018 catalogs state their own counts; a mismatch means a transcription slip."""
    if not isinstance(counts, dict):
        return
    actual = {
        "standards": len(spec.standards),
        "criteria": sum(len(s.criteria) for s in spec.standards),
        "level4_requirements": len(spec.level4),
        **{f"indicators_level_{k}": spec.indicator_count(k) for k in range(1, spec.level_count + 1)},
    }
    for key, value in actual.items():
        stated = counts.get(key)
        if isinstance(stated, int) and stated != value:
            check.warn(
                f"counts.{key}", _("Thông tin văn bản"),
                _("Số liệu “%(k)s” ghi %(s)s nhưng danh mục có %(a)s.") % {"k": key, "s": stated, "a": value},
            )


# --- JSON ------------------------------------------------------------------------------------


def parse_json(raw: bytes) -> tuple[Any, list[Issue]]:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None, [Issue(_("Tệp JSON"), _("Tệp không phải văn bản UTF-8."))]
    try:
        return json.loads(text), []
    except RecursionError:
        return None, [Issue(_("Tệp JSON"), _("Tệp JSON lồng nhau quá sâu, không phải bộ tiêu chuẩn."))]
    except ValueError as exc:
        if not isinstance(exc, json.JSONDecodeError):  # e.g. an integer of thousands of digits
            return None, [Issue(_("Tệp JSON"), _("Tệp JSON có giá trị quá lớn, không phải bộ tiêu chuẩn."))]
        # Only the place: the parser's own explanation (exc.msg) is English whatever the user's language.
        message = _("Tệp JSON không hợp lệ ở dòng %(line)s, cột %(col)s.") % {"line": exc.lineno, "col": exc.colno}
        return None, [Issue(_("Tệp JSON"), message)]
