"""Opening the SQLite database: pragmas, integrity check, migrations.

There is one ``DatabaseProxy`` (``db``) that every table binds to; ``open_database``
initialises it. A damaged file is never overwritten silently: it is set aside
only when the caller's ``confirm_reset`` says the merchant agreed. A storage
fault at any time (full disk, read-only or vanished file, a lock) becomes one
clear ``DatabaseUnavailableError``; the file is created private to its owner.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import os
import sqlite3
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import peewee

from tiktok_console.storage.errors import (
    DatabaseCorruptError,
    DatabaseTooNewError,
    DatabaseUnavailableError,
    FaultKind,
)

log = logging.getLogger(__name__)

db = peewee.DatabaseProxy()

PRAGMAS = {
    "journal_mode": "wal",
    "foreign_keys": 1,
    "synchronous": "normal",
    "busy_timeout": 5000,
    # Keep the WAL small: checkpoint every ~1 MB of changes and truncate it back
    # to 1 MB afterwards, so a nearly full disk is not filled by the WAL itself.
    "wal_autocheckpoint": 256,
    "journal_size_limit": 1_048_576,
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
    try:
        create_private(path)
    except OSError as error:
        raise DatabaseUnavailableError(path, str(error), _os_fault(error)) from error
    database = ConsoleDatabase(
        path, pragmas=PRAGMAS, check_same_thread=False, lock_type="IMMEDIATE"
    )
    try:
        database.connect()
        migrate(database, path)
    except (peewee.OperationalError, sqlite3.OperationalError) as error:
        database.close()
        raise DatabaseUnavailableError(path, str(error), fault_kind(error, path)) from error
    except BaseException:
        database.close()
        raise
    db.initialize(database)
    return database


def create_private(path: Path) -> None:
    """Create an empty database file readable by its owner only (if it is missing).

    SQLite gives its WAL and shared-memory files the database file's permissions.
    """
    if not path.exists():
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))


def close_database(database: peewee.SqliteDatabase) -> None:
    """Checkpoint the WAL into the database and truncate it, then close."""
    if not database.is_closed():
        try:
            database.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        except (DatabaseUnavailableError, peewee.DatabaseError, sqlite3.Error) as error:
            log.warning("The database's WAL could not be checkpointed: %s", error)
    database.close()


class ConsoleDatabase(peewee.SqliteDatabase):
    """The SQLite database, speaking of storage faults in the merchant's words.

    A full disk, a read-only or vanished file or a lock raises
    ``DatabaseUnavailableError`` (one sentence naming the file and what to do)
    wherever it happens, not only at open. When SQLite has already rolled a
    failed transaction back (it does on a full disk), the rollback that follows
    is skipped, so the real cause is what is raised, not "no transaction is
    active". The last fault is kept in ``last_fault`` for the command line.
    """

    def __init__(self, path: Path, **kwargs: Any) -> None:
        super().__init__(str(path), **kwargs)
        self.path = path
        self.last_fault: DatabaseUnavailableError | None = None
        self._identity: tuple[int, int] | None = None

    def _connect(self) -> Any:
        connection = super()._connect()  # type: ignore[misc]
        self._identity = _file_identity(self.path)
        return connection

    def execute_sql(self, sql: str, params: Any = None) -> Any:
        """Run one statement (see ``peewee.Database.execute_sql``)."""
        if sql.lstrip().upper().startswith("ROLLBACK") and not self._in_sqlite_transaction():
            return None  # SQLite rolled back already; keep the error that made it
        with self._faults():
            return super().execute_sql(sql, params)  # type: ignore[no-untyped-call]

    def begin(self, lock_type: str | None = None) -> None:
        """Begin a transaction, unless the file was moved or deleted meanwhile.

        SQLite itself would go on writing into the moved (or deleted) file, and
        everything written from then on would be lost at exit.
        """
        with self._faults():
            if self._identity is not None and _file_identity(self.path) != self._identity:
                raise sqlite3.OperationalError("the database file was moved or deleted")
            super().begin(lock_type)

    def commit(self) -> None:
        """Commit the transaction."""
        with self._faults():
            super().commit()

    def rollback(self) -> None:
        """Roll the transaction back, unless SQLite already did."""
        if not self._in_sqlite_transaction():
            return
        with self._faults():
            super().rollback()

    def _in_sqlite_transaction(self) -> bool:
        if self.is_closed():
            return False
        return bool(self.connection().in_transaction)  # type: ignore[no-untyped-call]

    @contextlib.contextmanager
    def _faults(self) -> Iterator[None]:
        try:
            yield
        except (peewee.OperationalError, peewee.DatabaseError, sqlite3.Error) as error:
            if isinstance(error, peewee.IntegrityError | sqlite3.IntegrityError):
                raise
            kind = fault_kind(error, self.path)
            if kind == "other":
                raise
            fault = DatabaseUnavailableError(self.path, str(error), kind)
            if self.last_fault is None or self.last_fault.kind != kind:
                log.error("%s (%s)", fault.message, fault.detail)
            self.last_fault = fault
            raise fault from error


def _file_identity(path: Path) -> tuple[int, int] | None:
    try:
        info = path.stat()
    except OSError:
        return None
    return info.st_dev, info.st_ino


_FAULT_CODES: dict[int, FaultKind] = {
    sqlite3.SQLITE_FULL: "full",
    sqlite3.SQLITE_READONLY: "read-only",
    sqlite3.SQLITE_BUSY: "locked",
    sqlite3.SQLITE_LOCKED: "locked",
    sqlite3.SQLITE_CANTOPEN: "vanished",
    sqlite3.SQLITE_IOERR: "io",
}


def fault_kind(error: BaseException, path: Path) -> FaultKind:
    """Which storage fault an SQLite error stands for ("other" if none)."""
    original = error.args[0] if error.args and isinstance(error.args[0], sqlite3.Error) else error
    code = getattr(original, "sqlite_errorcode", None)
    kind = _FAULT_CODES.get(code & 0xFF, "other") if isinstance(code, int) else "other"
    text = str(original).lower()
    if kind == "other":
        for words, guess in (
            ("disk is full", "full"), ("readonly", "read-only"), ("is locked", "locked"),
            ("unable to open", "vanished"), ("moved or deleted", "vanished"),
            ("disk i/o", "io"),
        ):  # fmt: skip
            if words in text:
                kind = guess  # type: ignore[assignment]  # the tuple's literals
    if kind in ("read-only", "io", "vanished") and not path.exists():
        return "vanished"  # SQLite calls a moved or deleted file read-only
    return kind


def _os_fault(error: OSError) -> FaultKind:
    if error.errno in (errno.ENOSPC, errno.EDQUOT):
        return "full"
    if error.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return "read-only"
    return "other"


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
