"""The library of a school that moved to TT57: the MC list with its five columns, the switch back to
the 2018 codes, the Excel list, and an autocomplete limited to the report's regulation."""

from __future__ import annotations

import io
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from evidence import carryover, services
from evidence.exporters_tt57 import COLUMNS
from evidence.models import Evidence
from evidence.tests.test_carryover import _criterion, _rows, catalogs, library, version_pt  # noqa: F401

TT57_HEADERS = ["TT", "Mã minh chứng", "Tên minh chứng", "Định dạng, vị trí lưu trữ hoặc đường dẫn điện tử", "Ghi chú"]


@pytest.fixture
def carried(library, school_a, principal_a, version_pt):  # noqa: F811
    carryover.carry_overs_propose(school=school_a, version=version_pt, by=principal_a)
    rows = _rows(school_a, version_pt.regulation)
    carryover.carry_overs_confirm(
        school=school_a, regulation=version_pt.regulation, ids=[r.pk for r in rows.values()], by=principal_a
    )
    return version_pt.regulation


def test_the_official_columns_of_phu_luc_iv():
    assert [title for title, _width in COLUMNS] == TT57_HEADERS


def test_library_shows_the_tt57_list_first_with_its_five_columns(client, school_a, principal_a, carried):
    client.force_login(principal_a)
    response = client.get(reverse("evidence:evidence_list", kwargs={"school_pk": school_a.pk}))
    html = response.content.decode()
    assert response.status_code == 200
    for header in TT57_HEADERS:
        assert f">{header}</th>" in html
    assert "MC.1.1.01" in html and "H1-1.1-01" in html  # the MC item, and the code it came from
    assert "Chuyển từ mã H1-1.1-01" in html
    assert "ngoặc tròn" in html
    assert "Nơi ban hành hoặc nhóm, cá nhân thực hiện" not in html
    # Both regulations can be chosen.
    assert "TT18/2018" in html and carried.code in html


def test_library_switches_back_to_the_2018_codes(client, school_a, principal_a, carried, catalogs):  # noqa: F811
    client.force_login(principal_a)
    tt18 = catalogs[0]
    response = client.get(reverse("evidence:evidence_list", kwargs={"school_pk": school_a.pk}) + f"?regulation={tt18.pk}")
    html = response.content.decode()
    assert "H1-1.1-01" in html and "MC.1.1.01" not in html
    assert "Nơi ban hành hoặc nhóm, cá nhân thực hiện" in html


def test_tt57_library_query_count_does_not_grow(client, school_a, principal_a, carried, catalogs):  # noqa: F811
    client.force_login(principal_a)
    url = reverse("evidence:evidence_list", kwargs={"school_pk": school_a.pk}) + f"?regulation={carried.pk}"
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for n in range(6):
        item = services.evidence_create(school=school_a, criterion=_criterion(catalogs[0], "5.1"), by=principal_a,
                                        name=f"Kế hoạch giáo dục {n}")
    carryover.carry_overs_propose(school=school_a, version=carried.versions.get(), by=principal_a)
    ids = [r.pk for r in _rows(school_a, carried).values() if r.status == "proposed"]
    carryover.carry_overs_confirm(school=school_a, regulation=carried, ids=ids, by=principal_a)
    services.evidence_share(evidence=Evidence.objects.get(school=school_a, carried_from__source=item),
                            criterion=_criterion(carried, "1.1"), by=principal_a)
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many.captured_queries) == len(few.captured_queries)


def test_excel_list_of_a_tt57_school_has_the_five_columns(client, school_a, principal_a, carried):
    client.force_login(principal_a)
    response = client.get(reverse("evidence:evidence_export", kwargs={"school_pk": school_a.pk}) + f"?regulation={carried.pk}")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [c.value for c in sheet[4]] == TT57_HEADERS
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=5)]
    data = [r for r in rows if isinstance(r[0], int)]
    assert [r[1] for r in data] == ["MC.1.1.01", "MC.2.2.01", "MC.2.2.02", "MC.4.1.01"]
    assert [r[0] for r in data] == [1, 2, 3, 4]
    strategy = data[0]
    assert strategy[2] == "Kế hoạch chiến lược phát triển nhà trường 2020-2025"
    assert strategy[3].startswith("PDF: ") and "Bản giấy: hộp 1" in strategy[3]
    assert "Chuyển từ mã H1-1.1-01" in strategy[4]
    assert any(r[0] and str(r[0]).startswith("Tiêu chí 1.1") for r in rows)


def test_excel_list_without_a_regulation_is_the_2018_list(client, school_a, principal_a, carried):
    client.force_login(principal_a)
    response = client.get(reverse("evidence:evidence_export", kwargs={"school_pk": school_a.pk}))
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["A4"].value == "Số TT"


def test_search_for_a_tt57_report_offers_only_mc_codes(client, school_a, principal_a, carried):
    client.force_login(principal_a)
    url = reverse("evidence:evidence_search")
    everything = json.loads(client.get(url, {"school": school_a.pk, "q": "ke hoach"}).content)["results"]
    assert {r["code"] for r in everything} == {"H1-1.1-01", "MC.1.1.01"}
    tt57 = json.loads(client.get(url, {"school": school_a.pk, "q": "(MC.1", "regulation": carried.pk}).content)["results"]
    assert [r["code"] for r in tt57] == ["MC.1.1.01"]
    by_name = json.loads(client.get(url, {"school": school_a.pk, "q": "ke hoach", "regulation": carried.pk}).content)
    assert [r["code"] for r in by_name["results"]] == ["MC.1.1.01"]


def test_cite_attrs_give_the_round_form_for_a_tt57_report(school_a, carried, catalogs):  # noqa: F811
    from django.template import Context, Template

    class FakeReport:
        school_id = school_a.pk

        def __init__(self, version):
            self.regulation_version = version

    template = Template("{% load evidence_tags %}<textarea {% cite_attrs report %}></textarea>")
    tt57 = template.render(Context({"report": FakeReport(carried.versions.get())}))
    assert 'data-evidence-cite-style="round"' in tt57 and f"regulation={carried.pk}" in tt57
    old = template.render(Context({"report": FakeReport(catalogs[0].versions.first())}))
    assert 'data-evidence-cite-style="square"' in old


def test_detail_pages_link_the_old_and_the_new_code(client, school_a, principal_a, carried, library):  # noqa: F811
    client.force_login(principal_a)
    twin = Evidence.objects.get(school=school_a, code="MC.1.1.01")
    new_page = client.get(reverse("evidence:evidence_detail", kwargs={"pk": twin.pk})).content.decode()
    assert "Chuyển từ mã H1-1.1-01" in new_page
    old_page = client.get(reverse("evidence:evidence_detail", kwargs={"pk": library["strategy"].pk})).content.decode()
    assert "MC.1.1.01" in old_page and reverse("evidence:evidence_detail", kwargs={"pk": twin.pk}) in old_page


def test_a_name_typed_like_a_formula_stays_text_in_the_tt57_list(school_a, principal_a, carried, catalogs):  # noqa: F811
    from evidence.exporters_tt57 import Tt57EvidenceListExporter

    item = Evidence.objects.get(school=school_a, code="MC.2.2.01")
    Evidence.objects.filter(pk=item.pk).update(name='=HYPERLINK("http://x","Mở")')
    _name, _type, content = Tt57EvidenceListExporter(
        school_a, carried, Evidence.objects.filter(pk=item.pk).select_related("criterion")
    ).render()
    cells = [c for row in load_workbook(io.BytesIO(content)).active.iter_rows() for c in row
             if c.value == '=HYPERLINK("http://x","Mở")']
    assert cells and all(c.data_type == "s" for c in cells)
