"""Issue 14 item 2 in a real browser at 1366 × 768: a TT57/2026 report (Biểu 1, with its Biểu 2)
goes through the review loop — the school submits, the reviewer comments on a whole standard and
on a criterion and returns it, the school reads the comment on its standard page, fixes the text
and marks the comment "Đã sửa", resubmits; the reviewer reads the change in the version diff,
closes the comments and accepts, the head forwards it to the Sở. Then Biểu 1 and Biểu 2 of the
accepted version are exported. Screenshots: test-artifacts/tt57-review/."""

from __future__ import annotations

import datetime
import os
import re

import pytest
from django.conf import settings
from django.urls import reverse

from reviews.models import CommentThread, ReportVersion
from reviews.tests import factories
from selfassessment import services as sa
from selfassessment import tt57_services
from selfassessment.models import Passage, Report
from standards.models import Standard

pytestmark = pytest.mark.e2e

SHOTS = os.path.join(settings.BASE_DIR, "test-artifacts", "tt57-review")
WEAKNESS = "Việc rà soát kế hoạch chưa thường xuyên."
FIXED = "Việc rà soát kế hoạch chưa thường xuyên do chưa có lịch rà soát; từ học kỳ II rà soát hằng quý."
STANDARD_COMMENT = "Điểm hạn chế của Tiêu chuẩn 1 chưa nêu nguyên nhân cốt lõi."
CRITERION_COMMENT = "Mô tả Mức 1 cần nêu số hiệu văn bản kế hoạch."


@pytest.fixture
def tt57_report(db, school_a, principal_a, reviewer, head):
    from schools.tests.factories import SchoolYearFactory
    from selfassessment import services_plan57 as p57
    from standards.services import DATA_DIR, catalogs_load

    catalogs_load(paths=[DATA_DIR / "tt57_2026.json"])
    year = SchoolYearFactory(code="2026-2027", start_date=datetime.date(2026, 9, 5), end_date=datetime.date(2027, 5, 31))
    report = sa.report_create(school=school_a, school_year=year, kind="periodic", by=principal_a,
                              today=datetime.date(2026, 10, 1))
    # Finished as a school finishes it (it passes the submission gate), then the texts the test reads.
    report = factories.complete_tt57(report, principal_a)
    factories.write(report, "overview:context_local", "Phường có 12 000 dân, kinh tế dịch vụ.", principal_a)
    from django.core.files.uploadedfile import SimpleUploadedFile

    from evidence import services as evidence_services
    from evidence.demo import tiny_pdf
    from standards.models import Criterion

    criterion = Criterion.objects.get(standard__version=report.regulation_version, number="1.1")
    evidence = evidence_services.evidence_create(
        school=school_a, criterion=criterion, by=principal_a, name="Kế hoạch chiến lược giai đoạn 2025-2030",
        issuer="Hiệu trưởng", upload=SimpleUploadedFile("ke-hoach.pdf", tiny_pdf(["Ke hoach chien luoc"]),
                                                        content_type="application/pdf"))
    factories.write(report, "indicator:1.1:1:a",
                    f"Nhà trường có kế hoạch chiến lược giai đoạn 2025-2030 ({evidence.code}).", principal_a)
    factories.write(report, "standard:1:strengths", "Kế hoạch rõ ràng, được công khai.", principal_a)
    factories.write(report, "standard:1:weaknesses", WEAKNESS, principal_a)
    factories.write(report, "conclusion", "Nhà trường đạt Mức 1.", principal_a)
    factories.write(report, "proposal:managing_body", "Đề nghị bổ sung biên chế giáo viên.", principal_a)
    form = tt57_services.data_form(report)
    tt57_services.data_form_save(report=report, header=form.header, cells={("classes_total", "2026-2027"): "20"},
                                 base_revision=form.revision, by=principal_a)
    plan = p57.plan_create(report=factories.reload(report), by=principal_a)
    issue = p57.issue_save(plan=plan, by=principal_a, values={
        "standard": Standard.objects.get(version=report.regulation_version, number=1), "criteria": "1.1",
        "weakness": WEAKNESS, "cause": "Chưa có lịch rà soát."})
    p57.action_save(plan=plan, by=principal_a, values={
        "issue": issue, "content": "Lập lịch rà soát kế hoạch hằng quý.", "responsible": "Hiệu trưởng",
        "start_on": datetime.date(2026, 11, 1), "end_on": datetime.date(2027, 5, 31)})
    return factories.reload(report)


@pytest.fixture
def open_as(browser, browser_login):
    contexts = []
    errors: list[str] = []

    def login(user):
        context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="vi-VN", accept_downloads=True)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15000)
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.on("dialog", lambda dialog: dialog.accept())  # the forms' data-confirm questions
        browser_login(page, user)
        assert "/accounts/login/" not in page.url, f"{user.username} could not log in"
        return page

    login.errors = errors
    yield login
    for context in contexts:
        context.close()
    from django.db import connections

    connections.close_all()


def _status(report) -> str:
    return Report.objects.get(pk=report.pk).status


def _shot(page, name: str) -> None:
    os.makedirs(SHOTS, exist_ok=True)
    page.screenshot(path=os.path.join(SHOTS, name))


def test_a_tt57_report_through_the_review_loop(open_as, live_server, tt57_report, principal_a, reviewer, head):
    url = live_server.url
    report = tt57_report
    standard = Standard.objects.get(version=report.regulation_version, number=1)

    # 1. The school submits its report (Biểu 2 goes with it).
    school = open_as(principal_a)
    school.goto(url + reverse("reviews:report_detail", args=[report.pk]))
    with school.expect_event("load"):
        school.locator("#review-actions button", has_text="Nộp báo cáo").click()
    assert _status(report) == "submitted"
    v1 = ReportVersion.objects.get(report=report, number=1)
    assert v1.data["tt57"]["standards"][0]["weaknesses"] == WEAKNESS
    assert v1.data["plan57"]["actions"][0]["content"] == "Lập lịch rà soát kế hoạch hằng quý."

    # 2. The reviewer reads version 1: Phần I, the standard's general assessment, Biểu 2 ...
    district = open_as(reviewer)
    district.goto(url + reverse("reviews:version_detail", args=[report.pk, 1]))
    assert "Phường có 12 000 dân" in district.locator("#overview").inner_text()
    assert "Lập lịch rà soát kế hoạch hằng quý." in district.locator("#plan57").inner_text()
    district.locator("#plan57").scroll_into_view_if_needed()
    _shot(district, "1a-biểu-2-in-version.png")
    card = district.locator("#sa-1")
    assert WEAKNESS in card.inner_text()
    # ... comments on the whole of Tiêu chuẩn 1 (posted in place) ...
    card.get_by_role("button", name="Góp ý cho cả tiêu chuẩn").click()
    card.locator("#sc-1 textarea[name=text]").fill(STANDARD_COMMENT)
    card.locator("#sc-1 button[type=submit]").click()
    card.locator(".thread", has_text=STANDARD_COMMENT).locator(".inplace-status", has_text="Đã gửi góp ý.").wait_for()
    thread = CommentThread.objects.get(report=report, standard=standard)
    assert thread.scope_label == "Tiêu chuẩn 1" and _status(report) == "in_review"
    # ... and on criterion 1.1.
    criterion_card = district.locator("#c-1-1")
    criterion_card.get_by_role("button", name="Góp ý cho cả tiêu chí").click()
    criterion_card.locator("#cc-c-1-1 textarea[name=text]").fill(CRITERION_COMMENT)
    criterion_card.locator("#cc-c-1-1 button[type=submit]").click()
    criterion_card.locator(".thread", has_text=CRITERION_COMMENT).locator(".inplace-status", has_text="Đã gửi góp ý.").wait_for()
    card.scroll_into_view_if_needed()
    _shot(district, "1-standard-comment.png")
    # It returns the report; the page lists both comments going with it.
    district.goto(url + reverse("reviews:report_return", args=[report.pk]))
    assert "Tiêu chuẩn 1:" in district.inner_text("body") and "Tiêu chí 1.1:" in district.inner_text("body")
    district.fill("textarea[name=reason]", "Bổ sung nguyên nhân hạn chế của Tiêu chuẩn 1 và số hiệu kế hoạch.")
    with district.expect_event("load"):
        district.get_by_role("button", name="Trả lại báo cáo", exact=True).click()
    assert _status(report) == "returned"

    # 3. The school sees the comment on its standard page, fixes the text (autosaved) ...
    school.goto(url + reverse("selfassessment:tt57_standard", args=[report.pk, standard.pk]))
    assert "Tiêu chuẩn 1:" in school.locator(".alert-warning", has_text=STANDARD_COMMENT).inner_text()
    _shot(school, "2-school-standard-comment.png")
    weakness = Passage.objects.get(report=report, key="standard:1:weaknesses")
    box = school.locator(f"#p-{weakness.pk} textarea")
    box.fill(FIXED)
    box.press("Tab")
    school.locator(f"#p-{weakness.pk} .passage-state", has_text="Đã lưu lúc").wait_for()
    _shot(school, "2b-school-standard-fixed.png")
    criterion_passage = Passage.objects.get(report=report, key="indicator:1.1:1:a")
    sa.passage_save(passage=criterion_passage, by=principal_a, base_revision=criterion_passage.revision,
                    text=criterion_passage.text.replace("2025-2030", "2025-2030 (Quyết định số 12/QĐ-THCS)"))
    # ... marks both comments "Đã sửa" with a reply on its review page, and resubmits.
    school.goto(url + reverse("reviews:report_detail", args=[report.pk]))
    for text, reply in ((STANDARD_COMMENT, "Đã bổ sung nguyên nhân."), (CRITERION_COMMENT, "Đã ghi số hiệu.")):
        item = school.locator(".thread", has_text=text).first
        item.locator("textarea[name=text]").fill(reply)
        item.locator("button", has_text="Đã sửa").click()
        school.locator(".thread", has_text=reply).locator("[data-thread-state=fixed]").wait_for()
    assert all(t.is_fixed for t in CommentThread.objects.filter(report=report))
    school.reload()
    with school.expect_event("load"):
        school.locator("#review-actions button", has_text="Nộp lại báo cáo").click()
    assert _status(report) == "resubmitted"

    # 4. The reviewer reads the change in the diff of versions 1 and 2 ...
    district.goto(url + reverse("reviews:version_compare", args=[report.pk]))
    section = district.locator("section", has_text="Đánh giá chung về Tiêu chuẩn 1").first
    assert "2. Điểm hạn chế trọng tâm và nguyên nhân cốt lõi" in section.inner_text()
    assert "do chưa có lịch rà soát" in section.locator("ins.diff-ins").first.inner_text() or \
        any("lịch rà soát" in t for t in section.locator("ins.diff-ins").all_inner_texts())
    assert district.locator("section", has_text="Tiêu chí 1.1").first.locator("ins.diff-ins").count() >= 1
    section.scroll_into_view_if_needed()
    _shot(district, "3-version-diff.png")
    # ... closes both comments on version 2's page, accepts the report ...
    district.goto(url + reverse("reviews:version_detail", args=[report.pk, 2]))
    for thread in CommentThread.objects.filter(report=report):
        item = district.locator(f"#thread-{thread.pk}")
        item.scroll_into_view_if_needed()
        item.locator("button", has_text="Đã xử lý").click()
        item.locator(".inplace-status", has_text="Đã đánh dấu góp ý là đã xử lý.").wait_for()
    assert not CommentThread.objects.filter(report=report, status="open").exists()
    district.goto(url + reverse("reviews:report_detail", args=[report.pk]))
    # Closing comments is not a review step of its own: the resubmission's review is started here.
    with district.expect_event("load"):
        district.locator("#review-actions button", has_text="Bắt đầu thẩm định").click()
    assert _status(report) == "in_review"
    district.goto(url + reverse("reviews:report_detail", args=[report.pk]))  # starting opened the version
    with district.expect_event("load"):
        district.locator("#review-actions button", has_text="Chấp nhận báo cáo").click()
    assert _status(report) == "accepted"

    # 5. The head forwards it to the Sở.
    office = open_as(head)
    office.goto(url + reverse("reviews:report_detail", args=[report.pk]))
    with office.expect_event("load"):
        office.locator("#review-actions button", has_text="Chuyển Sở GD&ĐT").click()
    assert _status(report) == "forwarded"
    _shot(office, "4-forwarded.png")

    # 6. Biểu 1 and Biểu 2 of the accepted version are exported.
    _exports(office, url, report)
    assert open_as.errors == [], open_as.errors


def _uris(content: bytes) -> set[str]:
    from exports.tests.test_bieu1 import _inflated

    return {u.decode() for u in re.findall(rb"/URI \((http[^)]*)\)", _inflated(content))}


def _exports(page, url: str, report) -> None:
    """The forwarded report's version 2 as Biểu 1 (PDF, read back as text, its evidence links opened)
    and its Biểu 2 (the plan frozen with the version)."""
    from evidence.models import Evidence
    from exports.tests.readers import POPPLER, pdf_text

    response = page.request.get(url + reverse("exports:report_download", kwargs={"pk": report.pk, "fmt": "pdf"})
                                + "?version=2")
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    content = response.body()
    evidence = Evidence.objects.exclude(file="").get(school=report.school)  # the one item with its file
    if POPPLER:
        flat = " ".join(pdf_text(content).split())
        folded = flat.casefold()
        for words in ("Phần I", "Phần II", "Mô tả hiện trạng", "Điểm mạnh", "Phần III", "Bảng tổng hợp chung",
                      "Bảng tổng hợp kết quả đánh giá tiêu chí", "Danh mục minh chứng"):
            assert words.casefold() in folded, words
        assert evidence.code in flat and evidence.code.startswith("MC")
        assert FIXED in flat  # the version as accepted, not the first one
    links = _uris(content)
    download = reverse("evidence:evidence_download", args=[evidence.pk])
    assert any(link.endswith(download) for link in links), links
    # The uploaded item's link serves its file; the complete report's other items have no file and link to
    # their pages (where the box holding the paper is named): no link of the document answers 404.
    for link in {link for link in links if "/evidence/" in link}:
        answer = page.request.get(url + link[link.index("/evidence/"):])  # the site's own address in the test
        assert answer.status == 200, (link, answer.status)
        if link.endswith(download):
            with evidence.file.open("rb") as stored:
                assert answer.body() == stored.read()
    _plan_export(page, url, report)


def _plan_export(page, url: str, report) -> None:
    """Biểu 2 of version 2 from the report's export page: the plan as frozen with the version."""
    from exports.tests.readers import POPPLER, pdf_text

    page.goto(url + reverse("exports:report_exports", args=[report.pk]))
    href = reverse("exports:plan57_download", args=[report.pk, "pdf"]) + "?version=2"
    with page.expect_download() as info:
        page.locator(f"a[href='{href}']").click()
    with open(info.value.path(), "rb") as handle:
        content = handle.read()
    assert content.startswith(b"%PDF")
    if POPPLER:
        flat = " ".join(pdf_text(content).split())
        assert "KẾ HOẠCH CẢI TIẾN CHẤT LƯỢNG" in flat and "Lập lịch rà soát kế hoạch hằng quý." in flat
