"""The whole loop in the browser's terms (requests as the pages send them), and the error paths."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from audit.models import Event
from reviews.models import CommentThread, ReportVersion
from reviews.tests import factories
from selfassessment.models import Report
from standards.models import Criterion

pytestmark = pytest.mark.usefixtures("complete_world")  # one world for the module (reviews/tests/conftest.py)


def _status(report) -> str:
    return Report.objects.get(pk=report.pk).status


def test_submit_comment_return_answer_resubmit_diff_accept_forward(client, report, personas,
                                                                   django_capture_on_commit_callbacks):
    principal, reviewer, head = personas["principal_a"], personas["reviewer"], personas["head"]
    detail = reverse("reviews:report_detail", args=[report.pk])

    # The principal submits.
    client.force_login(principal)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reviews:report_submit", args=[report.pk]))
    assert response.status_code == 302 and _status(report) == "submitted"
    assert {m.to[0] for m in mail.outbox} == {"reviewer@example.vn", "head@example.vn"}

    # The reviewer finds it in the unassigned queue and reads version 1.
    client.force_login(reviewer)
    queue = client.get(reverse("reviews:report_queue") + "?tab=unassigned").content.decode()
    assert report.school.name in queue
    page = client.get(reverse("reviews:version_detail", args=[report.pk, 1]))
    assert page.status_code == 200
    assert "Nhà trường có 20 lớp học." in page.content.decode()

    # ... comments on a criterion and on a passage (quoting it), which starts the review.
    criterion = Criterion.objects.get(number="1.1", standard__version=report.regulation_version)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reviews:thread_create", args=[report.pk]),
                               {"text": "Thiếu minh chứng về số lớp", "version": 1, "criterion": criterion.pk})
        assert response.status_code == 302
        client.post(reverse("reviews:thread_create", args=[report.pk]),
                    {"text": "Số lớp không khớp Phần I", "version": 1, "passage_key": "indicator:1.1:1:a",
                     "quote": "có 20 lớp học"})
    assert _status(report) == "in_review"
    assert CommentThread.objects.filter(report=report).count() == 2
    # The school hears that the review started, then gets each comment.
    assert {m.to[0] for m in mail.outbox} == {"principal_a@example.vn"}
    subjects = [m.subject for m in mail.outbox]
    assert len(subjects) == 3 and "bắt đầu thẩm định" in subjects[0]
    assert all("Góp ý của Phòng GD&ĐT" in s for s in subjects[1:])
    page = client.get(reverse("reviews:version_detail", args=[report.pk, 1])).content.decode()
    assert '<mark class="review-mark">có 20 lớp học</mark>' in page

    # ... and returns it with a reason.
    assert client.get(reverse("reviews:report_return", args=[report.pk])).status_code == 200
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reviews:report_return", args=[report.pk]),
                               {"reason": "Sửa số lớp và bổ sung minh chứng"})
    assert response.status_code == 302 and _status(report) == "returned"
    assert "Sửa số lớp và bổ sung minh chứng" in mail.outbox[0].body

    # The school sees its to-do list, answers one thread and says "Đã sửa" on both; closing is not its call.
    client.force_login(principal)
    page = client.get(detail).content.decode()
    assert "Sửa số lớp và bổ sung minh chứng" in page
    assert "Việc cần làm theo góp ý" in page
    assert reverse("selfassessment:criterion_edit", kwargs={"pk": report.pk, "criterion_pk": criterion.pk}) in page
    threads = list(CommentThread.objects.filter(report=report).order_by("pk"))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("reviews:comment_create", args=[threads[1].pk]), {"text": "Đã sửa thành 22 lớp"})
    assert [m.to[0] for m in mail.outbox] == ["reviewer@example.vn"]
    for thread in threads:
        assert client.post(reverse("reviews:thread_resolve", args=[thread.pk])).status_code == 403
        response = client.post(reverse("reviews:thread_mark_fixed", args=[thread.pk]),
                               {"text": "Nhà trường đã sửa", "next": "report"})
        assert response.status_code == 302
    assert CommentThread.objects.filter(report=report, status="open", fixed_at__isnull=False).count() == 2
    page = client.get(detail).content.decode()
    assert page.count('data-thread-state="fixed"') == 2 and reverse("reviews:thread_resolve", args=[threads[0].pk]) \
        not in page

    # ... corrects the text and resubmits.
    factories.write(report, "indicator:1.1:1:a", factories.classes_text(report, 22), principal)
    client.post(reverse("reviews:report_submit", args=[report.pk]))
    assert _status(report) == "resubmitted"
    assert ReportVersion.objects.filter(report=report).count() == 2

    # The reviewer sees the difference, accepts; the head forwards to the Sở.
    client.force_login(reviewer)
    compare = client.get(reverse("reviews:version_compare", args=[report.pk])).content.decode()
    assert '<del class="diff-del">20</del>' in compare and '<ins class="diff-ins">22</ins>' in compare
    client.post(reverse("reviews:report_start_review", args=[report.pk]))
    page = client.get(detail).content.decode()
    assert reverse("reviews:thread_mark_fixed", args=[threads[0].pk]) not in page
    for thread in threads:
        assert client.post(reverse("reviews:thread_resolve", args=[thread.pk])).status_code == 302
    assert not CommentThread.objects.filter(report=report, status="open").exists()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("reviews:report_accept", args=[report.pk]), {"note": "Đạt yêu cầu"})
    assert _status(report) == "accepted"
    assert [m.to[0] for m in mail.outbox] == ["principal_a@example.vn"]
    client.force_login(head)
    client.post(reverse("reviews:report_forward", args=[report.pk]))
    assert _status(report) == "forwarded"

    # Every step is on the timeline.
    actions = list(Event.objects.filter(target_id=report.pk, action__startswith="reviews.report.")
                   .order_by("pk").values_list("action", flat=True))
    assert actions == [
        "reviews.report.submitted", "reviews.report.review_started", "reviews.report.returned",
        "reviews.report.resubmitted", "reviews.report.review_started", "reviews.report.accepted",
        "reviews.report.forwarded",
    ]
    page = client.get(detail).content.decode()
    for text in ("Nộp báo cáo (phiên bản 1)", "Nộp lại báo cáo (phiên bản 2)", "Trả lại để chỉnh sửa",
                 "Chấp nhận báo cáo (phiên bản 2)", "Chuyển Sở GD&amp;ĐT"):
        assert text in page


def test_a_refused_return_keeps_the_typed_reason(client, report, reviewer):
    client.force_login(reviewer)
    response = client.post(reverse("reviews:report_return", args=[report.pk]), {"reason": "Lý do rất cụ thể"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Lý do rất cụ thể" in page and "Không thể thực hiện" in page
    assert _status(report) == "draft"


def test_an_empty_reason_is_asked_for(client, report, personas):
    from reviews import services

    services.report_submit(report=report, by=personas["principal_a"])
    services.report_start_review(report=report, by=personas["reviewer"])
    client.force_login(personas["reviewer"])
    response = client.post(reverse("reviews:report_return", args=[report.pk]), {"reason": "  "})
    assert response.status_code == 200 and "không được để trống" in response.content.decode()
    assert _status(report) == "in_review"


def test_a_refused_comment_comes_back_with_its_text(client, report, personas):
    from reviews import services

    services.report_submit(report=report, by=personas["principal_a"])
    client.force_login(personas["reviewer"])
    response = client.post(reverse("reviews:thread_create", args=[report.pk]), {
        "text": "Góp ý dài đã viết cẩn thận", "version": 1, "passage_key": "indicator:1.1:1:a",
        "quote": "đoạn không tồn tại",
    })
    assert response.status_code == 400
    page = response.content.decode()
    assert "Góp ý dài đã viết cẩn thận" in page and "trích dẫn" in page
    assert not CommentThread.objects.exists()


def test_an_empty_answer_comes_back_as_a_form(client, report, personas):
    from reviews import services

    services.report_submit(report=report, by=personas["principal_a"])
    thread = services.thread_open(report=report, by=personas["reviewer"], text="Bổ sung")
    client.force_login(personas["principal_a"])
    response = client.post(reverse("reviews:comment_create", args=[thread.pk]), {"text": ""})
    assert response.status_code == 400
    assert thread.comments.count() == 1


def test_the_reviewer_sees_the_submitted_version_not_the_live_draft(client, report, personas):
    from reviews import services

    services.report_submit(report=report, by=personas["principal_a"])
    services.report_withdraw(report=report, by=personas["principal_a"])
    factories.write(report, "indicator:1.1:1:a", "Bản nháp mới chưa nộp.", personas["principal_a"])
    client.force_login(personas["reviewer"])
    page = client.get(reverse("reviews:version_detail", args=[report.pk, 1])).content.decode()
    assert "Nhà trường có 20 lớp học." in page and "Bản nháp mới chưa nộp." not in page


def test_version_content_is_the_hashed_json(client, report, personas):
    import hashlib

    from reviews import services

    version = services.report_submit(report=report, by=personas["principal_a"])
    client.force_login(personas["officer"])
    response = client.get(reverse("reviews:version_content", args=[report.pk, 1]))
    assert hashlib.sha256(response.content).hexdigest() == version.content_hash
    assert "attachment" in response["Content-Disposition"]


def test_buttons_follow_role_and_status(client, report, personas):
    from reviews import services

    client.force_login(personas["principal_a"])
    page = client.get(reverse("reviews:report_detail", args=[report.pk])).content.decode()
    assert reverse("reviews:report_submit", args=[report.pk]) in page
    assert reverse("reviews:report_start_review", args=[report.pk]) not in page
    services.report_submit(report=report, by=personas["principal_a"])
    page = client.get(reverse("reviews:report_detail", args=[report.pk])).content.decode()
    assert reverse("reviews:report_withdraw", args=[report.pk]) in page
    client.force_login(personas["reviewer"])
    page = client.get(reverse("reviews:report_detail", args=[report.pk])).content.decode()
    assert reverse("reviews:report_start_review", args=[report.pk]) in page
    assert reverse("reviews:report_withdraw", args=[report.pk]) not in page
    assert re.search(r"Nhận thẩm định báo cáo này", page)


@pytest.mark.parametrize("persona", ["principal_a", "reviewer"])
def test_the_review_panel_tag_renders_for_the_report_pages(rf, report, personas, persona):
    from django.template import Context, Template

    request = rf.get("/")
    request.user = personas[persona]
    html = Template("{% load reviews_tags %}{% review_panel report %}").render(Context({"report": report, "request": request}))
    assert reverse("reviews:report_detail", args=[report.pk]) in html
    assert (reverse("reviews:report_submit", args=[report.pk]) in html) == (persona == "principal_a")


def test_version_page_marks_the_mandatory_criteria_of_the_catalog(client, report, personas):
    """Tiêu chí bắt buộc (a TT57 catalog flag) are marked on the version's criterion cards; others are not."""
    Criterion.objects.filter(number="1.2", standard__version=report.regulation_version).update(mandatory=True)
    client.force_login(personas["principal_a"])
    assert client.post(reverse("reviews:report_submit", args=[report.pk])).status_code == 302
    client.force_login(personas["reviewer"])
    page = client.get(reverse("reviews:version_detail", args=[report.pk, 1])).content.decode()
    card = {number: page.split(f'id="c-{number}"')[1].split("</article>")[0] for number in ("1-1", "1-2")}
    assert "mandatory-badge" in card["1-2"] and "Bắt buộc" in card["1-2"]
    assert "mandatory-badge" not in card["1-1"]
