"""Reminder tasks. The beat (settings.CELERY_BEAT_SCHEDULE) runs ``reminders_dispatch`` daily at 07:00
Asia/Ho_Chi_Minh; ``manage.py run_scheduler`` does the same in-process when there is no broker.

``reminders_dispatch`` only finds the reminders due today and queues one ``reminder_send`` per
reminder (style.md item 18); when the broker cannot take a task, that reminder is sent in-process
instead (its e-mail then waits in the outbox until the broker is back): one school's failure (a deleted account, a database hiccup) never
holds back the others, and each task is retried on its own. A task is idempotent through the
ReminderLog row it inserts with a unique key, so a second beat, a re-run of the day or a
redelivered task sends nothing twice. E-mail goes through the notifications outbox, whose own
task retries SMTP failures with backoff.
"""

from __future__ import annotations

import datetime
import logging

from celery import shared_task
from django.db import OperationalError
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from . import services

logger = logging.getLogger(__name__)

MAX_RETRIES = 5


def local_today(now: datetime.datetime | str | None = None) -> datetime.date:
    """The calendar day in Asia/Ho_Chi_Minh (settings.TIME_ZONE) at ``now``: 23:59 there is still
    "today" although it is 16:59 UTC, and 00:01 is already tomorrow."""
    if isinstance(now, str):
        parsed = parse_datetime(now)
        if parsed is None:
            raise ValueError(f"not a date-time: {now!r}")
        now = parsed
    now = now or timezone.now()
    if timezone.is_naive(now):
        raise ValueError("a timezone-aware date-time is required")
    return timezone.localdate(now)


@shared_task
def reminders_dispatch(now: str | None = None) -> int:
    """Queue one task per reminder due today; returns how many were queued.

    ``now`` (ISO 8601 with an offset) replaces the clock, for tests and catching up by hand.
    """
    today = local_today(now)
    _context, due = services.reminders_due(today)
    for reminder in due:
        payload = services.reminder_payload(reminder, today)
        try:
            reminder_send.delay(**payload)
        except Exception:  # broker unreachable: send it here rather than lose the day's reminder
            logger.warning("Broker unreachable; sending reminder %s in-process", payload["ref"], exc_info=True)
            services.reminder_send(**payload)
    if due:
        logger.info("Queued %s reminder(s) for %s", len(due), today.isoformat())
    return len(due)


@shared_task(bind=True, max_retries=MAX_RETRIES, acks_late=True)
def reminder_send(self, *, ref: str, due: str, school_id: int | None, kind: str, days: int, today: str) -> str:
    """Send one reminder (or nothing, when it was sent already or is no longer due)."""
    try:
        outcome = services.reminder_send(ref=ref, due=due, school_id=school_id, kind=kind, days=days, today=today)
    except OperationalError as exc:
        # The database was briefly unreachable or a lock timed out: nothing was written, retry.
        if self.request.is_eager:
            raise
        raise self.retry(exc=exc, countdown=min(60 * 2 ** self.request.retries, 3600))
    return outcome.line
