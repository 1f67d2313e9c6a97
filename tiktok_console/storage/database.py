"""Opening the SQLite database: pragmas, integrity check, migrations.

There is one ``DatabaseProxy`` (``db``) that every table binds to; ``open_database``
initialises it. A damaged file is never overwritten silently: it is set aside
only when the caller's ``confirm_reset`` says the merchant agreed.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import peewee

from tiktok_console.storage.errors import (
    DatabaseCorruptError,
    DatabaseTooNewError,
    DatabaseUnavailableError,
)

log = logging.getLogger(__name__)

db = peewee.DatabaseProxy()

PRAGMAS = {
    "journal_mode": "wal",
    "foreign_keys": 1,
    "synchronous": "normal",
    "busy_timeout": 5000,
}

ConfirmReset = Callable[[Path, str], bool]


def refuse_reset(path: Path, reason: str) -> bool:
    """The default answer when nobody can be asked: keep the damaged file."""
    return False


def open_database(path: Path, confirm_reset: ConfirmReset = refuse_reset) -> peewee.SqliteDatabase:
    """Open (creating if needed) and migrate the database, and bind ``db`` to it.

    Args:
        path: the database file.
        confirm_reset: asked when the file is damaged; True sets the file aside
            and starts a fresh database, False raises ``DatabaseCorruptError``.

    Raises:
        DatabaseCorruptError: the file is damaged and no reset was agreed.
        DatabaseTooNewError: the file was written by a newer app.
        DatabaseUnavailableError: the file cannot be opened or written.
    """
    from tiktok_console.storage.migrations import LATEST_VERSION, migrate  # avoids a cycle

    path.parent.mkdir(parents=True, exist_ok=True)
    problem = integrity_problem(path)
    if problem is not None:
        log.error("Database %s is damaged: %s", path, problem)
        if not confirm_reset(path, problem):
            raise DatabaseCorruptError(path, problem)
        aside = set_aside(path)
        log.warning("Damaged database set aside as %s; starting a fresh one", aside)
    found = stored_version(path)
    if found > LATEST_VERSION:  # checked before any pragma can touch the file
        raise DatabaseTooNewError(path, found, LATEST_VERSION)
    # IMMEDIATE: a transaction takes the write lock when it begins (waiting up to the
    # busy timeout), instead of failing with "database is locked" when a read turns
    # into a write while a worker thread writes.
    database = peewee.SqliteDatabase(
        str(path), pragmas=PRAGMAS, check_same_thread=False, lock_type="IMMEDIATE"
    )
    try:
        database.connect()
        migrate(database, path)
    except (peewee.OperationalError, sqlite3.OperationalError) as error:
        database.close()
        raise DatabaseUnavailableError(path, str(error)) from error
    except BaseException:
        database.close()
        raise
    db.initialize(database)
    return database


def integrity_problem(path: Path) -> str | None:
    """Why the file is not a healthy SQLite database, or None if it is (or is absent)."""
    if not path.exists() or path.stat().st_size == 0:
        return None
    try:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            rows = connection.execute("PRAGMA quick_check").fetchall()
        finally:
            connection.close()
    except sqlite3.DatabaseError as error:
        return str(error)
    result = "; ".join(str(row[0]) for row in rows)
    return None if result == "ok" else result


def stored_version(path: Path) -> int:
    """The schema version in the file, read without changing it (0 if absent)."""
    if not path.exists() or path.stat().st_size == 0:
        return 0
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return int(connection.execute("PRAGMA user_version").fetchone()[0])
    finally:
        connection.close()


def set_aside(path: Path) -> Path:
    """Rename a damaged file (and its WAL/SHM companions) out of the way; keep it."""
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    aside = path.with_name(f"{path.name}.corrupt-{stamp}")
    path.replace(aside)
    for suffix in ("-wal", "-shm"):
        companion = path.with_name(path.name + suffix)
        if companion.exists():
            companion.replace(aside.with_name(aside.name + suffix))
    return aside
