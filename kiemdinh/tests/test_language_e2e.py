"""Issue 18 item 8 in a real browser at 1366 × 768: an English-language browser still gets
Vietnamese; after the EN switch the criterion editor's autosave states and its badges (the
verdict mirror, the computed level) are English, and the choice stays after logging in again.
Screenshots: test-artifacts/english/."""

from __future__ import annotations

import os

import pytest
from django.conf import settings

from conftest import PASSWORD
from selfassessment import services
from selfassessment.models import Passage
from selfassessment.tests.factories import criterion, load_catalog

pytestmark = pytest.mark.e2e

SHOTS = os.path.join(settings.BASE_DIR, "test-artifacts", "english")


def shot(page, name):
    os.makedirs(SHOTS, exist_ok=True)
    page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=False)


def _login(page, base, user):
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", PASSWORD)
    with page.expect_event("load"):
        page.click("#login-form button[type=submit]")


def test_english_by_the_switch_only_and_the_editor_speaks_it(live_server, browser, school_a, school_year,
                                                               principal_a, transactional_db):
    load_catalog()
    report = services.report_create(school=school_a, school_year=school_year, kind="periodic", by=principal_a)
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="en-US")
    page = context.new_page()
    page.set_default_timeout(15000)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    _login(page, live_server.url, principal_a)
    url = f"{live_server.url}/reports/{report.pk}/criteria/{criterion(report, '1.1').pk}/"
    page.goto(url)
    # An English browser, no choice made: Vietnamese.
    assert page.locator("html").get_attribute("lang") == "vi"
    assert "Chưa đạt" in page.locator("#criterion-level").inner_text()

    with page.expect_event("load"):
        page.get_by_role("button", name="EN", exact=True).click()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.url == url

    strengths = Passage.objects.get(report=report, key="criterion:1.1:strengths")
    box = page.locator(f"#p-{strengths.pk}")
    box.locator("textarea").fill("The school has a clear strategy.")
    state = box.locator(".passage-state")
    state.filter(has_text="Saved at").wait_for()
    assert "Đã lưu" not in state.inner_text()

    first = page.locator("form[data-verdict]").first
    first.locator("label", has_text="Met").first.click()
    first.locator(".verdict-state", has_text="Saved").wait_for()
    mirror = page.locator("[data-verdict-mirror] .badge").first
    assert mirror.inner_text() == "Met"
    level = page.locator("#criterion-level").inner_text()
    assert "Not met" in level or "Level" in level
    assert "Chưa đạt" not in level and "Mức" not in level
    box.scroll_into_view_if_needed()
    shot(page, "criterion-editor-en")
    mirror.scroll_into_view_if_needed()
    shot(page, "criterion-verdicts-en")

    # Remembered on the account: a new browser session (cookie-less) logs in to English pages.
    other = browser.new_context(viewport={"width": 1366, "height": 768}, locale="vi-VN").new_page()
    _login(other, live_server.url, principal_a)
    other.goto(url)
    assert other.locator("html").get_attribute("lang") == "en"
    assert errors == [], errors


def test_the_admins_login_log_follows_the_switch(live_server, browser, sysadmin, transactional_db):
    page = browser.new_context(viewport={"width": 1366, "height": 768}, locale="en-US").new_page()
    page.set_default_timeout(15000)
    _login(page, live_server.url, sysadmin)
    page.goto(f"{live_server.url}/admin/")
    assert page.get_by_role("link", name="Nhật ký đăng nhập").is_visible()
    page.goto(f"{live_server.url}/")
    with page.expect_event("load"):
        page.get_by_role("button", name="EN", exact=True).click()
    page.goto(f"{live_server.url}/admin/")
    login_log = page.get_by_role("link", name="Login log")
    assert login_log.is_visible()
    assert page.get_by_role("link", name="Access attempts").is_visible()
    login_log.scroll_into_view_if_needed()
    shot(page, "admin-login-log-en")
