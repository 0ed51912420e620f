"""A principal writes her TT57 report's Biểu 2 in a real browser at 1366x768: starts it from the
report's outline, adds an improvement with dd/mm/yyyy dates, sees the overdue flag, and records the
Cuối học kỳ I check and the improvement's Mức độ thực hiện (screenshots in test-artifacts/plan57/)."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from django.conf import settings

from schools.tests.factories import SchoolYearFactory
from selfassessment import services
from selfassessment.models import Plan57, Plan57Action, Plan57Check
from standards.models import Criterion, Indicator
from standards.services import DATA_DIR, catalogs_load

pytestmark = pytest.mark.e2e

ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts" / "plan57"


def _fits(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 1366, f"the page is {width}px wide"


def test_principal_writes_biểu_2_and_records_the_semester_check(live_server, page, browser_login, school_a, principal_a):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size({"width": 1366, "height": 768})
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    catalogs_load(paths=[DATA_DIR / "tt57_2026.json"])
    year = SchoolYearFactory(code="2026-2027", start_date=datetime.date(2026, 9, 5), end_date=datetime.date(2027, 5, 31))
    report = services.report_create(school=school_a, school_year=year, kind="periodic", by=principal_a,
                                    today=datetime.date(2026, 10, 1))
    for criterion in Criterion.objects.filter(standard__version=report.regulation_version):
        levels = {i.level: i for i in Indicator.objects.filter(criterion=criterion)}
        services.indicator_verdict_set(report=report, indicator=levels[1], met=True, by=principal_a)
        services.indicator_verdict_set(report=report, indicator=levels[2], met=criterion.number not in ("2.1", "4.1"),
                                       by=principal_a)

    browser_login(page, principal_a)
    page.goto(f"{live_server.url}/reports/{report.pk}/tt57/overview/")
    page.locator("#outline-plan57").click()
    page.wait_for_url(f"**/reports/{report.pk}/tt57/plan/")
    page.get_by_role("button", name="Lập Biểu 2").click()
    page.locator("#issues").wait_for()
    # Proposed from the criteria below Mức 2: one issue for Tiêu chuẩn 2, one for Tiêu chuẩn 4.
    rows = page.locator("#issues tbody tr[id^='issue-']")
    assert rows.count() == 2
    assert "2.1" in rows.nth(0).inner_text() and "4.1" in rows.nth(1).inner_text()

    # A new improvement, tied to the first issue, with dd/mm/yyyy dates; its end is already past.
    past = datetime.date.today() - datetime.timedelta(days=5)
    page.locator("#action-new > summary").click()
    form = page.locator("#action-new form")
    form.locator("select[name='na-issue']").select_option(index=1)
    form.locator("textarea[name='na-content']").fill("Bồi dưỡng kỹ năng số cho giáo viên")
    form.locator("textarea[name='na-objective']").fill("90% giáo viên dùng thành thạo học liệu số")
    form.locator("input[name='na-start_on']").fill("15/09/2026")
    form.locator("input[name='na-end_on']").fill(past.strftime("%d/%m/%Y"))
    form.locator("input[name='na-responsible']").fill("Phó Hiệu trưởng")
    form.locator("input[name='na-coordination']").fill("Tổ Toán - Tin")
    form.get_by_role("button", name="Thêm nội dung").click()
    page.locator(".alert", has_text="Đã lưu nội dung cải tiến").wait_for()
    action = Plan57Action.objects.get(plan__report=report)
    assert (action.start_on, action.end_on, action.issue.position) == (datetime.date(2026, 9, 15), past, 1)
    row = page.locator(f"#action-{action.pk}")
    assert "Quá hạn" in row.inner_text() and "plan57-overdue" in (row.get_attribute("class") or "")
    assert "15/09/2026" in row.inner_text()
    page.locator("#plan57-overdue").wait_for()
    _fits(page)
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(ARTIFACTS / "1-plan-with-overdue-action.png"), full_page=False)
    page.locator("#actions").scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "2-table-v.png"), full_page=False)

    # Monitoring at the end of semester 1: a row of table VI for that improvement.
    page.locator("#check-new-semester1 > summary").click()
    check_form = page.locator("#check-new-semester1 form")
    check_form.locator("select[name='nsemester1-action']").select_option(str(action.pk))
    check_form.locator("textarea[name='nsemester1-content']").fill("Tiến độ bồi dưỡng kỹ năng số")
    check_form.locator("textarea[name='nsemester1-result']").fill("Đã tổ chức 3/5 chuyên đề")
    check_form.locator("textarea[name='nsemester1-evidence']").fill("Biên bản sinh hoạt chuyên môn tháng 11")
    check_form.locator("textarea[name='nsemester1-adjustment']").fill("Bổ sung 1 chuyên đề vào tháng 01")
    check_form.locator("input[name='nsemester1-assessor']").fill("Hội đồng tự đánh giá")
    check_form.get_by_role("button", name="Lưu kết quả theo dõi").click()
    page.locator(".alert", has_text="Đã lưu kết quả theo dõi").wait_for()
    check = Plan57Check.objects.get(plan__report=report)
    assert (check.point, check.action_id, check.result) == ("semester1", action.pk, "Đã tổ chức 3/5 chuyên đề")
    semester = page.locator("#point-semester1").inner_text()
    assert "Cuối học kỳ I" in semester and "Đã tổ chức 3/5 chuyên đề" in semester and "Nội dung 1:" in semester
    assert "Chưa ghi kết quả theo dõi" in page.locator("#point-year_end").inner_text()

    # Mức độ thực hiện of the improvement: in progress, still overdue; done, no longer flagged.
    status = page.locator(f"#action-{action.pk} form.plan57-status")
    status.locator("select").select_option("in_progress")
    status.get_by_role("button", name="Lưu").click()
    page.locator(".alert", has_text="Đã lưu mức độ thực hiện").wait_for()
    assert "plan57-overdue" in (page.locator(f"#action-{action.pk}").get_attribute("class") or "")
    page.locator("#monitoring").scroll_into_view_if_needed()
    _fits(page)
    page.screenshot(path=str(ARTIFACTS / "3-semester1-check.png"), full_page=False)
    status = page.locator(f"#action-{action.pk} form.plan57-status")
    status.locator("select").select_option("done")
    status.get_by_role("button", name="Lưu").click()
    page.locator(".alert", has_text="Đã lưu mức độ thực hiện").wait_for()
    assert "plan57-overdue" not in (page.locator(f"#action-{action.pk}").get_attribute("class") or "")
    assert Plan57Action.objects.get(pk=action.pk).status == "done"
    assert Plan57.objects.get(report=report).checks.count() == 1
    assert not errors, errors
