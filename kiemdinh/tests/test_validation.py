"""kiemdinh.validation.full_clean says what Model.full_clean says, with fewer queries.

Every check constraint of the project's models is evaluated both ways, in Python and by Django's
query, on values drawn around the constants the condition names (NULL, the empty text, each
constant and its neighbours, the other fields of an F() comparison); the answers must agree. Then
the whole validation: the same errors as Django's for the same row, and the queries it saves.
"""

from __future__ import annotations

import datetime
import decimal
from typing import Any

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import connection, models
from django.db.models import F, Q
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kiemdinh import validation

PROJECT_APPS = {"schools", "audit", "notifications", "standards", "evidence", "selfassessment", "reviews",
                "evaluations", "exports"}


def _check_constraints() -> list[tuple[type[models.Model], models.CheckConstraint]]:
    found = []
    for model in apps.get_models():
        if model._meta.app_label not in PROJECT_APPS:
            continue
        for constraint in model._meta.constraints:
            if isinstance(constraint, models.CheckConstraint):
                found.append((model, constraint))
    return found


CONSTRAINTS = _check_constraints()


def _leaves(node: Q):
    for child in node.children:
        if isinstance(child, Q):
            yield from _leaves(child)
        elif isinstance(child, tuple):
            yield child


def _candidates(field: models.Field, constants: list[Any]) -> list[Any]:
    """Values worth trying in a field: NULL, empties, the constants the condition names and their
    neighbours, and a few ordinary values of the field's type."""
    values: list[Any] = [None] if field.null else []
    if isinstance(field, (models.CharField, models.TextField, models.FileField)):
        values += ["", "a", "x@y", "Ab", "@"] + [c for c in constants if isinstance(c, str)]
        if field.choices:
            values += [choice for choice, _label in field.flatchoices]
    elif isinstance(field, models.BooleanField):
        values += [True, False]
    elif isinstance(field, models.DateTimeField):
        base = datetime.datetime(2026, 7, 7, 8, 0, tzinfo=datetime.UTC)
        values += [base, base + datetime.timedelta(days=1), base - datetime.timedelta(days=1)]
    elif isinstance(field, models.DateField):
        base = datetime.date(2026, 7, 7)
        values += [base, base + datetime.timedelta(days=1), base - datetime.timedelta(days=1)]
        values += [c for c in constants if isinstance(c, datetime.date)]
    elif isinstance(field, (models.IntegerField, models.DecimalField, models.ForeignKey)):
        numbers = [c for c in constants if isinstance(c, (int, decimal.Decimal)) and not isinstance(c, bool)]
        values += [0, 1, 2, 5, 100, 101, -1] + numbers + [n + 1 for n in numbers] + [n - 1 for n in numbers]
        if isinstance(field, models.DecimalField):
            values = [None if v is None else decimal.Decimal(v) for v in values]
    else:
        values += constants
    return values


def _referenced(model: type[models.Model], constraint: models.CheckConstraint) -> dict[str, list[Any]]:
    """The fields the condition names (by name), with the values to try in each."""
    leaves = list(_leaves(Q(constraint.condition)))
    names: set[str] = set()
    constants: list[Any] = []
    for key, value in leaves:
        names.add(key.split("__")[0])
        if isinstance(value, F):
            names.add(value.name)
        elif isinstance(value, (list, tuple)):
            constants.extend(value)
        else:
            constants.append(value)
    fields = {}
    for name in names:
        field = model._meta.pk if name == "pk" else model._meta.get_field(name)
        fields[field.attname] = _candidates(field, constants)
    return fields


def _python(model, constraint, obj) -> bool | None:
    try:
        return validation.check_in_python(constraint, model, obj, set())
    except validation.Unsupported:
        return None


def _django(model, constraint, obj) -> bool:
    try:
        constraint.validate(model, obj, exclude=set())
    except ValidationError:
        return False
    return True


def test_most_check_constraints_are_evaluated_without_the_database():
    """Only conditions with functions or relations still need a query (a list kept short on purpose)."""
    unsupported = []
    for model, constraint in CONSTRAINTS:
        obj = model()
        try:
            validation.check_in_python(constraint, model, obj, set())
        except validation.Unsupported:
            unsupported.append(constraint.name)
    assert len(CONSTRAINTS) > 60
    assert unsupported == ["schools_user_username_not_an_email"], unsupported


@pytest.mark.django_db
@pytest.mark.parametrize(("model", "constraint"), CONSTRAINTS, ids=[c.name for _m, c in CONSTRAINTS])
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_python_and_the_database_agree_on_every_check_constraint(model, constraint, data):
    obj = model()
    for attname, values in _referenced(model, constraint).items():
        setattr(obj, attname, data.draw(st.sampled_from(values), label=attname))
    python = _python(model, constraint, obj)
    if python is None:
        return  # the database answers, as before
    assert python == _django(model, constraint, obj), {a: getattr(obj, a) for a in _referenced(model, constraint)}


# --- The whole validation ----------------------------------------------------------------------------


def _errors(call) -> dict[str, list[str]] | None:
    try:
        call()
    except ValidationError as exc:
        return {key: sorted(str(m) for m in messages) for key, messages in exc.message_dict.items()}
    return None


@pytest.mark.django_db
def test_the_same_errors_as_django_for_a_valid_and_a_broken_row(school_a):
    from schools.models import SchoolYear

    year = SchoolYear.objects.order_by("start_date").first() or SchoolYear.objects.create(
        code="2026-2027", start_date=datetime.date(2026, 9, 5), end_date=datetime.date(2027, 5, 31))
    assert _errors(school_a.full_clean) is None
    assert _errors(lambda: validation.full_clean(school_a)) is None

    school_a.sites_count = 0  # a check constraint
    school_a.founding_year = 1700  # another
    school_a.name = ""  # a required field
    expected = _errors(school_a.full_clean)
    assert expected and "name" in expected
    assert _errors(lambda: validation.full_clean(school_a)) == expected
    assert _errors(lambda: validation.full_clean(school_a, exclude=["name"])) == _errors(
        lambda: school_a.full_clean(exclude=["name"]))

    year.end_date = year.start_date  # end after start, an F() comparison
    assert _errors(lambda: validation.full_clean(year)) == _errors(year.full_clean) is not None


@pytest.mark.django_db
def test_a_foreign_key_is_looked_up_unless_its_row_is_loaded(school_a, district):
    from schools.models import School

    with CaptureQueriesContext(connection) as django_way:
        school_a.full_clean()
    with CaptureQueriesContext(connection) as ours:
        validation.full_clean(school_a)
    # The reviewing unit is loaded on the school: no query for it, nor for the check constraints.
    assert len(ours) < len(django_way), (len(ours), len(django_way))
    assert not any("CHECK" in q["sql"] or "_check" in q["sql"] for q in ours.captured_queries)

    # A key set by id only, to a row that does not exist: the same error as Django's.
    fresh = School.objects.get(pk=school_a.pk)
    fresh.reviewing_unit_id = 999_999
    expected = _errors(fresh.full_clean)
    assert expected and "reviewing_unit" in expected
    fresh = School.objects.get(pk=school_a.pk)
    fresh.reviewing_unit_id = 999_999
    assert _errors(lambda: validation.full_clean(fresh)) == expected
    # A loaded object whose key was changed afterwards is not trusted either.
    school_a.reviewing_unit_id = 999_999
    assert _errors(lambda: validation.full_clean(school_a)) == expected


@pytest.mark.django_db
@pytest.mark.parametrize("condition", [
    Q(founding_year__gte=1900),            # NULL >= 1900: unknown, so it passes
    ~Q(founding_year__gte=1900),           # NOT unknown: still unknown
    Q(founding_year__gte=1900) & Q(sites_count__gte=1),
    Q(founding_year__gte=1900) | Q(sites_count__gte=5),
    Q(founding_year__gte=1900) & Q(sites_count__gte=5),  # unknown AND false: false
    Q(founding_year__in=[1990, 2000]),
], ids=["unknown", "not-unknown", "unknown-and-true", "unknown-or-false", "unknown-and-false", "null-in"])
def test_a_comparison_with_null_follows_sql(condition, school_a):
    school_a.founding_year = None
    school_a.sites_count = 1
    constraint = models.CheckConstraint(condition=condition, name="probe")
    model = type(school_a)
    assert validation.check_in_python(constraint, model, school_a, set()) == _django(model, constraint, school_a)


def test_the_apps_validate_their_rows_through_this_module():
    """One way to validate a row: a service that calls Model.full_clean itself asks the database again
    what is already known."""
    import pathlib
    import re

    root = pathlib.Path(__file__).resolve().parents[2]
    offenders = []
    for app in sorted(PROJECT_APPS | {"home", "ops", "demo", "kiemdinh"}):
        for path in (root / app).rglob("*.py"):
            if "tests" in path.parts or "migrations" in path.parts or path.name == "validation.py":
                continue
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if re.search(r"\w\.full_clean\(", line) and "validation.full_clean(" not in line:
                    offenders.append(f"{path.relative_to(root)}:{number}: {line.strip()}")
    assert offenders == [], offenders
