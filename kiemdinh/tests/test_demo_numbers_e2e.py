"""Issue 18 "done when", on the seeded demo in a browser at 1366 × 768 (items 1-3 and 11): for every
demo school of the three reviewing units (Đống Đa, Long Biên, the ward Cửa Nam), the head of office's
dashboard shows the school's self-assessment report status of the current school year; the dashboard
and the summary export open on that same year (by today's date); each round dossier lists only
accepted (or forwarded) versions of its own year. One demo seed (slow).
Screenshots: test-artifacts/issue18/demo-*.png."""

from __future__ import annotations

import os

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse

from schools import years

pytestmark = pytest.mark.e2e

SHOTS = os.path.join(settings.BASE_DIR, "test-artifacts", "issue18")
HEADS = ["tp.dongda", "tp.longbien", "tp.cuanam"]


def test_the_demo_heads_read_numbers_that_agree(live_server, browser, transactional_db):
    from evaluations.models import EvaluationRound
    from reviews.models import ReportVersion
    from schools import demo
    from schools.models import School, User
    from selfassessment.models import Report

    call_command("load_standards", verbosity=0)
    call_command("seed_demo", "--quiet-accounts", "--allow-without-debug")
    current = years.school_year_current()
    assert current is not None
    os.makedirs(SHOTS, exist_ok=True)
    seen_schools: set[str] = set()
    for username in HEADS:
        head = User.objects.get(username=username)
        context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="vi-VN")
        page = context.new_page()
        page.set_default_timeout(30000)
        try:
            page.goto(f"{live_server.url}/accounts/login/")
            page.fill("input[name=username]", username)
            page.fill("input[name=password]", demo.DEMO_PASSWORD)
            page.click("#login-form button[type=submit]")
            page.wait_for_load_state("networkidle")
            page.goto(live_server.url + reverse("reviews:district_dashboard"))
            assert page.locator("#f-year option:checked").inner_text().strip() == current.code, username
            page.screenshot(path=os.path.join(SHOTS, f"demo-dashboard-{username}.png"))
            rows = page.locator("tr[data-school]")
            assert rows.count() > 0, username
            for i in range(rows.count()):
                row = rows.nth(i)
                code = row.get_attribute("data-school")
                school = School.objects.get(code=code)
                report = Report.objects.filter(school=school, school_year=current, kind="periodic").first()
                status = row.locator('td[data-col="sa-status"] [data-status]').get_attribute("data-status")
                assert status == (report.status if report else "none"), (username, code)
                seen_schools.add(code)
            # The summary export opens on the same year.
            page.goto(live_server.url + reverse("exports:district_summary"))
            assert current.code in page.locator("#id_school_year option:checked").inner_text(), username
            # Each round of the unit: its dossier holds only accepted or forwarded versions of its year.
            units = set(head.memberships.exclude(organisation=None).values_list("organisation_id", flat=True))
            for round_ in EvaluationRound.objects.filter(unit_id__in=units):
                page.goto(live_server.url + reverse("exports:round_exports", args=[round_.pk]))
                year_text = page.locator("[data-dossier-year]").inner_text()
                for code in page.locator("table tbody td code").all_inner_texts():
                    version = ReportVersion.objects.select_related("report__school_year").get(content_hash__startswith=code)
                    assert version.report.status in ("accepted", "forwarded", "closed"), (round_, code)
                    assert version.report.school_year.code in year_text, (round_, code)
                    assert version == version.report.review_versions.order_by("-number").first(), (round_, code)
                page.screenshot(path=os.path.join(SHOTS, f"demo-dossier-{round_.unit.code}-{round_.year}-{round_.number}.png"))
        finally:
            context.close()
    demo_codes = set(School.objects.filter(code__regex=r"^(DDA|LBI|CNA)-").values_list("code", flat=True))
    assert demo_codes <= seen_schools, demo_codes - seen_schools
    from django.db import connections

    connections.close_all()
