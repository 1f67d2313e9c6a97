"""A temp database with the after-sales migration applied, for storage tests and benchmarks."""

from __future__ import annotations

from pathlib import Path

import peewee

from tiktok_console.storage.database import PRAGMAS, db
from tiktok_console.storage.migrations import migrate


def open_aftersales_database(path: Path) -> peewee.SqliteDatabase:
    """A new database file, migrated, bound to the tables' proxy."""
    database = peewee.SqliteDatabase(str(path), pragmas=PRAGMAS, check_same_thread=False)
    database.connect()
    migrate(database, path)
    db.initialize(database)
    return database
