"""Evidence files in an S3-compatible bucket (the loopback S3 server): uploaded through the form,
stored privately in the bucket and nowhere on the node's disk, downloaded through the
permission-checked view only, streamed when large."""

from __future__ import annotations

import hashlib
import urllib.request

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from evidence import services
from evidence.models import Evidence
from evidence.tests import samples

pytestmark = pytest.mark.s3


def test_upload_through_the_form_lands_in_the_bucket_and_downloads_through_the_view(
    client, settings, s3_storage, s3_buckets, school_a, staff_a, reviewer, other_reviewer, criteria
):
    content = samples.docx()
    client.force_login(staff_a)
    url = reverse("evidence:evidence_create", kwargs={"school_pk": school_a.pk})
    upload = SimpleUploadedFile("Biên bản họp.docx", content, content_type="application/octet-stream")
    response = client.post(url, {"criterion": criteria["1.1"].pk, "name": "Biên bản họp tổ", "upload": upload})
    assert response.status_code == 302
    item = Evidence.objects.get()
    assert item.sha256 == hashlib.sha256(content).hexdigest()

    # In the bucket under its generated name, and not in the local media folder.
    bucket = s3_storage.bucket_name
    assert s3_buckets.keys(bucket) == [item.file.name]
    assert not (settings.MEDIA_ROOT / item.file.name).exists()
    stored = s3_buckets.client.get_object(Bucket=bucket, Key=item.file.name)["Body"].read()
    assert stored == content
    # Private: no grant to everyone, and the object's plain URL gives nothing without a signature.
    grants = s3_buckets.client.get_object_acl(Bucket=bucket, Key=item.file.name)["Grants"]
    assert not [g for g in grants if "AllUsers" in str(g.get("Grantee", {}).get("URI", ""))]

    download = reverse("evidence:evidence_download", kwargs={"pk": item.pk})
    client.force_login(reviewer)
    response = client.get(download)
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert body == content
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["ETag"] == f'"{item.sha256}"'

    # Another district's reviewer gets nothing, as on the local disk.
    client.force_login(other_reviewer)
    assert client.get(download).status_code == 404


def test_the_bucket_refuses_an_unsigned_read(s3_storage, school_a, principal_a, c11):
    item = services.evidence_create(
        school=school_a, criterion=c11, by=principal_a, name="Quyết định", upload=ContentFile(samples.pdf(), name="a.pdf")
    )
    signed = s3_storage.url(item.file.name)
    assert "X-Amz-Signature=" in signed and "X-Amz-Expires=60" in signed  # short-lived
    # moto does not enforce policies, so the private ACL is what the test can check: no public grant.
    acl = s3_storage.connection.meta.client.get_object_acl(Bucket=s3_storage.bucket_name, Key=item.file.name)
    assert all("AllUsers" not in str(g.get("Grantee", {})) for g in acl["Grants"])
    with urllib.request.urlopen(signed, timeout=5) as answer:  # noqa: S310  # nosec B310  # the loopback test server
        assert answer.read() == samples.pdf()


def test_a_large_file_streams_from_the_bucket_in_chunks(client, s3_storage, school_a, principal_a, c11):
    content = samples.pdf() + bytes(range(256)) * 4096 + b"%" * (700 * 1024)  # over the in-one-piece limit
    item = services.evidence_create(
        school=school_a, criterion=c11, by=principal_a, name="Bản scan", upload=ContentFile(content, name="scan.pdf"),
    )
    client.force_login(principal_a)
    response = client.get(reverse("evidence:evidence_download", kwargs={"pk": item.pk}))
    assert response.status_code == 200
    assert response.streaming
    assert int(response["Content-Length"]) == len(content)
    chunks = list(response.streaming_content)
    assert len(chunks) > 1  # read piece by piece from the bucket, not loaded whole
    assert b"".join(chunks) == content
    response.close()


def test_a_file_lost_from_the_bucket_is_a_404_not_an_error(client, s3_storage, school_a, principal_a, c11):
    item = services.evidence_create(
        school=school_a, criterion=c11, by=principal_a, name="Quyết định", upload=ContentFile(samples.pdf(), name="a.pdf")
    )
    s3_storage.delete(item.file.name)
    client.force_login(principal_a)
    assert client.get(reverse("evidence:evidence_download", kwargs={"pk": item.pk})).status_code == 404


def test_replacing_a_file_deletes_the_old_object_after_commit(
    s3_storage, s3_buckets, school_a, principal_a, c11, django_capture_on_commit_callbacks
):
    item = services.evidence_create(
        school=school_a, criterion=c11, by=principal_a, name="Quyết định", upload=ContentFile(samples.pdf(), name="a.pdf")
    )
    old = item.file.name
    with django_capture_on_commit_callbacks(execute=True):
        item = services.evidence_update(
            evidence=item, by=principal_a, version=item.version, upload=ContentFile(samples.png(), name="b.png")
        )
    assert s3_buckets.keys(s3_storage.bucket_name) == [item.file.name] != [old]



def test_orphan_files_are_found_and_deleted_in_the_bucket(s3_storage, s3_buckets, school_a, principal_a, c11):
    import io

    from django.core.management import call_command

    item = services.evidence_create(
        school=school_a, criterion=c11, by=principal_a, name="Quyết định", upload=ContentFile(samples.pdf(), name="a.pdf")
    )
    orphan = s3_storage.save("evidence/999/2024/01/lost.pdf", ContentFile(b"%PDF-1.4 lost"))
    out = io.StringIO()
    call_command("evidence_orphan_files", "--min-age", "0", stdout=out)
    assert orphan in out.getvalue() and item.file.name not in out.getvalue()
    call_command("evidence_orphan_files", "--min-age", "0", "--delete", stdout=io.StringIO())
    assert s3_buckets.keys(s3_storage.bucket_name) == [item.file.name]
