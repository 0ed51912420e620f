"""Many Word files printed by one LibreOffice, and a PDF's body pages read in a few pdftotext calls.

- ``Conversion`` starts one ``soffice --headless --convert-to pdf`` for every document at once (one
  start-up of the suite instead of one per document), in the background: the caller renders its own
  PDFs meanwhile and asks for each printed file when it needs it. The PDFs are byte for byte those
  ``office.convert_docx`` prints one file at a time; a document LibreOffice did not print fails the
  test that asks for it, with LibreOffice's output.
- ``body_pages`` is ``office.body_pages`` (the text of each page inside the top and bottom margins)
  with one pdftotext call per run of pages of the same size instead of one per page: pdftotext
  crops every page of a range alike and ends each page with a form feed, so the texts are the same.
"""

from __future__ import annotations

import itertools
import subprocess
import tempfile
from pathlib import Path

from exports.tests import office

TIMEOUT_SECONDS = 900  # every document of the registry on a busy machine


class Conversion:
    """``Conversion(documents, workdir)``: LibreOffice prints every ``{name: docx bytes}`` in one run."""

    def __init__(self, documents: dict[str, bytes], workdir: Path):
        workdir.mkdir(parents=True, exist_ok=True)
        self.outdir = workdir / "out"
        self.sources: dict[str, Path] = {}
        for index, (name, content) in enumerate(documents.items()):
            # The file's own name is ASCII: LibreOffice names the PDF after it.
            source = workdir / f"document-{index:02d}.docx"
            source.write_bytes(content)
            self.sources[name] = source
        profile = workdir / "lo-profile"
        self.log = workdir / "soffice.log"
        self.log.write_bytes(b"")
        self.process: subprocess.Popen | None = None
        self.returncode: int | None = None
        if not self.sources:
            return
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(
                [office.SOFFICE, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
                 "--convert-to", "pdf:writer_pdf_Export", "--outdir", str(self.outdir),
                 *(str(path) for path in self.sources.values())],
                stdout=log, stderr=subprocess.STDOUT,
            )

    def wait(self) -> None:
        if self.process is not None and self.returncode is None:
            try:
                self.returncode = self.process.wait(timeout=TIMEOUT_SECONDS)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.returncode = self.process.wait()

    def close(self) -> None:
        """Stops LibreOffice if it is still printing (a session that ends early)."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait()

    def pdf(self, name: str) -> bytes:
        """The PDF LibreOffice printed from the document ``name``."""
        if name not in self.sources:
            raise AssertionError(f"{name} was not handed to LibreOffice")
        self.wait()
        target = self.outdir / (self.sources[name].stem + ".pdf")
        if not target.exists():
            output = self.log.read_text(errors="replace")
            raise AssertionError(f"LibreOffice did not convert {name} ({self.sources[name].name}, exit code "
                                 f"{self.returncode}): {output}")
        return target.read_bytes()


def body_pages(pdf: bytes, *, top_mm: float, bottom_mm: float) -> list[str]:
    """The text of each page inside the top and bottom margins, in the order it was drawn."""
    sizes = office.page_sizes(pdf)
    top, bottom = top_mm * office.MM - 2, bottom_mm * office.MM - 2
    texts: list[str] = []
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(pdf)
        handle.flush()
        first = 1
        for (width, height), run in itertools.groupby(sizes):
            last = first + len(list(run)) - 1
            out = subprocess.run(
                [office.PDFTOTEXT, "-raw", "-enc", "UTF-8", "-f", str(first), "-l", str(last), "-x", "0",
                 "-y", str(int(top)), "-W", str(int(width) + 1), "-H", str(int(height - top - bottom)),
                 handle.name, "-"], capture_output=True, check=True,
            ).stdout.decode("utf-8")
            pages = out.split("\f")
            if len(pages) != last - first + 2 or pages[-1]:
                raise AssertionError(f"pdftotext printed {len(pages) - 1} pages for pages {first}-{last}")
            texts.extend(pages[:-1])
            first = last + 1
    return texts
