"""Word files read as an office suite prints them: LibreOffice converts a .docx to PDF, poppler reads
the pages back, and the .docx's own XML says which fonts and language its runs resolve to.

- ``convert_docx`` runs ``soffice --headless --convert-to pdf`` with a profile of its own (parallel
  and CI runs never share LibreOffice's user installation);
- ``body_pages`` is the text of each page's body (pdftotext in content order, cropped to the area
  inside the page margins: the page number of the header and the footer line are left out), with a
  line that ends in "-" or "/" joined to the next one (a code such as H1-1.2-04 broken at the end
  of a line is one word again);
- ``run_fonts`` resolves the font of every run (direct formatting, then the paragraph style and the
  styles it is based on, then the document defaults) and lists every theme font reference left.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path

from lxml import etree

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
PDFTOTEXT = shutil.which("pdftotext") or "pdftotext"
PDFINFO = shutil.which("pdfinfo") or "pdfinfo"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}
MM = 72 / 25.4


def _w(name: str) -> str:
    return f"{{{W}}}{name}"


def convert_docx(content: bytes, workdir: Path) -> bytes:
    """The PDF LibreOffice prints from a Word file."""
    workdir.mkdir(parents=True, exist_ok=True)
    source = workdir / "document.docx"
    source.write_bytes(content)
    profile = workdir / "lo-profile"
    result = subprocess.run(
        [SOFFICE, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
         "--convert-to", "pdf:writer_pdf_Export", "--outdir", str(workdir / "out"), str(source)],
        capture_output=True, timeout=300, check=False,
    )
    target = workdir / "out" / "document.pdf"
    if not target.exists():
        raise AssertionError(f"LibreOffice did not convert the file: {result.stderr.decode(errors='replace')}")
    return target.read_bytes()


def page_sizes(pdf: bytes) -> list[tuple[float, float]]:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(pdf)
        handle.flush()
        info = subprocess.run([PDFINFO, "-f", "1", "-l", "100000", handle.name], capture_output=True, check=True,
                              text=True).stdout
    return [(float(w), float(h)) for w, h in re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+)", info)]


def body_pages(pdf: bytes, *, top_mm: float, bottom_mm: float) -> list[str]:
    """The text of each page inside the top and bottom margins, in the order it was drawn."""
    sizes = page_sizes(pdf)
    texts = []
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(pdf)
        handle.flush()
        for number, (width, height) in enumerate(sizes, start=1):
            top, bottom = top_mm * MM - 2, bottom_mm * MM - 2
            out = subprocess.run(
                [PDFTOTEXT, "-raw", "-enc", "UTF-8", "-f", str(number), "-l", str(number), "-x", "0",
                 "-y", str(int(top)), "-W", str(int(width) + 1), "-H", str(int(height - top - bottom)),
                 handle.name, "-"], capture_output=True, check=True,
            ).stdout.decode("utf-8")
            texts.append(out.replace("\f", ""))
    return texts


def whole_pages(pdf: bytes) -> list[str]:
    """The text of each whole page (header and footer included), laid out as printed (-layout)."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(pdf)
        handle.flush()
        out = subprocess.run([PDFTOTEXT, "-layout", "-enc", "UTF-8", handle.name, "-"], capture_output=True,
                             check=True).stdout.decode("utf-8")
    pages = out.split("\f")
    return pages[:-1] if pages and not pages[-1].strip() else pages


def words(text: str) -> list[str]:
    """The words of a text; a line ending in "-" or "/" right after a letter or digit continues on the next."""
    text = re.sub(r"(?<=[\w\d])([-/])[ \t]*\n\s*(?=\S)", r"\1", text)
    return text.split()


# -- The Word file's XML ---------------------------------------------------------------------------


def _parts(content: bytes) -> dict[str, etree._Element]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return {name: etree.fromstring(archive.read(name)) for name in archive.namelist()
                if name.startswith("word/") and name.endswith(".xml")}


def theme_font_references(content: bytes) -> list[str]:
    """Every ``w:rFonts`` that still refers to a theme font (which would override the named font)."""
    found = []
    for name, root in _parts(content).items():
        for fonts in root.iter(_w("rFonts")):
            themed = [k.split("}")[1] for k in fonts.attrib if k.endswith("Theme") or k.endswith("theme")]
            if themed:
                found.append(f"{name}: {themed}")
    return found


def run_fonts(content: bytes) -> dict[str, int]:
    """How many runs of the body, headers and footers resolve (ascii slot) to each font."""
    parts = _parts(content)
    styles_root = parts["word/styles.xml"]
    styles = {s.get(_w("styleId")): s for s in styles_root.iter(_w("style"))}
    default_font = None
    defaults = styles_root.find("w:docDefaults/w:rPrDefault/w:rPr/w:rFonts", NS)
    if defaults is not None:
        default_font = defaults.get(_w("ascii"))
    default_paragraph = next((sid for sid, s in styles.items()
                              if s.get(_w("type")) == "paragraph" and s.get(_w("default")) == "1"), None)

    def style_font(style_id):
        seen = set()
        while style_id and style_id not in seen and style_id in styles:
            seen.add(style_id)
            fonts = styles[style_id].find("w:rPr/w:rFonts", NS)
            if fonts is not None and fonts.get(_w("ascii")):
                return fonts.get(_w("ascii"))
            based = styles[style_id].find("w:basedOn", NS)
            style_id = based.get(_w("val")) if based is not None else None
        return None

    counts: dict[str, int] = {}
    for name, root in parts.items():
        if not re.match(r"word/(document|header\d*|footer\d*)\.xml$", name):
            continue
        for run in root.iter(_w("r")):
            if run.find("w:t", NS) is None:
                continue
            font = None
            fonts = run.find("w:rPr/w:rFonts", NS)
            if fonts is not None:
                font = fonts.get(_w("ascii"))
            if font is None:
                style = run.find("w:rPr/w:rStyle", NS)
                font = style_font(style.get(_w("val"))) if style is not None else None
            if font is None:
                paragraph = run.getparent()
                while paragraph is not None and paragraph.tag != _w("p"):
                    paragraph = paragraph.getparent()
                style = paragraph.find("w:pPr/w:pStyle", NS) if paragraph is not None else None
                font = style_font(style.get(_w("val")) if style is not None else default_paragraph)
            if font is None:
                tables = [t for t in run.iterancestors(_w("tbl"))]
                if tables:
                    style = tables[0].find("w:tblPr/w:tblStyle", NS)
                    font = style_font(style.get(_w("val"))) if style is not None else None
            counts[font or default_font or "?"] = counts.get(font or default_font or "?", 0) + 1
    return counts


def style_fonts(content: bytes) -> dict[str, str]:
    """The ascii font each style (and the document defaults, as "docDefaults") names."""
    root = _parts(content)["word/styles.xml"]
    result = {}
    defaults = root.find("w:docDefaults/w:rPrDefault/w:rPr/w:rFonts", NS)
    result["docDefaults"] = defaults.get(_w("ascii")) if defaults is not None else ""
    for style in root.iter(_w("style")):
        fonts = style.find("w:rPr/w:rFonts", NS)
        if fonts is not None:
            result[style.get(_w("styleId"))] = fonts.get(_w("ascii")) or ""
    return result


def languages(content: bytes) -> set[str]:
    """Every language a run, a style or the defaults is marked with."""
    found = set()
    for root in _parts(content).values():
        for lang in root.iter(_w("lang")):
            value = lang.get(_w("val"))
            if value:
                found.add(value)
    return found


def core_properties(content: bytes) -> dict[str, str]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        root = etree.fromstring(archive.read("docProps/core.xml"))
    return {element.tag.split("}")[1]: (element.text or "") for element in root}


def settings(content: bytes) -> etree._Element:
    return _parts(content)["word/settings.xml"]
