"""move_files_to_storage: an installation that kept its files on disk moves them into the bucket,
every copy verified by the hash its row recorded; running it again copies nothing."""

from __future__ import annotations

import io

import pytest
from django.core.files.storage import FileSystemStorage
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from kiemdinh.storage import list_files
from ops.tests import shared_world

pytestmark = pytest.mark.django_db


# The world with files on disk (``world.seed`` of school A's written report) built once per module in a
# transaction rolled back after the module (``seeded_world``); ``seeded`` gives it to one test in its
# own savepoint, with its own copy of the files.
globals().update(shared_world.fixtures("module"))


def _switch_to_bucket(settings, s3_buckets) -> str:
    bucket = s3_buckets.new()
    settings.STORAGES = {**settings.STORAGES, "default": s3_buckets.storage_setting(bucket)}
    return bucket


@pytest.mark.s3
def test_the_folder_moves_into_the_bucket_verified_and_a_second_run_copies_nothing(client, settings, s3_buckets, seeded):
    principal_a = seeded["principal_a"]
    media = settings.MEDIA_ROOT
    on_disk = {name: (media / name).read_bytes() for name in list_files(FileSystemStorage(location=media))}
    assert len(on_disk) == 4
    bucket = _switch_to_bucket(settings, s3_buckets)

    dry = io.StringIO()
    call_command("move_files_to_storage", "--dry-run", stdout=dry)
    assert "4 to copy (dry run)" in dry.getvalue() and s3_buckets.keys(bucket) == []

    out = io.StringIO()
    call_command("move_files_to_storage", stdout=out)
    assert "4 copied and verified, 0 already there" in out.getvalue() and "0 problem(s)" in out.getvalue()
    assert s3_buckets.keys(bucket) == sorted(on_disk)
    for name, data in on_disk.items():
        assert s3_buckets.client.get_object(Bucket=bucket, Key=name)["Body"].read() == data

    again = io.StringIO()
    call_command("move_files_to_storage", stdout=again)
    assert "0 copied and verified, 4 already there and verified" in again.getvalue()

    # The app now serves the files from the bucket, under the names the rows already hold.
    (media / seeded["evidence"][0].file.name).unlink()
    client.force_login(principal_a)
    response = client.get(reverse("evidence:evidence_download", kwargs={"pk": seeded["evidence"][0].pk}))
    assert response.status_code == 200 and response.content == on_disk[seeded["evidence"][0].file.name]


@pytest.mark.s3
def test_a_local_file_that_no_longer_matches_its_row_is_not_copied(settings, s3_buckets, seeded):
    damaged = seeded["evidence"][1]
    (settings.MEDIA_ROOT / damaged.file.name).write_bytes(b"\x89PNG damaged")
    bucket = _switch_to_bucket(settings, s3_buckets)
    err = io.StringIO()
    with pytest.raises(CommandError, match="3 copied and verified.*1 problem"):
        call_command("move_files_to_storage", stdout=io.StringIO(), stderr=err)
    assert f"{damaged.file.name}: the local file does not match the hash recorded by evidence.evidence #{damaged.pk}" in (
        err.getvalue())
    assert damaged.file.name not in s3_buckets.keys(bucket) and len(s3_buckets.keys(bucket)) == 3


@pytest.mark.s3
def test_a_row_whose_file_is_nowhere_is_reported(settings, s3_buckets, seeded):
    lost = seeded["job"]
    (settings.MEDIA_ROOT / lost.file.name).unlink()
    _switch_to_bucket(settings, s3_buckets)
    err = io.StringIO()
    with pytest.raises(CommandError, match="1 problem"):
        call_command("move_files_to_storage", stdout=io.StringIO(), stderr=err)
    assert f"{lost.file.name}: referenced by exports.exportjob #{lost.pk} but neither in" in err.getvalue()


def test_without_a_bucket_configured_it_refuses_to_copy_the_folder_onto_itself(db):
    with pytest.raises(CommandError, match="set AWS_STORAGE_BUCKET_NAME"):
        call_command("move_files_to_storage", stdout=io.StringIO())
