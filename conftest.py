"""Fixed personas shared by every app's tests (style.md item 19).

Two schools (A and B) in one district, a second district with school C, the Sở above both.
"""

import os
import shutil

import pytest

from schools.models import Membership
from schools.tests.factories import (
    DepartmentFactory,
    MembershipFactory,
    SchoolFactory,
    SchoolYearFactory,
    UnitFactory,
    UserFactory,
)

PASSWORD = "Secret-pass-123"


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    yield
    shutil.rmtree(tmp_path / "media", ignore_errors=True)


@pytest.fixture
def department(db):
    return DepartmentFactory()


@pytest.fixture
def district(department):
    return UnitFactory(code="pgd-a", name="Phòng GD&ĐT quận A", parent=department)


@pytest.fixture
def other_district(department):
    return UnitFactory(code="pgd-b", name="Phòng GD&ĐT quận B", parent=department)


@pytest.fixture
def school_a(district):
    return SchoolFactory(code="A-THCS-01", name="Trường THCS A", reviewing_unit=district)


@pytest.fixture
def school_b(district):
    return SchoolFactory(code="A-THCS-02", name="Trường THCS B", reviewing_unit=district)


@pytest.fixture
def school_c(other_district):
    return SchoolFactory(code="B-THCS-01", name="Trường THCS C", reviewing_unit=other_district)


@pytest.fixture
def school_year(db):
    return SchoolYearFactory()


def _persona(username, role, **target):
    user = UserFactory(username=username, email=f"{username}@example.vn")
    MembershipFactory(user=user, role=role, **target)
    return user


@pytest.fixture
def principal_a(school_a):
    return _persona("principal_a", Membership.Role.PRINCIPAL, school=school_a)


@pytest.fixture
def staff_a(school_a):
    return _persona("staff_a", Membership.Role.SCHOOL_STAFF, school=school_a)


@pytest.fixture
def principal_b(school_b):
    return _persona("principal_b", Membership.Role.PRINCIPAL, school=school_b)


@pytest.fixture
def principal_c(school_c):
    return _persona("principal_c", Membership.Role.PRINCIPAL, school=school_c)


@pytest.fixture
def reviewer(district):
    return _persona("reviewer", Membership.Role.DISTRICT_REVIEWER, organisation=district)


@pytest.fixture
def head(district):
    return _persona("head", Membership.Role.DISTRICT_HEAD, organisation=district)


@pytest.fixture
def other_reviewer(other_district):
    return _persona("other_reviewer", Membership.Role.DISTRICT_REVIEWER, organisation=other_district)


@pytest.fixture
def officer(department):
    return _persona("officer", Membership.Role.DEPARTMENT_OFFICER, organisation=department)


@pytest.fixture
def sysadmin(db):
    user = UserFactory(username="sysadmin", is_superuser=True, is_staff=True)
    MembershipFactory(user=user, role=Membership.Role.ADMIN)
    return user


@pytest.fixture
def personas(principal_a, staff_a, principal_b, principal_c, reviewer, head, other_reviewer, officer, sysadmin):
    return {
        "principal_a": principal_a,
        "staff_a": staff_a,
        "principal_b": principal_b,
        "principal_c": principal_c,
        "reviewer": reviewer,
        "head": head,
        "other_reviewer": other_reviewer,
        "officer": officer,
        "sysadmin": sysadmin,
    }


def services_required() -> bool:
    """CI sets KIEMDINH_REQUIRE_SERVICES=1: a test that needs Redis/PostgreSQL must not skip there."""
    return os.environ.get("KIEMDINH_REQUIRE_SERVICES") == "1"
