"""Audit summaries are stored as a message code with its parameters and worded when read, in the
reader's language; rows written before (plain text) stay readable as written."""

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy

from audit.models import Event
from audit.services import event_record
from kiemdinh.i18n import N_, Text
from schools import services as school_services

pytestmark = pytest.mark.django_db


def test_a_text_is_worded_in_the_active_language_and_survives_json():
    text = Text(N_("Cấp vai trò %(role)s cho %(user)s"), {"role": gettext_lazy("Hiệu trưởng"), "user": "lan"})
    data = text.as_data()
    assert data == {"msgid": "Cấp vai trò %(role)s cho %(user)s",
                    "params": {"role": {"msgid": "Hiệu trưởng", "params": {}}, "user": "lan"}}
    again = Text.from_data(data)
    with translation.override("en"):
        assert str(again) == "Granted the role Principal to lan"
    with translation.override("vi"):
        assert str(again) == "Cấp vai trò Hiệu trưởng cho lan"


def test_an_event_keeps_the_vietnamese_summary_and_words_it_for_each_reader(school_a, principal_a):
    with translation.override("en"):  # written during an English request
        event = event_record(actor=principal_a, action="schools.school.updated", target=school_a,
                             summary=Text(N_("Sửa trường %(name)s"), {"name": school_a.name}))
    event = Event.objects.get(pk=event.pk)
    assert event.summary == f"Sửa trường {school_a.name}"
    with translation.override("en"):
        assert event.text == f"Edited school {school_a.name}"


def test_an_old_plain_summary_is_shown_as_written(school_a, principal_a):
    event = event_record(actor=principal_a, action="schools.school.updated", target=school_a, summary="Sửa trường cũ")
    assert event.wording == {}
    with translation.override("en"):
        assert event.text == "Sửa trường cũ"


def test_the_account_pages_summaries_are_codes(principal_a):
    school_services.login_unlock(user=principal_a, address="10.0.0.1")
    event = Event.objects.get(action="schools.account.login_unlocked")
    assert event.summary == f"Mở khóa đăng nhập {principal_a.username} qua email"
    with translation.override("en"):
        assert event.text == f"Unlocked the login of {principal_a.username} by e-mail"


def test_the_admin_shows_summaries_and_the_login_log_in_the_readers_language(client, sysadmin, school_a):
    event_record(actor=sysadmin, action="schools.school.updated", target=school_a,
                 summary=Text(N_("Sửa trường %(name)s"), {"name": school_a.name}))
    client.force_login(sysadmin)
    index = client.get(reverse("admin:index")).content.decode()
    assert "Nhật ký đăng nhập" in index and "Lần đăng nhập sai" in index
    client.post(reverse("set_language"), {"language": "en", "next": "/admin/"})
    index = client.get(reverse("admin:index")).content.decode()
    assert "Login log" in index and "Access attempts" in index
    assert "Nhật ký đăng nhập" not in index
    events = client.get(reverse("admin:audit_event_changelist")).content.decode()
    assert f"Edited school {school_a.name}" in events
