"""Writes of the notifications app: notify someone, mark read, mute e-mail kinds."""

from __future__ import annotations

import logging
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


@transaction.atomic
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
    wording = {part: value.as_data() for part, value in (("title", title), ("body", body)) if isinstance(value, Text)}
    with translation.override(language_of(user)):
        return _notify(user=user, kind=kind, title=str(title), body=str(body), url=url, dedupe_key=dedupe_key,
                       email=email, wording=wording)


def _notify(
    *, user: User, kind: str, title: str, body: str, url: str, dedupe_key: str, email: bool,
    wording: dict[str, Any],
) -> Notification | None:
    if kind not in Kind.values:
        raise ValueError(f"Unknown notification kind {kind!r}")
    if dedupe_key and Notification.objects.filter(user=user, dedupe_key=dedupe_key).exists():
        return None
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                user=user, kind=kind, title=title[:255], body=body, url=url, dedupe_key=dedupe_key, wording=wording
            )
    except IntegrityError:
        # A concurrent call with the same key won the race; it will send the e-mail.
        return None
    if email and user.email and user.is_active and not EmailMute.objects.filter(user=user, kind=kind).exists():
        text = render_to_string(
            "notifications/email/notification.txt",
            {"user": user, "title": title, "body": body, "url": _absolute(url)},
        )
        outbound = OutboundEmail.objects.create(
            notification=notification,
            to=user.email,
            subject=f"[kiemdinh] {title}"[:255],
            body=text,
            dedupe_key=f"n{notification.pk}",
        )
        email_queue(outbound.pk)
    return notification


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
