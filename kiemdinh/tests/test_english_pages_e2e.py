"""Issue 18 item 8 in a browser at 1366 × 768: with English chosen by the switch, the pages each
role opens first hold no Vietnamese outside the data, read from the page as the browser shows it
(after its scripts ran: autosave states, badges). Same rule as test_english_sweep (the data is every
text stored in the test world). Screenshots: test-artifacts/issue18/english-*.png."""

from __future__ import annotations

import os

import pytest
from django.conf import settings
from django.urls import reverse

from conftest import PASSWORD
from kiemdinh.tests.badinput import world as matrix_world
from kiemdinh.tests.test_english_sweep import CODE, VIETNAMESE, Data, _data_values, _texts
from kiemdinh.tests.test_url_matrix import CASES

pytestmark = pytest.mark.e2e

SHOTS = os.path.join(settings.BASE_DIR, "test-artifacts", "issue18")
# The pages a role meets in its first hour (names of the URL matrix), opened in the browser.
PAGES = {
    "principal_a": ["schools:school_home", "selfassessment:report_detail", "selfassessment:criterion_edit",
                    "selfassessment:tt57_appendix", "selfassessment:tt57_criterion", "reviews:report_detail",
                    "notifications:notification_list"],
    "reviewer": ["reviews:report_queue", "reviews:report_detail", "reviews:version_detail", "reviews:district_dashboard"],
    "head": ["reviews:district_dashboard", "evaluations:round_list", "evaluations:deadline_list"],
}


@pytest.fixture
def world(transactional_db, tmp_path, settings):
    """The URL matrix's world, committed for the browser's server thread: built per test here (the
    sweep's module-wide world lives in a transaction the live server cannot see, and a transactional
    test's flush cannot run inside it)."""
    settings.MEDIA_ROOT = tmp_path
    return matrix_world.build()


@pytest.mark.parametrize("role", list(PAGES))
def test_english_pages_in_the_browser_hold_no_vietnamese_outside_the_data(live_server, browser, world, role):
    user = world[role]
    data = Data(_data_values())
    cases = {case.name: case for case in CASES if case.method == "get" and case.expected(role) == 200}
    os.makedirs(SHOTS, exist_ok=True)
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="vi-VN")
    page = context.new_page()
    page.set_default_timeout(20000)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    found: dict[str, list[str]] = {}
    try:
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("input[name=username]", user.username)
        page.fill("input[name=password]", PASSWORD)
        with page.expect_event("load"):
            page.click("#login-form button[type=submit]")
        with page.expect_event("load"):
            page.get_by_role("button", name="EN", exact=True).click()  # the switch, as a person would
        assert page.locator("html").get_attribute("lang") == "en"
        opened = 0
        for name in PAGES[role]:
            case = cases.get(name)
            if case is None:
                continue
            url = reverse(case.name, kwargs=case.kwargs(world)) + case.query
            page.goto(live_server.url + url)
            page.wait_for_load_state("networkidle")
            assert page.locator("html").get_attribute("lang") == "en", url
            opened += 1
            left = sorted({t for t in _texts(page.content().encode())
                           if VIETNAMESE.search(CODE.sub(" ", t)) and not data.explains(t)})
            if left:
                found[url] = left
            page.screenshot(path=os.path.join(SHOTS, f"english-{role}-{name.replace(':', '-')}.png"))
        assert opened >= 3, role
    finally:
        context.close()
        from django.db import connections

        connections.close_all()
    report = "\n".join(f"{url}:\n    " + "\n    ".join(strings) for url, strings in found.items())
    assert not found, f"{role}: Vietnamese left on {len(found)} English pages:\n{report}"
    assert errors == [], errors
