"""cite.js in a real browser: typing "[H" offers the school's codes; picking inserts them."""

import pytest
from django.urls import reverse

from evidence import services

# The browser, page and login fixtures are the project's (conftest.py): they skip when Debian's
# chromium is missing, and keep a screenshot of a failing page in test-artifacts/.
pytestmark = pytest.mark.e2e


@pytest.fixture
def demo_url(live_server, school_a, principal_a, criteria):
    services.evidence_create(school=school_a, criterion=criteria["1.1"], by=principal_a, name="Chiến lược phát triển")
    services.evidence_create(school=school_a, criterion=criteria["1.1"], by=principal_a, name="Nghị quyết hội nghị")
    services.evidence_create(school=school_a, criterion=criteria["1.2"], by=principal_a, name="Quy chế hoạt động")
    return live_server.url + reverse("evidence:evidence_cite_demo", kwargs={"school_pk": school_a.pk})


@pytest.fixture
def browser_page(page, browser_login, principal_a, demo_url):
    """The principal's page, logged in through the login form; JavaScript errors fail the test."""
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    browser_login(page, principal_a)
    yield page
    assert errors == [], errors


def test_typing_an_open_bracket_and_h_offers_codes_and_enter_inserts_one(browser_page, demo_url):
    page = browser_page
    page.goto(demo_url)
    textarea = page.locator("#cite-demo")
    textarea.fill("")
    textarea.press_sequentially("Nhà trường có chiến lược [H")
    menu = page.locator("#evidence-cite-menu")
    menu.locator("[role=option]").first.wait_for()
    assert menu.locator("[role=option] code").all_inner_texts() == ["H1-1.1-01", "H1-1.1-02", "H1-1.2-01"]
    assert "Chiến lược phát triển" in menu.inner_text()
    textarea.press("ArrowDown")
    textarea.press("Enter")
    assert textarea.input_value() == "Nhà trường có chiến lược [H1-1.1-02]"
    assert not menu.is_visible()


def test_a_second_code_in_the_same_bracket_after_a_semicolon(browser_page, demo_url):
    page = browser_page
    page.goto(demo_url)
    textarea = page.locator("#cite-demo")
    textarea.fill("")
    textarea.press_sequentially("Quy chế [H1-1.1-01; H1-1.2")
    option = page.locator("#evidence-cite-menu [role=option]")
    option.first.wait_for()
    assert option.locator("code").all_inner_texts() == ["H1-1.2-01"]
    option.first.click()
    assert textarea.input_value() == "Quy chế [H1-1.1-01; H1-1.2-01]"


def test_escape_closes_the_list_and_typing_goes_on(browser_page, demo_url):
    page = browser_page
    page.goto(demo_url)
    textarea = page.locator("#cite-demo")
    textarea.fill("")
    textarea.press_sequentially("[H")
    menu = page.locator("#evidence-cite-menu")
    menu.locator("[role=option]").first.wait_for()
    textarea.press("Escape")
    assert not menu.is_visible()
    textarea.press_sequentially("1")
    page.wait_for_timeout(300)
    assert not menu.is_visible()
    assert textarea.input_value() == "[H1"


def test_the_picker_searches_by_name_and_inserts_at_the_caret(browser_page, demo_url):
    page = browser_page
    page.goto(demo_url)
    textarea = page.locator("#cite-demo")
    textarea.fill("Nhà trường ban hành quy chế. Tiếp theo")
    textarea.evaluate("el => el.setSelectionRange(27, 27)")
    page.get_by_role("button", name="Chèn minh chứng").click()
    search = page.get_by_placeholder("Tìm theo mã hoặc tên minh chứng")
    search.fill("quy che")
    results = page.locator(".evidence-cite-results [role=option]")
    results.first.wait_for()
    page.wait_for_function(
        "() => document.querySelectorAll('.evidence-cite-results [role=option]').length === 1"
    )
    search.press("Enter")
    assert textarea.input_value() == "Nhà trường ban hành quy chế [H1-1.2-01]. Tiếp theo"
