"""Carrying a school's evidence library to a newer regulation (TT57/2026): proposals, confirmations.

The library belongs to the school, not to a report: the items of the 2018 reports stay as they
are (coded ``H1-1.1-01``, cited so by those reports, which stay readable and exportable under
their own regulation). Moving to TT57, each item gets a proposal (``EvidenceCarryOver``) of the
TT57 criterion it belongs to, from ``crosswalk``; the principal confirms it (or picks another
criterion, or leaves the item behind). A confirmation creates the item's TT57 twin, coded
``MC.a.b.nn`` under the confirmed criterion, pointing at the same stored file (no second copy:
``services`` deletes a file only when no item refers to it any more).

Reads and writes of the carry-over live here together; the library's own writes stay in
``services``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import event_record
from kiemdinh.i18n import N_, Text
from kiemdinh.permissions import require
from schools.models import School, User
from standards.models import Criterion, Indicator, Regulation, RegulationVersion

from . import crosswalk, services
from .models import Evidence, EvidenceCarryOver
from .services import EvidenceError

logger = logging.getLogger(__name__)

# Fields of the item that travel with it (its code, criterion and sequence are the new regulation's).
CARRIED_FIELDS = (
    "name", "issued_number", "issued_on", "issued_period", "issuer", "box", "note", "valid_until", "link",
    "file", "file_name", "file_size", "content_type", "sha256",
)


def target_criteria(version: RegulationVersion, school: School) -> list[Criterion]:
    """The criteria of ``version`` an item of the school may be coded under, in the catalog's order."""
    criteria = (
        Criterion.objects.filter(standard__version=version, is_repealed=False, standard__is_repealed=False)
        .select_related("standard__version__regulation")
        .prefetch_related(Prefetch("indicators", queryset=Indicator.objects.filter(is_repealed=False).order_by("level", "position")))
        .order_by("standard__position", "position")
    )
    return [c for c in criteria if not c.applies_to or school.level in c.applies_to]


def build_crosswalk(criteria: list[Criterion]) -> crosswalk.Crosswalk:
    return crosswalk.Crosswalk([
        crosswalk.Target(
            key=str(c.pk), number=c.number, title=c.title, standard_title=c.standard.title,
            texts=[i.text for i in c.indicators.all()], hints=list(c.evidence_hints or []),
        )
        for c in criteria
    ])


def _sources(school: School, regulation: Regulation) -> QuerySet[Evidence]:
    """The school's items still to carry: in the library, coded under another regulation."""
    return (
        Evidence.objects.filter(school=school, is_archived=False)
        .exclude(criterion__standard__version__regulation=regulation)
        .exclude(carry_overs__regulation=regulation)
        .select_related("criterion__standard")
        .prefetch_related(Prefetch("criterion__indicators", queryset=Indicator.objects.order_by("level", "position")))
        .order_by("criterion__standard__version__regulation_id", "criterion__standard__number", "criterion__position",
                  "sequence", "pk")
    )


@transaction.atomic
def carry_overs_propose(*, school: School, version: RegulationVersion, by: User) -> int:
    """Propose a criterion of ``version`` for every item of the school not yet proposed; return how many.

    Idempotent: an item already proposed (or confirmed, or left behind) for this regulation is not
    proposed again, so running it twice adds nothing.
    """
    require(by, "evidence.renumber", school)
    school = School.objects.select_for_update().get(pk=school.pk)
    regulation = version.regulation
    items = list(_sources(school, regulation))
    if not items:
        return 0
    criteria = target_criteria(version, school)
    if not criteria:
        raise EvidenceError(_("Bộ tiêu chuẩn %(code)s chưa có tiêu chí nào để mã hóa minh chứng.") % {"code": regulation.code})
    by_key = {str(c.pk): c for c in criteria}
    walk = build_crosswalk(criteria)
    rows = []
    for item in items:
        old = item.criterion
        source = crosswalk.Source(
            number=old.number, title=old.title, standard_title=old.standard.title,
            texts=[i.text for i in old.indicators.all()],
        )
        proposal = walk.propose(source, item.name)
        rows.append(EvidenceCarryOver(
            school=school, source=item, regulation=regulation, proposed_criterion=by_key[proposal.target.key],
            proposal_score=proposal.score,
            proposal_reason={
                "old_criterion": old.number,
                "criterion_words": list(proposal.criterion_words),
                "standard_words": list(proposal.standard_words),
                "name_words": list(proposal.name_words),
                "hint": proposal.hint,
                "runner_up": proposal.runner_up.number if proposal.runner_up else "",
            },
        ))
    EvidenceCarryOver.objects.bulk_create(rows)
    event_record(
        actor=by, action="evidence.carryover.proposed", target=school, school=school,
        summary=Text(N_("Đề xuất mã minh chứng theo %(code)s cho %(count)s minh chứng"), {"code": regulation.code, "count": len(rows)}),
        data={"regulation": regulation.code, "count": len(rows)},
    )
    return len(rows)


def _lock(carry_over: EvidenceCarryOver) -> EvidenceCarryOver:
    return (
        EvidenceCarryOver.objects.select_for_update(of=("self",))
        .select_related("school", "source", "regulation", "result")
        .get(pk=carry_over.pk)
    )


def _confirm_locked(row: EvidenceCarryOver, criterion: Criterion, by: User, now,
                    checked: dict[int, Criterion] | None = None, allocator: services.Allocator | None = None) -> Evidence:
    """Create the item's twin under ``criterion`` (school row already locked).

    For a batch of one school: ``checked`` holds the criteria already found valid in the same call
    (each of its few target criteria is checked once, not once per item), ``allocator`` numbers
    the twins as ``_allocate`` would, reading the school's codes once.
    """
    if checked is not None and criterion.pk in checked:
        criterion = checked[criterion.pk]
    else:
        criterion = services._check_criterion(row.school, criterion)
        if checked is not None:
            checked[criterion.pk] = criterion
    if criterion.standard.version.regulation_id != row.regulation_id:
        raise EvidenceError(
            _("Tiêu chí %(number)s không thuộc %(code)s.") % {"number": criterion.number, "code": row.regulation.code}
        )
    source = row.source
    values = {name: getattr(source, name) for name in CARRIED_FIELDS}
    # The stored name, not the FieldFile: an already-stored name is saved as is, never copied.
    values["file"] = source.file.name if source.file else ""
    if allocator is not None:
        sequence, code = allocator.next(criterion, source.box)
    else:
        sequence, code = services._allocate(row.school, criterion, source.box)
    twin = Evidence(
        school=row.school, criterion=criterion, sequence=sequence, code=code, created_by=by, updated_by=by, **values
    )
    services._full_clean(twin, allocated=allocator is not None)
    twin.save()
    if allocator is not None:
        allocator.taken_by(twin)
    row.status = EvidenceCarryOver.Status.CONFIRMED
    row.criterion = criterion
    row.result = twin
    row.decided_by = by
    row.decided_at = now
    row.save(update_fields=["status", "criterion", "result", "decided_by", "decided_at"])
    return twin


def _refuse_decided(row: EvidenceCarryOver) -> None:
    if row.status == EvidenceCarryOver.Status.CONFIRMED:
        raise EvidenceError(
            _("Minh chứng %(old)s đã được xác nhận với mã %(new)s.")
            % {"old": row.source.code, "new": row.result.code if row.result else row.criterion.number}
        )


@transaction.atomic
def carry_over_confirm(*, carry_over: EvidenceCarryOver, by: User, criterion: Criterion | None = None) -> Evidence:
    """Confirm one item's new criterion (the proposed one unless another is given); return the new item."""
    require(by, "evidence.renumber", carry_over.school)
    services._lock_school(carry_over.school)
    row = _lock(carry_over)
    _refuse_decided(row)
    chosen = criterion or row.proposed_criterion
    twin = _confirm_locked(row, chosen, by, timezone.now())
    event_record(
        actor=by, action="evidence.carryover.confirmed", target=twin, school=row.school,
        summary=Text(N_("%(old)s → %(new)s"), {"old": row.source.code, "new": twin.code}),
        data={"old": row.source.code, "new": twin.code, "proposed": row.proposed_criterion.number,
              "confirmed": twin.criterion.number},
    )
    return twin


@transaction.atomic
def carry_overs_confirm(*, school: School, regulation: Regulation, ids: list[int], by: User) -> dict[str, str]:
    """Confirm the proposals ``ids`` as proposed, in the library's order; return {old code: new code}.

    Explicit by design: only the rows named are confirmed (the page sends the ones ticked), so a
    proposal nobody looked at is never recoded. Rows already decided are left as they are.
    """
    require(by, "evidence.renumber", school)
    school = services._lock_school(school)
    rows = list(
        EvidenceCarryOver.objects.select_for_update(of=("self",))
        .filter(school=school, regulation=regulation, pk__in=ids, status=EvidenceCarryOver.Status.PROPOSED)
        .select_related("school", "source", "regulation", "proposed_criterion")
        .order_by("source__criterion__standard__number", "source__criterion__position", "source__sequence", "pk")
    )
    now = timezone.now()
    mapping = {}
    checked: dict[int, Criterion] = {}
    allocator = services.Allocator(school)
    for row in rows:
        twin = _confirm_locked(row, row.proposed_criterion, by, now, checked, allocator)
        mapping[row.source.code] = twin.code
    if mapping:
        event_record(
            actor=by, action="evidence.carryover.bulk_confirmed", target=school, school=school,
            summary=Text(N_("Xác nhận %(count)s mã minh chứng theo %(code)s"), {"count": len(mapping), "code": regulation.code}),
            data={"regulation": regulation.code, "codes": mapping},
        )
    return mapping


@transaction.atomic
def carry_over_skip(*, carry_over: EvidenceCarryOver, by: User) -> EvidenceCarryOver:
    """Leave an item behind (an expired plan, a council of a past term): it gets no new code."""
    require(by, "evidence.renumber", carry_over.school)
    row = _lock(carry_over)
    _refuse_decided(row)
    if row.status != EvidenceCarryOver.Status.SKIPPED:
        row.status = EvidenceCarryOver.Status.SKIPPED
        row.decided_by = by
        row.decided_at = timezone.now()
        row.save(update_fields=["status", "decided_by", "decided_at"])
        event_record(actor=by, action="evidence.carryover.skipped", target=row.source, school=row.school,
                     summary=row.source.code)
    return row


@transaction.atomic
def carry_over_reopen(*, carry_over: EvidenceCarryOver, by: User) -> EvidenceCarryOver:
    """Take back a "không chuyển": the item waits for a decision again."""
    require(by, "evidence.renumber", carry_over.school)
    row = _lock(carry_over)
    if row.status == EvidenceCarryOver.Status.SKIPPED:
        row.status = EvidenceCarryOver.Status.PROPOSED
        row.decided_by = None
        row.decided_at = None
        row.save(update_fields=["status", "decided_by", "decided_at"])
    return row


# --- reads --------------------------------------------------------------------------------------


def carry_overs_for(school: School, regulation: Regulation) -> QuerySet[EvidenceCarryOver]:
    """The school's proposals for ``regulation``, in the old library's order, with what the page shows."""
    return (
        EvidenceCarryOver.objects.filter(school=school, regulation=regulation)
        .select_related(
            "source__criterion__standard__version__regulation", "proposed_criterion__standard", "criterion", "result",
            "decided_by",
        )
        .order_by("source__criterion__standard__version__regulation_id", "source__criterion__standard__number",
                  "source__criterion__position", "source__sequence", "pk")
    )


def unproposed_count(school: School, regulation: Regulation) -> int:
    """Items of the library still without a proposal for ``regulation`` (added since, or never proposed)."""
    return _sources(school, regulation).prefetch_related(None).order_by().count()


@dataclass(frozen=True)
class CarryOverCounts:
    total: int
    proposed: int
    confirmed: int
    skipped: int

    @property
    def done(self) -> bool:
        return self.proposed == 0


def carry_over_counts(school: School, regulation: Regulation) -> CarryOverCounts:
    """How far the school is, in one query."""
    status = EvidenceCarryOver.Status
    row = EvidenceCarryOver.objects.filter(school=school, regulation=regulation).aggregate(
        total=Count("pk"),
        proposed=Count("pk", filter=Q(status=status.PROPOSED)),
        confirmed=Count("pk", filter=Q(status=status.CONFIRMED)),
        skipped=Count("pk", filter=Q(status=status.SKIPPED)),
    )
    return CarryOverCounts(**{key: value or 0 for key, value in row.items()})
