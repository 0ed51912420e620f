"""What every exporter is (style.md item 14): a class with one ``render() -> (filename, content_type, bytes)``."""

from __future__ import annotations

from typing import ClassVar

from django.utils import translation

from exports.document import slug

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ZIP = "application/zip"
CONTENT_TYPES = {"pdf": PDF, "docx": DOCX, "xlsx": XLSX, "zip": ZIP}


class Exporter:
    """Subclasses set ``extension`` and implement ``file_stem()`` and ``content()``."""

    extension: ClassVar[str] = ""

    def file_stem(self) -> str:
        raise NotImplementedError

    def content(self) -> bytes:
        raise NotImplementedError

    def filename(self) -> str:
        return f"{slug(self.file_stem())}.{self.extension}"

    def render(self) -> tuple[str, str, bytes]:
        # Exported files are Vietnamese documents whatever the language of the user's pages.
        with translation.override("vi"):
            return self.filename(), CONTENT_TYPES[self.extension], self.content()
