"""Permission matrix entries of the evidence URLs (kiemdinh/tests/test_url_matrix.py runs them)."""

from django.core.files.base import ContentFile

from kiemdinh.testing import LOGIN, UrlCase, everyone

# Who reaches school A: its members, district A's staff, the Sở, admins. principal_c and
# other_reviewer (district B) do not see school A at all.
OUT_OF_SCOPE = {"principal_c": 404, "other_reviewer": 404}
VIEW = everyone(200, **OUT_OF_SCOPE)
# School members write; district staff, the Sở and admins read only.
ADD = everyone(403, principal_a=200, staff_a=200, **OUT_OF_SCOPE)
ADD_POST = everyone(403, principal_a=302, staff_a=302, **OUT_OF_SCOPE)
PRINCIPAL = everyone(403, principal_a=200, **OUT_OF_SCOPE)
PRINCIPAL_POST = everyone(403, principal_a=302, **OUT_OF_SCOPE)
POST_ONLY = everyone(405, anonymous=LOGIN)


def setup(ctx):
    import datetime

    from evidence import services
    from evidence.tests import samples
    from evidence.tests.factories import RegulationFactory, VersionFactory, build_catalog

    # A catalog of our own, in force after the other apps' test catalogs (2017, 2018), so that it is
    # the one school A is assessed under today whatever else the matrix loads.
    effective = datetime.date(2019, 1, 1)
    regulation = RegulationFactory(code="EVIDENCE-MATRIX/2019", effective=effective)
    criteria = build_catalog(VersionFactory(regulation=regulation, effective=effective), ["1.1", "1.2", "2.1"])
    ctx["evidence_criteria"] = criteria
    school = ctx["school_a"]
    ctx["evidence_item"] = services.evidence_create(
        school=school, criterion=criteria["1.1"], by=ctx["principal_a"], name="Quyết định thành lập Hội đồng trường",
        upload=ContentFile(samples.pdf(), name="Quyết định.pdf"),
    )
    ctx["evidence_staff_item"] = services.evidence_create(
        school=school, criterion=criteria["1.1"], by=ctx["staff_a"], name="Biên bản họp tổ chuyên môn",
    )
    services.evidence_share(evidence=ctx["evidence_staff_item"], criterion=criteria["2.1"], by=ctx["staff_a"])
    ctx["evidence_archived_item"] = services.evidence_create(
        school=school, criterion=criteria["1.2"], by=ctx["staff_a"], name="Kế hoạch cũ",
    )
    services.evidence_archive(evidence=ctx["evidence_archived_item"], by=ctx["staff_a"])


def _in_force_criterion(ctx):
    """A criterion the create form offers today: of the regulation in force for school A once every app's
    matrix catalog is loaded (TT57/2026 when the selfassessment matrix loads it), not necessarily ours."""
    from evidence import selectors

    return selectors.criteria_for_school(ctx["school_a"])[0]


def _school(ctx):
    return {"school_pk": ctx["school_a"].pk}


def _item(ctx):
    return {"pk": ctx["evidence_item"].pk}


def _staff_item(ctx):
    return {"pk": ctx["evidence_staff_item"].pk}


CASES = [
    UrlCase(
        "evidence:library_index",
        everyone(200, principal_a=302, staff_a=302, principal_c=302),
    ),
    UrlCase("evidence:evidence_search", VIEW, data=lambda ctx: {"school": ctx["school_a"].pk, "q": "H1"}),
    UrlCase("evidence:evidence_search", everyone(400), label="evidence:evidence_search:no-school"),
    UrlCase("evidence:evidence_list", VIEW, kwargs=_school),
    UrlCase("evidence:evidence_list", VIEW, kwargs=_school, query="?status=expired&standard=1&criterion=1.1&box=1&q=quy",
            label="evidence:evidence_list:filtered"),
    UrlCase("evidence:evidence_create", ADD, kwargs=_school),
    UrlCase(
        "evidence:evidence_create", ADD_POST, method="post", kwargs=_school,
        data=lambda ctx: {"criterion": _in_force_criterion(ctx).pk, "name": "Sổ theo dõi công văn đến"},
        label="evidence:evidence_create:post",
    ),
    UrlCase("evidence:evidence_export", VIEW, kwargs=_school),
    UrlCase("evidence:evidence_cite_demo", VIEW, kwargs=_school),
    UrlCase("evidence:evidence_renumber_preview", PRINCIPAL, kwargs=_school),
    UrlCase("evidence:evidence_renumber", PRINCIPAL_POST, method="post", kwargs=_school),
    UrlCase("evidence:evidence_renumber", POST_ONLY, kwargs=_school, label="evidence:evidence_renumber:get-not-allowed"),
    UrlCase("evidence:evidence_detail", VIEW, kwargs=_item),
    UrlCase("evidence:evidence_download", VIEW, kwargs=_item),
    # The creator (staff_a) may edit their own item, not the principal's.
    UrlCase("evidence:evidence_update", ADD, kwargs=_staff_item),
    UrlCase("evidence:evidence_update", PRINCIPAL, kwargs=_item, label="evidence:evidence_update:not-the-creator"),
    UrlCase(
        "evidence:evidence_update", ADD_POST, method="post", kwargs=_staff_item,
        data=lambda ctx: {"name": "Biên bản họp tổ (sửa)", "version": ctx["evidence_staff_item"].version},
        label="evidence:evidence_update:post",
    ),
    UrlCase(
        "evidence:evidence_share", ADD_POST, method="post", kwargs=_item,
        data=lambda ctx: {"criterion": ctx["evidence_criteria"]["1.2"].pk},
    ),
    UrlCase("evidence:evidence_share", POST_ONLY, kwargs=_item, label="evidence:evidence_share:get-not-allowed"),
    UrlCase(
        "evidence:evidence_unshare", ADD_POST, method="post",
        kwargs=lambda ctx: {"pk": ctx["evidence_staff_item"].pk, "criterion_pk": ctx["evidence_criteria"]["2.1"].pk},
    ),
    UrlCase(
        "evidence:evidence_move", PRINCIPAL_POST, method="post", kwargs=_staff_item,
        data=lambda ctx: {"criterion": ctx["evidence_criteria"]["1.2"].pk},
    ),
    UrlCase("evidence:evidence_archive", ADD_POST, method="post", kwargs=_staff_item),
    UrlCase("evidence:evidence_archive", POST_ONLY, kwargs=_staff_item, label="evidence:evidence_archive:get-not-allowed"),
    UrlCase(
        "evidence:evidence_restore", ADD_POST, method="post",
        kwargs=lambda ctx: {"pk": ctx["evidence_archived_item"].pk},
    ),
    UrlCase("evidence:evidence_delete", ADD_POST, method="post", kwargs=_staff_item),
    UrlCase("evidence:evidence_delete", PRINCIPAL_POST, method="post", kwargs=_item,
            label="evidence:evidence_delete:not-the-creator"),
    UrlCase("evidence:evidence_delete", POST_ONLY, kwargs=_item, label="evidence:evidence_delete:get-not-allowed"),
]
