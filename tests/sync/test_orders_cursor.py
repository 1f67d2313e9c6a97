"""The orders cursor keeps when the console began reading; an older cursor is upgraded once."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tiktok_console.storage.database import open_database
from tiktok_console.storage.jobs import load_cursor, save_cursor
from tiktok_console.storage.orders.tiktok_orders import PENDING, SKIPPED, order_state
from tiktok_console.storage.tables import TikTokOrderRow
from tiktok_console.sync.orders.cursor import OrdersCursor, begin_cursor

NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
CONNECTED = NOW - timedelta(days=3)


@pytest.fixture(autouse=True)
def database(tmp_path: Path) -> Iterator[None]:
    db = open_database(tmp_path / "db.sqlite3")
    yield
    db.close()


def _order(order_id: str, status: str, reason: str) -> None:
    TikTokOrderRow.create(order_id=order_id, status=status, created_at=NOW, update_time=1,
                          payload="{}", sync_state=SKIPPED, reason=reason,
                          updated_at=NOW)  # fmt: skip


def test_the_first_pull_records_when_it_began() -> None:
    cursor = begin_cursor(CONNECTED, NOW)
    assert cursor == OrdersCursor(0, NOW)
    assert json.loads(load_cursor("orders")) == {"newest": 0, "since": NOW.isoformat()}
    later = begin_cursor(CONNECTED, NOW + timedelta(hours=1))
    assert later.since == NOW  # never moved forward


def test_an_older_cursor_takes_the_connection_time_and_looks_again_at_shipped_skips() -> None:
    save_cursor("orders", "1770000000")
    _order("shipped", "IN_TRANSIT", "Not sent to Shopify in status IN_TRANSIT.")
    _order("fbt", "DELIVERED", "Fulfilled by TikTok (FBT): not sent to Shopify.")
    _order("cancelled", "CANCELLED", "Cancelled on TikTok before it reached Shopify.")

    cursor = begin_cursor(CONNECTED, NOW)

    assert cursor == OrdersCursor(1770000000, CONNECTED)
    assert json.loads(load_cursor("orders"))["since"] == CONNECTED.isoformat()
    shipped = order_state("shipped")
    assert shipped is not None and shipped.sync_state == PENDING
    for untouched in ("fbt", "cancelled"):
        state = order_state(untouched)
        assert state is not None and state.sync_state == SKIPPED
    # Once upgraded, the next run reads the cursor as it is and requeues nothing.
    TikTokOrderRow.update(sync_state=SKIPPED).where(TikTokOrderRow.order_id == "shipped").execute()
    assert begin_cursor(CONNECTED, NOW) == cursor
    assert order_state("shipped").sync_state == SKIPPED
