"""Background jobs: request, claim, build the dossier, finish, fail, retry, expire — each idempotent."""

from __future__ import annotations

import datetime
import hashlib
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from audit.models import Event
from exports import services
from exports.builders import BuildError
from exports.models import ExportJob
from exports.tasks import export_job_run, export_jobs_expire
from exports.tests.readers import needs_poppler, pdf_text, workbook
from notifications.models import Notification

# One world for the module (exports/tests/conftest.py): the personas, the catalog and school A's written report.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("export_world")]


def _request(round_a, by, *, include_files=False):
    return services.export_job_request(
        kind=ExportJob.Kind.DOSSIER, params={"round": round_a.pk, "include_files": include_files},
        title="Hồ sơ đợt 1", organisation=round_a.unit, by=by,
    )


def _zip(job: ExportJob) -> zipfile.ZipFile:
    with job.file.open("rb") as handle:
        return zipfile.ZipFile(io.BytesIO(handle.read()))


def test_request_queues_the_task_after_commit(round_a, reviewer, django_capture_on_commit_callbacks, monkeypatch):
    queued = []
    monkeypatch.setattr(export_job_run, "delay", lambda job_id: queued.append(job_id))
    with django_capture_on_commit_callbacks(execute=True):
        job, created = _request(round_a, reviewer)
        assert queued == []  # nothing before the commit
    assert created and queued == [job.pk]
    assert job.status == ExportJob.Status.QUEUED and job.requested_by == reviewer
    assert Event.objects.filter(action="exports.dossier.requested", target_id=job.pk).exists()


def test_asking_again_while_it_runs_returns_the_same_job(round_a, reviewer, head, monkeypatch):
    monkeypatch.setattr(export_job_run, "delay", lambda job_id: None)
    first, created = _request(round_a, reviewer)
    second, created_again = _request(round_a, head)
    assert created and not created_again and second.pk == first.pk
    other, created_other = _request(round_a, head, include_files=True)
    assert created_other and other.pk != first.pk


def test_a_broker_outage_leaves_the_job_queued(round_a, reviewer, django_capture_on_commit_callbacks, monkeypatch):
    def down(job_id):
        raise ConnectionError("redis is down")

    monkeypatch.setattr(export_job_run, "delay", down)
    with django_capture_on_commit_callbacks(execute=True):
        job, _created = _request(round_a, reviewer)
    job.refresh_from_db()
    assert job.status == ExportJob.Status.QUEUED


@needs_poppler
def test_dossier_holds_the_letter_each_schools_report_and_a_manifest(round_a, version_a, accepted_a, reviewer, monkeypatch):
    monkeypatch.setattr(export_job_run, "delay", lambda job_id: None)
    job, _created = _request(round_a, reviewer)
    assert services.export_job_execute(job.pk) == ExportJob.Status.DONE
    job.refresh_from_db()
    assert job.status == ExportJob.Status.DONE and job.progress == 100
    assert job.file_name == "ho-so-danh-gia-ngoai-pgd-a-dot-1-2025.zip"
    with job.file.open("rb") as handle:
        content = handle.read()
    assert hashlib.sha256(content).hexdigest() == job.sha256 and job.size == len(content)
    assert job.expires_at - job.finished_at == datetime.timedelta(hours=72)
    archive = zipfile.ZipFile(io.BytesIO(content))
    names = archive.namelist()
    assert "00-cong-van-de-nghi-danh-gia-ngoai-dot-1-2025.pdf" in names
    assert "00-cong-van-de-nghi-danh-gia-ngoai-dot-1-2025.docx" in names
    folder_a = "01-a-thcs-01-truong-thcs-a/"
    assert f"{folder_a}bao-cao-tu-danh-gia-a-thcs-01-2024-2025-v1.pdf" in names
    assert f"{folder_a}danh-muc-minh-chung-a-thcs-01-2024-2025-v1.xlsx" in names
    assert "02-a-thcs-02-truong-thcs-b/CHUA-CO-BAO-CAO.txt" in names
    # The report in the dossier is the submitted version, with its check code on the pages.
    report_text = " ".join(pdf_text(archive.read(f"{folder_a}bao-cao-tu-danh-gia-a-thcs-01-2024-2025-v1.pdf")).split())
    assert f"Phiên bản 1 · mã kiểm tra {version_a.content_hash[:16]}" in report_text
    letter = " ".join(pdf_text(archive.read("00-cong-van-de-nghi-danh-gia-ngoai-dot-1-2025.pdf")).split())
    assert "Trường THCS A" in letter and "Trường THCS B" in letter and "Chưa có báo cáo đã nộp" in letter
    # Every file's checksum is in the manifest.
    manifest = archive.read("MANIFEST.txt").decode("utf-8")
    for name in names:
        if name != "MANIFEST.txt":
            assert f"{hashlib.sha256(archive.read(name)).hexdigest()}" in manifest, name
    assert version_a.content_hash in manifest
    sheet = workbook(archive.read(f"{folder_a}danh-muc-minh-chung-a-thcs-01-2024-2025-v1.xlsx"))["Danh mục minh chứng"]
    assert "H1-1.1-01" in [cell.value for cell in sheet["B"]]
    # The requester is told once; the build is in the audit trail.
    notes = Notification.objects.filter(user=reviewer, kind="export_ready")
    assert notes.count() == 1 and str(job.uuid) in notes.get().url
    assert Event.objects.filter(action="exports.dossier.built", target_id=job.pk).count() == 1


def test_running_the_task_twice_builds_one_file(round_a, version_a, accepted_a, reviewer, monkeypatch, settings):
    monkeypatch.setattr(export_job_run, "delay", lambda job_id: None)
    job, _created = _request(round_a, reviewer)
    assert export_job_run(job.pk) == ExportJob.Status.DONE
    job.refresh_from_db()
    first_file, first_hash = job.file.name, job.sha256
    assert export_job_run(job.pk) == ExportJob.Status.DONE  # the second delivery does nothing
    job.refresh_from_db()
    assert (job.file.name, job.sha256, job.attempts) == (first_file, first_hash, 1)
    assert Notification.objects.filter(kind="export_ready").count() == 1
    assert Event.objects.filter(action="exports.dossier.built").count() == 1
    stored = list((settings.MEDIA_ROOT / "exports").rglob("*.zip"))
    assert len(stored) == 1


def test_claim_takes_a_queued_job_once(round_a, reviewer, monkeypatch):
    monkeypatch.setattr(export_job_run, "delay", lambda job_id: None)
    job, _created = _request(round_a, reviewer)
    assert services.export_job_claim(job.pk) is not None
    assert services.export_job_claim(job.pk) is None
    assert services.export_job_claim(999999) is None


def test_a_running_job_whose_worker_died_is_claimed_again_then_given_up(round_a, reviewer, monkeypatch):
    monkeypatch.setattr(export_job_run, "delay", lambda job_id: None)
    job, _created = _request(round_a, reviewer)
    for attempt in range(1, services.MAX_ATTEMPTS + 1):
        claimed = services.export_job_claim(job.pk)
        assert claimed is not None and claimed.attempts == attempt
        ExportJob.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now() - datetime.timedelta(hours=2))
    assert services.export_job_claim(job.pk) is None
    job.refresh_from_db()
    assert job.status == ExportJob.Status.FAILED and "3 lần" in job.error


def test_a_stale_worker_cannot_store_its_file_over_the_new_claim(round_a, version_a, accepted_a, reviewer, monkeypatch):
    monkeypatch.setattr(export_job_run, "delay", lambda job_id: None)
    job, _created = _request(round_a, reviewer)
    old = services.export_job_claim(job.pk)
    ExportJob.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now() - datetime.timedelta(hours=2))
    services.export_job_claim(job.pk)  # another worker takes over
    stored = services.export_job_finish(old, fileobj=io.BytesIO(b"stale"), file_name="x.zip", content_type="application/zip")
    assert stored is False
    job.refresh_from_db()
    assert job.status == ExportJob.Status.RUNNING and not job.file


def test_a_build_error_fails_the_job_with_its_message(round_a, reviewer, monkeypatch):
    from exports import builders

    monkeypatch.setattr(export_job_run, "delay", lambda job_id: None)

    def refuse(job, progress):
        raise BuildError("Đợt đánh giá chưa có trường nào đăng ký.")

    monkeypatch.setitem(builders.BUILDERS, ExportJob.Kind.DOSSIER, refuse)
    job, _created = _request(round_a, reviewer)
    assert services.export_job_execute(job.pk) == ExportJob.Status.FAILED
    job.refresh_from_db()
    assert job.status == ExportJob.Status.FAILED and job.error == "Đợt đánh giá chưa có trường nào đăng ký."
    assert not job.file


def test_an_unexpected_error_is_logged_and_shown_in_words(round_a, reviewer, monkeypatch, caplog):
    from exports import builders

    monkeypatch.setattr(export_job_run, "delay", lambda job_id: None)

    def crash(job, progress):
        progress(40, "Đang làm")
        raise RuntimeError("disk full")

    monkeypatch.setitem(builders.BUILDERS, ExportJob.Kind.DOSSIER, crash)
    job, _created = _request(round_a, reviewer)
    assert services.export_job_execute(job.pk) == ExportJob.Status.FAILED
    job.refresh_from_db()
    assert "Hãy thử tạo lại" in job.error and "disk full" not in job.error
    assert "disk full" in caplog.text


def test_a_round_without_schools_cannot_build(district, reviewer, monkeypatch):
    from evaluations.models import EvaluationRound

    monkeypatch.setattr(export_job_run, "delay", lambda job_id: None)
    empty = EvaluationRound.objects.create(unit=district, year=2025, number=2)
    job, _created = _request(empty, reviewer)
    services.export_job_execute(job.pk)
    job.refresh_from_db()
    assert job.status == ExportJob.Status.FAILED and "chưa có trường nào" in job.error


def test_retry_queues_a_failed_job_again_and_only_a_failed_one(round_a, reviewer, monkeypatch):
    monkeypatch.setattr(export_job_run, "delay", lambda job_id: None)
    job, _created = _request(round_a, reviewer)
    with pytest.raises(services.ExportError):
        services.export_job_retry(job=job, by=reviewer)
    claimed = services.export_job_claim(job.pk)
    services.export_job_fail(claimed, "Lỗi thử")
    job = services.export_job_retry(job=job, by=reviewer)
    assert job.status == ExportJob.Status.QUEUED and job.error == "" and job.attempts == 0


def test_expiry_deletes_the_file_once_and_keeps_the_record(round_a, version_a, accepted_a, reviewer, monkeypatch,
                                                            django_capture_on_commit_callbacks):
    monkeypatch.setattr(export_job_run, "delay", lambda job_id: None)
    job, _created = _request(round_a, reviewer)
    services.export_job_execute(job.pk)
    job.refresh_from_db()
    path = job.file.path
    assert export_jobs_expire() == {"expired": 0, "failed": 0}
    later = job.expires_at + datetime.timedelta(minutes=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.export_jobs_expire_due(later) == {"expired": 1, "failed": 0}
    job.refresh_from_db()
    assert job.status == ExportJob.Status.EXPIRED and not job.file and not job.is_downloadable
    import os

    assert not os.path.exists(path)
    assert services.export_jobs_expire_due(later) == {"expired": 0, "failed": 0}


def test_the_sweep_fails_jobs_that_nobody_ran(round_a, reviewer, monkeypatch):
    monkeypatch.setattr(export_job_run, "delay", lambda job_id: None)
    job, _created = _request(round_a, reviewer)
    assert services.export_jobs_expire_due()["failed"] == 0
    ExportJob.objects.filter(pk=job.pk).update(created_at=timezone.now() - datetime.timedelta(hours=1))
    assert services.export_jobs_expire_due()["failed"] == 1
    job.refresh_from_db()
    assert job.status == ExportJob.Status.FAILED and "Tạo lại" in job.error


def test_evidence_files_are_included_when_asked_and_unchanged(round_a, report_a, principal_a, reviewer, monkeypatch):
    from evidence import services as evidence_services
    from evidence.demo import tiny_pdf
    from evidence.models import Evidence
    from exports.tests.builders import accept, submit
    from standards.models import Criterion

    criterion = Criterion.objects.get(standard__version=report_a.regulation_version, number="1.1")
    upload = SimpleUploadedFile("Biên bản họp.pdf", tiny_pdf(["Bien ban"]), content_type="application/pdf")
    kept = evidence_services.evidence_create(school=report_a.school, criterion=criterion, by=principal_a,
                                             name="Biên bản có tệp", upload=upload)
    upload = SimpleUploadedFile("Kế hoạch.pdf", tiny_pdf(["Ke hoach"]), content_type="application/pdf")
    changed = evidence_services.evidence_create(school=report_a.school, criterion=criterion, by=principal_a,
                                                name="Kế hoạch có tệp", upload=upload)
    submit(report_a, principal_a)
    accept(report_a)
    Evidence.objects.filter(pk=changed.pk).update(sha256="0" * 64)  # replaced after submission
    monkeypatch.setattr(export_job_run, "delay", lambda job_id: None)
    job, _created = _request(round_a, reviewer, include_files=True)
    services.export_job_execute(job.pk)
    job.refresh_from_db()
    archive = _zip(job)
    files = [n for n in archive.namelist() if "/minh-chung/" in n]
    assert files == [f"01-a-thcs-01-truong-thcs-a/minh-chung/{kept.code}-bien-ban-hop.pdf"]
    assert hashlib.sha256(archive.read(files[0])).hexdigest() == kept.sha256
    manifest = archive.read("MANIFEST.txt").decode()
    assert f"{changed.code}: tệp đã thay đổi sau khi nộp báo cáo" in manifest


def test_report_export_is_recorded_in_the_audit_trail(report_a, principal_a):
    event = services.report_export_record(report=report_a, by=principal_a, fmt="pdf", document="báo cáo",
                                          version_number=2, content_hash="ab" * 32, size=10)
    assert event.action == "exports.report.exported" and event.actor == principal_a and event.school == report_a.school
    assert event.data == {"document": "báo cáo", "format": "pdf", "version": 2, "content_hash": "ab" * 32, "size": 10}


def test_progress_follows_the_pages_being_laid_out(round_a, version_a, accepted_a, reviewer, monkeypatch):
    from exports import builders

    monkeypatch.setattr(export_job_run, "delay", lambda job_id: None)
    seen = []
    original = services.export_job_progress

    def spy(job, progress, step=""):
        original(job, progress, step)
        seen.append((ExportJob.objects.get(pk=job.pk).progress, step))

    monkeypatch.setattr(services, "export_job_progress", spy)
    listen = builders.pages_laid_out
    monkeypatch.setattr(builders, "pages_laid_out", lambda callback: listen(callback, every=0))
    job, _created = _request(round_a, reviewer)
    services.export_job_execute(job.pk)
    pages = [step for _p, step in seen if ": trang " in step]
    assert pages and pages[0].endswith(": trang 1")
    assert [p for p, _s in seen] == sorted(p for p, _s in seen)  # never goes backwards
    import logging

    logger = logging.getLogger("weasyprint.progress")
    assert logger.propagate and not logger.handlers  # restored

