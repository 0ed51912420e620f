"""Permission matrix entries of the standards URLs (run by kiemdinh/tests/test_url_matrix.py)."""

import json

from kiemdinh.testing import UrlCase, everyone

ADMIN_ONLY = everyone(403, sysadmin=200)

# A one-criterion catalog: enough for every page, quick to load for each case and persona.
TINY = {
    "code": "TEST/2018",
    "catalog": {"family": "2018", "status": "current", "level_count": 3, "verification_status": "secondary_source"},
    "title": "Bộ tiêu chuẩn thử",
    "effective": "2018-10-10",
    "school_levels": ["lower_secondary"],
    "standards": [{"number": 1, "title": "Tiêu chuẩn", "criteria": [
        {"number": "1.1", "title": "Tiêu chí", "applies_to": None,
         "levels": {"1": [{"key": "a", "text": "Chỉ báo"}], "2": [], "3": []}},
    ]}],
}


def setup(ctx):
    from standards.importers import validate_catalog
    from standards.models import Regulation
    from standards.services import catalog_apply, catalog_import_create

    spec, _errors, _warnings = validate_catalog(TINY)
    catalog_apply(spec=spec)
    ctx["regulation"] = Regulation.objects.get(code="TEST/2018")
    corrected = {**TINY, "title": "Bộ tiêu chuẩn thử (sửa)"}
    ctx["catalog_import"], _errors = catalog_import_create(
        content=json.dumps(corrected).encode(), file_name="test.json", by=ctx["sysadmin"]
    )


def _regulation(ctx):
    return {"pk": ctx["regulation"].pk}


def _import(ctx):
    return {"pk": ctx["catalog_import"].pk}


CASES = [
    UrlCase("standards:regulation_list", everyone(200)),
    UrlCase("standards:regulation_schedule", everyone(200)),
    UrlCase("standards:regulation_detail", everyone(200), kwargs=_regulation),
    UrlCase("standards:regulation_detail", everyone(200), kwargs=_regulation, query="?q=chi+bao",
            label="standards:regulation_detail:search"),
    UrlCase("standards:regulation_export", everyone(200), kwargs=_regulation),
    UrlCase("standards:regulation_export", everyone(200), kwargs=_regulation, query="?format=xlsx",
            label="standards:regulation_export:xlsx"),
    UrlCase("standards:catalog_import", ADMIN_ONLY),
    UrlCase("standards:catalog_import_template", ADMIN_ONLY),
    UrlCase("standards:catalog_import_confirm", ADMIN_ONLY, kwargs=_import),
    UrlCase("standards:catalog_import_confirm", everyone(403, sysadmin=302), method="post", kwargs=_import,
            label="standards:catalog_import_confirm:apply"),
    UrlCase("standards:catalog_import_discard", everyone(403, sysadmin=302), method="post", kwargs=_import),
    UrlCase("standards:catalog_import_discard", everyone(405), kwargs=_import,
            label="standards:catalog_import_discard:get-not-allowed"),
]
