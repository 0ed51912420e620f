"""Formatted spreadsheets with openpyxl in write-only mode (fast and flat in memory for big sheets).

Every sheet has the same shape: optional title lines, one bold header row with borders and wrap,
data rows, column widths, the panes frozen below the header (and after the key columns) and an
auto-filter over the table, printed A4 with the header repeated on each page. Styles are named
styles registered once per workbook: assigning a name is much cheaper than building a style per
cell, which is what keeps the 1,000-school summary well under two seconds.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.utils import get_column_letter

from kiemdinh import xlsxsafe

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FONT_NAME = "Times New Roman"

# Excel refuses these characters in cell text (and openpyxl raises on them).
_ILLEGAL = dict.fromkeys([*range(0, 9), 11, 12, *range(14, 32)])


@dataclass(frozen=True)
class Column:
    header: str
    width: float = 14
    # text | int | date | percent | wrap (long text) | center
    kind: str = "text"


def clean(value):
    """A value Excel accepts: control characters dropped, None as an empty cell."""
    if isinstance(value, str):
        return value.translate(_ILLEGAL)
    return value


_THIN = Side(style="thin", color="808080")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)


def _styles() -> list[NamedStyle]:
    def style(name, *, bold=False, size=11, fill=None, horizontal="left", wrap=False, number_format="General",
              border=True, italic=False):
        s = NamedStyle(name=name)
        s.font = Font(name=FONT_NAME, size=size, bold=bold, italic=italic)
        s.alignment = Alignment(horizontal=horizontal, vertical="center" if not wrap else "top", wrap_text=wrap)
        if border:
            s.border = _BORDER
        if fill:
            s.fill = PatternFill("solid", fgColor=fill)
        s.number_format = number_format
        return s

    return [
        style("kd_title", bold=True, size=14, border=False),
        style("kd_subtitle", italic=True, border=False),
        style("kd_header", bold=True, fill="DCE6F1", horizontal="center", wrap=True),
        style("kd_text"),
        style("kd_wrap", wrap=True),
        style("kd_center", horizontal="center"),
        style("kd_int", horizontal="right", number_format="#,##0"),
        style("kd_date", horizontal="center", number_format="DD/MM/YYYY"),
        style("kd_percent", horizontal="right", number_format="0.0%"),
        style("kd_group", bold=True, fill="F2F2F2"),
        style("kd_total", bold=True, fill="F2F2F2", horizontal="right", number_format="#,##0"),
    ]


_KIND_STYLE = {
    "text": "kd_text",
    "wrap": "kd_wrap",
    "center": "kd_center",
    "int": "kd_int",
    "date": "kd_date",
    "percent": "kd_percent",
}


class WorkbookWriter:
    """A write-only workbook with the project's named styles; ``sheet()`` adds formatted sheets."""

    def __init__(self):
        self.workbook = Workbook(write_only=True)
        for style in _styles():
            self.workbook.add_named_style(style)

    def sheet(
        self,
        title: str,
        columns: Sequence[Column],
        *,
        heading: Sequence[str] = (),
        freeze_columns: int = 1,
        landscape: bool = True,
    ) -> SheetWriter:
        return SheetWriter(self.workbook, title, columns, heading=heading, freeze_columns=freeze_columns,
                           landscape=landscape)

    def save(self) -> bytes:
        return xlsxsafe.workbook_bytes(self.workbook)


def sheet_title(text: str) -> str:
    """Excel sheet names: at most 31 characters, none of []:*?/\\."""
    cleaned = "".join(" " if ch in "[]:*?/\\" else ch for ch in text).strip() or "Sheet"
    return cleaned[:31]


class SheetWriter:
    def __init__(self, workbook, title, columns, *, heading, freeze_columns, landscape):
        self.ws = workbook.create_sheet(sheet_title(title))
        self.columns = list(columns)
        self.ws.sheet_properties.pageSetUpPr.fitToPage = True
        self.ws.page_setup.paperSize = "9"  # A4
        self.ws.page_setup.orientation = "landscape" if landscape else "portrait"
        self.ws.page_setup.fitToWidth = 1
        self.ws.page_setup.fitToHeight = 0
        for index, column in enumerate(self.columns, start=1):
            self.ws.column_dimensions[get_column_letter(index)].width = column.width
        self.row = 0
        self.header_row = len(heading) + (1 if heading else 0) + 1
        # Write-only sheets write their views and widths with the first row: set them before it.
        # Freeze below the header and right of the key columns; the filter spans the header.
        self.ws.freeze_panes = f"{get_column_letter(freeze_columns + 1)}{self.header_row + 1}"
        self.ws.print_title_rows = f"{self.header_row}:{self.header_row}"
        for line_number, line in enumerate(heading):
            self._append([self._cell(line, "kd_title" if line_number == 0 else "kd_subtitle")])
        if heading:
            self._append([])
        self._append([self._cell(c.header, "kd_header") for c in self.columns])
        self.data_rows = 0

    def _cell(self, value, style: str):
        # Every cell of every sheet is made here: formula-like text stays text (kiemdinh.xlsxsafe).
        return xlsxsafe.text_cell(self.ws, clean(value), style)

    def _append(self, cells: list) -> None:
        self.ws.append(cells)
        self.row += 1

    def add(self, values: Iterable, *, style: str | None = None) -> None:
        """A data row; each value styled by its column's kind (or ``style`` for the whole row)."""
        cells = []
        for column, value in zip(self.columns, values, strict=False):
            if isinstance(value, datetime.datetime):
                value = value.replace(tzinfo=None)
            cells.append(self._cell(value, style or _KIND_STYLE.get(column.kind, "kd_text")))
        self._append(cells)
        self.data_rows += 1

    def group(self, label: str) -> None:
        """A full-width grouping row (e.g. "Tiêu chuẩn 1")."""
        self._append([self._cell(label, "kd_group")] + [self._cell(None, "kd_group") for _ in self.columns[1:]])
        self.data_rows += 1

    def finish(self) -> None:
        last_row = self.header_row + max(self.data_rows, 1)
        self.ws.auto_filter.ref = f"A{self.header_row}:{get_column_letter(len(self.columns))}{last_row}"
