"""Restore a backup made by `backup` into an empty database and an empty storage.

    DATABASE_URL=postgres://.../kiemdinh_new AWS_STORAGE_BUCKET_NAME=kiemdinh-new \
        python manage.py restore /backup/kiemdinh-2026-12-20

The folder is checked against its manifest before anything is written; afterwards every file is
read back from the storage and compared with the manifest's hash, every row's file with the hash
the row records, and every submitted report version with its content hash.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from ops.backup import BackupError, restore


class Command(BaseCommand):
    help = "Restore a backup folder into an empty database and empty storage, verifying every hash."

    def add_arguments(self, parser):
        parser.add_argument("source", help="The backup folder (with manifest.json).")

    def handle(self, *args, source: str, **options):
        try:
            report = restore(source)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        for line in report.lines:
            self.stdout.write(line)
        for line in report.problems:
            self.stderr.write(line)
        if report.problems:
            raise CommandError(f"restore finished with {len(report.problems)} problem(s); see above")
        self.stdout.write(f"restored from {source}: every file and every report version verified")
