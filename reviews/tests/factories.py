"""A small TT18-like catalog and reports built through the self-assessment services.

The catalog is built here (two standards, three criteria, indicators at Mức 1-3) so that each
test states what it relies on and stays fast; reports are created and written through the
self-assessment app's own services, as a principal would.
"""

from __future__ import annotations

import datetime
import random

from schools.models import SchoolYear
from selfassessment import levels
from selfassessment import services as sa_services
from selfassessment.models import IndicatorVerdict, Passage, Report
from standards.models import Criterion, Indicator, Regulation, RegulationVersion, Standard

CRITERIA = {"1.1": 3, "1.2": 2, "2.1": 3}  # criterion → highest level with indicators


def build_catalog() -> RegulationVersion:
    regulation, _ = Regulation.objects.get_or_create(
        code="TT18/2018",
        defaults={
            "title": "Quy định về kiểm định chất lượng giáo dục trường trung học cơ sở",
            "school_levels": ["thcs", "thpt", "multi"], "family": "2018", "evidence_code_scheme": "Hn-a.b-c",
            "status": Regulation.Status.CURRENT, "effective": datetime.date(2018, 10, 10), "level_count": 3,
            "verification_status": Regulation.Verification.SECONDARY_SOURCE,
        },
    )
    version, _ = RegulationVersion.objects.get_or_create(
        regulation=regulation, code="original", defaults={"is_base": True, "effective": datetime.date(2018, 10, 10)}
    )
    for number, top in CRITERIA.items():
        s_number, c_position = (int(x) for x in number.split("."))
        standard, _ = Standard.objects.get_or_create(
            version=version, number=s_number, defaults={"title": f"Tiêu chuẩn số {s_number}", "position": s_number}
        )
        criterion, _ = Criterion.objects.get_or_create(
            standard=standard, number=number, defaults={"title": f"Nội dung tiêu chí {number}", "position": c_position}
        )
        for level in range(1, top + 1):
            for position, key in enumerate(("a", "b") if level == 1 else ("a",), start=1):
                Indicator.objects.get_or_create(
                    criterion=criterion, level=level, key=key,
                    defaults={"text": f"Chỉ báo {key} Mức {level} của tiêu chí {number}", "position": position},
                )
    return version


def school_year(code: str = "2024-2025") -> SchoolYear:
    first = int(code[:4])
    year, _ = SchoolYear.objects.get_or_create(
        code=code, defaults={"start_date": datetime.date(first, 9, 5), "end_date": datetime.date(first + 1, 5, 31)}
    )
    return year


def report_for(school, principal, *, year: SchoolYear | None = None, kind: str = Report.Kind.PERIODIC) -> Report:
    build_catalog()
    year = year or school_year()
    report = sa_services.report_create(
        school=school, school_year=year, kind=kind, by=principal, today=datetime.date(year.first_year, 11, 1)
    )
    return reload(report)


def reload(report: Report) -> Report:
    return Report.objects.select_related(
        "school__reviewing_unit__parent", "school_year", "regulation_version__regulation"
    ).get(pk=report.pk)


def write(report: Report, key: str, text: str, by) -> Passage:
    """Write a text of the report as its author would (through the self-assessment service)."""
    passage = Passage.objects.get(report=report, key=key)
    return sa_services.passage_save(passage=passage, text=text, base_revision=passage.revision, by=by)


def assess_all(report: Report, by, met: bool = True) -> None:
    """Give every indicator a verdict (the computed levels follow)."""
    for verdict in IndicatorVerdict.objects.filter(report=report).select_related("indicator"):
        sa_services.indicator_verdict_set(report=report, indicator=verdict.indicator, met=met, by=by)


# Every indicator met: each criterion reaches the catalog's top level (Mức 3).
FULL_PROFILE = {"level2": 1.0, "level3": 1.0, "level4": 0.0, "cohorts": None}


def complete(report: Report, principal, *, council: bool = True, plan: bool = True, data: bool = True) -> Report:
    """Write the whole report as a finished one, through the services as a principal would: the council
    and its working groups, the plan, Phần I, every indicator met with its text citing the school's
    evidence, strengths, weaknesses and measures of every criterion, the standards' and the report's
    own texts. It passes the unit's submission gate and the consistency checks (``reviews.services.
    _submission_problems``). The writing is the demo's (``demo.selfassessment``), with two items of
    evidence recorded per criterion for the texts to cite. ``council``, ``plan`` and ``data`` false
    leave that section of the gate unwritten (the consistency checks only warn about them)."""
    from demo import selfassessment as demo
    from evidence import services as evidence_services

    school = report.school
    rng = random.Random(f"complete-{school.code}")  # nosec B311  # repeatable test texts, nothing secret
    criteria = Criterion.objects.filter(standard__version=report.regulation_version).select_related("standard")
    evidence = {
        criterion.number: [
            evidence_services.evidence_create(school=school, criterion=criterion, by=principal,
                                              name=f"Hồ sơ {n} của tiêu chí {criterion.number}")
            for n in (1, 2)
        ]
        for criterion in criteria.order_by("standard__position", "position")
    }
    writer = demo.Writer(report, principal, rng, evidence)
    if council:
        demo._fill_council(report, school, principal, rng, accounts=False)
    if plan:
        demo._fill_plan(report, principal, writer)
    if data:
        demo._fill_data(report, principal, rng, slip=False)
    with levels.refresh_once():  # one level computation for every verdict
        demo._fill_criteria(writer, FULL_PROFILE)
    demo._fill_standards(writer)
    demo._fill_general(writer, school)
    return reload(report)


def complete_tt57(report: Report, principal) -> Report:
    """Write a TT57/2026 report (Biểu 1) as a finished one, as the demo writes its finished reports
    (``demo.selfassessment._tt57_write``): Phần I-III, every criterion assessed with evidence recorded
    and cited, Điều 9's council, the timeline, the data form and the principal's approval. It passes
    the submission gate and the TT57 checks."""
    from demo import selfassessment as demo

    rng = random.Random(f"complete-tt57-{report.school.code}")  # nosec B311  # repeatable test texts
    demo._tt57_write(report, report.school, principal, rng, finished=True)
    return reload(report)


# The text of ``indicator:1.1:1:a`` in a complete report: tests quote it, comment on it and rewrite it.
CLASSES_TEXT = "Nhà trường có 20 lớp học. Cơ sở vật chất đầy đủ [{code}]."


def classes_text(report: Report, classes: int = 20) -> str:
    """``CLASSES_TEXT`` with ``classes`` classes, citing the school's first item of criterion 1.1."""
    from evidence.models import Evidence

    code = Evidence.objects.filter(school=report.school, criterion__number="1.1").order_by("sequence").first().code
    return CLASSES_TEXT.format(code=code).replace("20 lớp", f"{classes} lớp")


def complete_report_for(school, principal, **kwargs) -> Report:
    """A complete report of ``school`` (``complete``) with two texts the tests know: ``classes_text``
    under indicator 1.1.1a and a short strength of criterion 1.1."""
    report = complete(report_for(school, principal, **kwargs), principal)
    write(report, "indicator:1.1:1:a", classes_text(report), principal)
    write(report, "criterion:1.1:strengths", "Đội ngũ giáo viên đạt chuẩn.", principal)
    return reload(report)


def bulk_reports(unit, count: int, *, year: SchoolYear, reviewer=None, start: int = 0) -> list[Report]:
    """``count`` schools of ``unit`` with a report each, in a mix of statuses and levels.

    Written straight to the tables (a read-side fixture for query counts and dashboards): statuses
    are set here as test data, never by application code outside the review services.
    """
    from reviews.models import CommentThread, ReportVersion, ReviewAssignment, ReviewState
    from schools.models import School
    from selfassessment.models import CriterionAssessment

    version = build_catalog()
    criteria = list(Criterion.objects.filter(standard__version=version).order_by("standard__position", "position"))
    statuses = ["draft", "submitted", "in_review", "returned", "accepted", "forwarded"]
    schools = School.objects.bulk_create([
        School(code=f"BULK-{unit.pk}-{start + i:04d}", name=f"Trường THCS số {start + i}", level="thcs",
               reviewing_unit=unit, founding_year=1990)
        for i in range(count)
    ])
    reports = Report.objects.bulk_create([
        Report(school=s, school_year=year, kind=Report.Kind.PERIODIC, regulation_version=version,
               regulation_date=year.start_date, status=statuses[i % len(statuses)], school_level=i % 4)
        for i, s in enumerate(schools)
    ])
    CriterionAssessment.objects.bulk_create([
        CriterionAssessment(report=r, criterion=c, position=j, level=(i + j) % 4)
        for i, r in enumerate(reports) for j, c in enumerate(criteria)
    ])
    ReviewState.objects.bulk_create([ReviewState(report=r) for r in reports])
    versions = []
    for r in reports:
        if r.status != "draft":
            version_row = ReportVersion(report=r, number=1, content="{}", content_hash="0" * 64,
                                        criterion_levels={c.number: 1 for c in criteria})
            versions.append(version_row)
    ReportVersion.objects.bulk_create(versions)
    if reviewer is not None:
        ReviewAssignment.objects.bulk_create([
            ReviewAssignment(report=r, reviewer=reviewer) for r in reports if r.status != "draft"
        ])
        from django.utils import timezone

        by_report = {v.report_id: v for v in versions}
        CommentThread.objects.bulk_create([
            CommentThread(report=r, version=by_report[r.pk], created_by=reviewer, last_activity_at=timezone.now())
            for r in reports if r.pk in by_report
        ])
    return reports
