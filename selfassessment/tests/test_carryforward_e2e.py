"""The whole TT57 start in a real browser (issue 16, Done when): a principal starts this year's report
from her 2024-2025 one, confirms the council and the MC codes of the carried evidence, writes one
criterion citing them in round brackets through the autocomplete, marks Mức 1 Đạt and Mức 2 Không
đạt, and sees the criterion's and the school's level change with their reasons. Once for a
lower-secondary school (Phụ lục II, from TT18/2018), once for a preschool (Phụ lục I, from TT19/2018).

Each step ends with a screenshot in ``test-artifacts/tt57-carry-forward/<school>-NN-step.png``.
"""

from __future__ import annotations

import datetime
import os

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.urls import reverse

from evidence import services as evidence_services
from evidence.models import Evidence, EvidenceCarryOver
from evidence.tests import samples
from schools.models import Membership, School
from schools.tests.factories import MembershipFactory, SchoolFactory, UserFactory
from selfassessment import services
from selfassessment.models import CouncilMember, Passage, Report
from selfassessment.tests.test_carryforward import OLD_DAY, _current_year
from standards.models import Criterion, Indicator
from standards.services import DATA_DIR, catalogs_load

pytestmark = pytest.mark.e2e

SHOTS = os.path.join(settings.BASE_DIR, "test-artifacts", "tt57-carry-forward")


def _shot(page, school: School, number: int, step: str) -> None:
    os.makedirs(SHOTS, exist_ok=True)
    page.screenshot(path=os.path.join(SHOTS, f"{school.code}-{number:02d}-{step}.png"), full_page=True)


def _history(school: School, principal, old_catalog: str, items: list[tuple[str, str]]) -> Report:
    """The school's 2024-2025 report (under the 2018 regulation) with its council and evidence library."""
    from schools.tests.factories import SchoolYearFactory

    catalogs_load(paths=[DATA_DIR / old_catalog, DATA_DIR / "tt57_2026.json"])
    old_year = SchoolYearFactory(code="2024-2025", start_date=datetime.date(2024, 9, 5), end_date=datetime.date(2025, 5, 31))
    _current_year()
    report = services.report_create(school=school, school_year=old_year, kind="periodic", by=principal, today=OLD_DAY)
    for position, (name, role) in enumerate(
        [("Nguyễn Thị Hoa", "chair"), ("Trần Văn Nam", "vice_chair"), ("Lê Thị Mai", "secretary"),
         ("Phạm Quốc Dũng", "member"), ("Hoàng Thu Giang", "member")], start=1):
        CouncilMember.objects.create(report=report, position=position, full_name=name, role=role, title="Giáo viên")
    regulation = report.regulation_version.regulation
    for index, (number, name) in enumerate(items):
        criterion = Criterion.objects.filter(standard__version__regulation=regulation, number=number).order_by(
            "-standard__version__effective").first()
        upload = ContentFile(samples.pdf(), name=f"minh-chung-{index}.pdf") if index == 0 else None
        evidence_services.evidence_create(school=school, criterion=criterion, by=principal, name=name, upload=upload)
    return report


def _indicator(report: Report, number: str, level: int) -> Indicator:
    return Indicator.objects.get(criterion__standard__version=report.regulation_version, criterion__number=number,
                                 level=level)


def _journey(page, live_server, browser_login, school: School, principal, old: Report, target: str, appendix: str):
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    browser_login(page, principal)

    # 1. The report list offers to start this year's report from the old one.
    year = _current_year().code
    page.goto(live_server.url + reverse("selfassessment:report_list"))
    button = page.get_by_role("button", name=f"Bắt đầu báo cáo {year} theo Thông tư 57")
    button.wait_for()
    _shot(page, school, 1, "offer")
    button.click()
    page.wait_for_url("**/carry-forward/")
    report = Report.objects.get(school=school, school_year__code=year)
    assert report.regulation_version.regulation.appendix == appendix
    assert report.copied_from == old
    assert not Evidence.objects.filter(school=school, code__startswith="MC.").exists()  # nothing recoded yet
    _shot(page, school, 2, "confirmation-page")

    # 2. The council comes as a proposal; the principal confirms it.
    with page.expect_event("load"):
        page.get_by_role("button", name="Xác nhận Hội đồng như đề xuất").click()
    assert not CouncilMember.objects.filter(report=report, needs_review=True).exists()

    # 3. Evidence: the first item under the criterion she picks, the rest ticked and confirmed together.
    rows = list(EvidenceCarryOver.objects.filter(school=school).select_related("source", "proposed_criterion")
                .order_by("source__criterion__standard__number", "source__criterion__position", "source__sequence"))
    target_criterion = Criterion.objects.get(standard__version=report.regulation_version, number=target)
    first, rest = rows[0], rows[1:]
    assert all(row.proposed_criterion == target_criterion for row in rest), [r.proposed_criterion.number for r in rest]
    reason = page.locator(f"#co-{rest[0].pk} .cf-reason").inner_text()
    assert "cùng nói về" in reason
    page.select_option(f"#cf-criterion-{first.pk}", str(target_criterion.pk))
    with page.expect_event("load"):
        page.locator(f"#co-{first.pk} button[value=confirm]").click()
    page.locator(f"#co-{first.pk}", has_text=f"MC.{target}.01").wait_for()
    page.locator("[data-cf-select-all]").click()
    with page.expect_event("load"):
        page.locator("#cf-bulk button[type=submit]").click()
    codes = sorted(Evidence.objects.filter(school=school, code__startswith="MC.").values_list("code", flat=True))
    assert codes == [f"MC.{target}.{n:02d}" for n in range(1, len(rows) + 1)]
    carried = Evidence.objects.get(code=f"MC.{target}.01", school=school)
    assert carried.file.name == first.source.file.name  # one stored file for both codes
    assert Evidence.objects.get(pk=first.source.pk).code == first.source.code  # the old code stays
    _shot(page, school, 3, "codes-confirmed")

    # The evidence list of the TT57 report: its five columns.
    page.goto(live_server.url + reverse("evidence:evidence_list", kwargs={"school_pk": school.pk})
              + f"?regulation={report.regulation_version.regulation_id}")
    headers = page.locator("table.evidence-table-tt57 thead th").all_inner_texts()
    assert [h.strip() for h in headers] == ["TT", "Mã minh chứng", "Tên minh chứng",
                                            "Định dạng, vị trí lưu trữ hoặc đường dẫn điện tử", "Ghi chú"]
    _shot(page, school, 4, "evidence-list")

    # 4. Every other criterion reaches Mức 1 (written by others, through the services): the target,
    # a mandatory criterion, is all that holds the school at "Không đạt".
    for criterion in Criterion.objects.filter(standard__version=report.regulation_version).exclude(number=target):
        services.indicator_verdict_set(report=report, indicator=_indicator(report, criterion.number, 1), met=True,
                                       by=principal)
        services.indicator_verdict_set(report=report, indicator=_indicator(report, criterion.number, 2), met=False,
                                       by=principal)

    # 5. She writes the criterion, citing the confirmed codes through the autocomplete.
    page.goto(live_server.url + reverse("selfassessment:tt57_criterion",
                                        kwargs={"pk": report.pk, "criterion_pk": target_criterion.pk}))
    assert "Tiêu chí bắt buộc" in page.locator("h1").inner_text()
    assert "Mức" not in page.locator("#criterion-level").inner_text()
    assert target in page.locator("#school-explanation").inner_text()
    level1 = Passage.objects.get(report=report, key=f"indicator:{target}:1:a")
    textarea = page.locator(f"#p-{level1.pk} textarea")
    assert textarea.get_attribute("data-evidence-cite-style") == "round"
    textarea.fill("")
    textarea.press_sequentially("Nhà trường quản lý hồ sơ, dữ liệu theo quy định (MC")
    menu = page.locator("#evidence-cite-menu")
    menu.locator("[role=option]").first.wait_for()
    offered = menu.locator("[role=option] code").all_inner_texts()
    assert offered == codes  # only the TT57 codes, never the 2018 ones
    textarea.press("Enter")
    textarea.press("ArrowLeft")  # back inside the bracket, before ")"
    textarea.press_sequentially(", ")
    menu.locator("[role=option]").nth(1).wait_for()
    textarea.press("ArrowDown")
    textarea.press("Enter")
    textarea.press("End")
    textarea.press_sequentially(".")
    expected = f"Nhà trường quản lý hồ sơ, dữ liệu theo quy định (MC.{target}.01, MC.{target}.02)."
    assert textarea.input_value() == expected
    page.locator(f"#p-{level1.pk} .passage-state", has_text="Đã lưu lúc").wait_for()
    level1.refresh_from_db()
    assert level1.text == expected

    # The picker ("Chèn minh chứng") inserts the TT57 form too, in the Mức 2 text.
    level2 = Passage.objects.get(report=report, key=f"indicator:{target}:2:a")
    box2 = page.locator(f"#p-{level2.pk}")
    box2.locator("textarea").fill("Chưa có báo cáo đánh giá hiệu quả sử dụng dữ liệu")
    box2.locator(".evidence-cite-button").click()
    picker = box2.locator(".evidence-cite-picker")
    picker.locator("input[type=search]").fill(f"MC.{target}.03")
    picker.locator("[role=option]", has_text=f"MC.{target}.03").click()
    assert box2.locator("textarea").input_value() == (
        f"Chưa có báo cáo đánh giá hiệu quả sử dụng dữ liệu (MC.{target}.03)")

    # 6. Mức 1 Đạt, Mức 2 Không đạt: the criterion and the school move, with their reasons.
    ind1, ind2 = _indicator(report, target, 1), _indicator(report, target, 2)
    page.locator(f"label[for='verdict-{ind1.pk}-dat']").click()
    page.locator(f"#ind-{ind1.pk} .verdict-state", has_text="Đã lưu").wait_for()
    page.locator(f"label[for='verdict-{ind2.pk}-khong']").click()
    page.locator(f"#ind-{ind2.pk} .verdict-state", has_text="Đã lưu").wait_for()
    page.locator("#criterion-level", has_text="Mức 1").wait_for()
    assert f"Mức 2 của tiêu chí {target} chưa đạt" in page.locator("#criterion-explanation").inner_text()
    page.locator("#school-level", has_text="Mức 1").wait_for()
    page.wait_for_function("() => document.getElementById('school-explanation').innerText.includes('cần Mức 2')")
    page.reload()
    assert "Mức 1" in page.locator("#criterion-level").inner_text()
    content = page.content()
    for code in codes:  # the editor finds the confirmed items behind the round-bracket citations
        assert f"<code>{code}</code>" in content
    _shot(page, school, 5, "criterion-written")
    report.refresh_from_db()
    assert report.school_level == 1

    # 7. The old report is still there, read under its own regulation.
    page.goto(live_server.url + reverse("selfassessment:report_detail", kwargs={"pk": old.pk}))
    assert old.regulation_version.regulation.code in page.content()
    old.refresh_from_db()
    assert old.regulation_version.regulation.family == "2018"
    assert errors == [], errors


def test_lower_secondary_principal_starts_her_tt57_report_from_2024_2025(
    live_server, page, browser_login, school_a, principal_a, transactional_db
):
    old = _history(school_a, principal_a, "tt18_2018.json", [
        ("1.1", "Kế hoạch chiến lược phát triển nhà trường 2020-2025"),
        ("1.6", "Hồ sơ quản lý tài chính, tài sản năm 2024"),
        ("1.6", "Báo cáo công khai tài chính năm học 2024-2025"),
    ])
    _journey(page, live_server, browser_login, school_a, principal_a, old, "1.3", "II")


def test_preschool_principal_starts_her_tt57_report_on_phu_luc_i(
    live_server, page, browser_login, district, transactional_db
):
    school = SchoolFactory(code="A-MN-01", name="Trường Mầm non A", level=School.Level.PRESCHOOL, reviewing_unit=district)
    principal = UserFactory(username="principal_mn")
    MembershipFactory(user=principal, role=Membership.Role.PRINCIPAL, school=school)
    old = _history(school, principal, "tt19_2018.json", [
        ("1.1", "Kế hoạch phát triển nhà trường giai đoạn 2020-2025"),
        ("2.1", "Quyết định bổ nhiệm hiệu trưởng"),
        ("2.1", "Hồ sơ đánh giá, bồi dưỡng cán bộ quản lý năm 2024"),
    ])
    _journey(page, live_server, browser_login, school, principal, old, "2.1", "I")
