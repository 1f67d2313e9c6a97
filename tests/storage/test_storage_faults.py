"""Storage faults in the merchant's words: a full disk, a read-only, locked or vanished
file each give one sentence naming the file and what to do, keep every row already
written, and the WAL stays small (issue 14, items 3 and 4)."""

from __future__ import annotations

import logging
import os
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import peewee
import pytest

from tests.fault_mounts import read_only
from tiktok_console.core.logs import PrivateLogFile
from tiktok_console.storage.activity import record_activity
from tiktok_console.storage.database import close_database, open_database
from tiktok_console.storage.errors import DatabaseCorruptError, DatabaseUnavailableError
from tiktok_console.storage.tables import ActivityRow


@pytest.fixture
def database(tmp_path: Path) -> Iterator[peewee.SqliteDatabase]:
    db = open_database(tmp_path / "console.sqlite3")
    yield db
    db.close()


def _write(count: int, text: str = "x") -> None:
    at = datetime(2026, 1, 1, tzinfo=UTC)
    with ActivityRow._meta.database.atomic():
        for _ in range(count):
            record_activity("orders", "create", text * 500, at=at)


def _rows() -> int:
    return int(ActivityRow.select().count())


def _assert_one_clear_sentence(error: DatabaseUnavailableError, path: Path, *words: str) -> None:
    assert str(path) in error.message
    for word in words:
        assert word in error.message
    assert "rollback" not in error.message and "transaction" not in error.message


def test_a_full_disk_is_named_and_keeps_every_row(database: peewee.SqliteDatabase) -> None:
    _write(20)
    pages = database.execute_sql("PRAGMA page_count").fetchone()[0]
    database.execute_sql(f"PRAGMA max_page_count = {pages}")  # SQLite's own SQLITE_FULL
    with pytest.raises(DatabaseUnavailableError) as caught:
        _write(200)
    _assert_one_clear_sentence(caught.value, database.path, "full", "free some space")
    assert caught.value.kind == "full" and database.last_fault is caught.value
    assert _rows() == 20  # every row written before is kept
    database.execute_sql("PRAGMA max_page_count = 1000000")  # space was freed
    _write(5)
    assert _rows() == 25


def test_a_read_only_database_is_named(database: peewee.SqliteDatabase) -> None:
    _write(3)
    database.execute_sql("PRAGMA query_only = 1")  # SQLite's own SQLITE_READONLY
    with pytest.raises(DatabaseUnavailableError) as caught:
        _write(1)
    _assert_one_clear_sentence(caught.value, database.path, "read-only", "writable")
    database.execute_sql("PRAGMA query_only = 0")
    assert _rows() == 3


def test_a_database_file_made_read_only_on_disk_is_named(tmp_path: Path) -> None:
    path = tmp_path / "console.sqlite3"
    db = open_database(path)
    _write(3)
    close_database(db)
    with read_only(path):
        try:
            db = open_database(path)
        except DatabaseUnavailableError as error:  # refused at open: as clear
            _assert_one_clear_sentence(error, path, "read-only")
            return
        try:
            with pytest.raises(DatabaseUnavailableError) as caught:
                _write(1)
            _assert_one_clear_sentence(caught.value, path, "read-only")
            assert _rows() == 3
        finally:
            db.close()


def test_a_locked_database_is_named(database: peewee.SqliteDatabase) -> None:
    _write(1)
    database.execute_sql("PRAGMA busy_timeout = 50")
    other = sqlite3.connect(database.path, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(DatabaseUnavailableError) as caught:
            _write(1)
    finally:
        other.execute("ROLLBACK")
        other.close()
    _assert_one_clear_sentence(caught.value, database.path, "locked", "another")
    _write(1)  # the lock is gone: it carries on
    assert _rows() == 2


@pytest.mark.parametrize("how", ["deleted", "moved"])
def test_a_vanished_database_is_named_not_written_into_the_void(
    database: peewee.SqliteDatabase, how: str, tmp_path: Path
) -> None:
    _write(2)
    if how == "deleted":
        database.path.unlink()
    else:
        database.path.rename(tmp_path / "elsewhere.sqlite3")
    with pytest.raises(DatabaseUnavailableError) as caught:
        _write(1)
    _assert_one_clear_sentence(caught.value, database.path, "moved or deleted", "put it back")


def test_the_wal_is_checkpointed_and_kept_small(tmp_path: Path) -> None:
    path = tmp_path / "console.sqlite3"
    db = open_database(path)
    wal = path.with_name(path.name + "-wal")
    largest = 0
    for _ in range(40):  # ~8 MB written in all
        _write(100)
        largest = max(largest, wal.stat().st_size)
    assert largest < 2_500_000, largest  # checkpointed every ~1 MB, truncated to 1 MB
    close_database(db)
    assert not wal.exists() or wal.stat().st_size == 0


def test_a_damaged_database_without_a_backup_does_not_promise_one(tmp_path: Path) -> None:
    path = tmp_path / "console.sqlite3"
    path.write_bytes(b"garbage-garbage!" * 512)
    with pytest.raises(DatabaseCorruptError) as caught:
        open_database(path)
    assert "backup" in caught.value.message
    assert "Restore it from" not in caught.value.message
    assert "no backup" in caught.value.message.lower()


def test_a_damaged_database_with_a_backup_names_it(tmp_path: Path) -> None:
    path = tmp_path / "console.sqlite3"
    path.write_bytes(b"garbage-garbage!" * 512)
    backup = tmp_path / "console.sqlite3.v3-20260101-000000.bak"
    backup.write_bytes(b"a backup")
    with pytest.raises(DatabaseCorruptError) as caught:
        open_database(path)
    assert f"Restore it from the backup {backup.name}" in caught.value.message


def test_a_log_file_on_a_full_disk_says_so_once(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    if not os.path.exists("/dev/full"):
        pytest.skip("needs /dev/full")
    log_path = tmp_path / "tiktok-console.log"
    log_path.symlink_to("/dev/full")  # every write: "No space left on device"
    handler = PrivateLogFile(log_path)
    logger = logging.getLogger("tests.full_log")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        for number in range(500):
            logger.warning("line %d", number)
    finally:
        logger.removeHandler(handler)
        handler.close()
    err = capfd.readouterr().err
    assert "Logging error" not in err
    assert err.count("\n") == 1 and "disk is full" in err and str(log_path) in err
