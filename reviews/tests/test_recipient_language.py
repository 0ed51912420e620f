"""Notifications and their e-mails are worded in the recipient's language (their choice on the
account), not in the language of the person who acted; audit summaries in the reader's."""

import pytest
from django.utils import translation

from audit.models import Event
from notifications.models import Notification, OutboundEmail
from reviews import services

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("complete_world")]  # one world (reviews/tests/conftest.py)


def _prefers(user, language):
    user.language = language
    user.save(update_fields=["language"])


def test_a_return_by_a_vietnamese_reviewer_reaches_an_english_principal_in_english(report, personas):
    principal = personas["principal_a"]
    _prefers(principal, "en")
    services.report_submit(report=report, by=principal)
    services.report_start_review(report=report, by=personas["reviewer"])
    translation.activate("vi")  # the reviewer's pages
    services.report_return(report=report, by=personas["reviewer"], reason="Bổ sung minh chứng")

    note = Notification.objects.get(user=principal, kind="report_returned")
    assert note.title == f"The self-assessment report of {report.school.name} was returned for revision"
    email = OutboundEmail.objects.get(notification=note)
    assert email.subject == f"[kiemdinh] {note.title}"
    assert email.body.startswith("Dear ") and "View details:" in email.body
    assert "Kính gửi" not in email.body
    assert "Bổ sung minh chứng" in email.body  # the reviewer's own words stay as written


def test_an_english_principal_submitting_notifies_a_vietnamese_reviewer_in_vietnamese(report, personas):
    translation.activate("en")  # the principal's pages
    services.report_submit(report=report, by=personas["principal_a"])
    note = Notification.objects.filter(user=personas["reviewer"], kind="report_submitted").get()
    assert note.title == f"{report.school.name} đã nộp báo cáo tự đánh giá"
    assert OutboundEmail.objects.get(notification=note).body.startswith("Kính gửi ")


def test_a_workflow_summary_is_stored_as_a_code_and_read_in_each_readers_language(report, personas):
    services.report_submit(report=report, by=personas["principal_a"])
    services.report_start_review(report=report, by=personas["reviewer"])
    services.report_return(report=report, by=personas["reviewer"], reason="Bổ sung minh chứng")
    event = Event.objects.get(action="reviews.report.returned")
    assert event.summary == "Trả lại để chỉnh sửa: Bổ sung minh chứng"  # as written, for search
    assert event.wording == {"msgid": "Trả lại để chỉnh sửa: %(reason)s", "params": {"reason": "Bổ sung minh chứng"}}
    with translation.override("en"):
        assert event.text == "Returned for revision: Bổ sung minh chứng"
    with translation.override("vi"):
        assert event.text == "Trả lại để chỉnh sửa: Bổ sung minh chứng"


def test_a_comment_reaches_an_english_principal_with_its_place_in_english(report, personas):
    principal = personas["principal_a"]
    _prefers(principal, "en")
    services.report_submit(report=report, by=principal)
    services.report_start_review(report=report, by=personas["reviewer"])
    services.thread_open(report=report, by=personas["reviewer"], text="Thiếu minh chứng")
    note = Notification.objects.get(user=principal, kind="comment")
    assert note.title == f"Comment from {report.school.reviewing_unit.display_name} on the report: Whole report"
    event = Event.objects.get(action="reviews.comment.added")
    assert event.summary == "Góp ý (Toàn bộ báo cáo): Thiếu minh chứng"
    with translation.override("en"):
        assert event.text == "Comment (Whole report): Thiếu minh chứng"


def test_a_version_names_its_council_roles_in_the_readers_language(client, report, personas):
    """The version keeps each role as the school read it; a reader who chose English reads it in English."""
    from django.urls import reverse

    version = services.report_submit(report=report, by=personas["principal_a"])
    assert "Phó Chủ tịch Hội đồng" in [m["role_label"] for m in version.data["council"]["members"]]
    reviewer = personas["reviewer"]
    _prefers(reviewer, "en")
    client.force_login(reviewer)
    page = client.get(reverse("reviews:version_detail", args=[report.pk, version.number])).content.decode()
    assert "Council Vice-Chair" in page and "Phó Chủ tịch Hội đồng" not in page
    _prefers(reviewer, "vi")
    page = client.get(reverse("reviews:version_detail", args=[report.pk, version.number])).content.decode()
    assert "Phó Chủ tịch Hội đồng" in page
