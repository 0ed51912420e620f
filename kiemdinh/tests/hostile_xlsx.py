"""Hostile XLSX files, written part by part (no spreadsheet program would save them).

Each builder returns the bytes of a zip holding a minimal OOXML package whose first sheet is
named ``Trang1`` (or the names given), with the sheet XML under the attacker's control.
"""

from __future__ import annotations

import io
import zipfile
from xml.sax.saxutils import escape

CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>
{sheets}
</Types>"""
SHEET_TYPE = ('<Override PartName="/xl/worksheets/sheet{n}.xml" '
              'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>')
ROOT_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>
</Relationships>"""
WORKBOOK = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">
<sheets>{sheets}</sheets>
</workbook>"""
WORKBOOK_SHEET = '<sheet name="{name}" sheetId="{n}" r:id="rId{n}"/>'
WORKBOOK_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
{rels}
</Relationships>"""
WORKBOOK_REL = ('<Relationship Id="rId{n}" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                'relationships/worksheet" Target="worksheets/sheet{n}.xml"/>')
SHEET_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def package(sheets: dict[str, str]) -> bytes:
    """A zip of the parts of a workbook whose sheets (name -> sheet XML) are given in order."""
    numbered = list(enumerate(sheets.items(), start=1))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES.format(
            sheets="".join(SHEET_TYPE.format(n=n) for n, _ in numbered)))
        archive.writestr("_rels/.rels", ROOT_RELS)
        archive.writestr("xl/workbook.xml", WORKBOOK.format(
            sheets="".join(WORKBOOK_SHEET.format(name=escape(name, {'"': "&quot;"}), n=n) for n, (name, _) in numbered)))
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS.format(
            rels="".join(WORKBOOK_REL.format(n=n) for n, _ in numbered)))
        for n, (_name, xml) in numbered:
            archive.writestr(f"xl/worksheets/sheet{n}.xml", xml)
    return buffer.getvalue()


def cell(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{escape(text)}</t></is></c>'


def sheet_xml(rows: list[tuple[int, list[tuple[str, str]]]], *, dimension: str = "", prolog: str = "") -> str:
    """Sheet XML with the given rows: (row number, [(cell ref, text), ...])."""
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    body = "".join(f'<row r="{n}">' + "".join(cell(ref, text) for ref, text in cells) + "</row>" for n, cells in rows)
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n{prolog}'
            f'<worksheet xmlns="{SHEET_NS}">{dim}<sheetData>{body}</sheetData></worksheet>')


def huge_dimension(header: list[str] | None = None) -> bytes:
    """Declares A1:XFD1048576 and holds one cell in the very last row (and last column)."""
    rows = []
    if header:
        rows.append((1, [(f"{chr(65 + i)}1", h) for i, h in enumerate(header)]))
    rows.append((1048576, [("XFD1048576", "x")]))
    return package({"Trang1": sheet_xml(rows, dimension="A1:XFD1048576")})


def last_row_only(header: list[str]) -> bytes:
    """A header, then one value in the last row of the sheet (column A): a row far below, not a wide one."""
    rows = [(1, [(f"{chr(65 + i)}1", h) for i, h in enumerate(header)]), (1048576, [("A1048576", "x")])]
    return package({"Trang1": sheet_xml(rows, dimension="A1:XFD1048576")})


def truncated_sheet(header: list[str]) -> bytes:
    """The sheet XML stops in the middle of a row (the zip itself is sound)."""
    rows = [(1, [(f"{chr(65 + i)}1", h) for i, h in enumerate(header)])]
    rows += [(n, [(f"A{n}", f"DDA-TH-{n:03d}"), (f"B{n}", "Trường")]) for n in range(2, 40)]
    xml = sheet_xml(rows)
    return package({"Trang1": xml[: len(xml) * 2 // 3]})


def external_entity(header: list[str]) -> bytes:
    """A DOCTYPE declaring an external entity (the file's name read from the server's disk) used in a cell."""
    prolog = '<!DOCTYPE worksheet [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
    rows = [(1, [(f"{chr(65 + i)}1", h) for i, h in enumerate(header)])]
    xml = sheet_xml(rows, prolog=prolog).replace("</sheetData>", '<row r="2"><c r="A2" t="inlineStr"><is><t>&xxe;</t>'
                                                               "</is></c></row></sheetData>")
    return package({"Trang1": xml})


def billion_laughs(header: list[str]) -> bytes:
    """Nested entities: ten levels of ten copies inflating to 10^9 "lol" if the parser expanded them."""
    entities = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10}">' for i in range(1, 10)
    ]
    prolog = "<!DOCTYPE worksheet [" + "".join(entities) + "]>\n"
    rows = [(1, [(f"{chr(65 + i)}1", h) for i, h in enumerate(header)])]
    xml = sheet_xml(rows, prolog=prolog).replace("</sheetData>", '<row r="2"><c r="A2" t="inlineStr"><is><t>&lol9;</t>'
                                                               "</is></c></row></sheetData>")
    return package({"Trang1": xml})
