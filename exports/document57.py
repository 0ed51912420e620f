"""The TT57/2026 self-assessment report as Biểu 1 of Phụ lục V: what the PDF and the Word file print.

Pure Python, like ``exports.document``: in goes the report dict (``report_as_dict``, live draft or
frozen version; its ``tt57`` key holds the texts only a TT57 report has), out comes a ``Bieu1``
laid out in the order and the words of the form (``report_forms.bieu_1`` of
``standards/data/tt57_2026.json``):

- front matter: outer cover, inner cover, the council's signature list, table of contents,
  abbreviations;
- Phần I. TỔNG QUAN (items 1-4 with their lettered sub-items);
- Phần II. TỰ ĐÁNH GIÁ: per criterion the two levels' texts, the "Mô tả hiện trạng" table
  (Mức | Hiện trạng … (kèm theo mã minh chứng) | Đánh giá) and "Tự đánh giá: Tiêu chí đạt Mức …";
  per standard "Đánh giá chung về Tiêu chuẩn n" (1-4, with the standard's summary table);
- Phần III. KẾT LUẬN with the two summary tables, the school's level and the proposals;
- Phần IV. PHỤ LỤC: the three-year data form, the attached documents, the evidence list (each
  code a link to the evidence's download page) and other documents.

The common parts (stamp, school, council, abbreviations, evidence groups, levels) come from
``exports.document.build_report_document`` so that both regimes word them alike.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from exports.document import (
    EvidenceGroup,
    ReportDocument,
    Stamp,
    TocEntry,
    anchor,
    build_report_document,
    paragraphs,
    percent,
)
from selfassessment.tt57_dataform import HEADER_FIELDS

FAMILY = "2026"
DATA = Path(__file__).resolve().parents[1] / "standards" / "data" / "tt57_2026.json"

# Phần I (report_forms.bieu_1.parts.I): (item heading, [(sub-item label, key of tt57.overview)]).
OVERVIEW = (
    ("1. Thông tin chung", [("", "general")]),
    ("2. Bối cảnh và đặc điểm", [
        ("a) Điều kiện kinh tế - xã hội địa phương", "context_local"), ("b) Thuận lợi", "context_advantages"),
        ("c) Khó khăn", "context_difficulties"), ("d) Đặc điểm người học", "context_learners"),
    ]),
    ("3. Mục đích, phạm vi, thời gian thực hiện tự đánh giá", [
        ("a) Mục đích", "purpose"), ("b) Phạm vi", "scope"), ("c) Thời gian thực hiện tự đánh giá", "time"),
    ]),
    ("4. Quá trình thực hiện tự đánh giá", [
        ("a) Lập kế hoạch tự đánh giá", "process_plan"), ("b) Tổ chức thực hiện", "process_organisation"),
        ("c) Kiểm tra, phân tích", "process_analysis"),
        ("d) Tổng hợp và xác nhận kết quả tự đánh giá", "process_confirmation"),
    ]),
)
# Đánh giá chung về Tiêu chuẩn n (parts.II.per_standard).
STANDARD_PARTS = (
    ("1. Điểm mạnh nổi bật", "strengths"),
    ("2. Điểm hạn chế trọng tâm và nguyên nhân cốt lõi", "weaknesses"),
)
DIRECTION = "3. Định hướng cải tiến chất lượng"
DIRECTION_PARTS = (
    ("a) Phân tích chung về xu hướng chất lượng của Tiêu chuẩn trong 03 năm học liên tiếp", "trend"),
    ("b) Các vấn đề trọng tâm cần ưu tiên cải tiến", "priorities"),
)
PROPOSALS = (
    ("a) Với cơ quan quản lý", "managing_body"),
    ("b) Với Ủy ban nhân dân cấp xã (cơ quan chủ quản)", "commune"),
    ("c) Với tổ chức, cá nhân liên quan (nếu có)", "others"),
)
STATE_COLUMN = "Hiện trạng, kết quả đạt được của tiêu chí đến thời điểm đánh giá (kèm theo mã minh chứng)"
RESPONSIBILITY = ("Hiệu trưởng chịu trách nhiệm về tính trung thực, chính xác của thông tin, số liệu và minh "
                  "chứng trong báo cáo tự đánh giá.")
ATTACHED = ("Quyết định thành lập Hội đồng tự đánh giá; kế hoạch tự đánh giá; các bảng biểu tổng hợp, thống kê.")
CROSS = "×"


def is_tt57_data(data: Mapping[str, Any]) -> bool:
    """Whether a report dict (draft or version) is assessed under TT57/2026."""
    return str((data.get("regulation") or {}).get("family") or "") == FAMILY


@lru_cache(maxsize=1)
def _catalog() -> dict:
    return json.loads(DATA.read_text(encoding="utf-8"))


def mandatory_criteria(regulation: Mapping[str, Any]) -> frozenset[str]:
    """The numbers of the mandatory criteria (tiêu chí bắt buộc) of the report's appendix.

    The frozen data does not carry the flag; the catalog does (Phụ lục I for preschools, II else).
    """
    data = _catalog()
    appendices = (data.get("catalog") or {}).get("appendices") or {}
    code = str(regulation.get("code") or "")
    wanted = next((appendix for appendix, name in appendices.items() if name == code), "II")
    for catalog in data.get("catalogs") or []:
        if catalog.get("appendix") == wanted:
            return frozenset(c["number"] for s in catalog.get("standards") or [] for c in s.get("criteria") or []
                             if c.get("mandatory"))
    return frozenset()


# -- The document ----------------------------------------------------------------------------------


@dataclass
class Titled:
    """A heading with its paragraphs (empty list: not written yet)."""

    heading: str
    paragraphs: list[str]
    subs: list[Titled] = field(default_factory=list)


@dataclass
class Segment:
    """A piece of a text: plain words, or an evidence code with the link to its download page."""

    text: str
    url: str = ""
    code: bool = False  # an evidence code (printed unbroken, linked when its page is known)


@dataclass
class StateRow:
    level: str  # "Mức 1"
    requirement: str  # the level's text in the regulation
    paragraphs: list[list[Segment]]
    verdict: str  # "Đạt" / "Không đạt" / "Chưa đánh giá"


@dataclass
class Criterion57:
    number: str
    heading: str  # "Tiêu chí 1.3. Quản lý … (tiêu chí bắt buộc)"
    anchor: str
    mandatory: bool
    rows: list[StateRow]
    result: str  # "Tiêu chí đạt Mức 2" / "Tiêu chí không đạt Mức 1"


@dataclass
class StandardTableRow:
    label: str
    marks: list[str]  # Không đạt, Mức 1, Mức 2


@dataclass
class Standard57:
    number: int
    heading: str
    anchor: str
    criteria: list[Criterion57]
    parts: list[Titled]  # 1., 2., 3. (with a) b)) of "Đánh giá chung"
    table: list[StandardTableRow]


@dataclass
class GeneralRow:
    label: str
    total: int
    cells: list[str]  # Không đạt SL, %, Mức 1 SL, %, Mức 2 SL, %
    computed: bool = False


@dataclass
class DataFormRow:
    label: str
    values: list[str]
    heading: bool = False
    indent: int = 0


@dataclass
class Bieu1:
    base: ReportDocument
    overview: list[Titled]
    standards: list[Standard57]
    criteria_table: list[tuple[str, list[StandardTableRow]]]  # Phần III 2a, per standard
    criteria_totals: list[str]  # "Cộng chung": counts per column
    general_table: list[GeneralRow]  # Phần III 2b
    overall: list[str]  # Phần III 1
    school_result: str
    proposals: list[Titled]
    form_header: list[tuple[str, str]]
    form_years: list[str]
    form_rows: list[DataFormRow]
    evidence: list[EvidenceGroup]
    links: dict[str, str]
    toc: list[TocEntry] = field(default_factory=list)

    @property
    def stamp(self) -> Stamp:
        return self.base.stamp

    @property
    def title(self) -> str:
        return self.base.title

    @property
    def file_stem(self) -> str:
        return self.base.file_stem

    def link(self, code: str) -> str:
        return self.links.get(code.upper(), "")

    @property
    def linked_evidence(self) -> list[LinkedGroup]:
        """The evidence list's groups with each row's download link (empty when unknown)."""
        return [LinkedGroup(g.label, g.level, [(r, self.link(r.code)) for r in g.rows]) for g in self.evidence]


@dataclass
class LinkedGroup:
    label: str
    level: int
    rows: list[tuple[Any, str]]


# -- Building --------------------------------------------------------------------------------------

_CODE = re.compile(r"MC\.\d+\.\d+\.\d+", re.I)


def segments(text: str, links: Mapping[str, str]) -> list[Segment]:
    """A paragraph cut around its evidence codes, each code carrying its link (when the code is known)."""
    out: list[Segment] = []
    position = 0
    for match in _CODE.finditer(text):
        if match.start() > position:
            out.append(Segment(text[position:match.start()]))
        out.append(Segment(match.group(0), links.get(match.group(0).upper(), ""), code=True))
        position = match.end()
    if position < len(text):
        out.append(Segment(text[position:]))
    return out


def _verdict(indicator: Mapping[str, Any]) -> str:
    return {"dat": "Đạt", "khong_dat": "Không đạt"}.get(indicator.get("verdict") or "", "Chưa đánh giá")


def _criterion(criterion: Mapping[str, Any], mandatory: frozenset[str], links: Mapping[str, str]) -> Criterion57:
    number = criterion["number"]
    rows = []
    for block in criterion.get("levels") or []:
        for indicator in block.get("indicators") or []:
            if indicator.get("repealed"):
                continue
            rows.append(StateRow(
                level=f"Mức {block['level']}",
                requirement=indicator.get("text", ""),
                paragraphs=[segments(p, links) for p in paragraphs(indicator.get("current_state"))],
                verdict=_verdict(indicator),
            ))
    level = criterion.get("level")
    is_mandatory = number in mandatory
    heading = f"Tiêu chí {number}. {criterion.get('title', '')}".rstrip(". ")
    if is_mandatory:
        heading += " (tiêu chí bắt buộc)"
    return Criterion57(
        number=number, heading=heading, anchor=anchor("tc", number), mandatory=is_mandatory, rows=rows,
        result=f"Tiêu chí đạt Mức {level}" if level else "Tiêu chí không đạt Mức 1",
    )


def _marks(level: int | None) -> list[str]:
    """× under Không đạt, or under each level reached (levels are cumulative; the form marks with ×)."""
    if not level:
        return [CROSS, "", ""]
    return ["", CROSS, CROSS if level >= 2 else ""]


def _text_of(texts: Mapping[str, Any], key: str) -> list[str]:
    return paragraphs(texts.get(key) if isinstance(texts, Mapping) else "")


def build_bieu1(data: Mapping[str, Any], stamp: Stamp | None = None,
                evidence_url: Callable[[str], str] | Mapping[str, str] | None = None) -> Bieu1:
    """Lay a TT57 report dict out as Biểu 1 (see the module docstring).

    ``evidence_url``: the download page of an evidence code (a mapping or a function; none: no links).
    """
    base = build_report_document(data, stamp)
    extra = data.get("tt57") or {}
    codes = [str(i.get("code", "")) for i in data.get("evidence") or []]
    if callable(evidence_url):
        links = {code.upper(): url for code in codes if (url := evidence_url(code))}
    else:
        links = {str(k).upper(): v for k, v in (evidence_url or {}).items() if v}
    mandatory = mandatory_criteria(data.get("regulation") or {})

    overview_texts = extra.get("overview") or {}
    overview = []
    for heading, items in OVERVIEW:
        if len(items) == 1 and not items[0][0]:
            overview.append(Titled(heading, _text_of(overview_texts, items[0][1])))
        else:
            overview.append(Titled(heading, [], [Titled(label, _text_of(overview_texts, key)) for label, key in items]))

    per_standard = {int(s.get("number")): s for s in extra.get("standards") or [] if str(s.get("number", "")).isdigit()}
    standards, criteria_table = [], []
    counts = {"total": 0, "none": 0, 1: 0, 2: 0}
    general = []
    for standard in (data.get("part2") or {}).get("standards") or []:
        number = int(standard["number"])
        criteria = [c for c in standard.get("criteria") or [] if c.get("assessed", True)]
        texts = per_standard.get(number) or {}
        texts = texts.get("parts", texts)  # {"parts": {...}} or the parts at the top level
        parts = [Titled(h, _text_of(texts, k)) for h, k in STANDARD_PARTS]
        parts.append(Titled(DIRECTION, [], [Titled(h, _text_of(texts, k)) for h, k in DIRECTION_PARTS]))
        table = [StandardTableRow(f"Tiêu chí {c['number']}", _marks(c.get("level"))) for c in criteria]
        parts.append(Titled(f"4. Tổng hợp kết quả đánh giá các tiêu chí của Tiêu chuẩn {number}", []))
        standards.append(Standard57(
            number=number,
            heading=f"Tiêu chuẩn {number}. {standard.get('title', '')}".rstrip(". "),
            anchor=anchor("tchuan", number),
            criteria=[_criterion(c, mandatory, links) for c in criteria],
            parts=parts, table=table,
        ))
        criteria_table.append((f"Tiêu chuẩn {number}", table))
        levels = [c.get("level") or 0 for c in criteria]
        n = len(levels)
        not_met, one, two = levels.count(0), levels.count(1), levels.count(2)
        counts["total"] += n
        counts["none"] += not_met
        counts[1] += one
        counts[2] += two
        general.append(GeneralRow(f"Tiêu chuẩn {number}", n, _shares(n, not_met, one, two)))
    total = counts["total"]
    general.append(GeneralRow("Cộng", total, _shares(total, counts["none"], counts[1], counts[2]), computed=True))
    reached_1 = counts[1] + counts[2]
    totals = [str(counts["none"]), str(reached_1), str(counts[2])]

    form = extra.get("data_form") or {}
    years = [str(y) for y in form.get("years") or []]
    header = form.get("header") or []
    if isinstance(header, Mapping):
        header = [[label, header.get(key, "")] for key, label in HEADER_FIELDS]
    rows = []
    for row in form.get("rows") or []:
        values = ["" if v is None else str(v).replace(".", ",") for v in row.get("values") or []]
        rows.append(DataFormRow(row.get("label", ""), values + [""] * (len(years) - len(values)) if not row.get("heading")
                                else [], bool(row.get("heading")), int(row.get("indent") or 0)))

    part3 = data.get("part3") or {}
    document = Bieu1(
        base=base,
        overview=overview,
        standards=standards,
        criteria_table=criteria_table,
        criteria_totals=totals,
        general_table=general,
        overall=paragraphs(part3.get("conclusion")),
        school_result=_school_level(part3),
        proposals=[Titled(h, _text_of(extra.get("proposals") or {}, k)) for h, k in PROPOSALS],
        form_header=[(str(label), str(value or "")) for label, value in header],
        form_years=years,
        form_rows=rows,
        evidence=base.evidence,
        links=links,
    )
    document.toc = _toc(document)
    return document


def _shares(total: int, *counts: int) -> list[str]:
    cells = []
    for count in counts:
        cells += [str(count), percent(100 * count / total) if total else ""]
    return cells


def _school_level(part3: Mapping[str, Any]) -> str:
    level = part3.get("school_level")
    if level:
        return f"Cơ sở giáo dục đạt Mức {level}."
    if level == 0:
        return "Cơ sở giáo dục chưa đạt Mức 1."
    return "Chưa đủ căn cứ để xác định mức đạt của cơ sở giáo dục."


def _toc(doc: Bieu1) -> list[TocEntry]:
    toc = [TocEntry("viet-tat", "Danh mục các chữ viết tắt", 1), TocEntry("phan-1", "Phần I. TỔNG QUAN", 1),
           TocEntry("phan-2", "Phần II. TỰ ĐÁNH GIÁ", 1)]
    for standard in doc.standards:
        toc.append(TocEntry(standard.anchor, standard.heading, 2))
    toc += [TocEntry("phan-3", "Phần III. KẾT LUẬN", 1), TocEntry("phan-4", "Phần IV. PHỤ LỤC", 1),
            TocEntry("co-so-du-lieu", "1. Cơ sở dữ liệu", 2), TocEntry("minh-chung", "3. Danh mục minh chứng", 2)]
    return toc

