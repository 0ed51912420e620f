"""The evaluations demo, seeded once for the module (half a minute) and each test in a savepoint on it:

- the periodic reports: a realistic spread on the deadline pages and the dashboard, idempotent;
- the TT57 additions: the unit's 15/6 approval and Biểu 2 monitoring deadlines, the Sở's facilities
  records; seeding twice changes nothing. (The recognition itself needs the self-assessment and
  review demos: checked with `manage.py seed_demo`.)
"""

import datetime

import pytest
from django.core.management import call_command

from demo import evaluations as demo
from evaluations import selectors
from evaluations.models import Facilities57, PeriodicReport, Recognition57, ReportingDeadline
from kiemdinh.tests import module_world
from schools import demo as schools_demo
from schools import demo_clock


def _seed() -> dict:
    schools_demo.seed()
    call_command("load_standards", verbosity=0)
    demo.seed()
    return {}


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker, tmp_path_factory):
    with module_world.rolled_back(django_db_blocker, tmp_path_factory.mktemp("demo-media"), _seed) as ctx:
        yield ctx


@pytest.fixture
def demo_world(seeded, db):
    with module_world.empty_cache():
        yield seeded


def _deadline(code: str, period: str) -> ReportingDeadline:
    return ReportingDeadline.objects.get(unit__code="pgd-dong-da", school_year__code=code, period=period)


def test_the_demo_shows_every_state_and_seeding_twice_changes_nothing(demo_world):
    """One test: seeding the demo takes half a minute."""
    _last_year_s_deadlines_show_every_state()
    _this_year_s_deadline_is_still_ahead_with_a_few_reports_in()
    # The year of the demo's self-assessment reports, where the dashboards open, has its deadlines too.
    older = selectors.deadline_status_of(_deadline("2024-2025", "year_end"), datetime.date(2026, 11, 22))
    assert older.counts["on_time"] > 10 and older.counts["late"] >= 1 and older.counts["missing"] >= 1
    before = sorted(PeriodicReport.objects.values_list("school__code", "deadline_id", "status", "revision"))
    demo.seed()
    assert sorted(PeriodicReport.objects.values_list("school__code", "deadline_id", "status", "revision")) == before


def _last_year_s_deadlines_show_every_state():
    today = datetime.date(2026, 11, 22)
    year_end = selectors.deadline_status_of(_deadline("2025-2026", "year_end"), today)
    assert year_end.counts["on_time"] > 10 and year_end.counts["pending"] == 0
    by_code = {row.school.code: row for row in year_end.rows}
    assert by_code["DDA-TH-03"].status == selectors.LATE and by_code["DDA-MN-06"].status == selectors.MISSING
    assert by_code["DDA-THCS-09"].status == selectors.MISSING and by_code["DDA-THCS-09"].report_status == "draft"
    reviews = {row.report_status for row in year_end.rows}
    assert {"accepted", "returned", "in_review", "submitted"} <= reviews
    returned = PeriodicReport.objects.get(school__code="DDA-THCS-04", deadline=year_end.deadline)
    assert returned.return_reason and returned.returned_at.date() < today
    semester1 = selectors.deadline_status_of(_deadline("2025-2026", "semester1"), today)
    assert semester1.counts["late"] == 1 and semester1.counts["missing"] == 1


def _this_year_s_deadline_is_still_ahead_with_a_few_reports_in():
    current = selectors.deadline_status_of(_deadline("2026-2027", "semester1"), datetime.date(2026, 11, 22))
    assert current.counts["on_time"] == 3 and current.counts["missing"] == 0 and current.counts["late"] == 0
    assert {row.report_status for row in current.rows} >= {"submitted", "in_review", "draft", None}


def _rows():
    return sorted(ReportingDeadline.objects.for_tt57().values_list("unit__code", "school_year__code", "period", "due_date"))


def test_the_demo_configures_the_tt57_deadlines_and_facilities(demo_world):
    rows = _rows()
    dong_da = {period: due for unit, _year, period, due in rows if unit == "pgd-dong-da"}
    assert dong_da == {"plan_approval": demo_clock.day(datetime.date(2027, 6, 15)),
                       "monitoring_semester1": demo_clock.day(datetime.date(2027, 1, 15)),
                       "monitoring_year_end": demo_clock.day(datetime.date(2027, 5, 10))}
    assert {unit for unit, *_rest in rows} == {"pgd-dong-da", "pgd-long-bien"}
    assert dict(Facilities57.objects.values_list("school__code", "degree")) == {
        "DDA-THCS-02": 1, "DDA-TH-02": 2, "DDA-MN-02": 0}
    assert not Recognition57.objects.exists()  # no accepted TT57 report without the other demos
    demo.seed()
    assert _rows() == rows and Facilities57.objects.count() == 3
