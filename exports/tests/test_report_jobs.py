"""The report of a submitted version as PDF or Word through a background job (issue 18 item 10).

The export buttons of a version post to ``exports:report_request``, which creates the job (or offers
an equal one already built for the same version) and sends the user to its progress page; the file
is the same document as the direct download (the same exporters).
"""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import Event
from exports import services
from exports.models import ExportJob
from exports.tests.readers import docx_text

# One world for the module (exports/tests/conftest.py): school A's report submitted as version 1. The
# request through the embedded runner needs committed rows: test_report_jobs_runner.py.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("submitted_world")]


def _request_url(report, fmt="pdf", version=1):
    return reverse("exports:report_request", kwargs={"pk": report.pk, "fmt": fmt}) + f"?version={version}"


def _body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def _ask(client, user, report, fmt="pdf", version=1):
    client.force_login(user)
    return client.post(_request_url(report, fmt, version))


def test_the_word_file_is_the_report_of_that_version(client, principal_a, report_a, version_a, school_a):
    from exports.tests.builders import write

    write(report_a, "introduction", "Đoạn viết sau khi nộp, chưa nộp lại.", principal_a)
    _ask(client, principal_a, report_a, "docx")
    job = ExportJob.objects.get()
    assert services.export_job_execute(job.pk) == ExportJob.Status.DONE
    download = client.get(reverse("exports:job_download", kwargs={"uuid": job.uuid}))
    assert download["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.wordprocessingml")
    text = docx_text(_body(download))
    assert school_a.name.upper() in text.upper()
    assert "BÁO CÁO TỰ ĐÁNH GIÁ" in text and "Năm học 2024-2025" in text
    assert "Đoạn viết sau khi nộp" not in text  # the frozen version, not the draft


def test_the_same_audience_as_the_direct_download(client, report_a, version_a, principal_a, staff_a, reviewer,
                                                  other_reviewer, principal_c):
    assert _ask(client, other_reviewer, report_a).status_code == 404
    assert _ask(client, principal_c, report_a).status_code == 404
    assert _ask(client, staff_a, report_a).status_code == 403
    assert not ExportJob.objects.exists()
    assert _ask(client, principal_a, report_a).status_code == 302
    assert _ask(client, reviewer, report_a, "docx").status_code == 302
    assert ExportJob.objects.count() == 2
    client.force_login(principal_a)
    assert client.get(_request_url(report_a)).status_code == 405
    assert _ask(client, principal_a, report_a, "odt").status_code == 404
    assert _ask(client, principal_a, report_a, version=9).status_code == 404


def test_a_built_file_of_the_same_version_is_offered_again(client, report_a, version_a, principal_a, reviewer,
                                                           other_reviewer):
    first = _ask(client, principal_a, report_a)
    job = ExportJob.objects.get()
    # Asked again while it is queued: the same job, not a second build.
    assert _ask(client, principal_a, report_a)["Location"] == first["Location"]
    services.export_job_execute(job.pk)
    again = _ask(client, principal_a, report_a)
    assert again["Location"] == first["Location"] and ExportJob.objects.count() == 1
    assert "đã được tạo sẵn" in client.get(again["Location"]).content.decode()
    # The district office of the school sees that job, so it is offered the same file.
    assert _ask(client, reviewer, report_a)["Location"] == first["Location"]
    assert ExportJob.objects.count() == 1
    # Another format, or a newer version (another content hash), is another file.
    _ask(client, principal_a, report_a, "docx")
    assert ExportJob.objects.count() == 2
    from exports.tests.builders import submit, write

    write(report_a, "introduction", "Bản nộp lại.", principal_a)
    submit(report_a, principal_a)
    _ask(client, principal_a, report_a, version=2)
    assert ExportJob.objects.count() == 3
    # An expired file is not offered: a new job is built.
    from django.utils import timezone

    ExportJob.objects.filter(pk=job.pk).update(expires_at=timezone.now())
    assert _ask(client, principal_a, report_a)["Location"] != first["Location"]


def test_a_job_the_user_may_not_open_is_never_reused_for_them(client, report_a, version_a, principal_a, reviewer):
    """The reviewer's job belongs to the district; the principal gets one of their own (no 404 page)."""
    _ask(client, reviewer, report_a)
    reviewer_job = ExportJob.objects.get()
    services.export_job_execute(reviewer_job.pk)
    response = _ask(client, principal_a, report_a)
    own = ExportJob.objects.exclude(pk=reviewer_job.pk).get()
    assert own.requested_by == principal_a
    assert client.get(response["Location"]).status_code == 200


def test_a_job_whose_version_does_not_hold_the_asked_content_is_not_built(client, report_a, version_a, principal_a):
    """Versions are immutable; the builder still checks the hash, so a job's file is always its version."""
    _ask(client, principal_a, report_a)
    job = ExportJob.objects.get()
    ExportJob.objects.filter(pk=job.pk).update(params={**job.params, "content_hash": "f" * 64})
    assert services.export_job_execute(job.pk) == ExportJob.Status.FAILED
    job.refresh_from_db()
    assert "không còn như lúc yêu cầu" in job.error and not job.file


def test_the_draft_still_downloads_directly(client, draft_b, principal_b):
    client.force_login(principal_b)
    url = reverse("exports:report_request", kwargs={"pk": draft_b.pk, "fmt": "pdf"})
    response = client.post(url)
    assert response.status_code == 302
    assert response["Location"] == reverse("exports:report_download",
                                           kwargs={"pk": draft_b.pk, "fmt": "pdf"}) + "?draft=1"
    assert not ExportJob.objects.exists()


def test_the_version_rows_post_to_the_job_and_the_draft_links_stay(client, principal_a, report_a, version_a):
    client.force_login(principal_a)
    page = client.get(reverse("exports:report_exports", kwargs={"pk": report_a.pk})).content.decode()
    assert f'action="{_request_url(report_a)}"' in page
    assert f'action="{_request_url(report_a, "docx")}"' in page
    draft = reverse("exports:report_download", kwargs={"pk": report_a.pk, "fmt": "pdf"}) + "?draft=1"
    assert f'href="{draft}"' in page


def test_a_version_is_rendered_once_for_everybody(client, report_a, version_a, principal_a, reviewer, monkeypatch):
    """The principal cannot open the reviewer's job, so they get one of their own: its file is the one
    already rendered for that content hash, copied, not rendered again."""
    from exports.exporters.report import ReportPdfExporter

    _ask(client, reviewer, report_a)
    first = ExportJob.objects.get()
    assert services.export_job_execute(first.pk) == ExportJob.Status.DONE
    first.refresh_from_db()

    def no_second_rendering(self):
        raise AssertionError("the version was rendered again")

    monkeypatch.setattr(ReportPdfExporter, "render", no_second_rendering)
    _ask(client, principal_a, report_a)
    own = ExportJob.objects.exclude(pk=first.pk).get()
    assert own.requested_by == principal_a
    assert services.export_job_execute(own.pk) == ExportJob.Status.DONE
    own.refresh_from_db()
    assert own.sha256 == first.sha256 and own.file.name != first.file.name
    assert own.file_name == first.file_name
    built = Event.objects.get(action="exports.report.built", target_id=own.pk)
    assert built.data["copied_from"] == str(first.uuid)
    assert _body(client.get(reverse("exports:job_download", kwargs={"uuid": own.uuid}))).startswith(b"%PDF-")

    # A copy whose stored file no longer matches its checksum is not used: the version is rendered.
    ExportJob.objects.filter(pk__in=[first.pk, own.pk]).update(sha256="0" * 64)
    _ask(client, principal_a, report_a, "pdf")  # the principal's own file is offered again
    assert ExportJob.objects.count() == 2
    ExportJob.objects.filter(pk=own.pk).update(expires_at=timezone.now())
    _ask(client, principal_a, report_a)
    third = ExportJob.objects.exclude(pk__in=[first.pk, own.pk]).get()
    assert services.export_job_execute(third.pk) == ExportJob.Status.FAILED  # rendering was needed (and refused)


def test_a_job_asked_while_the_same_version_renders_waits_for_that_render(
        client, report_a, version_a, principal_a, reviewer, monkeypatch):
    """Two people ask at once (two nodes, two workers): the job taken second waits for the first
    one's file and copies it, instead of rendering the version a second time at the same moment."""
    from exports import builders
    from exports.exporters.report import ReportPdfExporter

    renders = []
    real_render = ReportPdfExporter.render

    def counted(self):
        renders.append(1)
        return real_render(self)

    monkeypatch.setattr(ReportPdfExporter, "render", counted)
    _ask(client, reviewer, report_a)
    first = ExportJob.objects.get()
    _ask(client, principal_a, report_a)
    own = ExportJob.objects.exclude(pk=first.pk).get()
    taken = services.export_job_claim(first.pk)  # another worker took the reviewer's job first ...
    waits = []

    def other_worker_finishes(seconds):
        # ... and finishes it while the principal's job waits, which says so on its progress page.
        waits.append(ExportJob.objects.get(pk=own.pk).step)
        if len(waits) == 1:
            name, content_type, fileobj, summary = builders.build_report(taken, lambda p, s="": None)
            try:
                assert services.export_job_finish(taken, fileobj=fileobj, file_name=name, content_type=content_type,
                                                  summary=summary)
            finally:
                fileobj.close()

    monkeypatch.setattr(builders, "RENDER_WAIT_POLL", 0)
    monkeypatch.setattr(builders.time, "sleep", other_worker_finishes)
    assert services.export_job_execute(own.pk) == ExportJob.Status.DONE
    assert waits == ["Đang chờ tệp của phiên bản này, đang được tạo theo yêu cầu khác"]
    assert len(renders) == 1
    built = Event.objects.get(action="exports.report.built", target_id=own.pk)
    assert built.data["copied_from"] == str(first.uuid)


def test_a_silent_or_later_render_of_the_same_version_is_not_waited_for(
        client, report_a, version_a, principal_a, reviewer, monkeypatch, settings):
    """A render whose worker went silent (no heartbeat within the stale limit) is waited for no
    longer; and the job taken first never waits for one taken after it (no two jobs wait for each
    other)."""
    from exports import builders
    from exports.selectors import report_job_rendering_before

    def no_waiting(seconds):
        raise AssertionError("the job waited")

    monkeypatch.setattr(builders.time, "sleep", no_waiting)
    _ask(client, reviewer, report_a)
    first = ExportJob.objects.get()
    _ask(client, principal_a, report_a)
    own = ExportJob.objects.exclude(pk=first.pk).get()
    taken = services.export_job_claim(first.pk)
    later = services.export_job_claim(own.pk)
    alive = timezone.now() - services.job_stale_after()
    assert report_job_rendering_before(later, alive_since=alive) == first
    assert report_job_rendering_before(taken, alive_since=alive) is None
    ExportJob.objects.filter(pk=first.pk).update(
        heartbeat_at=timezone.now() - services.job_stale_after() - timezone.timedelta(seconds=1))
    assert report_job_rendering_before(later, alive_since=timezone.now() - services.job_stale_after()) is None
    name, _content_type, fileobj, summary = builders.build_report(later, lambda p, s="": None)
    fileobj.close()
    assert name.endswith(".pdf") and "copied_from" not in summary
