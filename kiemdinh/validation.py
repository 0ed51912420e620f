"""Model validation as ``Model.full_clean`` does it, without the queries that cannot find anything.

Django validates a model with a query per foreign key (does the row exist?) and, for each check
constraint, a savepoint, a ``SELECT`` and a release, even when the answer is already in memory: the
related row was read from the database moments before, and ``Q(status__in=[...])`` needs no database
to be evaluated. The services validate every row they write, so those queries were a fifth of what
a seeded demo asked the database (4 184 check constraints, 8 555 foreign keys).

``full_clean(obj)`` gives the same errors, with the same messages and codes, for the same input:

- a foreign key whose related object is loaded on the instance (read from the database, its primary
  key the one stored) and that has no ``limit_choices_to`` is not looked up again; any other key is;
- a check constraint whose condition uses only comparisons of the model's own fields with constants
  or with each other (``exact``, ``in``, ``isnull``, ``gt``, ``gte``, ``lt``, ``lte``, ``contains`` of
  a text without letters) is evaluated here, in SQL's three-valued logic: a comparison with NULL is
  unknown and an unknown condition passes, as ``CheckConstraint.validate`` does through
  ``COALESCE(condition, TRUE)``. Anything else (functions, relations, other lookups, a value that is an
  expression) goes to the database as before.

The database's own constraints still guard every write; this only decides which checks need a query
to say what they say. ``kiemdinh/tests/test_validation.py`` compares both answers for every check
constraint of the project.
"""

from __future__ import annotations

import datetime
import decimal
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models, router
from django.db.models import F, Q
from django.db.models.constants import LOOKUP_SEP

__all__ = ["full_clean", "check_in_python", "Unsupported"]


class Unsupported(Exception):
    """The condition needs the database to be evaluated."""


# Fields whose Python values compare as the database compares them.
_COMPARABLE_FIELDS: tuple[type[models.Field[Any, Any]], ...] = (
    models.CharField,
    models.TextField,
    models.IntegerField,
    models.BooleanField,
    models.DateField,  # DateTimeField is a DateField
    models.DecimalField,
    models.FileField,
    models.ForeignKey,
)
_LOOKUPS = frozenset({"exact", "in", "isnull", "gt", "gte", "lt", "lte", "contains"})


def _kind(value: Any) -> str:
    """Two values compare here only when they are of the same kind (a bool is not a number here, nor
    a datetime a date)."""
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, decimal.Decimal)):
        return "number"
    if isinstance(value, datetime.datetime):
        return "datetime"
    if isinstance(value, datetime.date):
        return "date"
    if isinstance(value, str):
        return "text"
    raise Unsupported(f"a value of type {type(value).__name__}")


def _same_kind(left: Any, right: Any) -> None:
    if _kind(left) != _kind(right):
        raise Unsupported("values of different kinds")


class _Opaque:
    """A value this module does not evaluate (an expression, a JSON document, ...)."""


class _Missing(Exception):
    """The condition names a field left out of validation: the constraint is not checked."""


def _field_values(obj: models.Model, meta: Any, exclude: set[str]) -> dict[str, Any]:
    """The instance's values by field name and attname, as the database would be given them (a
    file's name, an enum's value); a field left out is missing, as in Django's expression map."""
    values: dict[str, Any] = {}
    for field in meta.local_concrete_fields:
        if field.name in exclude:
            continue
        value = getattr(obj, field.attname)
        if field.generated or hasattr(value, "resolve_expression") or not isinstance(field, _COMPARABLE_FIELDS):
            value = _Opaque
        elif value is not None:
            try:
                value = field.get_prep_value(value)
            except (TypeError, ValueError, decimal.InvalidOperation):
                value = _Opaque  # the database is given it as it is, and answers for itself
            if isinstance(value, str):
                value = str(value)  # a TextChoices member compares as its text
        values[field.name] = value
        values[field.attname] = value
    if "pk" not in exclude:
        pk = obj.pk
        values["pk"] = pk if pk is None or isinstance(pk, (int, str)) else _Opaque
    return values


def _operand(values: dict[str, Any], name: str) -> Any:
    if name not in values:
        raise _Missing(name)
    value = values[name]
    if value is _Opaque:
        raise Unsupported(name)
    return value


def _constant(values: dict[str, Any], value: Any) -> Any:
    if isinstance(value, F):
        return _operand(values, value.name)
    if hasattr(value, "resolve_expression"):
        raise Unsupported("an expression")
    if isinstance(value, str):
        return str(value)
    return value


def _lookup(values: dict[str, Any], key: str, raw: Any) -> bool | None:
    name, _, lookup = key.partition(LOOKUP_SEP)
    lookup = lookup or "exact"
    if lookup not in _LOOKUPS:
        raise Unsupported(key)
    left = _operand(values, name)
    if lookup == "exact" and raw is None:
        lookup, raw = "isnull", True  # Django writes field=None as IS NULL
    if lookup == "isnull":
        if not isinstance(raw, bool):
            raise Unsupported(key)
        return (left is None) == raw
    if lookup == "in":
        if isinstance(raw, (str, bytes)) or not isinstance(raw, Iterable):
            raise Unsupported(key)
        options = [_constant(values, item) for item in raw if item is not None]
        if left is None:
            return None
        for option in options:
            _same_kind(left, option)
        return left in options
    right = _constant(values, raw)
    if left is None or right is None:
        return None
    if lookup == "contains":
        # LIKE ignores the case of ASCII letters on SQLite and not on PostgreSQL: only letterless texts.
        if not isinstance(left, str) or not isinstance(right, str) or right.lower() != right.upper():
            raise Unsupported(key)
        return right in left
    _same_kind(left, right)
    if lookup == "exact":
        return bool(left == right)
    if isinstance(left, (str, bool)):
        raise Unsupported(f"{key}: the order of texts is the database's collation")
    try:
        if lookup == "gt":
            return bool(left > right)
        if lookup == "gte":
            return bool(left >= right)
        if lookup == "lt":
            return bool(left < right)
        return bool(left <= right)
    except TypeError as exc:  # an aware and a naive datetime
        raise Unsupported(str(exc)) from None


def _evaluate(node: Q, values: dict[str, Any]) -> bool | None:
    """SQL's three-valued logic: True, False or None (unknown)."""
    if node.connector not in (Q.AND, Q.OR):
        raise Unsupported(node.connector)
    results: list[bool | None] = []
    for child in node.children:
        if isinstance(child, Q):
            results.append(_evaluate(child, values))
        elif isinstance(child, tuple) and len(child) == 2 and isinstance(child[0], str):
            results.append(_lookup(values, child[0], child[1]))
        else:
            raise Unsupported(repr(child))
    if node.connector == Q.AND:
        result: bool | None = False if False in results else (None if None in results else True)
    else:
        result = True if True in results else (None if None in results else False)
    if node.negated and result is not None:
        result = not result
    return result


def _passes(constraint: models.CheckConstraint, values: dict[str, Any]) -> bool:
    try:
        return _evaluate(Q(constraint.condition), values) is not False
    except _Missing:
        return True


def check_in_python(
    constraint: models.CheckConstraint, model_class: type[models.Model], obj: models.Model, exclude: set[str]
) -> bool:
    """Whether ``obj`` passes ``constraint`` of ``model_class`` (an unknown condition passes); a condition
    naming a left-out field passes too, as Django skips it. Raises Unsupported when the database must
    be asked."""
    return _passes(constraint, _field_values(obj, model_class._meta, exclude))


def _trusted_foreign_keys(obj: models.Model) -> set[str]:
    """Foreign keys whose related row is loaded on the instance, with the key stored: they exist."""
    trusted = set()
    for field in obj._meta.concrete_fields:
        if not isinstance(field, models.ForeignKey) or field.remote_field.limit_choices_to:
            continue
        if not field.is_cached(obj):
            continue
        related = field.get_cached_value(obj)
        if related is None or related._state.adding:
            continue
        if getattr(related, field.target_field.attname) != getattr(obj, field.attname):
            continue
        trusted.add(field.name)
    return trusted


def _validate_one(
    constraint: Any, model_class: type[models.Model], obj: models.Model, exclude: set[str], values: dict[str, Any],
    using: str,
) -> None:
    """Raise the constraint's ValidationError when ``obj`` breaks it: a check constraint evaluated here
    where it can be, any other (and the rest of the check constraints) by Django's query."""
    if isinstance(constraint, models.CheckConstraint):
        try:
            passes = _passes(constraint, values)
        except Unsupported:
            pass
        else:
            if not passes:
                raise ValidationError(constraint.get_violation_error_message(), code=constraint.violation_error_code)
            return
    # BaseConstraint.validate (Django 4.1+) is missing from django-stubs, hence ``constraint: Any``.
    constraint.validate(model_class, obj, exclude=exclude, using=using)


def _validate_constraints(obj: models.Model, exclude: set[str]) -> None:
    """``Model.validate_constraints``, the errors gathered the same way, through ``_validate_one``."""
    using = router.db_for_write(obj.__class__, instance=obj)
    errors: dict[str, Any] = {}
    for model_class, constraints in obj.get_constraints():
        values = _field_values(obj, model_class._meta, exclude)
        for constraint in constraints:
            try:
                _validate_one(constraint, model_class, obj, exclude, values, using)
            except ValidationError as exc:
                fields: tuple[str, ...] = tuple(getattr(constraint, "fields", ()))
                if getattr(exc, "code", None) == "unique" and len(fields) == 1:
                    errors.setdefault(fields[0], []).append(exc)
                else:
                    errors = exc.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)


def full_clean(
    obj: models.Model,
    *,
    exclude: Iterable[str] | None = None,
    validate_unique: bool = True,
    validate_constraints: bool = True,
) -> None:
    """``obj.full_clean(...)``: the same checks in the same order with the same errors, fewer queries."""
    excluded = set(exclude or ())
    errors: dict[str, Any] = {}
    try:
        obj.clean_fields(exclude=excluded | _trusted_foreign_keys(obj))
    except ValidationError as exc:
        errors = exc.update_error_dict(errors)
    try:
        obj.clean()
    except ValidationError as exc:
        errors = exc.update_error_dict(errors)
    if validate_unique:
        excluded.update(name for name in errors if name != NON_FIELD_ERRORS)
        try:
            obj.validate_unique(exclude=excluded)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
    if validate_constraints:
        excluded.update(name for name in errors if name != NON_FIELD_ERRORS)
        try:
            _validate_constraints(obj, excluded)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)
