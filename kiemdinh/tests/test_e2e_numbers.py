"""Issue 18, items 1-3 in a browser at 1366×768: numbers a head of office can trust.

Today is frozen in December 2026. A district of fourteen schools has reports of 2026-2027 in every
status, its two periodic deadlines, and round 1 of 2027 whose schools hold an accepted report, a
report still in review (with an accepted one of an earlier year), and none. The test reads the
pages as the head of office would and checks them against the database:

1. every row of the dashboard: the self-assessment column is the report's status, the periodic
   columns are the periodic reports' states, and the dashboard's XLSX holds the same rows;
2. the dashboard, the Sở overview, the summary form and the deadlines page open on 2026-2027; the
   year switch shows another year, and one click brings the current one back;
3. the round's dossier lists the accepted version of 2026-2027 only, and says why the others have none.

Screenshots are kept in ``test-artifacts/e2e-numbers/``.
"""

from __future__ import annotations

import datetime
import io
import os
import pathlib

import pytest
from django.core.cache import cache
from django.urls import reverse
from openpyxl import load_workbook

from evaluations import services as ev_services
from evaluations.models import EvaluationRound, PeriodicReport, ReportingDeadline, RoundRegistration
from exports.tests.builders import accept, submit
from reviews.tests import factories
from schools import years
from selfassessment.models import Report

pytestmark = pytest.mark.e2e

D = datetime.date
TODAY = D(2026, 12, 6)
SHOTS = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(__file__))), "test-artifacts", "e2e-numbers")


@pytest.fixture
def district_data(transactional_db, district, school_a, school_b, principal_a, principal_b, reviewer, head, officer,
                  monkeypatch):
    cache.clear()
    monkeypatch.setattr(years, "today", lambda: TODAY)
    old, _mid, current = (factories.school_year(code) for code in ("2024-2025", "2025-2026", "2026-2027"))
    factories.bulk_reports(district, 12, year=current, reviewer=reviewer)
    semester = ReportingDeadline.objects.create(unit=district, school_year=current, period="semester1",
                                                due_date=D(2026, 12, 20))
    ReportingDeadline.objects.create(unit=district, school_year=current, period="year_end", due_date=D(2027, 5, 10))
    ev_services.periodic_report_submit(school=school_a, deadline=semester, by=principal_a)
    # School A: accepted report of the year. School B: in review this year, accepted two years ago.
    report_a = factories.report_for(school_a, principal_a, year=current)
    accepted_version = submit(report_a, principal_a)
    accept(report_a)
    report_b = factories.report_for(school_b, principal_b, year=current)
    submit(report_b, principal_b)
    Report.objects.filter(pk=report_b.pk).update(status="in_review")
    report_b_old = factories.report_for(school_b, principal_b, year=old)
    submit(report_b_old, principal_b)
    accept(report_b_old)
    round_ = EvaluationRound.objects.create(unit=district, year=2027, number=1, dossier_date=D(2027, 1, 9))
    bulk_without = Report.objects.filter(school__reviewing_unit=district, school_year=current, status="draft") \
        .values_list("school_id", flat=True).first()
    for school_id in (school_a.pk, school_b.pk, bulk_without):
        RoundRegistration.objects.create(round=round_, school_id=school_id)
    return {"current": current, "old": old, "round": round_, "accepted_version": accepted_version,
            "report_b": report_b}


def _shot(page, name: str) -> None:
    os.makedirs(SHOTS, exist_ok=True)
    page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=False)


def _open(browser, browser_login, user):
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="vi-VN", accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(15000)
    browser_login(page, user)
    return context, page


def test_the_head_of_office_reads_the_same_numbers_everywhere(browser, browser_login, live_server, district_data,
                                                             district, head, officer):
    url = live_server.url
    current, old = district_data["current"], district_data["old"]
    context, page = _open(browser, browser_login, head)
    try:
        # 1. The dashboard opens on the current school year; each column says one thing.
        page.goto(url + reverse("reviews:district_dashboard"))
        assert page.locator("#f-year option:checked").inner_text().strip() == "2026-2027"
        _shot(page, "01-dashboard")
        reports = {r.school.code: r.status for r in Report.objects.filter(
            school__reviewing_unit=district, school_year=current, kind="periodic").select_related("school")}
        periodic = {(p.school.code, p.deadline.period): p.status
                    for p in PeriodicReport.objects.select_related("school", "deadline")}
        rows = page.locator("tr[data-school]")
        assert rows.count() == 14
        shown = []
        for i in range(rows.count()):
            row = rows.nth(i)
            code = row.get_attribute("data-school")
            shown.append(code)
            status = row.locator('td[data-col="sa-status"] [data-status]').get_attribute("data-status")
            assert status == reports.get(code, "none"), code
            for period in ("semester1", "year_end"):
                cell = row.locator(f'td[data-col="periodic-{period}"] [data-periodic-status]')
                assert cell.get_attribute("data-periodic-status") == periodic.get((code, period), "none"), (code, period)
        headers = page.locator("table.dashboard-table thead").inner_text()
        assert "Báo cáo tự đánh giá" in headers and "Báo cáo định kỳ" in headers and "Hạn nộp (đợt ĐGN)" in headers
        row_a = page.locator('tr[data-school="A-THCS-01"]')
        assert "Đã chấp nhận" in row_a.locator('td[data-col="sa-status"]').inner_text()
        assert "Nộp đúng hạn" in row_a.locator('td[data-col="periodic-semester1"]').inner_text()
        # The table fits the 1366-px screen: no column hidden behind a horizontal scroll.
        widths = page.evaluate(
            "() => { const t = document.querySelector('table.dashboard-table'); "
            "return [t.scrollWidth, t.parentElement.clientWidth]; }")
        assert widths[0] <= widths[1] + 1, widths

        # ... its own export holds the same rows, in the same order, with the same statuses.
        with page.expect_download() as download:
            page.locator("[data-dashboard-export]").click()
        book = load_workbook(io.BytesIO(pathlib.Path(download.value.path()).read_bytes()))
        sheet_rows = list(book.active.iter_rows(values_only=True))
        start = next(i for i, r in enumerate(sheet_rows) if r and r[0] == "STT")
        header = list(sheet_rows[start])
        body = [r for r in sheet_rows[start + 1:] if r and r[0] is not None]
        assert [r[1] for r in body] == shown
        labels = dict(Report.Status.choices)
        status_col = header.index("Trạng thái báo cáo tự đánh giá")
        for r in body:
            assert r[status_col] == (labels[reports[r[1]]] if r[1] in reports else "Chưa có báo cáo"), r[1]
        assert "2026-2027" in " ".join(str(c) for c in sheet_rows[1] if c)
        assert page.locator("[data-print]").is_visible()

        # 2. The year switch is one click away, and one click brings the current year back.
        page.select_option("#f-year", str(old.pk))
        page.wait_for_load_state()
        page.locator("[data-other-year]").wait_for()
        assert page.locator("#f-year option:checked").inner_text().strip() == "2024-2025"
        _shot(page, "02-dashboard-other-year")
        page.locator("[data-other-year] a").click()
        page.wait_for_load_state()
        assert page.locator("#f-year option:checked").inner_text().strip() == "2026-2027"
        assert page.locator("[data-other-year]").count() == 0

        page.goto(url + reverse("exports:district_summary"))
        assert "Năm học hiện tại (2026-2027)" in page.locator("#id_school_year").inner_text()
        _shot(page, "03-summary")
        page.goto(url + reverse("evaluations:deadline_list"))
        assert "2026-2027" in page.locator("h1, .h4, select").first.inner_text() or \
            "2026-2027" in page.locator("main, body").first.inner_text()
        _shot(page, "04-deadlines")

        # 3. The round's dossier: the accepted version of 2026-2027, and why the others have none.
        page.goto(url + reverse("exports:round_exports", args=[district_data["round"].pk]))
        assert "năm học 2026-2027" in page.locator("[data-dossier-year]").inner_text()
        row_a = page.locator("tr", has_text="Trường THCS A").inner_text()
        assert "Năm học 2026-2027, phiên bản 1" in row_a
        assert district_data["accepted_version"].content_hash[:16] in row_a
        row_b = page.locator("tr", has_text="Trường THCS B").inner_text()
        assert "Không có báo cáo được chấp nhận" in row_b and "Đang thẩm định" in row_b and "2024-2025" not in row_b
        assert page.get_by_text("Chưa có báo cáo tự đánh giá của năm học này").count() == 0  # every school has one
        assert "2 trường chưa có báo cáo được chấp nhận" in page.locator("body").inner_text()
        _shot(page, "05-dossier")
    finally:
        context.close()

    # The Sở's overview opens on the same year.
    context, page = _open(browser, browser_login, officer)
    try:
        page.goto(url + reverse("reviews:department_dashboard"))
        assert page.locator("#f-year option:checked").inner_text().strip() == "2026-2027"
        _shot(page, "06-department")
    finally:
        context.close()
    from django.db import connections

    connections.close_all()
