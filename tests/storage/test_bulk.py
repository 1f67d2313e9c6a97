"""Bulk inserts store exactly what the models would, in one transaction."""

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tiktok_console.storage.bulk import bulk_insert
from tiktok_console.storage.database import open_database
from tiktok_console.storage.tables import ActivityRow, JobStateRow


@pytest.fixture
def database(tmp_path: Path):
    database = open_database(tmp_path / "db.sqlite3")
    yield database
    database.close()


def test_rows_round_trip_with_aware_times(database) -> None:
    start = datetime(2026, 3, 1, tzinfo=UTC)
    rows = (
        {
            "at": start + timedelta(seconds=i),
            "level": "info",
            "job": "orders",
            "action": "pull",
            "message": f"order {i}",
        }
        for i in range(5000)
    )
    assert bulk_insert(ActivityRow, rows) == 5000
    assert ActivityRow.select().count() == 5000
    last = ActivityRow.select().order_by(ActivityRow.at.desc()).first()
    assert last.message == "order 4999" and last.at == start + timedelta(seconds=4999)


def test_a_bad_row_rolls_back_the_whole_load(database) -> None:
    now = datetime.now(UTC)
    rows = [{"name": "orders", "updated_at": now}, {"name": "orders", "updated_at": now}]
    with pytest.raises(Exception, match="UNIQUE"):
        bulk_insert(JobStateRow, rows)
    assert JobStateRow.select().count() == 0


def test_ignore_keeps_the_first_of_duplicates(database) -> None:
    now = datetime.now(UTC)
    rows = [
        {"name": "a", "cursor": "1", "updated_at": now},
        {"name": "a", "cursor": "2", "updated_at": now},
    ]
    assert bulk_insert(JobStateRow, rows, on_conflict="IGNORE") == 2
    assert JobStateRow.get_by_id("a").cursor == "1"


def test_empty_input_inserts_nothing(database) -> None:
    assert bulk_insert(ActivityRow, []) == 0


@settings(max_examples=25, deadline=None)
@given(st.lists(st.text(min_size=1, max_size=30), min_size=1, max_size=20, unique=True))
def test_any_text_is_stored_verbatim(tmp_path_factory, names: list[str]) -> None:
    database = open_database(tmp_path_factory.mktemp("db") / "db.sqlite3")
    now = datetime.now(UTC)
    bulk_insert(JobStateRow, ({"name": n, "cursor": n[::-1], "updated_at": now} for n in names))
    stored = {row.name: row.cursor for row in JobStateRow.select()}
    database.close()
    assert stored == {n: n[::-1] for n in names}
