"""Many rows into one table with a single prepared ``INSERT``.

``QuerySet.bulk_create`` compiles a new statement for every batch, placing and preparing each
value through Django's SQL compiler; for the wide rows of a page import that costs several
times the database's own work. An :class:`Insert` builds its statement once, prepares the
values as that compiler does (``get_db_prep_save``) and runs one statement for all rows with
``executemany``. Values that are the same in every row (the import's time, user, content
types; columns left to their default) are prepared once, not once per row, and values that
preparation returns unchanged (text and booleans of Django's own plain fields, integers of
its integer fields and keys on most databases, nulls) are not prepared at all. On
PostgreSQL the rows go in with ``COPY``, several times faster than one ``INSERT`` per row.
It does not read primary keys back: callers find new rows by a key they know, or give each
row a key :func:`reserve_keys` set aside.
"""

from __future__ import annotations

import itertools
import operator
from collections.abc import Iterable, Mapping, Sequence

from django.db import NotSupportedError, connections
from django.db.models import (
    AutoField,
    BigAutoField,
    BigIntegerField,
    BooleanField,
    CharField,
    DateField,
    DateTimeField,
    Field,
    ForeignKey,
    IntegerField,
    Model,
    PositiveBigIntegerField,
    PositiveIntegerField,
    PositiveSmallIntegerField,
    SlugField,
    SmallAutoField,
    SmallIntegerField,
    TextField,
    URLField,
)

from . import internals

UNCHANGED = {
    CharField: frozenset({str, type(None)}),
    SlugField: frozenset({str, type(None)}),
    URLField: frozenset({str, type(None)}),
    TextField: frozenset({str, type(None)}),
    BooleanField: frozenset({bool, type(None)}),
}
"""Types of values that ``get_db_prep_save`` returns as they are, for fields of exactly these
classes (a subclass may prepare its values its own way)."""


class Insert:
    """An ``INSERT`` into ``model``'s own table of rows that give ``columns``.

    ``columns`` are attribute names (``user_id``, not ``user``), in the order each row gives
    their values; they may name an auto-generated key. Every other column of the table,
    except an auto-generated key, is written with ``constants``' value or its field's
    default: both prepared once, except defaults that are callables (a new UUID), which are
    called for every row as the model would.
    """

    def __init__(
        self,
        model: type[Model],
        columns: Sequence[str],
        constants: Mapping[str, object] | None = None,
        *,
        using: str = "default",
    ):
        constants = constants or {}
        self.connection = connection = connections[using]
        fields = {field.attname: field for field in model._meta.local_concrete_fields}
        unknown = {*columns, *constants} - fields.keys()
        if unknown:
            raise ValueError(f"{model.__name__} has no columns {sorted(unknown)}")
        self.given = [fields[name] for name in columns]
        copying = internals.can_copy(connection)
        self.unchanged = [unchanged_types(field, connection, copying) for field in self.given]
        self.preparers = [internals.db_preparer(field, connection) for field in self.given]
        rest = [
            field for name, field in fields.items() if name not in columns and not auto_key(field)
        ]
        self.generated = [
            field for field in rest if field.attname not in constants and per_row_default(field)
        ]
        fixed = [field for field in rest if field not in self.generated]
        self.fixed = tuple(
            field.get_db_prep_save(
                constants[field.attname] if field.attname in constants else field.get_default(),
                connection,
            )
            for field in fixed
        )
        quote = connection.ops.quote_name
        order = [*self.given, *self.generated, *fixed]
        self.sql = "INSERT INTO {} ({}) VALUES ({})".format(
            quote(model._meta.db_table),
            ", ".join(quote(field.column) for field in order),
            ", ".join(["%s"] * len(order)),
        )
        self.copy_sql = (
            "COPY {} ({}) FROM STDIN".format(
                quote(model._meta.db_table), ", ".join(quote(field.column) for field in order)
            )
            if copying
            else None
        )

    def run(self, rows: Iterable[Sequence]) -> None:
        """Insert one row for each sequence of values of ``columns``."""
        rows = list(rows)
        if rows:
            self.run_columns(list(zip(*rows, strict=True)))

    def run_columns(self, columns: Sequence[Sequence]) -> None:
        """Insert the rows whose values of each of ``columns`` are given together, one
        sequence per column (of the same length): values are prepared a column at a time."""
        if len(columns) != len(self.given):
            raise ValueError(f"{len(self.given)} columns expected, {len(columns)} given")
        count = len(columns[0]) if columns else 0
        if not count:
            return
        connection = self.connection
        prepared = [
            column
            if set(map(type, column)) <= plain
            else [value if type(value) in plain else prepare(value) for value in column]
            for prepare, plain, column in zip(self.preparers, self.unchanged, columns, strict=True)
        ]
        prepared += (
            [field.get_db_prep_save(field.get_default(), connection) for _ in range(count)]
            for field in self.generated
        )
        prepared += (itertools.repeat(value, count) for value in self.fixed)
        params = list(zip(*prepared, strict=True))
        with connection.cursor() as cursor:
            if self.copy_sql:
                internals.copy_rows(cursor, self.copy_sql, params)
            else:
                cursor.executemany(self.sql, params)


INTEGERS = frozenset(
    {
        AutoField,
        BigAutoField,
        BigIntegerField,
        IntegerField,
        PositiveBigIntegerField,
        PositiveIntegerField,
        PositiveSmallIntegerField,
        SmallAutoField,
        SmallIntegerField,
    }
)
"""Django's own integer fields, whose preparation of an integer depends on the database only."""


def unchanged_types(field: Field, connection, copying: bool = False) -> frozenset[type]:
    """Types of values that ``field.get_db_prep_save`` returns as they are on ``connection``,
    or that need no preparing for ``COPY`` when ``copying``.

    Text and booleans of the plain fields in :data:`UNCHANGED`; integers of integer fields
    and of foreign keys to them where the database takes them as they are (not PostgreSQL
    with psycopg 3, whose integers are typed for parameters, but not for ``COPY``, which
    sends text); nothing (null) of those and of dates and times.
    """
    if type(field) in UNCHANGED:
        return UNCHANGED[type(field)]
    target = field
    if isinstance(field, ForeignKey) and (
        type(field).get_db_prep_save is ForeignKey.get_db_prep_save
    ):
        target = field.target_field
    if type(target) in INTEGERS:
        found = {type(None)}
        if copying or type(target.get_db_prep_save(7, connection)) is int:
            found.add(int)
        return frozenset(found)
    if type(field) in (DateField, DateTimeField):
        return frozenset({type(None)})
    return frozenset()


def auto_key(field: Field) -> bool:
    """Whether ``field`` is a primary key the database generates when it is not given."""
    return field.primary_key and field.db_returning


def per_row_default(field: Field) -> bool:
    """Whether a field's default is computed anew for every instance (a callable)."""
    return field.has_default() and callable(field.default)


def insert_rows(
    model: type[Model],
    objs: Sequence[Model],
    *,
    overrides: Mapping[str, object] | None = None,
    values: Mapping[str, Sequence] | None = None,
    using: str = "default",
) -> None:
    """Insert a row of ``model``'s own table for each of ``objs``.

    The columns are the table's concrete fields, with an auto-generated key only when every
    object has one (from :func:`reserve_keys`); ``objs`` may be instances of a subclass
    (their values for those fields are read, as ``save()`` would read them). ``overrides``
    maps attribute names to values written in every row instead of the objects' own,
    ``values`` to one value per object.
    """
    if not objs:
        return
    overrides = overrides or {}
    values = values or {}
    keyed = [obj.pk is not None for obj in objs]
    if any(keyed) and not all(keyed):
        raise ValueError("either every object or none has its primary key")
    fields = [
        field
        for field in model._meta.local_concrete_fields
        if not (auto_key(field) and not keyed[0]) and field.attname not in overrides
    ]
    unknown = values.keys() - {field.attname for field in fields}
    if unknown:
        raise ValueError(f"{model.__name__} has no columns {sorted(unknown)} to give values of")
    insert = Insert(model, [field.attname for field in fields], overrides, using=using)
    insert.run_columns(
        [
            values[field.attname]
            if field.attname in values
            else list(map(operator.attrgetter(field.attname), objs))
            if type(field).pre_save is Field.pre_save
            else [field.pre_save(obj, True) for obj in objs]
            for field in fields
        ]
    )
    for obj in objs:
        obj._state.adding = False
        obj._state.db = using


def reserve_keys(model: type[Model], count: int, *, using: str = "default") -> list[int]:
    """``count`` values of ``model``'s auto-generated key, in increasing order, that the
    database gives no other row: rows can name the ones they refer to before those exist.

    PostgreSQL takes them from the key's sequence; SQLite by moving on the counter of an
    ``AUTOINCREMENT`` table, which it takes new keys from (a table without one reuses the
    largest key, so it is refused, as are other databases: see :func:`can_reserve_keys`).
    """
    connection = connections[using]
    if not can_reserve_keys(model, using=using):
        raise NotSupportedError(f"cannot reserve keys of {model._meta.db_table}")
    if count <= 0:
        return []
    quote = connection.ops.quote_name
    table, column = model._meta.db_table, model._meta.pk.column
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [quote(table), column, count],
            )
            return sorted(key for (key,) in cursor.fetchall())
        # Written first, so that the transaction holds the database's write lock before it
        # reads the counter back.
        largest = f"coalesce((SELECT max({quote(column)}) FROM {quote(table)}), 0)"
        cursor.execute(
            f"UPDATE sqlite_sequence SET seq = max(seq, {largest}) + %s WHERE name = %s",
            [count, table],
        )
        if not cursor.rowcount:
            cursor.execute(
                f"INSERT INTO sqlite_sequence (name, seq) VALUES (%s, {largest} + %s)",
                [table, count],
            )
        cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
        (last,) = cursor.fetchone()
    return list(range(last - count + 1, last + 1))


def can_reserve_keys(model: type[Model], *, using: str = "default") -> bool:
    """Whether :func:`reserve_keys` works for ``model``: its key is generated, on PostgreSQL
    or in an ``AUTOINCREMENT`` table of SQLite (as Django creates them)."""
    connection = connections[using]
    if not auto_key(model._meta.pk):
        return False
    if connection.vendor == "postgresql":
        return True
    if connection.vendor != "sqlite":
        return False
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = %s",
            [model._meta.db_table],
        )
        row = cursor.fetchone()
    return row is not None and "AUTOINCREMENT" in row[0].upper()
