"""Issue 18 item 7: the demo seeds whatever the date from 2026 to 2035. Seeded from 5 September 2028
on (the demo's history years then fall under TT57/2026 too), the carry-forward of a TT57 report into
the next TT57 year wrote a second revision 1 of every prefilled passage and the seed stopped on the
unique constraint. One seed per date (a few minutes each): 2028-2029 and 2031-2032."""

from __future__ import annotations

import datetime

import pytest
from django.core.management import call_command
from django.urls import reverse

from schools import years

D = datetime.date


@pytest.mark.django_db
@pytest.mark.parametrize("today", [D(2028, 10, 1), D(2031, 12, 6)], ids=["2028-2029", "2031-2032"])
def test_the_demo_seeds_in_a_later_school_year(monkeypatch, client, today):
    from django.utils import timezone

    from schools.models import School, SchoolYear, User
    from selfassessment.models import PassageRevision, Report
    from selfassessment.tracking import selectors as tracking

    real_now = timezone.now
    shift = datetime.timedelta(days=(today - timezone.localdate()).days)
    monkeypatch.setattr(timezone, "now", lambda: real_now() + shift)
    assert years.today() == today
    call_command("load_standards", verbosity=0)
    call_command("seed_demo", "--quiet-accounts", "--allow-without-debug")

    code = f"{today.year}-{today.year + 1}"
    assert years.school_year_current().code == code
    assert SchoolYear.objects.order_by("-start_date").first().code == code
    demo_schools = School.objects.filter(code__regex=r"^(DDA|LBI|CNA)-")
    current = Report.objects.filter(school_year__code=code)
    assert current.count() == demo_schools.count()
    assert current.filter(status=Report.Status.SUBMITTED).exists() or current.exclude(status="draft").exists()
    # The history behind the current year: the reviewed year of the demo (written 2024-2025) two
    # years back, with its accepted reports.
    from schools import demo_clock

    history = demo_clock.year_code("2024-2025")
    assert history == f"{today.year - 2}-{today.year - 1}"
    assert Report.objects.filter(school_year__code=history).exists()
    # A carried-forward report's copied passages follow their prefilled first draft (revision 2).
    carried = current.exclude(copied_from=None).first()
    assert carried is not None
    copied = PassageRevision.objects.filter(passage__report=carried, source=PassageRevision.Source.COPY)
    assert copied.exists()
    for revision in copied.select_related("passage"):
        assert revision.revision == revision.passage.revision or revision.passage.revision > revision.revision
    for school in demo_schools:
        report, counts = tracking.school_plan_summary(school, today)
        assert report is not None and report.school_year.code == code, school.code
        assert counts.oldest_overdue is None or (today - counts.oldest_overdue).days < 100, school.code
    client.force_login(User.objects.get(username="cv.dongda1"))
    response = client.get(reverse("reviews:district_dashboard"))
    assert response.status_code == 200 and response.context["current_year"].code == code
