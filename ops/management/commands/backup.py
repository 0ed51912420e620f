"""Take a consistent backup: the database, every stored file, and a manifest of their hashes.

    python manage.py backup /backup/kiemdinh-2026-12-20
    python manage.py backup --pg-dump /backup/kiemdinh-2026-12-20   # PostgreSQL: pg_dump of the same snapshot

See ops/backup.py for what the folder holds; `restore` takes it back and checks it.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from ops.backup import BackupError, backup


class Command(BaseCommand):
    help = "Back up the database and every stored file into a new folder, with a manifest of SHA-256 hashes."

    def add_arguments(self, parser):
        parser.add_argument("target", help="A new (or empty) folder for the backup.")
        parser.add_argument(
            "--pg-dump", action="store_true",
            help="On PostgreSQL, dump the database with pg_dump (custom format) from the same snapshot.",
        )

    def handle(self, *args, target: str, pg_dump: bool, **options):
        try:
            manifest, report = backup(target, pg_dump=pg_dump)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        for line in report.lines:
            self.stdout.write(line)
        for line in report.problems:
            self.stderr.write(line)
        if report.problems:
            raise CommandError(f"backup written to {target} with {len(report.problems)} problem(s); see above")
        self.stdout.write(
            f"backup written to {target}: {len(manifest['files'])} file(s), {len(manifest['versions'])} version(s), "
            "every hash recorded in manifest.json"
        )
