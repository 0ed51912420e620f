"""Services: coding, stable codes, uploads, sharing, archiving, deleting, renumbering, moving."""

import datetime
import os

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import connection

from evidence import services
from evidence.models import Evidence
from evidence.services import EvidenceConflictError, EvidenceError
from evidence.signals import evidence_codes_changed, evidence_usage
from evidence.tests import samples
from evidence.tests.factories import CriterionFactory, RegulationFactory, StandardFactory, VersionFactory


def create(school, criterion, by, **fields):
    fields.setdefault("name", "Biên bản họp")
    return services.evidence_create(school=school, criterion=criterion, by=by, **fields)


@pytest.fixture
def signal_log():
    """Records every evidence_codes_changed, with whether it was sent inside a transaction."""
    sent = []

    def receiver(sender, school, mapping, **kwargs):
        sent.append({"school": school, "mapping": dict(mapping), "in_atomic": connection.in_atomic_block})

    evidence_codes_changed.connect(receiver, dispatch_uid="test-signal-log")
    yield sent
    evidence_codes_changed.disconnect(dispatch_uid="test-signal-log")


# --- coding ---------------------------------------------------------------------------------------


def test_codes_are_sequential_per_criterion_and_the_box_defaults_to_the_standard(school_a, principal_a, criteria):
    a = create(school_a, criteria["1.1"], principal_a)
    b = create(school_a, criteria["1.1"], principal_a)
    c = create(school_a, criteria["1.2"], principal_a)
    d = create(school_a, criteria["2.1"], principal_a)
    e = create(school_a, criteria["1.10"], principal_a)
    assert [x.code for x in (a, b, c, d, e)] == ["H1-1.1-01", "H1-1.1-02", "H1-1.2-01", "H2-2.1-01", "H1-1.10-01"]
    assert (a.sequence, b.sequence, c.sequence) == (1, 2, 1)
    assert d.box == 2


def test_an_explicit_box_goes_into_the_code(school_a, principal_a, c11):
    assert create(school_a, c11, principal_a, box=4).code == "H4-1.1-01"


def test_each_school_numbers_its_own_evidence(school_a, school_b, principal_a, principal_b, c11):
    assert create(school_a, c11, principal_a).code == "H1-1.1-01"
    assert create(school_b, c11, principal_b).code == "H1-1.1-01"


def test_the_scheme_comes_from_the_criterions_regulation(school_a, principal_a):
    legacy = RegulationFactory(code="TT42/2012-TrH", family="legacy", evidence_code_scheme="Hn.ab.cd.ef")
    newer = RegulationFactory(code="TT57/2026", evidence_code_scheme="MC.a.b.nn")
    legacy_criterion = CriterionFactory(standard=StandardFactory(version=VersionFactory(regulation=legacy), number=3),
                                        number="3.12")
    newer_criterion = CriterionFactory(standard=StandardFactory(version=VersionFactory(regulation=newer), number=1),
                                       number="1.2")
    assert create(school_a, legacy_criterion, principal_a).code == "H3.03.12.01"
    assert create(school_a, newer_criterion, principal_a).code == "MC.1.2.01"


def test_an_unknown_scheme_in_a_catalog_falls_back_to_its_family(school_a, principal_a, regulation, c11):
    regulation.evidence_code_scheme = "something odd"
    regulation.save()
    assert create(school_a, c11, principal_a).code == "H1-1.1-01"


def test_versions_of_one_regulation_share_the_sequence_of_a_criterion(
    school_a, principal_a, criteria, amended_criteria
):
    first = create(school_a, criteria["1.1"], principal_a)
    second = create(school_a, amended_criteria["1.1"], principal_a)
    assert (first.code, second.code) == ("H1-1.1-01", "H1-1.1-02")


def test_a_criterion_of_a_regulation_for_another_school_level_is_refused(school_a, principal_a):
    preschool = RegulationFactory(code="TT19/2018", school_levels=["mn"])
    criterion = CriterionFactory(standard=StandardFactory(version=VersionFactory(regulation=preschool)), number="1.1")
    with pytest.raises(EvidenceError, match="không áp dụng"):
        create(school_a, criterion, principal_a)


def test_a_criterion_that_applies_to_other_levels_only_is_refused(school_a, principal_a, version):
    criterion = CriterionFactory(standard=StandardFactory(version=version, number=3), number="3.7", applies_to=["thpt"])
    with pytest.raises(EvidenceError, match="không áp dụng"):
        create(school_a, criterion, principal_a)


def test_a_repealed_criterion_is_refused(school_a, principal_a, c11):
    c11.is_repealed = True
    c11.save()
    with pytest.raises(EvidenceError, match="bãi bỏ"):
        create(school_a, c11, principal_a)


def test_only_school_members_add_evidence(school_a, reviewer, officer, principal_b, staff_a, c11):
    for outsider in (reviewer, officer, principal_b):
        with pytest.raises(PermissionDenied):
            create(school_a, c11, outsider)
    assert create(school_a, c11, staff_a).created_by == staff_a


def test_invalid_fields_are_refused_with_a_message_and_nothing_is_saved(school_a, principal_a, c11):
    with pytest.raises(EvidenceError, match="Ngày hết hiệu lực"):
        create(school_a, c11, principal_a, issued_on=datetime.date(2024, 1, 1), valid_until=datetime.date(2023, 1, 1))
    with pytest.raises(EvidenceError):
        create(school_a, c11, principal_a, name="")
    with pytest.raises(EvidenceError):
        create(school_a, c11, principal_a, link="javascript:alert(1)")
    assert not Evidence.objects.exists()


def test_unknown_fields_are_a_programming_error(school_a, principal_a, c11):
    with pytest.raises(TypeError):
        create(school_a, c11, principal_a, code="H9-9.9-99")


# --- several at once (evidence_create_many) ---------------------------------------------------------

_ROW = ("code", "sequence", "box", "criterion_id", "name", "issued_on", "issuer", "note", "file_name", "file_size",
        "content_type", "sha256", "created_by_id", "updated_by_id", "search_text")


def _batch(criteria, amended_criteria):
    """A library put in at once: two criteria, a version's twin criterion sharing the sequence, an
    explicit box, a file, and a code already taken by an item moved there by hand."""
    return [
        {"criterion": criteria["1.1"], "name": "Kế hoạch năm học", "issued_on": datetime.date(2024, 9, 5)},
        {"criterion": criteria["1.2"], "name": "Quyết định", "issuer": "Phòng GD&ĐT"},
        {"criterion": amended_criteria["1.1"], "name": "Biên bản", "upload": ContentFile(samples.pdf(), name="bb.pdf")},
        {"criterion": criteria["1.1"], "name": "Báo cáo", "box": 4, "note": "Hộp riêng"},
        {"criterion": criteria["1.1"], "name": "Sổ theo dõi"},
        {"criterion": criteria["2.1"], "name": "  Danh sách  "},
    ]


def _rows(school):
    return list(Evidence.objects.filter(school=school).order_by("pk").values_list(*_ROW))


def test_several_items_at_once_get_what_one_call_each_gives(school_a, principal_a, criteria, amended_criteria):
    """Codes, sequences, fields and files as evidence_create called for each item in turn, with a
    taken code skipped in both."""
    from django.db import transaction

    taken = create(school_a, criteria["1.2"], principal_a, name="Đã có")
    Evidence.objects.filter(pk=taken.pk).update(code="H4-1.1-03")  # moved there by hand

    class Undo(Exception):
        pass

    with pytest.raises(Undo), transaction.atomic():
        for item in _batch(criteria, amended_criteria):
            fields = dict(item)
            create(school_a, fields.pop("criterion"), principal_a, **fields)
        one_by_one = _rows(school_a)
        raise Undo
    made = services.evidence_create_many(school=school_a, items=_batch(criteria, amended_criteria), by=principal_a)
    assert _rows(school_a) == one_by_one
    assert [e.code for e in made] == ["H1-1.1-01", "H1-1.2-02", "H1-1.1-02", "H4-1.1-04", "H1-1.1-05", "H2-2.1-01"]
    with made[2].file.open("rb") as stored:
        assert stored.read() == samples.pdf()


def test_several_items_at_once_are_refused_as_a_whole(settings, school_a, principal_a, reviewer, criteria, amended_criteria):
    """An outsider, a criterion for another school level, an invalid field or a refused file refuses
    the batch: no item is saved and no file stays stored."""
    items = _batch(criteria, amended_criteria)
    with pytest.raises(PermissionDenied):
        services.evidence_create_many(school=school_a, items=items, by=reviewer)
    preschool = RegulationFactory(code="TT19/2018", school_levels=["mn"])
    foreign = CriterionFactory(standard=StandardFactory(version=VersionFactory(regulation=preschool)), number="1.1")
    for bad in ({"criterion": foreign, "name": "Khác cấp"}, {"criterion": criteria["1.1"], "name": ""},
                {"criterion": criteria["1.1"], "name": "Trang", "upload": ContentFile(b"<html></html>", name="x.pdf")}):
        with pytest.raises(EvidenceError):
            services.evidence_create_many(school=school_a, items=[*_batch(criteria, amended_criteria), bad], by=principal_a)
    assert not Evidence.objects.exists()
    stored = os.path.join(settings.MEDIA_ROOT, "evidence")
    assert not os.path.exists(stored) or not any(files for _root, _dirs, files in os.walk(stored))


# --- files ----------------------------------------------------------------------------------------


def test_an_upload_is_stored_under_a_generated_name_with_its_checksum(settings, school_a, principal_a, c11):
    content = samples.pdf()
    item = create(school_a, c11, principal_a, upload=ContentFile(content, name="../../Biên bản họp.pdf"))
    assert item.file_name == "Biên bản họp.pdf"
    assert item.content_type == "application/pdf"
    assert item.file_size == len(content)
    import hashlib

    assert item.sha256 == hashlib.sha256(content).hexdigest()
    assert item.file.name.startswith(f"evidence/{school_a.pk}/")
    assert "Biên" not in item.file.name and ".." not in item.file.name
    assert item.file.name.endswith(".pdf")
    path = os.path.join(settings.MEDIA_ROOT, item.file.name)
    assert os.path.realpath(path).startswith(os.path.realpath(settings.MEDIA_ROOT))
    with open(path, "rb") as stored:
        assert stored.read() == content


def test_a_refused_upload_saves_neither_the_item_nor_a_file(settings, school_a, principal_a, c11):
    with pytest.raises(EvidenceError, match="trang web"):
        create(school_a, c11, principal_a, upload=ContentFile(b"<html><script></script>", name="x.pdf"))
    assert not Evidence.objects.exists()
    assert not os.path.exists(os.path.join(settings.MEDIA_ROOT, "evidence"))


def test_an_oversized_upload_is_refused(settings, school_a, principal_a, c11):
    settings.EVIDENCE_MAX_UPLOAD_MB = 1
    big = samples.pdf() + b"\x00" * (1024 * 1024)
    with pytest.raises(EvidenceError, match="vượt giới hạn"):
        create(school_a, c11, principal_a, upload=ContentFile(big, name="lon.pdf"))


def test_replacing_the_file_deletes_the_old_one_after_commit(
    settings, django_capture_on_commit_callbacks, school_a, principal_a, c11
):
    item = create(school_a, c11, principal_a, upload=ContentFile(samples.pdf(), name="a.pdf"))
    old = os.path.join(settings.MEDIA_ROOT, item.file.name)
    with django_capture_on_commit_callbacks(execute=True):
        updated = services.evidence_update(
            evidence=item, by=principal_a, upload=ContentFile(samples.docx(), name="b.docx")
        )
    assert not os.path.exists(old)
    assert updated.file_name == "b.docx" and updated.content_type.endswith("document")
    assert os.path.exists(os.path.join(settings.MEDIA_ROOT, updated.file.name))


def test_removing_the_file_clears_its_metadata(settings, django_capture_on_commit_callbacks, school_a, principal_a, c11):
    item = create(school_a, c11, principal_a, upload=ContentFile(samples.pdf(), name="a.pdf"))
    old = os.path.join(settings.MEDIA_ROOT, item.file.name)
    with django_capture_on_commit_callbacks(execute=True):
        updated = services.evidence_update(evidence=item, by=principal_a, remove_file=True)
    assert not updated.file and not updated.sha256 and not updated.file_name and updated.file_size is None
    assert not os.path.exists(old)


# --- editing ---------------------------------------------------------------------------------------


def test_the_code_is_stable_through_edits_even_of_the_box(school_a, principal_a, c11):
    item = create(school_a, c11, principal_a)
    updated = services.evidence_update(evidence=item, by=principal_a, name="Tên mới", box=7, issuer="Tổ Toán")
    assert updated.code == "H1-1.1-01"
    assert (updated.name, updated.box, updated.issuer, updated.version) == ("Tên mới", 7, "Tổ Toán", 2)
    assert updated.updated_by == principal_a


def test_a_concurrent_edit_is_refused_and_keeps_the_other_version(school_a, principal_a, staff_a, c11):
    item = create(school_a, c11, staff_a)
    services.evidence_update(evidence=item, by=principal_a, version=1, name="Bản của hiệu trưởng")
    with pytest.raises(EvidenceConflictError) as error:
        services.evidence_update(evidence=item, by=staff_a, version=1, name="Bản của giáo viên")
    assert error.value.current.name == "Bản của hiệu trưởng"
    item.refresh_from_db()
    assert item.name == "Bản của hiệu trưởng"


def test_only_the_principal_or_the_creator_edits(school_a, principal_a, staff_a, reviewer, c11):
    from schools.models import Membership
    from schools.tests.factories import MembershipFactory, UserFactory

    colleague = UserFactory()
    MembershipFactory(user=colleague, role=Membership.Role.SCHOOL_STAFF, school=school_a)
    item = create(school_a, c11, staff_a)
    for outsider in (colleague, reviewer):
        with pytest.raises(PermissionDenied):
            services.evidence_update(evidence=item, by=outsider, name="x")
    services.evidence_update(evidence=item, by=staff_a, name="của tôi")
    services.evidence_update(evidence=item, by=principal_a, name="của hiệu trưởng")


def test_an_archived_item_cannot_be_edited_until_restored(school_a, principal_a, c11):
    item = create(school_a, c11, principal_a)
    services.evidence_archive(evidence=item, by=principal_a)
    with pytest.raises(EvidenceError, match="lưu trữ"):
        services.evidence_update(evidence=item, by=principal_a, name="x")
    services.evidence_restore(evidence=item, by=principal_a)
    assert services.evidence_update(evidence=item, by=principal_a, name="x").name == "x"


# --- sharing ---------------------------------------------------------------------------------------


def test_sharing_keeps_the_code_and_records_the_other_criterion(school_a, staff_a, criteria):
    item = create(school_a, criteria["1.1"], staff_a)
    services.evidence_share(evidence=item, criterion=criteria["5.1"], by=staff_a)
    item.refresh_from_db()
    assert item.code == "H1-1.1-01"
    assert list(item.shared_criteria.all()) == [criteria["5.1"]]
    assert item.is_usable_for(criteria["5.1"]) and item.is_usable_for(criteria["1.1"])
    assert not item.is_usable_for(criteria["1.2"])


def test_sharing_with_the_home_criterion_or_twice_is_refused(school_a, principal_a, criteria, amended_criteria):
    item = create(school_a, criteria["1.1"], principal_a)
    with pytest.raises(EvidenceError, match="đã được mã hóa"):
        services.evidence_share(evidence=item, criterion=amended_criteria["1.1"], by=principal_a)
    services.evidence_share(evidence=item, criterion=criteria["1.2"], by=principal_a)
    with pytest.raises(EvidenceError, match="đã được dùng chung"):
        services.evidence_share(evidence=item, criterion=criteria["1.2"], by=principal_a)


def test_usable_for_matches_the_same_criterion_in_another_version(school_a, principal_a, criteria, amended_criteria):
    item = create(school_a, criteria["1.1"], principal_a)
    services.evidence_share(evidence=item, criterion=criteria["2.1"], by=principal_a)
    assert item.is_usable_for(amended_criteria["1.1"])
    assert item.is_usable_for(amended_criteria["2.1"])


def test_unsharing(school_a, principal_a, criteria):
    item = create(school_a, criteria["1.1"], principal_a)
    services.evidence_share(evidence=item, criterion=criteria["1.2"], by=principal_a)
    services.evidence_unshare(evidence=item, criterion=criteria["1.2"], by=principal_a)
    assert not item.shared_criteria.exists()


def test_district_staff_cannot_share(school_a, principal_a, reviewer, criteria):
    item = create(school_a, criteria["1.1"], principal_a)
    with pytest.raises(PermissionDenied):
        services.evidence_share(evidence=item, criterion=criteria["1.2"], by=reviewer)


# --- archiving and deleting ----------------------------------------------------------------------


def test_archiving_keeps_the_code_taken(school_a, principal_a, c11):
    first = create(school_a, c11, principal_a)
    services.evidence_archive(evidence=first, by=principal_a)
    assert create(school_a, c11, principal_a).code == "H1-1.1-02"


def test_deleting_an_item_that_is_cited_is_refused(school_a, principal_a, c11):
    item = create(school_a, c11, principal_a)

    def cited(sender, evidence, **kwargs):
        return [f"Báo cáo 2024-2025, tiêu chí {evidence.criterion.number}"]

    evidence_usage.connect(cited, dispatch_uid="test-cited")
    try:
        with pytest.raises(EvidenceError, match="đang được trích dẫn: Báo cáo 2024-2025, tiêu chí 1.1"):
            services.evidence_delete(evidence=item, by=principal_a)
    finally:
        evidence_usage.disconnect(dispatch_uid="test-cited")
    assert Evidence.objects.filter(pk=item.pk).exists()


def test_deleting_an_uncited_item_removes_it_and_its_file(
    settings, django_capture_on_commit_callbacks, school_a, principal_a, c11
):
    item = create(school_a, c11, principal_a, upload=ContentFile(samples.png(), name="anh.png"))
    path = os.path.join(settings.MEDIA_ROOT, item.file.name)
    with django_capture_on_commit_callbacks(execute=True):
        services.evidence_delete(evidence=item, by=principal_a)
    assert not Evidence.objects.filter(pk=item.pk).exists()
    assert not os.path.exists(path)


def test_staff_cannot_delete_someone_elses_item(school_a, principal_a, staff_a, c11):
    item = create(school_a, c11, principal_a)
    with pytest.raises(PermissionDenied):
        services.evidence_delete(evidence=item, by=staff_a)


# --- renumbering ------------------------------------------------------------------------------------


def test_renumbering_closes_gaps_per_criterion_and_sends_the_mapping_inside_the_transaction(
    school_a, principal_a, criteria, signal_log
):
    items = [create(school_a, criteria["1.1"], principal_a, name=f"MC {i}") for i in range(1, 5)]
    other = create(school_a, criteria["1.2"], principal_a)
    services.evidence_delete(evidence=items[1], by=principal_a)  # H1-1.1-02 leaves a gap
    mapping = services.evidence_renumber(school=school_a, by=principal_a)
    assert mapping == {"H1-1.1-03": "H1-1.1-02", "H1-1.1-04": "H1-1.1-03"}
    codes = dict(Evidence.objects.filter(school=school_a).values_list("name", "code"))
    assert codes == {"MC 1": "H1-1.1-01", "MC 3": "H1-1.1-02", "MC 4": "H1-1.1-03", other.name: "H1-1.2-01"}
    assert len(signal_log) == 1
    assert signal_log[0]["mapping"] == mapping and signal_log[0]["school"] == school_a
    assert signal_log[0]["in_atomic"]


def test_renumbering_follows_box_changes(school_a, principal_a, c11, signal_log):
    item = create(school_a, c11, principal_a)
    services.evidence_update(evidence=item, by=principal_a, box=3)
    assert services.evidence_renumber(school=school_a, by=principal_a) == {"H1-1.1-01": "H3-1.1-01"}


def test_renumbering_puts_archived_items_last_and_may_swap_codes(school_a, principal_a, c11, signal_log):
    first = create(school_a, c11, principal_a, name="cũ")
    create(school_a, c11, principal_a, name="mới")
    services.evidence_archive(evidence=first, by=principal_a)
    mapping = services.evidence_renumber(school=school_a, by=principal_a)
    assert mapping == {"H1-1.1-01": "H1-1.1-02", "H1-1.1-02": "H1-1.1-01"}
    assert Evidence.objects.get(name="mới").code == "H1-1.1-01"
    assert Evidence.objects.get(name="cũ").code == "H1-1.1-02"


def test_renumbering_an_orderly_library_changes_nothing_and_sends_nothing(school_a, principal_a, c11, signal_log):
    create(school_a, c11, principal_a)
    assert services.evidence_renumber(school=school_a, by=principal_a) == {}
    assert signal_log == []


def test_renumbering_is_rolled_back_when_a_receiver_fails(school_a, principal_a, c11):
    items = [create(school_a, c11, principal_a) for _ in range(3)]
    services.evidence_delete(evidence=items[0], by=principal_a)

    def broken(sender, **kwargs):
        raise RuntimeError("could not rewrite the reports")

    evidence_codes_changed.connect(broken, dispatch_uid="test-broken")
    try:
        with pytest.raises(RuntimeError):
            services.evidence_renumber(school=school_a, by=principal_a)
    finally:
        evidence_codes_changed.disconnect(dispatch_uid="test-broken")
    assert sorted(Evidence.objects.values_list("code", flat=True)) == ["H1-1.1-02", "H1-1.1-03"]


def test_renumbering_touches_only_the_school_and_is_the_principals(school_a, school_b, principal_a, principal_b, staff_a, c11):
    a = [create(school_a, c11, principal_a) for _ in range(2)]
    b = [create(school_b, c11, principal_b) for _ in range(2)]
    services.evidence_delete(evidence=a[0], by=principal_a)
    services.evidence_delete(evidence=b[0], by=principal_b)
    with pytest.raises(PermissionDenied):
        services.evidence_renumber(school=school_a, by=staff_a)
    services.evidence_renumber(school=school_a, by=principal_a)
    assert Evidence.objects.get(pk=a[1].pk).code == "H1-1.1-01"
    assert Evidence.objects.get(pk=b[1].pk).code == "H1-1.1-02"


def test_renumbering_keeps_search_text_in_step(school_a, principal_a, c11):
    items = [create(school_a, c11, principal_a) for _ in range(2)]
    services.evidence_delete(evidence=items[0], by=principal_a)
    services.evidence_renumber(school=school_a, by=principal_a)
    assert Evidence.objects.get().search_text.startswith("h1-1.1-01 ")


def test_renumber_preview_changes_nothing(school_a, principal_a, c11):
    items = [create(school_a, c11, principal_a) for _ in range(2)]
    services.evidence_delete(evidence=items[0], by=principal_a)
    assert services.renumber_preview(school_a) == {"H1-1.1-02": "H1-1.1-01"}
    assert Evidence.objects.get().code == "H1-1.1-02"


# --- moving ---------------------------------------------------------------------------------------


def test_moving_to_another_criterion_gives_a_new_code_and_tells_the_reports(
    school_a, principal_a, criteria, signal_log
):
    create(school_a, criteria["2.1"], principal_a)
    item = create(school_a, criteria["1.1"], principal_a)
    services.evidence_share(evidence=item, criterion=criteria["2.1"], by=principal_a)
    mapping = services.evidence_move(evidence=item, criterion=criteria["2.1"], by=principal_a)
    item.refresh_from_db()
    assert mapping == {"H1-1.1-01": "H2-2.1-02"}
    assert (item.code, item.box, item.criterion) == ("H2-2.1-02", 2, criteria["2.1"])
    assert not item.shared_criteria.exists()
    assert signal_log[0]["mapping"] == mapping


def test_moving_keeps_a_box_chosen_by_hand(school_a, principal_a, criteria, signal_log):
    item = create(school_a, criteria["1.1"], principal_a, box=9)
    assert services.evidence_move(evidence=item, criterion=criteria["1.2"], by=principal_a) == {"H9-1.1-01": "H9-1.2-01"}


def test_moving_is_the_principals(school_a, staff_a, criteria):
    item = create(school_a, criteria["1.1"], staff_a)
    with pytest.raises(PermissionDenied):
        services.evidence_move(evidence=item, criterion=criteria["1.2"], by=staff_a)


def test_moving_to_the_same_criterion_is_refused(school_a, principal_a, criteria, amended_criteria):
    item = create(school_a, criteria["1.1"], principal_a)
    with pytest.raises(EvidenceError, match="đã thuộc"):
        services.evidence_move(evidence=item, criterion=amended_criteria["1.1"], by=principal_a)
