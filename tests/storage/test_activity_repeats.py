"""Repeated identical errors are one Activity row with a count and a time range (issue 13)."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import peewee
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tiktok_console.storage.activity import record_activity
from tiktok_console.storage.database import PRAGMAS, db, open_database
from tiktok_console.storage.migrations import MIGRATIONS, migrate
from tiktok_console.storage.orders.views import recent_activity
from tiktok_console.storage.tables import ActivityRow

T0 = datetime(2026, 3, 2, 14, 0, tzinfo=UTC)
DOWN = "Cannot reach Shopify (connection refused); retrying."


@pytest.fixture(autouse=True)
def database(tmp_path: Path) -> Iterator[None]:
    opened = open_database(tmp_path / "db.sqlite3")
    yield
    opened.close()
    db.initialize(None)


def test_forty_retries_are_one_row_counted_from_first_to_last() -> None:
    for n in range(40):
        record_activity("orders", "run", DOWN, level="error", detail=f"try {n}",
                        at=T0 + timedelta(seconds=n))  # fmt: skip
    [entry] = recent_activity()
    assert entry.repeats == 40
    assert entry.first_at == T0 and entry.at == T0 + timedelta(seconds=39)
    assert entry.detail == "try 39"  # the newest detail


def test_a_different_message_another_job_or_an_hour_apart_are_new_rows() -> None:
    record_activity("orders", "run", DOWN, level="error", at=T0)
    record_activity("inventory", "run", DOWN, level="error", at=T0)  # its own row
    record_activity("orders", "run", DOWN, level="error", at=T0 + timedelta(seconds=5))
    record_activity("orders", "run", "Shopify refused", level="error", at=T0 + timedelta(seconds=6))
    record_activity("orders", "run", DOWN, level="error", at=T0 + timedelta(seconds=7))
    record_activity("orders", "run", DOWN, level="error", at=T0 + timedelta(hours=2))
    rows = [(e.job, e.message, e.repeats) for e in recent_activity()]
    assert rows == [
        ("orders", DOWN, 1),
        ("orders", DOWN, 1),
        ("orders", "Shopify refused", 1),
        ("orders", DOWN, 2),
        ("inventory", DOWN, 1),
    ]


@settings(max_examples=30, deadline=None)
@given(st.lists(st.sampled_from(["a", "b"]), min_size=1, max_size=30))
def test_counts_add_up_to_every_entry_logged(messages: list[str]) -> None:
    ActivityRow.delete().execute()
    for n, message in enumerate(messages):
        record_activity("orders", "run", message, level="error", at=T0 + timedelta(seconds=n))
    entries = recent_activity()
    assert sum(e.repeats for e in entries) == len(messages)
    runs = 1 + sum(1 for x, y in itertools.pairwise(messages) if x != y)
    assert len(entries) == runs


def test_information_is_never_collapsed() -> None:
    for n in range(3):
        record_activity("orders", "create", "Created #1001", at=T0 + timedelta(seconds=n))
    assert [e.repeats for e in recent_activity()] == [1, 1, 1]


def test_migration_10_counts_every_old_row_once(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    database = peewee.SqliteDatabase(str(path), pragmas=PRAGMAS)
    database.connect()
    migrate(database, path, migrations=tuple(m for m in MIGRATIONS if m.version < 10))
    database.execute_sql(
        "INSERT INTO activity_row (at, level, job, action, message)"
        " VALUES (?, 'error', 'o', 'r', ?)",
        (T0.isoformat(), DOWN),
    )
    database.execute_sql(
        "INSERT INTO account_row (store, account_key, shop, connected_at) VALUES"
        " ('shopify', 'k', 's', ?)",
        (T0.isoformat(),),
    )
    migrate(database, path)
    assert database.execute_sql("SELECT repeats, first_at FROM activity_row").fetchall() == [
        (1, None)
    ]
    assert database.execute_sql("SELECT health, health_reason FROM account_row").fetchall() == [
        ("ok", "")
    ]
    database.close()
