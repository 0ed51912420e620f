"""Loading catalogs into an empty database: the command, idempotency, a bad file, the list's queries,
importing a new regulation.

These tests need a database without catalogs, so they are kept apart from the modules that load the
bundled catalogs once for all their tests (``shared_catalogs`` in conftest.py).
"""

import json

import pytest
from django.urls import reverse

from standards.models import Regulation
from standards.services import DATA_DIR, CatalogError, bundled_catalog_paths, catalogs_load

from .conftest import FILES, catalog_data, run, upload


def test_load_standards_twice_reports_no_change_the_second_time(db):
    first = run("load_standards")
    assert "TT18/2018: tạo mới" in first
    second = run("load_standards")
    assert "TT18/2018: không thay đổi" in second and "Không có thay đổi." in second


def test_loading_twice_changes_nothing(db):
    first = catalogs_load(paths=bundled_catalog_paths())
    assert all(report.changed for report in first)
    second = catalogs_load(paths=bundled_catalog_paths())
    # One report per catalog: a group file (TT57/2026) gives one per appendix.
    assert [report.changed for report in second] == [False] * (len(FILES) + 2)


def test_a_bad_file_loads_nothing(db, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"code": "X"}', encoding="utf-8")
    with pytest.raises(CatalogError) as raised:
        catalogs_load(paths=[DATA_DIR / FILES["TT17/2018"], bad])
    assert raised.value.issues
    assert not Regulation.objects.exists()


def test_regulation_list_runs_a_constant_number_of_queries(client, principal_a, django_assert_max_num_queries, db):
    client.force_login(principal_a)
    catalogs_load(paths=[DATA_DIR / FILES["TT18/2018"]])
    client.get(reverse("standards:regulation_list"))  # warm the session
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("standards:regulation_list"))
    catalogs_load(paths=[DATA_DIR / name for name in FILES.values()])
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("standards:regulation_list"))


def test_a_new_regulation_can_be_imported(client, sysadmin, db):
    client.force_login(sysadmin)
    data = catalog_data("TT42/2012-TH")
    response = upload(client, "tt42.json", json.dumps(data, ensure_ascii=False).encode())
    html = client.get(response["Location"]).content.decode()
    assert "Bộ tiêu chuẩn mới" in html
    client.post(response["Location"])
    assert Regulation.objects.get(code="TT42/2012-TH").family == "legacy"
