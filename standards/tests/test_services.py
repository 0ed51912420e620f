"""Loading and applying catalogs: counts, idempotency, exact round trip, versions, in-place updates, retiring."""

import copy
import json

import pytest
from django.db.models import ProtectedError

from standards.exporters import catalog_dict, catalog_json
from standards.importers import validate_catalog
from standards.models import Criterion, Indicator, Level4Requirement, Regulation, RegulationVersion
from standards.services import DATA_DIR, catalog_apply, catalogs_load

from .conftest import FILES, catalog_data, sha256, shared_sha256

EXPECTED = {
    # code: (criteria, indicators per level, Mức 4 requirements) as stated by the issue and the catalogs.
    "TT17/2018": (27, [81, 48, 24], 5),
    "TT18/2018": (28, [84, 45, 25], 6),
    "TT19/2018": (25, [75, 46, 25], 6),
}


pytestmark = pytest.mark.usefixtures("shared_catalogs")


def apply(data: dict, by=None):
    spec, errors, _warnings = validate_catalog(data)
    assert not errors, errors
    return catalog_apply(spec=spec, by=by)


def base(code: str) -> RegulationVersion:
    return RegulationVersion.objects.get(regulation__code=code, is_base=True)


@pytest.mark.parametrize("code", list(EXPECTED))
def test_loaded_2018_catalogs_have_the_stated_counts(catalogs, code):
    criteria, per_level, level4 = EXPECTED[code]
    version = base(code)
    assert Criterion.objects.filter(standard__version=version).count() == criteria
    indicators = Indicator.objects.filter(criterion__standard__version=version)
    assert [indicators.filter(level=level).count() for level in (1, 2, 3)] == per_level
    assert Level4Requirement.objects.filter(version=version).count() == level4


@pytest.mark.parametrize("code", list(FILES))
def test_export_gives_back_the_loaded_file_byte_for_byte(catalogs, code):
    expected = (DATA_DIR / FILES[code]).read_text(encoding="utf-8")
    assert catalog_json(catalog_dict(Regulation.objects.get(code=code))) == expected


@pytest.mark.parametrize("code", list(FILES))
def test_bundled_copies_are_the_shared_catalogs_plus_the_catalog_key(code):
    """Without its ``catalog`` key, a bundled copy is byte for byte the research file it was copied from
    (``json.dumps(..., ensure_ascii=False, indent=2)``), whose sha256 standards/data/SHARED.sha256 records."""
    copy_ = catalog_data(code)
    assert list(copy_)[:2] == ["code", "catalog"]
    assert set(copy_.pop("catalog")) >= {"family", "status", "verification_status"}
    shared_text = json.dumps(copy_, ensure_ascii=False, indent=2) + "\n"
    assert sha256(shared_text) == shared_sha256(FILES[code]), (
        f"{FILES[code]} no longer matches the shared research file it was copied from (see standards/data/README.md)"
    )


def test_tt22_version_flags_the_repealed_indicators_of_tt18(tt18):
    version = RegulationVersion.objects.get(regulation=tt18, code="TT22/2024")
    assert str(version.effective) == "2025-01-25"
    repealed = set(
        Indicator.objects.filter(criterion__standard__version=version, is_repealed=True)
        .values_list("criterion__number", "level", "key")
    )
    expected = {("5.3", 1, k) for k in "abc"} | {("5.4", 1, k) for k in "abc"} | {("5.5", 1, k) for k in "abc"}
    expected |= {("1.5", 2, "a"), ("1.5", 3, "a"), ("2.2", 2, "a")}
    assert repealed == expected
    assert set(Indicator.objects.filter(criterion__standard__version=version, is_repealed=True)
               .values_list("repealed_by", flat=True)) == {"22/2024/TT-BGDĐT"}
    assert not Indicator.objects.filter(criterion__standard__version=base("TT18/2018"), is_repealed=True).exists()


def test_amended_indicator_without_new_text_is_flagged_pending(tt18):
    amended = Indicator.objects.filter(criterion__standard__version__code="TT22/2024", amended_by__gt="")
    assert {(i.criterion.number, i.level) for i in amended} == {("5.6", 3)}
    assert all(i.amended_text_pending for i in amended)


def test_changed_text_updates_the_indicator_in_place(tt18):
    indicator = Indicator.objects.get_by_natural_key("TT18/2018", "original", "1.1", 1, "a")
    data = catalog_dict(tt18)
    data["standards"][0]["criteria"][0]["levels"]["1"][0]["text"] = "Nội dung đã sửa."
    report = apply(data)
    indicator.refresh_from_db()
    assert indicator.text == "Nội dung đã sửa."
    assert report.updated["indicator"] == 2  # the original and the TT22/2024 version
    assert report.created == {} and report.deleted == {}
    assert Indicator.objects.get(pk=indicator.pk).source_data["text"] == "Nội dung đã sửa."


def test_an_indicator_left_out_and_unused_is_deleted(tt18):
    data = catalog_dict(tt18)
    del data["standards"][0]["criteria"][0]["levels"]["1"][2]  # 1.1 Mức 1 c
    report = apply(data)
    assert report.deleted["indicator"] == 2
    assert not Indicator.objects.filter(
        criterion__standard__version__regulation=tt18, criterion__number="1.1", level=1, key="c"
    ).exists()


def test_an_indicator_left_out_but_used_by_a_report_is_kept_and_marked_repealed(tt18, monkeypatch):
    used = Indicator.objects.get_by_natural_key("TT18/2018", "TT22/2024", "1.1", 1, "c")
    delete = Indicator.delete

    def protected_delete(self, *args, **kwargs):
        if self.pk == used.pk:
            raise ProtectedError("referenced by a report", {self})
        return delete(self, *args, **kwargs)

    monkeypatch.setattr(Indicator, "delete", protected_delete)
    data = catalog_dict(tt18)
    del data["standards"][0]["criteria"][0]["levels"]["1"][2]
    report = apply(data)
    assert (report.deleted["indicator"], report.retired["indicator"]) == (1, 1)
    used.refresh_from_db()
    assert (used.is_repealed, used.repealed_by) == (True, "")
    # Applying the same data again changes nothing, the kept indicator included.
    assert not apply(data).changed
    # And it does not come back in the export.
    assert "c" not in [i["key"] for i in catalog_dict(tt18)["standards"][0]["criteria"][0]["levels"]["1"]]


def test_a_criterion_referenced_elsewhere_is_kept_when_removed(tt18, monkeypatch):
    data = catalog_dict(tt18)
    removed = data["standards"][4]["criteria"].pop()  # 5.6
    kept = Criterion.objects.get(standard__version__code="original", standard__version__regulation=tt18, number="5.6")
    delete = Criterion.delete

    def protected_delete(self, *args, **kwargs):
        if self.pk == kept.pk:
            raise ProtectedError("referenced", {self})
        return delete(self, *args, **kwargs)

    monkeypatch.setattr(Criterion, "delete", protected_delete)
    report = apply(data)
    kept.refresh_from_db()
    assert kept.is_repealed and report.retired["criterion"] == 1
    assert removed["number"] not in [c["number"] for c in catalog_dict(tt18)["standards"][4]["criteria"]]


def test_a_readded_indicator_comes_back_in_force(tt18):
    original = catalog_dict(tt18)
    data = copy.deepcopy(original)
    del data["standards"][0]["criteria"][0]["levels"]["1"][2]
    apply(data)
    apply(original)
    assert catalog_json(catalog_dict(tt18)) == (DATA_DIR / "tt18_2018.json").read_text(encoding="utf-8")


def test_removing_the_amendment_removes_its_version(tt18):
    data = catalog_dict(tt18)
    data["amendments"] = []
    for standard in data["standards"]:
        for criterion in standard["criteria"]:
            criterion.pop("amendments", None)
    report = apply(data)
    assert report.deleted["version"] == 1
    assert list(tt18.versions.values_list("code", flat=True)) == ["original"]


def test_applying_as_a_user_requires_catalog_manage(tt18, principal_a):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        apply(catalog_dict(tt18), by=principal_a)


def test_loading_does_not_undo_an_administrators_correction_unless_forced(tt18, sysadmin):
    from standards.services import catalog_import_apply, catalog_import_create

    data = catalog_dict(tt18)
    data["standards"][0]["criteria"][0]["levels"]["1"][0]["text"] = "Đã đối chiếu văn bản gốc."
    correction, _errors = catalog_import_create(content=json.dumps(data).encode(), file_name="fix.json", by=sysadmin)
    catalog_import_apply(catalog_import=correction, by=sysadmin)
    path = [DATA_DIR / FILES["TT18/2018"]]
    (report,) = catalogs_load(paths=path)
    assert not report.changed and "bỏ qua" in report.describe()
    assert Indicator.objects.get_by_natural_key("TT18/2018", "original", "1.1", 1, "a").text == "Đã đối chiếu văn bản gốc."
    (forced,) = catalogs_load(paths=path, force=True)
    assert forced.changed
