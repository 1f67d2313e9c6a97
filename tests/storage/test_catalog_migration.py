"""The catalog migration upgrades a database of the previous schema, keeping its data."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import peewee

from tiktok_console.storage.catalog import schema
from tiktok_console.storage.catalog.tables import CatalogProductRow
from tiktok_console.storage.database import PRAGMAS
from tiktok_console.storage.migrations import MIGRATIONS, migrate, schema_version

NOW = datetime(2026, 5, 4, tzinfo=UTC)


def test_a_previous_database_gets_the_catalog_tables_and_keeps_its_orders(tmp_path: Path) -> None:
    steps = MIGRATIONS
    step = next(m for m in steps if m.statements == schema.STATEMENTS)
    previous = tuple(m for m in steps if m.version < step.version)
    path = tmp_path / "db.sqlite3"
    database = peewee.SqliteDatabase(str(path), pragmas=PRAGMAS)
    database.connect()
    migrate(database, path, migrations=previous)
    database.execute_sql(
        "INSERT INTO tiktok_order_row (order_id, status, created_at, update_time, payload,"
        " updated_at) VALUES ('O1', 'AWAITING_SHIPMENT', ?, 1, '{}', ?)",
        (NOW.isoformat(), NOW.isoformat()),
    )

    backup = migrate(
        database, path, migrations=tuple(m for m in steps if m.version <= step.version)
    )

    assert backup is not None and backup.exists()
    assert schema_version(database) == step.version
    tables = {
        t for (t,) in database.execute_sql("SELECT name FROM sqlite_master WHERE type='table'")
    }
    assert {"catalog_product_row", "catalog_image_row"} <= tables
    assert database.execute_sql("SELECT order_id FROM tiktok_order_row").fetchall() == [("O1",)]
    columns = {c.name for c in database.get_columns("catalog_product_row")}
    assert columns == set(CatalogProductRow._meta.columns)  # type: ignore[attr-defined]
    database.close()
