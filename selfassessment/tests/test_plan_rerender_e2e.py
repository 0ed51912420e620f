"""The self-assessment plan saved without JavaScript and refused: the page comes back (400) with the
four written parts under their headings, not under their keys. Screenshot in test-artifacts/plan/."""

import os

import pytest
from django.conf import settings
from django.urls import reverse

from conftest import PASSWORD

pytestmark = pytest.mark.e2e
SHOTS = os.path.join(settings.BASE_DIR, "test-artifacts", "plan")


def test_a_refused_plan_comes_back_with_its_headings(browser, live_server, report, principal_a):
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="vi-VN", java_script_enabled=False)
    try:
        page = context.new_page()
        page.set_default_timeout(15000)
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("input[name=username]", principal_a.username)
        page.fill("input[name=password]", PASSWORD)
        page.click("#login-form button[type=submit]")
        page.goto(live_server.url + reverse("selfassessment:report_plan", kwargs={"pk": report.pk}))
        page.fill("input[name=steps-0-week]", "3")  # a week without its activity: the row is refused
        response_seen = []
        page.on("response", lambda r: response_seen.append(r.status) if "/plan/" in r.url and r.request.method == "POST" else None)
        page.locator("button[type=submit]", has_text="Lưu nguồn lực và thời gian biểu").click()
        page.wait_for_load_state("load")
        assert response_seen == [400]
        body = page.locator("main").inner_text()
        assert "Kế hoạch chưa được lưu" in body
        for heading in ("1. Mục đích tự đánh giá", "2. Phạm vi tự đánh giá", "3. Công cụ đánh giá",
                        "4. Tập huấn nghiệp vụ tự đánh giá"):
            assert page.locator("label", has_text=heading).count() == 1, heading
        assert page.locator("label", has_text="purpose").count() == 0
        os.makedirs(SHOTS, exist_ok=True)
        page.screenshot(path=os.path.join(SHOTS, "plan-refused-400.png"), full_page=True)
    finally:
        context.close()
        from django.db import connections

        connections.close_all()
