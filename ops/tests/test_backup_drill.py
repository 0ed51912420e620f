"""The backup drill: seed a small world with files, back it up, restore it with `manage.py restore`
into a brand-new database and an empty storage (another process, as on a spare server), and check
every file byte for byte and every submitted version against its hash.

Runs on the database of the run (SQLite file or a new PostgreSQL database) and on both storages:
the local media folder, and a bucket on the loopback S3 server (marked s3)."""

from __future__ import annotations

import hashlib
import io
import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from conftest import s3_environment
from exports.tasks import export_job_run
from kiemdinh.storage import list_files, open_name
from ops.backup import MANIFEST
from ops.tests import shared_world, world

ROOT = Path(__file__).resolve().parents[2]
# The drills commit what they seed: a backup is a transaction of its own (on PostgreSQL a repeatable
# read snapshot, exported to pg_dump) and the restored database is created beside the test's.
drill = pytest.mark.django_db(transaction=True)


def _contents(storage) -> dict[str, bytes]:
    result = {}
    for name in list_files(storage):
        with open_name(storage, name) as handle:
            result[name] = handle.read()
    return result


class FreshDatabase:
    """A brand-new, empty database of the run's engine, named by a DATABASE_URL."""

    def __init__(self, tmp_path: Path):
        self.vendor = connection.vendor
        self.name = f"kiemdinh_restore_{os.getpid()}_{uuid.uuid4().hex[:8]}"
        if self.vendor == "postgresql":
            db = connection.settings_dict
            host, port, user = db["HOST"] or "127.0.0.1", db["PORT"] or 5432, db["USER"]
            password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
            self.url = f"postgres://{user}{password}@{host}:{port}/{self.name}"
            with connection.cursor() as cursor:
                cursor.execute(f'CREATE DATABASE "{self.name}"')
        else:
            self.url = f"sqlite:///{tmp_path / 'restored.sqlite3'}"

    def drop(self):
        if self.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


def _manage(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "DATABASE_URL", "TEST_MEDIA_ROOT"))}
    return subprocess.run(  # nosec B603  # our own interpreter and manage.py
        [sys.executable, "manage.py", *args], cwd=ROOT, capture_output=True, text=True, timeout=300,
        env={**base, "DJANGO_SETTINGS_MODULE": "kiemdinh.settings_test", **env},
    )


CHECK = """
import json
from evidence.models import Evidence
from exports.models import ExportJob
from reviews.models import ReportVersion
print(json.dumps({
    "versions": {v.pk: [v.content_hash, v.verify()] for v in ReportVersion.objects.all()},
    "evidence": {e.pk: [e.file.name, e.sha256] for e in Evidence.objects.exclude(file="")},
    "jobs": {j.pk: [j.file.name, j.sha256, j.status] for j in ExportJob.objects.exclude(file="")},
}))
"""


def _drill(tmp_path, storage_env, new_storage_env, monkeypatch, report_a, principal_a, reviewer, round_a, *options):
    monkeypatch.setattr(export_job_run, "delay", lambda job_id: None)
    seeded = world.seed(report_a, principal_a, reviewer, round_a)
    originals = _contents(default_storage)
    # Three evidence files and the dossier, under their generated names.
    assert len(originals) == 4 and seeded["job"].file.name in originals

    target = tmp_path / "backup"
    out = io.StringIO()
    call_command("backup", *options, str(target), stdout=out)
    assert "4 file(s)" in out.getvalue()
    manifest = json.loads((target / MANIFEST).read_text(encoding="utf-8"))
    assert {name: entry["sha256"] for name, entry in manifest["files"].items()} == {
        name: hashlib.sha256(data).hexdigest() for name, data in originals.items()}
    assert manifest["referenced"][seeded["job"].file.name]["sha256"] == seeded["job"].sha256
    assert [(v["id"], v["content_hash"], v["verified"]) for v in manifest["versions"]] == [
        (seeded["version"].pk, seeded["version"].content_hash, True)]

    fresh = FreshDatabase(tmp_path)
    try:
        env = {"DATABASE_URL": fresh.url, **new_storage_env}
        restored = _manage(["restore", str(target)], env)
        assert restored.returncode == 0, restored.stderr + restored.stdout
        assert "every file and every report version verified" in restored.stdout
        checked = _manage(["shell", "-c", CHECK], env)
        assert checked.returncode == 0, checked.stderr
        state = json.loads(checked.stdout.strip().splitlines()[-1])
        # A second restore into the now full database and storage is refused, nothing written.
        again = _manage(["restore", str(target)], env)
        assert again.returncode != 0 and "not empty" in again.stderr
    finally:
        fresh.drop()

    from evidence.models import Evidence
    from exports.models import ExportJob
    from reviews.models import ReportVersion

    assert state["versions"] == {str(v.pk): [v.content_hash, True] for v in ReportVersion.objects.all()}
    assert state["evidence"] == {str(e.pk): [e.file.name, e.sha256] for e in Evidence.objects.exclude(file="")}
    assert state["jobs"] == {str(j.pk): [j.file.name, j.sha256, "done"] for j in ExportJob.objects.exclude(file="")}
    return originals


@drill
def test_the_drill_on_the_local_media_folder(tmp_path, settings, monkeypatch, report_a, principal_a, reviewer, round_a):
    restored_media = tmp_path / "restored-media"
    originals = _drill(tmp_path, {}, {"TEST_MEDIA_ROOT": str(restored_media)}, monkeypatch,
                       report_a, principal_a, reviewer, round_a)
    for name, data in originals.items():
        assert (restored_media / name).read_bytes() == data  # byte for byte


@drill
@pytest.mark.s3
def test_the_drill_on_a_bucket(tmp_path, s3_storage, s3_buckets, monkeypatch, report_a, principal_a, reviewer, round_a):
    new_bucket = s3_buckets.new()
    originals = _drill(tmp_path, {}, s3_environment(new_bucket), monkeypatch, report_a, principal_a, reviewer, round_a)
    assert s3_buckets.keys(new_bucket) == sorted(originals)
    for name, data in originals.items():
        assert s3_buckets.client.get_object(Bucket=new_bucket, Key=name)["Body"].read() == data  # byte for byte


@drill
@pytest.mark.postgres
def test_the_drill_with_pg_dump_of_the_same_snapshot(tmp_path, monkeypatch, report_a, principal_a, reviewer, round_a):
    from conftest import services_required

    if connection.vendor != "postgresql":
        if services_required():
            pytest.fail("required service missing in CI: the suite must run on PostgreSQL")
        pytest.skip("pg_dump backups need PostgreSQL (DATABASE_URL)")
    restored_media = tmp_path / "restored-media"
    originals = _drill(tmp_path, {}, {"TEST_MEDIA_ROOT": str(restored_media)}, monkeypatch,
                       report_a, principal_a, reviewer, round_a, "--pg-dump")
    manifest = json.loads((tmp_path / "backup" / MANIFEST).read_text(encoding="utf-8"))
    assert manifest["database"]["format"] == "pg_dump" and manifest["database"]["file"] == "database.dump"
    assert (tmp_path / "backup" / "database.dump").read_bytes()[:5] == b"PGDMP"
    for name, data in originals.items():
        assert (restored_media / name).read_bytes() == data


def test_pg_dump_is_refused_on_sqlite(tmp_path, db, monkeypatch):
    # Whatever database the suite runs on, the command sees the embedded one (no test is skipped).
    monkeypatch.setattr(connection, "vendor", "sqlite")
    with pytest.raises(CommandError, match="--pg-dump needs PostgreSQL"):
        call_command("backup", "--pg-dump", str(tmp_path / "b"), stdout=io.StringIO())


# The seeded world built once for a class in a transaction rolled back after it (``seeded_world``): the
# class's tests run together, and the fixture ends before the drills, which commit their own world.
# ``seeded`` gives it to one test in its own savepoint, with its own copy of the files.
globals().update(shared_world.fixtures("class"))


class TestOnASharedSeededWorld:
    """Refusals and checks on the seeded world (``seeded``), which they only read or change in their
    own savepoint and their own copy of the files."""

    def test_a_damaged_backup_is_refused_before_anything_is_written(self, tmp_path, seeded):
        target = tmp_path / "backup"
        call_command("backup", str(target), stdout=io.StringIO())
        victim = next(p for p in (target / "files").rglob("*") if p.is_file())
        victim.write_bytes(victim.read_bytes() + b"x")
        with pytest.raises(CommandError, match="does not match the manifest"):
            call_command("restore", str(target), stdout=io.StringIO())

    def test_a_backup_notices_a_file_that_no_longer_matches_its_row(self, tmp_path, seeded):
        item = seeded["evidence"][0]
        default_storage.delete(item.file.name)
        default_storage.save(item.file.name, io.BytesIO(b"%PDF-1.4 something else"))
        err = io.StringIO()
        with pytest.raises(CommandError, match="1 problem"):
            call_command("backup", str(tmp_path / "backup"), stdout=io.StringIO(), stderr=err)
        assert (f"{item.file.name}: its content does not match the hash recorded by evidence.evidence#{item.pk}"
                in err.getvalue())

    def test_restore_into_a_database_with_data_is_refused(self, tmp_path, seeded):
        target = tmp_path / "backup"
        call_command("backup", str(target), stdout=io.StringIO())
        with pytest.raises(CommandError, match="the database is not empty"):
            call_command("restore", str(target), stdout=io.StringIO())


def test_a_backup_goes_into_a_new_folder(tmp_path, db):
    (tmp_path / "old").mkdir()
    (tmp_path / "old" / "x").write_text("x")
    with pytest.raises(CommandError, match="not empty"):
        call_command("backup", str(tmp_path / "old"), stdout=io.StringIO())
