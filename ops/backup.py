"""A backup that proves itself: the database and every stored file, with a manifest of hashes.

A backup is a folder:

    manifest.json     what is in it: the database dump's SHA-256, every file's SHA-256 and size,
                      the files the rows refer to with the hash each row recorded, and every
                      submitted ReportVersion's content hash (checked against its content when taken)
    database.json     Django's dumpdata of every table (sessions left out), read in one
                      REPEATABLE READ transaction on PostgreSQL (one snapshot; the embedded SQLite
                      holds its write lock for the dump), so every row and reference is of one moment;
                      with --pg-dump on PostgreSQL, database.dump: pg_dump's custom format of the
                      snapshot that same transaction exported
    files/<name>      every file of the default storage (the media folder or the bucket), by name

``restore`` takes it into an empty database and an empty storage, and checks the same manifest:
every file byte for byte, every row's file against the row's hash, every version against its hash.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import os
import shutil
import subprocess  # nosec B404  # pg_dump and pg_restore, run without a shell
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import connection, transaction
from django.db.migrations.recorder import MigrationRecorder

from kiemdinh.storage import CHUNK, list_files, open_name, sha256_of
from ops.files import expected_hash, referenced_files
from reviews.models import ReportVersion

FORMAT = 1
MANIFEST = "manifest.json"
DATABASE = "database.json"
PG_DATABASE = "database.dump"
FILES = "files"
# Left out of the dump: sessions are a login's state, not data (and would restore live logins).
EXCLUDED = ["sessions"]
# Present in a freshly migrated database; replaced by the dump's own rows on restore.
MIGRATION_ROWS = {"contenttypes.contenttype", "auth.permission"}


class BackupError(Exception):
    pass


@dataclass
class Report:
    lines: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def note(self, line: str) -> None:
        self.lines.append(line)

    def problem(self, line: str) -> None:
        self.problems.append(line)


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _safe_path(root: Path, name: str) -> Path:
    """``root/name`` for a storage name, refusing anything that would leave ``root``."""
    path = (root / name).resolve()
    if not path.is_relative_to(root.resolve()) or name.startswith("/") or "\\" in name:
        raise BackupError(f"unsafe file name in the storage or manifest: {name!r}")
    return path


def _versions() -> list[dict]:
    rows = []
    for version in ReportVersion.objects.only("pk", "report_id", "number", "content", "content_hash").order_by("pk").iterator(
        chunk_size=200
    ):
        rows.append({
            "id": version.pk, "report": version.report_id, "number": version.number,
            "content_hash": version.content_hash, "verified": version.verify(),
        })
    return rows


def _migrations() -> dict[str, str]:
    latest: dict[str, str] = {}
    for app, name in MigrationRecorder(connection).applied_migrations():
        latest[app] = max(latest.get(app, ""), name)
    return dict(sorted(latest.items()))


def _pg_environment() -> tuple[list[str], dict[str, str]]:
    """Connection arguments and environment for pg_dump/pg_restore, from Django's settings."""
    db = connection.settings_dict
    args = ["--host", str(db["HOST"] or "127.0.0.1"), "--port", str(db["PORT"] or 5432),
            "--username", str(db["USER"] or "postgres"), "--dbname", str(db["NAME"]), "--no-password"]
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return args, env


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(f"{name} is not installed (PostgreSQL's client tools, e.g. apt-get install postgresql-client)")
    return path


def _pg_dump(path: Path) -> None:
    """pg_dump of the snapshot this transaction sees (exported), so the dump, the file references
    and the version hashes read here are of one and the same moment."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
    args, env = _pg_environment()
    result = subprocess.run(  # noqa: S603  # nosec B603  # no shell; the tool's full path, our own settings
        [_tool("pg_dump"), *args, "--format=custom", "--no-owner", "--no-privileges", f"--snapshot={snapshot}",
         f"--file={path}"],
        capture_output=True, text=True, env=env, check=False,
    )
    if result.returncode != 0:
        raise BackupError(f"pg_dump failed: {result.stderr.strip()}")


def backup(target: str | os.PathLike, *, pg_dump: bool = False) -> tuple[dict, Report]:
    """Write a backup into ``target`` (a new or empty folder); return its manifest and a report.

    ``pg_dump``: on PostgreSQL, dump the database with pg_dump (custom format) instead of dumpdata.
    """
    root = Path(target)
    if root.exists() and any(root.iterdir()):
        raise BackupError(f"{root} is not empty; a backup goes into a new folder")
    if pg_dump and connection.vendor != "postgresql":
        raise BackupError("--pg-dump needs PostgreSQL; the embedded SQLite is dumped with dumpdata")
    outermost = not connection.in_atomic_block
    if pg_dump and not outermost:
        raise BackupError("--pg-dump needs a transaction of its own (its snapshot is exported to pg_dump)")
    (root / FILES).mkdir(parents=True)
    report = Report()
    database_path = root / (PG_DATABASE if pg_dump else DATABASE)
    with transaction.atomic():
        if connection.vendor == "postgresql" and outermost:
            with connection.cursor() as cursor:  # must be the transaction's first statement
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        if pg_dump:
            _pg_dump(database_path)
        else:
            call_command("dumpdata", exclude=EXCLUDED, output=str(database_path), verbosity=0)
        refs = referenced_files()
        versions = _versions()
        migrations = _migrations()
    report.note(f"database: {database_path.stat().st_size} bytes, {len(versions)} submitted version(s)")
    for row in versions:
        if not row["verified"]:
            report.problem(f"report version #{row['id']} (report {row['report']} v{row['number']}) does not match its hash")

    files: dict[str, dict] = {}
    for name in list_files(default_storage):
        destination = _safe_path(root / FILES, name)
        destination.parent.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha256()
        size = 0
        with open_name(default_storage, name) as source, open(destination, "wb") as out:
            for chunk in iter(lambda: source.read(CHUNK), b""):
                digest.update(chunk)
                size += len(chunk)
                out.write(chunk)
        files[name] = {"sha256": digest.hexdigest(), "size": size}
    referenced = {}
    for name, rows in sorted(refs.items()):
        expected = expected_hash(rows)
        referenced[name] = {"sha256": expected, "rows": [f"{row.model}#{row.pk}" for row in rows]}
        if name not in files:
            report.problem(f"{name}: referenced by {', '.join(referenced[name]['rows'])} but not in the storage")
        elif expected and files[name]["sha256"] != expected:
            report.problem(f"{name}: its content does not match the hash recorded by {', '.join(referenced[name]['rows'])}")
    report.note(f"files: {len(files)} ({sum(f['size'] for f in files.values())} bytes), {len(referenced)} referenced by rows")

    manifest = {
        "format": FORMAT,
        "created_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "database": {"vendor": connection.vendor, "file": database_path.name, "sha256": _sha256_file(database_path),
                     "format": "pg_dump" if pg_dump else "dumpdata", "migrations": migrations,
                     "excluded": [] if pg_dump else EXCLUDED},
        "storage": default_storage.__class__.__name__,
        "files": files,
        "referenced": referenced,
        "versions": versions,
        "problems": report.problems,
    }
    with open(root / MANIFEST, "w", encoding="utf-8") as handle:
        json.dump(manifest, handle, ensure_ascii=False, indent=1, sort_keys=True)
    return manifest, report


def read_manifest(source: str | os.PathLike) -> dict:
    path = Path(source) / MANIFEST
    try:
        with open(path, encoding="utf-8") as handle:
            manifest = json.load(handle)
    except FileNotFoundError:
        raise BackupError(f"{path} is missing: not a backup folder") from None
    except ValueError as exc:
        raise BackupError(f"{path} is not valid JSON: {exc}") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{path}: unknown backup format {manifest.get('format')!r}")
    return manifest


def verify_folder(source: str | os.PathLike, manifest: dict) -> None:
    """Check the backup folder against its manifest before anything is written."""
    root = Path(source)
    database = root / manifest["database"]["file"]
    if not database.is_file() or _sha256_file(database) != manifest["database"]["sha256"]:
        raise BackupError(f"{database} is missing or does not match the manifest's hash")
    for name, entry in manifest["files"].items():
        path = _safe_path(root / FILES, name)
        if not path.is_file() or path.stat().st_size != entry["size"] or _sha256_file(path) != entry["sha256"]:
            raise BackupError(f"files/{name} is missing or does not match the manifest's hash")


def _database_is_empty() -> list[str]:
    """Labels of the models holding rows (beyond those migrate itself creates)."""
    busy = []
    for model in apps.get_models(include_auto_created=True):
        label = model._meta.label_lower
        if label in MIGRATION_ROWS or not model._meta.managed or model._meta.proxy:
            continue
        if model._base_manager.using(connection.alias).exists():
            busy.append(label)
    return busy


def restore(source: str | os.PathLike) -> Report:
    """Restore a backup into an empty database and an empty storage, checking the manifest."""
    root = Path(source)
    manifest = read_manifest(root)
    verify_folder(root, manifest)
    report = Report()
    if manifest["database"].get("format") == "pg_dump":
        _pg_restore(root / manifest["database"]["file"])
        report.note("database: pg_restore done")
        _restore_files(root, manifest, report)
        _check_restored(manifest, report)
        return report

    call_command("migrate", interactive=False, verbosity=0)
    busy = _database_is_empty()
    if busy:
        raise BackupError(f"the database is not empty ({', '.join(busy[:5])}...); restore needs an empty one")
    present = list_files(default_storage)
    if present:
        raise BackupError(f"the storage is not empty ({len(present)} file(s), e.g. {present[0]}); restore needs an empty one")
    applied = _migrations()
    newer = {app: name for app, name in manifest["database"]["migrations"].items() if applied.get(app, "") < name}
    if newer:
        raise BackupError(f"the backup comes from a newer version of the code (migrations {newer}); update the code first")

    # migrate made the content types and permissions; the dump brings the originals with their ids.
    call_command("flush", interactive=False, inhibit_post_migrate=True, verbosity=0)
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()
    call_command("loaddata", str(root / manifest["database"]["file"]), verbosity=0)
    ContentType.objects.clear_cache()
    report.note("database: loaded")
    _restore_files(root, manifest, report)
    _check_restored(manifest, report)
    return report


def _pg_restore(path: Path) -> None:
    """pg_restore into a brand-new PostgreSQL database (no tables at all), the storage empty."""
    if connection.vendor != "postgresql":
        raise BackupError("this backup was taken with pg_dump: restore it into PostgreSQL")
    tables = connection.introspection.table_names()
    if tables:
        raise BackupError(f"the database is not empty ({len(tables)} table(s)); a pg_dump backup needs a new database")
    present = list_files(default_storage)
    if present:
        raise BackupError(f"the storage is not empty ({len(present)} file(s), e.g. {present[0]}); restore needs an empty one")
    args, env = _pg_environment()
    connection.close()
    result = subprocess.run(  # noqa: S603  # nosec B603  # no shell; the tool's full path, our own settings
        [_tool("pg_restore"), *args, "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction", str(path)],
        capture_output=True, text=True, env=env, check=False,
    )
    if result.returncode != 0:
        raise BackupError(f"pg_restore failed: {result.stderr.strip()}")


def _restore_files(root: Path, manifest: dict, report: Report) -> None:
    for name, entry in sorted(manifest["files"].items()):
        with open(_safe_path(root / FILES, name), "rb") as handle:
            stored = default_storage.save(name, handle)
        if stored != name:
            report.problem(f"{name}: the storage stored it as {stored}")
            continue
        if sha256_of(default_storage, name) != (entry["sha256"], entry["size"]):
            report.problem(f"{name}: the restored file differs from the backup")
    report.note(f"files: {len(manifest['files'])} restored")


def _check_restored(manifest: dict, report: Report) -> None:
    """Every row's file is there with its hash; every submitted version verifies, as in the backup."""
    refs = referenced_files()
    if sorted(refs) != sorted(manifest["referenced"]):
        report.problem("the restored rows refer to other files than the backup's")
    for name, rows in refs.items():
        expected = expected_hash(rows)
        if not default_storage.exists(name):
            report.problem(f"{name}: referenced but not restored")
        elif expected and sha256_of(default_storage, name)[0] != expected:
            report.problem(f"{name}: does not match the hash its row records")
    versions = {row["id"]: row for row in _versions()}
    expected_versions = {row["id"]: row for row in manifest["versions"]}
    if versions.keys() != expected_versions.keys():
        report.problem(f"{len(versions)} report version(s) restored, the backup had {len(expected_versions)}")
    for pk, row in versions.items():
        if not row["verified"] or row["content_hash"] != expected_versions.get(pk, {}).get("content_hash"):
            report.problem(f"report version #{pk} does not verify against its hash")
    report.note(f"checked: {len(refs)} referenced file(s), {len(versions)} report version(s) verified")
