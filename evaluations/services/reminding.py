"""Sending deadline reminders: once each, recorded in ReminderLog, through the notifications app."""

from __future__ import annotations

import datetime
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kiemdinh.language import language_of
from notifications.services import Message, notify_many
from schools.models import Organisation, School
from schools.recipients import district_staff_of, principals_of

from .. import deadlines57, reminders, selectors
from ..models import (
    Milestone,
    ReminderLog,
    ReportingDeadline,
)
from .common import _fmt


@dataclass(frozen=True)
class ReminderOutcome:
    """What happened to one due reminder: sent to N people, or skipped with the reason."""

    key: str
    line: str
    sent: bool
    recipients: int = 0


def reminders_due(today: datetime.date) -> tuple[selectors.ReminderContext, list[reminders.Reminder]]:
    """The reminders due on ``today`` (the local date), not yet sent."""
    context = selectors.reminder_context(today)
    met = {ref: frozenset(by_id) for ref, by_id in context.met.items()}
    # The TT57 deadlines without a report (15/6 approval, Biểu 2 monitoring points): one reminder each.
    tt57 = deadlines57.reminder_context(today)
    met.update({ref: frozenset(ids) for ref, ids in tt57.met.items()})
    return context, reminders.due_reminders(today, context.deadlines + tt57.deadlines, met, context.sent | tt57.sent)


def reminder_payload(reminder: reminders.Reminder, today: datetime.date) -> dict[str, Any]:
    """The JSON-safe arguments of one reminder, for a Celery task."""
    return {
        "ref": reminder.deadline.ref, "due": reminder.deadline.due.isoformat(), "school_id": reminder.school_id,
        "kind": reminder.kind, "days": reminder.stage.days, "today": today.isoformat(),
    }


def _when(days_left: int) -> str:
    if days_left > 0:
        return ngettext("Còn %(n)s ngày", "Còn %(n)s ngày", days_left) % {"n": days_left}
    if days_left == 0:
        return _("Hôm nay là hạn cuối")
    return ngettext("Quá hạn %(n)s ngày", "Quá hạn %(n)s ngày", -days_left) % {"n": -days_left}


@dataclass
class _Target:
    """The row behind a deadline ref, and the words and links of its messages."""

    unit: Organisation
    what: str
    context: str
    school_url: str
    district_url: str
    periodic: ReportingDeadline | None = None
    milestone: Milestone | None = None
    # A TT57 deadline without a report (deadlines57): ``periodic`` holds its row too.
    tt57: bool = False


def _target(ref: str) -> _Target | None:
    kind, _sep, raw_id = ref.partition(":")
    if kind == "periodic":
        deadline = ReportingDeadline.objects.select_related("unit", "school_year").filter(pk=int(raw_id)).first()
        if deadline is None:
            return None
        return _Target(
            deadline.unit,
            _("nộp báo cáo kết quả tự đánh giá và thực hiện kế hoạch cải tiến chất lượng %(period)s")
            % {"period": deadline.period_title},
            str(deadline.unit),
            reverse("evaluations:upcoming"),
            reverse("evaluations:deadline_detail", args=[deadline.pk]),
            periodic=deadline,
        )
    if kind == deadlines57.PREFIX:
        deadline = ReportingDeadline.objects.select_related("unit", "school_year").filter(pk=int(raw_id)).first()
        if deadline is None or deadline.is_report:
            return None
        url = reverse("selfassessment:report_list")
        return _Target(deadline.unit, deadlines57.what(deadline), str(deadline.unit), url,
                       reverse("evaluations:deadline_configure", args=[deadline.unit_id, deadline.school_year.code]),
                       periodic=deadline, tt57=True)
    if kind == "milestone":
        milestone = Milestone.objects.select_related("round", "round__unit").filter(pk=int(raw_id)).first()
        if milestone is None:
            return None
        url = reverse("evaluations:round_detail", args=[milestone.round_id])
        return _Target(
            milestone.round.unit, milestone.title,
            _("Đánh giá ngoài %(round)s – %(unit)s") % {"round": milestone.round, "unit": milestone.round.unit},
            url, url, milestone=milestone,
        )
    raise ValueError(f"unknown deadline ref {ref!r}")


def _obliged_school_ids(target: _Target) -> set[int]:
    """The active schools that must meet the deadline: the unit's (periodic report) or the round's
    registered ones (school milestone)."""
    if target.periodic is not None:
        qs = School.objects.filter(reviewing_unit=target.unit)
    else:
        if target.milestone is None:  # a target holds its periodic deadline or its milestone
            raise RuntimeError('broken invariant: a target holds its periodic deadline or its milestone')
        qs = School.objects.filter(round_registrations__round_id=target.milestone.round_id)
    return set(qs.filter(status=School.Status.ACTIVE).values_list("pk", flat=True))


@transaction.atomic
def reminder_send(
    *, ref: str, due: str, school_id: int | None, kind: str, days: int, today: str, dry_run: bool = False
) -> ReminderOutcome:
    """Send one reminder, once: record it (unique key) and notify its recipients in one transaction.

    Everything is re-checked at send time, since a task may run hours after it was queued: the
    deadline still exists with the same due date, it is still not met, and the reminder was not
    sent already (the ReminderLog insert is the guard against a second beat or a retried task).
    """
    today_date = datetime.date.fromisoformat(today)
    due_date = datetime.date.fromisoformat(due)
    target = _target(ref)
    if target is None:
        return ReminderOutcome("", f"{ref}: deadline deleted, skipped", False)
    row = target.periodic or target.milestone
    if row is None:  # a target holds its periodic deadline or its milestone
        raise RuntimeError('broken invariant: a target holds its periodic deadline or its milestone')
    if row.due_date != due_date:
        return ReminderOutcome("", f"{ref}: due date moved to {row.due_date.isoformat()}, skipped", False)
    audience = reminders.SCHOOL if (target.periodic or (target.milestone is not None and target.milestone.is_school)) else reminders.DISTRICT
    met: Collection[int]
    if target.tt57:
        if not isinstance(row, ReportingDeadline):  # a TT57 target's row is its deadline
            raise TypeError("broken invariant: a TT57 target's row is its deadline")
        standing = deadlines57.standings([row])[row.pk]
        deadline = deadlines57.reminder_deadline(row, standing)
        met = standing.met
    else:
        deadline = reminders.Deadline(ref=ref, due=due_date, unit_id=target.unit.pk, audience=audience)
        met = selectors.deadline_met_by(
            periodic_ids=[row.pk] if target.periodic else [], milestone_ids=[row.pk] if target.milestone else []
        ).get(ref, {})
    stage = reminders.Stage(reminders.OVERDUE if kind == reminders.SUMMARY else kind, days)
    school = School.objects.filter(pk=school_id).first() if school_id is not None else None
    late_ids: tuple[int, ...] = ()
    if audience == reminders.SCHOOL:
        obliged = standing.concerned if target.tt57 else _obliged_school_ids(target)
        if kind == reminders.SUMMARY:
            late_ids = tuple(sorted(obliged - set(met)))
            if not late_ids:
                return ReminderOutcome("", f"{ref}: every school met it, no summary", False)
        elif school_id not in obliged:
            return ReminderOutcome("", f"{ref}: school {school_id} no longer concerned, skipped", False)
    if kind != reminders.SUMMARY and (school_id if school_id is not None else target.unit.pk) in met:
        return ReminderOutcome("", f"{ref}: already met, skipped", False)
    reminder = reminders.Reminder(deadline, stage, school_id, late_ids)
    days_left = reminder.days_left(today_date)
    if school is not None:
        recipients = principals_of([school.pk]).get(school.pk, [])
        who = school.name
    else:
        recipients = district_staff_of([target.unit.pk]).get(target.unit.pk, [])
        who = str(target.unit)
    # Two counts in one line: each phrase takes its own plural form, the sentence only assembles them.
    stage_text = ngettext("%(kind)s %(days)s ngày", "%(kind)s %(days)s ngày", days) % {
        "kind": ReminderLog.Kind(reminder.kind).label, "days": days}
    recipients_text = ngettext("%(n)s người nhận", "%(n)s người nhận", len(recipients)) % {"n": len(recipients)}
    line = _("%(day)s [%(stage)s] %(who)s: %(what)s – hạn %(due)s, %(when)s → %(recipients)s") % {
        "day": today_date.isoformat(), "stage": stage_text, "who": who, "what": target.what,
        "due": _fmt(due_date), "when": _when(days_left).lower(), "recipients": recipients_text,
    }
    if dry_run:
        return ReminderOutcome(reminder.key, line, False, len(recipients))
    log = ReminderLog(
        key=reminder.key, reporting_deadline=target.periodic, milestone=target.milestone, due_date=due_date,
        school=school, unit=target.unit, kind=reminder.kind, days=days, day=today_date, recipients=len(recipients),
    )
    try:
        with transaction.atomic():
            log.save()
    except IntegrityError:
        # Another run (a second beat, a retried task) recorded it first: it sent the messages.
        return ReminderOutcome(reminder.key, f"{reminder.key}: already sent", False)
    worded: dict[str, tuple[str, str, str]] = {}
    messages = []
    for user in recipients:
        # Each recipient reads it in their own language (their choice on the account): the words
        # are built once per language, the deadline's own names included.
        language = language_of(user)
        if language not in worded:
            with translation.override(language):
                worded[language] = _message(reminder, _target(ref) or target, school, days_left, late_ids)
        title, body, url = worded[language]
        messages.append(Message(
            user=user, kind="deadline_overdue" if days_left < 0 else "deadline_reminder",
            title=title, body=body, url=url, dedupe_key=f"{reminder.key}:u{user.pk}",
        ))
    notify_many(messages)
    return ReminderOutcome(reminder.key, line, True, len(recipients))


def _message(reminder: reminders.Reminder, target: _Target, school: School | None, days_left: int,
             late_ids: tuple[int, ...]) -> tuple[str, str, str]:
    due = _fmt(reminder.deadline.due)
    if late_ids:
        names = list(School.objects.filter(pk__in=late_ids).order_by("level", "code").values_list("name", flat=True))
        title = ngettext(
            "%(n)s trường chưa hoàn thành: %(what)s (hạn %(due)s)",
            "%(n)s trường chưa hoàn thành: %(what)s (hạn %(due)s)", len(names),
        ) % {"n": len(names), "what": target.what, "due": due}
        body = _("%(context)s. Các trường chưa hoàn thành đúng hạn:\n%(names)s") % {
            "context": target.context, "names": "\n".join(f"- {name}" for name in names)}
        return title, body, target.district_url
    title = _("%(when)s: %(what)s (hạn %(due)s)") % {"when": _when(days_left), "what": target.what, "due": due}
    if school is not None:
        body = _("%(context)s. %(school)s chưa hoàn thành việc này; hạn là ngày %(due)s.") % {
            "context": target.context, "school": school.name, "due": due}
        return title, body, target.school_url
    body = _("%(context)s. Mốc này do %(unit)s thực hiện và chưa được đánh dấu hoàn thành.") % {
        "context": target.context, "unit": target.unit.display_name}
    return title, body, target.district_url


def reminders_run(*, today: datetime.date, dry_run: bool = False) -> list[ReminderOutcome]:
    """Select and send (or, with ``dry_run``, only describe) every reminder due on ``today``,
    synchronously, one transaction per reminder. The management command's engine."""
    _context, due = reminders_due(today)
    outcomes = []
    for reminder in due:
        outcomes.append(reminder_send(**reminder_payload(reminder, today), dry_run=dry_run))
    return outcomes
