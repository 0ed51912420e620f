"""The demo writer: a complete report through the services, consistent apart from its deliberate slips."""

import random

import pytest

from selfassessment import checks, demo, schooldata
from selfassessment.models import CouncilMember, DataTable, ImprovementAction, IndicatorVerdict, Passage, Report

from .factories import add_evidence

pytestmark = pytest.mark.django_db


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
