"""A principal writes one criterion of her 2026-2027 TT57 report in a real browser: the current
state with citations in round brackets, Mức 1 Đạt, Mức 2 Không đạt; the criterion's level and the
school's level change at once, with their reasons (Phụ lục II for a lower-secondary school, then
Phụ lục I for a preschool)."""

from __future__ import annotations

import datetime

import pytest

from schools.models import Membership, School
from schools.tests.factories import MembershipFactory, SchoolFactory, SchoolYearFactory, UserFactory
from selfassessment import services
from selfassessment.models import Passage
from standards.models import Criterion, Indicator
from standards.services import DATA_DIR, catalogs_load

pytestmark = pytest.mark.e2e


def _indicator(report, number, level):
    return Indicator.objects.get(criterion__standard__version=report.regulation_version, criterion__number=number, level=level)


def _start(school, principal, target: str):
    """A 2026-2027 report where every criterion but ``target`` (mandatory) reaches Mức 1: the school
    is held at "Không đạt" by ``target`` alone."""
    from evidence.models import Evidence

    catalogs_load(paths=[DATA_DIR / "tt57_2026.json"])
    year = SchoolYearFactory(code="2026-2027", start_date=datetime.date(2026, 9, 5), end_date=datetime.date(2027, 5, 31))
    report = services.report_create(school=school, school_year=year, kind="periodic", by=principal,
                                    today=datetime.date(2026, 10, 1))
    for criterion in Criterion.objects.filter(standard__version=report.regulation_version).exclude(number=target):
        services.indicator_verdict_set(report=report, indicator=_indicator(report, criterion.number, 1), met=True, by=principal)
        services.indicator_verdict_set(report=report, indicator=_indicator(report, criterion.number, 2), met=False, by=principal)
    criterion = Criterion.objects.get(standard__version=report.regulation_version, number=target)
    # The first item is what the Thông tư's first suggested evidence asks for, named as a school would.
    first = criterion.evidence_hints[0].rstrip(".")
    for seq, name in ((1, f"{first[0].upper()}{first[1:]} năm học 2026-2027"), (2, "Biên bản họp Hội đồng trường")):
        Evidence.objects.create(school=school, name=name, box=1, criterion=criterion, sequence=seq,
                                code=f"MC.{target}.{seq:02d}")
    return report, criterion


def _write_criterion(page, live_server, report, criterion, number: str):
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{live_server.url}/reports/{report.pk}/criteria/{criterion.pk}/")  # the 2018 address redirects
    page.wait_for_url(f"**/reports/{report.pk}/tt57/criteria/{criterion.pk}/")
    assert "Tiêu chí bắt buộc" in page.locator("h1").inner_text()
    assert "Mức" not in page.locator("#criterion-level").inner_text()  # not reached yet
    assert "Mức" not in page.locator("#school-level").inner_text()
    # TT57 names level 0 "Không đạt" (the 2018 badges say "Chưa đạt").
    assert "Không đạt" in page.locator("#criterion-level").inner_text()
    assert "Không đạt" in page.locator("#school-level").inner_text()
    school_reasons = page.locator("#school-explanation")
    assert number in school_reasons.inner_text()  # the mandatory criterion holds the school down

    level1 = Passage.objects.get(report=report, key=f"indicator:{number}:1:a")
    box = page.locator(f"#p-{level1.pk}")
    text = (f"Nhà trường ban hành kế hoạch năm học đúng thời hạn (MC.{number}.01); dữ liệu được rà soát "
            f"định kỳ mỗi học kỳ (MC.{number}.01, MC.{number}.02).")
    box.locator("textarea").fill(text)
    box.locator(".passage-state", has_text="Đã lưu lúc").wait_for()
    level1.refresh_from_db()
    assert level1.text == text

    ind1, ind2 = _indicator(report, number, 1), _indicator(report, number, 2)
    page.locator(f"label[for='verdict-{ind1.pk}-dat']").click()
    page.locator(f"#ind-{ind1.pk} .verdict-state", has_text="Đã lưu").wait_for()
    page.locator(f"label[for='verdict-{ind2.pk}-khong']").click()
    page.locator(f"#ind-{ind2.pk} .verdict-state", has_text="Đã lưu").wait_for()

    page.locator("#criterion-level", has_text="Mức 1").wait_for()
    assert f"Yêu cầu Mức 2 của tiêu chí {number} chưa đạt" in page.locator("#criterion-explanation").inner_text()
    page.locator("#school-level", has_text="Mức 1").wait_for()
    # The school's reasons now speak of Mức 2: the mandatory criterion is at Mức 1, Mức 2 is needed.
    page.wait_for_function(
        "n => document.getElementById('school-explanation').innerText.includes('cần Mức 2')", arg=number)
    # The first suggested evidence is matched by the cited item that provides it (after a reload).
    page.reload()
    assert "Mức 1" in page.locator("#criterion-level").inner_text()
    first_hint = page.locator("#hints [data-hint='0']").inner_text()
    assert f"Khớp với minh chứng đã trích dẫn: MC.{number}.01" in first_hint
    report.refresh_from_db()
    assert report.school_level == 1
    assert errors == [], errors


def test_lower_secondary_principal_writes_a_criterion_of_phu_luc_ii(live_server, page, browser_login, school_a,
                                                                   principal_a, transactional_db):
    report, criterion = _start(school_a, principal_a, "1.3")
    assert report.regulation_version.regulation.appendix == "II"
    browser_login(page, principal_a)
    _write_criterion(page, live_server, report, criterion, "1.3")


def test_preschool_principal_writes_a_criterion_of_phu_luc_i(live_server, page, browser_login, district,
                                                            transactional_db):
    school = SchoolFactory(code="A-MN-01", name="Trường Mầm non A", level=School.Level.PRESCHOOL, reviewing_unit=district)
    principal = UserFactory(username="principal_mn")
    MembershipFactory(user=principal, role=Membership.Role.PRINCIPAL, school=school)
    report, criterion = _start(school, principal, "2.1")
    assert report.regulation_version.regulation.appendix == "I"
    browser_login(page, principal)
    _write_criterion(page, live_server, report, criterion, "2.1")
