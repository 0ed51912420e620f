"""Reading exports back, as a person would read them: the text of a PDF (pdftotext, poppler-utils),
its pages and fonts (pdfinfo, pdffonts), the words with their positions; DOCX with python-docx; XLSX
with openpyxl.
"""

from __future__ import annotations

import html
import io
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass

import pytest

POPPLER = shutil.which("pdftotext") and shutil.which("pdfinfo") and shutil.which("pdffonts")
needs_poppler = pytest.mark.skipif(not POPPLER, reason="poppler-utils (pdftotext, pdfinfo, pdffonts) is not installed")


def _run(args: list[str], content: bytes) -> str:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(content)
        handle.flush()
        return subprocess.run([*args, handle.name, *([] if args[0] != "pdftotext" else ["-"])],
                              check=True, capture_output=True).stdout.decode("utf-8")


def pdf_text(content: bytes, *, first: int | None = None, last: int | None = None, layout: bool = False) -> str:
    args = ["pdftotext", "-enc", "UTF-8"]
    if layout:
        args.append("-layout")
    if first:
        args += ["-f", str(first)]
    if last:
        args += ["-l", str(last)]
    return _run(args, content)


def pdf_pages(content: bytes) -> list[str]:
    """The text of each page (pdftotext separates pages with a form feed)."""
    pages = pdf_text(content).split("\f")
    return pages[:-1] if pages and not pages[-1].strip() else pages


def pdf_page_sizes(content: bytes) -> list[tuple[float, float]]:
    info = _run(["pdfinfo", "-f", "1", "-l", "100000"], content)
    return [(float(w), float(h)) for w, h in re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+)", info)]


def pdf_fonts(content: bytes) -> list[tuple[str, bool]]:
    """(font name, embedded) of every font of the PDF."""
    lines = _run(["pdffonts"], content).splitlines()[2:]
    fonts = []
    for line in lines:
        parts = line.split()
        if len(parts) >= 7:
            fonts.append((parts[0], parts[-5] == "yes"))
    return fonts


@dataclass(frozen=True)
class Word:
    text: str
    x: float
    y: float
    page: int


def pdf_words(content: bytes, *, first: int, last: int) -> list[Word]:
    """Every word of pages ``first``..``last`` with its position (pdftotext -bbox)."""
    out = _run(["pdftotext", "-enc", "UTF-8", "-bbox", "-f", str(first), "-l", str(last)], content)
    words = []
    for page_number, page in enumerate(out.split("<page ")[1:], start=first):
        for x, y, text in re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)"[^>]*>([^<]*)</word>', page):
            words.append(Word(html.unescape(text), float(x), float(y), page_number))
    return words


def docx_document(content: bytes):
    import docx

    return docx.Document(io.BytesIO(content))


def docx_text(content: bytes) -> str:
    """Every paragraph and table cell of a Word file, in order."""
    document = docx_document(content)
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def workbook(content: bytes):
    import openpyxl

    return openpyxl.load_workbook(io.BytesIO(content))


def sheet_rows(sheet) -> list[list]:
    return [list(row) for row in sheet.iter_rows(values_only=True)]
