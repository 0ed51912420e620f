"""Issue 18 item 9: on the report's review page a comment or thread action posted in place also puts
in place the parts of the page that depend on the comments: the actions card (the accept panel's note
"Còn N góp ý chưa xử lý…") and the lists of open and closed comments. The version page (next=version)
gets the thread alone, as before."""

from __future__ import annotations

import lxml.html
import pytest
from django.urls import reverse

from reviews import services

pytestmark = pytest.mark.usefixtures("complete_world")  # one world for the module (reviews/tests/conftest.py)

JSON = {"HTTP_ACCEPT": "application/json"}


@pytest.fixture
def thread(report, personas):
    services.report_submit(report=report, by=personas["principal_a"])
    services.report_start_review(report=report, by=personas["reviewer"])
    return services.thread_open(report=report, by=personas["reviewer"], text="Bổ sung minh chứng")


def _panel(data, key):
    return lxml.html.fromstring(data["panels"][key])


def _text(node) -> str:
    return " ".join(node.text_content().split())


def test_the_page_marks_the_parts_put_in_place(client, thread, personas, report):
    client.force_login(personas["reviewer"])
    page = lxml.html.fromstring(client.get(reverse("reviews:report_detail", args=[report.pk])).content)
    actions = page.get_element_by_id("review-actions")
    assert actions.xpath(f".//form[@action='{reverse('reviews:report_accept', args=[report.pk])}']")
    assert "Còn 1 góp ý chưa xử lý" in _text(actions)
    threads = page.get_element_by_id("review-threads")
    assert threads.xpath(f".//*[@id='thread-{thread.pk}']")


def test_closing_the_last_thread_on_the_report_page_clears_the_accept_note(client, thread, personas, report):
    client.force_login(personas["reviewer"])
    response = client.post(reverse("reviews:thread_resolve", args=[thread.pk]), {"next": "report"}, **JSON)
    assert response.status_code == 200
    data = response.json()
    assert set(data["panels"]) == {"review-actions", "review-threads"}
    actions = _panel(data, "review-actions")
    assert actions.get("id") == "review-actions"
    assert actions.xpath(f".//form[@action='{reverse('reviews:report_accept', args=[report.pk])}']//textarea[@name='note']")
    assert "góp ý chưa xử lý" not in _text(actions)
    threads = _panel(data, "review-threads")
    assert threads.get("id") == "review-threads"
    closed = threads.xpath(".//details")
    assert closed and closed[0].xpath(f".//*[@id='thread-{thread.pk}']")  # moved to the closed ones
    assert "Không có góp ý nào chưa xử lý." in _text(threads)

    # Reopened: the note and the open list come back.
    response = client.post(reverse("reviews:thread_reopen", args=[thread.pk]), {"next": "report"}, **JSON)
    data = response.json()
    assert "Còn 1 góp ý chưa xử lý" in _text(_panel(data, "review-actions"))
    threads = _panel(data, "review-threads")
    assert not threads.xpath(".//details") and threads.xpath(f".//*[@id='thread-{thread.pk}']")


def test_a_new_comment_on_the_report_page_counts_in_the_accept_note(client, thread, personas, report):
    client.force_login(personas["reviewer"])
    response = client.post(reverse("reviews:comment_create", args=[thread.pk]),
                           {"text": "Thêm một ý", "next": "report"}, **JSON)
    assert response.status_code == 200
    data = response.json()
    assert "Còn 1 góp ý chưa xử lý" in _text(_panel(data, "review-actions"))
    assert "Thêm một ý" in _text(_panel(data, "review-threads"))


def test_the_version_page_gets_the_thread_alone(client, thread, personas):
    client.force_login(personas["reviewer"])
    response = client.post(reverse("reviews:thread_resolve", args=[thread.pk]), {"next": "version"}, **JSON)
    assert response.status_code == 200 and response.json()["panels"] == {}


def test_the_school_gets_its_todo_list_back(client, thread, personas):
    client.force_login(personas["principal_a"])
    response = client.post(reverse("reviews:thread_mark_fixed", args=[thread.pk]),
                           {"text": "Đã bổ sung", "next": "report"}, **JSON)
    assert response.status_code == 200
    data = response.json()
    todo = _panel(data, "review-threads")
    assert todo.xpath(".//*[@id='todo']") and "Đã bổ sung" in _text(todo)
    assert "chấp nhận" not in _text(_panel(data, "review-actions")).lower()  # the school has no accept panel
