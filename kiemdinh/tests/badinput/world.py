"""The shared test data of the bad-input tests: the conftest personas and every app's URL-matrix
objects (a report, evidence items, an evaluation, ...), built once per module.

Built once, because building it takes seconds and every test only reads it: each example runs in a
savepoint rolled back afterwards (``rolled_back``), so what one post writes never reaches the next.
"""

from __future__ import annotations

import contextlib
import importlib

from django.db import transaction

from kiemdinh.testing import MATRIX_MODULES
from schools.models import Membership
from schools.tests.factories import (
    DepartmentFactory,
    MembershipFactory,
    SchoolFactory,
    SchoolYearFactory,
    UnitFactory,
    UserFactory,
)


@contextlib.contextmanager
def rolled_back():
    """Run the block in a savepoint that is always rolled back."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


class World(dict):
    """The shared objects by name; a short repr keeps hypothesis' reports readable."""

    def __repr__(self) -> str:
        return "<world>"


def _persona(username, role, **target):
    user = UserFactory(username=username, email=f"{username}@example.vn")
    MembershipFactory(user=user, role=role, **target)
    return user


def personas() -> World:
    """The objects of conftest.py's persona fixtures, under the same names."""
    department = DepartmentFactory()
    district = UnitFactory(code="pgd-a", name="Phòng GD&ĐT quận A", parent=department)
    other_district = UnitFactory(code="pgd-b", name="Phòng GD&ĐT quận B", parent=department)
    school_a = SchoolFactory(code="A-THCS-01", name="Trường THCS A", reviewing_unit=district)
    school_b = SchoolFactory(code="A-THCS-02", name="Trường THCS B", reviewing_unit=district)
    school_c = SchoolFactory(code="B-THCS-01", name="Trường THCS C", reviewing_unit=other_district)
    sysadmin = UserFactory(username="sysadmin", is_superuser=True, is_staff=True)
    MembershipFactory(user=sysadmin, role=Membership.Role.ADMIN)
    Role = Membership.Role
    ctx = World({
        "department": department, "district": district, "other_district": other_district,
        "school_a": school_a, "school_b": school_b, "school_c": school_c,
        "school_year": SchoolYearFactory(),
        "principal_a": _persona("principal_a", Role.PRINCIPAL, school=school_a),
        "staff_a": _persona("staff_a", Role.SCHOOL_STAFF, school=school_a),
        "principal_b": _persona("principal_b", Role.PRINCIPAL, school=school_b),
        "principal_c": _persona("principal_c", Role.PRINCIPAL, school=school_c),
        "reviewer": _persona("reviewer", Role.DISTRICT_REVIEWER, organisation=district),
        "head": _persona("head", Role.DISTRICT_HEAD, organisation=district),
        "other_reviewer": _persona("other_reviewer", Role.DISTRICT_REVIEWER, organisation=other_district),
        "officer": _persona("officer", Role.DEPARTMENT_OFFICER, organisation=department),
        "sysadmin": sysadmin,
    })
    return ctx


def build() -> World:
    """The objects of conftest.py's persona fixtures, under the same names, plus every matrix setup's."""
    ctx = personas()
    for path in MATRIX_MODULES:
        module = importlib.import_module(path)
        if hasattr(module, "setup"):
            module.setup(ctx)
    return ctx
