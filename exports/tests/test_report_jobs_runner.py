"""The report job through the embedded default's runner (exports/runner.py), whose thread reads
committed rows: apart from test_report_jobs.py, whose tests share one world rolled back at its end."""

from __future__ import annotations

import pytest
from django.urls import reverse

from audit.models import Event
from exports.models import ExportJob
from exports.tests.readers import needs_poppler, pdf_text
from exports.tests.test_report_jobs import _ask, _body
from exports.tests.test_runner import _drain, _status


@pytest.mark.django_db(transaction=True)  # the runner's thread reads committed rows
@needs_poppler
def test_on_the_embedded_default_the_request_only_queues_the_pdf_and_the_job_builds_the_report(
    client, principal_a, report_a, version_a, school_a, request,
):
    door = request.getfixturevalue("runner")  # the runner of the embedded default, held at its door
    response = _ask(client, principal_a, report_a)
    job = ExportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("exports:job_detail", kwargs={"uuid": job.uuid})
    # The runner is held at its door: had the request rendered the PDF, the job would be done now.
    assert job.kind == ExportJob.Kind.REPORT and job.status == ExportJob.Status.QUEUED and not job.file
    assert job.params == {"report": report_a.pk, "version": 1, "fmt": "pdf", "content_hash": version_a.content_hash}
    page = client.get(response["Location"]).content.decode()
    assert "data-job-bar" in page and "exports/progress.js" in page and "Về trang xuất của báo cáo" in page

    _drain(door)
    status = _status(client, job)
    assert status["status"] == "done" and status["download_url"]
    download = client.get(status["download_url"])
    assert download["Content-Type"] == "application/pdf"
    assert 'filename="bao-cao-tu-danh-gia-a-thcs-01-2024-2025-v1.pdf"' in download["Content-Disposition"]
    text = " ".join(pdf_text(_body(download)).split())
    assert f"Phiên bản 1 · mã kiểm tra {version_a.content_hash[:16]}" in text
    assert school_a.name.upper() in text.upper()
    event = Event.objects.get(action="exports.report.exported")
    assert event.actor == principal_a and event.data["version"] == 1 and event.data["format"] == "pdf"
