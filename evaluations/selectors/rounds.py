"""Evaluation rounds: their lists, candidates and milestone schedules."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, QuerySet

from schools.models import School

from ..models import (
    EvaluationRound,
    ExternalEvaluation,
    Milestone,
    MilestoneCompletion,
    PlannedSchool,
    RoundRegistration,
)
from .scope import registrations_visible_to, rounds_visible_to

# --- Rounds -----------------------------------------------------------------------------------


@dataclass
class Cell:
    registration: RoundRegistration
    completion: MilestoneCompletion | None
    overdue: bool
    can_toggle: bool = False  # set by the view from the permission rule


@dataclass
class ScheduleRow:
    milestone: Milestone
    cells: list[Cell]
    overdue: bool = False

    @property
    def done_count(self) -> int:
        return sum(1 for c in self.cells if c.completion is not None)


@dataclass
class RoundSchedule:
    round: EvaluationRound
    registrations: list[RoundRegistration]
    school_rows: list[ScheduleRow]
    district_rows: list[ScheduleRow]


def round_schedule(round_: EvaluationRound, user, today: datetime.date) -> RoundSchedule:
    """The round's milestone table: a school milestone per registered school the user may see,
    then the district's milestones. Five queries whatever the size."""
    registrations = list(registrations_visible_to(user).filter(round=round_).order_by("school__level", "school__code"))
    # The registration's evaluation record, or None (a reverse one-to-one raises when missing).
    records = {e.registration_id: e for e in ExternalEvaluation.objects.filter(registration__in=registrations)}
    for registration in registrations:
        registration.evaluation_record = records.get(registration.pk)
    milestones = list(round_.milestones.select_related("done_by").order_by("due_date", "position", "id"))
    completions = {
        (c.milestone_id, c.registration_id): c
        for c in MilestoneCompletion.objects.filter(
            milestone__round=round_, registration__in=[r.pk for r in registrations]
        ).select_related("done_by")
    }
    school_rows, district_rows = [], []
    for milestone in milestones:
        late = milestone.due_date < today
        if milestone.is_school:
            cells = [
                Cell(r, completions.get((milestone.pk, r.pk)), late and (milestone.pk, r.pk) not in completions)
                for r in registrations
            ]
            school_rows.append(ScheduleRow(milestone, cells, any(c.overdue for c in cells)))
        else:
            district_rows.append(ScheduleRow(milestone, [], late and milestone.done_at is None))
    return RoundSchedule(round_, registrations, school_rows, district_rows)


def round_list(user) -> QuerySet[EvaluationRound]:
    return rounds_visible_to(user).annotate(
        registered=Count("registrations", distinct=True),
        milestone_count=Count("milestones", distinct=True),
    )


def round_candidates(round_: EvaluationRound) -> list[tuple[School, bool]]:
    """Active schools of the round's unit not registered yet, flagged when in that year's plan."""
    planned = set(
        PlannedSchool.objects.filter(plan__unit_id=round_.unit_id, plan__year=round_.year).values_list("school_id", flat=True)
    )
    schools = School.objects.filter(reviewing_unit_id=round_.unit_id, status=School.Status.ACTIVE).exclude(
        pk__in=round_.registrations.values("school_id")
    ).order_by("level", "code")
    return sorted(((s, s.pk in planned) for s in schools), key=lambda pair: (not pair[1], pair[0].level, pair[0].code))
