"""The dossier on the embedded default, in a real browser at 1366x768: the button returns at once to
the job page, the progress bar moves while the runner's thread builds the real dossier, and the
download link appears when it is done.

The build is the real one (the accepted report of school A as PDF, the letter, the manifest) behind
a gate the test opens, so that the page is seen while the job waits and while it runs. Screenshots in
test-artifacts/export-jobs/.
"""

from __future__ import annotations

import io
import os
import threading
import time
import zipfile

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


def test_the_dossier_request_shows_its_progress_then_the_download(
    browser, browser_login, live_server, reviewer, round_a, version_a, accepted_a, runner, monkeypatch,
):
    door, started, release = runner, threading.Event(), threading.Event()
    real_build = builders.BUILDERS[ExportJob.Kind.DOSSIER]

    def gated_build(job, progress):
        progress(2, "Đang đọc danh sách trường")
        started.set()
        release.wait(60)
        return real_build(job, progress)

    monkeypatch.setitem(builders.BUILDERS, ExportJob.Kind.DOSSIER, gated_build)
    errors: list[str] = []
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="vi-VN")
    page = context.new_page()
    page.set_default_timeout(30000)
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        browser_login(page, reviewer)
        page.goto(live_server.url + reverse("exports:round_exports", kwargs={"pk": round_a.pk}))
        page.get_by_role("button", name="Tạo hồ sơ").click()
        page.wait_for_url("**/exports/jobs/**")
        job = ExportJob.objects.get()
        # Back at once: the job waits for the runner, the page says so and shows its bar.
        assert job.status == ExportJob.Status.QUEUED
        assert page.locator("[data-job-label]").inner_text() == "Đang chờ"
        assert page.locator("[data-job-bar-wrap]").is_visible()
        assert page.get_by_text("Đã bắt đầu tạo hồ sơ").is_visible()
        assert page.locator("[data-job-step]").inner_text() == "Đang chờ đến lượt tạo…"
        assert page.locator("[data-job-percent]").inner_text() == "0%"
        _shot(page, "1-queued.png")

        door.set()
        assert started.wait(60), "the runner never started the build"
        bar = page.locator("[data-job-bar]")
        _until(lambda: bar.evaluate("el => el.style.width") == "2%", "the bar's first step")
        assert "Đang đọc danh sách trường" in page.locator("[data-job-step]").inner_text()
        assert page.locator("[data-job-percent]").inner_text() == "2%"
        assert page.locator("[data-job-label]").inner_text() == "Đang tạo"
        assert not page.locator("[data-job-download]").is_visible()
        _shot(page, "2-running.png")

        release.set()
        download = page.locator("[data-job-download]")
        download.wait_for(state="visible", timeout=120000)
        assert page.locator("[data-job-label]").inner_text() == "Đã xong"
        assert bar.evaluate("el => el.style.width") == "100%"
        _shot(page, "3-done.png")
        with page.expect_download() as info:
            download.click()
        with open(info.value.path(), "rb") as handle:
            archive = zipfile.ZipFile(io.BytesIO(handle.read()))
        names = archive.namelist()
        assert "MANIFEST.txt" in names and any(n.endswith(".pdf") and n.startswith("01-") for n in names)
        assert errors == [], errors
    finally:
        release.set()  # the runner fixture then lets the runner finish and ends its thread
        context.close()
