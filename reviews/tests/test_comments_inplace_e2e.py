"""Issue 18 item 9 (f) in a real browser at 1366 × 768: a comment on the review page is posted in
place — the page does not reload, the new thread shows where it was written, and answering it
works the same. Screenshot: test-artifacts/layout-1366/review-comment-in-place.png."""

from __future__ import annotations

import os

import pytest
from django.conf import settings
from django.urls import reverse

from reviews import services
from reviews.models import CommentThread

pytestmark = pytest.mark.e2e

SHOTS = os.path.join(settings.BASE_DIR, "test-artifacts", "layout-1366")


def test_a_comment_and_its_answer_are_posted_without_reloading(browser, live_server, report, principal_a, reviewer):
    services.report_submit(report=report, by=principal_a)
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="vi-VN")
    page = context.new_page()
    page.set_default_timeout(15000)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("input[name=username]", reviewer.username)
        page.fill("input[name=password]", "Secret-pass-123")
        with page.expect_event("load"):
            page.click("#login-form button[type=submit]")
        page.goto(live_server.url + reverse("reviews:version_detail", args=[report.pk, 1]))
        page.evaluate("window.__notReloaded = true")
        passage = page.locator('.passage-text[data-passage="indicator:1.1:1:a"]')
        passage.scroll_into_view_if_needed()
        page.locator(f"[data-bs-target='#{passage.get_attribute('data-form-target')}']").click()
        form = page.locator("#" + passage.get_attribute("data-form-target"))
        form.wait_for(state="visible")
        form.locator("[name=quote]").fill("có 20 lớp học")
        form.locator("textarea[name=text]").fill("Số lớp không khớp với Phần I.")
        form.locator("button[type=submit]").click()
        card = page.locator(".thread", has_text="Số lớp không khớp với Phần I.")
        card.wait_for()
        card.locator(".inplace-status", has_text="Đã gửi góp ý.").wait_for()
        assert page.evaluate("window.__notReloaded === true")  # the same page: nothing reloaded
        assert page.locator("[data-open-count]").inner_text() == "1 góp ý chưa xử lý"
        assert page.locator("mark.review-mark", has_text="có 20 lớp học").count() == 1
        thread = CommentThread.objects.get(report=report)
        assert thread.quote == "có 20 lớp học"
        # Answering it also stays in place.
        card.locator("textarea[name=text]").fill("Xin nhà trường kiểm tra lại.")
        card.locator("button[type=submit]", has_text="Trả lời").click()
        page.locator(".thread .comment", has_text="Xin nhà trường kiểm tra lại.").wait_for()
        assert page.evaluate("window.__notReloaded === true")
        assert thread.comments.count() == 2
        os.makedirs(SHOTS, exist_ok=True)
        page.locator(f"#thread-{thread.pk}").scroll_into_view_if_needed()
        page.screenshot(path=os.path.join(SHOTS, "review-comment-in-place.png"))
        assert errors == [], errors
    finally:
        context.close()
        from django.db import connections

        connections.close_all()


def _login(browser, live_server, user):
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="vi-VN")
    page = context.new_page()
    page.set_default_timeout(15000)
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", "Secret-pass-123")
    with page.expect_event("load"):
        page.click("#login-form button[type=submit]")
    return context, page


def test_closing_reopening_and_marking_fixed_without_reloading(browser, live_server, report, principal_a, reviewer):
    """The thread actions stay in place too: the reviewer closes a thread and opens it again, the school
    says "Đã sửa" with its reply, and the reviewer's click on a thread closed meanwhile shows the reason
    beside the thread. Screenshots: review-thread-closed-in-place.png, review-thread-fixed-in-place.png."""
    from reviews.models import CommentThread

    services.report_submit(report=report, by=principal_a)
    thread = services.thread_open(report=report, by=reviewer, text="Bổ sung minh chứng cho chỉ báo 1.1a.")
    os.makedirs(SHOTS, exist_ok=True)
    errors = []
    context, page = _login(browser, live_server, reviewer)
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        page.goto(live_server.url + reverse("reviews:version_detail", args=[report.pk, 1]))
        page.evaluate("window.__notReloaded = true")
        card = page.locator(f"#thread-{thread.pk}")
        card.scroll_into_view_if_needed()
        assert page.locator("[data-open-count]").inner_text() == "1 góp ý chưa xử lý"
        card.locator("button", has_text="Đã xử lý").click()
        card.locator(".inplace-status", has_text="Đã đánh dấu góp ý là đã xử lý.").wait_for()
        assert "thread-resolved" in card.get_attribute("class")
        assert page.evaluate("window.__notReloaded === true")  # the same page: nothing reloaded
        assert page.locator("[data-open-count]").inner_text() == "0 góp ý chưa xử lý"
        assert not CommentThread.objects.get(pk=thread.pk).is_open
        page.screenshot(path=os.path.join(SHOTS, "review-thread-closed-in-place.png"))
        card.locator("button", has_text="Mở lại").click()
        card.locator("[data-thread-state=open]").wait_for()
        card.locator(".inplace-status", has_text="Đã mở lại góp ý.").wait_for()
        assert page.evaluate("window.__notReloaded === true")
        assert page.locator("[data-open-count]").inner_text() == "1 góp ý chưa xử lý"
        assert CommentThread.objects.get(pk=thread.pk).is_open
        assert errors == [], errors
    finally:
        context.close()

    # The school, on its report page, says it has fixed it.
    context, page = _login(browser, live_server, principal_a)
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        page.goto(live_server.url + reverse("reviews:report_detail", args=[report.pk]))
        page.evaluate("window.__notReloaded = true")
        card = page.locator(f"#thread-{thread.pk}")
        card.scroll_into_view_if_needed()
        card.locator("textarea[name=text]").fill("Đã bổ sung minh chứng H1-1.1-02.")
        card.locator("button", has_text="Đã sửa").click()
        card.locator("[data-thread-state=fixed]").wait_for()
        card.locator(".comment", has_text="Đã bổ sung minh chứng H1-1.1-02.").wait_for()
        assert page.evaluate("window.__notReloaded === true")
        assert page.locator("[data-open-number]").inner_text() == "1"  # fixed, still open until closed
        assert CommentThread.objects.get(pk=thread.pk).is_fixed
        page.screenshot(path=os.path.join(SHOTS, "review-thread-fixed-in-place.png"))
        assert errors == [], errors
    finally:
        context.close()

    # The reviewer's page still offers "Đã xử lý" on a thread somebody closed meanwhile: the refusal
    # shows beside the thread, and the page stays.
    context, page = _login(browser, live_server, reviewer)
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        page.goto(live_server.url + reverse("reviews:report_detail", args=[report.pk]))
        page.evaluate("window.__notReloaded = true")
        services.thread_resolve(thread=CommentThread.objects.get(pk=thread.pk), by=reviewer)
        card = page.locator(f"#thread-{thread.pk}")
        card.scroll_into_view_if_needed()
        card.locator("button", has_text="Đã xử lý").click()
        card.locator(".inplace-status.text-danger", has_text="đã được đánh dấu đã xử lý").wait_for()
        assert page.evaluate("window.__notReloaded === true")
        # The stale card gave way to the thread as it stands: closed, offering "Mở lại".
        assert "thread-resolved" in card.get_attribute("class") and card.locator("button", has_text="Mở lại").count() == 1
        assert page.locator("[data-open-number]").inner_text() == "0"
        page.screenshot(path=os.path.join(SHOTS, "review-thread-refused-in-place.png"))
        assert errors == [], errors
    finally:
        context.close()
        from django.db import connections

        connections.close_all()
