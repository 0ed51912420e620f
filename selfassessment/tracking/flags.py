"""The deadline flag of an improvement action: pure Python, no Django (tested on its own).

An open action (not started or in progress) is ``overdue`` once its due date has passed,
``due_soon`` from ``DUE_SOON_DAYS`` days before its due date up to that day included, else
``on_track`` (an open action with no due date too: nothing makes it late). A finished or dropped
action has no flag. "Today" is the caller's: the school's local day (Asia/Ho_Chi_Minh), given by
``django.utils.timezone.localdate()``; the selectors count the same rule in SQL.
"""

from __future__ import annotations

import datetime

DUE_SOON_DAYS = 14

OVERDUE = "overdue"
DUE_SOON = "due_soon"
ON_TRACK = "on_track"
FLAGS = (OVERDUE, DUE_SOON, ON_TRACK)

# ImprovementAction.Status values of an action still to be carried out.
OPEN_STATUSES = frozenset({"not_started", "in_progress"})


def due_soon_until(today: datetime.date) -> datetime.date:
    """The last due date that counts as "due soon" on ``today``."""
    return today + datetime.timedelta(days=DUE_SOON_DAYS)


def action_flag(*, status: str, due_on: datetime.date | None, today: datetime.date) -> str | None:
    """``overdue``, ``due_soon`` or ``on_track`` for an open action; None for a done or dropped one."""
    if status not in OPEN_STATUSES:
        return None
    if due_on is None:
        return ON_TRACK
    if due_on < today:
        return OVERDUE
    if due_on <= due_soon_until(today):
        return DUE_SOON
    return ON_TRACK


def days_late(*, due_on: datetime.date | None, today: datetime.date) -> int:
    """Whole days past the due date (0 when not late or no due date)."""
    if due_on is None or due_on >= today:
        return 0
    return (today - due_on).days
