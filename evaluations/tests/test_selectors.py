"""Reads: scoping, the one "met" answer, statuses, upcoming deadlines, plan progress, certificates,
and list pages whose query count does not grow with the data."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from evaluations import certification, selectors, services
from evaluations.models import PeriodicReport
from evaluations.tests.factories import CertificateFactory
from schools.models import Membership
from schools.tests.factories import MembershipFactory, SchoolFactory, UserFactory

D = datetime.date


def local(day: D, hh: int, mm: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(day.year, day.month, day.day, hh, mm))


# --- Scoping ----------------------------------------------------------------------------------


@pytest.fixture
def plan_a(district, reviewer, school_a):
    plan = services.plan_create(unit=district, year=2024, title="KH A", by=reviewer)
    services.plan_schools_add(plan=plan, schools=[school_a], by=reviewer)
    return plan


@pytest.fixture
def plan_c(other_district, other_reviewer, school_c):
    plan = services.plan_create(unit=other_district, year=2024, title="KH C", by=other_reviewer)
    services.plan_schools_add(plan=plan, schools=[school_c], by=other_reviewer)
    return plan


def test_plans_are_scoped(plan_a, plan_c, reviewer, officer, principal_a, principal_b, principal_c):
    assert list(selectors.plans_visible_to(reviewer)) == [plan_a]
    assert set(selectors.plans_visible_to(officer)) == {plan_a, plan_c}
    assert list(selectors.plans_visible_to(principal_a)) == [plan_a]
    assert list(selectors.plans_visible_to(principal_b)) == []  # school B is not in the plan
    assert list(selectors.plans_visible_to(principal_c)) == [plan_c]


def test_a_principal_sees_only_their_own_registration(district, reviewer, school_a, school_b, principal_a):
    round_ = services.round_create(unit=district, year=2027, number=1, by=reviewer, with_default_schedule=False)
    services.round_schools_register(round_=round_, schools=[school_a, school_b], by=reviewer)
    assert [r.school for r in selectors.registrations_visible_to(principal_a)] == [school_a]
    assert list(selectors.rounds_visible_to(principal_a)) == [round_]


# --- Met, on time, late, missing --------------------------------------------------------------


def test_met_means_handed_in(semester1, school_a, school_b, principal_a):
    services.periodic_report_submit(school=school_a, deadline=semester1, by=principal_a)
    PeriodicReport.objects.create(school=school_b, deadline=semester1)  # a draft
    met = selectors.deadline_met_by(periodic_ids=[semester1.pk])
    assert set(met[f"periodic:{semester1.pk}"]) == {school_a.pk}
    assert selectors.school_has_met(school_a, semester1) and not selectors.school_has_met(school_b, semester1)


def test_a_report_returned_for_revision_still_met_the_deadline(semester1, school_a, principal_a, reviewer):
    report = services.periodic_report_submit(school=school_a, deadline=semester1, by=principal_a)
    services.periodic_report_start_review(report=report, by=reviewer)
    services.periodic_report_return(report=report, by=reviewer, reason="Bổ sung tiến độ")
    assert PeriodicReport.objects.get(pk=report.pk).status == PeriodicReport.Status.RETURNED
    assert selectors.school_has_met(school_a, semester1)


@pytest.mark.parametrize(
    "met_on, today, status",
    [
        (D(2026, 12, 20), D(2026, 12, 25), selectors.ON_TIME),
        (D(2026, 12, 21), D(2026, 12, 25), selectors.LATE),
        (None, D(2026, 12, 20), selectors.PENDING),
        (None, D(2026, 12, 21), selectors.MISSING),
    ],
)
def test_submission_status(met_on, today, status):
    assert selectors.submission_status(D(2026, 12, 20), met_on, today) == status


def test_unit_status_uses_the_local_day_of_submission(semester1, district, school_a, school_b, principal_a, principal_b):
    SchoolFactory(reviewing_unit=district, code="A-MN-09", level="mn")  # has not submitted
    services.periodic_report_submit(school=school_a, deadline=semester1, by=principal_a, at=local(D(2026, 12, 20), 23, 30))
    services.periodic_report_submit(school=school_b, deadline=semester1, by=principal_b, at=local(D(2026, 12, 21), 0, 10))
    (status, _year_end) = selectors.deadline_status_for_unit(district, D(2026, 12, 28))
    by_code = {row.school.code: row.status for row in status.rows}
    assert by_code == {"A-THCS-01": selectors.ON_TIME, "A-THCS-02": selectors.LATE, "A-MN-09": selectors.MISSING}
    assert status.counts == {"pending": 0, "on_time": 1, "late": 1, "missing": 1}
    assert [row.school.code for row in status.behind] == ["A-MN-09", "A-THCS-02"]


def test_unit_status_is_empty_without_deadlines(district, year_2026):
    assert selectors.deadline_status_for_unit(district, D(2026, 12, 1)) == []


# --- A school's upcoming deadlines -----------------------------------------------------------


def test_upcoming_deadlines_for_a_school(semester1, district, reviewer, school_a, principal_a):
    round_ = services.round_create(unit=district, year=2027, number=1, by=reviewer, dossier_date=D(2027, 1, 9))
    services.round_schools_register(round_=round_, schools=[school_a], by=reviewer)
    CertificateFactory(school=school_a, decision_date=D(2022, 1, 20))  # valid until 20/01/2027
    items = selectors.upcoming_deadlines_for_school(school_a, D(2026, 12, 1))
    kinds = [(item.kind, item.due) for item in items]
    assert ("periodic", D(2026, 12, 20)) in kinds
    assert ("milestone", D(2026, 12, 26)) in kinds  # complete the report: 14 days before the dossier
    assert ("certificate", D(2027, 1, 20)) in kinds
    assert [item.due for item in items] == sorted(item.due for item in items)
    periodic = next(i for i in items if i.kind == "periodic")
    assert periodic.days_left == 19 and not periodic.is_soon and not periodic.done


def test_a_met_past_deadline_leaves_the_list_but_a_missed_one_stays(semester1, school_a, school_b, principal_a):
    services.periodic_report_submit(school=school_a, deadline=semester1, by=principal_a)
    assert not [i for i in selectors.upcoming_deadlines_for_school(school_a, D(2026, 12, 22)) if i.kind == "periodic"]
    (missed,) = [i for i in selectors.upcoming_deadlines_for_school(school_b, D(2026, 12, 22)) if i.kind == "periodic"]
    assert missed.is_overdue and missed.days_left == -2


# --- Plans and certificates -------------------------------------------------------------------


def test_plan_progress_counts_each_stage_by_level(district, reviewer, officer, school_a, school_b):
    mn = SchoolFactory(reviewing_unit=district, code="A-MN-01", level="mn")
    plan = services.plan_create(unit=district, year=2027, title="KH", by=reviewer, targets={"mn": 1, "thcs": 3})
    services.plan_schools_add(plan=plan, schools=[school_a, school_b, mn], by=reviewer)
    round_ = services.round_create(unit=district, year=2027, number=1, by=reviewer, with_default_schedule=False)
    services.round_schools_register(round_=round_, schools=[school_a, school_b], by=reviewer)
    CertificateFactory(school=school_a, decision_date=D(2020, 5, 1))  # before the plan's year: not progress
    progress = selectors.plan_progress(plan)
    rows = {row.entry.school.code: row for row in progress.rows}
    assert rows["A-THCS-01"].stage == 1 and rows["A-THCS-01"].previous_certificate is not None
    assert rows["A-MN-01"].stage == 0
    levels = {lv.level: lv for lv in progress.levels}
    assert (levels["thcs"].target, levels["thcs"].planned, levels["thcs"].registered) == (3, 2, 2)
    assert (levels["mn"].target, levels["mn"].planned, levels["mn"].registered) == (1, 1, 0)
    assert levels["th"].target is None and levels["th"].planned == 0
    assert (progress.totals.target, progress.totals.planned, progress.totals.registered) == (4, 3, 2)


def test_certificate_rows_show_the_latest_decision(district, school_a, school_b):
    CertificateFactory(school=school_a, decision_number="1/QĐ", decision_date=D(2019, 5, 28))
    latest = CertificateFactory(school=school_a, decision_number="2/QĐ", decision_date=D(2024, 6, 12))
    rows = selectors.certificate_rows(district.schools.all(), D(2026, 11, 22))
    by_code = {row.school.code: row for row in rows}
    assert by_code["A-THCS-01"].certificate == latest and by_code["A-THCS-01"].state == certification.VALID
    assert by_code["A-THCS-02"].certificate is None
    none_only = selectors.certificate_rows(district.schools.all(), D(2026, 11, 22), state="none")
    assert [row.school.code for row in none_only] == ["A-THCS-02"]


def test_expiring_certificates_of_a_unit(district, school_a, school_b, school_c):
    CertificateFactory(school=school_a, decision_date=D(2022, 1, 20))  # expires in two months
    CertificateFactory(school=school_b, decision_date=D(2021, 6, 15))  # expired last June
    CertificateFactory(school=school_c, decision_date=D(2022, 1, 20))  # another district
    rows = selectors.expiring_certificates_for_unit(district, D(2026, 11, 22))
    assert [(r.school.code, r.state) for r in rows] == [("A-THCS-02", certification.EXPIRED), ("A-THCS-01", certification.EXPIRING)]


# --- Constant query counts of the list pages --------------------------------------------------


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


def _grow(ctx, n, start):
    """n more schools of district A, each with a principal, in the plan and the round, with a
    certificate, a submitted periodic report and a done milestone."""
    district, reviewer = ctx["district"], ctx["reviewer"]
    schools = []
    for i in range(n):
        school = SchoolFactory(code=f"Q-{start + i:04d}", reviewing_unit=district, level=["mn", "th", "thcs"][i % 3])
        principal = UserFactory()
        MembershipFactory(user=principal, role=Membership.Role.PRINCIPAL, school=school)
        CertificateFactory(school=school, decision_date=D(2022, 1, 1) + datetime.timedelta(days=i))
        services.periodic_report_submit(school=school, deadline=ctx["semester1"], by=principal)
        schools.append(school)
    services.plan_schools_add(plan=ctx["plan"], schools=schools, by=reviewer)
    registrations = services.round_schools_register(round_=ctx["round"], schools=schools, by=reviewer)
    milestone = ctx["round"].milestones.filter(owner="school").first()
    for registration in registrations:
        services.milestone_complete(milestone=milestone, by=reviewer, registration=registration)


@pytest.fixture
def scenery(client, officer, reviewer, district, semester1, school_a):
    plan = services.plan_create(unit=district, year=2027, title="KH", by=reviewer, targets={"mn": 3})
    round_ = services.round_create(unit=district, year=2027, number=1, by=reviewer, dossier_date=D(2027, 1, 9))
    return {"district": district, "reviewer": reviewer, "semester1": semester1, "plan": plan, "round": round_}


@pytest.mark.parametrize(
    "url",
    [
        lambda s: reverse("evaluations:plan_list"),
        lambda s: reverse("evaluations:plan_detail", args=[s["plan"].pk]),
        lambda s: reverse("evaluations:plan_schools_add", args=[s["plan"].pk]),
        lambda s: reverse("evaluations:round_list"),
        lambda s: reverse("evaluations:round_detail", args=[s["round"].pk]),
        lambda s: reverse("evaluations:round_schools_add", args=[s["round"].pk]),
        lambda s: reverse("evaluations:certificate_list"),
        lambda s: reverse("evaluations:deadline_list") + "?year=2026-2027",
        lambda s: reverse("evaluations:deadline_detail", args=[s["semester1"].pk]),
        lambda s: reverse("evaluations:evaluation_list"),
    ],
    ids=["plans", "plan", "plan-add", "rounds", "round", "round-add", "certificates", "deadlines", "deadline", "evaluations"],
)
def test_list_pages_keep_a_constant_query_count(client, scenery, reviewer, url):
    client.force_login(reviewer)
    target = url(scenery)
    _grow(scenery, 2, 0)
    few = _count(client, target)
    _grow(scenery, 25, 100)
    many = _count(client, target)
    assert few == many, f"{target}: {few} queries with few rows, {many} with many"


def test_the_upcoming_page_keeps_a_constant_query_count(client, scenery, principal_a, school_a):
    client.force_login(principal_a)
    services.round_schools_register(round_=scenery["round"], schools=[school_a], by=scenery["reviewer"])
    few = _count(client, reverse("evaluations:upcoming"))
    for number in (2, 3, 4):
        round_ = services.round_create(unit=scenery["district"], year=2027, number=number, by=scenery["reviewer"],
                                       dossier_date=D(2027, 1, 9))
        services.round_schools_register(round_=round_, schools=[school_a], by=scenery["reviewer"])
    assert _count(client, reverse("evaluations:upcoming")) == few
