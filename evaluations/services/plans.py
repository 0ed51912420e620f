"""The year's accreditation plan (kế hoạch kiểm định năm): plans, targets, planned schools."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from kiemdinh import validation
from kiemdinh.permissions import require
from schools.models import Organisation, School

from ..models import (
    AccreditationPlan,
    PlannedSchool,
    PlanTarget,
)
from .common import EvaluationsError, _bump, _event, _locked

if TYPE_CHECKING:
    from schools.models import User


def _set_targets(plan: AccreditationPlan, targets: Mapping[str, int | None]) -> None:
    for level, count in targets.items():
        if level not in School.Level.values:
            raise EvaluationsError(_("Cấp học không hợp lệ: %(level)s.") % {"level": level})
        if count is None:
            PlanTarget.objects.filter(plan=plan, level=level).delete()
        elif count < 0:
            raise EvaluationsError(_("Chỉ tiêu không được âm."))
        else:
            PlanTarget.objects.update_or_create(plan=plan, level=level, defaults={"count": count})


@transaction.atomic
def plan_create(
    *, unit: Organisation, year: int, title: str, by: User, targets: Mapping[str, int | None] | None = None,
    document_number: str = "", document_date: datetime.date | None = None, note: str = "",
) -> AccreditationPlan:
    """Create a unit's plan for a year (one per unit and year)."""
    require(by, "plan.manage", unit)
    if AccreditationPlan.objects.filter(unit=unit, year=year).exists():
        raise EvaluationsError(_("%(unit)s đã có kế hoạch kiểm định năm %(year)s.") % {"unit": unit, "year": year})
    plan = AccreditationPlan(
        unit=unit, year=year, title=title, document_number=document_number, document_date=document_date,
        note=note, created_by=by,
    )
    validation.full_clean(plan)
    plan.save()
    _set_targets(plan, targets or {})
    _event("plan.created", by=by, target=plan, summary=plan.title, data={"year": year, "targets": dict(targets or {})})
    return plan


@transaction.atomic
def plan_update(
    *, plan: AccreditationPlan, by: User, revision: int | None, title: str, targets: Mapping[str, int | None],
    document_number: str = "", document_date: datetime.date | None = None, note: str = "",
) -> AccreditationPlan:
    require(by, "plan.manage", plan)
    current = _locked(AccreditationPlan, plan.pk, revision)
    current.title, current.document_number, current.document_date, current.note = title, document_number, document_date, note
    _bump(current)
    validation.full_clean(current)
    current.save()
    _set_targets(current, targets)
    _event("plan.updated", by=by, target=current, summary=current.title, data={"targets": dict(targets)})
    return current


@transaction.atomic
def plan_schools_add(
    *, plan: AccreditationPlan, schools: Iterable[School], by: User, purpose: str = PlannedSchool.Purpose.FIRST,
    target_accreditation_level: int | None = None, target_national_standard: int | None = None,
) -> list[PlannedSchool]:
    """Add schools of the plan's unit to the plan; schools already in it are left as they are."""
    require(by, "plan.manage", plan)
    AccreditationPlan.objects.select_for_update().get(pk=plan.pk)
    schools = list(schools)
    foreign = [s.name for s in schools if s.reviewing_unit_id != plan.unit_id]
    if foreign:
        raise EvaluationsError(_("Các trường sau không thuộc %(unit)s: %(names)s.") % {"unit": plan.unit, "names": ", ".join(foreign)})
    existing = set(plan.entries.values_list("school_id", flat=True))
    added = []
    for school in schools:
        if school.pk in existing:
            continue
        entry = PlannedSchool(
            plan=plan, school=school, purpose=purpose, target_accreditation_level=target_accreditation_level,
            target_national_standard=target_national_standard, added_by=by,
        )
        validation.full_clean(entry, exclude=["plan", "school"])
        entry.save()
        _event("plan.school_added", by=by, target=plan, school=school, summary=school.name, data={"purpose": purpose})
        added.append(entry)
    if added:
        # Adding only schools already in the plan changes nothing: someone editing the plan meanwhile
        # must not be told that it changed.
        AccreditationPlan.objects.filter(pk=plan.pk).update(revision=F("revision") + 1)
    return added


@transaction.atomic
def plan_entry_update(
    *, entry: PlannedSchool, by: User, purpose: str, target_accreditation_level: int | None,
    target_national_standard: int | None, note: str = "", revision: int | None = None,
) -> PlannedSchool:
    require(by, "plan.manage", entry.plan)
    entry = _locked(PlannedSchool, entry.pk, revision)
    _bump(entry)
    entry.purpose = purpose
    entry.target_accreditation_level = target_accreditation_level
    entry.target_national_standard = target_national_standard
    entry.note = note
    validation.full_clean(entry)
    entry.save()
    return entry


@transaction.atomic
def plan_entry_remove(*, entry: PlannedSchool, by: User) -> None:
    require(by, "plan.manage", entry.plan)
    _event("plan.school_removed", by=by, target=entry.plan, school=entry.school, summary=entry.school.name)
    entry.delete()
