"""Writes of the notifications app: notify someone, mark read, mute e-mail kinds."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from kiemdinh.i18n import Text
from kiemdinh.language import language_of

from .models import EmailMute, Kind, Notification, OutboundEmail

if TYPE_CHECKING:  # the account model; imported for its type only (notifications sit below schools)
    from schools.models import User

logger = logging.getLogger(__name__)


def _absolute(url: str) -> str:
    if not url or url.startswith(("http://", "https://")):
        return url
    return settings.SITE_URL + url


@dataclass(frozen=True)
class Message:
    """One notification for one person, as ``notify`` takes it (``notify_many`` takes several)."""

    user: User
    kind: str
    title: Any
    body: Any = ""
    url: str = ""
    dedupe_key: str = ""
    email: bool = True


def notify(
    *,
    user: User,
    kind: str,
    title: Any,
    body: Any = "",
    url: str = "",
    dedupe_key: str = "",
    email: bool = True,
) -> Notification | None:
    """Create an in-app notification and, unless muted, queue its e-mail after commit.

    With a ``dedupe_key`` the call is idempotent: the second call for the same user and key
    returns None and sends nothing. ``title`` and ``body`` may be ``kiemdinh.i18n.Text`` or lazy
    strings: they and the e-mail are worded in the recipient's language, not the sender's.
    """
    created = notify_many([Message(user=user, kind=kind, title=title, body=body, url=url, dedupe_key=dedupe_key,
                                   email=email)])
    return created[0] if created else None


@transaction.atomic
def notify_many(messages: Iterable[Message]) -> list[Notification]:
    """``notify`` for several people at once, in the same few queries however many they are (a
    district's reviewers, a unit's principals): a key already used for that person sends nothing,
    the same message twice in one call is sent once, a muted kind sends no e-mail, and each text
    is worded in its reader's language. Returns the notifications created, in the given order."""
    wanted = list(messages)
    for message in wanted:
        if message.kind not in Kind.values:
            raise ValueError(f"Unknown notification kind {message.kind!r}")
    taken = _keys_taken({(m.user.pk, m.dedupe_key) for m in wanted if m.dedupe_key})
    chosen: list[tuple[Message, Notification, str]] = []
    for message in wanted:
        if message.dedupe_key:
            if (message.user.pk, message.dedupe_key) in taken:
                continue
            taken.add((message.user.pk, message.dedupe_key))
        wording = {part: value.as_data() for part, value in (("title", message.title), ("body", message.body))
                   if isinstance(value, Text)}
        with translation.override(language_of(message.user)):
            title, body = str(message.title), str(message.body)
        chosen.append((message, Notification(
            user=message.user, kind=message.kind, title=title[:255], body=body, url=message.url,
            dedupe_key=message.dedupe_key, wording=wording,
        ), title))
    if not chosen:
        return []
    try:
        with transaction.atomic():
            Notification.objects.bulk_create([notification for _, notification, _ in chosen])
    except IntegrityError:
        # A concurrent call took one of the keys between the check and the insert: it sends that
        # one's e-mail. Alone, this message is then sent by nobody twice; among several, each again.
        if len(chosen) == 1:
            return []
        return [n for message, _, _ in chosen for n in notify_many([message])]
    _emails_queue(chosen)
    return [notification for _, notification, _ in chosen]


def _keys_taken(keyed: set[tuple[int, str]]) -> set[tuple[int, str]]:
    """Which of these (user id, dedupe key) pairs already have their notification (one query)."""
    if not keyed:
        return set()
    return set(
        Notification.objects.filter(user_id__in={pk for pk, _ in keyed}, dedupe_key__in={k for _, k in keyed})
        .values_list("user_id", "dedupe_key")
    ) & keyed


def _emails_queue(chosen: list[tuple[Message, Notification, str]]) -> None:
    """The e-mails of the new notifications (not to a muted kind, an inactive account, no address),
    each queued once the transaction commits."""
    to_mail = [(m, n, title) for m, n, title in chosen if m.email and m.user.email and m.user.is_active]
    if not to_mail:
        return
    muted = set(
        EmailMute.objects.filter(user_id__in={m.user.pk for m, _, _ in to_mail}, kind__in={m.kind for m, _, _ in to_mail})
        .values_list("user_id", "kind")
    )
    outbound = []
    for message, notification, title in to_mail:
        if (message.user.pk, message.kind) in muted:
            continue
        with translation.override(language_of(message.user)):
            text = render_to_string(
                "notifications/email/notification.txt",
                {"user": message.user, "title": title, "body": notification.body,
                 "url": _absolute(message.url)},
            )
        outbound.append(OutboundEmail(
            notification=notification, to=message.user.email, subject=f"[kiemdinh] {title}"[:255],
            body=text, dedupe_key=f"n{notification.pk}",
        ))
    for email in OutboundEmail.objects.bulk_create(outbound):
        email_queue(email.pk)


def email_queue(outbound_id: int) -> None:
    """Hand the e-mail to Celery once the surrounding transaction commits.

    If the broker is down the row stays pending and the periodic flush sends it later, so a
    Redis outage never loses a message nor breaks the page that triggered it.
    """

    def enqueue() -> None:
        from .tasks import email_send

        try:
            email_send.delay(outbound_id)
        except Exception as exc:  # broker unreachable: keep the row pending for the flush
            logger.warning("Could not queue e-mail %s, will retry from the outbox: %s", outbound_id, exc)

    transaction.on_commit(enqueue)


@transaction.atomic
def notification_mark_read(*, notification: Notification, by: User) -> Notification:
    if notification.user_id != by.pk:
        raise PermissionError("not the recipient")
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


@transaction.atomic
def notifications_mark_all_read(*, by: User) -> int:
    return Notification.objects.filter(user=by, read_at__isnull=True).update(read_at=timezone.now())


@transaction.atomic
def email_mutes_set(*, by: User, kinds: list[str]) -> None:
    """Replace the user's muted e-mail kinds."""
    wanted = {k for k in kinds if k in Kind.values}
    EmailMute.objects.filter(user=by).exclude(kind__in=wanted).delete()
    existing = set(EmailMute.objects.filter(user=by).values_list("kind", flat=True))
    EmailMute.objects.bulk_create([EmailMute(user=by, kind=k) for k in sorted(wanted - existing)])
