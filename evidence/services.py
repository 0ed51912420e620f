"""Writes of the evidence library: the only code that creates, changes, codes and renumbers items.

Codes are allocated under a lock on the school row, so two people adding evidence to the same
criterion at the same moment get 01 and 02, never the same code twice (the unique constraints
would refuse it anyway; the lock makes it not happen).
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import Any, cast

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Field, Max, QuerySet, UniqueConstraint
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import event_record
from kiemdinh import validation
from kiemdinh.i18n import N_, Text
from kiemdinh.permissions import require
from schools.models import School, User
from standards.models import Criterion, Regulation

from . import codes, uploads
from .models import Evidence, criterion_key
from .signals import evidence_codes_changed, usage_of

logger = logging.getLogger(__name__)

# Fields a person fills in; everything else (codes, files, bookkeeping) is the services' business.
EDITABLE_FIELDS = (
    "name", "issued_number", "issued_on", "issued_period", "issuer", "box", "note", "valid_until", "link",
)


class EvidenceError(Exception):
    """A business rule refused the write; the message is for the user."""


class EvidenceConflictError(EvidenceError):
    """Someone else saved the item since it was loaded; ``current`` is their version."""

    def __init__(self, message: str, *, current: Evidence):
        super().__init__(message)
        self.current = current


def max_upload_bytes() -> int:
    return int(getattr(settings, "EVIDENCE_MAX_UPLOAD_MB", 20)) * 1024 * 1024


def scheme_for(criterion: Criterion) -> codes.Scheme:
    """The code scheme of the criterion's regulation (see ``scheme_for_regulation``)."""
    return scheme_for_regulation(criterion.standard.version.regulation)


def scheme_for_regulation(regulation: Regulation) -> codes.Scheme:
    """The code scheme a regulation names; a scheme the catalog misnames falls back to its family's.

    Falling back (and logging) rather than refusing: a typo in a catalog must not stop every school
    from recording evidence, and a renumbering after the catalog is corrected fixes the codes.
    """
    try:
        return codes.resolve_scheme(regulation.evidence_code_scheme, family=regulation.family)
    except codes.UnknownSchemeError:
        logger.warning(
            "Regulation %s names an unknown evidence code scheme %r; using the %s family's.",
            regulation.code, regulation.evidence_code_scheme, regulation.family,
        )
        return codes.resolve_scheme("", family=regulation.family)


def _criterion_parts(criterion: Criterion) -> tuple[int, int]:
    try:
        return codes.split_criterion_number(criterion.number)
    except ValueError:
        raise EvidenceError(
            _("Tiêu chí %(number)s không có số dạng “tiêu chuẩn.tiêu chí” nên không tạo được mã minh chứng.")
            % {"number": criterion.number}
        ) from None


def code_for(criterion: Criterion, *, box: int, sequence: int) -> str:
    standard, number = _criterion_parts(criterion)
    try:
        return codes.format_code(scheme_for(criterion), box=box, standard=standard, criterion=number, sequence=sequence)
    except ValueError as exc:
        raise EvidenceError(_("Không tạo được mã minh chứng: %(error)s") % {"error": exc}) from None


def default_box(criterion: Criterion) -> int:
    """The box defaults to the standard's number: hộp 1 holds the evidence of tiêu chuẩn 1."""
    return criterion.standard.number


def _lock_school(school: School) -> School:
    return School.objects.select_for_update().get(pk=school.pk)


def _slot_items(school: School, criterion: Criterion) -> QuerySet[Evidence]:
    """Items of the school coded under the same criterion of the same regulation, any version."""
    return Evidence.objects.filter(
        school=school,
        criterion__standard__version__regulation_id=criterion.standard.version.regulation_id,
        criterion__number=criterion.number,
    )


def _allocate(school: School, criterion: Criterion, box: int) -> tuple[int, str]:
    """The next sequence of the criterion and its code; call with the school row locked."""
    top = _slot_items(school, criterion).aggregate(top=Max("sequence"))["top"] or 0
    sequence = top + 1
    code = code_for(criterion, box=box, sequence=sequence)
    # A code can still be taken when items were moved between boxes or regulations by hand; skip it.
    while Evidence.objects.filter(school=school, code=code).exists():
        sequence += 1
        code = code_for(criterion, box=box, sequence=sequence)
    return sequence, code


class Allocator:
    """``_allocate`` for several items of one school in one transaction (school row locked): the
    school's codes and each slot's top sequence are read once, then kept as the items are added."""

    def __init__(self, school: School):
        self.school = school
        self.taken = set(Evidence.objects.filter(school=school).values_list("code", flat=True))
        self.tops: dict[tuple[int, str], int] = {}

    def next(self, criterion: Criterion, box: int) -> tuple[int, str]:
        """The sequence and code ``_allocate`` would give now; call ``taken_by`` once the item is saved."""
        slot = (criterion.standard.version.regulation_id, criterion.number)
        if slot not in self.tops:
            self.tops[slot] = _slot_items(self.school, criterion).aggregate(top=Max("sequence"))["top"] or 0
        sequence = self.tops[slot] + 1
        code = code_for(criterion, box=box, sequence=sequence)
        while code in self.taken:
            sequence += 1
            code = code_for(criterion, box=box, sequence=sequence)
        return sequence, code

    def taken_by(self, evidence: Evidence) -> None:
        slot = (evidence.criterion.standard.version.regulation_id, evidence.criterion.number)
        self.tops[slot] = max(self.tops.get(slot, 0), evidence.sequence)
        self.taken.add(evidence.code)


def _check_criterion(school: School, criterion: Criterion) -> Criterion:
    criterion = Criterion.objects.select_related("standard__version__regulation").get(pk=criterion.pk)
    regulation = criterion.standard.version.regulation
    if school.level not in (regulation.school_levels or []) or (
        criterion.applies_to and school.level not in criterion.applies_to
    ):
        raise EvidenceError(
            _("Tiêu chí %(number)s của %(regulation)s không áp dụng cho %(school)s.")
            % {"number": criterion.number, "regulation": regulation.code, "school": school.name}
        )
    if criterion.is_repealed:
        raise EvidenceError(_("Tiêu chí %(number)s đã bị bãi bỏ.") % {"number": criterion.number})
    return criterion


def _clean_fields(fields: dict[str, Any]) -> dict[str, Any]:
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"Unknown evidence fields: {sorted(unknown)}")
    cleaned = dict(fields)
    for key in ("name", "issued_number", "issued_period", "issuer", "note", "link"):
        if key in cleaned and cleaned[key] is not None:
            cleaned[key] = str(cleaned[key]).strip()
        elif key in cleaned:
            cleaned[key] = ""
    return cleaned


def _full_clean(evidence: Evidence, *, allocated: bool = False) -> None:
    """Fields, ``Evidence.clean`` and the unique constraints (a check constraint costs a query each; the
    ones a user can break are in ``clean``).

    ``allocated``: the code and sequence come from an ``Allocator`` of the school, whose row is locked;
    it read every code of the school and the top sequence of the slot, so both unique constraints hold
    by construction and their two queries per item are spared (the database still enforces them)."""
    exclude = {"file", "search_text"}
    try:
        validation.full_clean(evidence, exclude=exclude, validate_constraints=False)
        for constraint in () if allocated else Evidence._meta.constraints:
            if isinstance(constraint, UniqueConstraint):
                # BaseConstraint.validate (Django 4.1+) is missing from django-stubs' UniqueConstraint.
                cast(Any, constraint).validate(Evidence, evidence, exclude=exclude)
    except ValidationError as exc:
        if not hasattr(exc, "error_dict"):  # a unique constraint's own message
            raise EvidenceError(" ".join(exc.messages)) from None
        messages: list[str] = []
        for field, errors in exc.message_dict.items():
            # Validation errors are keyed by the model's own concrete fields, never a relation's reverse side.
            label = cast("Field[Any, Any]", Evidence._meta.get_field(field)).verbose_name if field != "__all__" else ""
            messages.extend(f"{label}: {error}" if label else str(error) for error in errors)
        raise EvidenceError(" ".join(messages)) from None


def _store(evidence: Evidence, upload: Any, *, name: str | None = None) -> str:
    """Check and store an uploaded file on the item; return the storage path (for clean-up on failure)."""
    try:
        size = upload.size if upload.size is not None else 0
        checked = uploads.check_upload(upload, name=name or upload.name, size=size, max_bytes=max_upload_bytes())
    except uploads.UploadError as exc:
        raise EvidenceError(str(exc)) from None
    evidence.content_type = checked.content_type
    evidence.file_name = checked.name
    evidence.file_size = checked.size
    evidence.sha256 = checked.sha256
    upload.seek(0)
    # FieldFile.save asks upload_to for the path, which ignores the name given here.
    evidence.file.save(checked.name, File(upload), save=False)
    return cast(str, evidence.file.name)


def _delete_file_on_commit(path: str) -> None:
    """Delete a stored file after the commit, unless an item still refers to it.

    Items carried to a newer regulation share their file with the item they came from
    (``carryover``): replacing or deleting one of them must leave the other's file in place.
    """
    if path:
        transaction.on_commit(lambda: _delete_if_unused(path))


def _delete_if_unused(path: str) -> None:
    if not Evidence.objects.filter(file=path).exists():
        default_storage.delete(path)


@transaction.atomic
def evidence_create(*, school: School, criterion: Criterion, by: User, upload: Any = None, **fields: Any) -> Evidence:
    """Record an item of the school, coded under ``criterion`` with the next free sequence.

    With ``upload`` (an UploadedFile or any binary file with ``name`` and ``size``) the file is
    checked (type by content, size), stored under a generated name, and its SHA-256 kept.
    """
    require(by, "evidence.add", school)
    school = _lock_school(school)
    criterion = _check_criterion(school, criterion)
    fields = _clean_fields(fields)
    if not fields.get("box"):
        fields["box"] = default_box(criterion)
    sequence, code = _allocate(school, criterion, fields["box"])
    evidence = Evidence(
        school=school, criterion=criterion, sequence=sequence, code=code, created_by=by, updated_by=by, **fields
    )
    _full_clean(evidence)
    stored = ""
    try:
        if upload is not None:
            stored = _store(evidence, upload)
        evidence.save()
    except BaseException:
        if stored:
            default_storage.delete(stored)
        raise
    logger.debug("evidence.created school=%s code=%s by=%s", school.pk, code, by.pk)
    return evidence


@transaction.atomic
def evidence_create_many(*, school: School, items: Sequence[Mapping[str, Any]], by: User) -> list[Evidence]:
    """Record several items of one school at once (a whole library put in: the demo, an import).

    Each item is the keyword arguments of ``evidence_create`` but the school and the person
    (``criterion``, optionally ``upload``, and the fields). The items get what ``evidence_create``
    called for each in turn gives them (the same checks, codes, sequences and files), with one
    permission check, one school lock, each criterion checked once and the codes of the school read
    once. All or nothing: a refused item refuses the batch (and its stored files are deleted).
    """
    require(by, "evidence.add", school)
    school = _lock_school(school)
    checked: dict[int, Criterion] = {}
    allocator = Allocator(school)
    created: list[Evidence] = []
    stored: list[str] = []
    try:
        for item in items:
            fields = dict(item)
            criterion, upload = fields.pop("criterion"), fields.pop("upload", None)
            if criterion.pk not in checked:
                checked[criterion.pk] = _check_criterion(school, criterion)
            criterion = checked[criterion.pk]
            fields = _clean_fields(fields)
            if not fields.get("box"):
                fields["box"] = default_box(criterion)
            sequence, code = allocator.next(criterion, fields["box"])
            evidence = Evidence(
                school=school, criterion=criterion, sequence=sequence, code=code, created_by=by, updated_by=by, **fields
            )
            _full_clean(evidence, allocated=True)
            if upload is not None:
                stored.append(_store(evidence, upload))
            evidence.save()
            allocator.taken_by(evidence)
            created.append(evidence)
            logger.debug("evidence.created school=%s code=%s by=%s", school.pk, code, by.pk)
    except BaseException:
        for path in stored:
            default_storage.delete(path)
        raise
    return created


def _lock(evidence: Evidence) -> Evidence:
    return (
        Evidence.objects.select_for_update(of=("self",))
        .select_related("school", "criterion__standard__version__regulation")
        .get(pk=evidence.pk)
    )


@transaction.atomic
def evidence_update(
    *,
    evidence: Evidence,
    by: User,
    version: int | None = None,
    upload: Any = None,
    remove_file: bool = False,
    **fields: Any,
) -> Evidence:
    """Change what a person fills in, and the file. The code never changes here, even with the box.

    ``version`` is the item's version the person started from: if someone saved in between,
    EvidenceConflictError carries their version and nothing is written.
    """
    current = _lock(evidence)
    require(by, "evidence.change", current)
    if version is not None and current.version != version:
        raise EvidenceConflictError(
            _(
                "%(who)s đã sửa minh chứng này lúc %(when)s, sau khi bạn mở trang. Thay đổi của bạn chưa được lưu; "
                "hãy xem bản hiện tại rồi nhập lại."
            )
            % {
                "who": current.updated_by.display_name if current.updated_by else _("Người khác"),
                "when": timezone.localtime(current.updated_at).strftime("%H:%M %d/%m/%Y"),
            },
            current=current,
        )
    if current.is_archived:
        raise EvidenceError(_("Minh chứng đã được lưu trữ; hãy khôi phục trước khi sửa."))
    for key, value in _clean_fields(fields).items():
        setattr(current, key, value)
    if not current.box:
        current.box = default_box(current.criterion)
    old_file = current.file.name if current.file else ""
    if remove_file and upload is None:
        current.file = ""
        current.file_name = current.content_type = current.sha256 = ""
        current.file_size = None
    current.updated_by = by
    current.version += 1
    _full_clean(current)
    stored = ""
    try:
        if upload is not None:
            stored = _store(current, upload)
        current.save()
    except BaseException:
        if stored:
            default_storage.delete(stored)
        raise
    if old_file and old_file != (current.file.name if current.file else ""):
        _delete_file_on_commit(old_file)
    return current


@transaction.atomic
def evidence_share(*, evidence: Evidence, criterion: Criterion, by: User) -> Evidence:
    """Declare that another criterion uses the item too; it keeps its code (domain.md)."""
    current = _lock(evidence)
    require(by, "evidence.share", current)
    criterion = _check_criterion(current.school, criterion)
    if criterion_key(criterion) == criterion_key(current.criterion):
        raise EvidenceError(
            _("Minh chứng %(code)s đã được mã hóa theo tiêu chí %(number)s.")
            % {"code": current.code, "number": criterion.number}
        )
    if current.shared_criteria.filter(pk=criterion.pk).exists():
        raise EvidenceError(
            _("Minh chứng %(code)s đã được dùng chung cho tiêu chí %(number)s.")
            % {"code": current.code, "number": criterion.number}
        )
    current.shared_criteria.add(criterion)
    Evidence.objects.filter(pk=current.pk).update(updated_at=timezone.now())
    return current


@transaction.atomic
def evidence_unshare(*, evidence: Evidence, criterion: Criterion, by: User) -> Evidence:
    current = _lock(evidence)
    require(by, "evidence.share", current)
    current.shared_criteria.remove(criterion)
    Evidence.objects.filter(pk=current.pk).update(updated_at=timezone.now())
    return current


@transaction.atomic
def evidence_archive(*, evidence: Evidence, by: User) -> Evidence:
    """Take an item out of the library; its code stays taken, so old citations stay meaningful."""
    current = _lock(evidence)
    require(by, "evidence.change", current)
    if not current.is_archived:
        current.is_archived = True
        current.archived_at = timezone.now()
        current.updated_by = by
        current.version += 1
        current.save(update_fields=["is_archived", "archived_at", "updated_by", "version", "updated_at"])
        event_record(
            actor=by, action="evidence.item.archived", target=current, school=current.school,
            summary=Text(N_("Lưu trữ minh chứng %(code)s"), {"code": current.code}), data={"code": current.code},
        )
    return current


@transaction.atomic
def evidence_restore(*, evidence: Evidence, by: User) -> Evidence:
    current = _lock(evidence)
    require(by, "evidence.change", current)
    if current.is_archived:
        current.is_archived = False
        current.archived_at = None
        current.updated_by = by
        current.version += 1
        current.save(update_fields=["is_archived", "archived_at", "updated_by", "version", "updated_at"])
        event_record(
            actor=by, action="evidence.item.restored", target=current, school=current.school,
            summary=Text(N_("Khôi phục minh chứng %(code)s"), {"code": current.code}), data={"code": current.code},
        )
    return current


@transaction.atomic
def evidence_delete(*, evidence: Evidence, by: User) -> None:
    """Delete an item nobody cites (asked through ``signals.evidence_usage``); its file goes on commit."""
    current = _lock(evidence)
    require(by, "evidence.change", current)
    places = usage_of(current)
    if places:
        raise EvidenceError(
            _("Không xóa được minh chứng %(code)s vì đang được trích dẫn: %(places)s. Bạn có thể lưu trữ nó.")
            % {"code": current.code, "places": "; ".join(places)}
        )
    path = current.file.name if current.file else ""
    # Recorded before the row goes: the event keeps the item's id, code and title.
    event_record(
        actor=by, action="evidence.item.deleted", target=current, school=current.school,
        summary=Text(N_("Xóa minh chứng %(code)s"), {"code": current.code}),
        data={"code": current.code, "name": current.name[:200]},
    )
    current.delete()
    _delete_file_on_commit(path)


def _sort_key(item: Evidence) -> tuple[bool, int, int]:
    return (item.is_archived, item.sequence, item.pk)


def _apply_codes(school: School, changes: dict[int, tuple[int, str]]) -> None:
    """Give items new (sequence, code) pairs without ever colliding on the unique constraints.

    First every changing item moves to a placeholder (a sequence above any in use, a code no
    scheme produces), then to its final place: portable, no deferrable constraints needed.
    """
    if not changes:
        return
    top = Evidence.objects.filter(school=school).aggregate(top=Max("sequence"))["top"] or 0
    items = {item.pk: item for item in Evidence.objects.filter(pk__in=changes)}
    for offset, pk in enumerate(sorted(changes), start=1):
        item = items[pk]
        item.sequence = top + offset
        item.code = f"~{pk}"
    Evidence.objects.bulk_update(items.values(), ["sequence", "code"], batch_size=500)
    for pk, (sequence, code) in changes.items():
        item = items[pk]
        item.sequence, item.code = sequence, code
        item.search_text = item.build_search_text()
        item.version += 1
    Evidence.objects.bulk_update(items.values(), ["sequence", "code", "search_text", "version"], batch_size=500)


def renumber_plan(school: School) -> dict[int, tuple[int, str]]:
    """What a renumbering would do: {item id: (new sequence, new code)} for the items that change.

    Per criterion (the same criterion across the versions of a regulation), items take the
    sequences 1, 2, 3... in their current order, archived ones after the others; each code is
    rebuilt from the item's current box (a box changed after coding shows up here) and the
    regulation's scheme.
    """
    items = list(
        Evidence.objects.filter(school=school).select_related("criterion__standard__version__regulation")
    )
    groups: dict[tuple[int, str], list[Evidence]] = defaultdict(list)
    for item in items:
        groups[criterion_key(item.criterion)].append(item)
    plan: dict[int, tuple[int, str]] = {}
    for group in groups.values():
        for sequence, item in enumerate(sorted(group, key=_sort_key), start=1):
            code = code_for(item.criterion, box=item.box, sequence=sequence)
            if (item.sequence, item.code) != (sequence, code):
                plan[item.pk] = (sequence, code)
    return plan


def renumber_preview(school: School) -> dict[str, str]:
    """{old code: new code} of the items a renumbering would change, without changing anything."""
    plan = renumber_plan(school)
    old = dict(Evidence.objects.filter(pk__in=plan).values_list("pk", "code"))
    return {old[pk]: code for pk, (_sequence, code) in plan.items()}


@transaction.atomic
def evidence_renumber(*, school: School, by: User) -> dict[str, str]:
    """Close the gaps and rebuild the codes of the school's items; return {old code: new code}.

    Sends ``evidence_codes_changed`` inside the transaction: the reports rewrite their citations
    in the same commit, or nothing changes at all.
    """
    require(by, "evidence.renumber", school)
    school = _lock_school(school)
    plan = renumber_plan(school)
    if not plan:
        return {}
    old = dict(Evidence.objects.filter(pk__in=plan).values_list("pk", "code"))
    mapping = {old[pk]: code for pk, (_sequence, code) in plan.items()}
    _apply_codes(school, plan)
    evidence_codes_changed.send(sender=Evidence, school=school, mapping=mapping, by=by)
    logger.info("evidence.renumbered school=%s changed=%s by=%s", school.pk, len(mapping), by.pk)
    return mapping


@transaction.atomic
def evidence_move(*, evidence: Evidence, criterion: Criterion, by: User) -> dict[str, str]:
    """Code an item under another criterion (it was coded under the wrong one); citations follow.

    Returns {old code: new code} and sends ``evidence_codes_changed`` like a renumbering. If the
    item was shared with the new criterion, that declaration becomes redundant and is dropped.
    """
    require(by, "evidence.renumber", evidence.school)
    # School first, then the item: the same order as a renumbering, so the two never deadlock.
    school = _lock_school(evidence.school)
    current = _lock(evidence)
    if current.school_id != school.pk:
        raise EvidenceError(_("Minh chứng không thuộc trường này."))
    criterion = _check_criterion(school, criterion)
    if criterion_key(criterion) == criterion_key(current.criterion):
        raise EvidenceError(_("Minh chứng đã thuộc tiêu chí %(number)s.") % {"number": criterion.number})
    old_code = current.code
    box = current.box
    if box == default_box(current.criterion):
        # The box followed the old standard by default; follow the new one likewise.
        box = default_box(criterion)
    sequence, code = _allocate(school, criterion, box)
    current.criterion = criterion
    current.sequence = sequence
    current.code = code
    current.box = box
    current.updated_by = by
    current.version += 1
    _full_clean(current)
    current.save()
    current.shared_criteria.remove(
        *[c for c in current.shared_criteria.all() if criterion_key(c) == criterion_key(criterion)]
    )
    mapping = {old_code: code}
    evidence_codes_changed.send(sender=Evidence, school=school, mapping=mapping, by=by)
    return mapping
