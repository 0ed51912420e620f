"""The evidence list of a TT57/2026 school (Danh mục minh chứng, mẫu mục II khoản 4 Phụ lục IV).

Five columns, as the Thông tư's form has them: TT | Mã minh chứng | Tên minh chứng | Định dạng, vị
trí lưu trữ hoặc đường dẫn điện tử | Ghi chú. Rows are grouped under their criterion, in the
catalog's order. The 2018 list (six columns and the working ones) stays ``EvidenceListExporter``.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

from kiemdinh import xlsxsafe
from schools.models import School
from standards.models import Regulation

from .exporters import XLSX, title_rows
from .models import Evidence

COLUMNS: list[tuple[str, float]] = [
    ("TT", 6),
    ("Mã minh chứng", 14),
    ("Tên minh chứng", 60),
    ("Định dạng, vị trí lưu trữ hoặc đường dẫn điện tử", 45),
    ("Ghi chú", 30),
]
HEADER_ROW = 4


def storage_text(item: Evidence) -> str:
    """The fourth column: the file's format and name, the link, and the box of the paper copy."""
    lines = []
    if item.file:
        kind = item.file_kind.label if item.file_kind else "Tệp"
        lines.append(f"{kind}: {item.file_name}")
    if item.link:
        lines.append(item.link)
    lines.append(f"Bản giấy: hộp {item.box}")
    return "\n".join(lines)


def note_text(item: Evidence, today: datetime.date) -> str:
    lines = [item.note] if item.note else []
    if item.is_expired(today):
        lines.append(f"Hết hiệu lực từ {item.valid_until:%d/%m/%Y}")
    shared = [c.number for c in item.shared_criteria.all()]
    if shared:
        lines.append("Dùng chung cho tiêu chí " + ", ".join(shared))
    if item.carried_from_code:
        lines.append(f"Chuyển từ mã {item.carried_from_code}")
    return "\n".join(lines)


class Tt57EvidenceListExporter:
    """``render() -> (filename, content_type, bytes)`` for the school's items coded under a TT57 regulation."""

    def __init__(
        self, school: School, regulation: Regulation, items: Iterable[Evidence], *, today: datetime.date | None = None
    ):
        self.school = school
        self.regulation = regulation
        self.items = list(items)
        self.today = today or timezone.localdate()

    @property
    def filename(self) -> str:
        return f"danh-muc-minh-chung-{self.school.code}-tt57.xlsx"

    def render(self) -> tuple[str, str, bytes]:
        workbook = Workbook()
        sheet = workbook.active
        sheet.title = "Danh mục minh chứng"
        title_rows(sheet, title=f"DANH MỤC MINH CHỨNG – {self.school.name.upper()}",
                   subtitle=f"Theo {self.regulation.code} · lập ngày {self.today:%d/%m/%Y} · {len(self.items)} minh chứng",
                   columns=len(COLUMNS))

        thin = Side(style="thin", color="999999")
        border = Border(left=thin, right=thin, top=thin, bottom=thin)
        for index, (title, width) in enumerate(COLUMNS, start=1):
            cell = sheet.cell(row=HEADER_ROW, column=index, value=title)
            cell.font = Font(bold=True)
            cell.fill = PatternFill("solid", fgColor="DCE6F1")
            cell.border = border
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
            sheet.column_dimensions[cell.column_letter].width = width
        sheet.row_dimensions[HEADER_ROW].height = 36

        wrap = Alignment(vertical="top", wrap_text=True)
        row = HEADER_ROW
        criterion_id = None
        for number, item in enumerate(self.items, start=1):
            if item.criterion_id != criterion_id:
                criterion_id = item.criterion_id
                row += 1
                title = f"Tiêu chí {item.criterion.number}. {item.criterion.title}".strip().rstrip(".")
                sheet.cell(row=row, column=1, value=title).font = Font(bold=True)
                sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=len(COLUMNS))
            row += 1
            values = [number, item.code, item.name, storage_text(item), note_text(item, self.today)]
            for column, value in enumerate(values, start=1):
                cell = sheet.cell(row=row, column=column, value=value)
                cell.border = border
                cell.alignment = wrap
        sheet.freeze_panes = sheet.cell(row=HEADER_ROW + 1, column=1)
        sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
        sheet.page_setup.orientation = "landscape"
        sheet.page_setup.fitToWidth = 1
        sheet.page_setup.fitToHeight = 0
        sheet.sheet_properties.pageSetUpPr.fitToPage = True

        return self.filename, XLSX, xlsxsafe.workbook_bytes(workbook)
