"""The dashboards with both regimes in a real browser at 1366×768 (issue 14 item 3): the reviewing
unit's dashboard and the Sở overview show each school's TT57/2026 level beside its last 2018 level,
the regime filter keeps one regime, the TT57 heatmap starts with the mandatory criteria, and the
monitoring roll-up names the school without its end-of-semester check. Screenshots in
test-artifacts/dashboard57/."""

from __future__ import annotations

import os

import pytest

from evaluations.tests.test_regimes import (  # noqa: F401  (fixtures)
    MANDATORY,
    _bulk,
    catalogs,
    two_regimes,
    years,
)

pytestmark = pytest.mark.e2e

SHOTS = os.path.join(os.path.dirname(__file__), "..", "..", "test-artifacts", "dashboard57")


@pytest.fixture
def small_page(browser):
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="vi-VN")
    pg = context.new_page()
    pg.set_default_timeout(15000)
    yield pg
    context.close()
    from django.db import connections

    connections.close_all()


def _shot(pg, name: str, *, full: bool = False) -> None:
    os.makedirs(SHOTS, exist_ok=True)
    pg.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=full)


def test_the_dashboard_and_the_overview_show_both_regimes_apart(
        small_page, browser_login, live_server, district, two_regimes, catalogs, school_b, principal_b,  # noqa: F811
        reviewer, officer):
    from selfassessment import services_plan57

    _bulk(district, catalogs, two_regimes, 5, 0)
    services_plan57.plan_create(report=two_regimes["b57"], by=principal_b)  # a plan, no check yet
    pg = small_page
    browser_login(pg, reviewer)
    pg.goto(f"{live_server.url}/review/district/")
    pg.wait_for_load_state("networkidle")
    row_a = pg.locator('tr[data-school="A-THCS-01"]')
    assert row_a.locator('[data-tt57-level]').inner_text().strip() == "Không đạt"
    assert row_a.locator('[data-col="y2018-level"]').inner_text().startswith("Mức 2")
    row_b = pg.locator('tr[data-school="A-THCS-02"]')
    assert row_b.locator('[data-tt57-level]').inner_text().strip() == "Mức 2"
    assert row_b.locator('[data-col="y2018-level"]').inner_text().startswith("Mức 4")
    monitoring = pg.locator('[data-monitoring="semester1"]')
    assert "A-THCS-02" in monitoring.inner_text()
    pg.locator('[data-regime-summary]').scroll_into_view_if_needed()
    _shot(pg, "1-district-dashboard")
    pg.locator("table.dashboard-table").first.scroll_into_view_if_needed()
    _shot(pg, "2-district-table")
    heatmap = pg.locator('[data-heatmap="tt57"]')
    heatmap.scroll_into_view_if_needed()
    numbers = [n.strip().rstrip("*") for n in heatmap.locator("th.crit").all_inner_texts()]
    assert numbers[:8] == MANDATORY and len(numbers) == 15
    _shot(pg, "3-district-heatmaps")
    # The regime filter: only the 2018 columns and heatmap stay.
    pg.select_option("#f-regime", "2018")
    pg.wait_for_url("**regime=2018**")
    pg.wait_for_load_state("networkidle")
    assert pg.locator('[data-col="tt57-level"]').count() == 0 and pg.locator('[data-heatmap="tt57"]').count() == 0
    assert pg.locator('[data-col="y2018-level"]').count() > 0

    pg.context.clear_cookies()
    browser_login(pg, officer)
    pg.goto(f"{live_server.url}/review/department/")
    pg.wait_for_load_state("networkidle")
    unit = pg.locator(f'tr[data-unit-regimes="{district.pk}"]')
    assert unit.locator('[data-tt57-count="0"]').inner_text().strip() != ""
    pg.locator('[data-regime-units]').scroll_into_view_if_needed()
    _shot(pg, "4-so-overview")
    pg.locator("#regime-schools").scroll_into_view_if_needed()
    row = pg.locator('tr[data-school="A-THCS-01"]')
    assert row.locator('[data-tt57-level]').inner_text().strip() == "Không đạt"
    _shot(pg, "5-so-schools")
