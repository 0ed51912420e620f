"""The self-assessment report as a document: what every renderer (PDF, DOCX, XLSX) prints. Pure Python.

Input: the plain dict of ``selfassessment.serializers.report_as_dict`` — the live draft, or the
frozen content of a submitted version (``reviews.ReportVersion.data``) — plus the stamp of the
version (or none for a draft). Output: a ``ReportDocument`` laid out in the order and wording of
the Ministry's guidance (Công văn 5932/BGDĐT-QLCL, 5942/BGDĐT-QLCL; see domain.md "The report"):
cover, sub-cover with the council, table of contents, abbreviations, summary table, Phần I,
Phần II, Phần III, signature, evidence list.

Everything a renderer needs is decided here, once, so that the PDF and the Word file cannot
disagree: the "x" and "--" of the summary table, the headings and their anchors, the number
formats (Vietnamese: 1.234 and 89,3%), which texts become which paragraphs.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from evidence.codes import ROUND, UnknownSchemeError, resolve_scheme
from evidence.uploads import KIND_BY_MIME
from standards.engine import EngineError, FamilyLabels, get_family
from standards.engine.labels import BINARY, graded

DRAFT_WATERMARK = "BẢN NHÁP"
MARK = "x"
NO_LEVEL = "--"
VERDICTS = {"dat": "Đạt", "khong_dat": "Không đạt", None: "Chưa đánh giá"}
LEVEL_WORDS = {0: "Không đạt", 1: "Mức 1", 2: "Mức 2", 3: "Mức 3", 4: "Mức 4"}

# The abbreviations (chữ viết tắt) a report may use; the list prints those its texts use, and
# the core ones every report uses in its headings.
ABBREVIATIONS: tuple[tuple[str, str], ...] = (
    ("BGH", "Ban giám hiệu"),
    ("CBQL", "Cán bộ quản lý"),
    ("CMHS", "Cha mẹ học sinh"),
    ("CNTT", "Công nghệ thông tin"),
    ("CSVC", "Cơ sở vật chất"),
    ("CTGDPT", "Chương trình giáo dục phổ thông"),
    ("ĐGN", "Đánh giá ngoài"),
    ("GD&ĐT", "Giáo dục và Đào tạo"),
    ("GDĐT", "Giáo dục và Đào tạo"),
    ("GV", "Giáo viên"),
    ("HĐT", "Hội đồng trường"),
    ("HS", "Học sinh"),
    ("KĐCLGD", "Kiểm định chất lượng giáo dục"),
    ("KHGD", "Kế hoạch giáo dục"),
    ("MN", "Mầm non"),
    ("NV", "Nhân viên"),
    ("PCCC", "Phòng cháy, chữa cháy"),
    ("PHHS", "Phụ huynh học sinh"),
    ("SGK", "Sách giáo khoa"),
    ("TDTT", "Thể dục thể thao"),
    ("TĐG", "Tự đánh giá"),
    ("TH", "Tiểu học"),
    ("THCS", "Trung học cơ sở"),
    ("THPT", "Trung học phổ thông"),
    ("TNCS", "Thanh niên Cộng sản"),
    ("TPT", "Tổng phụ trách"),
    ("UBND", "Ủy ban nhân dân"),
)
CORE_ABBREVIATIONS = frozenset({"TĐG", "KĐCLGD", "GD&ĐT"})


# -- Small formatting helpers ------------------------------------------------------------------


def paragraphs(text: str | None) -> list[str]:
    """The paragraphs of a typed text: one per non-empty line, spaces tidied."""
    if not text:
        return []
    return [re.sub(r"[ \t]+", " ", line).strip() for line in text.splitlines() if line.strip()]


def number(value: int | float | None) -> str:
    """A whole number the Vietnamese way (1.234); empty for unknown."""
    if value is None:
        return ""
    return f"{int(value):,}".replace(",", ".")


def percent(value: float | None) -> str:
    """89.3 → "89,3%" (Vietnamese decimal comma); whole numbers without decimals."""
    if value is None:
        return ""
    text = f"{value:.1f}".rstrip("0").rstrip(".")
    return text.replace(".", ",") + "%"


def date_vn(value: str | datetime.date | None) -> str:
    """"2024-09-12" → "12/09/2024"."""
    if not value:
        return ""
    if isinstance(value, str):
        try:
            value = datetime.date.fromisoformat(value[:10])
        except ValueError:
            return value
    return f"{value:%d/%m/%Y}"


def verdict_word(verdict: str | None) -> str:
    return VERDICTS.get(verdict, VERDICTS[None])


def level_word(level: int | None) -> str:
    if level is None:
        return "Chưa đánh giá"
    return LEVEL_WORDS.get(level, f"Mức {level}")


def place_name(managing_body: str, province: str) -> str:
    """The place written before the date (Nghị định 30/2020): "Đống Đa" for a school of quận Đống Đa.

    Taken from the name of the managing body ("Phòng Giáo dục và Đào tạo quận Đống Đa"); the
    province when the name says nothing usable.
    """
    match = re.search(r"\b(?:quận|huyện|thị xã|thành phố|phường|xã|thị trấn)\s+(.+)$", managing_body or "", re.I)
    if match:
        return match.group(1).strip()
    return province or ""


def regulation_name(document_number: str) -> str:
    """"18/2018/TT-BGDĐT" → "Thông tư số 18/2018/TT-BGDĐT"; a number already in words is kept."""
    number = (document_number or "").strip()
    return f"Thông tư số {number}" if number[:1].isdigit() else number


def anchor(*parts: Any) -> str:
    """A stable HTML id: "tc-1-2" for criterion 1.2."""
    return "-".join(re.sub(r"[^0-9a-z]+", "-", str(p).lower()).strip("-") for p in parts)


# -- The document ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Stamp:
    """Which content this is: a submitted version (number, hash, date) or the live draft."""

    version: int | None = None
    content_hash: str = ""
    submitted_at: datetime.datetime | None = None
    generated_at: datetime.datetime | None = None
    verify_url: str = ""

    @property
    def is_draft(self) -> bool:
        return self.version is None

    @property
    def short_hash(self) -> str:
        return self.content_hash[:16]

    @property
    def footer(self) -> str:
        if self.is_draft:
            when = f" · xuất lúc {self.generated_at:%H:%M %d/%m/%Y}" if self.generated_at else ""
            return f"{DRAFT_WATERMARK} – chưa nộp, không dùng để đối chiếu{when}"
        text = f"Phiên bản {self.version} · mã kiểm tra {self.short_hash}"
        if self.verify_url:
            text += f" · đối chiếu tại {self.verify_url}"
        return text


@dataclass
class TocEntry:
    anchor: str
    label: str
    level: int


@dataclass
class CouncilRow:
    order: int
    full_name: str
    title: str
    duty: str


@dataclass
class SummaryRow:
    label: str
    anchor: str
    # "x", "--" or "" per column: Không đạt, then Mức 1..n (or Đạt for a binary regulation).
    marks: list[str]
    assessed: bool = True


@dataclass
class SummaryStandard:
    label: str
    rows: list[SummaryRow]


@dataclass
class Level4SummaryRow:
    label: str
    met: str  # "x" or ""
    not_met: str


@dataclass
class Summary:
    columns: list[str]
    standards: list[SummaryStandard]
    level4: list[Level4SummaryRow]
    result: str
    binary: bool = False
    # The levels in one phrase for the heading ("Mức 1, 2 và 3"; "Mức 1 và 2" under TT57/2026).
    levels_phrase: str = ""


@dataclass
class HeaderCell:
    label: str
    colspan: int = 1
    rowspan: int = 1


@dataclass
class DataTable:
    number: str
    title: str
    # The header as printed: the top row (a grouped column spans its group, the others both rows)
    # and, when columns are grouped, the second row with the grouped columns' own labels.
    header_top: list[HeaderCell]
    header_bottom: list[str]
    columns: list[str]
    rows: list[DataRow]
    note: str = ""


@dataclass
class DataRow:
    label: str
    cells: list[str]
    heading: bool = False
    computed: bool = False
    indent: int = 0


@dataclass
class IndicatorText:
    label: str  # "a)" or "" when the regulation prints it without a letter
    text: str
    repealed: bool = False


@dataclass
class LevelBlock:
    level: int
    title: str  # "Mức 1"
    indicators: list[IndicatorText]


@dataclass
class StateItem:
    label: str
    paragraphs: list[str]
    empty: bool = False


@dataclass
class StateBlock:
    title: str
    items: list[StateItem]


@dataclass
class PlanItem:
    action: str
    responsible: str
    period: str
    resources: str
    expected_result: str

    @property
    def line(self) -> str:
        """One sentence: "action; người, bộ phận thực hiện: …; thời gian: …; …." (one final full stop)."""
        parts = [self.action]
        if self.responsible:
            parts.append(f"người, bộ phận thực hiện: {self.responsible}")
        if self.period:
            parts.append(f"thời gian: {self.period}")
        if self.resources:
            parts.append(f"nguồn lực, kinh phí: {self.resources}")
        if self.expected_result:
            parts.append(f"kết quả dự kiến: {self.expected_result}")
        return "; ".join(p.strip().rstrip(".;").strip() for p in parts if p.strip()) + "."


@dataclass
class VerdictTable:
    columns: list[str]  # "Mức 1", "Mức 2", "Mức 3"
    rows: list[list[str]]  # one row per indicator letter: "a) Đạt" / "" / "--"
    totals: list[str]  # per level: "Đạt" / "Không đạt" / "--"


@dataclass
class CriterionSection:
    number: str
    title: str
    anchor: str
    heading: str
    levels: list[LevelBlock]
    state: list[StateBlock]
    strengths: list[str]
    weaknesses: list[str]
    plan: list[PlanItem]
    verdicts: VerdictTable
    result: str  # "Đạt Mức 2" / "Không đạt"
    explanation: list[str]
    assessed: bool = True


@dataclass
class StandardSection:
    number: int
    title: str
    anchor: str
    heading: str
    opening: list[str]
    criteria: list[CriterionSection]
    conclusion: list[str]


@dataclass
class Level4Section:
    number: int
    heading: str
    anchor: str
    article: str
    text: str
    state: list[str]
    strengths: list[str]
    weaknesses: list[str]
    plan: list[PlanItem]
    result: str


@dataclass
class EvidenceRow:
    order: int
    code: str
    name: str
    issued: str
    issuer: str
    note: str
    criterion: str
    sha256: str = ""
    # TT57's fourth column: "Định dạng, vị trí lưu trữ hoặc đường dẫn điện tử".
    storage: str = ""


@dataclass
class EvidenceGroup:
    label: str  # "Tiêu chuẩn 1" / "Tiêu chí 1.1"
    level: int  # 1 standard, 2 criterion
    rows: list[EvidenceRow]


@dataclass
class ReportDocument:
    stamp: Stamp
    school_name: str
    school_code: str
    school_level: str
    managing_body: str
    department: str
    province: str
    place: str
    year: str
    school_year: str
    kind_label: str
    regulation_code: str
    regulation_title: str
    regulation_document: str
    principal: str
    council_decision: str
    council: list[CouncilRow]
    abbreviations: list[tuple[str, str]]
    summary: Summary
    facts: list[tuple[str, str]]
    data_tables: list[DataTable]
    introduction: list[str]
    standards: list[StandardSection]
    assessment_heading: str
    level4: list[Level4Section]
    conclusion: list[str]
    counts: list[str]
    school_result: str
    proposal: str
    explanation: list[str]
    signature_date: str
    evidence: list[EvidenceGroup]
    evidence_count: int
    cited_codes: list[str]
    missing_codes: list[str]
    toc: list[TocEntry] = field(default_factory=list)
    # The evidence list in TT57's five columns (Phụ lục IV) instead of the 2018 six.
    evidence_tt57: bool = False

    @property
    def title(self) -> str:
        return f"Báo cáo tự đánh giá – {self.school_name} – năm học {self.school_year}"

    @property
    def file_stem(self) -> str:
        suffix = "ban-nhap" if self.stamp.is_draft else f"v{self.stamp.version}"
        return f"bao-cao-tu-danh-gia-{slug(self.school_code)}-{self.school_year}-{suffix}"

    def criteria(self) -> Iterable[CriterionSection]:
        for standard in self.standards:
            yield from standard.criteria


def slug(text: str) -> str:
    """ASCII file-name part: "DDA-THCS-01" → "dda-thcs-01", Vietnamese letters folded."""
    import unicodedata

    folded = unicodedata.normalize("NFD", (text or "").replace("đ", "d").replace("Đ", "D"))
    ascii_text = "".join(ch for ch in folded if not unicodedata.combining(ch))
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "tep"


# -- Building ----------------------------------------------------------------------------------


def _council(council: Mapping[str, Any]) -> list[CouncilRow]:
    rows = []
    for index, member in enumerate(council.get("members") or [], start=1):
        duty = member.get("role_label") or ""
        extra = (member.get("duty") or "").strip()
        if extra and extra.lower() not in duty.lower():
            duty = f"{duty}, {extra}" if duty else extra
        rows.append(CouncilRow(index, member.get("full_name", ""), member.get("title", ""), duty))
    return rows


def family_labels(regulation: Mapping[str, Any], level_count: Any = None) -> FamilyLabels:
    """The level names of the regulation's rule family (``standards.engine``).

    The report dict names its family; a frozen version serialised before it did (or one whose
    catalog was loaded with another level count) only has its level count, which then stands for
    the family it always meant (1: legacy, else Mức 1..n).
    """
    count = level_count or regulation.get("level_count")
    family = regulation.get("family")
    if family:
        try:
            labels = get_family(str(family)).labels
        except EngineError:
            labels = None
        if labels is not None and (not count or int(count) == labels.top_level):
            return labels
    count = int(count or 3)
    return BINARY if count == 1 else graded(count)


def _summary(data: Mapping[str, Any]) -> Summary:
    summary = data.get("summary") or {}
    labels = family_labels(data.get("regulation") or {}, summary.get("level_count"))
    binary = labels.binary
    level_count = labels.top_level
    columns = list(labels.summary_columns)
    titles = {s["number"]: s.get("title", "") for s in (data.get("part2") or {}).get("standards") or []}
    standards: dict[Any, SummaryStandard] = {}
    for row in summary.get("criteria") or []:
        number_ = row["standard"]
        group = standards.get(number_)
        if group is None:
            title = titles.get(number_, "")
            group = SummaryStandard(f"Tiêu chuẩn {number_}" + (f": {title}" if title else ""), [])
            standards[number_] = group
        level = row.get("level")
        assessed = row.get("assessed", True)
        available = set(row.get("levels_available") or range(1, level_count + 1))
        if not assessed:
            marks = [""] + [NO_LEVEL] * (len(columns) - 1)
        elif binary:
            marks = ["" if level else MARK, MARK if level else ""]
        else:
            # Levels are cumulative: a criterion at Mức 2 is marked under Mức 1 and Mức 2.
            marks = [MARK if not level else ""]
            for lv in range(1, level_count + 1):
                if lv not in available:
                    marks.append(NO_LEVEL)
                else:
                    marks.append(MARK if level and level >= lv else "")
        group.rows.append(SummaryRow(f"Tiêu chí {row['criterion']}", anchor("tc", row["criterion"]), marks, assessed))
    level4 = []
    for item in summary.get("level4") or []:
        verdict = item.get("verdict")
        level4.append(
            Level4SummaryRow(f"Yêu cầu {item['number']}", MARK if verdict == "dat" else "",
                             MARK if verdict == "khong_dat" else "")
        )
    part3 = data.get("part3") or {}
    return Summary(columns, list(standards.values()), level4, _school_result(part3, binary), binary,
                   labels.levels_phrase)


def _school_result(part3: Mapping[str, Any], binary: bool = False) -> str:
    level = part3.get("school_level")
    if binary:
        accreditation = part3.get("accreditation_level")
        return f"Đạt Cấp độ {accreditation}" if accreditation else "Chưa đạt Cấp độ 1"
    if level is None:
        return "Chưa xác định"
    return f"Đạt Mức {level}" if level else "Không đạt Mức 1"


def _facts(school: Mapping[str, Any], regulation: Mapping[str, Any], part1: Mapping[str, Any]) -> list[tuple[str, str]]:
    yes_no = {True: "Có", False: "Không"}
    former = ", ".join(school.get("former_names") or [])
    address = ", ".join(p for p in (school.get("address"), school.get("ward")) if p)
    facts = [
        ("Tên trường (theo quyết định thành lập)", school.get("name", "")),
        ("Tên trước đây (nếu có)", former or "Không"),
        ("Cơ quan chủ quản", school.get("managing_body", "")),
        ("Tỉnh/thành phố", school.get("province", "")),
        ("Địa chỉ", address),
        ("Cấp học", school.get("level_label", "")),
        ("Loại hình", school.get("ownership_label", "")),
        ("Năm thành lập", str(school.get("founding_year") or "")),
        ("Số điểm trường", str(school.get("sites_count") or "")),
        ("Thuộc vùng khó khăn", yes_no.get(bool(school.get("difficult_area")), "")),
        ("Thuộc vùng đặc biệt khó khăn", yes_no.get(bool(school.get("especially_difficult_area")), "")),
        ("Điện thoại", school.get("phone", "")),
        ("Email", school.get("email", "")),
        ("Website", school.get("website", "")),
        ("Họ và tên hiệu trưởng", school.get("principal", "")),
    ]
    cohorts = part1.get("completed_cohorts")
    if cohorts is not None:
        facts.append(("Số khóa học sinh đã hoàn thành chương trình", str(cohorts)))
    return facts


def _data_tables(part1: Mapping[str, Any]) -> list[DataTable]:
    tables = []
    for index, table in enumerate(part1.get("tables") or [], start=1):
        columns = table.get("columns") or []
        labels = [c.get("label", "") for c in columns]
        grouped = any(c.get("group") for c in columns)
        top: list[HeaderCell] = [HeaderCell("Nội dung", rowspan=2 if grouped else 1)]
        bottom: list[str] = []
        for column in columns:
            group = column.get("group") or ""
            if not group:
                top.append(HeaderCell(column.get("label", ""), rowspan=2 if grouped else 1))
                continue
            if top[-1].label == group and top[-1].rowspan == 1 and len(top) > 1:
                top[-1].colspan += 1
            else:
                top.append(HeaderCell(group))
            bottom.append(column.get("label", ""))
        rows = []
        for row in table.get("rows") or []:
            cells = [] if row.get("heading") else [number(v) for v in row.get("values") or []]
            rows.append(DataRow(row.get("label", ""), cells, bool(row.get("heading")), bool(row.get("computed")),
                                int(row.get("indent") or 0)))
        tables.append(DataTable(str(index), table.get("title", ""), top, bottom, labels, rows, table.get("note", "")))
    return tables


def _plan(actions: Sequence[Mapping[str, Any]]) -> list[PlanItem]:
    items = []
    for action in actions or []:
        if action.get("status") == "dropped":
            continue
        start, due = date_vn(action.get("start_on")), date_vn(action.get("due_on"))
        period = f"từ {start} đến {due}" if start and due else (f"từ {start}" if start else (f"đến {due}" if due else ""))
        items.append(PlanItem(action.get("action", ""), action.get("responsible", ""), period,
                              action.get("resources", ""), action.get("expected_result", "")))
    return items


def _indicator_label(indicator: Mapping[str, Any]) -> str:
    return "" if indicator.get("unlettered") else f"{indicator.get('key', '')})"


def _criterion(criterion: Mapping[str, Any], level_count: int) -> CriterionSection:
    number_ = criterion["number"]
    blocks, state, columns = [], [], []
    per_level: list[list[Mapping[str, Any]]] = []
    for block in criterion.get("levels") or []:
        level = block["level"]
        indicators = block.get("indicators") or []
        title = f"Mức {level}"
        blocks.append(LevelBlock(level, title, [
            IndicatorText(_indicator_label(i), i.get("text", ""), bool(i.get("repealed"))) for i in indicators
        ]))
        in_force = [i for i in indicators if not i.get("repealed")]
        if in_force:
            state.append(StateBlock(title, [
                StateItem(_indicator_label(i), paragraphs(i.get("current_state")), not paragraphs(i.get("current_state")))
                for i in in_force
            ]))
        columns.append(title)
        per_level.append(in_force)
    height = max((len(items) for items in per_level), default=0)
    rows = []
    for position in range(height):
        row = []
        for items in per_level:
            if position < len(items):
                item = items[position]
                label = _indicator_label(item)
                word = verdict_word(item.get("verdict"))
                row.append(f"{label} {word}".strip() if label else word)
            else:
                row.append("")
        rows.append(row)
    totals = []
    for items in per_level:
        if not items:
            totals.append(NO_LEVEL)
        elif all(i.get("verdict") == "dat" for i in items):
            totals.append("Đạt")
        elif any(i.get("verdict") is None for i in items):
            totals.append("Chưa đánh giá")
        else:
            totals.append("Không đạt")
    level = criterion.get("level")
    assessed = criterion.get("assessed", True)
    if not assessed:
        result = "Không đánh giá (các chỉ báo đã bị bãi bỏ)"
    elif level_count == 1:
        result = "Đạt" if level else "Không đạt"
    else:
        result = f"Đạt Mức {level}" if level else "Không đạt"
    return CriterionSection(
        number=number_,
        title=criterion.get("title", ""),
        anchor=anchor("tc", number_),
        heading=f"Tiêu chí {number_}: {criterion.get('title', '')}".rstrip(": "),
        levels=blocks,
        state=state,
        strengths=paragraphs(criterion.get("strengths")),
        weaknesses=paragraphs(criterion.get("weaknesses")),
        plan=_plan(criterion.get("improvement_plan") or []),
        verdicts=VerdictTable(columns, rows, totals),
        result=result,
        explanation=list(criterion.get("explanation") or []),
        assessed=assessed,
    )


def _level4(item: Mapping[str, Any]) -> Level4Section:
    number_ = item["number"]
    verdict = item.get("verdict")
    return Level4Section(
        number=number_,
        heading=f"Yêu cầu {number_}" + (f" ({item['article']})" if item.get("article") else ""),
        anchor=anchor("muc4", number_),
        article=item.get("article", ""),
        text=item.get("text", ""),
        state=paragraphs(item.get("current_state")),
        strengths=paragraphs(item.get("strengths")),
        weaknesses=paragraphs(item.get("weaknesses")),
        plan=_plan(item.get("improvement_plan") or []),
        result=verdict_word(verdict),
    )


def _counts(part3: Mapping[str, Any], level_count: int, level4: Sequence[Mapping[str, Any]]) -> list[str]:
    lines = []
    total = part3.get("criteria_total") or 0
    counts = {row["level"]: row for row in part3.get("counts") or []}
    if level_count == 1:
        met = (counts.get(1) or {}).get("count", 0)
        lines.append(f"Số lượng và tỉ lệ (%) tiêu chí đạt: {met}/{total} ({percent(100 * met / total if total else 0)}).")
        lines.append(
            f"Số lượng và tỉ lệ (%) tiêu chí không đạt: {total - met}/{total} "
            f"({percent(100 * (total - met) / total if total else 0)})."
        )
        return lines
    for level in range(1, level_count + 1):
        row = counts.get(level) or {}
        at_least = row.get("at_least", 0)
        share = row.get("at_least_percent", 100 * at_least / total if total else 0)
        lines.append(
            f"Số lượng và tỉ lệ (%) tiêu chí đạt Mức {level}: {at_least}/{total} ({percent(share)}); "
            f"không đạt Mức {level}: {total - at_least}/{total} ({percent(100 - share if total else 0)})."
        )
    if level4:
        met = sum(1 for i in level4 if i.get("verdict") == "dat")
        lines.append(f"Số lượng yêu cầu Mức 4 đạt: {met}/{len(level4)}.")
    return lines


def _proposal(part3: Mapping[str, Any], binary: bool) -> str:
    accreditation = part3.get("accreditation_level")
    national = part3.get("national_standard")
    if accreditation:
        text = f"Nhà trường đề nghị đạt kiểm định chất lượng giáo dục Cấp độ {accreditation}"
        if national:
            text += f" và công nhận đạt chuẩn quốc gia Mức độ {national}"
        return text + "."
    if accreditation is None and not binary:
        return "Chưa đủ căn cứ để đề nghị cấp độ kiểm định chất lượng giáo dục."
    return "Nhà trường chưa đủ điều kiện đề nghị công nhận đạt kiểm định chất lượng giáo dục."


def evidence_list_is_tt57(data: Mapping[str, Any]) -> bool:
    """Whether the report's regulation cites its evidence the TT57 way (round brackets, MC codes)."""
    regulation = data.get("regulation") or {}
    try:
        scheme = resolve_scheme(regulation.get("evidence_code_scheme") or "", family=regulation.get("family") or "")
    except UnknownSchemeError:
        return False
    return scheme.style == ROUND


def evidence_storage(item: Mapping[str, Any]) -> str:
    """TT57's "Định dạng, vị trí lưu trữ hoặc đường dẫn điện tử": the file's format and name, the link, the box."""
    lines = []
    file = item.get("file") or {}
    if file.get("name"):
        kind = KIND_BY_MIME.get(file.get("content_type") or "")
        lines.append(f"{kind.label if kind else 'Tệp'}: {file['name']}")
    if item.get("link"):
        lines.append(str(item["link"]))
    if item.get("box"):
        lines.append(f"Bản giấy: hộp {item['box']}")
    return "\n".join(lines)


def _evidence(items: Sequence[Mapping[str, Any]], standard_titles: Mapping[int, str]) -> list[EvidenceGroup]:
    groups: list[EvidenceGroup] = []
    seen_standard = None
    current = None
    for item in items:
        criterion = str(item.get("criterion") or "")
        standard = criterion.split(".", 1)[0] if criterion else ""
        if standard and standard != seen_standard:
            seen_standard = standard
            title = standard_titles.get(int(standard)) if standard.isdigit() else ""
            groups.append(EvidenceGroup(f"Tiêu chuẩn {standard}" + (f": {title}" if title else ""), 1, []))
        if current is None or current.label != f"Tiêu chí {criterion}":
            current = EvidenceGroup(f"Tiêu chí {criterion}" if criterion else "Minh chứng chung", 2, [])
            groups.append(current)
        note = item.get("note") or ""
        if item.get("valid_until"):
            note = "; ".join(p for p in (note, f"hiệu lực đến {date_vn(item['valid_until'])}") if p)
        file = item.get("file") or {}
        issued = item.get("issued") or ", ".join(
            p for p in (item.get("issued_number"), date_vn(item.get("issued_on")), item.get("issued_period")) if p
        )
        current.rows.append(EvidenceRow(
            order=0, code=item.get("code", ""), name=item.get("name", ""), issued=issued,
            issuer=item.get("issuer", ""), note=note, criterion=criterion, sha256=file.get("sha256", ""),
            storage=evidence_storage(item),
        ))
    order = 0
    for group in groups:
        for row in group.rows:
            order += 1
            row.order = order
    return groups


def cited_codes(data: Mapping[str, Any]) -> list[str]:
    """Every evidence code the report's Phần II cites, in order of first citation."""
    seen: dict[str, None] = {}
    part2 = data.get("part2") or {}
    for standard in part2.get("standards") or []:
        for criterion in standard.get("criteria") or []:
            for block in criterion.get("levels") or []:
                for indicator in block.get("indicators") or []:
                    for code in indicator.get("evidence") or []:
                        seen.setdefault(code.upper(), None)
    for item in part2.get("level4") or []:
        for code in item.get("evidence") or []:
            seen.setdefault(code.upper(), None)
    return list(seen)


def _abbreviations(data: Mapping[str, Any]) -> list[tuple[str, str]]:
    texts: list[str] = []

    def walk(value):
        if isinstance(value, str):
            texts.append(value)
        elif isinstance(value, Mapping):
            for v in value.values():
                walk(v)
        elif isinstance(value, list):
            for v in value:
                walk(v)

    walk(data.get("part2"))
    walk((data.get("part3") or {}).get("conclusion"))
    walk(data.get("plan"))
    corpus = "\n".join(texts)
    used = []
    for short, long in ABBREVIATIONS:
        if short in CORE_ABBREVIATIONS or re.search(rf"(?<![\w&]){re.escape(short)}(?![\w&])", corpus):
            used.append((short, long))
    return used


def _toc(document: ReportDocument) -> list[TocEntry]:
    toc = [
        TocEntry("viet-tat", "Danh mục các chữ viết tắt", 1),
        TocEntry("tong-hop", "Bảng tổng hợp kết quả tự đánh giá", 1),
        TocEntry("phan-1", "Phần I. CƠ SỞ DỮ LIỆU", 1),
        TocEntry("phan-2", "Phần II. TỰ ĐÁNH GIÁ", 1),
        TocEntry("dat-van-de", "A. ĐẶT VẤN ĐỀ", 2),
        TocEntry("tu-danh-gia", "B. TỰ ĐÁNH GIÁ", 2),
        TocEntry("muc-1-3", document.assessment_heading, 2),
    ]
    for standard in document.standards:
        toc.append(TocEntry(standard.anchor, standard.heading, 3))
    if document.level4:
        toc.append(TocEntry("muc-4", "II. TỰ ĐÁNH GIÁ TIÊU CHÍ MỨC 4", 2))
    toc.append(TocEntry("phan-3", "Phần III. KẾT LUẬN CHUNG", 1))
    toc.append(TocEntry("phu-luc", "Phụ lục. DANH MỤC MÃ MINH CHỨNG", 1))
    return toc


def build_report_document(data: Mapping[str, Any], stamp: Stamp | None = None) -> ReportDocument:
    """Lay out a report dict as the Ministry's document (see the module docstring)."""
    stamp = stamp or Stamp()
    school = data.get("school") or {}
    regulation = data.get("regulation") or {}
    report = data.get("report") or {}
    part1 = data.get("part1") or {}
    part2 = data.get("part2") or {}
    part3 = data.get("part3") or {}
    council = data.get("council") or {}
    labels = family_labels(regulation)
    level_count = labels.top_level
    binary = labels.binary
    school_year = report.get("school_year", "")
    # The cover's year is the year the report is finished: the end of the school year.
    year = school_year[-4:] if len(school_year) >= 9 else school_year
    if stamp.submitted_at is not None:
        year = f"{stamp.submitted_at:%Y}"
    standards = []
    for standard in part2.get("standards") or []:
        number_ = standard["number"]
        standards.append(StandardSection(
            number=number_,
            title=standard.get("title", ""),
            anchor=anchor("tchuan", number_),
            heading=f"Tiêu chuẩn {number_}: {standard.get('title', '')}".rstrip(": "),
            opening=paragraphs(standard.get("opening")),
            criteria=[_criterion(c, level_count) for c in standard.get("criteria") or []],
            conclusion=paragraphs(standard.get("conclusion")),
        ))
    level4 = part2.get("level4") or []
    evidence_items = data.get("evidence") or []
    known = {str(i.get("code", "")).upper() for i in evidence_items}
    cited = cited_codes(data)
    decision = ""
    if council.get("decision_number"):
        decision = f"Quyết định số {council['decision_number']}"
        if council.get("decision_date"):
            decision += f" ngày {date_vn(council['decision_date'])}"
    if stamp.submitted_at is not None:
        day = stamp.submitted_at
        signature_date = f"ngày {day:%d} tháng {day:%m} năm {day:%Y}"
    else:
        signature_date = f"ngày\u00a0\u00a0\u00a0\u00a0\u00a0 tháng\u00a0\u00a0\u00a0\u00a0\u00a0 năm {year}"
    if binary:
        heading = "I. TỰ ĐÁNH GIÁ THEO CÁC TIÊU CHÍ"
    else:
        heading = "I. TỰ ĐÁNH GIÁ TIÊU CHÍ " + labels.levels_phrase.upper()
    document = ReportDocument(
        stamp=stamp,
        school_name=school.get("name", ""),
        school_code=school.get("code", ""),
        school_level=school.get("level_label", ""),
        managing_body=school.get("managing_body", ""),
        department=school.get("department", ""),
        province=school.get("province", ""),
        place=place_name(school.get("managing_body", ""), school.get("province", "")),
        year=year,
        school_year=school_year,
        kind_label=report.get("kind_label", ""),
        regulation_code=regulation.get("code", ""),
        regulation_title=regulation.get("title", ""),
        regulation_document=regulation_name(regulation.get("document_number", "")),
        principal=school.get("principal", ""),
        council_decision=decision,
        council=_council(council),
        abbreviations=_abbreviations(data),
        summary=_summary(data),
        facts=_facts(school, regulation, part1),
        data_tables=_data_tables(part1),
        introduction=paragraphs(part2.get("introduction")),
        standards=standards,
        assessment_heading=heading,
        level4=[_level4(i) for i in level4],
        conclusion=paragraphs(part3.get("conclusion")),
        counts=_counts(part3, level_count, level4),
        school_result=_school_result(part3, binary),
        proposal=_proposal(part3, binary),
        explanation=list(part3.get("explanation") or []),
        signature_date=signature_date,
        evidence=_evidence(evidence_items, {s.number: s.title for s in standards}),
        evidence_count=len(evidence_items),
        cited_codes=cited,
        missing_codes=[c for c in cited if c not in known],
        evidence_tt57=evidence_list_is_tt57(data),
    )
    document.toc = _toc(document)
    return document
