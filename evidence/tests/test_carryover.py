"""Carrying a school's 2018 library to TT57/2026: proposals with reasons, explicit confirmation,
one stored file for both codes, the old items untouched."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from audit.models import Event
from evidence import carryover, services
from evidence.models import Evidence, EvidenceCarryOver
from evidence.tests import samples
from standards.models import Criterion, Regulation
from standards.services import DATA_DIR, catalogs_load

pytestmark = pytest.mark.django_db(transaction=False)


@pytest.fixture
def catalogs(db):
    catalogs_load(paths=[DATA_DIR / "tt18_2018.json", DATA_DIR / "tt57_2026.json"])
    tt18 = Regulation.objects.get(code="TT18/2018")
    pt = next(r for r in Regulation.objects.filter(family="2026") if "thcs" in r.school_levels)
    return tt18, pt


def _criterion(regulation: Regulation, number: str) -> Criterion:
    return (
        Criterion.objects.filter(standard__version__regulation=regulation, number=number)
        .select_related("standard__version__regulation")
        .order_by("-standard__version__effective")
        .first()
    )


@pytest.fixture
def library(catalogs, school_a, principal_a):
    """Four 2018 items: the strategy (with a PDF), two on teachers, one on equipment."""
    tt18, _pt = catalogs
    make = services.evidence_create
    return {
        "strategy": make(
            school=school_a, criterion=_criterion(tt18, "1.1"), by=principal_a, name="Kế hoạch chiến lược phát triển nhà trường 2020-2025",
            upload=ContentFile(samples.pdf(), name="chien-luoc.pdf"),
        ),
        "teachers": make(school=school_a, criterion=_criterion(tt18, "2.2"), by=principal_a, name="Danh sách giáo viên, trình độ đào tạo"),
        "teachers2": make(school=school_a, criterion=_criterion(tt18, "2.2"), by=principal_a, name="Bảng phân công chuyên môn giáo viên"),
        "equipment": make(school=school_a, criterion=_criterion(tt18, "3.5"), by=principal_a, name="Sổ theo dõi thiết bị dạy học"),
    }


@pytest.fixture
def version_pt(catalogs):
    return catalogs[1].versions.get()


def _rows(school, regulation):
    return {row.source.code: row for row in carryover.carry_overs_for(school, regulation)}


def test_propose_gives_every_item_a_tt57_criterion_with_its_reason(library, school_a, principal_a, version_pt):
    assert carryover.carry_overs_propose(school=school_a, version=version_pt, by=principal_a) == 4
    rows = _rows(school_a, version_pt.regulation)
    assert {code: row.proposed_criterion.number for code, row in rows.items()} == {
        "H1-1.1-01": "1.1", "H2-2.2-01": "2.2", "H2-2.2-02": "2.2", "H3-3.5-01": "4.1",
    }
    strategy = rows["H1-1.1-01"]
    assert strategy.status == EvidenceCarryOver.Status.PROPOSED
    assert strategy.proposed_criterion.standard.version.regulation == version_pt.regulation
    assert strategy.proposal_reason["old_criterion"] == "1.1"
    assert strategy.proposal_reason["criterion_words"] == ["phát triển nhà trường"]
    assert "thiết bị" in rows["H3-3.5-01"].proposal_reason["criterion_words"]
    assert rows["H3-3.5-01"].proposal_reason["standard_words"] == ["điều kiện giáo dục"]
    # Nothing is recoded by a proposal.
    assert not Evidence.objects.filter(code__startswith="MC.").exists()
    assert Event.objects.filter(action="evidence.carryover.proposed").count() == 1


def test_propose_twice_adds_only_items_added_since(library, school_a, principal_a, version_pt, catalogs):
    carryover.carry_overs_propose(school=school_a, version=version_pt, by=principal_a)
    assert carryover.carry_overs_propose(school=school_a, version=version_pt, by=principal_a) == 0
    services.evidence_create(school=school_a, criterion=_criterion(catalogs[0], "4.1"), by=principal_a,
                             name="Biên bản họp Ban đại diện cha mẹ học sinh")
    assert carryover.carry_overs_propose(school=school_a, version=version_pt, by=principal_a) == 1
    assert _rows(school_a, version_pt.regulation)["H4-4.1-01"].proposed_criterion.number == "4.3"


def test_archived_items_and_items_already_under_tt57_are_not_proposed(library, school_a, principal_a, version_pt):
    services.evidence_archive(evidence=library["teachers2"], by=principal_a)
    services.evidence_create(school=school_a, criterion=_criterion(version_pt.regulation, "1.2"), by=principal_a,
                             name="Sơ đồ tổ chức nhà trường")
    assert carryover.carry_overs_propose(school=school_a, version=version_pt, by=principal_a) == 3


def test_confirm_creates_the_mc_item_on_the_same_file_and_leaves_the_old_one(library, school_a, principal_a, version_pt):
    carryover.carry_overs_propose(school=school_a, version=version_pt, by=principal_a)
    old = library["strategy"]
    twin = carryover.carry_over_confirm(carry_over=_rows(school_a, version_pt.regulation)["H1-1.1-01"], by=principal_a)
    assert twin.code == "MC.1.1.01"
    assert twin.criterion.standard.version.regulation == version_pt.regulation
    assert (twin.name, twin.box) == (old.name, old.box)
    # One stored file, referred to twice.
    assert twin.file.name == old.file.name and twin.sha256 == old.sha256 and twin.file_size == old.file_size
    old.refresh_from_db()
    assert (old.code, old.criterion.number) == ("H1-1.1-01", "1.1")
    assert old.criterion.standard.version.regulation.code == "TT18/2018"
    row = EvidenceCarryOver.objects.get(source=old)
    assert (row.status, row.result, row.criterion.number, row.decided_by) == ("confirmed", twin, "1.1", principal_a)
    assert twin.carried_from_code == "H1-1.1-01"
    assert Event.objects.filter(action="evidence.carryover.confirmed", data__new="MC.1.1.01").exists()


def test_confirm_with_another_criterion_than_proposed(library, school_a, principal_a, version_pt):
    carryover.carry_overs_propose(school=school_a, version=version_pt, by=principal_a)
    row = _rows(school_a, version_pt.regulation)["H3-3.5-01"]
    twin = carryover.carry_over_confirm(carry_over=row, criterion=_criterion(version_pt.regulation, "3.1"), by=principal_a)
    assert twin.code == "MC.3.1.01"


def test_confirming_twice_is_refused_and_creates_nothing_more(library, school_a, principal_a, version_pt):
    carryover.carry_overs_propose(school=school_a, version=version_pt, by=principal_a)
    row = _rows(school_a, version_pt.regulation)["H1-1.1-01"]
    carryover.carry_over_confirm(carry_over=row, by=principal_a)
    with pytest.raises(services.EvidenceError, match="MC.1.1.01"):
        carryover.carry_over_confirm(carry_over=row, by=principal_a)
    assert Evidence.objects.filter(code__startswith="MC.").count() == 1


def test_a_criterion_of_another_regulation_is_refused(library, school_a, principal_a, version_pt, catalogs):
    carryover.carry_overs_propose(school=school_a, version=version_pt, by=principal_a)
    row = _rows(school_a, version_pt.regulation)["H1-1.1-01"]
    with pytest.raises(services.EvidenceError):
        carryover.carry_over_confirm(carry_over=row, criterion=_criterion(catalogs[0], "1.2"), by=principal_a)


def test_bulk_confirm_only_the_ticked_rows_numbering_in_the_old_order(library, school_a, principal_a, version_pt):
    carryover.carry_overs_propose(school=school_a, version=version_pt, by=principal_a)
    rows = _rows(school_a, version_pt.regulation)
    ticked = [rows["H2-2.2-02"].pk, rows["H2-2.2-01"].pk, rows["H3-3.5-01"].pk]
    mapping = carryover.carry_overs_confirm(school=school_a, regulation=version_pt.regulation, ids=ticked, by=principal_a)
    assert mapping == {"H2-2.2-01": "MC.2.2.01", "H2-2.2-02": "MC.2.2.02", "H3-3.5-01": "MC.4.1.01"}
    counts = carryover.carry_over_counts(school_a, version_pt.regulation)
    assert (counts.total, counts.proposed, counts.confirmed, counts.skipped) == (4, 1, 3, 0)
    # Pressing again changes nothing.
    assert carryover.carry_overs_confirm(school=school_a, regulation=version_pt.regulation, ids=ticked, by=principal_a) == {}
    assert Evidence.objects.filter(code__startswith="MC.").count() == 3


def test_bulk_confirm_numbers_as_one_confirm_each_after_the_slots_items_and_taken_codes(
    library, school_a, principal_a, version_pt
):
    """The batch numbers the twins after the items already coded under the new criterion and skips
    a code taken by hand, exactly as confirming the rows one by one in the same order does."""
    from django.db import transaction

    carryover.carry_overs_propose(school=school_a, version=version_pt, by=principal_a)
    services.evidence_create(school=school_a, criterion=_criterion(version_pt.regulation, "2.2"), by=principal_a,
                             name="Đã có từ đầu năm")
    moved = services.evidence_create(school=school_a, criterion=_criterion(version_pt.regulation, "4.1"),
                                     by=principal_a, name="Chuyển tay")
    Evidence.objects.filter(pk=moved.pk).update(code="MC.4.1.02")
    rows = _rows(school_a, version_pt.regulation)
    ticked = [rows[code].pk for code in ("H2-2.2-01", "H2-2.2-02", "H3-3.5-01")]

    class Undo(Exception):
        pass

    ordered = list(EvidenceCarryOver.objects.filter(pk__in=ticked).order_by(
        "source__criterion__standard__number", "source__criterion__position", "source__sequence", "pk"))
    with pytest.raises(Undo), transaction.atomic():
        one_by_one = {row.source.code: carryover.carry_over_confirm(carry_over=row, by=principal_a).code for row in ordered}
        raise Undo
    mapping = carryover.carry_overs_confirm(school=school_a, regulation=version_pt.regulation, ids=ticked, by=principal_a)
    assert mapping == one_by_one == {"H2-2.2-01": "MC.2.2.02", "H2-2.2-02": "MC.2.2.03", "H3-3.5-01": "MC.4.1.03"}


def test_an_item_used_by_several_criteria_keeps_one_mc_code(library, school_a, principal_a, version_pt):
    carryover.carry_overs_propose(school=school_a, version=version_pt, by=principal_a)
    twin = carryover.carry_over_confirm(carry_over=_rows(school_a, version_pt.regulation)["H1-1.1-01"], by=principal_a)
    services.evidence_share(evidence=twin, criterion=_criterion(version_pt.regulation, "1.3"), by=principal_a)
    twin.refresh_from_db()
    assert twin.code == "MC.1.1.01"
    assert [c.number for c in twin.shared_criteria.all()] == ["1.3"]


def test_skip_and_reopen(library, school_a, principal_a, version_pt):
    carryover.carry_overs_propose(school=school_a, version=version_pt, by=principal_a)
    row = _rows(school_a, version_pt.regulation)["H3-3.5-01"]
    carryover.carry_over_skip(carry_over=row, by=principal_a)
    assert carryover.carry_overs_confirm(
        school=school_a, regulation=version_pt.regulation, ids=[row.pk], by=principal_a
    ) == {}
    carryover.carry_over_reopen(carry_over=row, by=principal_a)
    assert carryover.carry_over_confirm(carry_over=row, by=principal_a).code == "MC.4.1.01"


def test_only_the_principal_confirms(library, school_a, principal_a, staff_a, principal_b, version_pt):
    carryover.carry_overs_propose(school=school_a, version=version_pt, by=principal_a)
    row = _rows(school_a, version_pt.regulation)["H1-1.1-01"]
    for person in (staff_a, principal_b):
        with pytest.raises(PermissionDenied):
            carryover.carry_over_confirm(carry_over=row, by=person)
        with pytest.raises(PermissionDenied):
            carryover.carry_overs_propose(school=school_a, version=version_pt, by=person)
    assert not Evidence.objects.filter(code__startswith="MC.").exists()


def test_removing_the_file_of_one_code_keeps_it_for_the_other(
    library, school_a, principal_a, version_pt, django_capture_on_commit_callbacks
):
    carryover.carry_overs_propose(school=school_a, version=version_pt, by=principal_a)
    twin = carryover.carry_over_confirm(carry_over=_rows(school_a, version_pt.regulation)["H1-1.1-01"], by=principal_a)
    path = twin.file.name
    with django_capture_on_commit_callbacks(execute=True):
        services.evidence_update(evidence=twin, by=principal_a, remove_file=True)
    assert default_storage.exists(path)
    old = Evidence.objects.get(pk=library["strategy"].pk)
    assert old.file.name == path
    # The last item referring to it takes the file with it.
    with django_capture_on_commit_callbacks(execute=True):
        services.evidence_update(evidence=old, by=principal_a, remove_file=True)
    assert not default_storage.exists(path)


def test_counts_need_one_query(library, school_a, principal_a, version_pt, django_assert_num_queries):
    carryover.carry_overs_propose(school=school_a, version=version_pt, by=principal_a)
    with django_assert_num_queries(1):
        carryover.carry_over_counts(school_a, version_pt.regulation)


def test_expired_items_are_proposed_too_and_can_be_left_behind(catalogs, school_a, principal_a, version_pt):
    item = services.evidence_create(
        school=school_a, criterion=_criterion(catalogs[0], "1.2"), by=principal_a, name="Quyết định thành lập Hội đồng trường nhiệm kỳ 2019-2024",
        issued_on=datetime.date(2019, 10, 1), valid_until=datetime.date(2024, 9, 30),
    )
    carryover.carry_overs_propose(school=school_a, version=version_pt, by=principal_a)
    row = EvidenceCarryOver.objects.get(source=item)
    assert row.source.expired
    carryover.carry_over_skip(carry_over=row, by=principal_a)
    assert carryover.carry_over_counts(school_a, version_pt.regulation).skipped == 1
