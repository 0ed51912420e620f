"""The TT57/2026 columns of the district summary spreadsheet: the regulation of each school's
report and its Biểu 2 (plan started, monitoring recorded at each point). Two queries, whatever the
number of schools; 2018 reports get the regulation only."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Exists, OuterRef
from django.utils import translation

from selfassessment.models import Plan57, Plan57Check, Report
from selfassessment.tt57 import FAMILY

COLUMNS = ("Quy định đánh giá", "Biểu 2 – Kế hoạch cải tiến (TT57)", "Theo dõi Biểu 2 cuối học kỳ I",
           "Theo dõi Biểu 2 cuối năm học")


def kind_of_label(label: str) -> str | None:
    """The report kind whose label (in Vietnamese or English) is ``label``."""
    for value, text in Report.Kind.choices:
        for language in ("vi", "en"):
            with translation.override(language):
                if str(text) == label:
                    return value
    return None


def regime_cells(codes: Iterable[str], school_year, kind_label: str) -> dict[str, list[str]]:
    """School code → the four cells of ``COLUMNS`` for its report of the year and kind (the latest one)."""
    codes = list(codes)
    kind = kind_of_label(kind_label)
    if school_year is None or not codes or kind is None:
        return {}

    def recorded(point):
        return Exists(Plan57Check.objects.filter(plan__report=OuterRef("pk"), point=point).exclude(result=""))

    reports = (
        Report.objects.filter(school__code__in=codes, school_year=school_year, kind=kind)
        .order_by("school_id", "created_at", "pk")
        .annotate(has_plan=Exists(Plan57.objects.filter(report=OuterRef("pk"))),
                  semester1=recorded("semester1"), year_end=recorded("year_end"))
        .values_list("school__code", "regulation_version__regulation__code", "regulation_version__regulation__family",
                     "has_plan", "semester1", "year_end")
    )
    cells: dict[str, list[str]] = {}
    for code, regulation, family, has_plan, semester1, year_end in reports:
        if family != FAMILY:
            cells[code] = [regulation, "", "", ""]
            continue
        cells[code] = [regulation, "Đã lập" if has_plan else "Chưa lập",
                       ("Đã ghi" if semester1 else "Chưa ghi") if has_plan else "",
                       ("Đã ghi" if year_end else "Chưa ghi") if has_plan else ""]
    return cells
