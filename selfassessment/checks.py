"""Consistency checks of a report (kiểm tra tính nhất quán), run before submitting and on demand.

Each check is a function of the loaded report (``selectors.ReportContent``), the school's
evidence and last year's texts; it reads, never writes, and returns ``Problem``s that say what is
wrong and link to where it is. Severity tells what blocks a submission (``error``), what someone
should look at (``warning``) and what is only to be reviewed (``info``: text identical to last
year's report).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from evidence import codes
from standards.models import Criterion, Standard

from . import schooldata
from .models import CouncilMember, Passage, Report
from .selectors import CriterionItem, ReportContent

ERROR = "error"
WARNING = "warning"
INFO = "info"
SEVERITY_ORDER = {ERROR: 0, WARNING: 1, INFO: 2}
MIN_COUNCIL_MEMBERS = 7


@dataclass(frozen=True)
class Problem:
    code: str  # stable, e.g. "citation_unknown"
    severity: str
    message: str
    where: str  # the place, in words: "Tiêu chí 1.1 – Mức 2, chỉ báo a"
    url: str
    group: str  # the heading it is listed under


@dataclass
class CheckInput:
    content: ReportContent
    # Every evidence item of the school by code (archived ones included).
    evidence: dict
    # Last year's texts by passage key.
    previous: dict[str, str]
    # The day the report speaks for (expiry and future dates are judged against it).
    on: datetime.date


# --- Places -----------------------------------------------------------------------------------


def _url(name: str, report: Report, anchor: str = "", **kwargs) -> str:
    url = reverse(f"selfassessment:{name}", kwargs={"pk": report.pk, **kwargs})
    return f"{url}#{anchor}" if anchor else url


def passage_url(report: Report, passage: Passage) -> str:
    """Where a text is edited, with its anchor."""
    anchor = f"p-{passage.pk}"
    if passage.kind == Passage.Kind.OVERVIEW:
        return _url("tt57_overview", report, anchor)
    if passage.kind == Passage.Kind.PROPOSAL or (passage.key == "conclusion" and _is_tt57(report)):
        return _url("tt57_conclusion", report, anchor)
    if passage.criterion_id:
        return _url("criterion_edit", report, anchor, criterion_pk=passage.criterion_id)
    if passage.standard_id:
        return _url("standard_edit", report, anchor, standard_pk=passage.standard_id)
    if passage.level4_id:
        return _url("level4_edit", report, anchor)
    if passage.kind == Passage.Kind.PLAN:
        return _url("report_plan", report, anchor)
    return _url("report_general", report, anchor)


def passage_place(passage: Passage) -> str:
    """The place of a text in words."""
    parts = passage.key.split(":")
    if parts[0] in ("overview", "proposal") or passage.kind == Passage.Kind.STANDARD_ASSESSMENT:
        return _tt57_place(passage, parts)
    if passage.key == "conclusion" and _tt57_text(passage):
        return _("Phần III. Kết luận – Khái quát")
    if parts[0] == "indicator" and passage.kind == Passage.Kind.CURRENT_STATE and parts[3:] == ["a"] and _tt57_text(passage):
        return _("Tiêu chí %(c)s – Mô tả hiện trạng Mức %(l)s") % {"c": parts[1], "l": parts[2]}
    if parts[0] == "indicator":
        return _("Tiêu chí %(c)s – Mức %(l)s, chỉ báo %(k)s – Mô tả hiện trạng") % {"c": parts[1], "l": parts[2], "k": parts[3]}
    if parts[0] == "criterion":
        label = {"strengths": _("Điểm mạnh"), "weaknesses": _("Điểm yếu")}.get(parts[2], parts[2])
        return _("Tiêu chí %(c)s – %(part)s") % {"c": parts[1], "part": label}
    if parts[0] == "standard":
        label = {"opening": _("Mở đầu"), "conclusion": _("Kết luận")}.get(parts[2], parts[2])
        return _("Tiêu chuẩn %(n)s – %(part)s") % {"n": parts[1], "part": label}
    if parts[0] == "level4":
        label = {"state": _("Mô tả hiện trạng"), "strengths": _("Điểm mạnh"), "weaknesses": _("Điểm yếu")}.get(parts[2], parts[2])
        return _("Mức 4, yêu cầu %(n)s – %(part)s") % {"n": parts[1], "part": label}
    if parts[0] == "plan":
        return _("Kế hoạch tự đánh giá") + " – " + {
            "purpose": _("Mục đích"), "scope": _("Phạm vi"), "tools": _("Công cụ đánh giá"), "training": _("Tập huấn"),
        }.get(parts[1], parts[1])
    return {"introduction": _("Đặt vấn đề"), "conclusion": _("Kết luận chung")}.get(passage.key, passage.key)


def _is_tt57(report: Report) -> bool:
    from .tt57 import is_tt57

    return is_tt57(report)


def _tt57_text(passage: Passage) -> bool:
    """Whether the text belongs to a TT57 report (one unlettered requirement per level)."""
    return Passage.report.is_cached(passage) and _is_tt57(passage.report)


def _tt57_place(passage: Passage, parts: list[str]) -> str:
    from .tt57 import OVERVIEW_PARTS, PROPOSAL_PARTS, STANDARD_PARTS

    if parts[0] == "overview":
        label = dict((k, label) for k, label, _h in OVERVIEW_PARTS).get(parts[1], parts[1])
        return _("Phần I. Tổng quan – %(part)s") % {"part": label}
    if parts[0] == "proposal":
        label = dict(PROPOSAL_PARTS).get(parts[1], parts[1])
        return _("Phần III. Đề xuất, kiến nghị – %(part)s") % {"part": label}
    label = dict(STANDARD_PARTS).get(parts[2], parts[2])
    return _("Tiêu chuẩn %(n)s – %(part)s") % {"n": parts[1], "part": label}


def _criterion_passages(item: CriterionItem) -> list[Passage]:
    passages = [entry.passage for entry in item.in_force_items if entry.passage]
    return passages + [p for p in (item.strengths, item.weaknesses) if p]


def _cited_passages(content: ReportContent) -> Iterable[tuple[Passage, list[str]]]:
    for passage in sorted(content.passages.values(), key=lambda p: p.position):
        if passage.text:
            cited = codes.find_citations(passage.text)
            if cited:
                yield passage, cited


# --- Evidence ---------------------------------------------------------------------------------

EVIDENCE = "evidence"


def check_cited_codes_exist(data: CheckInput) -> list[Problem]:
    """A cited code that is not in the school's evidence library (or was archived)."""
    report = data.content.report
    problems = []
    for passage, cited in _cited_passages(data.content):
        for code in dict.fromkeys(cited):
            item = data.evidence.get(code)
            if item is None:
                message = _("Mã minh chứng [%(code)s] không có trong danh mục minh chứng của trường.") % {"code": code}
            elif item.is_archived:
                message = _("Minh chứng [%(code)s] đã được lưu trữ (không còn trong danh mục) nhưng vẫn được trích dẫn.") % {"code": code}
            else:
                continue
            problems.append(Problem("citation_unknown", ERROR, message, passage_place(passage), passage_url(report, passage), EVIDENCE))
    return problems


def check_evidence_cited(data: CheckInput) -> list[Problem]:
    """An item of the library that no text of the report cites."""
    cited = {code for _passage, found in _cited_passages(data.content) for code in found}
    problems = []
    for code, item in data.evidence.items():
        if item.is_archived or code in cited:
            continue
        problems.append(Problem(
            "evidence_not_cited", WARNING,
            _("Minh chứng [%(code)s] “%(name)s” chưa được trích dẫn ở đâu trong báo cáo.") % {"code": code, "name": item.name},
            _("Danh mục minh chứng"), reverse("evidence:evidence_detail", kwargs={"pk": item.pk}), EVIDENCE,
        ))
    return problems


def check_citation_criterion(data: CheckInput) -> list[Problem]:
    """A code cited under a criterion where it is neither coded nor declared shared."""
    report = data.content.report
    criteria = {item.criterion.pk: item.criterion for item in data.content.criteria()}
    problems = []
    for passage, cited in _cited_passages(data.content):
        criterion = criteria.get(passage.criterion_id)
        if criterion is None:
            continue  # texts of a standard, of Mức 4 or of the report as a whole may cite anything
        for code in dict.fromkeys(cited):
            item = data.evidence.get(code)
            if item is None or item.is_archived or item.is_usable_for(criterion):
                continue
            problems.append(Problem(
                "citation_not_shared", WARNING,
                _("Minh chứng [%(code)s] thuộc tiêu chí %(own)s, được trích dẫn ở tiêu chí %(here)s nhưng chưa khai báo dùng chung.")
                % {"code": code, "own": item.criterion.number, "here": criterion.number},
                passage_place(passage), passage_url(report, passage), EVIDENCE,
            ))
    return problems


def check_evidence_dates(data: CheckInput) -> list[Problem]:
    """A cited item past its validity, or dated after the report."""
    report = data.content.report
    problems = []
    reported: set[tuple[str, str]] = set()
    for passage, cited in _cited_passages(data.content):
        for code in dict.fromkeys(cited):
            item = data.evidence.get(code)
            if item is None or item.is_archived:
                continue
            if item.is_expired(data.on) and (code, "expired") not in reported:
                reported.add((code, "expired"))
                problems.append(Problem(
                    "evidence_expired", WARNING,
                    _("Minh chứng [%(code)s] đã hết hiệu lực từ %(date)s.") % {"code": code, "date": item.valid_until.strftime("%d/%m/%Y")},
                    passage_place(passage), passage_url(report, passage), EVIDENCE,
                ))
            if item.is_future_dated(data.on) and (code, "future") not in reported:
                reported.add((code, "future"))
                problems.append(Problem(
                    "evidence_future", ERROR,
                    _("Minh chứng [%(code)s] ghi ngày ban hành %(date)s, sau thời điểm của báo cáo (%(on)s).")
                    % {"code": code, "date": item.issued_on.strftime("%d/%m/%Y"), "on": data.on.strftime("%d/%m/%Y")},
                    passage_place(passage), passage_url(report, passage), EVIDENCE,
                ))
    return problems


# --- Content ----------------------------------------------------------------------------------

CONTENT = "content"


def _empty(passage: Passage | None) -> bool:
    return passage is None or not passage.text.strip()


def check_required_sections(data: CheckInput) -> list[Problem]:
    """Sections every assessed level requires: current state with evidence, strengths, weaknesses, plan."""
    content = data.content
    report = content.report
    problems = []

    def missing(passage: Passage | None, message: str, severity: str = ERROR, code: str = "section_empty"):
        if passage is not None:
            problems.append(Problem(code, severity, message, passage_place(passage), passage_url(report, passage), CONTENT))

    for key in ("introduction", "conclusion"):
        if _empty(content.passage(key)):
            missing(content.passage(key), _("Chưa viết nội dung."))
    for standard in content.standards:
        for passage in (standard.opening, standard.conclusion):
            if _empty(passage):
                missing(passage, _("Chưa viết nội dung."), WARNING)
        for item in standard.criteria:
            if not item.is_assessed:
                continue
            for entry in item.in_force_items:
                passage = entry.passage
                if _empty(passage):
                    missing(passage, _("Chưa mô tả hiện trạng."))
                elif not codes.find_citations(passage.text):
                    # A statement of something met must show its evidence; one of something not met should.
                    severity = ERROR if entry.met else WARNING
                    missing(passage, _("Mô tả hiện trạng chưa kèm mã minh chứng."), severity, "state_without_evidence")
            for passage in (item.strengths, item.weaknesses):
                if _empty(passage):
                    missing(passage, _("Chưa viết nội dung."))
            if not item.actions:
                problems.append(Problem(
                    "plan_empty", ERROR, _("Chưa có biện pháp nào trong kế hoạch cải tiến chất lượng."),
                    _("Tiêu chí %(c)s – Kế hoạch cải tiến chất lượng") % {"c": item.criterion.number},
                    _url("criterion_edit", report, "plan", criterion_pk=item.criterion.pk), CONTENT,
                ))
    for item in content.level4:
        if item.met and _empty(item.state):
            missing(item.state, _("Yêu cầu được đánh giá đạt nhưng chưa mô tả hiện trạng."))
    for passage in content.orphans:
        problems.append(Problem(
            "orphan_text", WARNING,
            _("Đoạn văn này thuộc một mục không còn trong bộ tiêu chuẩn của báo cáo; hãy chuyển nội dung sang mục phù hợp."),
            passage_place(passage), _url("report_detail", report), CONTENT,
        ))
    return problems


VERDICTS = "verdicts"


def check_verdicts(data: CheckInput) -> list[Problem]:
    """An indicator in force without a verdict; a verdict carried over from last year and not confirmed."""
    report = data.content.report
    problems = []
    for item in data.content.criteria():
        unreviewed = []
        for entry in item.in_force_items:
            anchor = f"ind-{entry.indicator.pk}"
            url = _url("criterion_edit", report, anchor, criterion_pk=item.criterion.pk)
            where = _("Tiêu chí %(c)s – Mức %(l)s, chỉ báo %(k)s") % {
                "c": item.criterion.number, "l": entry.indicator.level, "k": entry.indicator.key}
            if entry.verdict is None or entry.verdict.met is None:
                problems.append(Problem("verdict_missing", ERROR, _("Chỉ báo chưa có kết luận Đạt / Không đạt."), where, url, VERDICTS))
            elif entry.verdict.needs_review:
                unreviewed.append(entry)
        if unreviewed:
            problems.append(Problem(
                "verdict_unreviewed", WARNING,
                ngettext(
                    "%(n)s kết luận chỉ báo được chép từ báo cáo năm trước, chưa được xác nhận lại.",
                    "%(n)s kết luận chỉ báo được chép từ báo cáo năm trước, chưa được xác nhận lại.",
                    len(unreviewed),
                ) % {"n": len(unreviewed)},
                _("Tiêu chí %(c)s") % {"c": item.criterion.number},
                _url("criterion_edit", report, "verdicts", criterion_pk=item.criterion.pk), VERDICTS,
            ))
    school_level = report.school_level or 0
    top = report.regulation_version.regulation.level_count
    for item in data.content.level4:
        if item.met is None and school_level >= top:
            problems.append(Problem(
                "level4_verdict_missing", WARNING,
                _("Trường đạt Mức %(l)s: cần kết luận yêu cầu Mức 4 này để xác định Mức 4.") % {"l": top},
                _("Mức 4, yêu cầu %(n)s") % {"n": item.requirement.number},
                _url("level4_edit", report, f"l4-{item.requirement.pk}"), VERDICTS,
            ))
    return problems


# --- Phần I -----------------------------------------------------------------------------------

DATA = "data"


def check_data_tables(data: CheckInput) -> list[Problem]:
    """Numbers of Phần I that do not add up (and tables left empty)."""
    report = data.content.report
    level = report.school.level
    years = schooldata.school_years(report.school_year.code)
    values = {key: table.values or {} for key, table in data.content.tables.items()}
    specs = {spec.key: spec for spec in schooldata.tables_for(level)}
    problems = []
    for spec in specs.values():
        if not values.get(spec.key):
            problems.append(Problem(
                "table_empty", WARNING, _("Bảng chưa có số liệu."), _(spec.title),
                _url("report_data", report, f"table-{spec.key}"), DATA,
            ))
    for problem in schooldata.table_problems(level, years, values):
        spec = specs[problem.table]
        row = spec.row(problem.row)
        # The tables' labels are worded in the reader's language, as on the Phần I page.
        column = next((_(c.label) for c in spec.columns or () if c.key == problem.column), problem.column)
        words = {"sum": _("cộng lại"), "total": _("tổng số"), "value": _("giá trị")}
        detail = ", ".join(f"{words.get(k, k)}: {v}" for k, v in problem.detail.items())
        problems.append(Problem(
            "table_mismatch", ERROR,
            f"{problem.message} ({detail}).",
            f"{_(spec.title)} – {_(row.label) if row else problem.row} – {column}",
            _url("report_data", report, f"table-{spec.key}"), DATA,
        ))
    return problems


# --- Council ----------------------------------------------------------------------------------

COUNCIL = "council"


def check_council(data: CheckInput) -> list[Problem]:
    """The council as the guidance requires it (≥ 7 members, a chair and a secretary; every criterion assigned)."""
    content = data.content
    report = content.report
    url = _url("report_council", report)
    problems = []
    where = _("Hội đồng tự đánh giá")
    in_council = [m for m in content.council if m.role]
    if not report.council_decision_number or not report.council_decision_date:
        problems.append(Problem("council_decision_missing", WARNING, _("Chưa ghi số và ngày quyết định thành lập Hội đồng."), where, url, COUNCIL))
    if len(in_council) < MIN_COUNCIL_MEMBERS:
        problems.append(Problem(
            "council_too_small", WARNING,
            ngettext(
                "Hội đồng có %(n)s thành viên; cần ít nhất %(min)s.",
                "Hội đồng có %(n)s thành viên; cần ít nhất %(min)s.", len(in_council),
            ) % {"n": len(in_council), "min": MIN_COUNCIL_MEMBERS},
            where, url, COUNCIL,
        ))
    for role, label in ((CouncilMember.Role.CHAIR, _("Chủ tịch")), (CouncilMember.Role.SECRETARY, _("Thư ký"))):
        if not any(m.role == role for m in in_council):
            problems.append(Problem("council_role_missing", WARNING, _("Hội đồng chưa có %(role)s.") % {"role": label}, where, url, COUNCIL))
    assigned = {c.pk for group in content.groups for c in group.criteria.all()}
    unassigned = [item.criterion.number for item in content.criteria() if item.criterion.pk not in assigned]
    if unassigned:
        problems.append(Problem(
            "criteria_unassigned", WARNING,
            _("Các tiêu chí chưa giao cho nhóm công tác nào: %(list)s.") % {"list": ", ".join(unassigned)},
            _("Nhóm công tác"), url + "#groups", COUNCIL,
        ))
    if any(m.needs_review for m in content.council):
        problems.append(Problem(
            "council_unreviewed", INFO, _("Danh sách Hội đồng được chép từ báo cáo năm trước; hãy rà soát và cập nhật."),
            where, url, COUNCIL,
        ))
    return problems


# --- Review ----------------------------------------------------------------------------------

REVIEW = "review"


def check_same_as_last_year(data: CheckInput) -> list[Problem]:
    """A text identical to last year's (flagged for review, not an error)."""
    report = data.content.report
    problems = []
    for passage in sorted(data.content.passages.values(), key=lambda p: p.position):
        text = " ".join(passage.text.split())
        if not text:
            continue
        old = data.previous.get(passage.key)
        if old is not None and " ".join(old.split()) == text:
            problems.append(Problem(
                "same_as_last_year", INFO, _("Nội dung giống hệt báo cáo năm trước; hãy rà soát, cập nhật số liệu và minh chứng."),
                passage_place(passage), passage_url(report, passage), REVIEW,
            ))
    return problems


CHECKS: list[Callable[[CheckInput], list[Problem]]] = [
    check_cited_codes_exist,
    check_citation_criterion,
    check_evidence_dates,
    check_evidence_cited,
    check_verdicts,
    check_required_sections,
    check_data_tables,
    check_council,
    check_same_as_last_year,
]

GROUP_LABELS = {
    VERDICTS: lambda: _("Kết luận chỉ báo"),
    CONTENT: lambda: _("Nội dung báo cáo"),
    EVIDENCE: lambda: _("Minh chứng"),
    DATA: lambda: _("Phần I – Cơ sở dữ liệu"),
    COUNCIL: lambda: _("Hội đồng và nhóm công tác"),
    REVIEW: lambda: _("Cần rà soát"),
}


# --- TT57/2026 reports (Biểu 1) -------------------------------------------------------------------

TT57_MIN_COUNCIL = 5  # khoản 1 Điều 9: from 05 members, an odd number


def _tt57_scheme(data: CheckInput):
    from .tt57 import citation_scheme

    return citation_scheme(data.content.report)


def check_tt57_cited_codes_exist(data: CheckInput) -> list[Problem]:
    """Every MC code cited (in round brackets) is an item of the school's evidence list."""
    from .tt57 import find_citations

    report = data.content.report
    scheme = _tt57_scheme(data)
    problems = []
    for passage in sorted(data.content.passages.values(), key=lambda p: p.position):
        if not passage.text:
            continue
        for code in dict.fromkeys(find_citations(report, passage.text, scheme)):
            item = data.evidence.get(code)
            if item is None:
                message = _("Mã minh chứng (%(code)s) không có trong danh mục minh chứng của trường.") % {"code": code}
            elif item.is_archived:
                message = _("Minh chứng (%(code)s) đã được lưu trữ (không còn trong danh mục) nhưng vẫn được trích dẫn.") % {"code": code}
            elif item.criterion.standard.version.regulation_id != report.regulation_version.regulation_id:
                message = _("Mã (%(code)s) thuộc danh mục minh chứng của văn bản khác, không phải của báo cáo này.") % {"code": code}
            else:
                continue
            problems.append(Problem("citation_unknown", ERROR, message, passage_place(passage), passage_url(report, passage), EVIDENCE))
    return problems


def check_tt57_levels(data: CheckInput) -> list[Problem]:
    """A level marked Đạt has a description citing evidence; a mandatory criterion is assessed."""
    from .tt57 import find_citations

    report = data.content.report
    scheme = _tt57_scheme(data)
    problems = []
    for item in data.content.criteria():
        criterion = item.criterion
        url = _url("tt57_criterion", report, "verdicts", criterion_pk=criterion.pk)
        entries = sorted(item.in_force_items, key=lambda e: e.indicator.level)
        for entry in entries:
            level = entry.indicator.level
            where = _("Tiêu chí %(c)s – Mức %(l)s") % {"c": criterion.number, "l": level}
            if entry.met is not True:
                continue
            text = entry.passage.text.strip() if entry.passage else ""
            if not text:
                problems.append(Problem("met_without_description", ERROR, _(
                    "Mức %(l)s được đánh giá Đạt nhưng chưa có mô tả hiện trạng.") % {"l": level}, where, url, VERDICTS))
            elif not find_citations(report, text, scheme):
                problems.append(Problem("met_without_evidence", ERROR, _(
                    "Mức %(l)s được đánh giá Đạt nhưng mô tả hiện trạng chưa viện dẫn mã minh chứng nào, ví dụ (MC.%(c)s.01).")
                    % {"l": level, "c": criterion.number}, where, url, VERDICTS))
        first = next((e for e in entries if e.indicator.level == 1), None)
        second = next((e for e in entries if e.indicator.level == 2), None)
        where = _("Tiêu chí %(c)s") % {"c": criterion.number}
        if first is not None and first.met is None:
            if criterion.mandatory:
                problems.append(Problem("mandatory_unassessed", ERROR, _(
                    "Tiêu chí bắt buộc chưa được đánh giá (Mức 1 chưa có kết luận Đạt / Không đạt)."), where, url, VERDICTS))
            else:
                problems.append(Problem("criterion_unassessed", WARNING, _(
                    "Tiêu chí chưa được đánh giá (Mức 1 chưa có kết luận Đạt / Không đạt)."), where, url, VERDICTS))
        elif first is not None and first.met and second is not None and second.met is None:
            problems.append(Problem("level2_unassessed", ERROR if criterion.mandatory else WARNING, _(
                "Mức 1 đạt nhưng Mức 2 chưa có kết luận Đạt / Không đạt."), where, url, VERDICTS))
    return problems


def check_tt57_council(data: CheckInput) -> list[Problem]:
    """Điều 9: at least 5 members, an odd number, one chair and one secretary; approval by 15/6."""
    from .tt57_services import approval_deadline

    report = data.content.report
    url = _url("report_council", report)
    where = _("Hội đồng tự đánh giá")
    in_council = [m for m in data.content.council if m.role]
    size = len(in_council)
    problems = []
    if size < TT57_MIN_COUNCIL or size % 2 == 0:
        problems.append(Problem("council_size", ERROR, ngettext(
            "Hội đồng có %(n)s thành viên; theo khoản 1 Điều 9, Hội đồng có từ %(min)s thành viên trở lên và số thành viên là số lẻ.",
            "Hội đồng có %(n)s thành viên; theo khoản 1 Điều 9, Hội đồng có từ %(min)s thành viên trở lên và số thành viên là số lẻ.",
            size) % {"n": size, "min": TT57_MIN_COUNCIL}, where, url, COUNCIL))
    for role, label in ((CouncilMember.Role.CHAIR, _("Chủ tịch")), (CouncilMember.Role.SECRETARY, _("Thư ký"))):
        count = sum(1 for m in in_council if m.role == role)
        if count != 1:
            problems.append(Problem("council_role_count", ERROR, _(
                "Hội đồng cần đúng 01 %(role)s (khoản 2 Điều 9); hiện có %(n)s.") % {"role": label, "n": count},
                where, url, COUNCIL))
    if not report.council_decision_number or not report.council_decision_date:
        problems.append(Problem("council_decision_missing", WARNING, _("Chưa ghi số và ngày quyết định thành lập Hội đồng."), where, url, COUNCIL))
    deadline = approval_deadline(report)
    approval_url = _url("tt57_conclusion", report, "approval")
    if report.approved_on is None:
        severity = ERROR if timezone.localdate() > deadline else WARNING
        problems.append(Problem("approval_missing", severity, _(
            "Chưa ghi ngày Hội đồng phê duyệt báo cáo; hạn phê duyệt là %(d)s (điểm d khoản 3 Điều 9).")
            % {"d": deadline.strftime("%d/%m/%Y")}, _("Phê duyệt báo cáo"), approval_url, COUNCIL))
    elif report.approved_on > deadline:
        problems.append(Problem("approval_late", ERROR, _(
            "Báo cáo được phê duyệt ngày %(a)s, sau hạn %(d)s (điểm d khoản 3 Điều 9).")
            % {"a": report.approved_on.strftime("%d/%m/%Y"), "d": deadline.strftime("%d/%m/%Y")},
            _("Phê duyệt báo cáo"), approval_url, COUNCIL))
    return problems


def check_tt57_sections(data: CheckInput) -> list[Problem]:
    """Phần I and Phần III are written; the per-standard assessment and the proposals are looked at."""
    from .tt57 import OVERVIEW_PARTS, PROPOSAL_PARTS, STANDARD_PARTS, overview_key, proposal_key

    report = data.content.report
    passages = data.content.passages
    problems = []

    def missing(key: str, severity: str, message: str):
        passage = passages.get(key)
        if passage is not None and _empty(passage):
            problems.append(Problem("section_empty", severity, message, passage_place(passage), passage_url(report, passage), CONTENT))

    for key, _label, _help in OVERVIEW_PARTS:
        missing(overview_key(key), ERROR, _("Phần I. Tổng quan: mục này chưa được viết."))
    for item in data.content.standards:
        for part, _label in STANDARD_PARTS:
            missing(standard_key_of(item.standard.number, part), WARNING, _("Đánh giá chung về tiêu chuẩn: mục này chưa được viết."))
    missing("conclusion", ERROR, _("Phần III. Kết luận: phần khái quát chưa được viết."))
    for key, _label in PROPOSAL_PARTS[:2]:
        missing(proposal_key(key), WARNING, _("Phần III. Đề xuất, kiến nghị: mục này chưa được viết."))
    return problems


def standard_key_of(number: int, part: str) -> str:
    from .selectors import standard_key

    return standard_key(number, part)


def check_tt57_data_form(data: CheckInput) -> list[Problem]:
    """Phần IV's data form (biểu số liệu) holds the report year's numbers (a prefill never saved does not count)."""
    from .tt57_services import FORM_KEY

    report = data.content.report
    table = data.content.tables.get(FORM_KEY)
    years = (table.values or {}).get("years") or {} if table is not None and table.revision else {}
    year = report.school_year.code
    if any(str(columns.get(year, "")).strip() for columns in years.values()):
        return []
    return [Problem(
        "table_empty", WARNING, _("Biểu số liệu chưa có số liệu của năm học %(year)s.") % {"year": year},
        _("Phần IV. Phụ lục (biểu số liệu)"), _url("tt57_appendix", report), DATA,
    )]


TT57_CHECKS: list[Callable[[CheckInput], list[Problem]]] = [
    check_tt57_cited_codes_exist,
    check_tt57_levels,
    check_tt57_sections,
    check_tt57_council,
    check_tt57_data_form,
    check_same_as_last_year,
]


def run_checks(data: CheckInput) -> list[Problem]:
    """Every problem of the report, the most serious first, in report order within a severity."""
    checks = TT57_CHECKS if _is_tt57(data.content.report) else CHECKS
    problems = [problem for check in checks for problem in check(data)]
    return sorted(problems, key=lambda p: SEVERITY_ORDER[p.severity])


def report_problems(report: Report, content: ReportContent | None = None) -> list[Problem]:
    """Load the report (unless ``content`` holds it already), the school's evidence and last year's
    texts, and run every check."""
    from .selectors import evidence_codes, previous_texts, report_content

    data = CheckInput(
        content=report_content(report) if content is None else content,
        evidence=evidence_codes(report),
        previous=previous_texts(report),
        on=report.regulation_date,
    )
    return run_checks(data)


def has_errors(problems: Iterable[Problem]) -> bool:
    """Whether anything blocks a submission (part 4's submit asks this)."""
    return any(p.severity == ERROR for p in problems)


# --- The checks page: problems by part of the report and by criterion ---------------------------


@dataclass
class ProblemGroup:
    """Problems of one place (a criterion, a standard's own texts, the council…), with their counts."""

    key: str
    label: str
    problems: list[Problem]
    order: tuple = ()

    @property
    def counts(self) -> dict[str, int]:
        return {severity: sum(1 for p in self.problems if p.severity == severity) for severity in SEVERITY_ORDER}


@dataclass
class ProblemPart:
    """A part of the report as the editor's outline lists it, its places in report order."""

    key: str
    label: str
    groups: list[ProblemGroup]

    @property
    def problems(self) -> list[Problem]:
        return [p for group in self.groups for p in group.problems]

    @property
    def counts(self) -> dict[str, int]:
        problems = self.problems
        return {severity: sum(1 for p in problems if p.severity == severity) for severity in SEVERITY_ORDER}


# Up to this many problems every group of the checks page is open; beyond, only the counts are.
OPEN_ALL_UP_TO = 20

# The parts in the order of the editor's outline; a standard's parts come where "standards" is.
_PART_OF_VIEW = {
    "report_council": "council", "report_plan": "plan", "report_data": "data", "tt57_appendix": "data",
    "tt57_overview": "overview", "report_general": "general", "level4_edit": "level4", "tt57_conclusion": "conclusion",
}
_PART_ORDER = ["council", "plan", "data", "overview", "general", "standards", "level4", "conclusion", "evidence", "other"]


def _part_labels() -> dict[str, str]:
    return {
        "council": _("Hội đồng, nhóm công tác"), "plan": _("Kế hoạch tự đánh giá"), "data": _("Phần I. Cơ sở dữ liệu"),
        "overview": _("Phần I. Tổng quan"), "general": _("Đặt vấn đề, Kết luận chung"), "level4": _("Mức 4"),
        "conclusion": _("Phần III. Kết luận"), "evidence": _("Minh chứng"), "other": _("Chung"),
    }


def _place(url: str) -> tuple[str, dict]:
    """The view a problem's link opens (its name and arguments): where the problem is fixed."""
    from urllib.parse import urlsplit

    from django.urls import Resolver404, resolve

    try:
        match = resolve(urlsplit(url).path)
    except Resolver404:
        return "", {}
    if match.namespace == "evidence":
        return "evidence", {}
    return match.url_name or "", match.kwargs


def problem_parts(report: Report, problems: list[Problem]) -> list[ProblemPart]:
    """``problems`` grouped by part of the report and, within a standard, by criterion (in report order)."""
    placed = [(p, *_place(p.url)) for p in problems]
    criterion_pks = {kw["criterion_pk"] for _p, _n, kw in placed if "criterion_pk" in kw}
    standard_pks = {kw["standard_pk"] for _p, _n, kw in placed if "standard_pk" in kw}
    criteria = {c.pk: c for c in Criterion.objects.filter(pk__in=criterion_pks).select_related("standard")}
    standards = {s.pk: s for s in Standard.objects.filter(pk__in=standard_pks | {c.standard_id for c in criteria.values()})}
    labels = _part_labels()
    parts: dict[tuple, ProblemPart] = {}
    groups: dict[tuple, ProblemGroup] = {}
    for problem, name, kwargs in placed:
        criterion = criteria.get(kwargs.get("criterion_pk"))
        standard = criterion.standard if criterion else standards.get(kwargs.get("standard_pk"))
        if standard is not None:
            part_key = ("standards", standard.position, standard.number)
            part_label = _("Tiêu chuẩn %(n)s") % {"n": standard.number} + (f": {standard.title}" if standard.title else "")
            if criterion is not None:
                group_key = (part_key, 1, criterion.position, criterion.number)
                group_label = f"{_('Tiêu chí %(c)s') % {'c': criterion.number}}. {criterion.title}".rstrip(". ")
            else:
                group_key = (part_key, 0, 0, "")
                group_label = _("Tiêu chuẩn %(n)s – Mở đầu, kết luận") % {"n": standard.number}
        else:
            key = "evidence" if name == "evidence" else _PART_OF_VIEW.get(name, "other")
            part_key = (key, 0, 0)
            part_label = labels[key]
            group_key = (part_key, 0, 0, "")
            group_label = ""
        part = parts.get(part_key)
        if part is None:
            part = parts[part_key] = ProblemPart(key="-".join(str(k) for k in part_key), label=part_label, groups=[])
        group = groups.get(group_key)
        if group is None:
            group = groups[group_key] = ProblemGroup(key="-".join(str(k) for k in group_key[1:]), label=group_label,
                                                     problems=[], order=group_key[1:])
            part.groups.append(group)
        group.problems.append(problem)
    for key, part in parts.items():
        part.groups.sort(key=lambda g: g.order)
        part.key = f"part-{'-'.join(str(k) for k in key)}"
    return [parts[key] for key in sorted(parts, key=lambda k: (_PART_ORDER.index(k[0]), k[1:]))]
