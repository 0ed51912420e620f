"""Issue 18 item 4 in a browser at 1366 × 768: the reviewing unit's required sections (the default:
council, plan, Phần I, every criterion assessed) are listed to the principal where she submits, each
a link to the place to fix; a submission with sections missing is refused and the report stays a
draft, nothing versioned. Screenshot: test-artifacts/issue18/submission-gate.png."""

from __future__ import annotations

import os

import pytest
from django.conf import settings
from django.urls import reverse

from conftest import PASSWORD
from reviews import gates
from reviews.models import ReportVersion
from selfassessment import services as sa
from selfassessment.models import Report
from selfassessment.tests.factories import load_catalog

pytestmark = pytest.mark.e2e

SHOTS = os.path.join(settings.BASE_DIR, "test-artifacts", "issue18")


def test_the_principal_sees_the_required_sections_and_cannot_submit_without_them(
        live_server, browser, school_a, school_year, principal_a, transactional_db):
    load_catalog()
    report = sa.report_create(school=school_a, school_year=school_year, kind="periodic", by=principal_a)
    required = gates.required_sections(school_a.reviewing_unit)
    missing = gates.missing_sections(report, required)
    assert missing  # a new report misses the required sections
    os.makedirs(SHOTS, exist_ok=True)
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="vi-VN")
    page = context.new_page()
    page.set_default_timeout(20000)
    try:
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("input[name=username]", principal_a.username)
        page.fill("input[name=password]", PASSWORD)
        with page.expect_event("load"):
            page.click("#login-form button[type=submit]")
        page.goto(live_server.url + reverse("reviews:report_detail", args=[report.pk]))
        gate = page.locator("[data-submission-gate]").first
        gate.wait_for()
        assert "yêu cầu hoàn thành trước khi nộp" in gate.inner_text()
        shown = gate.locator("li[data-missing]")
        assert sorted(shown.evaluate_all("items => items.map(i => i.dataset.missing)")) == sorted(m.key for m in missing)
        for i in range(shown.count()):  # each a link to the place to fix
            assert shown.nth(i).locator("a").get_attribute("href")
        gate.scroll_into_view_if_needed()
        page.screenshot(path=os.path.join(SHOTS, "submission-gate.png"))
        page.once("dialog", lambda dialog: dialog.accept())
        with page.expect_event("load"):
            page.locator("form[action$='/submit/'] button[type=submit]").first.click()
        page.locator(".alert").first.wait_for()
        report.refresh_from_db()
        assert report.status == Report.Status.DRAFT
        assert not ReportVersion.objects.filter(report=report).exists()
        page.screenshot(path=os.path.join(SHOTS, "submission-gate-refused.png"))
    finally:
        context.close()
        from django.db import connections

        connections.close_all()
