"""Catalog pages: the permission of every URL, constant queries, search, schedule, the import flow."""

import io
import json

import pytest
from django.conf import settings
from django.urls import reverse
from openpyxl import load_workbook

from standards.exporters import CatalogXlsxExporter, catalog_dict
from standards.importers import SHEET_INDICATORS
from standards.models import CatalogImport, Indicator, Regulation
from standards.services import DATA_DIR

from .conftest import FILES, upload

INVALID = "INVALID_TEMPLATE_VARIABLE"


pytestmark = pytest.mark.usefixtures("shared_catalogs")


def client_for(client, user):
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def pending_import(tt18, sysadmin):
    data = catalog_dict(tt18)
    data["title"] = data["title"] + " (đã sửa)"
    from standards.services import catalog_import_create

    catalog_import, errors = catalog_import_create(
        content=json.dumps(data, ensure_ascii=False).encode(), file_name="tt18.json", by=sysadmin
    )
    assert not errors
    return catalog_import


def urls(tt18, pending_import):
    return [
        ("get", reverse("standards:regulation_list"), "view"),
        ("get", reverse("standards:regulation_detail", args=[tt18.pk]), "view"),
        ("get", reverse("standards:regulation_export", args=[tt18.pk]), "view"),
        ("get", reverse("standards:regulation_schedule"), "view"),
        ("get", reverse("standards:catalog_import"), "manage"),
        ("get", reverse("standards:catalog_import_template"), "manage"),
        ("get", reverse("standards:catalog_import_confirm", args=[pending_import.pk]), "manage"),
        ("post", reverse("standards:catalog_import_discard", args=[pending_import.pk]), "manage"),
    ]


@pytest.mark.parametrize("persona", [None, "principal_a", "reviewer", "officer", "sysadmin"])
def test_permission_matrix_of_every_url(client, personas, tt18, pending_import, persona):
    from standards import urls as standards_urls

    matrix = urls(tt18, pending_import)
    assert len(matrix) == len(standards_urls.urlpatterns), "a URL is missing from the permission matrix"
    user = personas[persona] if persona else None
    client = client_for(client, user)
    for method, url, rule in matrix:
        response = getattr(client, method)(url)
        if user is None:
            expected = 302
        elif rule == "manage" and persona != "sysadmin":
            expected = 403
        else:
            expected = 302 if method == "post" else 200
        assert response.status_code == expected, (persona, url)
        if user is None:
            assert reverse("login") in response["Location"]


def test_post_only_url_refuses_get(client, sysadmin, pending_import):
    response = client_for(client, sysadmin).get(reverse("standards:catalog_import_discard", args=[pending_import.pk]))
    assert response.status_code == 405


def test_unknown_regulation_is_404(client, principal_a, tt18):
    assert client_for(client, principal_a).get(reverse("standards:regulation_detail", args=[999])).status_code == 404


def test_regulation_list_shows_versions_counts_and_verification(client, principal_a, catalogs):
    response = client_for(client, principal_a).get(reverse("standards:regulation_list"))
    html = response.content.decode()
    assert INVALID not in html
    assert "TT18/2018" in html and "TT22/2024" in html
    assert "Chưa đối chiếu văn bản gốc" in html and "Chưa đầy đủ nội dung" in html
    assert "84 / 45 / 25" in html
    assert reverse("standards:catalog_import") not in html


def test_detail_shows_every_level_repeals_and_the_unverified_badge(client, principal_a, tt18):
    url = reverse("standards:regulation_detail", args=[tt18.pk]) + "?version=TT22/2024"
    html = client_for(client, principal_a).get(url).content.decode()
    assert INVALID not in html
    assert "Chưa đối chiếu văn bản gốc" in html
    assert "Bãi bỏ bởi 22/2024/TT-BGDĐT" in html
    assert "Không có chỉ báo ở mức này." in html
    assert "chưa cập nhật nội dung mới" in html
    assert "Yêu cầu Mức 4" in html and "Cấp độ 4" in html


def test_detail_search_highlights_words_without_accents(client, principal_a, tt18):
    url = reverse("standards:regulation_detail", args=[tt18.pk]) + "?q=thu+vien"
    html = client_for(client, principal_a).get(url).content.decode()
    assert "<mark>Thư</mark> <mark>viện</mark>" in html or "<mark>thư</mark> <mark>viện</mark>" in html
    assert 'id="tieu-chi-4.2"' not in html  # criteria without the words are left out


def test_detail_of_a_legacy_catalog_says_it_is_incomplete(client, principal_a, catalogs):
    regulation = Regulation.objects.get(code="TT42/2012-TH")
    html = client_for(client, principal_a).get(reverse("standards:regulation_detail", args=[regulation.pk])).content.decode()
    assert INVALID not in html
    assert "Danh mục chưa đủ tiêu chí" in html
    assert "phải đạt một danh sách tiêu chí chưa có trong dữ liệu" in html  # shown, not guessed


def test_schedule_shows_the_change_of_regulation_within_2018_2019(client, principal_a, catalogs):
    response = client_for(client, principal_a).get(reverse("standards:regulation_schedule") + "?year=2018-2019")
    html = response.content.decode()
    assert INVALID not in html
    assert "TT42/2012-TH" in html and "TT17/2018" in html and "10/10/2018" in html


def test_schedule_with_a_bad_year_falls_back_to_the_current_one(client, principal_a, catalogs):
    response = client_for(client, principal_a).get(reverse("standards:regulation_schedule") + "?year=2018-2020")
    assert response.status_code == 200


def test_export_downloads_the_json_file_and_the_xlsx(client, principal_a, tt18):
    client = client_for(client, principal_a)
    response = client.get(reverse("standards:regulation_export", args=[tt18.pk]))
    assert response["Content-Disposition"] == 'attachment; filename="TT18_2018.json"'
    assert response.content.decode() == (DATA_DIR / FILES["TT18/2018"]).read_text(encoding="utf-8")
    response = client.get(reverse("standards:regulation_export", args=[tt18.pk]) + "?format=xlsx")
    book = load_workbook(io.BytesIO(response.content))
    assert book[SHEET_INDICATORS].max_row == 1 + 154


def test_json_import_shows_the_diff_then_applies_it(client, sysadmin, tt18):
    client = client_for(client, sysadmin)
    data = catalog_dict(tt18)
    data["standards"][0]["criteria"][0]["levels"]["1"][0]["text"] = "Phù hợp với mục tiêu giáo dục mới."
    response = upload(client, "tt18.json", json.dumps(data, ensure_ascii=False).encode())
    assert response.status_code == 302
    confirm = client.get(response["Location"])
    html = confirm.content.decode()
    assert INVALID not in html
    assert "Tiêu chí 1.1 – Mức 1 – chỉ báo a" in html and "<ins" in html and "<del" in html
    indicator = Indicator.objects.get_by_natural_key("TT18/2018", "original", "1.1", 1, "a")
    assert indicator.text != "Phù hợp với mục tiêu giáo dục mới."  # nothing applied yet
    applied = client.post(response["Location"])
    assert applied.status_code == 302
    indicator.refresh_from_db()
    assert indicator.text == "Phù hợp với mục tiêu giáo dục mới."
    assert CatalogImport.objects.get().status == CatalogImport.Status.APPLIED


def test_import_errors_are_listed_per_row_and_nothing_is_saved(client, sysadmin, tt18):
    client = client_for(client, sysadmin)
    book = load_workbook(io.BytesIO(CatalogXlsxExporter(catalog_dict(tt18)).render()[2]))
    book[SHEET_INDICATORS]["F3"] = "9"
    buffer = io.BytesIO()
    book.save(buffer)
    response = upload(client, "tt18.xlsx", buffer.getvalue())
    assert response.status_code == 400
    html = response.content.decode()
    assert "Chỉ báo, dòng 3" in html and 'id="import-errors"' in html
    assert not CatalogImport.objects.exists()


def test_malformed_json_names_the_line_and_column_without_the_parsers_english(client, sysadmin, db):
    client = client_for(client, sysadmin)
    broken = '{"code": "TT18/2018",\n  "title": "Quy định"\n  "family": "2018"}'.encode()  # a comma missing
    response = upload(client, "tt18.json", broken)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Tệp JSON không hợp lệ ở dòng 3, cột 3." in html and 'id="import-errors"' in html
    assert "Expecting" not in html and "delimiter" not in html
    assert not CatalogImport.objects.exists()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = upload(client, "tt18.json", broken).content.decode()
    assert "The JSON file is invalid at line 3, column 3." in html and "Expecting" not in html


def test_upload_of_another_file_type_is_refused(client, sysadmin, db):
    response = upload(client_for(client, sysadmin), "catalog.csv", b"a,b")
    assert response.status_code == 200 and "Chỉ nhận tệp .json hoặc .xlsx." in response.content.decode()


def test_an_import_is_refused_when_the_catalog_changed_since_its_preview(client, sysadmin, pending_import, tt18):
    data = catalog_dict(tt18)
    data["title"] = "Đổi bởi người khác"
    from standards.services import catalog_import_apply, catalog_import_create

    other, _errors = catalog_import_create(content=json.dumps(data).encode(), file_name="x.json", by=sysadmin)
    catalog_import_apply(catalog_import=other, by=sysadmin)
    client = client_for(client, sysadmin)
    url = reverse("standards:catalog_import_confirm", args=[pending_import.pk])
    assert "đã thay đổi sau khi" in client.get(url).content.decode()
    response = client.post(url, follow=True)
    assert "đã thay đổi sau khi bạn xem trước" in response.content.decode()
    pending_import.refresh_from_db()
    assert pending_import.status == CatalogImport.Status.PENDING
    assert Regulation.objects.get(code="TT18/2018").title == "Đổi bởi người khác"


def test_a_discarded_import_cannot_be_applied(client, sysadmin, pending_import):
    client = client_for(client, sysadmin)
    client.post(reverse("standards:catalog_import_discard", args=[pending_import.pk]))
    response = client.post(reverse("standards:catalog_import_confirm", args=[pending_import.pk]), follow=True)
    assert "đã được xử lý" in response.content.decode()
    assert "(đã sửa)" not in Regulation.objects.get(code="TT18/2018").title


def test_filled_template_download_is_the_catalog(client, sysadmin, tt18):
    client = client_for(client, sysadmin)
    response = client.get(reverse("standards:catalog_import_template") + f"?regulation={tt18.pk}")
    assert response["Content-Disposition"] == 'attachment; filename="TT18_2018.xlsx"'
    assert client.get(reverse("standards:catalog_import_template") + "?regulation=x").status_code == 404


def test_the_recent_imports_link_to_the_confirmation_while_the_workflow_still_allows_it(client, sysadmin, pending_import):
    """The list asks the workflow layer (actions_for) whether an import can still be applied."""
    client = client_for(client, sysadmin)
    confirm = reverse("standards:catalog_import_confirm", args=[pending_import.pk])
    assert f'href="{confirm}"' in client.get(reverse("standards:catalog_import")).content.decode()
    client.post(reverse("standards:catalog_import_discard", args=[pending_import.pk]))
    assert f'href="{confirm}"' not in client.get(reverse("standards:catalog_import")).content.decode()
