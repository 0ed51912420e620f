"""The whole accreditation loop in a real browser (issue #8, item 1).

A principal uploads evidence, writes criterion 1.1 citing it and submits; the district reviewer
comments and returns the report; the principal reads the return, answers and resubmits; the
reviewer accepts; the Sở officer downloads the report PDF and the round's dossier; a deadline
reminder reaches a principal whose school has not met it.

The parts of the report the loop does not need a browser for (the council, the other criteria,
the round and its milestone) are written through the apps' services. Each step ends with a
screenshot in ``test-artifacts/full-loop/NN-step.png`` (kept whether the step passes or fails),
and a failure names its step.
"""

from __future__ import annotations

import datetime
import io
import os
import re
import shutil
import time
import zipfile
from contextlib import contextmanager

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.urls import reverse

from evaluations import services as evaluations
from evaluations.models import Milestone, RoundRegistration
from evidence.demo import tiny_pdf
from evidence.models import Evidence
from exports.tests.builders import COUNCIL
from exports.tests.builders import write as write_passage
from notifications.models import Notification
from reviews import services as review_services
from reviews.models import CommentThread, ReportVersion
from selfassessment import services as sa
from selfassessment.models import CouncilMember, ImprovementAction, IndicatorVerdict, Level4Verdict, Passage, Report
from selfassessment.tests.factories import criterion as criterion_of
from selfassessment.tests.factories import load_catalog
from standards.models import Criterion

pytestmark = [pytest.mark.e2e]

SHOTS = os.path.join(settings.BASE_DIR, "test-artifacts", "full-loop")
WRITTEN_IN_BROWSER = "1.1"
# The round's school milestone whose reminder closes the loop, and the day the reminder job runs.
MILESTONE_TITLE = "Nộp hồ sơ đăng ký đánh giá ngoài về Phòng GD&ĐT"
MILESTONE_DUE = datetime.date(2025, 3, 14)
REMINDER_DAY = MILESTONE_DUE - datetime.timedelta(days=7)


# --- Steps: a screenshot each, a failure that says where -------------------------------------------


class Loop:
    """Runs the loop's steps in order; the step's page is photographed at its end, pass or fail."""

    def __init__(self, folder: str):
        self.folder = folder
        self.number = 0
        self.errors: dict[int, list[str]] = {}
        self.dialogs: dict[int, list[str]] = {}
        shutil.rmtree(folder, ignore_errors=True)
        os.makedirs(folder, exist_ok=True)

    def watch(self, page) -> None:
        """Collect the page's JavaScript errors (a step fails on any) and accept its confirm dialogs."""
        errors = self.errors.setdefault(id(page), [])
        dialogs = self.dialogs.setdefault(id(page), [])
        page.on("pageerror", lambda error: errors.append(str(error)))

        def on_dialog(dialog):
            dialogs.append(dialog.message)
            dialog.accept()

        page.on("dialog", on_dialog)

    @contextmanager
    def step(self, title: str, page):
        self.number += 1
        name = f"{self.number:02d}-{re.sub(r'[^a-z0-9]+', '-', title.lower()).strip('-')}"
        started = time.monotonic()
        try:
            yield
            errors = self.errors.get(id(page), [])
            assert not errors, f"JavaScript errors on the page: {errors}"
        except Exception as exc:
            self._shoot(page, name, full_page=True)
            raise AssertionError(f"step {self.number:02d} “{title}” failed at {page.url}: {exc}") from exc
        self._shoot(page, name, full_page=False)  # what the user sees; a failure keeps the whole page
        print(f"{name}: {time.monotonic() - started:.1f} s")

    def _shoot(self, page, name: str, *, full_page: bool) -> None:
        try:
            page.screenshot(path=os.path.join(self.folder, f"{name}.png"), full_page=full_page)
        except Exception as exc:  # the page may be gone: the step's own failure is what matters
            print(f"could not save the screenshot {name}: {exc}")


@pytest.fixture
def people(browser, browser_login):
    """Log personas in through the login form, each in a browser context of their own."""
    contexts = []

    def open_as(user, loop: Loop):
        context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="vi-VN", accept_downloads=True)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15000)
        loop.watch(page)
        browser_login(page, user)
        assert "/accounts/login/" not in page.url, f"{user.username} could not log in"
        return page

    yield open_as
    for context in contexts:
        context.close()
    # Connections opened while Playwright's loop ran live in that loop's context: close them now.
    from django.db import connections

    connections.close_all()


# --- Data the browser does not need to write ---------------------------------------------------------


def _written_except(report: Report, by, skip: str) -> None:
    """Write the whole report as a school would, except criterion ``skip`` (left empty, unassessed)."""
    from evidence import services as evidence_services

    sa.council_update(report=report, decision_number="12/QĐ-THCSA", decision_date=datetime.date(2024, 9, 10), by=by)
    for name, title, role in COUNCIL:
        sa.council_member_save(report=report, member=CouncilMember(full_name=name, title=title, role=role), by=by)
    write_passage(report, "introduction", "Trường THCS A được thành lập năm 1960, đạt chuẩn quốc gia năm 2015.", by)
    write_passage(report, "conclusion", "Nhà trường cam kết thực hiện kế hoạch cải tiến chất lượng.", by)
    criteria = Criterion.objects.filter(standard__version=report.regulation_version).exclude(number=skip)
    for criterion in criteria.select_related("standard"):
        item = evidence_services.evidence_create(
            school=report.school, criterion=criterion, by=by, name=f"Biên bản họp tổ chuyên môn ({criterion.number})",
            issued_number="1/BB-THCS", issued_on=datetime.date(2023, 9, 1), issuer="Tổ chuyên môn",
        )
        for passage in Passage.objects.filter(report=report, criterion=criterion, kind=Passage.Kind.CURRENT_STATE):
            write_passage(report, passage.key, f"Nhà trường thực hiện đầy đủ yêu cầu, có hồ sơ lưu trữ [{item.code}].", by)
        write_passage(report, f"criterion:{criterion.number}:strengths", "Đội ngũ giáo viên đạt chuẩn, nhiệt tình.", by)
        write_passage(report, f"criterion:{criterion.number}:weaknesses", "Một số hồ sơ sắp xếp chưa khoa học.", by)
        sa.improvement_actions_save(
            report=report, criterion=criterion, by=by,
            token=sa.actions_token(ImprovementAction.objects.filter(report=report, criterion=criterion)),
            items=[{"id": None, "action": f"Rà soát hồ sơ tiêu chí {criterion.number}", "responsible": "Tổ văn phòng",
                    "start_on": datetime.date(2025, 9, 1), "due_on": datetime.date(2026, 5, 31)}],
        )
    for verdict in IndicatorVerdict.objects.filter(report=report).exclude(indicator__criterion__number=skip) \
            .select_related("indicator"):
        sa.indicator_verdict_set(report=report, indicator=verdict.indicator, met=True, by=by)
    for verdict in Level4Verdict.objects.filter(report=report).select_related("requirement"):
        sa.level4_verdict_set(report=report, requirement=verdict.requirement, met=False, by=by)


@pytest.fixture
def loop_data(transactional_db, district, school_a, school_b, school_year, principal_a, principal_b, reviewer, officer):
    """School A's report complete but for criterion 1.1; round 1 of the district with schools A and B."""
    cache.clear()
    load_catalog()
    report = sa.report_create(school=school_a, school_year=school_year, kind="periodic", by=principal_a)
    _written_except(report, principal_a, WRITTEN_IN_BROWSER)
    # The reviewer accepts alone: the district does not ask for its head's final approval.
    assert not district.requires_head_approval
    # The loop is about the review, not Phần I and the plan: the district asks for the council and
    # every criterion assessed before a submission (the gate itself: reviews/tests/test_gates.py).
    review_services.submission_gate_set(unit=district, by=officer, sections=["council", "criteria"])
    evaluation_round = evaluations.round_create(unit=district, year=2025, number=1, by=reviewer,
                                                with_default_schedule=False)
    evaluations.round_schools_register(round_=evaluation_round, schools=[school_a, school_b], by=reviewer)
    return {"report": report, "round": evaluation_round}


# --- The loop ------------------------------------------------------------------------------------------


def _follow(locator) -> None:
    """Click a link or a form's button and wait until the page it leads to has loaded.

    (Playwright waits for the navigation to start; a long page may still be arriving, and a
    locator would then look at half of it.)
    """
    locator.click()
    locator.page.wait_for_load_state()


def _flash(page, text: str) -> None:
    """A message of the Django messages framework, as the user reads it at the top of the page."""
    page.locator(".alert", has_text=text).first.wait_for()


def _text(content: bytes) -> str | None:
    """The words of a PDF, or None without poppler-utils (pdftotext) to read it back."""
    from exports.tests.readers import POPPLER, pdf_text

    return " ".join(pdf_text(content).split()) if POPPLER else None


def test_write_submit_return_answer_resubmit_accept_export_and_remind(
    live_server, people, loop_data, monkeypatch, district, school_a, school_b, principal_a, principal_b, reviewer,
    officer,
):
    report, evaluation_round = loop_data["report"], loop_data["round"]
    url = live_server.url
    loop = Loop(SHOTS)
    c11 = criterion_of(report, WRITTEN_IN_BROWSER)
    # The dossier is built by a worker: here the test plays the worker, so the page really waits.
    queued_jobs: list[int] = []
    monkeypatch.setattr("exports.tasks.export_job_run.delay", lambda job_id: queued_jobs.append(job_id))

    # 1. The principal adds a scanned minutes (a real PDF through the file input) to the library.
    principal = people(principal_a, loop)
    with loop.step("principal uploads evidence", principal):
        assert principal.locator("h1", has_text=school_a.name).is_visible()
        _follow(principal.get_by_role("link", name="Thêm minh chứng").first)
        principal.select_option("#id_criterion", label=f"1.1. {c11.title}")
        principal.fill("#id_name", "Chiến lược phát triển nhà trường giai đoạn 2021-2025")
        principal.fill("#id_issued_number", "45/CL-THCSA")
        principal.set_input_files("#id_upload", files=[{
            "name": "chien-luoc-phat-trien.pdf", "mimeType": "application/pdf",
            "buffer": tiny_pdf(["Chien luoc phat trien nha truong 2021-2025"]),
        }])
        _follow(principal.get_by_role("button", name="Lưu minh chứng"))
        evidence = Evidence.objects.get(school=school_a, criterion=c11)
        assert evidence.code == "H1-1.1-01" and evidence.file_name == "chien-luoc-phat-trien.pdf"
        _flash(principal, f"Đã thêm minh chứng {evidence.code}")
        assert principal.get_by_text("chien-luoc-phat-trien.pdf").first.is_visible()

    # 2. ... writes criterion 1.1 citing it (autosaved), gives the verdicts, plans an improvement.
    state_text = f"Nhà trường ban hành chiến lược phát triển giai đoạn 2021-2025 [{evidence.code}]."
    weaknesses_text = "Việc rà soát chiến lược hằng năm chưa được ghi thành biên bản."
    with loop.step("principal writes criterion 1.1", principal):
        principal.goto(url + reverse("selfassessment:report_detail", args=[report.pk]))
        _follow(principal.get_by_role("link", name=WRITTEN_IN_BROWSER, exact=True).first)
        principal.locator("h1", has_text=f"Tiêu chí {WRITTEN_IN_BROWSER}").wait_for()
        assert "Chưa đạt" in principal.locator("#criterion-level").inner_text()
        passages = list(Passage.objects.filter(report=report, criterion=c11, kind=Passage.Kind.CURRENT_STATE))
        texts = {p.pk: state_text for p in passages}
        texts[Passage.objects.get(report=report, key="criterion:1.1:strengths").pk] = \
            "Chiến lược được công khai trên cổng thông tin của trường."
        texts[Passage.objects.get(report=report, key="criterion:1.1:weaknesses").pk] = weaknesses_text
        for pk, text in texts.items():  # one box after the other: leaving a box saves it
            principal.locator(f"#p-{pk} textarea").fill(text)
            principal.locator(f"#p-{pk} textarea").press("Tab")
            principal.locator(f"#p-{pk} .passage-state", has_text="Đã lưu lúc").wait_for()
        verdicts = principal.locator("form[data-verdict]")
        assert verdicts.count() == IndicatorVerdict.objects.filter(report=report, indicator__criterion=c11).count()
        for i in range(verdicts.count()):
            form = verdicts.nth(i)
            form.locator("label", has_text="Đạt").first.click()
            form.locator(".verdict-state", has_text="Đã lưu").wait_for()
        principal.locator("#criterion-level", has_text="Mức 3").wait_for()
        principal.fill("#id_actions-0-action", "Lập biên bản rà soát chiến lược sau mỗi năm học")
        principal.fill("#id_actions-0-responsible", "Hiệu trưởng")
        # The plan saves itself like the texts (its button is only for a browser without scripts).
        plan = principal.locator("form.actions-form")
        plan.locator("#id_actions-0-responsible").press("Tab")
        plan.locator("[data-autosave-state]", has_text="Đã lưu lúc").wait_for()
        principal.reload()
        principal.wait_for_load_state()
        assert principal.locator("#id_actions-0-action").input_value() == "Lập biên bản rà soát chiến lược sau mỗi năm học"
        # After the reload: the texts are stored and the cited item is listed under the criterion.
        assert principal.locator(f"#p-{passages[0].pk} textarea").input_value() == state_text
        assert principal.locator("#evidence").get_by_text(f"[{evidence.code}]").is_visible()
        assert "Mức 3" in principal.locator("#criterion-level").inner_text()

    # 3. ... submits from the report overview, through the confirm dialog.
    with loop.step("principal submits", principal):
        _follow(principal.get_by_role("link", name="Tổng quan").first)
        _follow(principal.locator(".review-panel").get_by_role("button", name="Nộp báo cáo"))
        _flash(principal, "Đã nộp báo cáo cho Phòng GD&ĐT quận A.")
        assert "Nộp báo cáo cho Phòng GD&ĐT quận A?" in loop.dialogs[id(principal)][-1]
        assert principal.locator(".badge", has_text="Đã nộp").first.is_visible()
        assert Report.objects.get(pk=report.pk).status == Report.Status.SUBMITTED

    # 4. The reviewer finds it in the queue, starts the review and comments on criterion 1.1.
    comment_text = "Đề nghị bổ sung biên bản rà soát chiến lược năm học 2023-2024."
    district_desk = people(reviewer, loop)
    with loop.step("reviewer starts the review and comments", district_desk):
        _follow(district_desk.get_by_role("link", name="Hàng chờ thẩm định").first)
        _follow(district_desk.get_by_role("link", name=re.compile("Chưa phân công")))
        row = district_desk.locator("tr", has_text=school_a.name)
        _follow(row.get_by_role("link", name="Hồ sơ"))
        _follow(district_desk.get_by_role("button", name="Bắt đầu thẩm định"))
        _flash(district_desk, "Đã bắt đầu thẩm định báo cáo.")
        card = district_desk.locator("article.criterion-card", has_text=f"Tiêu chí {WRITTEN_IN_BROWSER}:")
        assert state_text in card.inner_text()
        card.get_by_role("button", name="Góp ý cho cả tiêu chí").click()
        card.locator("textarea[name=text]").last.fill(comment_text)
        card.get_by_role("button", name="Gửi góp ý").click()
        # The comment is posted in place: the page stays, the new thread shows in the card.
        thread = district_desk.locator("article.criterion-card", has_text=f"Tiêu chí {WRITTEN_IN_BROWSER}:") \
            .locator(".thread", has_text=comment_text)
        thread.wait_for()
        district_desk.locator(".inplace-status", has_text="Đã gửi góp ý.").first.wait_for()

    # 5. ... and returns the report with a reason.
    return_reason = "Bổ sung minh chứng và kế hoạch rà soát cho tiêu chí 1.1 rồi nộp lại."
    with loop.step("reviewer returns the report", district_desk):
        _follow(district_desk.get_by_role("link", name="Hồ sơ thẩm định"))
        _follow(district_desk.get_by_role("link", name="Trả lại để chỉnh sửa"))
        assert comment_text in district_desk.locator(".list-group").inner_text()  # sent along with the reason
        district_desk.fill("textarea[name=reason]", return_reason)
        _follow(district_desk.get_by_role("button", name="Trả lại báo cáo"))
        _flash(district_desk, "Đã trả lại báo cáo cho nhà trường chỉnh sửa.")
        assert Report.objects.get(pk=report.pk).status == Report.Status.RETURNED

    # 6. The principal is told: the bell counts the news, the list has the return and the comment.
    with loop.step("principal reads the return", principal):
        principal.goto(url + "/")
        unread = Notification.objects.filter(user=principal_a, read_at__isnull=True).count()
        assert unread == 3  # review started, the comment, the return
        assert principal.locator("#unread-count").inner_text().strip() == str(unread)
        _follow(principal.get_by_title("Thông báo"))
        notices = principal.locator(".list-group")
        assert f"Góp ý của Phòng GD&ĐT quận A về báo cáo: Tiêu chí {WRITTEN_IN_BROWSER}" in notices.inner_text()
        _follow(notices.locator("form", has_text="được trả lại để chỉnh sửa").get_by_role("button"))
        principal.locator(".alert-warning", has_text=return_reason).wait_for()
        assert principal.locator("#todo .thread", has_text=comment_text).is_visible()

    # 7. ... answers the comment, edits the criterion and resubmits.
    answer_text = "Nhà trường đã bổ sung kế hoạch rà soát chiến lược hằng năm."
    new_weaknesses = "Việc rà soát chiến lược hằng năm trước đây chưa được ghi thành biên bản; nay đã bổ sung."
    with loop.step("principal answers and resubmits", principal):
        thread = principal.locator("#todo .thread", has_text=comment_text)
        thread.locator("textarea[name=text]").fill(answer_text)
        _follow(thread.get_by_role("button", name="Trả lời"))
        principal.locator("#todo .thread", has_text=answer_text).wait_for()
        _follow(principal.locator("#todo").get_by_role("link", name="Sửa trong báo cáo").first)
        weaknesses = Passage.objects.get(report=report, key="criterion:1.1:weaknesses")
        principal.locator(f"#p-{weaknesses.pk} textarea").fill(new_weaknesses)  # saved by the typing pause
        principal.locator(f"#p-{weaknesses.pk} .passage-state", has_text="Đã lưu lúc").wait_for()
        principal.go_back()
        _follow(principal.get_by_role("button", name="Nộp lại báo cáo"))
        _flash(principal, "Đã nộp báo cáo cho Phòng GD&ĐT quận A.")
        assert principal.locator(".badge", has_text="Đã nộp lại").first.is_visible()
        assert ReportVersion.objects.filter(report=report).count() == 2

    # 8. The reviewer reads the answer, marks the comment dealt with and accepts.
    with loop.step("reviewer accepts", district_desk):
        district_desk.goto(url + "/")
        _follow(district_desk.get_by_title("Thông báo"))
        _follow(district_desk.locator(".list-group form", has_text="đã nộp lại báo cáo").get_by_role("button"))
        thread = district_desk.locator(".thread", has_text=comment_text).first
        assert answer_text in thread.inner_text()
        _follow(thread.get_by_role("button", name="Đã xử lý"))
        _follow(district_desk.get_by_role("button", name="Bắt đầu thẩm định"))
        _flash(district_desk, "Đã bắt đầu thẩm định báo cáo.")
        card = district_desk.locator("article.criterion-card", has_text=f"Tiêu chí {WRITTEN_IN_BROWSER}:")
        assert new_weaknesses in card.inner_text() and "đã thay đổi so với bản trước" in card.inner_text()
        _follow(district_desk.get_by_role("link", name="Hồ sơ thẩm định"))
        district_desk.fill("#accept-note", "Báo cáo đạt yêu cầu.")
        _follow(district_desk.get_by_role("button", name="Chấp nhận báo cáo"))
        _flash(district_desk, "Đã chấp nhận báo cáo; báo cáo được khóa.")
        assert "Chấp nhận báo cáo? Báo cáo sẽ bị khóa." in loop.dialogs[id(district_desk)][-1]
        assert not CommentThread.objects.filter(report=report, status=CommentThread.Status.OPEN).exists()
        assert Report.objects.get(pk=report.pk).status == Report.Status.ACCEPTED

    # 9. The Sở officer downloads the accepted report as PDF: version 2, with the school's words.
    department = people(officer, loop)
    with loop.step("officer downloads the report PDF", department):
        # From the Sở's overview down to the district, the school, its review page and the exports.
        assert department.locator("h1", has_text="Tổng quan").is_visible()
        _follow(department.get_by_role("link", name=district.name))
        _follow(department.get_by_role("link", name=school_a.name))
        assert department.locator(".badge", has_text="Đã chấp nhận").first.is_visible()
        _follow(department.get_by_role("link", name="Xuất PDF / Word / Excel"))
        latest = department.locator("tr", has_text="Phiên bản 2")
        assert "mới nhất" in latest.inner_text()
        # The PDF is built as a job: its page shows the progress, then offers the file.
        # The page's status polls reach the server only while Playwright runs, so none meets the
        # worker's writes below (SQLite's in-memory test database refuses concurrent writers).
        department.route(re.compile(r"/exports/jobs/[^/]+/status/$"), lambda route: route.continue_())
        _follow(latest.get_by_role("button", name="PDF"))
        _flash(department, "Đã bắt đầu tạo tệp")
        assert len(queued_jobs) == 1
        from exports.services import export_job_execute

        assert export_job_execute(queued_jobs[0]) == "done"  # the worker's turn
        download = department.locator("[data-job-download]")
        download.wait_for(state="visible", timeout=30000)
        department.wait_for_load_state()
        with department.expect_download() as info:
            download.click()
        content = _read(info.value)
        assert content.startswith(b"%PDF")
        words = _text(content)
        if words is not None:  # the text itself when pdftotext can read it back
            assert school_a.name.upper() in words.upper()
            assert new_weaknesses in words and evidence.code in words

    # 10. ... and the round's dossier: the job page waits for the worker, then offers the ZIP.
    with loop.step("officer downloads the round dossier", department):
        department.goto(url + reverse("evaluations:round_detail", args=[evaluation_round.pk]))
        _follow(department.get_by_role("link", name="Hồ sơ gửi Sở"))
        assert "Không có báo cáo được chấp nhận" in department.locator("tr", has_text=school_b.name).inner_text()
        # (The status polls still pass through the route of step 9.)
        _follow(department.get_by_role("button", name="Tạo hồ sơ"))
        _flash(department, "Đã bắt đầu tạo hồ sơ")
        download = department.locator("[data-job-download]")
        assert "Đang chờ" in department.locator("[data-job-label]").inner_text()
        assert not download.is_visible() and len(queued_jobs) == 2
        assert export_job_execute(queued_jobs[1]) == "done"  # the worker's turn
        download.wait_for(state="visible", timeout=30000)  # the page polls, sees it done, reloads
        department.wait_for_load_state()
        assert "Đã xong" in department.locator("[data-job-label]").inner_text()
        with department.expect_download() as info:
            download.click()
        archive = zipfile.ZipFile(io.BytesIO(_read(info.value)))
        names = archive.namelist()
        folder = "01-a-thcs-01-truong-thcs-a/"
        assert f"{folder}bao-cao-tu-danh-gia-a-thcs-01-2024-2025-v2.pdf" in names, names
        assert "02-a-thcs-02-truong-thcs-b/CHUA-CO-BAO-CAO.txt" in names, names
        assert archive.read(f"{folder}bao-cao-tu-danh-gia-a-thcs-01-2024-2025-v2.pdf").startswith(b"%PDF")

    # 11. A reminder: the round's school milestone is due in 7 days; school A has done it, school B
    # has not. The daily job runs on that day; school B's principal sees the reminder.
    milestone = evaluations.milestone_create(round_=evaluation_round, by=reviewer, owner=Milestone.Owner.SCHOOL,
                                             title=MILESTONE_TITLE, due_date=MILESTONE_DUE)
    evaluations.milestone_complete(milestone=milestone, by=principal_a,
                                   registration=RoundRegistration.objects.get(round=evaluation_round, school=school_a))
    out = io.StringIO()
    call_command("send_reminders", today=REMINDER_DAY.isoformat(), stdout=out)
    assert out.getvalue().strip().endswith("sent: 1"), out.getvalue()
    title = f"Còn 7 ngày: {MILESTONE_TITLE} (hạn {MILESTONE_DUE:%d/%m/%Y})"
    assert not Notification.objects.filter(user=principal_a, title=title).exists()  # school A met it
    school_b_desk = people(principal_b, loop)
    with loop.step("principal of school B sees the reminder", school_b_desk):
        assert school_b_desk.locator("#unread-count").inner_text().strip() == "1"
        _follow(school_b_desk.get_by_title("Thông báo"))
        notice = school_b_desk.locator(".list-group form", has_text=title)
        assert notice.is_visible()
        assert f"{school_b.name} chưa hoàn thành việc này" in notice.inner_text()


def _read(download) -> bytes:
    with open(download.path(), "rb") as handle:
        return handle.read()
