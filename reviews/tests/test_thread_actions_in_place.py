"""Issue 18 item 9 (last part): the thread actions of the review page work in place too. Asked by the
page's script (Accept: application/json or X-Requested-With), "Đã xử lý" and "Mở lại" (the reviewer)
and "Đã sửa" (the school, with its reply) answer with the thread as the page shows it and the new
open count; a refusal (the policy's 403, the workflow's 400) answers with the reason and changes
nothing. Without script the ordinary post and redirect are unchanged."""

from __future__ import annotations

import lxml.html
import pytest
from django.urls import reverse

from reviews import services
from reviews.models import CommentThread

pytestmark = pytest.mark.usefixtures("complete_world")  # one world for the module (reviews/tests/conftest.py)

JSON = {"HTTP_ACCEPT": "application/json"}
XHR = {"HTTP_X_REQUESTED_WITH": "XMLHttpRequest"}


@pytest.fixture
def thread(report, personas):
    services.report_submit(report=report, by=personas["principal_a"])
    return services.thread_open(report=report, by=personas["reviewer"], text="Bổ sung minh chứng")


def _card(response):
    data = response.json()
    return data, lxml.html.fromstring(data["html"])


def _buttons(card) -> list[str]:
    return [" ".join(b.text_content().split()) for b in card.xpath(".//button")]


def test_closing_a_thread_answers_with_the_closed_card_and_the_count(client, thread, personas):
    client.force_login(personas["reviewer"])
    response = client.post(reverse("reviews:thread_resolve", args=[thread.pk]), {"next": "version"}, **JSON)
    assert response.status_code == 200
    data, card = _card(response)
    assert data["id"] == thread.pk and data["message"] == "Đã đánh dấu góp ý là đã xử lý."
    assert data["open_count"] == 0 and data["open_label"] == "0 góp ý chưa xử lý"
    assert card.get("id") == f"thread-{thread.pk}" and "thread-resolved" in card.get("class")
    assert "Mở lại" in _buttons(card) and "Đã xử lý" not in _buttons(card)
    # The new buttons post in place too, and keep the page they came from.
    form = card.xpath(f".//form[@action='{reverse('reviews:thread_reopen', args=[thread.pk])}']")[0]
    assert form.get("data-inplace") is not None and form.xpath(".//input[@name='next']/@value") == ["version"]
    thread.refresh_from_db()
    assert not thread.is_open and thread.resolved_by == personas["reviewer"]


def test_reopening_answers_with_the_open_card(client, thread, personas):
    services.thread_resolve(thread=thread, by=personas["reviewer"])
    client.force_login(personas["reviewer"])
    response = client.post(reverse("reviews:thread_reopen", args=[thread.pk]), {"next": "report"}, **XHR)
    assert response.status_code == 200
    data, card = _card(response)
    assert data["message"] == "Đã mở lại góp ý." and data["open_count"] == 1
    assert card.xpath(".//*[@data-thread-state='open']") and "Đã xử lý" in _buttons(card)
    assert card.xpath(".//input[@name='next']/@value")[0] == "report"
    thread.refresh_from_db()
    assert thread.is_open and thread.resolved_by is None


def test_marking_fixed_answers_with_the_fixed_card(client, thread, personas):
    client.force_login(personas["principal_a"])
    response = client.post(reverse("reviews:thread_mark_fixed", args=[thread.pk]),
                           {"text": "Đã bổ sung H1-1.1-02", "next": "version"}, **JSON)
    assert response.status_code == 200
    data, card = _card(response)
    assert data["open_count"] == 1  # still open until the reviewer closes it
    assert card.xpath(".//*[@data-thread-state='fixed']") and "Đã bổ sung H1-1.1-02" in card.text_content()
    assert "Đã xử lý" not in _buttons(card) and "Mở lại" not in _buttons(card)  # the reviewer's, not the school's
    assert card.xpath(".//form[@data-inplace]//textarea[@name='text']")  # and can still answer in place
    thread.refresh_from_db()
    assert thread.is_fixed and thread.comments.count() == 2


@pytest.mark.parametrize("who, url, payload", [
    ("principal_a", "reviews:thread_resolve", {}),  # only the reviewing unit closes a thread
    ("principal_a", "reviews:thread_reopen", {}),
    ("reviewer", "reviews:thread_mark_fixed", {"text": "Đã sửa"}),  # only the school says it fixed it
])
def test_a_refused_action_answers_403_with_the_rules_reason(client, thread, personas, who, url, payload):
    if url.endswith("reopen"):
        services.thread_resolve(thread=thread, by=personas["reviewer"])
    thread.refresh_from_db()
    before = (thread.status, thread.fixed_at, thread.comments.count())
    client.force_login(personas[who])
    response = client.post(reverse(url, args=[thread.pk]), payload, **JSON)
    assert response.status_code == 403 and response["Content-Type"] == "application/json"
    assert "nhà trường" in response.json()["message"].lower()
    thread.refresh_from_db()
    assert (thread.status, thread.fixed_at, thread.comments.count()) == before


def test_a_refused_move_answers_400_with_the_reason(client, thread, personas):
    client.force_login(personas["reviewer"])
    response = client.post(reverse("reviews:thread_reopen", args=[thread.pk]), {}, **JSON)
    assert response.status_code == 400 and response.json()["message"] == "Góp ý này đang mở."
    assert CommentThread.objects.get(pk=thread.pk).is_open
    # Closed meanwhile by a colleague: the reason, with the thread as it now stands (the page replaces
    # its stale card, which still offered "Đã xử lý").
    services.thread_resolve(thread=thread, by=personas["head"])
    response = client.post(reverse("reviews:thread_resolve", args=[thread.pk]), {}, **JSON)
    assert response.status_code == 400 and "đã được đánh dấu đã xử lý" in response.json()["message"]
    data, card = _card(response)
    assert data["open_count"] == 0 and "Mở lại" in _buttons(card) and "Đã xử lý" not in _buttons(card)
    assert CommentThread.objects.get(pk=thread.pk).resolved_by == personas["head"]


def test_a_refused_mark_fixed_on_a_closed_thread_keeps_the_text_out(client, thread, personas):
    services.thread_resolve(thread=thread, by=personas["reviewer"])
    client.force_login(personas["principal_a"])
    response = client.post(reverse("reviews:thread_mark_fixed", args=[thread.pk]), {"text": "Đã sửa"}, **JSON)
    assert response.status_code == 400 and "đã đóng góp ý này" in response.json()["message"]
    assert thread.comments.count() == 1


def test_without_script_the_actions_still_redirect_and_refuse_with_the_page(client, thread, personas):
    client.force_login(personas["reviewer"])
    response = client.post(reverse("reviews:thread_resolve", args=[thread.pk]), {"next": "version"})
    assert response.status_code == 302
    assert response["Location"] == reverse("reviews:version_detail", args=[thread.report_id, 1]) + f"#thread-{thread.pk}"
    assert not CommentThread.objects.get(pk=thread.pk).is_open
    response = client.post(reverse("reviews:thread_reopen", args=[thread.pk]), {"next": "report"})
    assert response.status_code == 302
    assert response["Location"] == reverse("reviews:report_detail", args=[thread.report_id]) + f"#thread-{thread.pk}"
    assert CommentThread.objects.get(pk=thread.pk).is_open
    client.force_login(personas["principal_a"])
    response = client.post(reverse("reviews:thread_resolve", args=[thread.pk]), {})
    assert response.status_code == 403 and "application/json" not in response["Content-Type"]


def test_the_thread_actions_are_marked_for_posting_in_place(client, thread, personas):
    client.force_login(personas["reviewer"])
    page = lxml.html.fromstring(client.get(reverse("reviews:report_detail", args=[thread.report_id])).content.decode())
    forms = page.xpath(f"//form[@action='{reverse('reviews:thread_resolve', args=[thread.pk])}']")
    assert forms and all(f.get("data-inplace") is not None for f in forms)
    assert page.xpath("//*[@data-open-number]")[0].text_content().strip() == "1"
