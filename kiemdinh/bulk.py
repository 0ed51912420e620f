"""Writing many rows at once, faster than Django's own helper where it is slow.

``QuerySet.bulk_update`` builds one ``CASE WHEN pk = … THEN …`` expression per row and field and
compiles it through the ORM: for the few thousand texts of a whole report saved together, that
costs seconds of Python. ``update_rows`` writes the same values (each object's fields, matched by
primary key, prepared for the database as ``bulk_update`` prepares them) with one UPDATE statement
run for every row (``executemany``). Like ``bulk_update`` it sends no signals and runs no
``pre_save`` (an ``auto_now`` field is written as the object holds it).
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import connections, router
from django.db.models import Model


def update_rows(objs: Sequence[Model], fields: Sequence[str]) -> int:
    """Store ``fields`` of each object of one model (all saved before); return the number of objects."""
    if not objs:
        return 0
    model = type(objs[0])
    if any(type(obj) is not model or obj.pk is None for obj in objs):
        raise ValueError("update_rows needs saved objects of one model")
    meta = model._meta
    columns = [meta.get_field(name) for name in fields]
    if not columns or any(not f.concrete or f.primary_key or f.many_to_many for f in columns):
        raise ValueError("update_rows writes concrete, non-key fields only")
    connection = connections[router.db_for_write(model)]
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(f.column)} = %s" for f in columns)
    # Only the model's own table and column names are put in the text; every value is a parameter.
    sql = f"UPDATE {quote(meta.db_table)} SET {assignments} WHERE {quote(meta.pk.column)} = %s"  # noqa: S608  # nosec B608
    params = [
        [f.get_db_prep_save(getattr(obj, f.attname), connection) for f in columns]
        + [meta.pk.get_db_prep_value(obj.pk, connection)]
        for obj in objs
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)
    return len(objs)
