"""Reads of the reminder service: the deadlines in play on a day, who met them, who to tell."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Q

from schools.models import School
from schools.recipients import district_staff_of, principals_of

from .. import reminders
from ..models import (
    Milestone,
    ReminderLog,
    ReportingDeadline,
    RoundRegistration,
)
from .deadlines import deadline_met_by, milestone_ref, periodic_ref

# --- Reminders: the deadlines in play on a day --------------------------------------------------


@dataclass
class ReminderContext:
    """What the reminder service needs besides the pure selection: the rows behind each ref."""

    deadlines: list[reminders.Deadline]
    periodic: dict[int, ReportingDeadline]
    milestones: dict[int, Milestone]
    met: dict[str, dict[int, datetime.datetime]]
    sent: set[str]


def reminder_context(today: datetime.date) -> ReminderContext:
    """Every deadline whose reminder window contains ``today``, with who met it and what was sent.

    A constant number of queries whatever the number of units, schools and milestones.
    """
    first = today - datetime.timedelta(
        days=reminders.OVERDUE_DAYS[-1] + reminders.LAST_STAGE_WINDOW
    )
    last = today + datetime.timedelta(days=max(reminders.BEFORE_DAYS))
    periodic = {
        d.pk: d for d in ReportingDeadline.objects.for_reports().filter(due_date__range=(first, last))
        .select_related("unit", "school_year")
    }
    milestones = {
        m.pk: m for m in Milestone.objects.filter(due_date__range=(first, last)).select_related("round", "round__unit")
    }
    active_by_unit: dict[int, set[int]] = defaultdict(set)
    if periodic:
        for school_id, unit_id in School.objects.filter(
            reviewing_unit_id__in={d.unit_id for d in periodic.values()}, status=School.Status.ACTIVE
        ).values_list("pk", "reviewing_unit_id"):
            active_by_unit[unit_id].add(school_id)
    registered_by_round: dict[int, set[int]] = defaultdict(set)
    school_milestone_rounds = {m.round_id for m in milestones.values() if m.is_school}
    if school_milestone_rounds:
        for round_id, school_id in RoundRegistration.objects.filter(
            round_id__in=school_milestone_rounds, school__status=School.Status.ACTIVE
        ).values_list("round_id", "school_id"):
            registered_by_round[round_id].add(school_id)
    deadlines = [
        reminders.Deadline(
            ref=periodic_ref(d.pk), due=d.due_date, unit_id=d.unit_id, audience=reminders.SCHOOL,
            school_ids=frozenset(active_by_unit[d.unit_id]),
        )
        for d in periodic.values()
    ] + [
        reminders.Deadline(
            ref=milestone_ref(m.pk), due=m.due_date, unit_id=m.round.unit_id,
            audience=reminders.SCHOOL if m.is_school else reminders.DISTRICT,
            school_ids=frozenset(registered_by_round[m.round_id]) if m.is_school else frozenset(),
        )
        for m in milestones.values()
    ]
    met = deadline_met_by(periodic_ids=periodic, milestone_ids=milestones)
    sent = set(
        ReminderLog.objects.filter(Q(reporting_deadline_id__in=periodic) | Q(milestone_id__in=milestones))
        .values_list("key", flat=True)
    )
    return ReminderContext(deadlines, periodic, milestones, met, sent)


# Who the reminders and the periodic reports' notifications go to: the schools app's one rule.
district_recipients = district_staff_of
principal_recipients = principals_of
