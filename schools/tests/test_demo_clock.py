"""The demo follows today's date: seeded in a later school year, the demo's current year is that year,
with its history behind it (schools.demo_clock)."""

import datetime

import pytest
from django.core.management import call_command
from django.urls import reverse

from schools import demo_clock, years

D = datetime.date


@pytest.fixture
def frozen(monkeypatch):
    def freeze(day: datetime.date) -> None:
        monkeypatch.setattr(years, "today", lambda: day)
    return freeze


@pytest.mark.parametrize(("today", "first", "offset"), [
    (D(2026, 12, 6), 2026, 0),
    (D(2027, 10, 1), 2027, 1),
    (D(2027, 9, 5), 2027, 1),     # the demo's school years start on 5 September
    (D(2027, 9, 4), 2026, 0),     # before that, the summer still belongs to the year just ended
    (D(2028, 6, 15), 2027, 1),
    (D(2029, 1, 10), 2028, 2),
    (D(2025, 10, 1), 2025, 0),    # an older clock keeps the data as written
])
def test_the_offset_follows_the_current_school_year(frozen, today, first, offset):
    frozen(today)
    assert demo_clock.current_first_year() == first
    assert demo_clock.offset() == demo_clock.OFFSET == offset


def test_codes_dates_and_prose_move_by_whole_years(frozen):
    frozen(D(2027, 10, 1))
    assert demo_clock.year_code("2024-2025") == "2025-2026"
    assert demo_clock.first_year(2024) == 2025
    assert demo_clock.day(D(2026, 10, 1)) == D(2027, 10, 1)
    assert demo_clock.day(D(2024, 2, 29)) == D(2025, 2, 28)  # no 29 February in 2025
    assert demo_clock.years_in("Từ năm học 2020-2021 đến nay; nhiệm kỳ 2019-2024") == (
        "Từ năm học 2021-2022 đến nay; nhiệm kỳ 2019-2024")
    frozen(D(2031, 3, 1))  # 2030-2031: four years on, 29 February stays 29 February
    assert demo_clock.day(D(2024, 2, 29)) == D(2028, 2, 29)


def test_today_the_demo_is_written_as_it_is(frozen):
    frozen(D(2026, 12, 6))
    assert demo_clock.year_code("2024-2025") == "2024-2025"
    assert demo_clock.day(D(2024, 2, 29)) == D(2024, 2, 29)


@pytest.mark.django_db
def test_a_demo_seeded_a_year_later_is_a_live_district_of_that_year(monkeypatch, client):
    """One seed (a few minutes): the whole demo with today one year later, 6 December 2027."""
    # The whole site lives on 6 December 2027: django.utils.timezone.now is moved on (the services refuse
    # to record work "in the future" by it) and schools.years.today follows it.
    from django.utils import timezone

    from schools.models import School, SchoolYear, User
    from selfassessment.models import Report
    from selfassessment.tracking import selectors as tracking

    real_now = timezone.now
    shift = datetime.timedelta(days=(D(2027, 12, 6) - timezone.localdate()).days)
    monkeypatch.setattr(timezone, "now", lambda: real_now() + shift)
    today = years.today()
    assert today == D(2027, 12, 6)
    call_command("seed_demo", "--quiet-accounts", "--allow-without-debug")

    from demo.reviews import YEAR as reviewed_year
    from demo.selfassessment import TT57_YEAR

    assert (TT57_YEAR, reviewed_year) == ("2027-2028", "2025-2026")  # read through the clock, today
    assert years.school_year_current().code == "2027-2028"
    assert SchoolYear.objects.order_by("-start_date").first().code == "2027-2028"  # nothing ahead of today
    # The current year's reports exist, with their history behind them.
    current = Report.objects.filter(school_year__code="2027-2028")
    assert current.count() == School.objects.filter(code__regex=r"^(DDA|LBI|CNA)-").count()
    assert current.filter(status=Report.Status.SUBMITTED).exists()
    assert Report.objects.filter(school_year__code="2025-2026").exists()
    assert not Report.objects.filter(school_year__code="2026-2027", school__code="DDA-TH-01").exists()
    # No principal opens on improvement actions overdue for hundreds of days.
    for school in School.objects.filter(code__regex=r"^(DDA|LBI|CNA)-"):
        report, counts = tracking.school_plan_summary(school, today)
        assert report is not None and report.school_year.code == "2027-2028", school.code
        assert counts.oldest_overdue is None or (today - counts.oldest_overdue).days < 100, school.code
    # The district dashboard opens on that year.
    client.force_login(User.objects.get(username="cv.dongda1"))
    response = client.get(reverse("reviews:district_dashboard"))
    assert response.status_code == 200
    assert response.context["current_year"].code == "2027-2028"
    _the_seed_is_idempotent_and_keeps_the_stable_codes()


def _the_seed_is_idempotent_and_keeps_the_stable_codes():
    """Seeding again changes nothing, and the demo's codes and accounts are those of the README, whatever
    the date (one test: a seed takes a minute)."""
    from reviews.models import ReportVersion
    from schools.models import Membership, School, User
    from selfassessment.models import IndicatorVerdict, Passage, Report

    def counts():
        return (School.objects.count(), User.objects.count(), Membership.objects.count(), Report.objects.count(),
                Passage.objects.exclude(text="").count(), IndicatorVerdict.objects.exclude(met=None).count(),
                ReportVersion.objects.count())

    before = counts()
    call_command("seed_demo", "--quiet-accounts", "--allow-without-debug")
    assert counts() == before
    dda = School.objects.filter(reviewing_unit__code="pgd-dong-da")
    assert [dda.filter(level=lv).count() for lv in ("mn", "th", "thcs")] == [6, 4, 9]
    assert {"DDA-MN-06", "DDA-TH-04", "DDA-THCS-09", "LBI-MN-01", "LBI-TH-01"} <= set(
        School.objects.values_list("code", flat=True)
    )
    assert School.objects.get(code="LBI-MN-01").name == "Trường Mầm non Thăng Long Kids Mart"
    assert User.objects.get(username="dda-thcs-01").check_password("Demo@2024kd")
