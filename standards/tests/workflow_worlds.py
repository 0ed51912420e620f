"""The catalog import's world for the workflow matrix (``kiemdinh/tests/test_workflow_matrix.py``).

A correction of the bundled TT18/2018 catalog uploaded by the site admin, in each status: only the
admin (rule ``catalog.manage``) applies or drops a pending import; a decided one is decided.
"""

from __future__ import annotations

import json

from kiemdinh.tests.workflow_worlds import World, allowed, register_world
from standards import services
from standards.exporters import catalog_dict
from standards.models import Regulation

ROLE_FIXTURES = {
    "principal": "principal_a", "school_staff": "staff_a", "reviewer": "reviewer", "district_head": "head",
    "department_officer": "officer", "admin": "sysadmin", "outsider": "principal_c",
}


def _import(request, status: str):
    users = {role: request.getfixturevalue(name) for role, name in ROLE_FIXTURES.items()}
    services.catalogs_load(paths=[services.DATA_DIR / "tt18_2018.json"])
    data = catalog_dict(Regulation.objects.get(code="TT18/2018"))
    data["title"] = data["title"] + " (đã sửa)"
    catalog_import, errors = services.catalog_import_create(
        content=json.dumps(data, ensure_ascii=False).encode(), file_name="tt18.json", by=users["admin"])
    assert not errors
    if status == "applied":
        services.catalog_import_apply(catalog_import=catalog_import, by=users["admin"])
    elif status == "discarded":
        services.catalog_import_discard(catalog_import=catalog_import, by=users["admin"])
    catalog_import.refresh_from_db()
    return catalog_import, users


register_world("standards.catalog_import", World(
    workflow="standards.catalog_import",
    build=_import,
    expected=allowed((["pending"], ["apply", "discard"], ("admin",))),
))
