"""Import of schools from Excel: all rows valid or nothing saved; re-import updates by code."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from schools import importers
from schools.models import School

HEADERS = [c.header for c in importers.COLUMNS]


def workbook(*rows, headers=HEADERS) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(headers)
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def row(code="A-TH-09", name="Trường Tiểu học Thử", level="Tiểu học", **extra):
    values = {"code": code, "name": name, "level": level, **extra}
    return [values.get(c.key, "") for c in importers.COLUMNS]


def run_import(user, content, district):
    return importers.import_schools(by=user, content=content, units=[district])


def test_template_has_every_column_and_reads_back(reviewer):
    wb = load_workbook(io.BytesIO(importers.template_workbook()))
    assert [c.value for c in wb.active[1]] == HEADERS
    assert wb.active.freeze_panes == "A2"


def test_valid_file_creates_schools(reviewer, district):
    content = workbook(
        row(), row(code="A-MN-09", name="Trường Mầm non Thử", level="mầm non", founding_year=1999,
                   is_difficult_area="có", ownership="Tư thục")
    )
    result = run_import(reviewer, content, district)
    assert result.ok, result.errors
    assert (result.created, result.updated) == (2, 0)
    mn = School.objects.get(code="A-MN-09")
    assert (mn.level, mn.founding_year, mn.is_difficult_area, mn.ownership) == ("mn", 1999, True, "private")
    assert mn.reviewing_unit == district


def test_reimport_updates_by_code_and_never_duplicates(reviewer, district):
    run_import(reviewer, workbook(row()), district)
    result = run_import(reviewer, workbook(row(name="Trường Tiểu học Đổi Tên", principal_name="Lê Văn A")), district)
    assert result.ok and (result.created, result.updated) == (0, 1)
    assert School.objects.filter(code="A-TH-09").count() == 1
    school = School.objects.get(code="A-TH-09")
    assert (school.name, school.principal_name) == ("Trường Tiểu học Đổi Tên", "Lê Văn A")


@pytest.mark.parametrize(
    "bad_row, column, words",
    [
        (row(code=""), "Mã trường", "không được để trống"),
        (row(name=""), "Tên trường", "không được để trống"),
        (row(level="Đại học"), "Cấp học", "không hợp lệ"),
        (row(founding_year="năm ngoái"), "Năm thành lập", "số năm"),
        (row(founding_year=1500), "Năm thành lập", "số năm"),
        (row(sites_count=-2), "Số điểm trường", "từ 1 trở lên"),
        (row(is_difficult_area="có lẽ"), "Vùng khó khăn (có/không)", "có"),
        (row(ownership="quốc tế"), "Loại hình", "không hợp lệ"),
        (row(email="khong-phai-email"), "Email", "email"),
        (row(reviewing_unit="pgd-khong-co"), "Mã đơn vị quản lý", "Không có đơn vị"),
        (row(code="X" * 31), "Mã trường", "30 ký tự"),
    ],
)
def test_each_kind_of_bad_row_is_reported_and_nothing_is_saved(reviewer, district, bad_row, column, words):
    result = run_import(reviewer, workbook(row(code="A-TH-10"), bad_row), district)
    assert not result.ok
    assert School.objects.filter(code="A-TH-10").count() == 0, "a valid row was saved beside a bad one"
    assert any(e.row == 3 and e.column == column and words.lower() in e.message.lower() for e in result.errors), [
        (e.row, e.column, e.message) for e in result.errors
    ]


def test_duplicate_codes_within_the_file_are_reported(reviewer, district):
    result = run_import(reviewer, workbook(row(), row()), district)
    assert not result.ok
    assert result.errors[0].row == 3 and "trùng" in result.errors[0].message
    assert not School.objects.filter(code="A-TH-09").exists()


def test_a_code_of_another_district_cannot_be_taken_over(reviewer, district, school_c):
    result = run_import(reviewer, workbook(row(code=school_c.code)), district)
    assert not result.ok
    assert "đơn vị khác" in result.errors[0].message
    school_c.refresh_from_db()
    assert school_c.name == "Trường THCS C"


def test_a_file_that_is_not_excel_is_refused_clearly(reviewer, district):
    result = run_import(reviewer, b"%PDF-1.4 not a spreadsheet", district)
    assert not result.ok
    assert "không phải là tệp Excel" in result.errors[0].message


def test_missing_required_columns_are_named(reviewer, district):
    result = run_import(reviewer, workbook(["x"], headers=["Tên trường"]), district)
    assert not result.ok
    assert "Mã trường" in result.errors[0].column


def test_import_page_shows_row_errors_in_vietnamese(client, reviewer, district):
    client.force_login(reviewer)
    upload = SimpleUploadedFile("truong.xlsx", workbook(row(level="??")))
    response = client.post(reverse("schools:school_import"), {"file": upload})
    assert response.status_code == 200
    html = response.content.decode()
    assert "chưa có dữ liệu nào được lưu" in html
    assert "Cấp học không hợp lệ" in html


def test_import_page_redirects_with_counts_on_success(client, reviewer, district):
    client.force_login(reviewer)
    upload = SimpleUploadedFile("truong.xlsx", workbook(row()))
    response = client.post(reverse("schools:school_import"), {"file": upload}, follow=True)
    assert "1 trường mới" in response.content.decode()
    assert School.objects.filter(code="A-TH-09", reviewing_unit=district).exists()


def test_a_principal_cannot_import(client, principal_a):
    client.force_login(principal_a)
    upload = SimpleUploadedFile("truong.xlsx", workbook(row()))
    assert client.post(reverse("schools:school_import"), {"file": upload}).status_code == 403
    assert not School.objects.filter(code="A-TH-09").exists()
