"""External-evaluation rounds (đợt đánh giá ngoài), registrations and milestones."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kiemdinh import validation
from kiemdinh.permissions import require
from schools.models import Organisation, School

from .. import schedule
from ..models import (
    EvaluationRound,
    ExternalEvaluation,
    Milestone,
    MilestoneCompletion,
    RoundRegistration,
)
from .common import EvaluationsError, _bump, _event, _locked

if TYPE_CHECKING:
    from schools.models import User


@transaction.atomic
def round_create(
    *, unit: Organisation, year: int, number: int, by: User, dossier_date: datetime.date | None = None,
    note: str = "", with_default_schedule: bool = True,
) -> EvaluationRound:
    """Create a round; with a dossier date, its schedule is filled from the default steps
    (Long Biên 2016-2017), each date then editable."""
    require(by, "round.manage", unit)
    if EvaluationRound.objects.filter(unit=unit, year=year, number=number).exists():
        raise EvaluationsError(_("%(unit)s đã có đợt %(number)s năm %(year)s.") % {"unit": unit, "number": number, "year": year})
    round_ = EvaluationRound(unit=unit, year=year, number=number, dossier_date=dossier_date, note=note, created_by=by)
    validation.full_clean(round_)
    round_.save()
    _event("round.created", by=by, target=round_, summary=str(round_), data={"unit": unit.pk, "year": year, "number": number})
    if with_default_schedule:
        if dossier_date is None:
            raise EvaluationsError(_("Cần ngày nộp hồ sơ đăng ký để lập lịch mặc định."))
        milestones_from_template(round_=round_, dossier_date=dossier_date, by=by)
    return round_


@transaction.atomic
def milestones_from_template(*, round_: EvaluationRound, dossier_date: datetime.date, by: User) -> list[Milestone]:
    """Add the default steps the round does not have yet (matched by template key)."""
    require(by, "round.manage", round_)
    have = set(round_.milestones.exclude(template_key="").values_list("template_key", flat=True))
    created = []
    for position, (step, due) in enumerate(schedule.default_schedule(dossier_date)):
        if step.key in have:
            continue
        milestone = Milestone(
            round=round_, owner=step.owner, title=step.title_for(round_.unit.display_name),
            description=step.description, due_date=due, position=position, template_key=step.key,
        )
        validation.full_clean(milestone)
        milestone.save()
        created.append(milestone)
    return created


@transaction.atomic
def round_update(
    *, round_: EvaluationRound, by: User, revision: int | None, dossier_date: datetime.date | None, note: str = ""
) -> EvaluationRound:
    require(by, "round.manage", round_)
    current = _locked(EvaluationRound, round_.pk, revision)
    current.dossier_date, current.note = dossier_date, note
    _bump(current)
    validation.full_clean(current)
    current.save()
    return current


@transaction.atomic
def round_schools_register(*, round_: EvaluationRound, schools: Iterable[School], by: User, note: str = "") -> list[RoundRegistration]:
    """Register schools of the round's unit; already registered ones are left as they are."""
    require(by, "round.manage", round_)
    EvaluationRound.objects.select_for_update().get(pk=round_.pk)
    schools = list(schools)
    foreign = [s.name for s in schools if s.reviewing_unit_id != round_.unit_id]
    if foreign:
        raise EvaluationsError(_("Các trường sau không thuộc %(unit)s: %(names)s.") % {"unit": round_.unit, "names": ", ".join(foreign)})
    existing = set(round_.registrations.values_list("school_id", flat=True))
    created = []
    for school in schools:
        if school.pk in existing:
            continue
        registration = RoundRegistration.objects.create(round=round_, school=school, note=note, registered_by=by)
        _event("round.school_registered", by=by, target=round_, school=school, summary=school.name)
        created.append(registration)
    return created


@transaction.atomic
def round_registration_remove(*, registration: RoundRegistration, by: User) -> None:
    require(by, "round.manage", registration.round)
    if ExternalEvaluation.objects.filter(registration=registration).exists():
        raise EvaluationsError(_("Không thể rút tên %(school)s: đã có hồ sơ đánh giá ngoài của trường trong đợt này.")
                               % {"school": registration.school})
    _event("round.school_withdrawn", by=by, target=registration.round, school=registration.school,
           summary=registration.school.name)
    registration.delete()


@transaction.atomic
def milestone_create(
    *, round_: EvaluationRound, by: User, owner: str, title: str, due_date: datetime.date, description: str = ""
) -> Milestone:
    require(by, "round.manage", round_)
    position = (round_.milestones.order_by("-position").values_list("position", flat=True).first() or 0) + 1
    milestone = Milestone(round=round_, owner=owner, title=title, description=description, due_date=due_date, position=position)
    validation.full_clean(milestone)
    milestone.save()
    return milestone


@transaction.atomic
def milestone_update(
    *, milestone: Milestone, by: User, revision: int | None, title: str, due_date: datetime.date, description: str = ""
) -> Milestone:
    """Change a milestone's text or date (its owner is fixed: completions depend on it)."""
    require(by, "round.manage", milestone.round)
    current = _locked(Milestone, milestone.pk, revision)
    if current.due_date != due_date:
        _event("milestone.rescheduled", by=by, target=current, summary=title, from_state=current.due_date.isoformat(),
               to_state=due_date.isoformat())
    current.title, current.due_date, current.description = title, due_date, description
    _bump(current)
    validation.full_clean(current)
    current.save()
    return current


@transaction.atomic
def milestone_delete(*, milestone: Milestone, by: User) -> None:
    require(by, "round.manage", milestone.round)
    _event("milestone.deleted", by=by, target=milestone.round, summary=milestone.title)
    milestone.delete()


def _registration_of(milestone: Milestone, registration: RoundRegistration | None) -> RoundRegistration | None:
    if milestone.is_school:
        if registration is None or registration.round_id != milestone.round_id:
            raise EvaluationsError(_("Hãy chọn một trường đã đăng ký trong đợt này."))
        return registration
    return None


@transaction.atomic
def milestone_complete(
    *, milestone: Milestone, by: User, registration: RoundRegistration | None = None, at: datetime.datetime | None = None
) -> bool:
    """Mark a milestone done (for one registered school when the school owns it), now or at ``at``
    (recording work done earlier, e.g. a dossier received on paper last week).

    Idempotent: marking a done milestone again changes nothing and returns False.
    """
    when = at or timezone.now()
    if when > timezone.now():
        raise EvaluationsError(_("Không thể đánh dấu hoàn thành vào một thời điểm trong tương lai."))
    registration = _registration_of(milestone, registration)
    require(by, "milestone.complete", (milestone, registration))
    locked = Milestone.objects.select_for_update().get(pk=milestone.pk)
    if registration is not None:
        _completion, created = MilestoneCompletion.objects.get_or_create(
            milestone=locked, registration=registration, defaults={"done_at": when, "done_by": by}
        )
        if created:
            _event("milestone.completed", by=by, target=locked, school=registration.school, summary=locked.title,
                   to_state="done", data={"done_at": when.isoformat()})
        return created
    if locked.done_at is not None:
        return False
    locked.done_at, locked.done_by = when, by
    locked.save(update_fields=["done_at", "done_by", "updated_at"])
    _event("milestone.completed", by=by, target=locked, summary=locked.title, to_state="done",
           data={"done_at": when.isoformat()})
    return True


@transaction.atomic
def milestone_reopen(*, milestone: Milestone, by: User, registration: RoundRegistration | None = None) -> bool:
    """Undo a completion (a click by mistake); returns False when it was not done."""
    registration = _registration_of(milestone, registration)
    require(by, "milestone.complete", (milestone, registration))
    locked = Milestone.objects.select_for_update().get(pk=milestone.pk)
    if registration is not None:
        deleted, _details = MilestoneCompletion.objects.filter(milestone=locked, registration=registration).delete()
        if deleted:
            _event("milestone.reopened", by=by, target=locked, school=registration.school, summary=locked.title,
                   from_state="done")
        return bool(deleted)
    if locked.done_at is None:
        return False
    locked.done_at, locked.done_by = None, None
    locked.save(update_fields=["done_at", "done_by", "updated_at"])
    _event("milestone.reopened", by=by, target=locked, summary=locked.title, from_state="done")
    return True
