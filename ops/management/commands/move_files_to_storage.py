"""Copy the files of the local media folder into the configured storage (an S3-compatible bucket),
verifying every copy by its SHA-256.

    python manage.py move_files_to_storage [--source /srv/kiemdinh/var/media] [--dry-run]

Run it once the bucket is configured (AWS_STORAGE_BUCKET_NAME...): every file under the folder is
copied under the same name (the names in the database stay valid); a file whose row records a hash
(evidence, exports) must have that hash before it is copied, and the copy read back from the bucket
must have it too. A file already in the bucket with the same content is left alone, so the command
can be run again after an interruption. Nothing is deleted: remove the folder once the report says
every file is there.
"""

from __future__ import annotations

from django.conf import settings
from django.core.files.storage import FileSystemStorage, default_storage
from django.core.management.base import BaseCommand, CommandError

from kiemdinh.storage import is_local, list_files, open_name, sha256_of
from ops.files import expected_hash, referenced_files


class Command(BaseCommand):
    help = "Copy the local media folder into the configured object storage and verify every file's SHA-256."

    def add_arguments(self, parser):
        parser.add_argument("--source", default="", help="The local folder to copy from (default: MEDIA_ROOT).")
        parser.add_argument("--dry-run", action="store_true", help="Check and report; copy nothing.")

    def handle(self, *args, source: str, dry_run: bool, **options):
        origin = FileSystemStorage(location=source or settings.MEDIA_ROOT)
        target = default_storage
        if is_local(target) and str(target.location) == str(origin.location):
            raise CommandError(
                "The configured storage is this same local folder: set AWS_STORAGE_BUCKET_NAME (and the other "
                "AWS_* settings) for the bucket to copy into."
            )
        refs = referenced_files()
        names = list_files(origin)
        counts = {"copied": 0, "present": 0, "unreferenced": 0, "to copy": 0}
        errors: list[str] = []
        for name in names:
            rows = refs.get(name, [])
            if not rows:
                counts["unreferenced"] += 1  # still copied: the folder is moved whole
            source_hash, size = sha256_of(origin, name)
            expected = expected_hash(rows)
            if expected and expected != source_hash:
                errors.append(f"{name}: the local file does not match the hash recorded by {_rows(rows)}; not copied")
                continue
            if target.exists(name):
                if sha256_of(target, name)[0] == source_hash:
                    counts["present"] += 1
                else:
                    errors.append(f"{name}: a different file with this name is already in the storage; not copied")
                continue
            if dry_run:
                counts["to copy"] += 1
                continue
            with open_name(origin, name) as handle:
                stored = target.save(name, handle)
            if stored != name:
                target.delete(stored)
                errors.append(f"{name}: the storage renamed it to {stored}; removed, not copied")
                continue
            copied_hash, copied_size = sha256_of(target, name)
            if (copied_hash, copied_size) != (source_hash, size):
                errors.append(f"{name}: the copy read back from the storage differs from the local file")
                continue
            counts["copied"] += 1
            if options["verbosity"] > 1:
                self.stdout.write(f"copied {name} ({size} bytes, sha256 {source_hash[:12]})")
        on_disk = set(names)
        for name, rows in sorted(refs.items()):
            if name in on_disk:
                continue
            expected = expected_hash(rows)
            if target.exists(name) and (not expected or sha256_of(target, name)[0] == expected):
                counts["present"] += 1
            else:
                errors.append(f"{name}: referenced by {_rows(rows)} but neither in {origin.location} nor in the storage")
        for line in errors:
            self.stderr.write(line)
        where = getattr(target, "bucket_name", None) or getattr(target, "location", "")
        summary = (
            f"{len(names)} file(s) in {origin.location}; into {type(target).__name__} {where}: "
            f"{counts['copied']} copied and verified, {counts['present']} already there and verified, "
            + (f"{counts['to copy']} to copy (dry run), " if dry_run else "")
            + f"{counts['unreferenced']} not referenced by any row (copied too), {len(errors)} problem(s)."
        )
        if errors:
            raise CommandError(summary)
        self.stdout.write(summary)


def _rows(rows) -> str:
    return ", ".join(f"{row.model} #{row.pk}" for row in rows)
