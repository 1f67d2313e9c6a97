"""The Inventory page's actions on a real database: rules saved, bad input refused clearly."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import peewee
import pytest

from tiktok_console.storage.database import open_database
from tiktok_console.storage.inventory.stock import rules_changed_since, stock_rules
from tiktok_console.sync.inventory import actions

T0 = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)


@pytest.fixture
def database(tmp_path: Path) -> Iterator[peewee.SqliteDatabase]:
    opened = open_database(tmp_path / "db.sqlite3")
    yield opened
    opened.close()


def test_rules_are_saved_and_seen_as_changed(database: peewee.SqliteDatabase) -> None:
    before = datetime.now(UTC)
    actions.set_frozen(["A", "B"], True)
    actions.set_buffer("A", " 10 % ")
    actions.set_cap("B", 4)
    actions.set_frozen(["B"], False)
    rules = stock_rules()
    assert (rules["A"].frozen, rules["A"].buffer, rules["A"].cap) == (True, "10%", None)
    assert (rules["B"].frozen, rules["B"].buffer, rules["B"].cap) == (False, "", 4)
    assert set(rules_changed_since(before)) == {"A", "B"}
    actions.set_buffer("A", "")
    actions.set_cap("B", None)
    assert stock_rules()["A"].buffer == "" and stock_rules()["B"].cap is None


@pytest.mark.parametrize(("text", "message"), [("-1", "negative"), ("abc", "not a buffer")])
def test_a_bad_buffer_is_refused_and_nothing_changes(
    database: peewee.SqliteDatabase, text: str, message: str
) -> None:
    actions.set_buffer("A", "3")
    with pytest.raises(ValueError, match=message):
        actions.set_buffer("A", text)
    assert stock_rules()["A"].buffer == "3"


def test_a_negative_cap_is_refused(database: peewee.SqliteDatabase) -> None:
    with pytest.raises(ValueError, match="cannot be negative"):
        actions.set_cap("A", -1)


def test_livestream_switch(database: peewee.SqliteDatabase) -> None:
    with pytest.raises(ValueError, match="future"):
        actions.start_livestream(T0 - timedelta(minutes=1), now=T0)
    with pytest.raises(LookupError):
        actions.end_livestream(T0)
    actions.start_livestream(T0 + timedelta(hours=2), now=T0)
    live = actions.active_livestream(T0 + timedelta(minutes=5))
    assert live is not None and live.ends_at == T0 + timedelta(hours=2)
    report = actions.end_livestream(T0 + timedelta(hours=1))
    assert report.ended_at == T0 + timedelta(hours=1)
    assert actions.active_livestream(T0 + timedelta(hours=1, minutes=1)) is None
    actions.start_livestream(T0 + timedelta(hours=4), now=T0 + timedelta(hours=3))
    second = actions.end_livestream(T0 + timedelta(hours=3, minutes=30))
    assert [r.id for r in actions.livestream_reports()] == [second.id, report.id]  # newest first
