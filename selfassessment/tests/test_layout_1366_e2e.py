"""Issue 18 item 9: the report pages at 1366 × 768 in a real browser, with an English-language
browser (whose own date picker would show mm/dd/yyyy). Screenshots: test-artifacts/layout-1366/."""

from __future__ import annotations

import datetime
import os

import pytest
from django.conf import settings
from django.utils import timezone

from selfassessment import services
from selfassessment.models import Passage

from .factories import criterion, load_catalog

pytestmark = pytest.mark.e2e

SHOTS = os.path.join(settings.BASE_DIR, "test-artifacts", "layout-1366")
LONG = ("Tổ chức bồi dưỡng chuyên môn cho giáo viên về đổi mới phương pháp dạy học và kiểm tra đánh giá theo "
        "hướng phát triển phẩm chất, năng lực học sinh; mỗi tổ chuyên môn xây dựng chuyên đề theo học kỳ.")


def shot(page, name):
    os.makedirs(SHOTS, exist_ok=True)
    page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=False)


@pytest.fixture
def desk(live_server, browser, school_a, school_year, principal_a, transactional_db):
    """A principal's English-language browser at 1366 × 768 on a fresh report."""
    load_catalog()
    report = services.report_create(school=school_a, school_year=school_year, kind="periodic", by=principal_a)
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="en-US")
    page = context.new_page()
    page.set_default_timeout(15000)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", principal_a.username)
    page.fill("input[name=password]", "Secret-pass-123")
    with page.expect_event("load"):
        page.click("#login-form button[type=submit]")
    yield page, report, live_server.url
    context.close()
    from django.db import connections

    connections.close_all()
    assert errors == [], errors


def _with_plan(report, principal):
    c11 = criterion(report, "1.1")
    services.improvement_actions_save(report=report, criterion=c11, by=principal, token=services.actions_token([]), items=[{
        "id": None, "delete": False, "action": LONG, "responsible": "Tổ Toán – Tin, Tổ Ngữ văn, Ban giám hiệu",
        "start_on": datetime.date(2025, 9, 5), "due_on": datetime.date(2026, 5, 31),
        "resources": "Kinh phí bồi dưỡng thường xuyên; tài liệu của Bộ GD&ĐT", "expected_result": LONG,
    }])
    return c11


def test_the_plan_table_fits_and_its_dates_read_day_month_year(desk, principal_a):
    page, report, url = desk
    c11 = _with_plan(report, principal_a)
    page.goto(f"{url}/reports/{report.pk}/criteria/{c11.pk}/#plan")
    table = page.locator(".actions-table").first
    table.scroll_into_view_if_needed()
    start = page.locator("input[name$='-start_on']").first
    assert start.get_attribute("type") == "text"
    assert start.input_value() == "05/09/2025"
    assert start.get_attribute("placeholder") == "dd/mm/yyyy"
    # A date typed the short way is written out dd/mm/yyyy.
    due = page.locator("input[name$='-due_on']").first
    due.fill("1/6/2026")
    due.press("Tab")
    assert due.input_value() == "01/06/2026"
    box = page.locator(".actions-form .table-responsive").first
    widths = box.evaluate("el => [el.scrollWidth, el.clientWidth]")
    assert widths[0] <= widths[1], widths  # every column visible, no horizontal scroll
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    shot(page, "plan-table")


def test_the_tracking_plan_tables_fit(desk, principal_a, school_a):
    page, report, url = desk
    _with_plan(report, principal_a)
    page.goto(f"{url}/reports/improvement/schools/{school_a.pk}/?report={report.pk}")
    tables = page.locator(".plan-table")
    tables.first.wait_for()
    for i in range(tables.count()):
        widths = tables.nth(i).evaluate("el => [el.parentElement.scrollWidth, el.parentElement.clientWidth]")
        assert widths[0] <= widths[1], widths
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    tables.first.scroll_into_view_if_needed()
    shot(page, "tracking-plan")


def test_the_last_saved_line_follows_each_save(desk, principal_a):
    page, report, url = desk
    c11 = criterion(report, "1.1")
    strengths = Passage.objects.get(report=report, key="criterion:1.1:strengths")
    services.passage_save(passage=strengths, text="Bản đầu.", base_revision=0, by=principal_a)
    Passage.objects.filter(pk=strengths.pk).update(updated_at=timezone.make_aware(datetime.datetime(2024, 3, 1, 8, 5)))
    weaknesses = Passage.objects.get(report=report, key="criterion:1.1:weaknesses")
    page.goto(f"{url}/reports/{report.pk}/criteria/{c11.pk}/")
    box = page.locator(f"#p-{strengths.pk}")
    meta = box.locator("[data-last-saved]")
    assert "08:05 01/03/2024" in meta.inner_text()
    box.locator("textarea").fill("Nhà trường có chiến lược rõ ràng.")
    box.locator(".passage-state", has_text="Đã lưu lúc").wait_for()
    today = timezone.localdate().strftime("%d/%m/%Y")
    box.locator("[data-last-saved]", has_text=today).wait_for()
    assert "2024" not in meta.inner_text() and principal_a.display_name in meta.inner_text()
    # A text never saved before gets the line with its first save.
    other = page.locator(f"#p-{weaknesses.pk}")
    assert not other.locator("[data-last-saved]").is_visible()
    other.locator("textarea").fill("Còn ít hoạt động trải nghiệm.")
    other.locator("[data-last-saved]", has_text=today).wait_for()
    box.scroll_into_view_if_needed()
    shot(page, "last-saved")


def test_the_reasons_card_shows_whole_sentences(desk):
    page, report, url = desk
    page.goto(f"{url}/reports/{report.pk}/")
    reasons = page.locator(".explanation-list").first
    reasons.wait_for()
    lines = reasons.locator("li")
    assert lines.count() >= 2
    assert "chưa đủ để trường đạt" in lines.first.inner_text()
    # Nothing is clipped: the list is as tall as its content, and no line is cut at its edge.
    heights = reasons.evaluate("el => [el.scrollHeight, el.clientHeight]")
    assert heights[0] <= heights[1], heights
    for i in range(lines.count()):
        assert lines.nth(i).evaluate("li => { const p = li.closest('.card').getBoundingClientRect(), r = li.getBoundingClientRect();"
                                     " return r.bottom <= p.bottom && r.right <= p.right; }")
    shot(page, "reasons-card")


def test_the_checks_page_is_grouped_and_folds(desk):
    page, report, url = desk
    c12 = criterion(report, "1.2")
    page.goto(f"{url}/reports/{report.pk}/checks/")
    page.locator(".check-summary").wait_for()
    shot(page, "checks-top")
    group = page.locator("details.check-group", has_text="Tiêu chí 1.2").first
    item = group.locator("li").first
    assert not item.is_visible()  # folded: the summary shows the counts only
    assert group.locator("summary .badge").count() >= 1
    group.locator("summary").click()
    item.wait_for(state="visible")
    group.scroll_into_view_if_needed()
    shot(page, "checks-open-group")
    item.locator("a").click()
    page.wait_for_url(f"**/reports/{report.pk}/criteria/{c12.pk}/**")
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
