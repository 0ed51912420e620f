"""Every Word export printed by a real office suite (LibreOffice headless) against the app's own PDF.

The registry below lists the Word exports with the sample content they are rendered from: both
reports (a submitted primary-school report and a lower-secondary draft, each the size of the demo's),
every official form, and whatever Word export is added later (the TT57 Biểu 1 / Biểu 2):
``test_every_word_export_is_registered`` finds every exporter class that can write a .docx and
fails until it has an entry, after which every check below runs on it too.

Each document is rendered once per session (PDF, Word, and Word → PDF by LibreOffice: one
LibreOffice prints every document, while the app renders its PDFs) and checked as a person would
check the printed Word file:
- as many pages as the PDF (within 5 %), none of them blank;
- the national title "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" on one line, in both files;
- no page ending on a heading (a heading is kept with what follows it);
- every run in Times New Roman (no theme font left), the document in Vietnamese, written by the
  app for the school, dated today, in Word 2013+ mode;
- the same words as the PDF in the same order. Known differences are handled one by one: the page
  number and the footer line are outside the body (the pages are read inside the margins); the
  PDF's watermark is text drawn once per page (Word's is a shape); the table of contents is a field
  that Word fills on opening (its placeholder is checked instead); a table's header row repeated at
  the top of a page is wherever each suite breaks the table.
"""

from __future__ import annotations

import contextlib
import datetime
import difflib
import functools
import importlib
import inspect
import io
import pkgutil
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from lxml import etree

from exports.document import DRAFT_WATERMARK, Stamp
from exports.exporters import ReportDocxExporter, ReportPdfExporter
from exports.exporters.base import Exporter
from exports.exporters.forms import (
    CouncilDecisionExporter,
    CriterionSheetsExporter,
    RoundLetterExporter,
    SelfAssessmentPlanExporter,
)
from exports.exporters.report import TOC_PLACEHOLDER
from exports.official import LetterInfo, LetterSchool
from exports.tests import office, office_batch
from exports.tests.readers import needs_poppler
from exports.tests.sample import report_dict

HASH = "3f9a1c0b7d2e4a61" + "0123456789abcdef" * 3
VERSION = Stamp(version=3, content_hash=HASH, submitted_at=datetime.datetime(2025, 4, 20, 9, 30),
                verify_url="http://testserver/exports/verify/")
DRAFT = Stamp(generated_at=datetime.datetime(2025, 3, 1, 10, 0))
NATIONAL_TITLE = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
W = office.W

needs_office = pytest.mark.skipif(not office.SOFFICE, reason="LibreOffice (soffice) is not installed: `make browser` "
                                                             "installs it (libreoffice-writer-nogui)")


# -- The registry of Word exports ------------------------------------------------------------------


@dataclass(frozen=True)
class WordExport:
    name: str
    make: Callable[[str], Exporter]  # "pdf" / "docx" → the exporter of that file
    national_title: bool = False  # the document opens with the national header
    toc: bool = False  # the document has a table of contents field

    @property
    def draft(self) -> bool:
        exporter = self.make("docx")
        stamp = getattr(exporter, "stamp", None)
        return bool(stamp is not None and stamp.is_draft)


REGISTRY: dict[str, WordExport] = {}


def word_export(name: str, **options):
    def register(make):
        REGISTRY[name] = WordExport(name, make, **options)
        return make
    return register


_samples: dict[str, dict] = {}


def primary_report() -> dict:
    """DDA-TH-01 2024-2025 (Thông tư 17/2018), a submitted version."""
    if "th" not in _samples:
        _samples["th"] = report_dict(catalog="tt17_2018", school_level="th", school_name="Trường Tiểu học Đống Đa",
                                     school_code="DDA-TH-01")
    return _samples["th"]


def secondary_report() -> dict:
    """DDA-THCS-01 2024-2025 (Thông tư 18/2018), the draft."""
    if "thcs" not in _samples:
        _samples["thcs"] = report_dict()
    return _samples["thcs"]


@word_export("report-th-version", toc=True)
def _report_th(fmt):
    return (ReportPdfExporter if fmt == "pdf" else ReportDocxExporter)(primary_report(), VERSION)


@word_export("report-thcs-draft", toc=True)
def _report_thcs(fmt):
    return (ReportPdfExporter if fmt == "pdf" else ReportDocxExporter)(secondary_report(), DRAFT)


def _links57(code: str) -> str:
    return f"https://kiemdinh.example.vn/evidence/{code}/download/"


@word_export("report-tt57-biểu-1-version", toc=True)
def _report_tt57(fmt):
    from exports.tests.sample57 import report_dict57

    if "tt57" not in _samples:
        _samples["tt57"] = report_dict57()
    exporter = ReportPdfExporter if fmt == "pdf" else ReportDocxExporter
    return exporter(_samples["tt57"], VERSION, evidence_url=_links57)


@word_export("tt57-biểu-2-draft", national_title=True)
def _plan_tt57(fmt):
    from exports.exporters.plan57 import ImprovementPlan57Exporter
    from exports.tests.sample57 import plan_snapshot57, report_dict57
    from selfassessment.plan57 import document_from_data

    if "tt57" not in _samples:
        _samples["tt57"] = report_dict57()
    return ImprovementPlan57Exporter(document_from_data(plan_snapshot57()), _samples["tt57"], DRAFT, fmt)


@word_export("council-decision", national_title=True)
def _council(fmt):
    return CouncilDecisionExporter(primary_report(), VERSION, fmt)


@word_export("self-assessment-plan", national_title=True)
def _plan(fmt):
    return SelfAssessmentPlanExporter(primary_report(), VERSION, fmt)


@word_export("criterion-sheets-draft")
def _sheets(fmt):
    return CriterionSheetsExporter(secondary_report(), DRAFT, fmt)


@word_export("round-letter", national_title=True)
def _letter(fmt):
    info = LetterInfo(
        unit_name="Phòng Giáo dục và Đào tạo quận Đống Đa", department_name="Sở Giáo dục và Đào tạo Hà Nội",
        head_name="Trịnh Đan Ly", round_number=1, year=2025, place="Đống Đa", date=datetime.date(2025, 5, 12),
        schools=[LetterSchool("Trường THCS Đống Đa", "Trung học cơ sở", "thcs", 2, 2, 1, 3, HASH),
                 LetterSchool("Trường Tiểu học Đống Đa", "Tiểu học", "th", None, None, None)],
    )
    return RoundLetterExporter(info, fmt)


def _word_exporter_classes() -> set[type]:
    """Every concrete exporter class that can write a Word file, in any app's ``exporters`` module or
    package (``exports.exporters``, and wherever the TT57 documents are written)."""
    from importlib.util import find_spec

    from django.apps import apps

    for config in apps.get_app_configs():
        name = f"{config.name}.exporters"
        if find_spec(config.name) is None or find_spec(name) is None:
            continue
        package = importlib.import_module(name)
        for module in pkgutil.iter_modules(getattr(package, "__path__", [])):
            importlib.import_module(f"{name}.{module.name}")
    found, stack = set(), list(Exporter.__subclasses__())
    while stack:
        cls = stack.pop()
        stack.extend(cls.__subclasses__())
        if inspect.isabstract(cls):
            continue
        if getattr(cls, "extension", "") == "docx" or "docx" in getattr(cls, "formats", ()):
            found.add(cls)
    return found


def test_every_word_export_is_registered():
    covered = {type(entry.make("docx")) for entry in REGISTRY.values()}
    missing = sorted(cls.__qualname__ for cls in _word_exporter_classes() - covered)
    assert not missing, f"Word exports without a sample in REGISTRY (add one with @word_export): {missing}"


# -- Rendering, once per document per session ------------------------------------------------------


_docx: dict[str, bytes] = {}


def docx_of(name: str) -> bytes:
    """The Word file of ``name``, rendered once per session (the structure checks and the printed one share it)."""
    if name not in _docx:
        _docx[name] = REGISTRY[name].make("docx").render()[2]
    return _docx[name]


@dataclass
class Rendered:
    entry: WordExport
    pdf: bytes
    docx: bytes
    office_pdf: bytes
    margins: dict

    # Each file's pages are read once (several checks read the same pages; nothing changes them).

    @functools.cached_property
    def pdf_body_pages(self) -> tuple[str, ...]:
        return tuple(office_batch.body_pages(self.pdf, top_mm=self.margins["top"], bottom_mm=self.margins["bottom"]))

    @functools.cached_property
    def office_body_pages(self) -> tuple[str, ...]:
        return tuple(office_batch.body_pages(self.office_pdf, top_mm=self.margins["top"],
                                             bottom_mm=self.margins["bottom"]))


def _names_printed_in(session) -> set[str]:
    """The documents the session's tests print with LibreOffice (all of them, unless some are deselected)."""
    names = set()
    for item in session.items:
        params = getattr(getattr(item, "callspec", None), "params", {})
        if "rendered" in getattr(item, "fixturenames", ()) and "name" in params:
            names.add(params["name"])
    return names


@pytest.fixture(scope="session")
def rendered(request, tmp_path_factory):
    """``rendered(name)``: the document as the app's PDF, as Word, and as LibreOffice prints the Word.

    On the first call, every document the session's tests ask for is rendered as Word and handed to
    one LibreOffice at once (started once, not once per document); the app's PDFs are rendered while
    it prints them."""
    from exports.pdf import page_format

    cache: dict[str, Rendered] = {}
    conversion: list[office_batch.Conversion] = []
    pdfs: dict[str, bytes] = {}

    def pdf_of(name: str) -> bytes:
        if name not in pdfs:
            pdfs[name] = REGISTRY[name].make("pdf").render()[2]
        return pdfs[name]

    request.addfinalizer(lambda: [each.close() for each in conversion])

    def render(name: str) -> Rendered:
        if not conversion:
            # A document that fails to render here is left out: its own tests render it again and fail.
            documents = {}
            for other in sorted(_names_printed_in(request.session) | {name}):
                with contextlib.suppress(Exception):
                    documents[other] = docx_of(other)
            conversion.append(office_batch.Conversion(documents, tmp_path_factory.mktemp("office")))
            for other in documents:
                with contextlib.suppress(Exception):
                    pdf_of(other)
        if name not in cache:
            fmt = page_format()
            cache[name] = Rendered(REGISTRY[name], pdf_of(name), docx_of(name), conversion[0].pdf(name),
                                   {side: fmt[f"margin_{side}"] for side in ("top", "bottom", "left", "right")})
        return cache[name]

    return render


NAMES = sorted(REGISTRY)


# -- Checks on the printed Word file ---------------------------------------------------------------


@needs_office
@needs_poppler
@pytest.mark.parametrize("name", NAMES)
def test_page_count_is_the_pdfs_within_five_percent(rendered, name):
    r = rendered(name)
    pdf_pages, word_pages = len(office.page_sizes(r.pdf)), len(office.page_sizes(r.office_pdf))
    assert abs(word_pages - pdf_pages) <= max(0.05 * pdf_pages, 0), (name, pdf_pages, word_pages)
    # Same orientation page for page where the counts agree at the start (covers, body) and the end.
    # (Biểu 2 of TT57 is landscape from its first page: the orientation is the PDF's.)
    sizes, pdf_sizes = office.page_sizes(r.office_pdf), office.page_sizes(r.pdf)
    assert all((w < h) == (pw < ph) for (w, h), (pw, ph) in zip(sizes[:2], pdf_sizes[:2], strict=True))


@needs_office
@needs_poppler
@pytest.mark.parametrize("name", NAMES)
def test_no_blank_page(rendered, name):
    r = rendered(name)
    pages = r.office_body_pages
    blank = [number for number, text in enumerate(pages, start=1) if not text.strip()]
    assert not blank, f"{name}: blank pages {blank} of {len(pages)}"


@needs_office
@needs_poppler
@pytest.mark.parametrize("name", [n for n in NAMES if REGISTRY[n].national_title])
def test_national_title_is_on_one_line(rendered, name):
    r = rendered(name)
    for label, pdf in (("PDF", r.pdf), ("Word", r.office_pdf)):
        lines = [" ".join(line.split()) for page in office.whole_pages(pdf) for line in page.splitlines()]
        assert any(NATIONAL_TITLE in line for line in lines), f"{name} ({label}): the national title wraps"


def _kept_with_next(docx: bytes) -> set[str]:
    """The texts of body paragraphs (outside tables) that must not end a page: headings, sub-headings."""
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        document = etree.fromstring(archive.read("word/document.xml"))
        styles = etree.fromstring(archive.read("word/styles.xml"))
    def keeps(element) -> bool:
        keep = element.find("w:pPr/w:keepNext", office.NS)
        return keep is not None and keep.get(f"{{{W}}}val", "true") not in ("0", "false")

    kept_styles = {s.get(f"{{{W}}}styleId") for s in styles.iter(f"{{{W}}}style") if keeps(s)}
    texts = set()
    for paragraph in document.find(f"{{{W}}}body", office.NS).iterchildren(f"{{{W}}}p"):
        style = paragraph.find("w:pPr/w:pStyle", office.NS)
        keep = keeps(paragraph) or (style is not None and style.get(f"{{{W}}}val") in kept_styles)
        text = "".join(paragraph.itertext()).strip()
        if keep and text:
            texts.add(" ".join(text.split()))
    return texts


@needs_office
@needs_poppler
@pytest.mark.parametrize("name", NAMES)
def test_no_page_ends_on_a_heading(rendered, name):
    r = rendered(name)
    headings = _kept_with_next(r.docx)
    stranded = []
    for number, page in enumerate(r.office_body_pages, start=1):
        lines = [" ".join(line.split()) for line in page.splitlines() if line.strip()]
        if lines and lines[-1] in headings:
            stranded.append((number, lines[-1]))
    assert not stranded, f"{name}: headings at a page foot {stranded}"


@pytest.mark.parametrize("name", NAMES)
def test_every_run_is_times_new_roman(rendered_docx, name):
    docx = rendered_docx(name)
    assert office.theme_font_references(docx) == []
    fonts = office.style_fonts(docx)
    assert fonts["docDefaults"] == "Times New Roman"
    assert {style for style, font in fonts.items() if font != "Times New Roman"} == set()
    for heading in ("Heading1", "Heading2", "Heading3", "Title", "TOC1", "TableGrid"):
        assert fonts.get(heading) == "Times New Roman", heading
    runs = office.run_fonts(docx)
    assert set(runs) == {"Times New Roman"} and runs["Times New Roman"] > 10
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        theme = archive.read("word/theme/theme1.xml").decode()
    assert set(re.findall(r'<a:latin typeface="([^"]*)"', theme)) == {"Times New Roman"}


@pytest.mark.parametrize("name", NAMES)
def test_document_is_vietnamese_by_the_app_dated_now_in_current_word_mode(rendered_docx, name):
    docx = rendered_docx(name)
    assert office.languages(docx) == {"vi-VN"}
    core = office.core_properties(docx)
    assert core["language"] == "vi-VN"
    assert core["creator"] and "python-docx" not in core["creator"] and "python-docx" not in core.get("description", "")
    for stamp in ("created", "modified"):
        moment = datetime.datetime.fromisoformat(core[stamp].replace("Z", "+00:00"))
        assert abs(datetime.datetime.now(datetime.UTC) - moment) < datetime.timedelta(hours=1), stamp
    settings = office.settings(docx)
    mode = settings.find("w:compat/w:compatSetting[@w:name='compatibilityMode']", office.NS)
    assert mode is not None and mode.get(f"{{{W}}}val") == "15"


@pytest.fixture(scope="session")
def rendered_docx():
    return docx_of


def _header_sequences(docx: bytes) -> list[list[str]]:
    """The words of each table's repeated header rows (w:tblHeader), as a suite repeats them."""
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        document = etree.fromstring(archive.read("word/document.xml"))
    sequences = []
    for table in document.iter(f"{{{W}}}tbl"):
        rows = [tr for tr in table.iterchildren(f"{{{W}}}tr") if tr.find("w:trPr/w:tblHeader", office.NS) is not None]
        if rows:
            sequences.append(office.words(" ".join(" ".join(tr.itertext()) for tr in rows)))
    return sequences


def _without_headers(chunk: list[str], headers: list[list[str]]) -> list[str]:
    """``chunk`` without any occurrence of a header row sequence."""
    result, index = [], 0
    while index < len(chunk):
        header = next((h for h in headers if h and chunk[index:index + len(h)] == h), None)
        if header:
            index += len(header)
        else:
            result.append(chunk[index])
            index += 1
    return result


def _strip_toc(pages: list[str]) -> tuple[list[str], list[str]]:
    """The pages without the table of contents' entries, and those entries' words."""
    for index, page in enumerate(pages):
        page_words = office.words(page)
        if page_words[:2] == ["MỤC", "LỤC"]:
            return pages[:index] + ["MỤC LỤC"] + pages[index + 1:], page_words[2:]
    raise AssertionError("no table of contents page")


@needs_office
@needs_poppler
@pytest.mark.parametrize("name", NAMES)
def test_text_matches_the_pdf_word_for_word(rendered, name):
    r = rendered(name)
    differences, printed = _text_differences(r, name)
    assert not differences, f"{name}: {len(differences)} differences, first: " + "\n".join(differences[:5])
    assert len(printed) > 100


def _text_differences(r: Rendered, name: str) -> tuple[list[str], list[str]]:
    pdf_pages, word_pages = list(r.pdf_body_pages), list(r.office_body_pages)
    if r.entry.draft:
        # The PDF draws its watermark as text on every page: its words on lines of their own, among
        # the page's last-drawn lines (the first letter cut off by the margin on landscape pages).
        # Word's watermark is a shape in the header, not text.
        mark = DRAFT_WATERMARK.split()
        stripped = []
        for number, page in enumerate(pdf_pages, start=1):
            lines = [line.strip() for line in page.split("\n")]
            at = next((i for i in range(len(lines)) if lines[i:i + len(mark)][1:] == mark[1:] and lines[i]
                       and mark[0].endswith(lines[i])), None)
            assert at is not None, f"{name}: no watermark on PDF page {number}"
            stripped.append("\n".join(lines[:at] + lines[at + len(mark):]))
        pdf_pages = stripped
    if r.entry.toc:
        pdf_pages, entries = _strip_toc(pdf_pages)
        word_pages, placeholder = _strip_toc(word_pages)
        assert placeholder == TOC_PLACEHOLDER.split()
        # Phần I is "CƠ SỞ DỮ LIỆU" in the 2018 reports, "TỔNG QUAN" in TT57's Biểu 1.
        assert {"Phần", "I."} <= set(entries)
        assert {"CƠ", "SỞ", "DỮ", "LIỆU"} <= set(entries) or {"TỔNG", "QUAN"} <= set(entries)
    expected, printed = office.words("\n".join(pdf_pages)), office.words("\n".join(word_pages))
    headers = _header_sequences(r.docx)
    # A table's header rows are printed again at the top of each page the table continues on, and
    # the suites break tables at different places: the header rows are left out of both texts (their
    # cells are checked in the Word file's structure by test_exporters).
    expected, printed = _without_headers(expected, headers), _without_headers(printed, headers)
    differences = []
    matcher = difflib.SequenceMatcher(None, expected, printed, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op != "equal":
            differences.append(f"{op}: PDF «{' '.join(expected[max(i1 - 5, 0):i2 + 2])}» "
                               f"Word «{' '.join(printed[max(j1 - 5, 0):j2 + 2])}»")
    return differences, printed


# -- The Word file's structure (no office suite needed) --------------------------------------------


def _document_xml(docx: bytes):
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        return etree.fromstring(archive.read("word/document.xml"))


def _attr(element, name: str) -> str | None:
    return None if element is None else element.get(f"{{{W}}}{name}")


@pytest.mark.parametrize("name", NAMES)
def test_tables_carry_their_widths_in_the_grid_and_rows_never_split(rendered_docx, name):
    document = _document_xml(rendered_docx(name))
    tables = list(document.iter(f"{{{W}}}tbl"))
    assert tables
    for table in tables:
        assert _attr(table.find("w:tblPr/w:tblLayout", office.NS), "type") == "fixed"
        grid = [int(_attr(col, "w")) for col in table.findall("w:tblGrid/w:gridCol", office.NS)]
        assert grid and len(set(grid)) >= 1 and sum(grid) <= 252 * 1440 / 25.4 + 5
        assert int(_attr(table.find("w:tblPr/w:tblW", office.NS), "w")) == sum(grid)
        for row in table.findall("w:tr", office.NS):
            assert row.find("w:trPr/w:cantSplit", office.NS) is not None
            position = 0
            for cell in row.findall("w:tc", office.NS):
                span = int(_attr(cell.find("w:tcPr/w:gridSpan", office.NS), "val") or 1)
                assert int(_attr(cell.find("w:tcPr/w:tcW", office.NS), "w")) == sum(grid[position:position + span])
                position += span
            assert position == len(grid)


@pytest.mark.parametrize("name", NAMES)
def test_new_pages_start_with_a_page_break_before_never_a_break_paragraph(rendered_docx, name):
    document = _document_xml(rendered_docx(name))
    assert not [br for br in document.iter(f"{{{W}}}br") if _attr(br, "type") == "page"]


def _table_starting_with(document, text: str):
    return next(t for t in document.iter(f"{{{W}}}tbl")
                if "".join(t.find("w:tr", office.NS).itertext()).startswith(text))


def test_summary_table_has_the_pdfs_two_level_header_centred_marks_and_kept_level4_table(rendered_docx):
    document = _document_xml(rendered_docx("report-th-version"))
    summary = _table_starting_with(document, "Tiêu chuẩn, tiêu chí")
    rows = summary.findall("w:tr", office.NS)
    assert all(r.find("w:trPr/w:tblHeader", office.NS) is not None for r in rows[:3])
    assert rows[3].find("w:trPr/w:tblHeader", office.NS) is None

    def cells(row):
        return [("".join(c.itertext()), int(_attr(c.find("w:tcPr/w:gridSpan", office.NS), "val") or 1),
                 _attr(c.find("w:tcPr/w:vMerge", office.NS), "val") or ("continue" if c.find(
                     "w:tcPr/w:vMerge", office.NS) is not None else ""))
                for c in row.findall("w:tc", office.NS)]

    assert cells(rows[0]) == [("Tiêu chuẩn, tiêu chí", 1, "restart"), ("Kết quả", 4, "")]
    assert cells(rows[1]) == [("", 1, "continue"), ("Không đạt", 1, "restart"), ("Đạt", 3, "")]
    assert cells(rows[2]) == [("", 1, "continue"), ("", 1, "continue"), ("Mức 1", 1, ""), ("Mức 2", 1, ""),
                              ("Mức 3", 1, "")]
    criterion_row = next(r for r in rows if "".join(r.itertext()).startswith("Tiêu chí 1.1"))
    marks = criterion_row.findall("w:tc", office.NS)[1:]
    assert {_attr(c.find("w:p/w:pPr/w:jc", office.NS), "val") for c in marks} == {"center"}
    group_row = next(r for r in rows if "".join(r.itertext()).startswith("Tiêu chuẩn 1"))
    assert _attr(group_row.find("w:tc/w:tcPr/w:shd", office.NS), "fill") == "F0F0F0"
    # "2. Đánh giá tiêu chí Mức 4" is kept with its table, and the table kept whole.
    heading = next(p for p in document.iter(f"{{{W}}}p") if "".join(p.itertext()) == "2. Đánh giá tiêu chí Mức 4")
    assert heading.find("w:pPr/w:keepNext", office.NS) is not None
    level4 = _table_starting_with(document, "Yêu cầu Mức 4")
    level4_rows = level4.findall("w:tr", office.NS)
    assert all(r.find("w:tc/w:p/w:pPr/w:keepNext", office.NS) is not None for r in level4_rows[:-1])


def test_figures_right_aligned_totals_bold_and_missing_plans_said(rendered_docx):
    document = _document_xml(rendered_docx("report-th-version"))
    classes = _table_starting_with(document, "Nội dung2020-2021")
    total = next(r for r in classes.findall("w:tr", office.NS) if "".join(r.itertext()).startswith("Cộng"))
    figures = total.findall("w:tc", office.NS)[1:]
    assert {_attr(c.find("w:p/w:pPr/w:jc", office.NS), "val") for c in figures} == {"right"}
    assert all(c.find("w:p/w:r/w:rPr/w:b", office.NS) is not None for c in figures)
    verdicts = next(t for t in document.iter(f"{{{W}}}tbl") if "".join(t.find("w:tr", office.NS).itertext())
                    .startswith("Mức 1Mức 2"))
    last = verdicts.findall("w:tr", office.NS)[-1]
    assert all(c.find("w:p/w:r/w:rPr/w:b", office.NS) is not None for c in last.findall("w:tc", office.NS)
               if "".join(c.itertext()))
    # Every Mức 4 requirement of the sample has no action: each says so, as the PDF does.
    paragraphs = ["".join(p.itertext()) for p in document.iter(f"{{{W}}}p")]
    level4 = primary_report()["part2"]["level4"]
    assert level4 and all(not item["improvement_plan"] for item in level4)
    start = paragraphs.index("II. TỰ ĐÁNH GIÁ TIÊU CHÍ MỨC 4")
    assert paragraphs[start:].count("(Chưa có biện pháp cải tiến.)") == len(level4)
