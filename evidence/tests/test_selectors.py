"""Reads: scoping, the dictionary by code, criterion use, library filters and search."""

import datetime

import pytest

from evidence import selectors, services
from evidence.selectors import LibraryFilter, Status
from evidence.tests import samples
from evidence.tests.factories import CriterionFactory, RegulationFactory, StandardFactory, VersionFactory


def create(school, criterion, by, **fields):
    fields.setdefault("name", "Biên bản họp")
    return services.evidence_create(school=school, criterion=criterion, by=by, **fields)


@pytest.fixture
def library(school_a, school_c, principal_a, principal_c, criteria):
    a1 = create(school_a, criteria["1.1"], principal_a, name="Quyết định thành lập Hội đồng trường")
    a2 = create(school_a, criteria["1.2"], principal_a, name="Kế hoạch năm học 2023-2024", issuer="Tổ Toán - Tin")
    c1 = create(school_c, criteria["1.1"], principal_c, name="Biên bản của trường C")
    return {"a1": a1, "a2": a2, "c1": c1}


@pytest.mark.parametrize(
    ("persona", "visible"),
    [
        ("principal_a", {"a1", "a2"}),
        ("staff_a", {"a1", "a2"}),
        ("principal_b", set()),
        ("principal_c", {"c1"}),
        ("reviewer", {"a1", "a2"}),
        ("head", {"a1", "a2"}),
        ("other_reviewer", {"c1"}),
        ("officer", {"a1", "a2", "c1"}),
        ("sysadmin", {"a1", "a2", "c1"}),
    ],
)
def test_evidence_visible_to_is_scoped(request, library, persona, visible):
    user = request.getfixturevalue(persona)
    names = {key for key, item in library.items() if selectors.evidence_visible_to(user).filter(pk=item.pk).exists()}
    assert names == visible


def test_evidence_for_school_is_in_official_order_and_leaves_out_archived(school_a, principal_a, criteria):
    later = create(school_a, criteria["2.1"], principal_a)
    tenth = create(school_a, criteria["1.10"], principal_a)
    first = create(school_a, criteria["1.1"], principal_a)
    second = create(school_a, criteria["1.2"], principal_a)
    archived = create(school_a, criteria["1.1"], principal_a)
    services.evidence_archive(evidence=archived, by=principal_a)
    assert list(selectors.evidence_for_school(school_a)) == [first, second, tenth, later]
    assert archived in selectors.evidence_for_school(school_a, include_archived=True)


def test_evidence_by_code_includes_archived_items(school_a, principal_a, c11):
    item = create(school_a, c11, principal_a)
    services.evidence_archive(evidence=item, by=principal_a)
    by_code = selectors.evidence_by_code(school_a)
    assert list(by_code) == ["H1-1.1-01"]
    assert by_code["H1-1.1-01"].is_archived


def test_evidence_for_criterion_covers_coded_shared_and_other_versions(
    school_a, principal_a, criteria, amended_criteria
):
    coded = create(school_a, criteria["1.1"], principal_a)
    shared = create(school_a, criteria["1.2"], principal_a)
    services.evidence_share(evidence=shared, criterion=criteria["1.1"], by=principal_a)
    unrelated = create(school_a, criteria["2.1"], principal_a)
    for criterion in (criteria["1.1"], amended_criteria["1.1"]):
        items = list(selectors.evidence_for_criterion(school_a, criterion))
        assert items == [coded, shared]
        assert unrelated not in items


def test_evidence_for_criterion_does_not_mix_regulations(school_a, principal_a, criteria):
    other = RegulationFactory(code="TT42/2012-TrH", family="legacy", evidence_code_scheme="Hn.ab.cd.ef")
    legacy_11 = CriterionFactory(standard=StandardFactory(version=VersionFactory(regulation=other)), number="1.1")
    create(school_a, criteria["1.1"], principal_a)
    assert list(selectors.evidence_for_criterion(school_a, legacy_11)) == []


def test_library_filters(school_a, principal_a, criteria):
    today = datetime.date(2025, 3, 1)
    expired = create(school_a, criteria["1.1"], principal_a, name="Quyết định nhiệm kỳ 2019-2024",
                     issued_on=datetime.date(2019, 10, 1), valid_until=datetime.date(2024, 10, 1))
    valid = create(school_a, criteria["1.2"], principal_a, name="Quy chế hoạt động", box=5)
    with_file = create(school_a, criteria["2.1"], principal_a, name="Bằng tốt nghiệp",
                       upload=_file(samples.pdf(), "bang.pdf"))
    services.evidence_share(evidence=valid, criterion=criteria["1.1"], by=principal_a)
    archived = create(school_a, criteria["5.1"], principal_a, name="Kế hoạch cũ")
    services.evidence_archive(evidence=archived, by=principal_a)

    def run(**kwargs):
        return list(selectors.evidence_library(school_a, LibraryFilter(**kwargs), today=today))

    assert run() == [expired, valid, with_file]
    assert run(standard=1) == [expired, valid]
    assert run(criterion="1.1") == [expired, valid]  # shared with 1.1
    assert run(criterion="1.2") == [valid]
    assert run(box=5) == [valid]
    assert run(status=Status.EXPIRED) == [expired]
    assert run(status=Status.VALID) == [valid, with_file]
    assert run(status=Status.WITH_FILE) == [with_file]
    assert run(status=Status.WITHOUT_FILE) == [expired, valid]
    assert run(status=Status.SHARED) == [valid]
    assert run(status=Status.ARCHIVED) == [archived]
    assert run(query="quy che") == [valid]
    assert run(query="QUYẾT ĐỊNH 2019") == [expired]
    assert run(query="h5-1.2") == [valid]
    assert run(query="không có") == []


def _file(content, name):
    from django.core.files.base import ContentFile

    return ContentFile(content, name=name)


def test_search_offers_code_prefixes_first_then_names(school_a, principal_a, criteria):
    a = create(school_a, criteria["1.1"], principal_a, name="Biên bản họp Hội đồng trường")
    b = create(school_a, criteria["1.2"], principal_a, name="Quy chế hoạt động")
    c = create(school_a, criteria["2.1"], principal_a, name="Biên bản kiểm tra H1-1.2 nội bộ")
    assert selectors.evidence_search(school_a, "[H") == [a, b, c]
    assert selectors.evidence_search(school_a, "h1-1.") == [a, b, c][:2] + [c]
    assert selectors.evidence_search(school_a, "H1-1.2") == [b, c]
    assert selectors.evidence_search(school_a, "bien ban") == [a, c]
    assert selectors.evidence_search(school_a, "") == [a, b, c]
    assert selectors.evidence_search(school_a, "H9") == []


def test_search_leaves_out_archived_items_and_other_schools(school_a, school_b, principal_a, principal_b, c11):
    archived = create(school_a, c11, principal_a)
    services.evidence_archive(evidence=archived, by=principal_a)
    create(school_b, c11, principal_b)
    assert selectors.evidence_search(school_a, "H") == []


def test_search_returns_at_most_the_limit(school_a, principal_a, c11):
    for i in range(25):
        create(school_a, c11, principal_a, name=f"Sổ theo dõi {i}")
    assert len(selectors.evidence_search(school_a, "H1")) == 20
    assert len(selectors.evidence_search(school_a, "so theo doi")) == 20


def test_stats(school_a, principal_a, criteria):
    create(school_a, criteria["1.1"], principal_a, valid_until=datetime.date(2000, 1, 1))
    shared = create(school_a, criteria["1.2"], principal_a, box=4, upload=_file(samples.png(), "a.png"))
    services.evidence_share(evidence=shared, criterion=criteria["1.1"], by=principal_a)
    services.evidence_share(evidence=shared, criterion=criteria["2.1"], by=principal_a)
    archived = create(school_a, criteria["1.1"], principal_a)
    services.evidence_archive(evidence=archived, by=principal_a)
    stats = selectors.evidence_stats(school_a)
    assert (stats.total, stats.with_file, stats.expired, stats.archived, stats.shared, stats.boxes) == (2, 1, 1, 1, 1, 2)


def test_criteria_for_school_uses_the_version_in_force(school_a, criteria, amended_criteria):
    today = selectors.criteria_for_school(school_a)
    assert [c.number for c in today] == ["1.1", "1.2", "1.10", "2.1", "5.1"]
    assert all(c.standard.version.code == "TT22/2024" for c in today)
    before = selectors.version_for_school(school_a, datetime.date(2024, 9, 5))
    assert [c.standard.version.code for c in selectors.criteria_for_school(school_a, version=before)] == ["original"] * 5


def test_criteria_for_school_leaves_out_repealed_and_other_levels(school_a, criteria):
    criteria["1.2"].is_repealed = True
    criteria["1.2"].save()
    criteria["2.1"].applies_to = ["thpt"]
    criteria["2.1"].save()
    assert [c.number for c in selectors.criteria_for_school(school_a)] == ["1.1", "1.10", "5.1"]


def test_code_previews(school_a, principal_a, criteria):
    create(school_a, criteria["1.1"], principal_a)
    previews = selectors.code_previews(school_a, [criteria["1.1"], criteria["2.1"]])
    assert previews[str(criteria["1.1"].pk)]["code"] == "H1-1.1-02"
    assert previews[str(criteria["2.1"].pk)] == {
        "template": "H{box}-{std}.{crit}-{seq:02d}", "box": 2, "std": 2, "crit": 1, "seq": 1, "code": "H2-2.1-01",
    }
