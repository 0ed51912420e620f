"""Organisation scoping of list pages, with a query count that does not grow with the data."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from schools import selectors
from schools.models import Membership
from schools.tests.factories import MembershipFactory, SchoolFactory, UserFactory


def test_principal_sees_only_their_school(principal_a, school_a, school_b, school_c):
    assert list(selectors.schools_visible_to(principal_a)) == [school_a]


def test_reviewer_sees_the_schools_of_their_district_only(reviewer, school_a, school_b, school_c):
    assert set(selectors.schools_visible_to(reviewer)) == {school_a, school_b}


def test_department_officer_sees_every_district(officer, school_a, school_b, school_c):
    assert set(selectors.schools_visible_to(officer)) == {school_a, school_b, school_c}


def test_a_user_without_membership_sees_nothing(db, school_a):
    assert list(selectors.schools_visible_to(UserFactory())) == []


def test_revoked_membership_no_longer_grants_access(reviewer, school_a):
    reviewer.memberships.update(is_active=False)
    assert list(selectors.schools_visible_to(reviewer)) == []


def test_reviewer_lists_accounts_of_their_district_not_others(reviewer, principal_a, principal_c, staff_a):
    visible = set(selectors.users_visible_to(reviewer))
    assert {principal_a, staff_a} <= visible
    assert principal_c not in visible


def _count_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def _add_schools(district, n, start):
    for i in range(n):
        school = SchoolFactory(code=f"Q-{start + i:04d}", reviewing_unit=district)
        MembershipFactory(user=UserFactory(), role=Membership.Role.PRINCIPAL, school=school)


@pytest.mark.parametrize(
    "url_name",
    ["schools:school_list", "schools:account_list"],
)
def test_list_pages_keep_a_constant_query_count(client, officer, district, url_name):
    client.force_login(officer)
    url = reverse(url_name)
    _add_schools(district, 3, 0)
    few = _count_queries(client, url)
    _add_schools(district, 40, 100)
    many = _count_queries(client, url)
    assert few == many, f"{url_name}: {few} queries with few rows, {many} with many"
