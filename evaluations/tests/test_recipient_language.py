"""Reminders go out in each recipient's language (their choice on the account): one English
principal, one Vietnamese, the same reminder. The daily job runs without any request language."""

import datetime

import pytest
from django.core import mail
from django.utils import translation

from evaluations import tasks
from notifications.models import Notification

pytestmark = pytest.mark.django_db

DUE = datetime.date(2026, 12, 20)


def test_a_reminder_is_worded_for_each_principal_in_their_language(
    semester1, principal_a, principal_b, django_capture_on_commit_callbacks
):
    principal_a.language = "en"
    principal_a.save(update_fields=["language"])
    translation.activate("vi")
    with django_capture_on_commit_callbacks(execute=True):
        tasks.reminders_dispatch(now="2026-12-13T07:00:00+07:00")
    english = Notification.objects.get(user=principal_a)
    vietnamese = Notification.objects.get(user=principal_b)
    assert english.title.startswith("7 days left: ") and "(due 20/12/2026)" in english.title
    assert vietnamese.title.startswith("Còn 7 ngày: ") and "(hạn 20/12/2026)" in vietnamese.title
    by_address = {m.to[0]: m for m in mail.outbox}
    assert by_address["principal_a@example.vn"].body.startswith("Dear ")
    assert by_address["principal_b@example.vn"].body.startswith("Kính gửi ")
