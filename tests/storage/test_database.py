"""Opening, migrating, refusing and recovering the database: each case the merchant can hit."""

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import peewee
import pytest

from tiktok_console.storage.activity import activity_summary, record_activity
from tiktok_console.storage.database import open_database
from tiktok_console.storage.errors import DatabaseCorruptError, DatabaseTooNewError
from tiktok_console.storage.migrations import (
    LATEST_VERSION,
    MIGRATIONS,
    Migration,
    migrate,
    schema_version,
)


def _version(path: Path) -> int:
    with sqlite3.connect(path) as connection:
        return int(connection.execute("PRAGMA user_version").fetchone()[0])


def test_new_database_has_the_pragmas_and_latest_schema(tmp_path: Path) -> None:
    database = open_database(tmp_path / "new.sqlite3")
    assert database.execute_sql("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert database.execute_sql("PRAGMA foreign_keys").fetchone()[0] == 1
    assert database.execute_sql("PRAGMA synchronous").fetchone()[0] == 1  # NORMAL
    assert database.execute_sql("PRAGMA busy_timeout").fetchone()[0] == 5000
    assert schema_version(database) == LATEST_VERSION
    database.close()


def test_data_written_is_read_back_with_aware_times(tmp_path: Path) -> None:
    database = open_database(tmp_path / "db.sqlite3")
    record_activity("orders", "create", "Created #1001", at=datetime(2026, 1, 2, 3, 4, tzinfo=UTC))
    record_activity("orders", "create", "Failed", level="error")
    summary = activity_summary(datetime(2026, 1, 1, tzinfo=UTC))
    assert (summary.actions, summary.errors) == (2, 1)
    assert summary.last_at is not None and summary.last_at.tzinfo is not None
    database.close()


def test_migration_from_version_zero_creates_every_table(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    sqlite3.connect(path).close()  # an empty v0 file
    database = open_database(path)
    tables = set(database.get_tables())
    assert {"activity_row", "job_state_row"} <= tables
    database.close()


def test_existing_database_is_backed_up_before_migrating(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite3"
    database = peewee.SqliteDatabase(str(path))
    database.connect()
    migrate(database, path, MIGRATIONS)
    database.execute_sql("INSERT INTO job_state_row (name, updated_at) VALUES ('orders', 'x')")
    step = Migration(
        LATEST_VERSION + 1, "add a column", ("ALTER TABLE job_state_row ADD COLUMN n INT",)
    )
    backup = migrate(database, path, (*MIGRATIONS, step))
    database.close()
    assert backup is not None and backup.exists()
    assert f".v{LATEST_VERSION}-" in backup.name
    with sqlite3.connect(backup) as copy:
        assert copy.execute("SELECT name FROM job_state_row").fetchall() == [("orders",)]
        assert int(copy.execute("PRAGMA user_version").fetchone()[0]) == LATEST_VERSION
    assert _version(path) == LATEST_VERSION + 1


def test_a_failing_migration_changes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite3"
    database = peewee.SqliteDatabase(str(path))
    database.connect()
    migrate(database, path, MIGRATIONS)
    steps = (
        *MIGRATIONS,
        Migration(LATEST_VERSION + 1, "fine", ("CREATE TABLE extra (id INTEGER)",)),
        Migration(LATEST_VERSION + 2, "broken", ("ALTER TABLE missing ADD COLUMN x INT",)),
    )
    with pytest.raises(peewee.OperationalError):
        migrate(database, path, steps)
    assert schema_version(database) == LATEST_VERSION
    assert "extra" not in database.get_tables()
    database.close()


def test_database_from_a_newer_app_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite3"
    with sqlite3.connect(path) as connection:
        connection.execute(f"PRAGMA user_version = {LATEST_VERSION + 5}")
    before = path.read_bytes()
    with pytest.raises(DatabaseTooNewError) as raised:
        open_database(path)
    assert "newer version" in raised.value.message
    assert path.read_bytes() == before


def _corrupt(path: Path) -> bytes:
    database = open_database(path)
    record_activity("orders", "create", "something")
    database.close()
    data = bytearray(path.read_bytes())
    data[0:16] = b"garbage-garbage!"  # destroy the SQLite header
    path.write_bytes(bytes(data))
    return bytes(data)


def test_corrupt_database_is_refused_when_the_user_declines(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite3"
    damaged = _corrupt(path)
    asked: list[str] = []
    with pytest.raises(DatabaseCorruptError) as raised:
        open_database(path, confirm_reset=lambda p, reason: asked.append(reason) or False)
    assert asked and "not a database" in asked[0]
    assert "damaged" in raised.value.message
    assert path.read_bytes() == damaged  # nothing was changed


def test_corrupt_database_is_set_aside_and_replaced_when_the_user_agrees(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite3"
    damaged = _corrupt(path)
    database = open_database(path, confirm_reset=lambda p, reason: True)
    assert schema_version(database) == LATEST_VERSION
    database.close()
    kept = list(tmp_path.glob("db.sqlite3.corrupt-*"))
    assert [p for p in kept if p.read_bytes() == damaged]
