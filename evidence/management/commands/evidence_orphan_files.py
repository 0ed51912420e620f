"""List (or delete) stored evidence files that no item refers to.

A file is written before its row is committed; if the surrounding transaction is rolled back
later (a failure after the evidence service returned), the file stays behind. This finds them:

    python manage.py evidence_orphan_files            # list
    python manage.py evidence_orphan_files --delete   # delete those older than an hour
"""

from __future__ import annotations

import datetime

from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand
from django.utils import timezone

from evidence.models import Evidence

ROOT = "evidence"


def _walk(path: str):
    try:
        directories, files = default_storage.listdir(path)
    except FileNotFoundError:
        return
    for name in files:
        yield f"{path}/{name}"
    for directory in directories:
        yield from _walk(f"{path}/{directory}")


class Command(BaseCommand):
    help = "Liệt kê (hoặc xóa với --delete) các tệp minh chứng không còn gắn với minh chứng nào."

    def add_arguments(self, parser):
        parser.add_argument("--delete", action="store_true", help="Delete the orphans older than --min-age minutes.")
        parser.add_argument("--min-age", type=int, default=60, help="Leave files younger than this (minutes) alone.")

    def handle(self, *args, delete: bool, min_age: int, **options):
        referenced = set(Evidence.objects.exclude(file="").values_list("file", flat=True))
        cutoff = timezone.now() - datetime.timedelta(minutes=min_age)
        orphans = []
        for path in _walk(ROOT):
            if path in referenced:
                continue
            # An upload in progress has its file before its row: never touch recent files.
            if default_storage.get_modified_time(path) > cutoff:
                continue
            orphans.append(path)
        for path in orphans:
            if delete:
                default_storage.delete(path)
            self.stdout.write(("deleted " if delete else "") + path)
        self.stdout.write(f"{len(orphans)} orphan file(s){' deleted' if delete else ''}.")
