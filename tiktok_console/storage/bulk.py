"""Fast bulk inserts for large loads (catalog snapshots, settlement imports).

peewee's ``insert_many`` builds SQL text in Python (about 54k rows/s here);
one prepared statement run through sqlite3's ``executemany`` reaches about
700k rows/s. Values go through each field's ``db_value`` so Decimals and
aware datetimes are stored exactly as the models store them.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import peewee


def bulk_insert(
    model: type[peewee.Model],
    rows: Iterable[Mapping[str, Any]],
    *,
    on_conflict: str = "ABORT",
) -> int:
    """Insert ``rows`` (column name -> Python value) in one transaction; returns the count.

    Args:
        model: the table.
        rows: every row must have the same keys.
        on_conflict: SQLite conflict clause: ``ABORT``, ``IGNORE`` or ``REPLACE``.
    """
    if on_conflict not in ("ABORT", "IGNORE", "REPLACE"):
        raise ValueError(f"unsupported conflict clause: {on_conflict}")
    iterator = iter(rows)
    first = next(iterator, None)
    if first is None:
        return 0
    names: Sequence[str] = list(first)
    fields = [model._meta.fields[name] for name in names]
    columns = ", ".join(f'"{field.column_name}"' for field in fields)
    marks = ", ".join("?" for _ in fields)
    # Names come from the model, never from input; values are bound parameters.
    sql = f'INSERT OR {on_conflict} INTO "{model._meta.table_name}" ({columns}) VALUES ({marks})'  # noqa: S608

    def values(row: Mapping[str, Any]) -> tuple[Any, ...]:
        return tuple(field.db_value(row[name]) for field, name in zip(fields, names, strict=True))

    database = model._meta.database
    count = 0

    def counted() -> Iterable[tuple[Any, ...]]:
        nonlocal count
        for row in itertools.chain([first], iterator):
            count += 1
            yield values(row)

    with database.atomic():
        database.connection().executemany(sql, counted())
    return count


def bulk_upsert(
    model: type[peewee.Model],
    rows: Sequence[Mapping[str, Any]],
    key: str,
    keep_when: Mapping[str, str] | None = None,
) -> int:
    """Insert or update ``rows`` (all with the same columns) by ``key``, in one transaction.

    One prepared statement through ``executemany``: a reconciliation writes
    10,000 rows, which one peewee query per row takes seconds to do. Columns
    not given keep their values on update, and so do those of ``keep_when``
    (column -> SQL condition) where the condition holds.
    """
    if not rows:
        return 0
    fields = [model._meta.fields[name] for name in rows[0]]
    columns = ", ".join(f'"{field.column_name}"' for field in fields)
    marks = ", ".join("?" for _ in fields)
    keep = keep_when or {}

    def assignment(field: peewee.Field) -> str:
        column = f'"{field.column_name}"'
        if field.name in keep:
            return (
                f"{column} = CASE WHEN {keep[field.name]} THEN {column} ELSE excluded.{column} END"
            )
        return f"{column} = excluded.{column}"

    updates = ", ".join(assignment(f) for f in fields if f.name != key)
    # Names come from the model, never from input; values are bound parameters.
    sql = (
        f'INSERT INTO "{model._meta.table_name}" ({columns}) VALUES ({marks}) '  # noqa: S608
        f'ON CONFLICT("{model._meta.fields[key].column_name}") DO UPDATE SET {updates}'
    )
    values = [tuple(f.db_value(row[f.name]) for f in fields) for row in rows]
    database = model._meta.database
    with database.atomic():
        database.connection().executemany(sql, values)
    return len(values)


def bulk_update(model: type[peewee.Model], rows: Sequence[Mapping[str, Any]], key: str) -> None:
    """Update existing rows by ``key`` with one prepared statement (see ``bulk_upsert``)."""
    if not rows:
        return
    fields = [model._meta.fields[name] for name in rows[0] if name != key]
    key_field = model._meta.fields[key]
    assignments = ", ".join(f'"{f.column_name}" = ?' for f in fields)
    # Names come from the model, never from input; values are bound parameters.
    sql = (
        f'UPDATE "{model._meta.table_name}" SET {assignments} '  # noqa: S608
        f'WHERE "{key_field.column_name}" = ?'
    )
    values = [
        (*(f.db_value(row[f.name]) for f in fields), key_field.db_value(row[key])) for row in rows
    ]
    database = model._meta.database
    with database.atomic():
        database.connection().executemany(sql, values)


def chunks(values: Iterable[str], size: int = 500) -> Iterable[list[str]]:
    """``values`` in lists of ``size``: keeps ``IN (…)`` lists short."""
    items = list(values)
    for start in range(0, len(items), size):
        yield items[start : start + size]
