"""TT57/2026 as a catalog: load and export round trip, which regulation applies, compute_level, pages."""

from __future__ import annotations

import datetime
import json

import pytest
from django.core.management import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from standards import engine
from standards.exporters import group_dict
from standards.importers import validate_catalog
from standards.models import Criterion, Indicator, Regulation, Standard
from standards.selectors import catalog_rules_for, regulation_for, regulation_periods
from standards.services import DATA_DIR, catalogs_load

from .conftest import FILES, loaded_once, run, sha256, shared_sha256
from .engine_helpers import rules_2018

FILE = DATA_DIR / "tt57_2026.json"
D = datetime.date


@pytest.fixture(scope="module", autouse=True)
def _loaded(django_db_setup, django_db_blocker):
    """TT57/2026 and the six bundled catalogs, loaded once for the module (about 0.4 s) in a
    transaction rolled back after it; each test runs in its own savepoint on top of it (the ``db``
    fixture). Every test of the module sees all of them: none needs a database without them."""
    with loaded_once(django_db_blocker, [DATA_DIR / name for name in FILES.values()] + [FILE]):
        yield


@pytest.fixture
def tt57(db):
    """The test reads TT57/2026's two appendices: ``_loaded`` put them in for the module; this gives
    the test the database (its own savepoint)."""


@pytest.fixture
def all_catalogs(db):
    """The test reads TT57/2026 and the six bundled catalogs, put in for the module by ``_loaded``;
    this gives the test the database (its own savepoint)."""


# --- Load and export -------------------------------------------------------------------------------


def test_both_appendices_load_as_two_regulations_of_one_group(tt57):
    mn, pt = Regulation.objects.filter(group_code="TT57/2026").order_by("code")
    assert (mn.code, mn.appendix, mn.school_levels) == ("TT57/2026-MN", "I", ["mn"])
    assert (pt.code, pt.appendix, pt.school_levels) == ("TT57/2026-PT", "II", ["th", "thcs", "thpt", "multi"])
    for regulation in (mn, pt):
        assert (regulation.family, regulation.level_count, regulation.evidence_code_scheme) == ("2026", 2, "MC.a.b.nn")
        assert regulation.first_school_year == "2026-2027" and regulation.effective == D(2026, 7, 7)
        assert regulation.verification_status == Regulation.Verification.SECONDARY_SOURCE
        assert [v.code for v in regulation.versions.all()] == ["original"]
        criteria = Criterion.objects.filter(standard__version__regulation=regulation)
        assert criteria.count() == 15 and criteria.filter(mandatory=True).count() == 8
    assert pt.appendix_title.endswith("cơ sở giáo dục phổ thông")
    # Each level holds one unlettered requirement.
    assert set(Indicator.objects.filter(criterion__standard__version__regulation=pt).values_list("level", "key", "unlettered")) == {
        (1, "a", True), (2, "a", True),
    }


def test_loading_twice_changes_nothing(tt57):
    assert [r.changed for r in catalogs_load(paths=[FILE])] == [False, False]


def test_export_of_the_group_gives_back_the_bundled_file_byte_for_byte(tt57):
    assert run("export_standards", "TT57/2026") == FILE.read_text(encoding="utf-8")


def test_load_then_export_gives_back_the_shared_file_but_the_listed_additions(tt57):
    """The research file ../shared/standards/tt57_2026.json is recorded by its sha256 in
    standards/data/SHARED.sha256; it is written with ``json.dumps(..., ensure_ascii=False, indent=1)``."""
    exported = json.loads(run("export_standards", "TT57/2026"))
    assert sum(len(s["criteria"]) for c in exported["catalogs"] for s in c["standards"]) == 30
    # Everything but the two additions the data README lists.
    exported.pop("catalog")
    for name in ("school_level", "quantitative_data_transition"):
        exported["rules"][name].pop("structured")
    exported["rules"]["national_standard_recognition"].pop("ladder")
    assert sha256(json.dumps(exported, ensure_ascii=False, indent=1)) == shared_sha256("tt57_2026.json"), (
        "the TT57 catalog no longer matches the shared research file beyond the additions of standards/data/README.md"
    )


def test_one_appendix_exports_as_a_single_catalog_that_validates_again(tt57):
    data = json.loads(run("export_standards", "TT57/2026-MN"))
    assert data["code"] == "TT57/2026-MN" and data["school_levels"] == ["preschool"]
    spec, errors, _warnings = validate_catalog(data)
    assert errors == [] and spec.appendix == "I" and spec.group_code == "TT57/2026"
    assert sum(c.mandatory for c in spec.criteria()) == 8


def test_a_group_file_uploaded_whole_is_refused_with_a_clear_message():
    _spec, errors, _warnings = validate_catalog(json.loads(FILE.read_text(encoding="utf-8")))
    assert "từng phụ lục" in errors[0].message


def test_criterion_fields_and_disputed_titles_are_kept(tt57):
    pt = Criterion.objects.get(standard__version__regulation__code="TT57/2026-PT", number="1.4")
    assert pt.mandatory and pt.is_disputed
    assert [v["title"] for v in pt.title_variants][0].startswith("Tự đánh giá, cải tiến chất lượng")
    assert pt.evidence_hints[0] == "Báo cáo tự đánh giá hoặc tự kiểm tra"
    assert pt.quantitative_indicators == [
        "Số nhiệm vụ cải tiến hoàn thành/tổng số nhiệm vụ cải tiến theo kế hoạch",
        "số phản hồi được tiếp nhận, xử lý",
    ]
    standard3 = Standard.objects.get(version__regulation__code="TT57/2026-PT", number=3)
    assert standard3.is_disputed and standard3.title_variants[0]["title"].endswith("phát triển người học")
    assert not Standard.objects.get(version__regulation__code="TT57/2026-MN", number=3).is_disputed


def test_group_dict_of_an_unknown_group_is_none(tt57):
    assert group_dict("TT99/2030") is None
    with pytest.raises(CommandError, match="code: không có bộ tiêu chuẩn"):
        run("export_standards", "TT99/2030")


def test_engine_rules_carry_the_mandatory_criteria(tt57):
    version = Regulation.objects.get(code="TT57/2026-MN").versions.get()
    rules = catalog_rules_for(version)
    assert rules.family == "2026" and rules.mandatory == ("1.3", "1.4", "2.1", "2.2", "3.1", "3.2", "4.1", "4.2")


# --- Which regulation applies ------------------------------------------------------------------------


@pytest.mark.parametrize(("level", "day", "school_year", "expected"), [
    # From the 2026-2027 school year: Phụ lục I for preschools, Phụ lục II for general schools.
    ("mn", D(2026, 10, 1), None, "TT57/2026-MN"),
    ("th", D(2026, 10, 1), None, "TT57/2026-PT"),
    ("thcs", D(2027, 5, 1), None, "TT57/2026-PT"),
    ("thpt", D(2026, 9, 1), None, "TT57/2026-PT"),
    ("multi", D(2030, 1, 1), None, "TT57/2026-PT"),
    # TT57 is in force from 07/7/2026, but a 2025-2026 report stays under TT17/18/19.
    ("thcs", D(2026, 8, 1), None, "TT18/2018"),
    ("mn", D(2026, 7, 7), None, "TT19/2018"),
    ("th", D(2025, 10, 1), None, "TT17/2018"),
    # A 2026-2027 school year that starts before 1 September is still a TT57 year.
    ("mn", D(2026, 8, 20), "2026-2027", "TT57/2026-MN"),
    ("thcs", D(2026, 8, 20), "2025-2026", "TT18/2018"),
])
def test_the_regulation_follows_the_school_year(all_catalogs, level, day, school_year, expected):
    assert regulation_for(level, day, school_year=school_year).regulation.code == expected


def test_the_schedule_splits_no_school_year_at_07_7_2026(all_catalogs):
    periods = regulation_periods("thcs", D(2025, 9, 1), D(2026, 8, 31), school_year="2025-2026")
    assert [p.version.regulation.code for p in periods] == ["TT18/2018"]
    periods = regulation_periods("mn", D(2026, 1, 1), D(2026, 12, 31))
    assert [(p.version.regulation.code, p.start) for p in periods] == [
        ("TT19/2018", D(2026, 1, 1)), ("TT57/2026-MN", D(2026, 9, 1)),
    ]


def test_a_new_report_of_2026_2027_uses_tt57_and_of_2025_2026_keeps_tt18(all_catalogs, school_a, principal_a):
    from schools.tests.factories import SchoolYearFactory
    from selfassessment import services

    year_2026 = SchoolYearFactory(code="2026-2027", start_date=D(2026, 8, 24), end_date=D(2027, 5, 31))
    year_2025 = SchoolYearFactory(code="2025-2026", start_date=D(2025, 9, 5), end_date=D(2026, 5, 31))
    report = services.report_create(school=school_a, school_year=year_2026, kind="periodic", by=principal_a,
                                    today=D(2026, 8, 25))
    expected = "TT57/2026-MN" if school_a.level == "mn" else "TT57/2026-PT"
    assert report.regulation_version.regulation.code == expected
    old = services.report_create(school=school_a, school_year=year_2025, kind="periodic", by=principal_a,
                                 today=D(2026, 7, 20))
    assert old.regulation_version.regulation.family == "2018"


def test_the_schedule_page_shows_tt57_for_2026_2027_and_says_why(all_catalogs, client, principal_a):
    client.force_login(principal_a)
    response = client.get(reverse("standards:regulation_schedule"), {"year": "2026-2027"})
    page = response.content.decode()
    year_table = page[page.index('id="schedule-year"'):page.index("</table>", page.index('id="schedule-year"'))]
    assert year_table.count("TT57/2026-PT") == 4 and year_table.count("TT57/2026-MN") == 1
    assert "TT18/2018" not in year_table
    assert "Thông tư 57/2026/TT-BGDĐT (hiệu lực từ 07/7/2026) áp dụng theo năm học" in page
    response = client.get(reverse("standards:regulation_schedule"), {"year": "2025-2026"})
    page = response.content.decode()
    year_table = page[page.index('id="schedule-year"'):page.index("</table>", page.index('id="schedule-year"'))]
    assert "TT57" not in year_table


# --- Catalog page ----------------------------------------------------------------------------------


def test_the_catalog_page_marks_mandatory_criteria_and_disputed_titles(tt57, client, principal_a):
    client.force_login(principal_a)
    regulation = Regulation.objects.get(code="TT57/2026-PT")
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("standards:regulation_detail", args=[regulation.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count("mandatory-badge") == 8
    card = page[page.index('id="tieu-chi-1.4"'):page.index('id="tieu-chi-2.1"')]
    assert "Bắt buộc" in card and "Tự đánh giá, cải tiến chất lượng, công khai và trách nhiệm giải trình" in card
    assert "Tên còn khác nhau giữa các nguồn" in card
    card = page[page.index('id="tieu-chi-1.1"'):page.index('id="tieu-chi-1.2"')]
    assert "mandatory-badge" not in card and "Gợi ý minh chứng" in card
    standard3 = page[page.index('id="tieu-chuan-3"'):page.index('id="tieu-chi-3.1"')]
    assert "phát triển người học" in standard3
    assert "Chưa đối chiếu văn bản gốc" in page and "Phụ lục II" in page
    rule = page[page.index('id="school-level-rule"'):]
    assert "ít nhất 5 trong 7 tiêu chí còn lại" in rule
    assert "31/12/2028" in page[page.index('id="transition-note"'):]
    baseline = len(queries)
    # The same number of queries for the larger 2018 catalog.
    catalogs_load(paths=[DATA_DIR / FILES["TT18/2018"]])
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("standards:regulation_detail", args=[Regulation.objects.get(code="TT18/2018").pk]))
    assert len(queries) <= baseline


# --- compute_level --------------------------------------------------------------------------------------


def compute(payload, monkeypatch) -> dict:
    return json.loads(run("compute_level", "-", stdin=json.dumps(payload), monkeypatch=monkeypatch))


def tt57_input(school_level="lower_secondary", **levels) -> dict:
    criteria = {f"{s}.{n}": 2 for s, count in ((1, 4), (2, 3), (3, 5), (4, 3)) for n in range(1, count + 1)}
    criteria.update({k.replace("_", "."): v for k, v in levels.items()})
    return {"regulation": "TT57/2026", "school": {"school_level": school_level, "completed_cohorts": 3,
                                                   "years_of_data": 3}, "criteria": criteria}


def test_compute_level_speaks_tt57(tt57, monkeypatch):
    result = compute(tt57_input(), monkeypatch)
    assert (result["regulation"], result["school_level"], result["national_standard"]) == ("TT57/2026-PT", 2, 2)
    assert result["accreditation_level"] is None and result["blockers"] == []
    assert compute(tt57_input("preschool"), monkeypatch)["regulation"] == "TT57/2026-MN"


def test_compute_level_explains_the_tt57_blockers(tt57, monkeypatch):
    result = compute(tt57_input(**{"2_2": 1, "1_1": 0, "1_2": 1, "2_3": 1}), monkeypatch)
    assert (result["school_level"], result["national_standard"]) == (1, 1)
    messages = [b["message"] for b in result["blockers"]]
    assert "Tiêu chí bắt buộc 2.2 mới đạt Mức 1, cần Mức 2 để trường đạt Mức 2." in messages
    assert "Tiêu chí không bắt buộc đạt Mức 2 trở lên: 4/7, cần 5 để trường đạt Mức 2." in messages
    assert any(m.startswith("Tiêu chí 1.1 chưa đạt Mức 1;") for m in messages)


def test_compute_level_tt57_without_three_years_of_data(tt57, monkeypatch):
    payload = tt57_input()
    payload["school"]["years_of_data"] = 2
    result = compute(payload, monkeypatch)
    assert (result["school_level"], result["national_standard"]) == (2, 0)
    assert result["blockers"][0]["message"].startswith("Chưa đủ điều kiện chuẩn quốc gia Mức độ 2")


@pytest.mark.parametrize(("change", "message"), [
    (lambda p: p["school"].pop("school_level"), "school.school_level: “TT57/2026” gồm nhiều phụ lục"),
    (lambda p: p["school"].update(school_level="university"), "school.school_level"),
    (lambda p: p["criteria"].update({"1.1": 3}), "criteria.1.1: giá trị ngoài khoảng 0..2"),
    (lambda p: p["criteria"].pop("4.3"), "criteria.4.3: thiếu kết quả của tiêu chí này"),
    (lambda p: p["school"].update(years_of_data=-1), "school.years_of_data"),
])
def test_compute_level_tt57_bad_input_names_the_field(tt57, monkeypatch, change, message):
    payload = tt57_input()
    change(payload)
    with pytest.raises(CommandError, match=message):
        compute(payload, monkeypatch)


# --- A level given directly counts as reaching the levels above that have no requirement ---------------


def test_2018_criterion_without_mức_3_given_mức_2_counts_as_mức_3_like_its_indicators():
    rules = rules_2018(level4=())
    facts = engine.SchoolFacts(completed_cohorts=1, years_operating=10)
    direct = engine.evaluate(rules, engine.Verdicts(criteria={"1.1": 3, "1.2": 2, "2.1": 3}), facts)
    indicators = {
        "1.1": {1: dict.fromkeys("abc", True), 2: {"a": True}, 3: {"a": True}},
        "1.2": {1: dict.fromkeys("ab", True), 2: dict.fromkeys("ab", True)},
        "2.1": {1: dict.fromkeys("ab", True), 2: {"b": True}, 3: {"a": True}},
    }
    from_indicators = engine.evaluate(rules, engine.Verdicts(indicators=indicators), facts)
    assert direct.criteria["1.2"].level == from_indicators.criteria["1.2"].level == 3
    assert direct.school_level == from_indicators.school_level == 3
    # Mức 1 given stays Mức 1 where Mức 2 has requirements.
    assert engine.evaluate(rules, engine.Verdicts(criteria={"1.1": 3, "1.2": 1, "2.1": 3}), facts).school_level == 1


def test_compute_level_tt18_criterion_without_mức_3_given_mức_2(db, monkeypatch):
    catalogs_load(paths=[DATA_DIR / FILES["TT18/2018"]])
    data = json.loads((DATA_DIR / FILES["TT18/2018"]).read_text(encoding="utf-8"))
    criteria = {c["number"]: 3 for s in data["standards"] for c in s["criteria"]}
    without_level3 = [c["number"] for s in data["standards"] for c in s["criteria"] if not c["levels"].get("3")]
    assert "1.2" in without_level3
    criteria["1.2"] = 2
    result = compute({"regulation": "TT18/2018", "version": "original", "criteria": criteria,
                      "school": {"completed_cohorts": 1}}, monkeypatch)
    assert result["criteria"]["1.2"] == 3 and result["school_level"] == 3


def test_an_import_that_changes_a_mandatory_flag_shows_it_as_a_change(tt57):
    from standards.diff import catalog_diff
    from standards.explain import describe_change

    data = json.loads(run("export_standards", "TT57/2026-PT"))
    old_spec = validate_catalog(data)[0]
    data["standards"][0]["criteria"][0]["mandatory"] = True
    new_spec = validate_catalog(data)[0]
    described = [describe_change(c) for c in catalog_diff(old_spec, new_spec).changes]
    assert [(c["where"], c["what"], c["old"], c["new"]) for c in described] == [
        ("Tiêu chí 1.1", "tiêu chí bắt buộc", "Không bắt buộc", "Bắt buộc"),
    ]
