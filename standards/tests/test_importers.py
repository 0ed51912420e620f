"""Reading uploaded catalogs: validation located per field or row, XLSX round trip, XLSX corrections."""

import copy
import io

import pytest
from openpyxl import load_workbook

from standards.exporters import CatalogXlsxExporter, catalog_dict
from standards.importers import SHEET_INDICATORS, SHEET_META, parse_json, parse_xlsx, validate_catalog
from standards.models import Regulation
from standards.services import catalog_read

from .conftest import catalog_data


def errors_of(data):
    _spec, errors, _warnings = validate_catalog(data)
    return [(e.path, e.where, e.message) for e in errors]


def test_every_bundled_catalog_is_valid():
    for code in ("TT17/2018", "TT18/2018", "TT19/2018", "TT42/2012-TH", "TT42/2012-TrH", "TT25/2014"):
        spec, errors, _warnings = validate_catalog(catalog_data(code))
        assert not errors and spec.code == code


def test_the_2018_counts_stated_in_the_catalog_are_checked():
    data = catalog_data("TT18/2018")
    del data["standards"][0]["criteria"][0]["levels"]["1"][0]
    _spec, _errors, warnings = validate_catalog(data)
    assert any(w.path == "counts.indicators_level_1" for w in warnings)


def test_legacy_catalog_is_marked_incomplete():
    spec, _errors, warnings = validate_catalog(catalog_data("TT42/2012-TH"))
    assert (spec.complete, spec.expected_criteria, spec.family) == (False, 28, "legacy")
    assert any("chưa đủ tiêu chí" in w.message for w in warnings)


@pytest.mark.parametrize(
    ("mutate", "path"),
    [
        (lambda d: d.pop("code"), "code"),
        (lambda d: d.update(effective="10/10/2018"), "effective"),
        (lambda d: d.update(school_levels=["university"]), "school_levels"),
        (lambda d: d["catalog"].update(family="2030"), "catalog.family"),
        (lambda d: d["catalog"].update(status="old"), "catalog.status"),
        (lambda d: d["standards"][1].update(number=1), "standards[1].number"),
        (lambda d: d["standards"][0]["criteria"][1].update(number="1.1"), "standards[0].criteria[1].number"),
        (lambda d: d["standards"][0]["criteria"][0]["levels"].update({"4": []}), "standards[0].criteria[0].levels.4"),
        (lambda d: d["standards"][0]["criteria"][0]["levels"]["1"][1].update(key="a"),
         "standards[0].criteria[0].levels.1[1].key"),
        (lambda d: d["standards"][0]["criteria"][0]["levels"]["1"][0].update(text=5),
         "standards[0].criteria[0].levels.1[0].text"),
        (lambda d: d["standards"][0]["criteria"][4]["amendments"][0].update(by="99/2030/TT-BGDĐT"),
         "standards[0].criteria[4].amendments[0].by"),
        (lambda d: d["level4_requirements"][1].update(number=1), "level4_requirements[1].number"),
        (lambda d: d["rules"]["accreditation_levels"]["1"]["structured"].update(min_completed_cohorts="một"),
         "rules.accreditation_levels.1.structured.min_completed_cohorts"),
    ],
)
def test_each_error_names_its_field(mutate, path):
    data = catalog_data("TT18/2018")
    mutate(data)
    errors = errors_of(data)
    assert path in [p for p, _where, _message in errors], errors


def test_an_error_also_says_where_in_words():
    data = catalog_data("TT18/2018")
    data["standards"][0]["criteria"][0]["levels"]["1"][1]["key"] = "a"
    assert ("standards[0].criteria[0].levels.1[1].key", "Tiêu chí 1.1 – Mức 1 – chỉ báo a",
            "Chỉ báo bị trùng ký hiệu trong cùng mức.") in errors_of(data)


def test_a_catalog_without_the_catalog_key_is_inferred_and_kept_as_draft():
    data = catalog_data("TT42/2012-TH")
    del data["catalog"]
    spec, errors, _warnings = validate_catalog(data)
    assert not errors
    assert (spec.family, spec.status, spec.verification_status) == ("legacy", "draft", "unverified")


def test_broken_json_reports_line_and_column():
    data, issues = parse_json(b'{"code": "X",\n "title": }')
    assert data is None and issues[0].message == "Tệp JSON không hợp lệ ở dòng 2, cột 11."


def test_a_non_object_is_refused():
    assert errors_of([1, 2])[0][0] == ""


def xlsx_of(data) -> bytes:
    return CatalogXlsxExporter(data).render()[2]


def test_blank_template_has_every_sheet_with_headers():
    book = load_workbook(io.BytesIO(xlsx_of(None)))
    assert {SHEET_META, SHEET_INDICATORS, "Mức 4", "Sửa đổi", "Quy tắc", "Hướng dẫn"} <= set(book.sheetnames)
    assert book[SHEET_INDICATORS]["I1"].value == "Nội dung chỉ báo"


@pytest.mark.parametrize("code", ["TT18/2018", "TT42/2012-TH", "TT25/2014"])
def test_an_exported_xlsx_reads_back_to_the_same_texts(code):
    original = catalog_data(code)
    data, _locations, issues = parse_xlsx(xlsx_of(original))
    assert not issues
    spec, errors, _warnings = validate_catalog(data)
    assert not errors
    expected, _e, _w = validate_catalog(original)
    assert [(c.number, c.title, [(i.level, i.key, i.text, i.unlettered) for i in c.indicators]) for c in spec.criteria()] == [
        (c.number, c.title, [(i.level, i.key, i.text, i.unlettered) for i in c.indicators]) for c in expected.criteria()
    ]
    assert [r.text for r in spec.level4] == [r.text for r in expected.level4]
    assert [(a.number, a.effective) for a in spec.amendments] == [(a.number, a.effective) for a in expected.amendments]


def test_reimporting_an_unchanged_xlsx_over_its_catalog_changes_nothing(tt18):
    from standards.diff import catalog_diff

    current = catalog_dict(tt18)
    data, spec, errors, _warnings = catalog_read(content=xlsx_of(current), file_name="tt18.xlsx")
    assert not errors
    assert data == current  # notes, sources and verbatim rules are kept from the catalog
    old, _e, _w = validate_catalog(current)
    assert catalog_diff(old, spec).changes == []


def test_an_xlsx_correction_changes_only_that_text(tt18):
    from standards.diff import catalog_diff

    current = catalog_dict(tt18)
    book = load_workbook(io.BytesIO(xlsx_of(current)))
    sheet = book[SHEET_INDICATORS]
    sheet["I2"] = "Phù hợp với mục tiêu giáo dục (đã đối chiếu)."
    buffer = io.BytesIO()
    book.save(buffer)
    _data, spec, errors, _warnings = catalog_read(content=buffer.getvalue(), file_name="tt18.xlsx")
    assert not errors
    old, _e, _w = validate_catalog(current)
    changes = catalog_diff(old, spec).changes
    assert [(c.scope, c.ref, c.field) for c in changes] == [("indicator", ("1.1", 1, "a"), "text")]


def test_xlsx_errors_name_the_sheet_and_row():
    book = load_workbook(io.BytesIO(xlsx_of(catalog_data("TT18/2018"))))
    sheet = book[SHEET_INDICATORS]
    sheet["F5"] = "7"  # level 7
    sheet["G9"] = None  # key missing while the level is given
    buffer = io.BytesIO()
    book.save(buffer)
    data, locations, issues = parse_xlsx(buffer.getvalue())
    assert ("Chỉ báo, dòng 9", "Thiếu ký hiệu chỉ báo.") in [(i.row, i.message) for i in issues]
    from standards.importers import locator

    data = copy.deepcopy(data)
    _spec, errors, _warnings = validate_catalog(data, locate=locator(locations))
    assert any(e.row == "Chỉ báo, dòng 5" for e in errors), errors


def test_a_file_that_is_not_a_workbook_is_refused():
    _data, _locations, issues = parse_xlsx(b"not a zip")
    assert issues and "không phải là tệp Excel" in issues[0].message


def test_xlsx_without_the_indicator_sheet_is_refused():
    from openpyxl import Workbook

    book = Workbook()
    book.active.title = SHEET_META
    buffer = io.BytesIO()
    book.save(buffer)
    _data, _locations, issues = parse_xlsx(buffer.getvalue())
    assert "Chỉ báo" in issues[0].message


def test_xlsx_rules_sheet_carries_the_legacy_thresholds():
    data, _locations, issues = parse_xlsx(xlsx_of(catalog_data("TT42/2012-TH")))
    assert not issues
    structured = data["rules"]["accreditation_levels"]["2"]["structured"]
    assert (structured["min_share_criteria_met"], structured["max_share_exclusive"]) == (0.7, 0.85)
    assert len(structured["required_criteria"]) == 15
    assert data["rules"]["accreditation_levels"]["3"]["structured"]["required_criteria"] is None


def test_new_regulation_from_xlsx_with_two_levels(db):
    """A newer regulation (2 levels, own evidence codes) is loaded from the template, no code involved."""
    from openpyxl import Workbook

    from standards.exporters import CatalogXlsxExporter as Exporter

    book = load_workbook(io.BytesIO(Exporter(None).render()[2]))
    meta = book[SHEET_META]
    values = {"code": "TT57/2026", "title": "Quy định về bảo đảm chất lượng giáo dục", "family": "2018",
              "status": "draft", "evidence_code_scheme": "MC.a.b.nn", "school_levels": "th, thcs",
              "effective": "01/09/2026"}
    for row in meta.iter_rows(min_row=2):
        if row[0].value in values:
            row[2].value = values[row[0].value]
    sheet = book[SHEET_INDICATORS]
    sheet.append([1, "Tổ chức", "1.1", "Tiêu chí một", None, 1, "a", None, "Nội dung a", None])
    sheet.append([1, None, "1.1", None, None, 2, "a", "x", "Nội dung mức 2", None])
    buffer = io.BytesIO()
    book.save(buffer)
    assert isinstance(book, Workbook)
    _data, spec, errors, _warnings = catalog_read(content=buffer.getvalue(), file_name="tt57.xlsx")
    assert not errors, errors
    assert (spec.level_count, spec.evidence_code_scheme, spec.school_levels) == (2, "MC.a.b.nn", ["th", "thcs"])
    assert str(spec.effective) == "2026-09-01"
    assert not Regulation.objects.exists()
