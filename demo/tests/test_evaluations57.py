"""The demo's TT57 additions: the unit's 15/6 approval and Biểu 2 monitoring deadlines, the Sở's
facilities records; seeding twice changes nothing. (The recognition itself needs the
self-assessment and review demos: checked with `manage.py seed_demo`.)"""

import datetime

import pytest
from django.core.management import call_command

from demo import evaluations as demo
from evaluations.models import Facilities57, Recognition57, ReportingDeadline
from schools import demo as schools_demo
from schools import demo_clock


@pytest.fixture
def demo_world(db, settings):
    schools_demo.seed()
    call_command("load_standards", verbosity=0)
    demo.seed()


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
