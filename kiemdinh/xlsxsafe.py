"""Every XLSX the project reads or writes goes through here.

Reading (``read_workbook``): an uploaded workbook is hostile until proven otherwise. Before
openpyxl sees it, the archive is checked (a real zip holding an OOXML package, a bounded number
of parts, a bounded inflated size and compression ratio: no "zip bomb"), and the prolog of every
XML part is read with expat and refused if it declares a DTD or an entity (external entities,
"billion laughs"): OOXML never needs one. Then each sheet is streamed once in openpyxl's
read-only mode, keeping only the cells that hold a value. The dimension a file declares
(``A1:XFD1048576``) is never trusted: openpyxl's own row iterator pads every row to the declared
width and fills every missing row up to the declared height, which is how a 6 KB file kept a
worker busy for a minute. Rows and columns are bounded by the values actually present, and any
failure (a sheet cut off in the middle, a broken zip) becomes a ``WorkbookError`` whose message
tells the user in Vietnamese what is wrong.

Writing: text that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return would be a
formula in the spreadsheet a district downloads (or become one as soon as someone edits the
cell). ``keep_as_text`` stores such text as a string cell with Excel's "quote prefix", so the cell
shows exactly what was typed and never computes. ``workbook_bytes`` applies it to every cell of a
normal workbook as it saves; write-only sheets make their cells with ``text_cell``.
"""

from __future__ import annotations

import io
import logging
import zipfile
from dataclasses import dataclass, field
from xml.parsers import expat

from django.utils.translation import gettext as _
from openpyxl.cell import WriteOnlyCell
from openpyxl.utils import get_column_letter

logger = logging.getLogger(__name__)


# --------------------------------------------------------------------------------------------
# Reading


@dataclass(frozen=True)
class Limits:
    """Bounds of one uploaded workbook. The defaults fit every import of the project with room."""

    max_rows: int = 5000  # rows holding at least one value, per sheet
    max_columns: int = 100  # the rightmost column holding a value
    max_cells: int = 300_000  # cells present in the sheets' XML, empty (only formatted) ones included
    max_inflated_bytes: int = 20 * 1024 * 1024  # all parts of the archive once inflated
    max_ratio: int = 100  # inflated / compressed, for parts larger than RATIO_FLOOR
    max_parts: int = 1000


# Small parts compress far better than 100:1 when they are one repeated tag; only large ones can hurt.
RATIO_FLOOR = 1024 * 1024
# OOXML parts start with the XML declaration and the root element at once; a prolog longer than
# this is not one a spreadsheet program wrote.
PROLOG_LIMIT = 64 * 1024


class WorkbookError(Exception):
    """The workbook is refused; ``str()`` is the Vietnamese message for the user."""


class TooManyRowsError(WorkbookError):
    """A sheet holds more than ``Limits.max_rows`` rows with a value (a caller may word it its own way)."""


@dataclass
class Sheet:
    """One sheet's rows that hold a value: ``(row number in the sheet, values from column A)``."""

    title: str
    rows: list[tuple[int, tuple]] = field(default_factory=list)


@dataclass
class SafeWorkbook:
    sheets: list[Sheet]

    @property
    def sheetnames(self) -> list[str]:
        return [sheet.title for sheet in self.sheets]

    def __getitem__(self, title: str) -> Sheet:
        for sheet in self.sheets:
            if sheet.title == title:
                return sheet
        raise KeyError(title)


def _not_xlsx() -> WorkbookError:
    return WorkbookError(_("Tệp tải lên không phải là tệp Excel (.xlsx) hợp lệ. Hãy mở tệp bằng Excel và lưu lại "
                           "dưới dạng “Sổ làm việc Excel (.xlsx)”."))


def _damaged(where: str = "") -> WorkbookError:
    if where:
        return WorkbookError(_("Tệp Excel bị hỏng: trang tính “%(sheet)s” không đọc được đến hết (có thể tệp bị cắt "
                               "ngang khi lưu hoặc khi tải lên). Hãy mở tệp bằng Excel, lưu lại rồi tải lên lại.")
                             % {"sheet": where})
    return WorkbookError(_("Tệp Excel bị hỏng, không đọc được. Hãy mở tệp bằng Excel, lưu lại rồi tải lên lại."))


class _PrologEnd(Exception):
    """The root element began: the prolog held no DTD."""


class _Declaration(Exception):
    """The prolog declares a DTD or an entity."""


def _check_prolog(stream) -> None:
    """Refuse an XML part whose prolog declares a DTD or entities; read only up to the root element."""

    def declaration(*_args):
        raise _Declaration

    def root(*_args):
        raise _PrologEnd

    parser = expat.ParserCreate()
    parser.StartDoctypeDeclHandler = declaration
    parser.EntityDeclHandler = declaration
    parser.StartElementHandler = root
    read = 0
    try:
        while read < PROLOG_LIMIT:
            chunk = stream.read(4096)
            if not chunk:
                parser.Parse(b"", True)
                break
            read += len(chunk)
            parser.Parse(chunk, False)
    except _PrologEnd:
        return
    except _Declaration:
        raise WorkbookError(_("Tệp Excel chứa khai báo DTD/thực thể XML, điều mà Excel không bao giờ tạo ra; tệp bị từ "
                              "chối vì lý do an toàn. Hãy mở tệp bằng Excel, lưu lại rồi tải lên lại.")) from None
    except expat.ExpatError:
        raise _damaged() from None
    raise _damaged()


def _check_archive(raw: bytes, limits: Limits) -> None:
    too_big = WorkbookError(
        _("Tệp Excel quá lớn khi mở ra (hơn %(mb)s MB). Hãy chỉ giữ lại các trang tính theo tệp mẫu.")
        % {"mb": limits.max_inflated_bytes // (1024 * 1024)}
    )
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            infos = archive.infolist()
            names = {info.filename for info in infos}
            if "[Content_Types].xml" not in names or not any(n.startswith("xl/") for n in names):
                raise _not_xlsx()
            if len(infos) > limits.max_parts:
                raise too_big
            if any(info.flag_bits & 0x1 for info in infos):  # an encrypted part
                raise _not_xlsx()
            if sum(info.file_size for info in infos) > limits.max_inflated_bytes:
                raise too_big
            for info in infos:
                # zipfile never inflates a part past its declared size, so the declared sizes bound the
                # work; a part that lies about its size fails its CRC and reads as damaged.
                if info.file_size > RATIO_FLOOR and info.file_size > limits.max_ratio * max(info.compress_size, 1):
                    raise too_big
            for info in infos:
                if info.filename.endswith((".xml", ".rels")):
                    with archive.open(info) as part:
                        _check_prolog(part)
    except WorkbookError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, RuntimeError, EOFError) as exc:
        raise _not_xlsx() from exc
    except Exception as exc:  # noqa: BLE001  zlib and struct errors of a damaged archive
        logger.info("unreadable xlsx archive: %r", exc)
        raise _damaged() from exc


def _read_sheet(book, worksheet, limits: Limits, budget: list[int]) -> Sheet:
    # openpyxl's own iterators pad to the declared dimension (see the module docstring): read the
    # rows the XML actually holds with the parser those iterators use (openpyxl is pinned).
    from openpyxl.worksheet._reader import WorkSheetParser

    sheet = Sheet(title=worksheet.title)
    with worksheet._get_source() as source:
        parser = WorkSheetParser(
            source, worksheet._shared_strings, data_only=True, epoch=book.epoch,
            date_formats=book._date_formats, timedelta_formats=book._timedelta_formats,
        )
        for number, cells in parser.parse():
            budget[0] -= len(cells)
            if budget[0] < 0:
                raise WorkbookError(
                    _("Tệp Excel có quá nhiều ô (hơn %(n)s ô, kể cả ô trống đã định dạng). Hãy xóa các dòng, cột "
                      "thừa hoặc chia thành nhiều tệp.") % {"n": f"{limits.max_cells:,}".replace(",", ".")}
                )
            values = {cell["column"]: cell["value"] for cell in cells if cell["value"] not in (None, "")}
            if not values:
                continue
            last = max(values)
            if last > limits.max_columns:
                raise WorkbookError(
                    _("Trang tính “%(sheet)s” có dữ liệu ở ô %(cell)s, ngoài %(n)s cột được đọc. Hãy xóa dữ liệu "
                      "thừa ở các cột bên phải.")
                    % {"sheet": worksheet.title, "cell": f"{get_column_letter(last)}{number}", "n": limits.max_columns}
                )
            if len(sheet.rows) == limits.max_rows:
                raise TooManyRowsError(
                    _("Trang tính “%(sheet)s” có hơn %(n)s dòng dữ liệu (dòng thứ %(n1)s là dòng %(row)s của trang). "
                      "Hãy chia thành nhiều tệp hoặc xóa các dòng thừa.")
                    % {"sheet": worksheet.title, "n": limits.max_rows, "n1": limits.max_rows + 1, "row": number}
                )
            sheet.rows.append((number, tuple(values.get(column) for column in range(1, last + 1))))
    return sheet


def read_workbook(raw: bytes, *, limits: Limits | None = None, first_sheet_only: bool = False) -> SafeWorkbook:
    """Read an uploaded XLSX within ``limits``; raise ``WorkbookError`` with a Vietnamese message otherwise."""
    from openpyxl import load_workbook

    limits = limits or Limits()
    _check_archive(raw, limits)
    try:
        book = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001  a foreign or damaged package raises anything from KeyError to lxml's
        logger.info("xlsx refused by openpyxl: %r", exc)
        # ElementTree's ParseError is a SyntaxError: a part cut off or malformed, in a real package.
        raise (_damaged() if isinstance(exc, SyntaxError | expat.ExpatError) else _not_xlsx()) from exc
    budget = [limits.max_cells]
    sheets: list[Sheet] = []
    try:
        for worksheet in book.worksheets[:1] if first_sheet_only else book.worksheets:
            try:
                sheets.append(_read_sheet(book, worksheet, limits, budget))
            except WorkbookError:
                raise
            except Exception as exc:  # noqa: BLE001  a cut-off or malformed sheet: ParseError, zlib, CRC...
                logger.info("xlsx sheet %r unreadable: %r", worksheet.title, exc)
                raise _damaged(worksheet.title) from exc
    finally:
        book.close()
    return SafeWorkbook(sheets)


# --------------------------------------------------------------------------------------------
# Writing

# What a spreadsheet program reads as the start of a formula (or of a DDE call in old versions).
FORMULA_LEAD = ("=", "+", "-", "@", "\t", "\r")


def keep_as_text(cell) -> None:
    """Make a text cell that looks like a formula a plain string cell, shown exactly as typed."""
    value = cell.value
    if isinstance(value, str) and value.startswith(FORMULA_LEAD):
        cell.data_type = "s"
        # Excel's own mark for "typed with a leading apostrophe": editing the cell keeps it text.
        cell.quotePrefix = True


def text_cell(worksheet, value, style: str | None = None) -> WriteOnlyCell:
    """A cell for a write-only sheet, with ``style`` (a named style) and formula-like text kept as text."""
    cell = WriteOnlyCell(worksheet, value=value)
    if style:
        cell.style = style
    keep_as_text(cell)
    return cell


def workbook_bytes(workbook) -> bytes:
    """Save a workbook to bytes; in a normal (not write-only) workbook every cell passes ``keep_as_text``."""
    if not getattr(workbook, "write_only", False):
        for worksheet in workbook.worksheets:
            for cell in list(worksheet._cells.values()):
                keep_as_text(cell)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
