"""Which deadline reminders are due on a given day. Pure Python: no Django, no database.

A deadline is the 20 December / 10 May periodic report of a reviewing unit, or one milestone of
an external-evaluation round (owned by the schools registered in it, or by the district office).

The schedule, for everyone who has not met the deadline yet:

- a reminder 14, 7 and 1 days before the due date;
- an overdue notice the day after it, repeated weekly (+8, +15, +22 days) while the deadline is
  still not met, then no more: four notices in a month is enough nagging, after that the district
  office follows up in person and its dashboard keeps showing the school as late;
- for deadlines that schools must meet, the district office gets ONE overdue summary per
  deadline (at the first overdue notice) listing the schools that missed it, rather than one
  e-mail per late school (Đống Đa alone has 19 schools in its plan).

Nothing is sent on the due day itself: the 1-day reminder came the day before, and a school may
still submit until midnight.

A deadline may have its own schedule (``Deadline.stages``): the TT57/2026 deadlines without a
report (the 15/6 approval, the two reviews of the improvement plan) get ONE reminder, 7 days
before (``ONCE``), and with ``once`` its key leaves out the due date, so that it is sent once per
deadline and school however often the job runs, even if the unit moves the date afterwards.

Catch-up: a day the job did not run (server down, beat stopped) is not lost. Each stage stays due
until the next stage's day (the last stage for one week), so the next run sends the missed stage;
only the most recent one, never a burst of stale ones. Whether a stage was already sent is the
caller's knowledge (``sent`` keys; the database holds them with a unique constraint), so running
the selection twice on the same day selects nothing new.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field

BEFORE = "before"
OVERDUE = "overdue"
SUMMARY = "summary"

SCHOOL = "school"
DISTRICT = "district"

BEFORE_DAYS = (14, 7, 1)
OVERDUE_DAYS = (1, 8, 15, 22)
# How long the last stage stays due when its day was missed.
LAST_STAGE_WINDOW = 7


@dataclass(frozen=True, order=True)
class Stage:
    """One point of the schedule: ``days`` before the due date (BEFORE) or after it (OVERDUE)."""

    kind: str
    days: int

    def day(self, due: datetime.date) -> datetime.date:
        delta = datetime.timedelta(days=self.days)
        return due - delta if self.kind == BEFORE else due + delta


STAGES: tuple[Stage, ...] = tuple(Stage(BEFORE, d) for d in BEFORE_DAYS) + tuple(Stage(OVERDUE, d) for d in OVERDUE_DAYS)
FIRST_OVERDUE = Stage(OVERDUE, OVERDUE_DAYS[0])
# One reminder a week ahead, due until the deadline's day (catch-up window of LAST_STAGE_WINDOW).
ONCE: tuple[Stage, ...] = (Stage(BEFORE, 7),)


@dataclass(frozen=True)
class Deadline:
    """A date someone must meet.

    ``ref`` identifies it for good ("periodic:12", "milestone:7"); ``audience`` says who must meet
    it: each school of ``school_ids`` (SCHOOL) or the district office ``unit_id`` (DISTRICT).
    """

    ref: str
    due: datetime.date
    unit_id: int
    audience: str = SCHOOL
    school_ids: frozenset[int] = field(default_factory=frozenset)
    label: str = ""
    stages: tuple[Stage, ...] = STAGES
    # Sent once per recipient whatever the due date becomes (the key leaves the date out).
    once: bool = False

    def __post_init__(self):
        if self.audience not in (SCHOOL, DISTRICT):
            raise ValueError(f"unknown audience {self.audience!r}")


@dataclass(frozen=True)
class Reminder:
    """One reminder to send: to a school (``school_id``) or to the district office (``school_id`` None)."""

    deadline: Deadline
    stage: Stage
    school_id: int | None = None
    # For an overdue summary: the schools that missed the deadline.
    late_school_ids: tuple[int, ...] = ()

    @property
    def kind(self) -> str:
        if self.late_school_ids:
            return SUMMARY
        return self.stage.kind

    @property
    def key(self) -> str:
        """Stable identity of this reminder: the deadline, its due date, the recipient and the stage.

        The due date is part of it so that a deadline moved to another day starts its reminders
        afresh instead of counting the ones sent for the old date.
        """
        target = f"school:{self.school_id}" if self.school_id is not None else f"unit:{self.deadline.unit_id}"
        if self.deadline.once:
            return f"{self.deadline.ref}:{target}:{self.kind}:{self.stage.days}"
        return f"{self.deadline.ref}@{self.deadline.due.isoformat()}:{target}:{self.kind}:{self.stage.days}"

    def days_left(self, today: datetime.date) -> int:
        """Days until the due date (negative once it has passed)."""
        return (self.deadline.due - today).days


def current_stage(due: datetime.date, today: datetime.date, stages: tuple[Stage, ...] = STAGES) -> Stage | None:
    """The stage due on ``today`` for a deadline on ``due``: the latest one whose day has come.

    None before the first reminder, on the due day itself when the 1-day reminder was sent the
    day before (the caller knows; here the 1-day stage simply stays current), and once the last
    overdue stage's window has passed.
    """
    reached = [stage for stage in stages if stage.day(due) <= today]
    if not reached:
        return None
    stage = reached[-1]
    if stage == stages[-1] and today >= stage.day(due) + datetime.timedelta(days=LAST_STAGE_WINDOW):
        return None
    return stage


def due_reminders(
    today: datetime.date,
    deadlines: Iterable[Deadline],
    met: Mapping[str, AbstractSet[int]],
    sent: AbstractSet[str] = frozenset(),
) -> list[Reminder]:
    """The reminders to send on ``today`` (the local date in Asia/Ho_Chi_Minh).

    ``met`` maps a deadline's ``ref`` to the ids that met it: school ids for a SCHOOL deadline, the
    unit id for a DISTRICT one. ``sent`` holds the ``key`` of every reminder already sent; they are
    never selected again. The result is ordered by due date, deadline and recipient.
    """
    result: list[Reminder] = []
    for deadline in sorted(deadlines, key=lambda d: (d.due, d.ref)):
        stage = current_stage(deadline.due, today, deadline.stages)
        if stage is None:
            continue
        done = met.get(deadline.ref, frozenset())
        candidates: list[Reminder] = []
        if deadline.audience == DISTRICT:
            if deadline.unit_id not in done:
                candidates.append(Reminder(deadline, stage))
        else:
            pending = sorted(deadline.school_ids - set(done))
            candidates.extend(Reminder(deadline, stage, school_id) for school_id in pending)
            if pending and stage == FIRST_OVERDUE:
                candidates.append(Reminder(deadline, stage, None, tuple(pending)))
        result.extend(r for r in candidates if r.key not in sent)
    return result
