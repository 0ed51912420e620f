"""Import of schools from an Excel workbook (one school per row), all or nothing.

Parsing and validation produce a list of row errors (row number, column, message); only a file
with no error at all is written, in one transaction, updating schools by their code.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from audit.services import event_record
from kiemdinh import validation, xlsxsafe
from kiemdinh.i18n import N_, Text
from kiemdinh.permissions import require

from .models import Organisation, School, User


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    required: bool = False
    width: int = 18
    example: str = ""


COLUMNS: list[Column] = [
    Column("code", "Mã trường", True, 14, "DDA-TH-05"),
    Column("name", "Tên trường", True, 34, "Trường Tiểu học Kim Liên"),
    Column("level", "Cấp học", True, 16, "Tiểu học"),
    Column("ownership", "Loại hình", False, 12, "Công lập"),
    Column("reviewing_unit", "Mã đơn vị quản lý", False, 16, "pgd-dong-da"),
    Column("founding_year", "Năm thành lập", False, 12, "1965"),
    Column("address", "Địa chỉ", False, 34, "Số 1 ngõ 4C Đặng Văn Ngữ"),
    Column("ward", "Phường/xã", False, 16, "Kim Liên"),
    Column("phone", "Điện thoại", False, 14, "024 3852 0000"),
    Column("email", "Email", False, 26, "c1kimlien@hanoiedu.vn"),
    Column("website", "Website", False, 26, ""),
    Column("principal_name", "Hiệu trưởng", False, 22, "Nguyễn Thị Lan"),
    Column("sites_count", "Số điểm trường", False, 12, "1"),
    Column("is_difficult_area", "Vùng khó khăn (có/không)", False, 14, "không"),
    Column("is_especially_difficult_area", "Vùng ĐBKK (có/không)", False, 14, "không"),
    Column("status", "Trạng thái", False, 16, "Đang hoạt động"),
    Column("former_names", "Tên cũ (cách nhau bởi ;)", False, 26, ""),
]
HEADER_TO_KEY = {c.header.lower(): c.key for c in COLUMNS}


def _fold(text: str) -> str:
    """Lower-case without diacritics, so 'Tiểu học', 'tieu hoc' and 'TIỂU HỌC' all match."""
    text = unicodedata.normalize("NFD", text.strip().lower()).replace("đ", "d")
    return "".join(ch for ch in text if unicodedata.category(ch) != "Mn")


LEVEL_WORDS = {
    **{_fold(str(label)): value for value, label in School.Level.choices},
    "mn": "mn", "mam non": "mn", "th": "th", "tieu hoc": "th", "thcs": "thcs",
    "trung hoc co so": "thcs", "thpt": "thpt", "trung hoc pho thong": "thpt",
    "nhieu cap hoc": "multi", "lien cap": "multi", "multi": "multi",
}
OWNERSHIP_WORDS = {
    **{_fold(str(label)): value for value, label in School.Ownership.choices},
    "cong lap": "public", "tu thuc": "private", "dan lap": "people", "ngoai cong lap": "private",
}
STATUS_WORDS = {
    **{_fold(str(label)): value for value, label in School.Status.choices},
    "dang hoat dong": "active", "hoat dong": "active", "da sap nhap": "merged",
    "sap nhap": "merged", "da giai the": "closed", "giai the": "closed",
}
YES = {"co", "x", "1", "true", "yes", "c"}
NO = {"khong", "0", "false", "no", "k", ""}


@dataclass
class RowError:
    row: int
    column: str
    message: str


@dataclass
class ImportResult:
    errors: list[RowError] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    rows: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors


def template_workbook() -> bytes:
    """The downloadable template: headers, one example row, and lists for the coded columns."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Danh sách trường"
    ws.append([c.header for c in COLUMNS])
    ws.append([c.example for c in COLUMNS])
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDEBF7")
    for idx, col in enumerate(COLUMNS, start=1):
        cell = ws.cell(row=1, column=idx)
        cell.font = bold
        cell.fill = fill
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        ws.column_dimensions[cell.column_letter].width = col.width
    ws.freeze_panes = "A2"
    lists = {
        "level": [str(label) for _v, label in School.Level.choices],
        "ownership": [str(label) for _v, label in School.Ownership.choices],
        "status": [str(label) for _v, label in School.Status.choices],
    }
    for idx, col in enumerate(COLUMNS, start=1):
        if col.key in lists:
            letter = ws.cell(row=1, column=idx).column_letter
            dv = DataValidation(type="list", formula1='"' + ",".join(lists[col.key]) + '"', allow_blank=True)
            dv.add(f"{letter}2:{letter}2000")
            ws.add_data_validation(dv)
    notes = wb.create_sheet("Hướng dẫn")
    notes.append(["Cột", "Bắt buộc", "Giá trị hợp lệ"])
    for col in COLUMNS:
        allowed = ", ".join(lists.get(col.key, [])) or ""
        notes.append([col.header, "có" if col.required else "", allowed])
    notes.column_dimensions["A"].width = 30
    notes.column_dimensions["C"].width = 80
    return xlsxsafe.workbook_bytes(wb)


class NotAWorkbookError(Exception):
    pass


# A district lists a few hundred schools; the template's drop-down lists reach row 2000. The bounds
# keep a hostile file (a "zip bomb" inflating to gigabytes, a million rows) from tying up a worker;
# kiemdinh.xlsxsafe enforces them and every other check of an uploaded workbook.
MAX_ROWS = 2000
LIMITS = xlsxsafe.Limits(max_rows=MAX_ROWS + 1, max_columns=len(COLUMNS) + 30, max_inflated_bytes=50 * 1024 * 1024)


def read_rows(content: bytes) -> tuple[list[str], list[tuple[int, list]]]:
    """Return the header keys and the non-empty data rows (with their sheet row numbers).

    The header is the first row holding a value; rows are those the sheet actually holds.
    """
    too_many = _("Tệp có hơn %(n)s dòng dữ liệu; hãy chia thành nhiều tệp.") % {"n": MAX_ROWS}
    try:
        book = xlsxsafe.read_workbook(content, limits=LIMITS, first_sheet_only=True)
    except xlsxsafe.TooManyRowsError as exc:
        raise NotAWorkbookError(too_many) from exc
    except xlsxsafe.WorkbookError as exc:
        raise NotAWorkbookError(str(exc)) from exc
    rows = book.sheets[0].rows if book.sheets else []
    if not rows:
        raise NotAWorkbookError(_("Tệp Excel không có dữ liệu."))
    (_header_number, header), data_rows = rows[0], rows[1:]
    keys = [HEADER_TO_KEY.get(str(h or "").strip().lower(), "") for h in header]
    data = [(number, list(values)) for number, values in data_rows if any(str(v).strip() for v in values if v is not None)]
    if len(data) > MAX_ROWS:
        raise NotAWorkbookError(too_many)
    return keys, data


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def validate_rows(*, by: User, keys: list[str], data: list[tuple[int, list]], units: list[Organisation]):
    """Validate every row; return (errors, cleaned School objects not yet saved)."""
    errors: list[RowError] = []
    header_of = {c.key: c.header for c in COLUMNS}
    missing = [c.header for c in COLUMNS if c.required and c.key not in keys]
    if missing:
        errors.append(RowError(1, ", ".join(missing), _("Thiếu cột bắt buộc. Hãy dùng tệp mẫu.")))
        return errors, []
    if not data:
        errors.append(RowError(2, "", _("Tệp không có dòng dữ liệu nào.")))
        return errors, []
    unit_by_code = {u.code.lower(): u for u in units}
    codes = [_text(row[keys.index("code")]) for _n, row in data if keys.index("code") < len(row)]
    existing = {
        s.code.lower(): s
        for s in School.objects.select_related("reviewing_unit").filter(code__in=[c for c in codes if c])
    }
    seen: dict[str, int] = {}
    schools: list[School] = []
    for number, row in data:
        values = {key: (row[i] if i < len(row) else None) for i, key in enumerate(keys) if key}
        row_errors: list[RowError] = []

        def err(key: str, message: str, number=number, row_errors=row_errors) -> None:
            row_errors.append(RowError(number, header_of.get(key, key), message))

        code = _text(values.get("code"))
        if not code:
            err("code", _("Mã trường không được để trống."))
        elif len(code) > 30:
            err("code", _("Mã trường dài quá 30 ký tự."))
        elif code.lower() in seen:
            err("code", _("Mã trường trùng với dòng %(row)s.") % {"row": seen[code.lower()]})
        else:
            seen[code.lower()] = number
        school = existing.get(code.lower()) or School(code=code)
        if school.pk and school.reviewing_unit not in units:
            err("code", _("Mã trường đã thuộc một đơn vị khác mà bạn không quản lý."))

        unit_code = _text(values.get("reviewing_unit")).lower()
        if unit_code:
            unit = unit_by_code.get(unit_code)
            if unit is None:
                err("reviewing_unit", _("Không có đơn vị quản lý mã “%(code)s” trong phạm vi của bạn.") % {"code": unit_code})
            else:
                school.reviewing_unit = unit
        elif not school.pk:
            if len(units) == 1:
                school.reviewing_unit = units[0]
            else:
                err("reviewing_unit", _("Cần ghi mã đơn vị quản lý (bạn quản lý nhiều đơn vị)."))

        name = _text(values.get("name"))
        if not name:
            err("name", _("Tên trường không được để trống."))
        school.name = name[:200]
        level = LEVEL_WORDS.get(_fold(_text(values.get("level"))))
        if level is None:
            err("level", _("Cấp học không hợp lệ; dùng: Mầm non, Tiểu học, THCS, THPT, Nhiều cấp học."))
        else:
            school.level = level
        for key, words, default in (("ownership", OWNERSHIP_WORDS, "public"), ("status", STATUS_WORDS, "active")):
            raw = _text(values.get(key))
            if not raw:
                setattr(school, key, getattr(school, key) or default if school.pk else default)
            elif _fold(raw) in words:
                setattr(school, key, words[_fold(raw)])
            else:
                err(key, _("Giá trị “%(value)s” không hợp lệ.") % {"value": raw})
        year = _text(values.get("founding_year"))
        if year:
            if not year.isdigit() or not 1800 <= int(year) <= 2100:
                err("founding_year", _("Năm thành lập phải là số năm, ví dụ 1965."))
            else:
                school.founding_year = int(year)
        sites = _text(values.get("sites_count"))
        if sites:
            if not sites.isdigit() or int(sites) < 1:
                err("sites_count", _("Số điểm trường phải là số nguyên từ 1 trở lên."))
            else:
                school.sites_count = int(sites)
        for key in ("is_difficult_area", "is_especially_difficult_area"):
            raw = _fold(_text(values.get(key)))
            if raw in YES:
                setattr(school, key, True)
            elif raw in NO:
                setattr(school, key, False)
            else:
                err(key, _("Ghi “có” hoặc “không”."))
        for key in ("address", "ward", "phone", "email", "website", "principal_name"):
            if key in values:
                setattr(school, key, _text(values.get(key)))
        if "former_names" in values:
            school.former_names = "\n".join(p.strip() for p in _text(values.get("former_names")).split(";") if p.strip())
        if school.status == School.Status.MERGED and not school.merged_into_id:
            err("status", _("Trường đã sáp nhập cần được cập nhật trên giao diện để chọn trường sáp nhập vào."))

        if not row_errors:
            from django.core.exceptions import ValidationError

            try:
                validation.full_clean(school, exclude=["merged_into", "code"] if school.pk else ["merged_into"],
                                      validate_unique=not school.pk)
            except ValidationError as exc:
                for key, messages in exc.message_dict.items():
                    for message in messages:
                        err(key, message)
        errors.extend(row_errors)
        schools.append(school)
    return errors, schools


def import_schools(*, by: User, content: bytes, units: list[Organisation]) -> ImportResult:
    """Validate the whole file, then write it in one transaction, or write nothing."""
    require(by, "school.manage", None)
    result = ImportResult()
    try:
        keys, data = read_rows(content)
    except NotAWorkbookError as exc:
        result.errors.append(RowError(0, "", str(exc)))
        return result
    result.rows = len(data)
    errors, schools = validate_rows(by=by, keys=keys, data=data, units=units)
    if errors:
        result.errors = errors
        return result
    with transaction.atomic():
        for school in schools:
            if school.pk:
                result.updated += 1
                school.revision += 1  # an edit page opened before the import must notice it
            else:
                result.created += 1
            school.save()
        for unit in {s.reviewing_unit for s in schools}:
            event_record(
                actor=by, action="schools.import.applied", target=unit,
                summary=Text(N_("Nhập danh sách trường từ Excel: %(created)s mới, %(updated)s cập nhật"),
                             {"created": result.created, "updated": result.updated}),
                data={"codes": [s.code for s in schools if s.reviewing_unit_id == unit.pk]},
            )
    return result
