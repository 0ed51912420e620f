"""The reviewing unit speaks in its own name: a school reviewed by a ward (UBND phường, through its
Phòng Văn hóa – Xã hội) reads the ward's name and its head's title in every e-mail, notification and
page of the review loop, never "Phòng GD&ĐT" or a bare "Trưởng phòng"."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from notifications.models import Notification
from reviews import services
from schools.models import Organisation

pytestmark = pytest.mark.usefixtures("complete_world")  # one world for the module (reviews/tests/conftest.py)

WARD = "UBND phường Cửa Nam"
HEAD = "Trưởng phòng Văn hóa – Xã hội"


@pytest.fixture
def ward(district):
    """The district of the root fixtures, turned into a ward that asks for its head's final approval."""
    district.kind = Organisation.Kind.WARD_COMMITTEE
    district.name = "Ủy ban nhân dân phường Cửa Nam"
    district.short_name = WARD
    district.requires_head_approval = True
    district.save()
    return district


def _no_district_office(text: str) -> None:
    assert "Phòng GD&ĐT" not in text
    # "Trưởng phòng" only as part of the ward's own head title.
    assert not re.search(r"Trưởng phòng(?! Văn hóa – Xã hội)", text), text


def test_a_ward_reviewed_school_hears_the_ward_in_every_email_and_notification(
        client, ward, report, personas, django_capture_on_commit_callbacks):
    principal, reviewer = personas["principal_a"], personas["reviewer"]
    with django_capture_on_commit_callbacks(execute=True):
        services.report_submit(report=report, by=principal)
        services.report_start_review(report=report, by=reviewer)
        thread = services.thread_open(report=report, by=reviewer, text="Bổ sung minh chứng")
        services.report_return(report=report, by=reviewer, reason="Sửa số lớp")
        services.thread_mark_fixed(thread=thread, by=principal, text="Đã bổ sung")
        services.report_submit(report=report, by=principal)
        services.report_start_review(report=report, by=reviewer)
        services.thread_resolve(thread=thread, by=reviewer)
        services.report_accept(report=report, by=reviewer, note="Đạt")  # a recommendation: the head approves
    by_text = "\n".join(f"{m.subject}\n{m.body}" for m in mail.outbox)
    notices = "\n".join(Notification.objects.values_list("title", flat=True))

    assert f"{WARD} bắt đầu thẩm định báo cáo" in notices
    assert f"Góp ý của {WARD} về báo cáo" in notices
    assert f"chờ {HEAD} phê duyệt" in notices
    assert f"{WARD} (" in by_text and "trả lại báo cáo" in by_text
    assert f"Đơn vị yêu cầu {HEAD} phê duyệt cuối cùng." in by_text
    assert f"Báo cáo chờ {WARD} thẩm định." in by_text
    _no_district_office(by_text)
    _no_district_office(notices)


def test_the_wards_pages_name_the_ward_and_its_head(client, ward, report, personas):
    principal, reviewer, head = personas["principal_a"], personas["reviewer"], personas["head"]
    detail = reverse("reviews:report_detail", args=[report.pk])

    client.force_login(principal)
    page = client.get(detail).content.decode()
    assert f"Nộp báo cáo cho {WARD}?" in page
    assert f"góp ý của {WARD} sẽ hiện ở đây" in page
    _no_district_office(page)
    response = client.post(reverse("reviews:report_submit", args=[report.pk]), follow=True)
    assert f"Đã nộp báo cáo cho {WARD}." in response.content.decode()

    client.force_login(reviewer)
    services.report_start_review(report=report, by=reviewer)
    page = client.get(detail).content.decode()
    assert f"Đề nghị chấp nhận (chờ {HEAD})" in page
    _no_district_office(page)

    client.force_login(head)
    settings_page = client.get(reverse("reviews:unit_settings", args=[ward.pk])).content.decode()
    assert f"{HEAD} phê duyệt cuối cùng" in settings_page
    # The header's role line: the head's own title with the unit, not a generic role name.
    assert f"{HEAD} – {WARD}" in settings_page
    _no_district_office(settings_page)


def test_a_district_office_keeps_its_own_words(client, district, report, personas):
    """The default of a district office is the wording it always had: its name and "Trưởng phòng"."""
    district.short_name = "Phòng GD&ĐT Đống Đa"
    district.requires_head_approval = True
    district.save()
    report.school.reviewing_unit.refresh_from_db()
    services.report_submit(report=report, by=personas["principal_a"])
    services.report_start_review(report=report, by=personas["reviewer"])
    client.force_login(personas["reviewer"])
    page = client.get(reverse("reviews:report_detail", args=[report.pk])).content.decode()
    assert "Đề nghị chấp nhận (chờ Trưởng phòng)" in page
    assert "Phòng GD&ĐT Đống Đa bắt đầu thẩm định" in "\n".join(Notification.objects.values_list("title", flat=True))
