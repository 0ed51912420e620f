"""A round's dossier built into an S3-compatible bucket (the loopback S3 server), with the evidence
files read from the same bucket, then downloaded through the permission-checked job view."""

from __future__ import annotations

import hashlib
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from exports import services
from exports.models import ExportJob
from exports.tasks import export_job_run

pytestmark = pytest.mark.s3


def test_a_dossier_is_built_into_the_bucket_and_downloaded_through_the_view(
    client, settings, s3_storage, s3_buckets, round_a, report_a, principal_a, reviewer, other_reviewer, monkeypatch
):
    from evidence import services as evidence_services
    from evidence.demo import tiny_pdf
    from exports.tests.builders import accept, submit
    from standards.models import Criterion

    criterion = Criterion.objects.get(standard__version=report_a.regulation_version, number="1.1")
    pdf = tiny_pdf(["Bien ban"])
    item = evidence_services.evidence_create(
        school=report_a.school, criterion=criterion, by=principal_a, name="Biên bản có tệp",
        upload=SimpleUploadedFile("Biên bản họp.pdf", pdf, content_type="application/pdf"),
    )
    submit(report_a, principal_a)
    accept(report_a)
    monkeypatch.setattr(export_job_run, "delay", lambda job_id: None)
    job, _created = services.export_job_request(
        kind=ExportJob.Kind.DOSSIER, params={"round": round_a.pk, "include_files": True},
        title="Hồ sơ đợt 1", organisation=round_a.unit, by=reviewer,
    )
    services.export_job_execute(job.pk)
    job.refresh_from_db()
    assert job.status == ExportJob.Status.DONE

    # The dossier is an object of the bucket beside the evidence file; nothing on the node's disk.
    bucket = s3_storage.bucket_name
    assert s3_buckets.keys(bucket) == sorted([item.file.name, job.file.name])
    assert not (settings.MEDIA_ROOT / job.file.name).exists()
    stored = s3_buckets.client.get_object(Bucket=bucket, Key=job.file.name)["Body"].read()
    assert hashlib.sha256(stored).hexdigest() == job.sha256 and len(stored) == job.size

    url = reverse("exports:job_download", kwargs={"uuid": job.uuid})
    client.force_login(reviewer)
    response = client.get(url)
    assert response.status_code == 200
    body = b"".join(response.streaming_content)
    assert body == stored
    assert response["Content-Disposition"].startswith("attachment;")
    archive = zipfile.ZipFile(io.BytesIO(body))
    files = [n for n in archive.namelist() if "/minh-chung/" in n]
    assert len(files) == 1 and archive.read(files[0]) == pdf  # the evidence file, read from the bucket

    client.force_login(other_reviewer)
    assert client.get(url).status_code == 404  # another unit's job is not found (as in the URL matrix)


def test_a_large_dossier_streams_from_the_bucket(client, s3_storage, round_a, reviewer, monkeypatch):
    from exports import builders

    big = b"PK" + bytes(range(256)) * (40 * 1024)  # 10 MB: over the in-one-piece limit
    monkeypatch.setitem(builders.BUILDERS, ExportJob.Kind.DOSSIER,
                        lambda job, progress: ("ho-so.zip", "application/zip", io.BytesIO(big), {}))
    monkeypatch.setattr(export_job_run, "delay", lambda job_id: None)
    job, _created = services.export_job_request(
        kind=ExportJob.Kind.DOSSIER, params={"round": round_a.pk, "include_files": False},
        title="Hồ sơ đợt 1", organisation=round_a.unit, by=reviewer,
    )
    services.export_job_execute(job.pk)
    job.refresh_from_db()
    client.force_login(reviewer)
    response = client.get(reverse("exports:job_download", kwargs={"uuid": job.uuid}))
    assert response.status_code == 200 and response.streaming
    assert int(response["Content-Length"]) == len(big)
    assert hashlib.sha256(b"".join(response.streaming_content)).hexdigest() == job.sha256
    response.close()
