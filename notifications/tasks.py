"""E-mail delivery: idempotent through the outbox row, retried with backoff on SMTP failures."""

from __future__ import annotations

import logging
import smtplib
import socket
from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone

from .models import OutboundEmail

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
# Failures worth retrying: the mail server or the network, not a bad message.
TRANSIENT_ERRORS = (smtplib.SMTPException, socket.error, ConnectionError, TimeoutError)


def backoff_seconds(attempt: int) -> int:
    """1, 2, 4, 8 … minutes, capped at an hour."""
    return min(60 * 2 ** max(attempt - 1, 0), 3600)


def email_deliver(outbound_id: int) -> str:
    """Send one outbox row unless it was already sent; return its status afterwards.

    The row lock makes two concurrent workers (or a task run twice) send one e-mail. A
    transient failure is recorded on the row and then re-raised for the caller to retry.
    """
    failure: Exception | None = None
    with transaction.atomic():
        row = OutboundEmail.objects.select_for_update().filter(pk=outbound_id).first()
        if row is None or row.status != OutboundEmail.Status.PENDING:
            return row.status if row else "missing"
        row.attempts += 1
        try:
            EmailMessage(row.subject, row.body, settings.DEFAULT_FROM_EMAIL, [row.to]).send(fail_silently=False)
        except TRANSIENT_ERRORS as exc:
            failure = exc
            row.last_error = f"{type(exc).__name__}: {exc}"[:2000]
            if row.attempts >= MAX_ATTEMPTS:
                row.status = OutboundEmail.Status.FAILED
                logger.error("E-mail %s to %s failed for good: %s", row.pk, row.to, row.last_error)
        else:
            row.status = OutboundEmail.Status.SENT
            row.sent_at = timezone.now()
            row.last_error = ""
        row.save(update_fields=["attempts", "last_error", "status", "sent_at"])
    if failure is not None and row.status == OutboundEmail.Status.PENDING:
        raise failure
    return row.status


@shared_task(bind=True, max_retries=MAX_ATTEMPTS, acks_late=True)
def email_send(self, outbound_id: int) -> str:
    try:
        return email_deliver(outbound_id)
    except TRANSIENT_ERRORS as exc:
        if self.request.is_eager:
            # In-process mode (no broker): leave the row pending; the periodic flush retries it.
            return OutboundEmail.Status.PENDING
        raise self.retry(exc=exc, countdown=backoff_seconds(self.request.retries + 1))


@shared_task
def emails_flush_pending() -> int:
    """Re-queue e-mails left pending (broker was down, a worker died, eager mode failed)."""
    cutoff = timezone.now() - timedelta(minutes=5)
    ids = list(
        OutboundEmail.objects.filter(status=OutboundEmail.Status.PENDING, created_at__lt=cutoff).values_list("pk", flat=True)[:500]
    )
    for outbound_id in ids:
        email_send.delay(outbound_id)
    return len(ids)
