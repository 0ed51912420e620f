"""Scoped reads: who sees which reports, the start page, previous reports, the regulation date."""

import datetime

import pytest

from schools.tests.factories import SchoolYearFactory
from selfassessment import selectors, services
from selfassessment.models import Report

pytestmark = pytest.mark.django_db


@pytest.fixture
def reports(regulation, school_a, school_b, school_c, school_year, principal_a, principal_b, principal_c):
    return {
        "a": services.report_create(school=school_a, school_year=school_year, kind="periodic", by=principal_a),
        "b": services.report_create(school=school_b, school_year=school_year, kind="periodic", by=principal_b),
        "c": services.report_create(school=school_c, school_year=school_year, kind="periodic", by=principal_c),
    }


def visible(user):
    return set(selectors.reports_visible_to(user).values_list("school__code", flat=True))


def test_each_role_sees_the_reports_of_its_scope(reports, principal_a, staff_a, reviewer, head, other_reviewer, officer,
                                                 sysadmin):
    assert visible(principal_a) == visible(staff_a) == {"A-THCS-01"}
    assert visible(reviewer) == visible(head) == {"A-THCS-01", "A-THCS-02"}
    assert visible(other_reviewer) == {"B-THCS-01"}
    assert visible(officer) == visible(sysadmin) == {"A-THCS-01", "A-THCS-02", "B-THCS-01"}


def test_a_user_without_role_sees_nothing(reports):
    from schools.tests.factories import UserFactory

    assert visible(UserFactory()) == set()


def test_report_list_filters_and_counts_progress(reports, reviewer, principal_a):
    from selfassessment.models import Passage

    intro = Passage.objects.get(report=reports["a"], key="introduction")
    services.passage_save(passage=intro, text="x", base_revision=0, by=principal_a)
    rows = {r.school.code: r for r in selectors.report_list(reviewer)}
    assert rows["A-THCS-01"].texts_written == 1 and rows["A-THCS-01"].texts_total == 51
    assert [r.school.code for r in selectors.report_list(reviewer, query="THCS B")] == ["A-THCS-02"]
    assert [r.school.code for r in selectors.report_list(reviewer, query="A-THCS-02")] == ["A-THCS-02"]
    assert list(selectors.report_list(reviewer, status="submitted")) == []


def test_the_start_page_lists_the_reports_of_the_users_own_schools(reports, principal_a, reviewer):
    home = selectors.reports_for_school_home(principal_a)
    assert list(home) == [reports["a"].school_id] and home[reports["a"].school_id] == [reports["a"]]
    assert selectors.reports_for_school_home(reviewer) == {}


def test_previous_report_prefers_the_same_kind_of_the_latest_earlier_year(regulation, school_a, principal_a, school_year):
    older = SchoolYearFactory(code="2022-2023", start_date=datetime.date(2022, 9, 5), end_date=datetime.date(2023, 5, 31))
    last = SchoolYearFactory(code="2023-2024", start_date=datetime.date(2023, 9, 5), end_date=datetime.date(2024, 5, 31))
    services.report_create(school=school_a, school_year=older, kind="periodic", by=principal_a)
    external = services.report_create(school=school_a, school_year=last, kind="external", by=principal_a)
    assert selectors.previous_report(school_a, school_year, "periodic") == external  # the latest year first
    periodic = services.report_create(school=school_a, school_year=last, kind="periodic", by=principal_a)
    assert selectors.previous_report(school_a, school_year, "periodic") == periodic
    assert selectors.previous_report(school_a, older, "periodic") is None


def test_the_regulation_date_is_today_kept_within_the_school_year(school_year):
    assert selectors.regulation_date_for(school_year, datetime.date(2025, 2, 1)) == datetime.date(2025, 2, 1)
    assert selectors.regulation_date_for(school_year, datetime.date(2026, 2, 1)) == school_year.end_date
    assert selectors.regulation_date_for(school_year, datetime.date(2024, 1, 1)) == school_year.start_date


def test_report_content_loads_in_a_fixed_number_of_queries(report, django_assert_max_num_queries):
    with django_assert_max_num_queries(20):
        content = selectors.report_content(Report.objects.select_related(
            "school", "school_year", "regulation_version__regulation").get(pk=report.pk))
        assert len(content.criteria()) == 6 and len(content.level4) == 2
