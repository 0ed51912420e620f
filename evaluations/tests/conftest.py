"""Fixtures of the evaluations tests (personas, schools and years come from the root conftest)."""

from __future__ import annotations

import datetime

import pytest

from evaluations import services
from evaluations.models import ReportingDeadline
from schools.tests.factories import SchoolYearFactory


@pytest.fixture
def tt18(db):
    """The bundled TT18/2018 catalog (lower secondary), original and as amended by TT22/2024."""
    from standards.models import Regulation
    from standards.services import DATA_DIR, catalogs_load

    catalogs_load(paths=[DATA_DIR / "tt18_2018.json"])
    return Regulation.objects.get(code="TT18/2018")


@pytest.fixture
def year_2026(db):
    return SchoolYearFactory(code="2026-2027", start_date=datetime.date(2026, 9, 5), end_date=datetime.date(2027, 5, 31))


@pytest.fixture
def deadlines(district, year_2026, reviewer) -> dict[str, ReportingDeadline]:
    """District A's two deadlines of 2026-2027: 20/12/2026 and 10/05/2027."""
    rows = services.reporting_deadlines_ensure(unit=district, school_year=year_2026, by=reviewer)
    return {d.period: d for d in rows}


@pytest.fixture
def semester1(deadlines) -> ReportingDeadline:
    return deadlines[ReportingDeadline.Period.SEMESTER_1]


@pytest.fixture
def sa_report(school_a, principal_a):
    """School A's self-assessment report of 2024-2025, assessed (levels computed), with three actions."""
    from django.db import transaction

    from reviews.tests import factories as review_factories
    from selfassessment import levels
    from selfassessment.models import ImprovementAction, ImprovementProgress
    from standards.models import Criterion

    report = review_factories.report_for(school_a, principal_a)
    with transaction.atomic(), levels.refresh_once():  # the same verdicts and levels, computed once
        review_factories.assess_all(report, principal_a)
    criteria = {c.number: c for c in Criterion.objects.filter(standard__version=report.regulation_version)}
    first = ImprovementAction.objects.create(report=report, criterion=criteria["1.1"], position=0, status="in_progress",
                                             action="Bổ sung thiết bị dạy học", due_on=datetime.date(2027, 3, 31))
    ImprovementProgress.objects.create(action=first, date=datetime.date(2026, 10, 1), text="Đã lập dự toán")
    ImprovementProgress.objects.create(action=first, date=datetime.date(2026, 11, 10), text="Đã mua 60% thiết bị")
    ImprovementAction.objects.create(report=report, criterion=criteria["2.1"], position=0, action="Tập huấn giáo viên")
    ImprovementAction.objects.create(report=report, criterion=criteria["1.2"], position=0, status="done",
                                     action="Rà soát hồ sơ hội đồng trường")
    return review_factories.reload(report)
