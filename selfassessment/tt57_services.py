"""Writes and reads specific to TT57/2026 reports (Biểu 1): evidence hints ticked by hand, the
report's approval date, and the three-year data form of Phần IV.

Texts and verdicts of a TT57 report go through the ordinary services (``passage_save``,
``indicator_verdict_set``), which is what keeps one history, one conflict rule and one level
refresh for every regulation.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kiemdinh.permissions import require
from schools.models import User
from standards.models import Criterion

from . import tt57_dataform as dataform
from .models import CriterionAssessment, DataTable, Report
from .services import ConflictError, ReportError, _lock_report, _touch
from .tt57 import quant_row_key

FORM_KEY = "tt57_form"
# điểm d khoản 3 Điều 9: the report is approved before 15/6 of the school year.
APPROVAL_DAY, APPROVAL_MONTH = 15, 6


def approval_deadline(report: Report) -> datetime.date:
    """15/6 of the second calendar year of the report's school year."""
    return datetime.date(int(report.school_year.code[:4]) + 1, APPROVAL_MONTH, APPROVAL_DAY)


@transaction.atomic
def hint_set(*, report: Report, criterion: Criterion, index: int, covered: bool, by: User) -> CriterionAssessment:
    """Mark one of the criterion's suggested evidence (evidence_hints) as covered, or not, by hand."""
    report = _lock_report(report)
    require(by, "criterion.edit", (report, criterion.pk))
    assessment = CriterionAssessment.objects.select_for_update().filter(report=report, criterion=criterion).first()
    if assessment is None:
        raise ReportError(_("Tiêu chí không thuộc bộ tiêu chuẩn của báo cáo."))
    if not 0 <= index < len(criterion.evidence_hints or []):
        raise ReportError(_("Gợi ý minh chứng không tồn tại; hãy tải lại trang."))
    ticked = set(assessment.hints_covered or [])
    before = set(ticked)
    (ticked.add if covered else ticked.discard)(index)
    if ticked != before:
        assessment.hints_covered = sorted(ticked)
        assessment.save(update_fields=["hints_covered", "updated_at"])
        _touch(report)
    return assessment


@transaction.atomic
def approval_set(
    *, report: Report, approved_on: datetime.date | None, by: User, expected: str | None = None
) -> Report:
    """Record the day the council approved the report (checked against 15/6 by the checks).

    ``expected`` is the date the form showed (ISO or ""); None skips the check (scripts, the demo).
    """
    report = _lock_report(report)
    require(by, "report.edit", report)
    stored = report.approved_on.isoformat() if report.approved_on else ""
    if expected is not None and expected != stored:
        raise ReportError(_(
            "Ngày phê duyệt vừa được người khác lưu (%(date)s) sau khi bạn mở trang; ngày bạn nhập chưa được lưu. "
            "Hãy xem lại rồi lưu lần nữa."
        ) % {"date": report.approved_on.strftime("%d/%m/%Y") if report.approved_on else _("để trống")})
    first = int(report.school_year.code[:4])
    if approved_on is not None and not datetime.date(first, 8, 1) <= approved_on <= datetime.date(first + 1, 12, 31):
        raise ReportError(_("Ngày phê duyệt phải thuộc năm học %(year)s.") % {"year": report.school_year.code})
    report.approved_on = approved_on
    report.save(update_fields=["approved_on", "updated_at"])
    _touch(report)
    return report


# --- Phần IV mục 1: the data form -------------------------------------------------------------


def form_rows(report: Report, criteria: list[Criterion] | None = None) -> list[dataform.Row]:
    if criteria is None:
        criteria = list(
            Criterion.objects.filter(standard__version=report.regulation_version_id, is_repealed=False)
            .only("pk", "number", "quantitative_indicators", "position", "standard__position")
            .order_by("standard__position", "position")
        )
    indicators = [(quant_row_key(c.number, i), c.number, label)
                  for c in criteria for i, label in enumerate(c.quantitative_indicators or [])]
    return dataform.rows_for(report.school.level, indicators)


def form_years(report: Report) -> list[str]:
    return dataform.school_years(report.school_year.code)


@dataclass
class DataForm:
    header: dict[str, str]
    years_values: dict[str, dict[str, str]]
    revision: int
    saved: bool
    # Where prefilled values came from (school years of earlier reports), when not saved yet.
    prefilled_from: list[str]
    table: DataTable | None


def _school_header(report: Report) -> dict[str, str]:
    school = report.school
    area = _("Vùng đặc biệt khó khăn") if school.is_especially_difficult_area else (
        _("Vùng khó khăn") if school.is_difficult_area else "")
    return dataform.clean_header({
        "name": school.name, "former_names": "; ".join(school.former_names.split("\n")),
        "managing_body": school.reviewing_unit.name if school.reviewing_unit_id else "",
        "ward": school.ward, "founding_year": school.founding_year or "",
        "ownership": school.get_ownership_display(), "principal": school.principal_name, "phone": school.phone,
        "website": school.website, "sites": school.sites_count, "area": area,
    })


def _prefill(report: Report, years: list[str]) -> tuple[dict[str, dict[str, str]], list[str]]:
    """Values for the years the school's earlier reports (of any regulation) already give, latest first."""
    earlier = list(
        Report.objects.filter(school_id=report.school_id, school_year__start_date__lt=report.school_year.start_date)
        .select_related("school_year").order_by("-school_year__start_date", "-pk")[:4]
    )
    if not earlier:
        return {}, []
    tables: dict[int, dict[str, Any]] = {}
    for table in DataTable.objects.filter(report__in=earlier).only("report_id", "key", "values"):
        tables.setdefault(table.report_id, {})[table.key] = table.values or {}
    merged: dict[str, dict[str, str]] = {}
    sources: list[str] = []
    for old in earlier:
        own = tables.get(old.pk, {})
        if FORM_KEY in own:
            found = dataform.carry_over(years, (own[FORM_KEY] or {}).get("years") or {})
        else:
            found = dataform.from_2018_tables(own, years)
        added = False
        for row, cells in found.items():
            for year, value in cells.items():
                if year not in merged.get(row, {}):
                    merged.setdefault(row, {})[year] = value
                    added = True
        if added:
            sources.append(old.school_year.code)
    return merged, sources


def data_form(report: Report) -> DataForm:
    """The stored form, or (never saved) one prefilled from the school's record and earlier reports."""
    table = DataTable.objects.filter(report=report, key=FORM_KEY).select_related("updated_by").first()
    if table is not None and table.revision:
        values = table.values or {}
        return DataForm(values.get("header") or {}, values.get("years") or {}, table.revision, True, [], table)
    years_values, sources = _prefill(report, form_years(report))
    return DataForm(_school_header(report), years_values, table.revision if table else 0, False, sources, table)


@transaction.atomic
def data_form_save(
    *, report: Report, header: dict[str, Any], cells: dict[tuple[str, str], Any], base_revision: int, by: User
) -> DataTable:
    """Save the whole data form typed on top of ``base_revision``; refuse a save over someone else's."""
    report = _lock_report(report)
    require(by, "report.edit", report)
    rows = form_rows(report)
    try:
        years_values = dataform.clean_years(rows, form_years(report), cells)
    except dataform.CellError as exc:
        label = next((r.label for r in rows if r.key == exc.row), exc.row)
        raise ReportError(
            _("Ô “%(row)s”, năm học %(year)s: phải là một số (ví dụ 12 hoặc 95,5), không quá %(max)s.")
            % {"row": label, "year": exc.column, "max": f"{dataform.MAX_NUMBER:,}".replace(",", ".")}
        )
    values = {"header": dataform.clean_header(header), "years": years_values}
    table, _created = DataTable.objects.select_for_update().get_or_create(report=report, key=FORM_KEY)
    if table.revision != base_revision and table.values != values:
        raise ConflictError(
            _("Biểu số liệu vừa được %(who)s lưu; số liệu bạn nhập chưa được lưu, hãy so sánh rồi nhập lại.")
            % {"who": table.updated_by.display_name if table.updated_by else _("người khác")},
            current=table,
        )
    if table.values != values or not table.revision:
        table.values = values
        table.revision += 1
        table.needs_review = False
        table.updated_by = by
        table.updated_at = timezone.now()
        table.save(update_fields=["values", "revision", "needs_review", "updated_by", "updated_at"])
        _touch(report)
    return table


def quant_values(report: Report) -> dict[str, dict[str, str]]:
    """The data form's year values (saved, or prefilled) for the criterion pages' indicators."""
    return data_form(report).years_values
