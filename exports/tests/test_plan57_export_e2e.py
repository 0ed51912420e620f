"""The Biểu 2 downloads in a real browser (1366x768): the report page's menu and the export page's card."""

import pytest
from django.urls import reverse

from exports.tests.test_bieu2 import plan57  # noqa: F401
from selfassessment.tests.test_tt57 import tt57_catalog, tt57_report, year_2026  # noqa: F401

pytestmark = pytest.mark.e2e


def test_the_school_downloads_biểu_2_from_the_report_page_and_the_export_page(
    page, browser_login, live_server, principal_a, plan57, tmp_path,  # noqa: F811 (the fixture imported above)
):
    from pathlib import Path

    from exports.tests.readers import pdf_text

    report = plan57.report
    browser_login(page, principal_a)
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto(live_server.url + reverse("selfassessment:report_detail", kwargs={"pk": report.pk}))
    button = page.get_by_role("link", name="Biểu 2 (PDF)")
    assert button.is_visible()
    with page.expect_download() as info:
        button.click()
    path = tmp_path / info.value.suggested_filename
    info.value.save_as(path)
    assert "V. KẾ HOẠCH CẢI TIẾN CHẤT LƯỢNG" in " ".join(pdf_text(path.read_bytes()).split())
    page.goto(live_server.url + reverse("exports:report_exports", kwargs={"pk": report.pk}))
    card = page.locator("#plan57-exports")
    assert card.is_visible() and "Bản nháp hiện tại" in card.inner_text()
    out = Path("test-artifacts/exports-tt57")
    out.mkdir(parents=True, exist_ok=True)
    card.scroll_into_view_if_needed()
    page.screenshot(path=str(out / "export-page-bieu-2.png"))
