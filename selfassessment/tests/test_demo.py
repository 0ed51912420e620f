"""The demo writer: a complete report through the services, consistent apart from its deliberate slips."""

import random

import pytest

from demo import selfassessment as demo
from selfassessment import checks, schooldata
from selfassessment.models import CouncilMember, DataTable, ImprovementAction, IndicatorVerdict, Passage, Report

from .factories import add_evidence

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("report_world")]


@pytest.mark.parametrize("level", ["mn", "th", "thcs"])
def test_demo_numbers_of_part_one_add_up_unless_a_slip_is_asked_for(report, principal_a, level):
    report.school.level = level
    report.school.save()
    demo._fill_data(report, principal_a, random.Random(1), slip=False)
    values = {t.key: t.values for t in DataTable.objects.filter(report=report)}
    years = schooldata.school_years(report.school_year.code)
    assert all(values.values())
    assert schooldata.table_problems(level, years, values) == []
    demo._fill_data(report, principal_a, random.Random(1), slip=True)
    values = {t.key: t.values for t in DataTable.objects.filter(report=report)}
    assert len(schooldata.table_problems(level, years, values)) == 1


def test_demo_writes_a_complete_consistent_report(report, principal_a, school_a):
    for number in ("1.1", "1.2", "1.3", "2.1", "2.2", "2.3"):
        add_evidence(report, number, principal_a, count=3)
    demo._write_full(report, school_a, principal_a, random.Random(7), accounts=True, slip=True)
    report = Report.objects.get(pk=report.pk)
    assert not Passage.objects.filter(report=report, text="").exists()
    assert not IndicatorVerdict.objects.filter(report=report, met__isnull=True).exists()
    assert ImprovementAction.objects.filter(report=report).count() >= 6
    assert CouncilMember.objects.filter(report=report).exclude(role="").count() >= 7
    assert CouncilMember.objects.get(report=report, role="secretary").user.username == "a-thcs-01.thuky"
    assert report.school_level is not None
    found = checks.report_problems(report)
    codes = {p.code for p in found if p.severity == checks.ERROR}
    # Only the deliberate slips are errors: a mistyped code and one row of Phần I.
    assert codes == {"citation_unknown", "table_mismatch"}, [(p.code, p.where, p.message) for p in found if p.severity == "error"]


def test_demo_plan_is_followed_realistically_relative_to_today(report, principal_a, school_a):
    import datetime

    from selfassessment.tracking import flags, selectors

    for number in ("1.1", "1.2", "1.3", "2.1", "2.2", "2.3"):
        add_evidence(report, number, principal_a, count=3)
    demo._write_full(report, school_a, principal_a, random.Random(7), accounts=False, slip=False)
    today = datetime.date(2026, 3, 10)
    demo._fill_tracking(report, principal_a, random.Random(3), demo._evidence_by_criterion(school_a), today=today)
    actions = list(ImprovementAction.objects.filter(report=report))
    statuses = [a.status for a in actions]
    assert statuses.count("dropped") == 1
    assert ImprovementAction.objects.get(report=report, status="dropped").dropped_reason
    assert statuses.count("done") >= 1 and statuses.count("in_progress") >= 2 and statuses.count("not_started") >= 1
    assert all(a.done_on and a.done_on <= today for a in actions if a.status == "done")
    counts = selectors.plan_counts(report, today)
    assert counts.overdue >= 1 and counts.due_soon >= 1
    noted = ImprovementAction.objects.filter(report=report, status="in_progress", progress_notes__isnull=False)
    assert noted.exists()
    assert ImprovementAction.objects.filter(report=report, progress_notes__evidence__isnull=False).exists()
    assert all(flags.action_flag(status=a.status, due_on=a.due_on, today=today) is None
               for a in actions if a.status in ("done", "dropped"))
