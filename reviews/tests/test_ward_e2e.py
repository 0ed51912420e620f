"""A ward reviewing its schools, in a real browser at 1366×768: the ward's head walks the dashboard,
the review queue and a report's review page, and every page speaks in the ward's name and its head's
title, never "Phòng GD&ĐT". Screenshots in test-artifacts/ward/."""

import os

import pytest
from django.urls import reverse

from reviews import services
from reviews.tests import factories
from schools.models import Organisation

pytestmark = pytest.mark.e2e

WARD = "UBND phường Cửa Nam"
HEAD = "Trưởng phòng Văn hóa – Xã hội"
SHOTS = os.path.join(os.path.dirname(__file__), "..", "..", "test-artifacts", "ward")


@pytest.fixture
def ward(district):
    district.kind = Organisation.Kind.WARD_COMMITTEE
    district.name = "Ủy ban nhân dân phường Cửa Nam"
    district.short_name = WARD
    district.requires_head_approval = True
    district.save()
    return district


@pytest.fixture
def small_page(browser):
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="vi-VN")
    pg = context.new_page()
    pg.set_default_timeout(15000)
    yield pg
    context.close()
    from django.db import connections

    connections.close_all()


def _shot(pg, name: str) -> None:
    os.makedirs(SHOTS, exist_ok=True)
    pg.screenshot(path=os.path.join(SHOTS, f"{name}.png"))


def _no_district_office(pg) -> None:
    body = pg.locator("body").inner_text()
    assert "Phòng GD&ĐT" not in body


def test_the_wards_head_walks_dashboard_queue_and_review_page_in_the_wards_name(
        small_page, browser_login, live_server, ward, report, personas):
    principal, reviewer, head = personas["principal_a"], personas["reviewer"], personas["head"]
    services.report_submit(report=report, by=principal)
    services.report_start_review(report=report, by=reviewer)
    services.thread_open(report=report, by=reviewer, text="Bổ sung biên bản họp Hội đồng.")
    pg = small_page
    browser_login(pg, head)

    pg.goto(live_server.url + reverse("reviews:district_dashboard"))
    assert WARD in pg.locator("main").inner_text()
    _no_district_office(pg)
    _shot(pg, "1-dashboard")
    # The account menu names the head by the ward's own title.
    pg.locator("a.dropdown-toggle:has(.nav-user-name)").click()
    assert pg.get_by_text(f"{HEAD} – {WARD}").first.is_visible()
    _shot(pg, "2-account-menu")
    pg.keyboard.press("Escape")

    pg.goto(live_server.url + reverse("reviews:report_queue") + "?tab=all")
    assert report.school.name in pg.locator("main").inner_text()
    _no_district_office(pg)
    _shot(pg, "3-queue")

    pg.goto(live_server.url + reverse("reviews:report_detail", args=[report.pk]))
    main = pg.locator("main").inner_text()
    assert report.school.name in main
    # Each comment is signed with the reviewer's name and the ward's (not "Phòng GD&ĐT").
    assert WARD in main
    _no_district_office(pg)
    _shot(pg, "4-review-page")

    pg.goto(live_server.url + reverse("reviews:unit_settings", args=[ward.pk]))
    assert pg.get_by_text(f"{HEAD} phê duyệt cuối cùng").first.is_visible()
    _no_district_office(pg)
    _shot(pg, "5-unit-settings")

    # The reviewer's acceptance waits for the ward's head, named by the ward's title.
    pg.context.clear_cookies()
    browser_login(pg, reviewer)
    pg.goto(live_server.url + reverse("reviews:report_detail", args=[report.pk]))
    assert pg.get_by_role("button", name=f"Đề nghị chấp nhận (chờ {HEAD})").is_visible()
    _no_district_office(pg)
    _shot(pg, "6-reviewer-review-page")


def test_the_demo_wards_head_signs_in_and_finds_the_wards_schools(small_page, live_server):
    """The demo's ward (schools.demo: UBND phường Cửa Nam, tp.cuanam), signed in with the printed
    password: its dashboard lists its three schools, and a submitted report of one of them reads in
    the ward's name on its review page."""
    from schools import demo
    from schools.models import School, User

    demo.seed()
    school = School.objects.get(code="CNA-THCS-01")
    principal, reviewer = User.objects.get(username="cna-thcs-01"), User.objects.get(username="cv.cuanam1")
    report = factories.complete_report_for(school, principal)
    services.report_submit(report=report, by=principal)
    services.report_start_review(report=report, by=reviewer)
    services.thread_open(report=report, by=reviewer, text="Bổ sung minh chứng về cơ sở vật chất.")

    pg = small_page
    pg.goto(f"{live_server.url}/accounts/login/")
    pg.fill("input[name=username]", "tp.cuanam")
    pg.fill("input[name=password]", demo.DEMO_PASSWORD)
    with pg.expect_event("load"):
        pg.click("#login-form button[type=submit]")
    pg.goto(live_server.url + reverse("reviews:district_dashboard") + f"?year={report.school_year.code}")
    main = pg.locator("main").inner_text()
    assert WARD in main
    for name in ("Trường Mầm non Hoa Sen", "Trường Tiểu học Tràng Thi", "Trường THCS Ngô Sĩ Liên"):
        assert name in main
    assert "Trường THCS Đống Đa" not in main  # a district office's school is not the ward's
    _no_district_office(pg)
    _shot(pg, "7-demo-ward-dashboard")

    pg.goto(live_server.url + reverse("reviews:report_detail", args=[report.pk]))
    assert WARD in pg.locator("main").inner_text()
    _no_district_office(pg)
    _shot(pg, "8-demo-ward-review-page")
