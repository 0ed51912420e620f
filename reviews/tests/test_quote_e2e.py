"""reviews.js in a real browser: selecting words of a submitted passage quotes them in a comment."""

import pytest
from django.urls import reverse

from reviews import services
from reviews.models import CommentThread

# The browser, page and login fixtures are the project's (conftest.py): they skip when Debian's
# chromium is missing.
pytestmark = pytest.mark.e2e


@pytest.fixture
def version_url(live_server, report, principal_a):
    services.report_submit(report=report, by=principal_a)
    return live_server.url + reverse("reviews:version_detail", args=[report.pk, 1])


def test_selecting_text_fills_the_quote_and_the_comment_is_sent_with_it(page, browser_login, reviewer, version_url,
                                                                        report):
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    browser_login(page, reviewer)
    page.goto(version_url)
    passage = page.locator('.passage-text[data-passage="indicator:1.1:1:a"]')
    passage.scroll_into_view_if_needed()
    # Select the words "Nhà trường có 20 lớp học" (a DOM range, as a mouse drag leaves it) and release.
    page.evaluate(
        """() => {
            const el = document.querySelector('.passage-text[data-passage="indicator:1.1:1:a"]');
            const text = el.firstChild;
            const range = document.createRange();
            range.setStart(text, 0);
            range.setEnd(text, "Nhà trường có 20 lớp học".length);
            const selection = window.getSelection();
            selection.removeAllRanges();
            selection.addRange(range);
            el.dispatchEvent(new MouseEvent("mouseup", {bubbles: true}));
        }"""
    )
    form = page.locator("#" + passage.get_attribute("data-form-target"))
    form.wait_for(state="visible")
    assert page.locator("#" + passage.get_attribute("data-quote-target")).input_value() == "Nhà trường có 20 lớp học"
    form.locator("textarea[name=text]").fill("Số lớp không khớp với Phần I.")
    form.locator("button[type=submit]").click()
    # The comment is posted in place (reviews.js): wait for the quoted words to be marked.
    page.locator("mark.review-mark").first.wait_for(timeout=15000)
    thread = CommentThread.objects.get(report=report)
    assert (thread.passage_key, thread.quote) == ("indicator:1.1:1:a", "Nhà trường có 20 lớp học")
    assert page.locator("mark.review-mark").first.inner_text() == "Nhà trường có 20 lớp học"
    assert errors == []
