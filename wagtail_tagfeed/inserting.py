"""Many rows into one table with a single prepared ``INSERT``.

``QuerySet.bulk_create`` compiles a new statement for every batch, placing and preparing each
value through Django's SQL compiler; for the wide rows of a page import that costs several
times the database's own work. :func:`insert_rows` prepares the values as that compiler does
(``pre_save``, then ``get_db_prep_save``) and runs one statement for all rows with
``executemany``. It does not read primary keys back: callers find new rows by a key they know.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from django.db import connections
from django.db.models import Model


def insert_rows(
    model: type[Model],
    objs: Sequence[Model],
    *,
    overrides: Mapping[str, object] | None = None,
    using: str = "default",
) -> None:
    """Insert a row of ``model``'s own table for each of ``objs``.

    The columns are the table's concrete fields except an auto-generated key; ``objs`` may be
    instances of a subclass (their values for those fields are read). ``overrides`` maps field
    names to values written in every row instead of the objects' own.
    """
    if not objs:
        return
    meta = model._meta
    fields = [
        field
        for field in meta.local_concrete_fields
        if not (field.primary_key and field.db_returning)
    ]
    overrides = overrides or {}
    connection = connections[using]
    quote = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(
        quote(meta.db_table),
        ", ".join(quote(field.column) for field in fields),
        ", ".join(["%s"] * len(fields)),
    )
    rows = [
        tuple(
            field.get_db_prep_save(
                overrides[field.attname]
                if field.attname in overrides
                else field.pre_save(obj, True),
                connection,
            )
            for field in fields
        )
        for obj in objs
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)
    for obj in objs:
        obj._state.adding = False
        obj._state.db = using
