"""A temp database with the after-sales migration applied, for storage tests and benchmarks.

Until the lead registers ``aftersales.schema`` in ``storage.migrations`` (as
migration 7), it is appended here through ``migrate(migrations=)``; once it is
registered, the app's own list is used as is.
"""

from __future__ import annotations

from pathlib import Path

import peewee

from tiktok_console.storage.aftersales import schema
from tiktok_console.storage.database import PRAGMAS, db
from tiktok_console.storage.migrations import MIGRATIONS, Migration, migrate


def with_aftersales() -> tuple[Migration, ...]:
    """The app's migrations, plus the after-sales one if it is not registered yet."""
    if any(m.statements == schema.STATEMENTS for m in MIGRATIONS):
        return MIGRATIONS
    step = Migration(MIGRATIONS[-1].version + 1, schema.DESCRIPTION, schema.STATEMENTS)
    return (*MIGRATIONS, step)


def open_aftersales_database(path: Path) -> peewee.SqliteDatabase:
    """A new database file, migrated, bound to the tables' proxy."""
    database = peewee.SqliteDatabase(str(path), pragmas=PRAGMAS, check_same_thread=False)
    database.connect()
    migrate(database, path, migrations=with_aftersales())
    db.initialize(database)
    return database
