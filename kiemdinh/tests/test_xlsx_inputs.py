"""Issue 13 finding 5: every XLSX read is bounded by the data present, fails fast and never 500s.

The hostile files are written part by part (``hostile_xlsx``) and replayed through the reader and
through the real upload pages: the school import and the catalog import.
"""

from __future__ import annotations

import io
import time
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kiemdinh import xlsxsafe
from kiemdinh.tests import hostile_xlsx
from schools import importers as school_importers
from schools.models import School
from standards.importers import parse_xlsx

SCHOOL_HEADER = [c.header for c in school_importers.COLUMNS[:3]]
CATALOG_HEADER = ["key", "Thông tin", "Giá trị"]


# Bounds on this process's CPU time (not the wall clock): the machine running the tests may be busy.


def _read(raw: bytes, **kwargs) -> str:
    """The message of the refusal, after checking that it came fast."""
    started = time.process_time()
    with pytest.raises(xlsxsafe.WorkbookError) as caught:
        xlsxsafe.read_workbook(raw, **kwargs)
    assert time.process_time() - started < 0.5
    return str(caught.value)


def test_a_declared_dimension_of_the_whole_grid_is_not_trusted():
    # One cell at XFD1048576: refused at once (the column is far past any import's columns).
    raw = hostile_xlsx.huge_dimension(SCHOOL_HEADER)
    assert "XFD1048576" in _read(raw)


def test_a_value_in_the_last_row_is_read_as_one_row_without_the_empty_million_before_it():
    started = time.process_time()
    book = xlsxsafe.read_workbook(hostile_xlsx.last_row_only(SCHOOL_HEADER))
    assert time.process_time() - started < 0.5
    assert book.sheets[0].rows == [(1, tuple(SCHOOL_HEADER)), (1048576, ("x",))]


def test_a_cut_off_sheet_is_named_in_vietnamese():
    assert "bị hỏng" in _read(hostile_xlsx.truncated_sheet(SCHOOL_HEADER))


def test_a_cut_off_sheet_with_its_dimension_fails_while_its_rows_are_read():
    xml = hostile_xlsx.sheet_xml([(n, [(f"A{n}", f"dòng {n}")]) for n in range(1, 200)], dimension="A1:A199")
    message = _read(hostile_xlsx.package({"Danh sách": xml[: len(xml) // 2]}))
    assert "bị hỏng" in message and "Danh sách" in message


@pytest.mark.parametrize("builder", [hostile_xlsx.external_entity, hostile_xlsx.billion_laughs])
def test_dtds_and_entities_are_refused_before_any_parser_expands_them(builder):
    message = _read(builder(SCHOOL_HEADER))
    assert "DTD" in message and "/etc/passwd" not in message


def test_openpyxl_itself_refuses_entities_too():
    # Defence in depth: with defusedxml installed openpyxl parses sheets with it.
    from openpyxl.xml import DEFUSEDXML

    assert DEFUSEDXML is True


def test_not_a_zip_and_a_zip_without_a_workbook_are_refused():
    assert "không phải là tệp Excel" in _read(b"Ma truong,Ten truong\nA,B\n")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hello")
    assert "không phải là tệp Excel" in _read(buffer.getvalue())


def test_a_zip_bomb_is_refused_from_its_declared_sizes():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", hostile_xlsx.CONTENT_TYPES.format(sheets=""))
        archive.writestr("xl/padding.bin", b"\0" * (30 * 1024 * 1024))
    assert len(buffer.getvalue()) < 100 * 1024
    assert "quá lớn khi mở ra" in _read(buffer.getvalue())


def test_rows_and_columns_are_bounded_by_the_values_present():
    rows = [(n, [(f"A{n}", str(n))]) for n in range(1, 12)]
    raw = hostile_xlsx.package({"Trang1": hostile_xlsx.sheet_xml(rows, dimension="A1:XFD1048576")})
    assert len(xlsxsafe.read_workbook(raw).sheets[0].rows) == 11
    with pytest.raises(xlsxsafe.TooManyRowsError):
        xlsxsafe.read_workbook(raw, limits=xlsxsafe.Limits(max_rows=10))
    wide = hostile_xlsx.package({"Trang1": hostile_xlsx.sheet_xml([(1, [("A1", "a"), ("K1", "k")])])})
    assert "K1" in _read(wide, limits=xlsxsafe.Limits(max_columns=10))


def test_empty_formatted_cells_count_against_the_cell_budget():
    rows = "".join(f'<row r="{n}"><c r="A{n}" s="0"/><c r="B{n}" s="0"/></row>' for n in range(1, 2001))
    xml = hostile_xlsx.sheet_xml([]).replace("<sheetData></sheetData>", f"<sheetData>{rows}</sheetData>")
    raw = hostile_xlsx.package({"Trang1": xml})
    assert xlsxsafe.read_workbook(raw).sheets[0].rows == []
    assert "quá nhiều ô" in _read(raw, limits=xlsxsafe.Limits(max_cells=1000))


ATTACKS = {
    "huge_dimension": hostile_xlsx.huge_dimension,
    "truncated_sheet": hostile_xlsx.truncated_sheet,
    "external_entity": hostile_xlsx.external_entity,
    "billion_laughs": hostile_xlsx.billion_laughs,
}


@pytest.mark.parametrize("attack", ATTACKS)
def test_school_import_page_answers_each_attack_in_vietnamese_and_saves_nothing(client, reviewer, district, attack):
    client.force_login(reviewer)
    before = School.objects.count()
    client.get(reverse("schools:school_import"))  # warm the page up: the bound below is the file's
    started = time.process_time()
    response = client.post(reverse("schools:school_import"), {
        "file": SimpleUploadedFile("truong.xlsx", ATTACKS[attack](SCHOOL_HEADER)),
    })
    assert time.process_time() - started < 2.0  # it was a minute, then a 500
    assert response.status_code == 200
    html = response.content.decode()
    assert "chưa có dữ liệu nào được lưu" in html
    assert any(words in html for words in ("XFD1048576", "bị hỏng", "DTD"))
    assert School.objects.count() == before


def test_school_import_of_a_value_in_the_last_row_reports_that_row(client, reviewer, district):
    client.force_login(reviewer)
    header = [c.header for c in school_importers.COLUMNS]
    response = client.post(reverse("schools:school_import"), {
        "file": SimpleUploadedFile("truong.xlsx", hostile_xlsx.last_row_only(header)),
    })
    assert response.status_code == 200
    assert "1048576" in response.content.decode()
    assert not School.objects.filter(code="x").exists()


@pytest.mark.parametrize("attack", ATTACKS)
def test_catalog_parser_answers_each_attack_with_an_issue(attack):
    data, _locations, issues = parse_xlsx(ATTACKS[attack](CATALOG_HEADER))
    assert data is None and len(issues) == 1
    assert any(words in issues[0].message for words in ("XFD1048576", "bị hỏng", "DTD"))


@pytest.mark.parametrize("attack", ATTACKS)
def test_catalog_import_page_answers_each_attack_in_vietnamese_and_saves_nothing(client, sysadmin, attack):
    from standards.models import CatalogImport, Regulation

    client.force_login(sysadmin)
    client.get(reverse("standards:catalog_import"))
    started = time.process_time()
    response = client.post(reverse("standards:catalog_import"), {
        "file": SimpleUploadedFile("bo-tieu-chuan.xlsx", ATTACKS[attack](CATALOG_HEADER)),
    })
    assert time.process_time() - started < 2.0  # it was a minute, then a 500
    # The catalog page answers a refused file with its form and the list of problems (status 400).
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="import-errors"' in html
    assert any(words in html for words in ("XFD1048576", "bị hỏng", "DTD"))
    assert not CatalogImport.objects.exists() and not Regulation.objects.exists()
