"""Hostile uploads: files whose name lies about their content, empty files, zip bombs, workbooks
with one bad row among good ones."""

from __future__ import annotations

import functools
import io
import json
import zipfile

from hypothesis import strategies as st

EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48 + b"This program cannot be run in DOS mode."
HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'
CSV = "Mã trường,Tên trường,Cấp học\nA-TH-09,Trường Tiểu học Thử,Tiểu học\n".encode()
PDF_HEADER_ONLY = b"%PDF-"  # a prefix that passes a naive magic check and nothing more
RANDOM_ZIP_NAMES = ["a.txt", "../../evil.sh", "C:\\Windows\\x.dll"]

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    f'<Override PartName="/xl/workbook.xml" ContentType="{XLSX_TYPE}"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    "</Types>"
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="xl/workbook.xml"/></Relationships>'
)
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
    '<sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
    'Target="worksheets/sheet1.xml"/></Relationships>'
)


@functools.cache
def zip_bomb_xlsx(*, inflated_mb: int = 100) -> bytes:
    """A well-formed XLSX whose only sheet inflates to ``inflated_mb`` MB of blank rows (~0.2 MB
    compressed): a reader that inflates it whole, or walks every row, hangs the worker."""
    head = '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    tail = "</sheetData></worksheet>"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _RELS)
        archive.writestr("xl/workbook.xml", _WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(head.encode())
            chunk = b" " * (1024 * 1024)
            for _ in range(inflated_mb):
                sheet.write(chunk)
            sheet.write(tail.encode())
    return buffer.getvalue()


def random_zip(names=RANDOM_ZIP_NAMES) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in names:
            archive.writestr(name, "x")
    return buffer.getvalue()


def truncated(content: bytes) -> bytes:
    return content[: max(1, len(content) // 2)]


def workbook(rows: list[list], *, headers: list[str] | None = None, title: str | None = None) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    if title:
        ws.title = title
    if headers is not None:
        ws.append(headers)
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def wrong_files(extension: str) -> st.SearchStrategy[tuple[str, bytes]]:
    """(name, content) pairs that must be refused when a ``.extension`` file is expected."""
    name = f"tai-lieu.{extension}"
    return st.one_of(
        st.just((name, EXE)),  # an .exe renamed
        st.just((name, HTML)),  # a web page renamed
        st.just((name, SVG)),
        st.just((name, b"")),  # empty
        st.just((name, CSV)),  # a CSV named .xlsx
        st.just((name, PDF_HEADER_ONLY)),
        st.just((name, random_zip())),
        st.just((name, json.dumps({"code": 1}).encode())),
        st.just((f"tai-lieu.exe.{extension}\u202e", EXE)),
        st.just(("\u202efdp.exe", EXE)),
        st.just(("../../../etc/passwd", b"root:x:0:0")),
        st.just(("a" * 300 + f".{extension}", HTML)),
        st.binary(max_size=2048).map(lambda b: (name, b)),
    )
