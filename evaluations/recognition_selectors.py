"""Reads of the TT57/2026 recognition (Điều 16-19): the four conditions of each school, its records.

``conditions_for(school_ids)`` answers khoản 1 Điều 16 for many schools in three queries:
- a) the latest report stating the number of cohorts that completed the programme
  (``Report.completed_cohorts``) — met with one cohort or more;
- b) the school years whose self-assessment report was accepted by the reviewing unit or sent on
  to the Sở (accepted / forwarded): the run of consecutive years ending with the latest must hold 3;
- c) the level computed for the school's latest accepted (or forwarded) TT57 report: Mức 1 or 2
  (khoản 2 Điều 16: it is also the highest degree the school may get);
- d) the Sở's facilities record (``Facilities57``), the degree whose requirements the school meets.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from schools.models import School
from schools.selectors import schools_visible_to
from selfassessment.models import Report

from . import certification, recognition
from .models import Certificate, Facilities57, Recognition57

FAMILY_TT57 = "2026"
ACCEPTED_STATUSES = ("accepted", "forwarded")


def recognitions_visible_to(user) -> QuerySet[Recognition57]:
    return Recognition57.objects.filter(school__in=schools_visible_to(user)).select_related(
        "school", "school__reviewing_unit", "created_by")


def conditions_for(school_ids: Iterable[int]) -> dict[int, recognition.Conditions]:
    """{school id: Conditions} (three queries whatever the number of schools)."""
    school_ids = list(school_ids)
    reports = (
        Report.objects.filter(school_id__in=school_ids).exclude(status=Report.Status.CLOSED)
        .order_by("school_id", "school_year__start_date")
        .values_list("school_id", "school_year__code", "status", "completed_cohorts",
                     "regulation_version__regulation__family", "school_level")
    )
    by_school: dict[int, list[tuple]] = defaultdict(list)
    for row in reports:
        by_school[row[0]].append(row)
    facilities = {f.school_id: f for f in Facilities57.objects.filter(school_id__in=school_ids)}
    result = {}
    for school_id in school_ids:
        rows = by_school.get(school_id, [])
        conditions = recognition.Conditions()
        # a) completed cohorts: the latest report that states them.
        stated = [r for r in rows if r[3] is not None]
        if stated:
            cohorts, year = stated[-1][3], stated[-1][1]
            conditions.items["a"] = recognition.Condition("a", cohorts >= 1, _(
                "%(n)s khóa đã hoàn thành chương trình (báo cáo năm học %(year)s)") % {"n": cohorts, "year": year})
        else:
            conditions.items["a"] = recognition.Condition("a", False, _("Chưa báo cáo nào ghi số khóa hoàn thành chương trình."))
        # b) accepted data of 3 consecutive school years.
        accepted_years = {int(r[1][:4]) for r in rows if r[2] in ACCEPTED_STATUSES}
        run = recognition.longest_recent_run(accepted_years)
        if run:
            years = ", ".join(f"{y}-{y + 1}" for y in run)
            met = len(run) >= recognition.CONSECUTIVE_YEARS_REQUIRED
            conditions.items["b"] = recognition.Condition("b", met, _(
                "%(n)s năm học liên tiếp có báo cáo được chấp nhận: %(years)s") % {"n": len(run), "years": years})
        else:
            conditions.items["b"] = recognition.Condition("b", False, _("Chưa có báo cáo tự đánh giá nào được chấp nhận."))
        # c) the computed TT57 level of the latest accepted TT57 report.
        tt57 = [r for r in rows if r[4] == FAMILY_TT57]
        accepted57 = [r for r in tt57 if r[2] in ACCEPTED_STATUSES]
        if accepted57:
            level, year = accepted57[-1][5] or 0, accepted57[-1][1]
            conditions.level_degree = min(level, 2)
            detail = (_("Mức %(level)s (báo cáo năm học %(year)s)") % {"level": level, "year": year}) if level else (
                _("Không đạt Mức 1 (báo cáo năm học %(year)s)") % {"year": year})
            conditions.items["c"] = recognition.Condition("c", level >= 1, detail)
        elif tt57:
            conditions.items["c"] = recognition.Condition("c", False, _(
                "Báo cáo theo Thông tư 57 năm học %(year)s chưa được chấp nhận.") % {"year": tt57[-1][1]})
        else:
            conditions.items["c"] = recognition.Condition("c", False, _("Chưa có báo cáo tự đánh giá theo Thông tư 57."))
        # d) the Sở's record of facilities.
        record = facilities.get(school_id)
        conditions.facilities_degree = record.degree if record else 0
        if record is None:
            conditions.items["d"] = recognition.Condition("d", False, _("Sở GD&ĐT chưa ghi nhận."))
        else:
            conditions.items["d"] = recognition.Condition("d", record.degree >= 1, str(record.get_degree_display()))
        result[school_id] = conditions
    return result


@dataclass
class SchoolRow:
    school: School
    conditions: recognition.Conditions
    facilities: Facilities57 | None
    recognition: Recognition57 | None
    certificate: Certificate | None

    @property
    def recognition_state(self) -> str:
        return ""


def recognition_rows(schools: list[School]) -> list[SchoolRow]:
    """The Sở's page: each school with its conditions, facilities record, latest TT57 recognition
    and latest certificate of before TT57 (kept with its own expiry). Five queries."""
    ids = [s.pk for s in schools]
    conditions = conditions_for(ids)
    facilities = {f.school_id: f for f in Facilities57.objects.filter(school_id__in=ids).select_related("recorded_by")}
    latest57: dict[int, Recognition57] = {}
    for item in Recognition57.objects.filter(school_id__in=ids).order_by("school_id", "-decision_date", "-id"):
        latest57.setdefault(item.school_id, item)
    latest_old: dict[int, Certificate] = {}
    for item in Certificate.objects.filter(school_id__in=ids).order_by("school_id", "-decision_date", "-id"):
        latest_old.setdefault(item.school_id, item)
    return [SchoolRow(s, conditions[s.pk], facilities.get(s.pk), latest57.get(s.pk), latest_old.get(s.pk)) for s in schools]


def latest_recognitions(school_ids: Iterable[int]) -> dict[int, Recognition57]:
    """The latest TT57 recognition of each school (one query)."""
    latest: dict[int, Recognition57] = {}
    for item in Recognition57.objects.filter(school_id__in=list(school_ids)).order_by("school_id", "-decision_date", "-id"):
        latest.setdefault(item.school_id, item)
    return latest


def current_degree1_on(school_id: int, today: datetime.date) -> datetime.date | None:
    """The decision date of the school's valid Mức độ 1 recognition, if any (for the 2-year wait)."""
    item = (Recognition57.objects.filter(school_id=school_id, degree=1, valid_until__gte=today)
            .order_by("-decision_date").first())
    return item.decision_date if item else None


@dataclass
class CertificateLine:
    """One line of a school's list of recognitions: a TT57 recognition or a certificate of before."""

    kind: str  # "tt57" or "before"
    school: School
    decision_number: str
    decision_date: datetime.date
    title: str
    valid_until: datetime.date
    state: str
    upgrade_on: datetime.date | None


def recognition_lines(recognitions: Iterable[Recognition57], today: datetime.date) -> list[CertificateLine]:
    return [
        CertificateLine("tt57", r.school, r.decision_number, r.decision_date,
                        _("Chuẩn quốc gia %(degree)s (Thông tư 57/2026)") % {"degree": r.get_degree_display()},
                        r.valid_until, certification.validity_state(r.valid_until, today), r.upgrade_eligible_on)
        for r in recognitions
    ]
