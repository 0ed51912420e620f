"""Issue 18 item 9 (f): the review page posts comments in place. Asked for JSON (as reviews.js asks),
opening or answering a thread answers with the thread as the page shows it, instead of a redirect
that reloads a page of 40,000 pixels; a refused one answers with the reason. Without script the
ordinary post and redirect are unchanged."""

from __future__ import annotations

import lxml.html
import pytest
from django.urls import reverse

from reviews import services
from reviews.models import CommentThread

pytestmark = pytest.mark.usefixtures("complete_world")  # one world for the module (reviews/tests/conftest.py)

JSON = {"HTTP_ACCEPT": "application/json"}


@pytest.fixture
def submitted(report, personas):
    services.report_submit(report=report, by=personas["principal_a"])
    return report


def test_a_new_thread_comes_back_as_its_card(client, submitted, personas):
    client.force_login(personas["reviewer"])
    response = client.post(reverse("reviews:thread_create", args=[submitted.pk]), {
        "text": "Số lớp không khớp Phần I", "version": 1, "passage_key": "indicator:1.1:1:a", "quote": "có 20 lớp học",
    }, **JSON)
    assert response.status_code == 201
    data = response.json()
    thread = CommentThread.objects.get(report=submitted)
    assert data["id"] == thread.pk and data["message"] == "Đã gửi góp ý."
    assert data["open_label"] == "1 góp ý chưa xử lý"  # the page's counter follows
    card = lxml.html.fromstring(data["html"])
    assert card.get("id") == f"thread-{thread.pk}"
    assert "Số lớp không khớp Phần I" in card.text_content() and "có 20 lớp học" in card.text_content()
    # The reviewer can answer it right there: the card carries its reply form, posting in place too.
    form = card.xpath(".//form[@data-inplace]")[0]
    assert form.get("action") == reverse("reviews:comment_create", args=[thread.pk])


def test_an_answer_comes_back_as_the_whole_thread(client, submitted, personas):
    thread = services.thread_open(report=submitted, by=personas["reviewer"], text="Bổ sung minh chứng")
    client.force_login(personas["principal_a"])
    response = client.post(reverse("reviews:comment_create", args=[thread.pk]),
                           {"text": "Đã bổ sung H1-1.1-02", "next": "version"}, **JSON)
    assert response.status_code == 200
    text = lxml.html.fromstring(response.json()["html"]).text_content()
    assert "Bổ sung minh chứng" in text and "Đã bổ sung H1-1.1-02" in text
    assert thread.comments.count() == 2


def test_a_refused_comment_answers_with_the_reason_and_saves_nothing(client, submitted, personas):
    client.force_login(personas["reviewer"])
    response = client.post(reverse("reviews:thread_create", args=[submitted.pk]), {
        "text": "Góp ý", "version": 1, "passage_key": "indicator:1.1:1:a", "quote": "đoạn không tồn tại",
    }, **JSON)
    assert response.status_code == 400 and "trích dẫn" in response.json()["message"]
    thread = services.thread_open(report=submitted, by=personas["reviewer"], text="Bổ sung")
    response = client.post(reverse("reviews:comment_create", args=[thread.pk]), {"text": ""}, **JSON)
    assert response.status_code == 400 and response.json()["message"]
    assert CommentThread.objects.count() == 1 and thread.comments.count() == 1


def test_without_script_the_post_still_redirects(client, submitted, personas):
    client.force_login(personas["reviewer"])
    response = client.post(reverse("reviews:thread_create", args=[submitted.pk]), {"text": "Góp ý chung", "version": 1})
    assert response.status_code == 302


def test_the_review_page_marks_its_comment_forms_for_posting_in_place(client, submitted, personas):
    services.thread_open(report=submitted, by=personas["reviewer"], text="Bổ sung")
    client.force_login(personas["reviewer"])
    page = lxml.html.fromstring(client.get(reverse("reviews:version_detail", args=[submitted.pk, 1])).content.decode())
    forms = page.xpath("//form[contains(@action,'/threads/')]")
    assert forms and all(f.get("data-inplace") is not None for f in forms
                         if f.get("action").endswith(("/new/", "/reply/")))
