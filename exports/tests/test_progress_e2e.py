"""progress.js in a real browser: the bar follows the job row, then the page offers the download."""

import datetime
import time

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from exports.models import ExportJob

# The browser, page and login fixtures are the project's (conftest.py): they skip when Debian's
# chromium is missing, and keep a screenshot of a failing page in test-artifacts/.
pytestmark = pytest.mark.e2e


@pytest.fixture
def running_job(district, reviewer):
    return ExportJob.objects.create(kind=ExportJob.Kind.DOSSIER, title="Hồ sơ đợt 1", organisation=district,
                                    requested_by=reviewer, status=ExportJob.Status.RUNNING, progress=10,
                                    step="Đang tạo báo cáo của Trường THCS A (1/2)", started_at=timezone.now(),
                                    heartbeat_at=timezone.now())


def test_the_bar_moves_and_the_download_appears_when_done(page, browser_login, live_server, reviewer, running_job):
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    browser_login(page, reviewer)
    page.goto(live_server.url + reverse("exports:job_detail", kwargs={"uuid": running_job.uuid}))
    bar = page.locator("[data-job-bar]")
    assert bar.evaluate("el => el.style.width") == "10%"  # set by the script from data-progress
    ExportJob.objects.filter(pk=running_job.pk).update(progress=60, step="Đang dàn trang báo cáo: trang 40")
    _wait(lambda: bar.evaluate("el => el.style.width") == "60%")  # (the CSP forbids wait_for_function's eval)
    assert "trang 40" in page.locator("[data-job-step]").inner_text()
    job = ExportJob.objects.get(pk=running_job.pk)
    job.file.save("ho-so.zip", ContentFile(b"PK\x05\x06" + b"\x00" * 18), save=False)
    now = timezone.now()
    ExportJob.objects.filter(pk=job.pk).update(
        status=ExportJob.Status.DONE, progress=100, file=job.file.name, file_name="ho-so.zip",
        content_type="application/zip", size=22, sha256="0" * 64, finished_at=now,
        expires_at=now + datetime.timedelta(days=3),
    )
    download = page.locator("[data-job-download]")
    download.wait_for(state="visible")
    assert "Đã xong" in page.locator("[data-job-label]").inner_text()
    assert download.get_attribute("href") == reverse("exports:job_download", kwargs={"uuid": job.uuid})
    assert errors == [], errors


def _wait(condition, timeout: float = 15) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("the page did not update in time")
        time.sleep(0.2)
