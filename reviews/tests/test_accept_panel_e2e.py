"""Issue 18 item 9 in a browser at 1366 × 768: on the report's review page, closing the last open
comment in place also updates the accept panel (its "Còn N góp ý chưa xử lý…" note goes) and moves
the thread to the closed comments, without reloading; reopening brings both back.
Screenshots: test-artifacts/issue18/accept-panel-*.png."""

from __future__ import annotations

import os

import pytest
from django.conf import settings
from django.urls import reverse

from reviews import services
from reviews.models import CommentThread

pytestmark = pytest.mark.e2e

SHOTS = os.path.join(settings.BASE_DIR, "test-artifacts", "issue18")


def test_the_accept_panel_follows_the_comments_in_place(browser, live_server, report, principal_a, reviewer):
    services.report_submit(report=report, by=principal_a)
    services.report_start_review(report=report, by=reviewer)
    thread = services.thread_open(report=report, by=reviewer, text="Bổ sung minh chứng cho chỉ báo 1.1a.")
    os.makedirs(SHOTS, exist_ok=True)
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
        page.goto(live_server.url + reverse("reviews:report_detail", args=[report.pk]))
        page.evaluate("window.__notReloaded = true")
        actions = page.locator("#review-actions")
        note = actions.locator("text=Còn 1 góp ý chưa xử lý")
        assert note.count() == 1
        assert actions.locator("button", has_text="Chấp nhận báo cáo").count() == 1
        page.screenshot(path=os.path.join(SHOTS, "accept-panel-1-open-comment.png"))

        card = page.locator(f"#thread-{thread.pk}")
        card.locator("button", has_text="Đã xử lý").click()
        page.locator(f"#thread-{thread.pk} .inplace-status", has_text="Đã đánh dấu góp ý là đã xử lý.").wait_for()
        assert page.evaluate("window.__notReloaded === true")  # the same page: nothing reloaded
        assert page.locator("#review-actions", has_text="góp ý chưa xử lý").count() == 0
        assert page.locator("#review-threads details", has_text="Góp ý đã xử lý (1)").count() == 1
        assert page.locator("#review-threads", has_text="Không có góp ý nào chưa xử lý.").count() == 1
        assert page.locator("[data-open-number]").inner_text() == "0"
        assert not CommentThread.objects.get(pk=thread.pk).is_open
        page.screenshot(path=os.path.join(SHOTS, "accept-panel-2-closed-in-place.png"))

        # The closed list is unfolded, the thread in sight. Reopened from there: the note and the open
        # list come back, still in place.
        assert page.locator("#review-threads details[open]").count() == 1
        page.locator(f"#thread-{thread.pk}").locator("button", has_text="Mở lại").click()
        page.locator("#review-actions", has_text="Còn 1 góp ý chưa xử lý").wait_for()
        assert page.evaluate("window.__notReloaded === true")
        assert page.locator("#review-threads details").count() == 0
        assert page.locator("[data-open-number]").inner_text() == "1"
        # The accept form still works after being put in place (its note is posted the ordinary way).
        assert page.locator("#review-actions textarea[name=note]").count() == 1
        assert errors == [], errors
    finally:
        context.close()
        from django.db import connections

        connections.close_all()
