"""What every exporter is (style.md item 14): a class with one ``render() -> (filename, content_type, bytes)``."""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import ClassVar

from django.utils import translation

from exports.document import slug

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ZIP = "application/zip"
CONTENT_TYPES = {"pdf": PDF, "docx": DOCX, "xlsx": XLSX, "zip": ZIP}


class Exporter(ABC):
    """Subclasses set ``extension`` and implement ``file_stem()`` and ``content()``."""

    extension: ClassVar[str] = ""

    @abstractmethod
    def file_stem(self) -> str:
        """The file name without extension (slugified by ``filename``)."""

    @abstractmethod
    def content(self) -> bytes:
        """The file's bytes."""

    def filename(self) -> str:
        return f"{slug(self.file_stem())}.{self.extension}"

    def render(self) -> tuple[str, str, bytes]:
        # Exported files are Vietnamese documents whatever the language of the user's pages.
        with translation.override("vi"):
            return self.filename(), CONTENT_TYPES[self.extension], self.content()
