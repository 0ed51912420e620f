"""In a real browser at 1366x768: the Sở records a TT57 national-standard recognition (the school's
four conditions shown, the dates computed, the old certificate kept with its own expiry), and the
district's head adds the 15/6 approval deadline on the unit's page of the year.
Screenshots: test-artifacts/recognition57/."""

from __future__ import annotations

import datetime
import os

import pytest

from conftest import ARTIFACTS, CHROMIUM_ARGS  # noqa: F401  (the browser fixture lives there)
from evaluations import services
from evaluations.models import Certificate, Recognition57, ReportingDeadline
from evaluations.tests.test_recognition57 import _report, ready_school, tt57  # noqa: F401  (fixtures)

pytestmark = pytest.mark.e2e

SHOTS = os.path.join(ARTIFACTS, "recognition57")


@pytest.fixture
def small_page(browser):
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="vi-VN")
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()
    from django.db import connections

    connections.close_all()


def _shot(page, name: str) -> None:
    os.makedirs(SHOTS, exist_ok=True)
    page.screenshot(path=os.path.join(SHOTS, name))


def test_the_so_records_a_recognition_and_the_head_adds_a_deadline(
    ready_school, officer, head, year_2026, deadlines, small_page, live_server, browser_login,  # noqa: F811
):
    Certificate.objects.create(school=ready_school, decision_number="99/QĐ-SGDĐT", decision_date=datetime.date(2023, 5, 10),
                               issuing_body="Sở GD&ĐT", accreditation_level=2, national_standard_level=1)
    page = small_page
    browser_login(page, officer)
    page.goto(f"{live_server.url}/evaluations/recognition/")
    row = page.locator("tr", has_text=ready_school.name)
    assert row.locator(".bi-check-circle-fill").count() == 4
    assert "10/05/2028" in row.inner_text()  # the certificate of before TT57 with its own expiry
    _shot(page, "1-recognition-list.png")
    row.locator("a", has_text=ready_school.name).click()
    page.wait_for_url("**/recognition/schools/*/")
    assert "Đủ điều kiện để xem xét công nhận Mức độ 1." in page.content()
    page.fill("#id_decision_number", "15/QĐ-SGDĐT")
    page.fill("#id_decision_date", "20/11/2026")
    page.select_option("#id_degree", "1")
    with page.expect_navigation():
        page.click("button:has-text('Ghi quyết định')")
    body = page.locator("body").inner_text()
    assert "hiệu lực đến 20/11/2031" in body and "Xem xét Mức độ 2 từ 20/11/2028" in body
    assert "Bằng trước 07/7/2026: giữ thời hạn ghi trên bằng" in body
    assert Recognition57.objects.get().degree == 1
    _shot(page, "2-recognition-school.png")
    # Mức độ 2 at once: refused in Vietnamese, what was typed is kept.
    page.fill("#id_decision_number", "16/QĐ-SGDĐT")
    page.fill("#id_decision_date", "01/12/2026")
    page.select_option("#id_degree", "2")
    with page.expect_navigation():
        page.click("button:has-text('Ghi quyết định')")
    assert "Chưa đủ điều kiện d)" in page.locator("body").inner_text()
    assert page.input_value("#id_decision_number") == "16/QĐ-SGDĐT"
    assert Recognition57.objects.count() == 1

    page.context.clear_cookies()
    browser_login(page, head)
    page.goto(f"{live_server.url}/evaluations/deadlines/units/{head.memberships.first().organisation_id}/2026-2027/")
    page.select_option("#add_period", "plan_approval")
    with page.expect_navigation():
        page.click("button:has-text('Thêm hạn')")
    assert ReportingDeadline.objects.get(period="plan_approval").due_date == datetime.date(2027, 6, 15)
    page.select_option("#add_period", "monitoring_semester1")
    page.fill("#add_due_date", "15/01/2027")
    with page.expect_navigation():
        page.click("button:has-text('Thêm hạn')")
    body = page.locator("body").inner_text()
    assert "15/06/2027" in body and "15/01/2027" in body and "Phê duyệt báo cáo tự đánh giá" in body
    _shot(page, "3-deadline-configure.png")
    assert services.default_due_date(year_2026, "monitoring_year_end") == datetime.date(2027, 5, 10)
