"""The report PDF of a version on the embedded default, in a real browser at 1366x768: the PDF button
of the version's row returns at once to the job page, the runner's thread builds the real report,
and the download appears when it is done. Screenshots in test-artifacts/export-jobs/.
"""

from __future__ import annotations

import os
import threading
import time

import pytest
from django.urls import reverse

from exports import builders
from exports.models import ExportJob

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SHOTS = os.path.join(os.path.dirname(__file__), "..", "..", "test-artifacts", "export-jobs")


def _until(condition, what: str, limit: float = 60) -> None:
    deadline = time.monotonic() + limit
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} did not happen")
        time.sleep(0.2)


def _shot(page, name: str) -> None:
    os.makedirs(SHOTS, exist_ok=True)
    page.screenshot(path=os.path.join(SHOTS, name))


def test_the_report_pdf_button_shows_the_job_then_the_download(
    browser, browser_login, live_server, principal_a, report_a, version_a, runner, monkeypatch,
):
    door = runner  # the runner fixture lets the runner finish and ends its thread afterwards
    started, release = threading.Event(), threading.Event()
    real_build = builders.BUILDERS[ExportJob.Kind.REPORT]

    def gated_build(job, progress):
        """The real build, held after its first step so that the page is seen while it runs."""

        def first_step_then_wait(percent, step=""):
            progress(percent, step)
            if not started.is_set():
                started.set()
                release.wait(120)

        return real_build(job, first_step_then_wait)

    monkeypatch.setitem(builders.BUILDERS, ExportJob.Kind.REPORT, gated_build)
    errors: list[str] = []
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="vi-VN")
    page = context.new_page()
    page.set_default_timeout(30000)
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        browser_login(page, principal_a)
        page.goto(live_server.url + reverse("exports:report_exports", kwargs={"pk": report_a.pk}))
        row = page.locator("tr", has_text="Phiên bản 1")
        _shot(page, "4-report-exports.png")
        row.get_by_role("button", name="PDF").click()
        page.wait_for_url("**/exports/jobs/**")
        job = ExportJob.objects.get()
        assert job.kind == ExportJob.Kind.REPORT and job.status == ExportJob.Status.QUEUED
        assert page.locator("[data-job-label]").inner_text() == "Đang chờ"
        assert page.get_by_text("Đã bắt đầu tạo tệp").is_visible()
        assert "phiên bản 1 (PDF)" in page.locator("h1").inner_text()
        _shot(page, "5-report-queued.png")

        door.set()
        assert started.wait(60), "the runner never started the build"
        bar = page.locator("[data-job-bar]")
        _until(lambda: bar.evaluate("el => el.style.width") == "5%", "the bar's first step")
        assert page.locator("[data-job-label]").inner_text() == "Đang tạo"
        assert page.locator("[data-job-step]").inner_text() == "Đang đọc phiên bản 1 của báo cáo"
        assert page.locator("[data-job-percent]").inner_text() == "5%"
        assert not page.locator("[data-job-download]").is_visible()
        _shot(page, "5b-report-running.png")

        release.set()
        download = page.locator("[data-job-download]")
        download.wait_for(state="visible", timeout=120000)
        assert page.locator("[data-job-label]").inner_text() == "Đã xong"
        assert page.get_by_role("link", name="Về trang xuất của báo cáo").is_visible()
        _shot(page, "6-report-done.png")
        with page.expect_download() as info:
            download.click()
        assert info.value.suggested_filename == "bao-cao-tu-danh-gia-a-thcs-01-2024-2025-v1.pdf"
        with open(info.value.path(), "rb") as handle:
            assert handle.read(5) == b"%PDF-"
        assert errors == [], errors
    finally:
        release.set()
        context.close()
