"""Receiving uploads: size limit, long file names, and the temporary files Django spools to disk.

Size: without ``SizeLimitUploadHandler``, Django would spool a 500 MB file to a temporary file
before the form could say "too large". The handler skips only that file (``SkipFile``), so the
other fields the person typed still arrive and the form comes back filled in, with the size
message on the file field.

Long names: Django refuses a whole multipart request whose part headers pass 1 KB ("Request max
total header size exceeded"), which a long Vietnamese file name does (three bytes a letter): the
person got a bare 400 and lost the form. ``allow_long_file_names`` (called once at start-up)
raises that bound; ``uploads.sanitise_filename`` then shortens the name keeping its extension.

Temporary files: an upload past FILE_UPLOAD_MAX_MEMORY_SIZE is spooled to a named temporary file
that Django deletes when the request ends; a worker killed mid-upload (a timeout, an OOM kill)
leaves it behind. They go to FILE_UPLOAD_TEMP_DIR, a directory of their own (made on demand by
``TemporaryFileUploadHandler``), and ``temp_uploads_clean`` (beat entry
``evidence-temp-uploads-clean``, command ``evidence_temp_uploads_clean``) deletes the old ones.
"""

from __future__ import annotations

import datetime
import os
import time
from pathlib import Path

from django.conf import settings
from django.core.files import uploadhandler
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.utils.translation import gettext as _

from . import uploads

OVERSIZE_ATTRIBUTE = "_evidence_oversize"


class SizeLimitUploadHandler(FileUploadHandler):
    """First in the chain: counts each file's bytes and skips the file past ``max_bytes``."""

    def __init__(self, request=None, *, max_bytes: int):
        super().__init__(request)
        self.max_bytes = max_bytes
        self.received = 0

    def new_file(self, field_name, file_name, content_type, content_length, charset=None, content_type_extra=None):
        super().new_file(field_name, file_name, content_type, content_length, charset, content_type_extra)
        self.received = 0
        if content_length and content_length > self.max_bytes:
            self._refuse(content_length)

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.max_bytes:
            self._refuse(self.received)
        return raw_data

    def file_complete(self, file_size):
        return None  # the next handler builds the file

    def _refuse(self, size: int):
        name = uploads.sanitise_filename(self.file_name or "")
        message = _("Tệp “%(name)s” nặng hơn %(limit)s, vượt giới hạn cho mỗi tệp. Hãy nén hoặc tách tệp rồi tải lên lại.") % {
            "name": name, "limit": uploads.human_size(self.max_bytes),
        }
        if self.request is not None:
            setattr(self.request, OVERSIZE_ATTRIBUTE, message)
        raise SkipFile()


def limit_upload_size(request, max_bytes: int) -> None:
    """Install the handler; must run before anything reads request.POST or request.FILES."""
    request.upload_handlers.insert(0, SizeLimitUploadHandler(request, max_bytes=max_bytes))


def oversize_message(request) -> str:
    return getattr(request, OVERSIZE_ATTRIBUTE, "")


# Any name a file system allows (255 characters, up to 4 bytes each) with its field name and
# content type fits several times over; a longer part header is not one a browser sends.
PART_HEADER_MAX_BYTES = 8 * 1024


def allow_long_file_names() -> None:
    """Let multipart part headers (which carry the file name) reach PART_HEADER_MAX_BYTES."""
    from django.http import multipartparser

    # Django reads this module constant on every part (Parser.__iter__); it has no setting.
    multipartparser.MAX_TOTAL_HEADER_SIZE = max(multipartparser.MAX_TOTAL_HEADER_SIZE, PART_HEADER_MAX_BYTES)


def temp_upload_dir() -> Path:
    return Path(settings.FILE_UPLOAD_TEMP_DIR)


class TemporaryFileUploadHandler(uploadhandler.TemporaryFileUploadHandler):
    """Django's handler, spooling into FILE_UPLOAD_TEMP_DIR, which it makes when missing."""

    def new_file(self, *args, **kwargs):
        temp_upload_dir().mkdir(parents=True, exist_ok=True)
        super().new_file(*args, **kwargs)


def temp_uploads_clean(*, older_than: datetime.timedelta, dry_run: bool = False) -> list[str]:
    """Delete the spooled upload files untouched for ``older_than``; return their names.

    Only regular files directly in FILE_UPLOAD_TEMP_DIR (the directory is the uploads' alone); an
    upload in progress writes to its file, so its modification time stays recent.
    """
    folder = temp_upload_dir()
    if not folder.is_dir():
        return []
    cutoff = time.time() - older_than.total_seconds()
    removed = []
    with os.scandir(folder) as entries:
        for entry in entries:
            try:
                if not entry.is_file(follow_symlinks=False) or entry.stat(follow_symlinks=False).st_mtime >= cutoff:
                    continue
                if not dry_run:
                    os.unlink(entry.path)
            except FileNotFoundError:  # the request finished and Django deleted it meanwhile
                continue
            removed.append(entry.name)
    return sorted(removed)
