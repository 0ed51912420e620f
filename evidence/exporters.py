"""The evidence list (danh mục minh chứng) as an Excel workbook.

The first six columns are those of the official list in the report's appendix (Số TT | Mã minh
chứng | Tên minh chứng | Số, ngày ban hành hoặc thời điểm khảo sát, điều tra, phỏng vấn, quan sát |
Nơi ban hành hoặc nhóm, cá nhân thực hiện | Ghi chú), so a school can paste them into its report;
the working columns after them help whoever keeps the boxes.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from kiemdinh import xlsxsafe
from schools.models import School

from .models import Evidence

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

COLUMNS: list[tuple[str, float]] = [
    ("Số TT", 7),
    ("Mã minh chứng", 16),
    ("Tên minh chứng", 60),
    ("Số, ngày ban hành hoặc thời điểm khảo sát, điều tra, phỏng vấn, quan sát", 30),
    ("Nơi ban hành hoặc nhóm, cá nhân thực hiện", 30),
    ("Ghi chú", 28),
    ("Tiêu chí mã hóa", 11),
    ("Dùng chung cho tiêu chí", 16),
    ("Hộp", 7),
    ("Còn hiệu lực đến", 14),
    ("Tệp đính kèm / đường dẫn", 34),
    ("SHA-256 của tệp", 20),
]
HEADER_ROW = 4


def title_rows(sheet, *, title: str, subtitle: str, columns: int) -> None:
    """The two title lines above an evidence sheet's table (rows 1-2, merged across its columns)."""
    last_column = get_column_letter(columns)
    sheet["A1"], sheet["A2"] = title, subtitle
    sheet["A1"].font = Font(bold=True, size=13)
    sheet["A2"].font = Font(italic=True, size=10)
    sheet.merge_cells(f"A1:{last_column}1")
    sheet.merge_cells(f"A2:{last_column}2")


class EvidenceListExporter:
    """``render() -> (filename, content_type, bytes)`` for the school's items in the official order."""

    def __init__(self, school: School, items: Iterable[Evidence], *, today: datetime.date | None = None):
        self.school = school
        self.items = list(items)
        self.today = today or timezone.localdate()

    @property
    def filename(self) -> str:
        return f"danh-muc-minh-chung-{self.school.code}.xlsx"

    def render(self) -> tuple[str, str, bytes]:
        workbook = Workbook()
        sheet = workbook.active
        sheet.title = "Danh mục minh chứng"
        last_column = get_column_letter(len(COLUMNS))
        title_rows(sheet, title=f"DANH MỤC MÃ MINH CHỨNG – {self.school.name.upper()}",
                   subtitle=f"Lập ngày {self.today:%d/%m/%Y} · {len(self.items)} minh chứng", columns=len(COLUMNS))

        thin = Side(style="thin", color="999999")
        border = Border(left=thin, right=thin, top=thin, bottom=thin)
        header_fill = PatternFill("solid", fgColor="DCE6F1")
        for index, (title, width) in enumerate(COLUMNS, start=1):
            cell = sheet.cell(row=HEADER_ROW, column=index, value=title)
            cell.font = Font(bold=True)
            cell.fill = header_fill
            cell.border = border
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
            sheet.column_dimensions[get_column_letter(index)].width = width
        sheet.row_dimensions[HEADER_ROW].height = 48

        wrap = Alignment(vertical="top", wrap_text=True)
        expired_font = Font(color="9C0006")
        for number, item in enumerate(self.items, start=1):
            row = HEADER_ROW + number
            attachment = item.file_name or item.link or ("Bản giấy trong hộp" if not item.file else "")
            note = item.note
            if item.is_expired(self.today):
                note = f"{note}\nĐã hết hiệu lực" if note else "Đã hết hiệu lực"
            values = [
                number,
                item.code,
                item.name,
                item.issued_display,
                item.issuer,
                note,
                item.criterion.number,
                ", ".join(c.number for c in item.shared_criteria.all()),
                item.box,
                item.valid_until,
                attachment,
                item.sha256,
            ]
            for column, value in enumerate(values, start=1):
                cell = sheet.cell(row=row, column=column, value=value)
                cell.border = border
                cell.alignment = wrap
            sheet.cell(row=row, column=10).number_format = "DD/MM/YYYY"
            if item.is_expired(self.today):
                sheet.cell(row=row, column=6).font = expired_font
        last_row = HEADER_ROW + max(len(self.items), 1)
        sheet.freeze_panes = sheet.cell(row=HEADER_ROW + 1, column=3)
        sheet.auto_filter.ref = f"A{HEADER_ROW}:{last_column}{last_row}"
        sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
        sheet.page_setup.orientation = "landscape"
        sheet.page_setup.fitToWidth = 1
        sheet.page_setup.fitToHeight = 0
        sheet.sheet_properties.pageSetUpPr.fitToPage = True

        return self.filename, XLSX, xlsxsafe.workbook_bytes(workbook)
