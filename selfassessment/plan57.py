"""Biểu 2 of Thông tư 57/2026 (Mẫu số 2 Phụ lục V): the improvement plan of a TT57 report — reads.

The plan (``Plan57``) belongs to a TT57 ``Report`` and travels with it through the review
workflow: its content is frozen into each submitted version's snapshot under "plan57"
(``snapshot_data``), and the exporters print both the live draft and a version from the same
plain document (``document_from_data``). Monitoring (table VI, each action's "Mức độ thực hiện")
goes on during the year; ``monitoring_missing`` finds the plans with nothing recorded at a point.

The printed texts of sections III and VIII and the headings of tables IV, V and VI are the form's
own words, copied from the catalog (standards/data/tt57_2026.json -> report_forms.bieu_2, source
S2b) so that this module stands on its own. The document is the legal form: it is Vietnamese
whatever the reader's language.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Exists, OuterRef, QuerySet

from .models import Plan57, Plan57Action, Plan57Check, Plan57Issue, Report

SCHEMA = 1
MONITORING_POINTS: tuple[str, ...] = ("semester1", "year_end")
POINT_LABELS = {"semester1": "Cuối học kỳ I", "year_end": "Cuối năm học"}
# Who reads the date of each monitoring point: the reviewing unit's deadlines are kept by the
# evaluations app, above this one, which registers its reader at start-up (evaluations/apps.py).
MONITORING_DATES_READERS: list[Callable[[Report], list[datetime.date | None]]] = []
STATUS_LABELS = {"": "", "done": "Hoàn thành", "in_progress": "Đang thực hiện", "not_done": "Chưa hoàn thành"}

TITLE = "KẾ HOẠCH CẢI TIẾN CHẤT LƯỢNG GIÁO DỤC NĂM HỌC {year}"

# I. Thông tin chung: (key of the info block, label).
SECTION_I_LABELS: tuple[tuple[str, str], ...] = (
    ("school", "Tên cơ sở giáo dục"),
    ("kind", "Loại hình"),
    ("address", "Địa chỉ"),
)
# II. Căn cứ xây dựng kế hoạch: (Plan57 field, label; "{year}" is the report's school year).
SECTION_II_LABELS: tuple[tuple[str, str], ...] = (
    ("basis_report", "1. Báo cáo tự đánh giá năm học {year}"),
    ("basis_review", "2. Kết quả rà soát việc thực hiện kế hoạch cải tiến chất lượng năm học trước"),
    ("basis_school_plan", "3. Kế hoạch năm học và định hướng phát triển của cơ sở giáo dục"),
    ("basis_other", "4. Căn cứ khác (nếu có)"),
)
# III. Mục đích, yêu cầu — printed (report_forms.bieu_2.section_III_text, source S2b).
SECTION_III_PURPOSE: tuple[str, ...] = (
    "a) Xác định các vấn đề trọng tâm cần cải tiến trên cơ sở kết quả tự đánh giá;",
    "b) Tổ chức thực hiện các giải pháp nhằm nâng cao chất lượng giáo dục;",
    "c) Tăng cường hiệu quả quản trị, sử dụng nguồn lực và trách nhiệm giải trình của cơ sở giáo dục.",
)
SECTION_III_REQUIREMENTS: tuple[str, ...] = (
    "a) Bảo đảm tính trọng tâm, khả thi, hiệu quả, phù hợp với điều kiện thực tế;",
    "b) Không xây dựng kế hoạch cải tiến đối với toàn bộ tiêu chí mà tập trung vào các vấn đề ưu tiên;",
    "c) Xác định rõ: nội dung, mục tiêu, biện pháp, thời gian, nguồn lực, trách nhiệm và kết quả;",
    "d) Gắn với kế hoạch năm học và kế hoạch phát triển của cơ sở giáo dục;",
    "đ) Có cơ chế theo dõi, đánh giá và điều chỉnh trong quá trình thực hiện.",
)
# The rule the one-action-per-criterion warning quotes (III.2.b).
PRIORITY_RULE = SECTION_III_REQUIREMENTS[1]
# IV. Tóm tắt các vấn đề trọng tâm cần cải tiến (table; its note is printed under it).
TABLE_IV_COLUMNS: tuple[str, ...] = (
    "TT", "Tiêu chuẩn", "Tiêu chí liên quan (nếu có)", "Đánh giá hiện trạng", "Điểm hạn chế", "Nguyên nhân của hạn chế",
)
TABLE_IV_NOTE = ("Lưu ý: Chỉ lựa chọn các vấn đề trọng tâm, có tác động trực tiếp đến chất lượng giáo dục để đưa vào "
                 "kế hoạch cải tiến.")
# V. Kế hoạch cải tiến chất lượng (10 columns).
TABLE_V_COLUMNS: tuple[str, ...] = (
    "TT (1)", "Nội dung cải tiến (2)", "Mục tiêu cải tiến (3)", "Hoạt động/giải pháp (4)",
    "Chỉ số đánh giá kết quả (5)", "Thời gian thực hiện (6)", "Đơn vị/cá nhân phụ trách (7)",
    "Nguồn lực bảo đảm (8)", "Thông tin, dữ liệu hoặc minh chứng dự kiến (9)", "Mức độ thực hiện (10)",
)
# VI. Theo dõi và đánh giá thực hiện (giám sát nội bộ); rows "Cuối học kỳ I", "Cuối năm học".
TABLE_VI_COLUMNS: tuple[str, ...] = (
    "Thời điểm", "Nội dung theo dõi", "Kết quả thực hiện", "Điều chỉnh (nếu có)", "Người đánh giá",
)
# VII. Tổ chức thực hiện: (Plan57 field, label).
SECTION_VII_LABELS: tuple[tuple[str, str], ...] = (
    ("org_head", "1. Người đứng đầu cơ sở giáo dục"),
    ("org_council", "2. Hội đồng tự đánh giá"),
    ("org_groups", "3. Các tổ chuyên môn và bộ phận liên quan"),
)
# VIII. Cơ chế đánh giá và báo cáo — printed (report_forms.bieu_2.sections[7], source S2b).
SECTION_VIII_TEXT: tuple[str, ...] = (
    "a) Thực hiện rà soát, đánh giá tối thiểu 02 lần trong năm học;",
    "b) Kết quả thực hiện kế hoạch cải tiến là cơ sở để cập nhật báo cáo tự đánh giá và xây dựng kế hoạch cải tiến "
    "của năm học tiếp theo;",
    "c) Bảo đảm công khai, minh bạch và phục vụ trách nhiệm giải trình của cơ sở giáo dục./.",
)
SECTION_HEADINGS: tuple[str, ...] = (
    "I. THÔNG TIN CHUNG",
    "II. CĂN CỨ XÂY DỰNG KẾ HOẠCH",
    "III. MỤC ĐÍCH, YÊU CẦU",
    "IV. TÓM TẮT CÁC VẤN ĐỀ TRỌNG TÂM CẦN CẢI TIẾN",
    "V. KẾ HOẠCH CẢI TIẾN CHẤT LƯỢNG",
    "VI. THEO DÕI VÀ ĐÁNH GIÁ THỰC HIỆN (GIÁM SÁT NỘI BỘ)",
    "VII. TỔ CHỨC THỰC HIỆN",
    "VIII. CƠ CHẾ ĐÁNH GIÁ VÀ BÁO CÁO",
)

SECTION_FIELDS: tuple[str, ...] = tuple(f for f, _l in SECTION_II_LABELS) + tuple(f for f, _l in SECTION_VII_LABELS)
ISSUE_FIELDS: tuple[str, ...] = ("criteria", "current_state", "weakness", "cause")
ACTION_FIELDS: tuple[str, ...] = ("content", "objective", "activities", "indicator", "responsible", "coordination",
                                  "resources", "expected_evidence")
CHECK_FIELDS: tuple[str, ...] = ("content", "result", "evidence", "adjustment", "assessor")

# A plan with about one action (or issue) per criterion is not a priority plan (III.2.b): the share
# of the report's criteria from which the page warns, and the fewest criteria it applies to.
PER_CRITERION_SHARE = 0.75
PER_CRITERION_MIN = 4
_CRITERION_NUMBER = re.compile(r"\b\d{1,2}\.\d{1,2}\b")


# --- Reads of the live plan ------------------------------------------------------------------


def plan_for_report(report: Report) -> Plan57 | None:
    """The report's Biểu 2, or None when none was started (one query; the report is attached)."""
    plan = Plan57.objects.filter(report=report).first()
    if plan is not None:
        plan.report = report
    return plan


def plan_rows(plan: Plan57) -> tuple[list[Plan57Issue], list[Plan57Action], list[Plan57Check]]:
    """Tables IV, V and VI of the plan, in order (three queries)."""
    issues = list(Plan57Issue.objects.filter(plan=plan).select_related("standard").defer("standard__source"))
    actions = list(Plan57Action.objects.filter(plan=plan))
    checks = list(Plan57Check.objects.filter(plan=plan).select_related("recorded_by"))
    return issues, actions, checks


def report_info(report: Report) -> dict[str, str]:
    """Section I as the school's record gives it, and the school year (the snapshot keeps it)."""
    school = report.school
    address = ", ".join(p for p in (school.address, school.ward, getattr(school, "province", "")) if p)
    return {
        "school": school.name,
        "kind": f"{school.get_ownership_display()}, {school.get_level_display()}",
        "address": address,
        "school_year": report.school_year.code,
        "unit": school.reviewing_unit.name if school.reviewing_unit_id else "",
    }


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def snapshot_data(plan: Plan57, *, rows=None) -> dict[str, Any]:
    """The whole plan as JSON-able data: what a submitted version keeps under "plan57".

    ``rows`` (issues, actions, checks) may be passed when the caller already read them.
    """
    issues, actions, checks = rows if rows is not None else plan_rows(plan)
    issue_number = {i.pk: n for n, i in enumerate(issues, start=1)}
    action_number = {a.pk: n for n, a in enumerate(actions, start=1)}
    return {
        "schema": SCHEMA,
        "revision": plan.revision,
        "info": report_info(plan.report),
        "sections": {f: getattr(plan, f) for f in SECTION_FIELDS},
        "issues": [
            {"id": i.pk, "number": issue_number[i.pk],
             "standard": i.standard.number if i.standard_id else None,
             "standard_title": i.standard.title if i.standard_id else "",
             **{f: getattr(i, f) for f in ISSUE_FIELDS}}
            for i in issues
        ],
        "actions": [
            {"id": a.pk, "number": action_number[a.pk], "issue": issue_number.get(a.issue_id),
             **{f: getattr(a, f) for f in ACTION_FIELDS},
             "start_on": _iso(a.start_on), "end_on": _iso(a.end_on), "status": a.status}
            for a in actions
        ],
        "checks": [
            {"id": c.pk, "point": c.point, "action": action_number.get(c.action_id),
             **{f: getattr(c, f) for f in CHECK_FIELDS},
             "recorded_at": _iso(c.recorded_at)}
            for c in checks
        ],
    }


# --- The printable document ------------------------------------------------------------------


def _date(value: str | datetime.date | None) -> datetime.date | None:
    if not value:
        return None
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def _dmy(value: datetime.date | None) -> str:
    return f"{value:%d/%m/%Y}" if value else ""


@dataclass
class IssueRow:
    """A row of table IV."""

    number: int
    standard: int | None
    standard_title: str
    criteria: str
    current_state: str
    weakness: str
    cause: str

    @property
    def standard_label(self) -> str:
        return f"Tiêu chuẩn {self.standard}" if self.standard else ""

    @property
    def cells(self) -> list[str]:
        """The printed cells in TABLE_IV_COLUMNS order."""
        return [str(self.number), self.standard_label, self.criteria, self.current_state, self.weakness, self.cause]


@dataclass
class ActionRow:
    """A row of table V."""

    number: int
    issue: int | None
    content: str
    objective: str
    activities: str
    indicator: str
    start_on: datetime.date | None
    end_on: datetime.date | None
    responsible: str
    coordination: str
    resources: str
    expected_evidence: str
    status: str
    overdue: bool = False

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.status, "")

    @property
    def period(self) -> str:
        """Column (6): "dd/mm/yyyy – dd/mm/yyyy" (either end may be missing)."""
        if self.start_on and self.end_on:
            return f"{_dmy(self.start_on)} – {_dmy(self.end_on)}"
        if self.end_on:
            return f"đến {_dmy(self.end_on)}"
        if self.start_on:
            return f"từ {_dmy(self.start_on)}"
        return ""

    @property
    def responsible_text(self) -> str:
        """Column (7): who is in charge, and who takes part."""
        if self.coordination:
            return f"{self.responsible}\nPhối hợp: {self.coordination}".strip()
        return self.responsible

    @property
    def cells(self) -> list[str]:
        """The printed cells in TABLE_V_COLUMNS order."""
        return [str(self.number), self.content, self.objective, self.activities, self.indicator, self.period,
                self.responsible_text, self.resources, self.expected_evidence, self.status_label]


@dataclass
class CheckRow:
    """A row of table VI."""

    point: str
    action: int | None
    content: str
    result: str
    evidence: str
    adjustment: str
    assessor: str
    recorded_at: datetime.date | None

    @property
    def point_label(self) -> str:
        return POINT_LABELS.get(self.point, self.point)

    @property
    def content_text(self) -> str:
        prefix = f"Nội dung {self.action}: " if self.action else ""
        return f"{prefix}{self.content}"

    @property
    def result_text(self) -> str:
        """Column "Kết quả thực hiện": the result, and the evidence it rests on."""
        if self.evidence:
            return f"{self.result}\nMinh chứng: {self.evidence}".strip()
        return self.result

    @property
    def is_recorded(self) -> bool:
        return bool(self.result.strip())

    @property
    def cells(self) -> list[str]:
        """The printed cells in TABLE_VI_COLUMNS order (the point is printed once per group by the exporter
        or on every row, as it likes)."""
        return [self.point_label, self.content_text, self.result_text, self.adjustment, self.assessor]


@dataclass
class MonitoringPoint:
    """One row group of table VI ("Cuối học kỳ I", "Cuối năm học")."""

    point: str
    label: str
    rows: list[CheckRow]

    @property
    def recorded(self) -> bool:
        return any(r.is_recorded for r in self.rows)


@dataclass
class Plan57Document:
    """Biểu 2 as printed: sections I-VIII in order, plain values only."""

    title: str
    school_year: str
    unit: str
    info: list[tuple[str, str]]                      # I
    basis: list[tuple[str, str]]                     # II
    purpose: tuple[str, ...]                         # III.1 (printed)
    requirements: tuple[str, ...]                    # III.2 (printed)
    issues: list[IssueRow]                           # IV
    actions: list[ActionRow]                         # V
    monitoring: list[MonitoringPoint]                # VI
    organisation: list[tuple[str, str]]              # VII
    mechanism: tuple[str, ...]                       # VIII (printed)
    today: datetime.date | None = None
    headings: tuple[str, ...] = SECTION_HEADINGS
    table_iv_columns: tuple[str, ...] = TABLE_IV_COLUMNS
    table_iv_note: str = TABLE_IV_NOTE
    table_v_columns: tuple[str, ...] = TABLE_V_COLUMNS
    table_vi_columns: tuple[str, ...] = TABLE_VI_COLUMNS
    warnings: list[str] = field(default_factory=list)

    @property
    def overdue_actions(self) -> list[ActionRow]:
        return [a for a in self.actions if a.overdue]


def document_from_data(data: dict[str, Any], *, report: Report | None = None,
                       today: datetime.date | None = None) -> Plan57Document:
    """The printable Biểu 2 from ``snapshot_data`` (a live plan or a version's snapshot).

    Section I is the snapshot's; with ``report`` given, what the snapshot lacks comes from the
    school's record. ``today`` marks the overdue actions (end date past, not done); None marks none
    (a frozen version is printed as it was).
    """
    data = data or {}
    info = dict(data.get("info") or {})
    if report is not None:
        for key, value in report_info(report).items():
            info.setdefault(key, value)
    year = info.get("school_year", "") or "…"
    sections = data.get("sections") or {}
    issues = [
        IssueRow(int(row.get("number") or n), row.get("standard"), row.get("standard_title") or "",
                 *(str(row.get(f) or "") for f in ISSUE_FIELDS))
        for n, row in enumerate(data.get("issues") or [], start=1)
    ]
    actions = []
    for n, row in enumerate(data.get("actions") or [], start=1):
        start_on, end_on = _date(row.get("start_on")), _date(row.get("end_on"))
        status = row.get("status") or ""
        actions.append(ActionRow(
            int(row.get("number") or n), row.get("issue"),
            str(row.get("content") or ""), str(row.get("objective") or ""), str(row.get("activities") or ""),
            str(row.get("indicator") or ""), start_on, end_on, str(row.get("responsible") or ""),
            str(row.get("coordination") or ""), str(row.get("resources") or ""),
            str(row.get("expected_evidence") or ""), status,
            overdue=bool(today and end_on and end_on < today and status != "done"),
        ))
    checks = [
        CheckRow(row.get("point") or "", row.get("action"), *(str(row.get(f) or "") for f in CHECK_FIELDS),
                 _date(row.get("recorded_at")))
        for row in data.get("checks") or []
    ]
    monitoring = [MonitoringPoint(p, POINT_LABELS[p], [c for c in checks if c.point == p]) for p in MONITORING_POINTS]
    return Plan57Document(
        title=TITLE.format(year=year),
        school_year=year,
        unit=info.get("unit", ""),
        info=[(label, info.get(key, "")) for key, label in SECTION_I_LABELS],
        basis=[(label.format(year=year), str(sections.get(f) or "")) for f, label in SECTION_II_LABELS],
        purpose=SECTION_III_PURPOSE,
        requirements=SECTION_III_REQUIREMENTS,
        issues=issues,
        actions=actions,
        monitoring=monitoring,
        organisation=[(label, str(sections.get(f) or "")) for f, label in SECTION_VII_LABELS],
        mechanism=SECTION_VIII_TEXT,
        today=today,
        warnings=[PRIORITY_RULE] if data.get("per_criterion") else [],
    )


def document_for_plan(plan: Plan57, *, today: datetime.date | None = None) -> Plan57Document:
    """The printable Biểu 2 of the live plan (overdue actions marked as of ``today``)."""
    return document_from_data(snapshot_data(plan), report=plan.report, today=today)


# --- Checks ------------------------------------------------------------------------------------


def criteria_numbers(text: str) -> set[str]:
    """The criterion numbers ("1.2") named in a free text such as "1.2, 1.3"."""
    return set(_CRITERION_NUMBER.findall(text or ""))


def looks_per_criterion(*, criteria_count: int, issues: Iterable[Any], actions: Iterable[Any]) -> bool:
    """Whether the plan has about one issue or action per criterion of the report (against III.2.b).

    ``issues`` have a ``criteria`` text, ``actions`` are rows of table V (objects or dicts).
    """
    if criteria_count < PER_CRITERION_MIN:
        return False
    issues, actions = list(issues), list(actions)
    named: set[str] = set()
    for issue in issues:
        named |= criteria_numbers(issue["criteria"] if isinstance(issue, dict) else issue.criteria)
    threshold = PER_CRITERION_SHARE * criteria_count
    return len(actions) >= threshold or len(issues) >= threshold or len(named) >= threshold


def monitoring_missing(point: str, reports_or_plans) -> QuerySet[Plan57]:
    """The plans, among those of ``reports_or_plans`` (a queryset or list of Reports or Plan57s),
    without a recorded check (a table VI row with a result) at ``point``.

    Reports without a plan are not in the result (they have no Biểu 2 to follow).
    """
    if point not in MONITORING_POINTS:
        raise ValueError(f"Unknown monitoring point {point!r}")
    recorded = Plan57Check.objects.filter(plan=OuterRef("pk"), point=point).exclude(result="")
    qs = Plan57.objects.all()
    model = getattr(reports_or_plans, "model", None)
    if model is None:
        items = list(reports_or_plans)
        model = type(items[0]) if items else Plan57
        reports_or_plans = [getattr(i, "pk", i) for i in items]
    if model is Report:
        qs = qs.filter(report__in=reports_or_plans)
    else:
        qs = qs.filter(pk__in=reports_or_plans)
    return qs.filter(~Exists(recorded)).select_related("report__school", "report__school_year").order_by(
        "report__school__code")


def monitoring_dates_reader_register(reader: Callable[[Report], list[datetime.date | None]]) -> None:
    """Read the monitoring points' dates with ``reader`` (the last registered wins)."""
    if reader not in MONITORING_DATES_READERS:
        MONITORING_DATES_READERS.append(reader)


def monitoring_dates(report: Report) -> list[datetime.date | None]:
    """The date of each monitoring point (``MONITORING_POINTS`` order) the school's reviewing unit set
    for the report's year; None where it set none (or no app keeps the dates)."""
    if not MONITORING_DATES_READERS:
        return [None for _point in MONITORING_POINTS]
    return MONITORING_DATES_READERS[-1](report)
