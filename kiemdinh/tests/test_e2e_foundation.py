"""The foundation in a real browser: Vietnamese login, each role's start page, the language switch."""

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_login_page_is_vietnamese_and_a_reviewer_lands_on_the_district_page(page, live_server, browser_login, reviewer, school_a):
    page.goto(f"{live_server.url}/")
    assert "/accounts/login/" in page.url
    assert page.locator("h2", has_text="Đăng nhập").is_visible()
    assert page.locator("label", has_text="Tên đăng nhập hoặc email").is_visible()
    browser_login(page, reviewer)
    assert page.url.rstrip("/").endswith("/review/district")
    assert page.get_by_text("Trường THCS A").first.is_visible()


def test_a_principal_lands_on_their_school_and_cannot_open_the_district_page(page, live_server, browser_login, principal_a):
    browser_login(page, principal_a)
    assert "/school/" in page.url
    assert page.locator("h1", has_text="Trường THCS A").is_visible()
    response = page.goto(f"{live_server.url}/review/district/")
    assert response.status == 403
    assert page.get_by_text("Bạn không có quyền").is_visible()


def test_wrong_password_shows_a_vietnamese_message(page, live_server, reviewer):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", "reviewer")
    page.fill("input[name=password]", "sai-mat-khau")
    page.click("#login-form button[type=submit]")
    assert page.get_by_text("không đúng").is_visible()


def test_language_switch_turns_the_page_english_and_back(page, live_server, browser_login, reviewer):
    browser_login(page, reviewer)
    with page.expect_event("load"):
        page.click("button[name=language][value=en]")
    assert page.locator("html").get_attribute("lang") == "en"
    with page.expect_event("load"):
        page.click("button[name=language][value=vi]")
    assert page.locator("html").get_attribute("lang") == "vi"
