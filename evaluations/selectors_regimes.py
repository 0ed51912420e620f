"""Dashboards that hold both regimes (issue 14 item 3): TT57/2026 beside the 2018 regulations.

For each school, two things that must never be one number:

- the school's report under **TT57/2026** for the school year the dashboard shows (by default the
  current school year, ``schools.years``): its status and its level, in TT57's words (Không đạt /
  Mức 1 / Mức 2);
- the school's **last level under the 2018 regulations** (TT17, 18, 19/2018: Mức 0-4, Cấp độ 1-4,
  chuẩn quốc gia), i.e. its latest report of a school year up to the one shown that it handed in
  to the reviewing unit (marked when not accepted yet; a draft's level is never shown), and its
  latest recognition certificate.

Each regime has its own cells, its own words (the rule family's labels) and its own heatmap (TT57:
15 criteria, the mandatory ones first; 2018: the 25-28 criteria of each regulation). The plan
monitoring roll-up lists the schools whose TT57 improvement plan (Biểu 2) has no check recorded for a
monitoring point (``selfassessment.plan57.monitoring_missing``).

Every read is a fixed number of queries whatever the number of schools.
"""

from __future__ import annotations

import datetime
import hashlib
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from typing import Any

from django.core.cache import cache
from django.db.models import Count, Max, Q, Sum
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from reviews import workflow as review_workflow
from reviews.selectors import SUMMARY_CACHE_SECONDS, criterion_numbers_sorted
from schools.models import School, SchoolYear
from selfassessment import plan57
from selfassessment.models import CriterionAssessment, Plan57, Plan57Check, Report
from selfassessment.selectors import YEAR_REPORT_ORDER, year_report_per_school
from standards.engine import EngineError
from standards.explain import family_labels
from standards.models import Criterion

from .models import Certificate, ReportingDeadline

TT57 = "tt57"
Y2018 = "2018"
FAMILIES = {TT57: "2026", Y2018: "2018"}
REGIME_CHOICES = ((TT57, gettext_lazy("TT57/2026")), (Y2018, gettext_lazy("Chế độ 2018 (TT17, 18, 19/2018)")))
# The 2018 level of a report the reviewing unit accepted; one handed in and still with the unit is
# shown too, marked as not accepted yet; a draft's or a returned report's level is still the
# school's work in progress and is never shown.
# The review workflow's groups (reviews.workflow): accepted and beyond; with the district.
ACCEPTED_STATUSES = review_workflow.LOCKED
HANDED_IN_STATUSES = review_workflow.WITH_DISTRICT
# Keys of the level counts: the levels of each family, then "none" (no report or no level yet).
NO_LEVEL = "none"


def regime_chosen(value) -> str:
    """The ``?regime=`` filter: "tt57", "2018", or "" for both."""
    value = str(value or "").strip()
    return value if value in FAMILIES else ""


def regime_label(regime: str) -> str:
    return str(dict(REGIME_CHOICES).get(regime, ""))


_LEVEL_WORDS: dict[tuple[str, str], dict[int, str]] = {}


def level_words(regime: str) -> dict[int, str]:
    """The school levels of the regime's rule family in the reader's language (read once per
    language: a page asks for them in every cell; the dict is shared, read it only)."""
    key = (regime, get_language() or "")
    if key not in _LEVEL_WORDS:
        try:
            _LEVEL_WORDS[key] = dict(family_labels(FAMILIES[regime]).school_levels)
        except EngineError:
            return {}
    return _LEVEL_WORDS[key]


def level_css(level: int | None) -> str:
    return "level-none" if level is None else f"level-{max(0, min(4, int(level)))}"


# --- Cells -----------------------------------------------------------------------------------------


@dataclass
class Tt57Cell:
    """The school's TT57/2026 report of the year: its status and level (0 Không đạt, 1, 2)."""

    report_id: int
    status: str
    level: int | None
    version_id: int | None = None

    @property
    def level_label(self) -> str:
        if self.level is None:
            return _("Chưa xác định")
        return level_words(TT57).get(self.level, str(self.level))

    @property
    def status_label(self) -> str:
        return str(Report.Status(self.status).label) if self.status in Report.Status.values else self.status

    @property
    def css(self) -> str:
        return level_css(self.level)


@dataclass
class Last2018Cell:
    """The school's last level under a 2018 regulation (of a report accepted, or handed in and marked so)."""

    report_id: int
    school_year: str
    regulation: str
    level: int | None
    accreditation_level: int | None
    national_standard: int | None
    version_id: int | None = None
    status: str = Report.Status.ACCEPTED

    @property
    def accepted(self) -> bool:
        return self.status in ACCEPTED_STATUSES

    @property
    def status_label(self) -> str:
        return str(Report.Status(self.status).label) if self.status in Report.Status.values else self.status

    @property
    def level_label(self) -> str:
        if self.level is None:
            return _("Chưa xác định")
        return level_words(Y2018).get(self.level, str(self.level))

    @property
    def accreditation_label(self) -> str:
        if not self.accreditation_level:
            return _("Chưa đạt cấp độ")
        return _("Cấp độ %(n)s") % {"n": self.accreditation_level}

    @property
    def css(self) -> str:
        return level_css(self.level)


@dataclass
class CertificateCell:
    """The school's latest recognition certificate (Cấp độ of the 2018 regulations) and its validity."""

    certificate: Any
    state: str  # valid, expiring, expired

    @property
    def label(self) -> str:
        return {"valid": _("Còn hiệu lực"), "expiring": _("Sắp hết hạn"), "expired": _("Hết hiệu lực")}.get(
            self.state, self.state)

    @property
    def css(self) -> str:
        return {"valid": "text-bg-success", "expiring": "text-bg-warning", "expired": "text-bg-danger"}.get(
            self.state, "text-bg-light")

    @property
    def text(self) -> str:
        """One line: "Cấp độ 2 · Còn hiệu lực (đến 12/05/2029)"."""
        c = self.certificate
        return f"{c.get_accreditation_level_display()} · {self.label} ({c.valid_until:%d/%m/%Y})"


@dataclass
class RegimeRow:
    school_id: int
    tt57: Tt57Cell | None = None
    last_2018: Last2018Cell | None = None
    certificate: CertificateCell | None = None


@dataclass
class RegimeHeatmap:
    """Criteria × schools (or units) of one regulation in one regime."""

    regime: str
    regulation: str
    numbers: list[str]
    mandatory: list[str]
    rows: list[tuple[Any, list[int | None]]]
    summary: list[dict[str, Any]]
    legend: tuple[tuple[int, str], ...] = ()

    @property
    def regime_label(self) -> str:
        return regime_label(self.regime)

    @property
    def columns(self) -> list[tuple[str, bool]]:
        """(number, mandatory) of each column, in the heatmap's order."""
        return [(n, n in self.mandatory) for n in self.numbers]


@dataclass
class MonitoringPoint:
    """One monitoring point of the TT57 improvement plans and the schools with no check recorded."""

    point: str
    label: str
    due: datetime.date | None
    plans: int  # the TT57 reports' improvement plans (Biểu 2) looked at
    missing: list[Any]  # school rows (pk, code, name) whose plan has no check for the point
    overdue: bool = False  # the monitoring date has passed with schools still missing
    without_plan: list[Any] = field(default_factory=list)  # schools with a TT57 report but no Biểu 2 yet
    # The Sở's overview counts the schools of a whole city without listing them (its units table
    # gives the count per unit): then these are the counts and the lists above are empty.
    missing_n: int | None = None
    without_plan_n: int | None = None

    @property
    def missing_total(self) -> int:
        return len(self.missing) if self.missing_n is None else self.missing_n

    @property
    def without_plan_total(self) -> int:
        return len(self.without_plan) if self.without_plan_n is None else self.without_plan_n

    @property
    def listed(self) -> bool:
        """The schools are listed (a unit's dashboard), not only counted (the Sở's overview)."""
        return self.missing_n is None


@dataclass
class RegimeBoard:
    regime: str  # the filter: "" both, "tt57", "2018"
    school_year: SchoolYear | None
    rows: dict[int, RegimeRow]
    tt57_counts: dict[str, int] = field(default_factory=dict)
    y2018_counts: dict[str, int] = field(default_factory=dict)
    heatmaps: list[RegimeHeatmap] = field(default_factory=list)
    monitoring: list[MonitoringPoint] = field(default_factory=list)

    @property
    def show_tt57(self) -> bool:
        return self.regime in ("", TT57)

    @property
    def show_2018(self) -> bool:
        return self.regime in ("", Y2018)

    @property
    def tt57_levels(self) -> list[tuple[str, str, int]]:
        """(key, words, schools) per TT57 level, then the schools without a level."""
        return _counted(TT57, self.tt57_counts)

    @property
    def y2018_levels(self) -> list[tuple[str, str, int]]:
        return _counted(Y2018, self.y2018_counts)

    def row(self, school_id: int) -> RegimeRow:
        return self.rows.get(school_id) or RegimeRow(school_id)


def _counted(regime: str, counts: dict[str, int]) -> list[tuple[str, str, int]]:
    words = level_words(regime)
    rows = [(str(level), name, counts.get(str(level), 0)) for level, name in sorted(words.items())]
    rows.append((NO_LEVEL, _("Chưa có mức"), counts.get(NO_LEVEL, 0)))
    return rows


# --- Reads ----------------------------------------------------------------------------------------


def _tt57_query(schools: Q, school_year: SchoolYear | None, kind: str):
    return Report.objects.filter(schools, school_year=school_year, kind=kind,
                                 regulation_version__regulation__family=FAMILIES[TT57])


def _tt57_reports(schools: Q, school_year: SchoolYear | None, kind: str, *,
                  skipped: set[int] | None = None) -> dict[int, Tt57Cell]:
    """The TT57 report of each school for the year and kind: the open one, else the latest closed (one
    query). ``skipped``, when given, receives the ids of the reports not chosen (a closed one beside
    the school's open one)."""
    if school_year is None:
        return {}
    rows = list(
        _tt57_query(schools, school_year, kind).order_by(*YEAR_REPORT_ORDER)
        .values_list("pk", "school_id", "status", "school_level", "regulation_version_id")
    )
    chosen = year_report_per_school(rows, school_of=lambda row: row[1], status_of=lambda row: row[2])
    if skipped is not None:
        skipped.update({row[0] for row in rows} - {row[0] for row in chosen.values()})
    return {
        school_id: Tt57Cell(pk, status, level, version_id)
        for school_id, (pk, _school_id, status, level, version_id) in chosen.items()
    }


def _last_2018(schools: Q, school_year: SchoolYear | None) -> dict[int, Last2018Cell]:
    """Each school's latest report under a 2018 regulation of a year up to ``school_year``, accepted or
    handed in (within a year: an accepted one first, then the report for external evaluation before
    the periodic one; one query)."""
    condition = Q(regulation_version__regulation__family=FAMILIES[Y2018],
                  status__in=ACCEPTED_STATUSES | HANDED_IN_STATUSES)
    if school_year is not None:
        condition &= Q(school_year__start_date__lte=school_year.start_date)
    rows = (
        Report.objects.filter(schools, condition)
        .order_by("school_id", "-school_year__start_date", "kind", "-pk")
        .values_list("pk", "school_id", "school_year__code", "regulation_version__regulation__code",
                      "school_level", "accreditation_level", "national_standard", "regulation_version_id", "status")
    )
    cells: dict[int, Last2018Cell] = {}
    for pk, school_id, year, code, level, accreditation, national, version_id, status in rows:
        current = cells.get(school_id)
        if current is None or (current.school_year == year and not current.accepted and status in ACCEPTED_STATUSES):
            cells[school_id] = Last2018Cell(pk, year, code, level, accreditation, national, version_id, status)
    return cells


def _certificates(school_ids: list[int], today: datetime.date) -> dict[int, CertificateCell]:
    from .selectors import latest_certificates

    return {
        school_id: CertificateCell(certificate, certificate.validity_state(today))
        for school_id, certificate in latest_certificates(school_ids).items()
    }


def _criteria(version_ids) -> dict[int, dict[str, Any]]:
    """The criteria of these regulation versions with their regulation (one query)."""
    if not version_ids:
        return {}
    return {
        c["id"]: c for c in Criterion.objects.filter(standard__version_id__in=list(version_ids))
        .order_by("standard__position", "position", "pk")
        .values("id", "number", "title", "mandatory", "standard__version_id", "standard__version__regulation__code",
                "standard__version__regulation__family", "standard__version__code", "standard__version__is_base")
    }


def _version_label(criterion: dict[str, Any]) -> str:
    """"TT18/2018", or "TT18/2018 (TT22/2024)" for an amended version (two heatmaps never share a title)."""
    code = criterion["standard__version__regulation__code"]
    if criterion["standard__version__is_base"] or not criterion["standard__version__code"]:
        return code
    return f"{code} ({criterion['standard__version__code']})"


def _ordered_numbers(regime: str, criteria: list[dict[str, Any]]) -> tuple[list[str], list[str]]:
    """The heatmap's columns: under TT57 the mandatory criteria first (catalog order), then the others."""
    numbers = criterion_numbers_sorted({c["number"] for c in criteria})
    mandatory = [n for n in numbers if any(c["number"] == n and c["mandatory"] for c in criteria)]
    if regime == TT57:
        numbers = mandatory + [n for n in numbers if n not in mandatory]
    return numbers, mandatory


def _legend(regime: str) -> tuple[tuple[int, str], ...]:
    return tuple(sorted(level_words(regime).items()))


def _school_heatmaps(
    regime: str, reports: dict[int, Any], page_schools: list[Any], criteria: dict[int, dict[str, Any]],
    page_levels: dict[int, dict[int, int | None]], summary: dict[int, dict[str, Any]], version_of: dict[int, int],
) -> list[RegimeHeatmap]:
    """One heatmap per regulation of the regime: the page's schools × its criteria, and the mean of
    every school of the filter."""
    by_version: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for criterion in criteria.values():
        if criterion["standard__version__regulation__family"] == FAMILIES[regime]:
            by_version[criterion["standard__version_id"]].append(criterion)
    used = {version_of[cell.report_id] for cell in reports.values() if cell.report_id in version_of}
    heatmaps = []
    for version_id in sorted(used & set(by_version), key=lambda v: _version_label(by_version[v][0])):
        version_criteria = by_version[version_id]
        numbers, mandatory = _ordered_numbers(regime, version_criteria)
        ids_by_number = {c["number"]: c["id"] for c in version_criteria}
        rows = []
        for school in page_schools:
            cell = reports.get(school.pk)
            if cell is None or version_of.get(cell.report_id) != version_id:
                continue
            levels = page_levels.get(cell.report_id, {})
            rows.append((school, [levels.get(ids_by_number[n]) for n in numbers]))
        empty = {"n": 0, "mean": 0, "level": None, "below1": 0, "below2": 0}
        heatmaps.append(RegimeHeatmap(
            regime=regime, regulation=_version_label(version_criteria[0]),
            numbers=numbers, mandatory=mandatory, rows=rows,
            summary=[{"number": n, "mandatory": n in mandatory,
                      "title": next(c["title"] for c in version_criteria if c["number"] == n),
                      **summary.get(ids_by_number[n], empty)} for n in numbers],
            legend=_legend(regime),
        ))
    return heatmaps


def _summary(report_ids: list[int]) -> dict[int, dict[str, Any]]:
    """Per criterion id over these reports: schools, mean level, how many below Mức 1 and Mức 2 (one query)."""
    if not report_ids:
        return {}
    summary = {}
    for row in (
        CriterionAssessment.objects.filter(report_id__in=report_ids, level__isnull=False).values("criterion_id")
        .annotate(n=Count("pk"), total=Sum("level"), below1=Count("pk", filter=Q(level__lt=1)),
                  below2=Count("pk", filter=Q(level__lt=2))).order_by()
    ):
        n = row["n"]
        summary[row["criterion_id"]] = {"n": n, "mean": round(row["total"] / n, 2), "level": row["total"] // n,
                                        "below1": row["below1"], "below2": row["below2"]}
    return summary


def _versions(*cell_maps) -> dict[int, int]:
    """report id -> regulation version id of these cells (read with them: no query)."""
    return {cell.report_id: cell.version_id for cells in cell_maps for cell in cells.values()}


def _level_counts(cells, school_ids) -> dict[str, int]:
    counts: Counter[str] = Counter()
    for school_id in school_ids:
        cell = cells.get(school_id)
        counts[NO_LEVEL if cell is None or cell.level is None else str(cell.level)] += 1
    return dict(counts)


# --- Monitoring of the TT57 improvement plans (Biểu 2) ------------------------------------------------


MONITORING_LABELS = {"semester1": gettext_lazy("Cuối học kỳ I"), "year_end": gettext_lazy("Cuối năm học")}


def monitoring_missing_reports(point: str, report_ids) -> set[int]:
    """The TT57 reports among these (a list of ids or a query of them) whose plan has no check recorded
    for ``point`` (a fixed number of queries, by ``selfassessment.plan57.monitoring_missing``)."""
    if isinstance(report_ids, list | set | tuple) and not report_ids:
        return set()
    return set(plan57.monitoring_missing(point, Report.objects.filter(pk__in=report_ids)).values_list("report_id", flat=True))


def _monitoring_due(unit_ids: list[int], school_year: SchoolYear | None) -> dict[tuple[int, str], datetime.date]:
    """(unit, point) -> the monitoring date the unit set for the year (evaluations.ReportingDeadline, one query)."""

    if school_year is None:
        return {}
    periods = {f"monitoring_{point}": point for point in MONITORING_LABELS}
    return {
        (unit_id, periods[period]): due
        for unit_id, period, due in ReportingDeadline.objects.filter(
            unit_id__in=unit_ids, school_year=school_year, period__in=list(periods)
        ).order_by().values_list("unit_id", "period", "due_date")
    }


def _planned(report_ids) -> set[int]:
    """The reports among these (a list of ids or a query of them) that have an improvement plan (Biểu 2; one query)."""
    if isinstance(report_ids, list | set | tuple) and not report_ids:
        return set()
    return set(Plan57.objects.filter(report_id__in=report_ids).values_list("report_id", flat=True))


def _monitoring(points, tt57: dict[int, Tt57Cell], schools_by_id: dict[int, Any], due_of,
                today: datetime.date, report_ids=None) -> list[MonitoringPoint]:
    """Per point, the schools whose plan has no check recorded (one query per point, one for the plans).
    ``report_ids``: the reports of ``tt57`` as a query (thousands of them on the Sở's overview), else
    their list."""
    school_of_report = {cell.report_id: school_id for school_id, cell in tt57.items()}
    reports = list(school_of_report) if report_ids is None or not tt57 else report_ids
    planned = _planned(reports)
    result = []
    for point in points:
        label = str(MONITORING_LABELS[point])
        missing = monitoring_missing_reports(point, reports)

        def schools(report_ids):
            return sorted((schools_by_id[school_of_report[r]] for r in report_ids if r in school_of_report),
                          key=lambda s: s.code)

        due = due_of(point)
        late = schools(missing)
        result.append(MonitoringPoint(point, label, due, len(planned), late, overdue=bool(due and late and due < today),
                                      without_plan=schools(set(school_of_report) - planned)))
    return result


# --- The reviewing unit's dashboard ---------------------------------------------------------------


def district_board(*, unit, school_year: SchoolYear | None, kind: str, rows, page_rows, regime: str = "",
                   today: datetime.date | None = None) -> RegimeBoard:
    """Both regimes of the dashboard's schools.

    ``rows``: the dashboard's rows of the filter (each with ``school`` and, for the page, the
    ``certificate`` cell the dashboard read); ``page_rows``: those shown on the page (their heatmap
    rows). Eight queries at most, whatever the number of schools.
    """

    today = today or timezone.localdate()
    regime = regime_chosen(regime)
    school_ids = [row.school.pk for row in rows]
    schools = Q(school_id__in=school_ids)
    tt57 = _tt57_reports(schools, school_year, kind) if school_ids else {}
    last = _last_2018(schools, school_year) if school_ids else {}
    certificates = {}
    for row in page_rows:
        cell = getattr(row, "certificate", None)
        if cell is not None:
            certificates[row.school.pk] = CertificateCell(cell.certificate, cell.state)
    board = RegimeBoard(
        regime=regime, school_year=school_year,
        rows={pk: RegimeRow(pk, tt57.get(pk), last.get(pk), certificates.get(pk)) for pk in school_ids},
        tt57_counts=_level_counts(tt57, school_ids), y2018_counts=_level_counts(last, school_ids),
    )
    shown = {TT57: tt57 if board.show_tt57 else {}, Y2018: last if board.show_2018 else {}}
    all_reports = [c.report_id for cells in shown.values() for c in cells.values()]
    version_of = _versions(*shown.values())
    criteria = _criteria(set(version_of.values()))
    page_ids = {row.school.pk for row in page_rows}
    page_reports = [c.report_id for cells in shown.values() for pk, c in cells.items() if pk in page_ids]
    page_levels: dict[int, dict[int, int | None]] = defaultdict(dict)
    if page_reports:
        for report_id, criterion_id, level in CriterionAssessment.objects.filter(
            report_id__in=page_reports
        ).order_by().values_list("report_id", "criterion_id", "level"):
            page_levels[report_id][criterion_id] = level
    summary = _summary(all_reports)
    page_schools = [row.school for row in page_rows]
    for key in (TT57, Y2018):
        if shown[key]:
            board.heatmaps += _school_heatmaps(key, shown[key], page_schools, criteria, page_levels, summary,
                                               version_of)
    if board.show_tt57:
        due = _monitoring_due([unit.pk], school_year)
        schools_by_id = {row.school.pk: row.school for row in rows}
        board.monitoring = _monitoring(_points(due, unit.pk, today), tt57, schools_by_id,
                                       lambda point: due.get((unit.pk, point)), today)
    return board


def _points(due: dict, unit_id: int | None, today: datetime.date) -> list[str]:
    """End of semester I always; the end of the year once its monitoring date has come."""
    points = ["semester1"]
    year_end = [d for (u, p), d in due.items() if p == "year_end" and (unit_id is None or u == unit_id)]
    if year_end and min(year_end) <= today:
        points.append("year_end")
    return points


# --- The XLSX of the dashboard: the same columns as the page --------------------------------------


def sheet_columns(board: RegimeBoard) -> list[tuple[str, int, str]]:
    """(title, width, kind) of the regime columns of the dashboard's sheet, as the page shows them."""
    year = board.school_year.code if board.school_year else "—"
    columns = []
    if board.show_tt57:
        columns += [(_("TT57/2026: trạng thái báo cáo năm học %(year)s") % {"year": year}, 18, "text"),
                    (_("TT57/2026: mức của trường"), 14, "center")]
    if board.show_2018:
        columns += [(_("Chế độ 2018: mức gần nhất"), 14, "center"), (_("Chế độ 2018: năm học của mức"), 12, "center"),
                    (_("Chế độ 2018: cấp độ kiểm định"), 14, "center"), (_("Chứng nhận (chế độ 2018)"), 30, "text")]
    return columns


def sheet_cells(board: RegimeBoard, school_id: int) -> list[Any]:
    row = board.row(school_id)
    cells: list[Any] = []
    if board.show_tt57:
        cells += [row.tt57.status_label if row.tt57 else _("Chưa có báo cáo TT57"),
                  row.tt57.level_label if row.tt57 else ""]
    if board.show_2018:
        last = row.last_2018
        year = "" if last is None else last.school_year if last.accepted else _(
            "%(year)s (%(status)s, chưa được chấp nhận)") % {"year": last.school_year, "status": last.status_label}
        cells += [last.level_label if last else _("Chưa có"), year,
                  last.accreditation_label if last else "", row.certificate.text if row.certificate else _("Chưa có")]
    return cells


# --- The Sở's overview ------------------------------------------------------------------------------


@dataclass
class UnitRegimes:
    unit: Any
    schools: int = 0
    tt57_counts: dict[str, int] = field(default_factory=dict)
    y2018_counts: dict[str, int] = field(default_factory=dict)
    certificates: dict[str, int] = field(default_factory=dict)  # valid, expiring, expired
    monitoring_missing: int = 0

    def tt57_levels(self) -> list[tuple[str, str, int]]:
        return _counted(TT57, self.tt57_counts)

    def y2018_levels(self) -> list[tuple[str, str, int]]:
        return _counted(Y2018, self.y2018_counts)


@dataclass(frozen=True)
class SchoolEntry:
    pk: int
    code: str
    name: str
    level: str
    unit_id: int

    @property
    def level_label(self) -> str:
        return str(dict(School.Level.choices).get(self.level, self.level))


@dataclass
class DepartmentBoard(RegimeBoard):
    units: list[UnitRegimes] = field(default_factory=list)
    schools: list[SchoolEntry] = field(default_factory=list)  # the page's schools
    school_total: int = 0
    page: int = 1
    pages: int = 1
    units_by_id: dict[int, Any] = field(default_factory=dict)


DEPARTMENT_PAGE_SIZE = 50


def department_board(*, units, school_year: SchoolYear | None, kind: str, regime: str = "", page: int = 1,
                     today: datetime.date | None = None, page_units=None) -> DepartmentBoard:
    """Both regimes unit by unit (level counts, certificates, missing monitoring), criteria × units
    per regime, and one page of the schools with their two regimes (a fixed number of queries).

    ``units``: every unit of the Sở, whose schools make the whole-city counts, the heatmaps' means,
    the monitoring counts and the pages of schools; ``page_units``: the units whose rows are shown
    (the units table and the heatmaps' rows; all of ``units`` when None). The figures over every
    school are computed once per state of their data (``_department_figures``); what the page
    shows of single schools is read for the page's schools only.
    """

    today = today or timezone.localdate()
    regime = regime_chosen(regime)
    units = list(units)
    page_units = units if page_units is None else list(page_units)
    unit_ids = [u.pk for u in units]
    figures = _department_figures(unit_ids, school_year, kind, today)
    pages = max((figures["schools"] + DEPARTMENT_PAGE_SIZE - 1) // DEPARTMENT_PAGE_SIZE, 1)
    page = min(max(page, 1), pages)
    start = (page - 1) * DEPARTMENT_PAGE_SIZE
    page_entries = [
        SchoolEntry(*values) for values in
        School.objects.filter(reviewing_unit_id__in=unit_ids, status=School.Status.ACTIVE)
        .order_by("reviewing_unit__name", "level", "code")
        .values_list("pk", "code", "name", "level", "reviewing_unit_id")[start:start + DEPARTMENT_PAGE_SIZE]
    ] if unit_ids else []
    page_ids = [e.pk for e in page_entries]
    schools = Q(school_id__in=page_ids)
    tt57 = _tt57_reports(schools, school_year, kind) if page_ids else {}
    last = _last_2018(schools, school_year) if page_ids else {}
    certificates = _certificates(page_ids, today) if page_ids else {}
    board = DepartmentBoard(
        regime=regime, school_year=school_year,
        rows={pk: RegimeRow(pk, tt57.get(pk), last.get(pk), certificates.get(pk)) for pk in page_ids},
        tt57_counts=figures["tt57_counts"], y2018_counts=figures["y2018_counts"],
        schools=page_entries, school_total=figures["schools"], page=page, pages=pages,
        units_by_id={u.pk: u for u in units},
    )
    empty = {"schools": 0, "tt57_counts": {}, "y2018_counts": {}, "monitoring_missing": 0,
             "certificates": {"valid": 0, "expiring": 0, "expired": 0}}
    board.units = [UnitRegimes(u, **figures["units"].get(u.pk, empty)) for u in page_units]
    # The cached figures hold numbers and ids: the words are the reader's language, the rows the page's units in its order.
    for key in (TT57, Y2018):
        if key == TT57 and not board.show_tt57 or key == Y2018 and not board.show_2018:
            continue
        for heatmap in figures["heatmaps"][key]:
            cells = dict(heatmap.rows)
            rows = [(unit, cells[unit.pk]) for unit in page_units if unit.pk in cells]
            board.heatmaps.append(replace(heatmap, rows=rows, legend=_legend(key)))
    if board.show_tt57:
        board.monitoring = [replace(point, label=str(MONITORING_LABELS[point.point])) for point in figures["monitoring"]]
    return board


def _state(qs, *aggregates) -> str:
    return repr(tuple(qs.order_by().aggregate(*aggregates).values()))


def _department_keys(unit_ids: list[int], school_year: SchoolYear | None, kind: str,
                     today: datetime.date) -> dict[str, str]:
    """A key per part of the overview's figures that changes whenever any figure of the part may
    have changed (as ``reviews.selectors._summary_key`` for a unit's criterion summary): the state
    of what the part reads, for the schools of these units. Seven aggregate queries, whatever the
    number of schools.

    Every part: the schools (count, last change). TT57: the reports of the year and kind under
    TT57 (count, last change, last level computation: the self-assessment app stamps
    ``levels_computed_at`` whenever it recomputes the criterion levels), their improvement plans
    (Biểu 2), the plans' monitoring rows (count, last row, sum of the revisions every edit
    increments), the units' deadlines of the year, and the day (an overdue monitoring date). 2018:
    the reports under a 2018 regulation up to the year. Certificates: the certificates and the day
    (their validity). A report submitted in December changes the TT57 part only.
    """

    reports = Report.objects.filter(school__reviewing_unit_id__in=unit_ids)
    tt57 = reports.filter(school_year=school_year, kind=kind, regulation_version__regulation__family=FAMILIES[TT57])
    y2018 = reports.filter(regulation_version__regulation__family=FAMILIES[Y2018])
    if school_year is not None:
        y2018 = y2018.filter(school_year__start_date__lte=school_year.start_date)
    report_state = (Count("pk"), Max("updated_at"), Max("levels_computed_at"))
    common = [",".join(map(str, sorted(unit_ids))), school_year.pk if school_year else "", kind,
              _state(School.objects.filter(reviewing_unit_id__in=unit_ids), Count("pk"), Max("updated_at"))]
    parts = {
        TT57: [
            today.isoformat(), _state(tt57, *report_state),
            _state(Plan57.objects.filter(report__in=tt57), Count("pk"), Max("updated_at")),
            _state(Plan57Check.objects.filter(plan__report__in=tt57), Count("pk"), Max("pk"), Sum("revision")),
            _state(ReportingDeadline.objects.filter(unit_id__in=unit_ids, school_year=school_year),
                   Count("pk"), Max("updated_at")),
        ],
        Y2018: [_state(y2018, *report_state)],
        "certificates": [today.isoformat(), _state(Certificate.objects.filter(school__reviewing_unit_id__in=unit_ids),
                                                   Count("pk"), Max("updated_at"))],
    }
    keys = {}
    for part, state in parts.items():
        digest = hashlib.sha1(usedforsecurity=False)
        for value in (*common, *state):
            digest.update(f"{value};".encode())
        keys[part] = f"evaluations:department-board:{part}:{digest.hexdigest()}"
    return keys


def _department_figures(unit_ids: list[int], school_year: SchoolYear | None, kind: str,
                        today: datetime.date) -> dict[str, Any]:
    """The overview's figures over every school of the units, in three parts (TT57, 2018,
    certificates), each computed once per state of its data (``_department_keys``) and kept in the
    cache (Redis when configured)."""


    keys = _department_keys(unit_ids, school_year, kind, today)
    found = cache.get_many(list(keys.values()))
    entries: list[tuple[int, int]] | None = None
    parts: dict[str, dict[str, Any]] = {}
    for part, key in keys.items():
        if key not in found:
            if entries is None:
                entries = list(School.objects.filter(reviewing_unit_id__in=unit_ids, status=School.Status.ACTIVE)
                               .order_by().values_list("pk", "reviewing_unit_id"))
            found[key] = _DEPARTMENT_PARTS[part](entries, unit_ids, school_year, kind, today)
            cache.set(key, found[key], SUMMARY_CACHE_SECONDS)
        parts[part] = found[key]
    tt57, y2018, certificates = parts[TT57], parts[Y2018], parts["certificates"]
    units = {
        unit_id: {**row, "y2018_counts": y2018["units"].get(unit_id, {}),
                  "certificates": certificates["units"].get(unit_id, {"valid": 0, "expiring": 0, "expired": 0})}
        for unit_id, row in tt57["units"].items()
    }
    return {"schools": tt57["schools"], "units": units, "tt57_counts": tt57["counts"], "y2018_counts": y2018["counts"],
            "heatmaps": {TT57: tt57["heatmaps"], Y2018: y2018["heatmaps"]}, "monitoring": tt57["monitoring"]}


def _by_unit(entries: list[tuple[int, int]]) -> dict[int, list[int]]:
    by_unit: dict[int, list[int]] = defaultdict(list)
    for pk, unit_id in entries:
        by_unit[unit_id].append(pk)
    return by_unit


def _tt57_part(entries, unit_ids, school_year, kind, today) -> dict[str, Any]:
    """Per unit: its schools, their TT57 levels, the schools without a semester-I check; the TT57
    heatmaps (rows keyed by unit id) and the monitoring points (counted, not listed)."""
    schools = Q(school__reviewing_unit_id__in=unit_ids, school__status=School.Status.ACTIVE)
    skipped: set[int] = set()
    tt57 = _tt57_reports(schools, school_year, kind, skipped=skipped) if unit_ids else {}
    # The chosen reports as a query, not a list of thousands of ids (Django prepares every id of a list).
    chosen = _tt57_query(schools, school_year, kind).exclude(pk__in=skipped).values("pk")
    units = {unit_id: {"schools": len(ids), "tt57_counts": _level_counts(tt57, ids), "monitoring_missing": 0}
             for unit_id, ids in _by_unit(entries).items()}
    due = _monitoring_due(unit_ids, school_year)
    entries_by_id = {pk: SchoolEntry(pk, "", "", "", unit_id) for pk, unit_id in entries}
    monitoring = _monitoring(
        _points(due, None, today), tt57, entries_by_id,
        lambda point: min((d for (u, p), d in due.items() if p == point), default=None), today, report_ids=chosen,
    )
    if monitoring:
        for entry in monitoring[0].missing:
            units[entry.unit_id]["monitoring_missing"] += 1
    for point in monitoring:  # counted, not listed: a city has thousands of schools
        point.missing_n, point.without_plan_n = len(point.missing), len(point.without_plan)
        point.missing, point.without_plan = [], []
    return {"schools": len(entries), "units": units, "counts": _level_counts(tt57, [pk for pk, _unit in entries]),
            "heatmaps": _unit_heatmaps(TT57, tt57, unit_ids, report_ids=chosen) if tt57 else [], "monitoring": monitoring}


def _y2018_part(entries, unit_ids, school_year, kind, today) -> dict[str, Any]:
    """Per unit: the last 2018 levels of its schools; the 2018 heatmaps (rows keyed by unit id)."""
    schools = Q(school__reviewing_unit_id__in=unit_ids, school__status=School.Status.ACTIVE)
    last = _last_2018(schools, school_year) if unit_ids else {}
    return {"units": {unit_id: _level_counts(last, ids) for unit_id, ids in _by_unit(entries).items()},
            "counts": _level_counts(last, [pk for pk, _unit in entries]),
            "heatmaps": _unit_heatmaps(Y2018, last, unit_ids) if last else []}


def _certificates_part(entries, unit_ids, school_year, kind, today) -> dict[str, Any]:
    """Per unit: its schools' latest certificates by validity on the day."""
    certificates = _certificates([pk for pk, _unit in entries], today) if entries else {}
    units = {}
    for unit_id, ids in _by_unit(entries).items():
        states = Counter(certificates[i].state for i in ids if i in certificates)
        units[unit_id] = {state: states.get(state, 0) for state in ("valid", "expiring", "expired")}
    return {"units": units}


_DEPARTMENT_PARTS = {TT57: _tt57_part, Y2018: _y2018_part, "certificates": _certificates_part}


def _unit_heatmaps(regime: str, reports: dict[int, Any], unit_ids: list[int], report_ids=None) -> list[RegimeHeatmap]:
    """Criteria × units of each regulation of the regime: the mean level of the unit's schools, a row
    (unit id, cells) per unit (two queries). ``report_ids``: the reports of ``reports`` as a query (else
    their list)."""
    school_of_report = {cell.report_id: school_id for school_id, cell in reports.items()}
    version_of = _versions(reports)
    criteria = _criteria(set(version_of.values()))
    cells: dict[tuple[int, int], dict[str, Any]] = {}
    totals: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    if school_of_report:
        # Summed in the database per criterion and unit (a few thousand rows for a city), not per report
        # (one row per criterion of every school's report: 84,000 for 3,000 schools).
        for criterion_id, unit_id, total, n in (
            CriterionAssessment.objects.filter(
                report_id__in=list(school_of_report) if report_ids is None else report_ids, level__isnull=False)
            .values_list("criterion_id", "report__school__reviewing_unit_id")
            .annotate(total=Sum("level"), n=Count("pk")).order_by()
        ):
            cell = cells.setdefault((criterion_id, unit_id), {"total": 0, "n": 0})
            cell["total"] += total
            cell["n"] += n
            totals[criterion_id][0] += total
            totals[criterion_id][1] += n
    for cell in cells.values():
        cell["mean"] = round(cell["total"] / cell["n"], 2)
        cell["level"] = cell["total"] // cell["n"]
    by_version: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for criterion in criteria.values():
        if criterion["standard__version__regulation__family"] == FAMILIES[regime]:
            by_version[criterion["standard__version_id"]].append(criterion)
    heatmaps = []
    for version_id in sorted(by_version, key=lambda v: _version_label(by_version[v][0])):
        version_criteria = by_version[version_id]
        numbers, mandatory = _ordered_numbers(regime, version_criteria)
        ids_by_number = {c["number"]: c["id"] for c in version_criteria}
        rows = []
        for unit_id in unit_ids:
            values = [cells.get((ids_by_number[n], unit_id)) for n in numbers]
            if any(values):
                rows.append((unit_id, values))
        summary = []
        for n in numbers:
            total, count = totals.get(ids_by_number[n], (0, 0))
            summary.append({"number": n, "mandatory": n in mandatory, "n": count,
                            "mean": round(total / count, 2) if count else 0, "level": total // count if count else None})
        heatmaps.append(RegimeHeatmap(regime=regime, regulation=_version_label(version_criteria[0]),
                                      numbers=numbers, mandatory=mandatory, rows=rows, summary=summary,
                                      legend=_legend(regime)))
    return heatmaps
