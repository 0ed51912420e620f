"""The self-assessment report under Thông tư 57/2026 (Biểu 1 of Phụ lục V): structure and reads.

A TT57 report is an ordinary ``Report`` whose regulation belongs to the rule family "2026". Each
criterion has two levels, each one requirement, i.e. one catalog ``Indicator`` per level; so the
"Đạt / Không đạt" of a level is that indicator's ``IndicatorVerdict`` and its "Mô tả hiện trạng"
that indicator's ``Passage`` (key ``indicator:1.1:1:a``), and the levels are computed by the
engine and cached as for every report. What differs is the set of texts (Phần I Tổng quan, the
assessment written per standard instead of per criterion, Phần III's proposals) and the pages.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy as _

from evidence import codes
from standards.models import Criterion, Indicator, Standard

from .models import CriterionAssessment, IndicatorVerdict, Passage, Report
from .selectors import evidence_codes, indicator_key, standard_key

FAMILY = "2026"

# Phần I. Tổng quan (Biểu 1): (key, heading, help). The headings are the form's own.
OVERVIEW_PARTS: tuple[tuple[str, Any, Any], ...] = (
    ("general", _("1. Thông tin chung"), _(
        "Tên cơ sở giáo dục; địa chỉ, thông tin liên hệ; cơ quan quản lý trực tiếp; loại hình và cấp học; năm thành lập; "
        "quy mô nhà trường năm học (số lớp, số học sinh, cán bộ quản lý, giáo viên, nhân sự hỗ trợ giáo dục).")),
    ("context_local", _("2a. Điều kiện kinh tế - xã hội địa phương"), ""),
    ("context_advantages", _("2b. Thuận lợi"), ""),
    ("context_difficulties", _("2c. Khó khăn"), ""),
    ("context_learners", _("2d. Đặc điểm người học"), ""),
    ("purpose", _("3a. Mục đích tự đánh giá"), ""),
    ("scope", _("3b. Phạm vi tự đánh giá"), ""),
    ("time", _("3c. Thời gian thực hiện tự đánh giá"), ""),
    ("process_plan", _("4a. Lập kế hoạch tự đánh giá"), ""),
    ("process_organisation", _("4b. Tổ chức thực hiện"), ""),
    ("process_analysis", _("4c. Kiểm tra, phân tích"), ""),
    ("process_confirmation", _("4d. Tổng hợp và xác nhận kết quả tự đánh giá"), ""),
)
# Đánh giá chung về Tiêu chuẩn n (Biểu 1 Phần II): (part, heading).
STANDARD_PARTS: tuple[tuple[str, Any], ...] = (
    ("strengths", _("1. Điểm mạnh nổi bật")),
    ("weaknesses", _("2. Điểm hạn chế trọng tâm và nguyên nhân cốt lõi")),
    ("trend", _("3a. Phân tích chung về xu hướng chất lượng của Tiêu chuẩn trong 03 năm học liên tiếp")),
    ("priorities", _("3b. Các vấn đề trọng tâm cần ưu tiên cải tiến")),
)
# Phần III. 4. Đề xuất, kiến nghị.
PROPOSAL_PARTS: tuple[tuple[str, Any], ...] = (
    ("managing_body", _("a) Với cơ quan quản lý")),
    ("commune", _("b) Với Ủy ban nhân dân cấp xã (cơ quan chủ quản)")),
    ("others", _("c) Với tổ chức, cá nhân liên quan (nếu có)")),
)
# The printed sentence of Phần I mục 3.c (report_forms.bieu_1, per S3b).
TIME_PRINTED = "Tự đánh giá được thực hiện định kỳ hằng năm, gắn với chu kỳ kế hoạch năm học của cơ sở giáo dục."


def overview_key(part: str) -> str:
    return f"overview:{part}"


def proposal_key(part: str) -> str:
    return f"proposal:{part}"


def is_tt57(report: Report) -> bool:
    """Whether the report is assessed under TT57/2026 (the rule family "2026")."""
    return report.regulation_version.regulation.family == FAMILY


def is_tt57_version(version) -> bool:
    return version.regulation.family == FAMILY


# --- Structure ----------------------------------------------------------------------------------


def desired_passages(standards, criteria, indicators) -> list[dict[str, Any]]:
    """Every text of a TT57 report in Biểu 1 order, with the catalog rows it belongs to."""
    rows: list[dict[str, Any]] = [{"key": overview_key(k), "kind": Passage.Kind.OVERVIEW} for k, _l, _h in OVERVIEW_PARTS]
    by_criterion: dict[int, list[Indicator]] = defaultdict(list)
    for indicator in indicators:
        by_criterion[indicator.criterion_id].append(indicator)
    for standard in standards:
        for criterion in (c for c in criteria if c.standard_id == standard.pk):
            for indicator in by_criterion.get(criterion.pk, []):
                rows.append({"key": indicator_key(criterion.number, indicator.level, indicator.key),
                             "kind": Passage.Kind.CURRENT_STATE, "standard": standard, "criterion": criterion,
                             "indicator": indicator})
        for part, _label in STANDARD_PARTS:
            rows.append({"key": standard_key(standard.number, part), "kind": Passage.Kind.STANDARD_ASSESSMENT,
                         "standard": standard})
    rows.append({"key": "conclusion", "kind": Passage.Kind.CONCLUSION})
    rows += [{"key": proposal_key(k), "kind": Passage.Kind.PROPOSAL} for k, _l in PROPOSAL_PARTS]
    for position, row in enumerate(rows, start=1):
        row["position"] = position * 10
    return rows


def general_information(report: Report) -> str:
    """Phần I mục 1 as the school's record gives it (the first draft of the text, to be completed)."""
    school = report.school
    unit = school.reviewing_unit
    lines = [
        f"a) Tên cơ sở giáo dục: {school.name}",
        f"b) Địa chỉ: {school.address or '…'}{', ' + school.ward if school.ward else ''}; điện thoại: {school.phone or '…'}; "
        f"email: {school.email or '…'}; website: {school.website or '…'}",
        f"c) Cơ quan quản lý trực tiếp: {unit.name if unit else '…'}",
        f"d) Loại hình và cấp học: {school.get_ownership_display()}, {school.get_level_display()}",
        f"đ) Năm thành lập: {school.founding_year or '…'}",
        f"e) Quy mô nhà trường năm học {report.school_year.code}: số lớp …; số học sinh …; cán bộ quản lý …; "
        "giáo viên …; nhân sự hỗ trợ giáo dục …",
    ]
    return "\n".join(lines)


def initial_texts(report: Report) -> dict[str, str]:
    """Texts a new TT57 report starts with: what the school's record and the printed form already say."""
    return {overview_key("general"): general_information(report), overview_key("time"): TIME_PRINTED}


# --- Reads --------------------------------------------------------------------------------------


def citation_scheme(report: Report):
    """The evidence-code scheme of the report's regulation (MC for TT57), or None if unknown."""
    try:
        return codes.resolve_scheme(report.regulation_version.regulation.evidence_code_scheme or None,
                                    family=report.regulation_version.regulation.family)
    except codes.UnknownSchemeError:
        return None


def find_citations(report: Report, text: str, scheme=None) -> list[str]:
    scheme = scheme if scheme is not None else citation_scheme(report)
    return codes.find_citations(text, scheme) if scheme is not None else codes.find_citations(text)


_WORD = re.compile(r"\w+", re.UNICODE)
# Words that say nothing about what a document is.
_STOP = frozenset(
    "và của các cho theo trong với về được có là hoặc khi đã những một tại từ đến nhà trường cơ sở giáo dục "
    "hồ sơ kết quả thực hiện".split()
)


def _fold(text: str) -> str:
    """Lower case without diacritics (đ → d), so "Kế hoạch" matches "ke hoach"."""
    text = unicodedata.normalize("NFD", (text or "").lower().replace("đ", "d"))
    return "".join(ch for ch in text if unicodedata.category(ch) != "Mn")


def key_words(text: str) -> set[tuple[str, str]]:
    """The pairs of consecutive meaningful words of a text (Vietnamese words are mostly two syllables)."""
    words = [_fold(w) for w in _WORD.findall(text or "")]
    stop = {_fold(w) for w in _STOP}
    words = [w for w in words if w not in stop and not w.isdigit()]
    return {(a, b) for a, b in zip(words, words[1:], strict=False)}


def hint_matches(hint: str, evidence_names: dict[str, str]) -> list[str]:
    """Codes of the cited evidence whose name shares a two-word term with the hint.

    Simple on purpose, so that a principal sees why: "Kế hoạch năm học…" is covered by an item named
    "Kế hoạch năm học 2026-2027" because both contain "kế hoạch" (and "năm học").
    """
    wanted = key_words(hint)
    if not wanted:
        return []
    return [code for code, name in evidence_names.items() if wanted & key_words(name)]


@dataclass
class Hint:
    index: int
    text: str
    matched: list[str]
    ticked: bool

    @property
    def covered(self) -> bool:
        return bool(self.matched) or self.ticked


@dataclass
class LevelEntry:
    level: int
    indicator: Indicator
    passage: Passage | None
    verdict: IndicatorVerdict | None
    form_item: dict | None = None
    warnings: list = field(default_factory=list)

    @property
    def met(self) -> bool | None:
        return self.verdict.met if self.verdict else None


@dataclass
class QuantRow:
    index: int
    label: str
    values: list[tuple[str, str | None]]  # (school year, value) for the three years, oldest first


@dataclass
class CriterionPage:
    criterion: Criterion
    assessment: CriterionAssessment
    levels: list[LevelEntry]
    hints: list[Hint]
    cited: dict[str, Any]  # code -> Evidence (only those found), in citation order
    unknown_codes: list[str]
    quantitative: list[QuantRow]
    years: list[str]


def criterion_page(report: Report, assessment: CriterionAssessment, *, quant_values: dict | None = None,
                   years: list[str] | None = None) -> CriterionPage:
    """Everything the TT57 criterion page shows of one criterion (a fixed number of queries)."""
    criterion = assessment.criterion
    indicators = list(Indicator.objects.filter(criterion=criterion, is_repealed=False).defer("source").order_by("level", "position"))
    passages = {}
    for p in Passage.objects.filter(report=report, criterion=criterion).select_related("updated_by"):
        p.report = report
        passages[p.key] = p
    verdicts = {v.indicator_id: v for v in IndicatorVerdict.objects.filter(report=report, indicator__criterion=criterion)}
    levels = [
        LevelEntry(i.level, i, passages.get(indicator_key(criterion.number, i.level, i.key)), verdicts.get(i.pk))
        for i in indicators
    ]
    scheme = citation_scheme(report)
    cited_codes = list(dict.fromkeys(code for e in levels if e.passage and e.passage.text
                                     for code in find_citations(report, e.passage.text, scheme)))
    # With what the citation warnings read (criteria, shared criteria), in a fixed number of queries.
    found = evidence_codes(report, set(cited_codes))
    cited = {code: found[code] for code in cited_codes if code in found}
    names = {code: item.name for code, item in cited.items() if not item.is_archived}
    ticked = set(assessment.hints_covered or [])
    hints = [Hint(i, text, hint_matches(text, names), i in ticked) for i, text in enumerate(criterion.evidence_hints or [])]
    years = years or []
    quant_values = quant_values or {}
    quantitative = [
        QuantRow(i, label, [(y, quant_values.get(quant_row_key(criterion.number, i), {}).get(y)) for y in years])
        for i, label in enumerate(criterion.quantitative_indicators or [])
    ]
    return CriterionPage(criterion, assessment, levels, hints, cited, [c for c in cited_codes if c not in found],
                         quantitative, years)


def quant_row_key(criterion_number: str, index: int) -> str:
    """The data form's row of a criterion's quantitative indicator (Phần IV, mục 5)."""
    return f"q_{criterion_number.replace('.', '_')}_{index}"


@dataclass
class SummaryCriterion:
    criterion: Criterion
    level: int | None


@dataclass
class SummaryStandard:
    standard: Standard
    criteria: list[SummaryCriterion]

    def _count(self, level: int) -> int:
        return sum(1 for c in self.criteria if c.level == level)

    @property
    def total(self) -> int:
        return len(self.criteria)

    @property
    def counts(self) -> list[dict[str, Any]]:
        """Không đạt, Mức 1, Mức 2: number and share of the standard's criteria (Bảng tổng hợp chung)."""
        return [{"level": lv, "count": self._count(lv),
                 "percent": round(100 * self._count(lv) / self.total, 1) if self.total else 0.0} for lv in (0, 1, 2)]

    @property
    def unassessed(self) -> int:
        return sum(1 for c in self.criteria if c.level is None)


def summary(report: Report) -> list[SummaryStandard]:
    """Per standard, its criteria with their computed levels (one query)."""
    rows: list[SummaryStandard] = []
    by_standard: dict[int, SummaryStandard] = {}
    assessments = (
        CriterionAssessment.objects.filter(report=report)
        .select_related("criterion__standard")
        .defer("criterion__source", "criterion__standard__source")
        .order_by("position")
    )
    for a in assessments:
        standard = a.criterion.standard
        if standard.pk not in by_standard:
            by_standard[standard.pk] = SummaryStandard(standard, [])
            rows.append(by_standard[standard.pk])
        by_standard[standard.pk].criteria.append(SummaryCriterion(a.criterion, a.level))
    return rows


def summary_totals(rows: list[SummaryStandard]) -> dict[str, Any]:
    """The "Cộng chung" row over every standard."""
    total = sum(r.total for r in rows)
    counts = []
    for lv in (0, 1, 2):
        n = sum(1 for r in rows for c in r.criteria if c.level == lv)
        counts.append({"level": lv, "count": n, "percent": round(100 * n / total, 1) if total else 0.0})
    return {"total": total, "counts": counts}
