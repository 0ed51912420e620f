"""Stop reading an oversized upload as soon as it passes the limit, keeping the rest of the form.

Without this, Django would spool a 500 MB file to a temporary file before the form could say
"too large". The handler skips only that file (``SkipFile``), so the other fields the person
typed still arrive and the form comes back filled in, with the size message on the file field.
"""

from __future__ import annotations

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
