"""A small TT18-like catalog and reports built through the self-assessment services.

The catalog is built here (two standards, three criteria, indicators at Mức 1-3) so that each
test states what it relies on and stays fast; reports are created and written through the
self-assessment app's own services, as a principal would.
"""

from __future__ import annotations

import datetime

from schools.models import SchoolYear
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
