"""A notification is written in its recipient's language and, when its sender gave a message code,
re-worded in the language the recipient reads the list in today (they may switch later)."""

import pytest
from django.urls import reverse

from kiemdinh.i18n import N_, Text
from notifications.models import Notification
from notifications.services import notify

pytestmark = pytest.mark.django_db


def test_a_coded_title_is_written_for_the_recipient_and_reworded_after_a_switch(client, principal_a):
    notify(user=principal_a, kind="general", email=False,
           title=Text(N_("Tệp xuất đã sẵn sàng: %(title)s"), {"title": "Hồ sơ.zip"}),
           body=Text(N_("Tệp được giữ để tải đến %(when)s."), {"when": "10:00 07/12/2026"}))
    note = Notification.objects.get(user=principal_a)
    assert note.title == "Tệp xuất đã sẵn sàng: Hồ sơ.zip"  # the recipient never chose: Vietnamese
    client.force_login(principal_a)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get(reverse("notifications:notification_list")).content.decode()
    assert "Export file ready: Hồ sơ.zip" in page
    assert "Tệp xuất đã sẵn sàng" not in page


def test_a_plain_title_is_shown_as_written(client, principal_a):
    notify(user=principal_a, kind="general", email=False, title="Họp giao ban thứ Hai")
    client.force_login(principal_a)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert "Họp giao ban thứ Hai" in client.get(reverse("notifications:notification_list")).content.decode()
