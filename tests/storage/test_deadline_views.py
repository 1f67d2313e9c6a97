"""Ship today / overdue: which orders the Overview lists, on a real database."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import peewee
import pytest

from tiktok_console.storage.database import open_database
from tiktok_console.storage.fulfillment.tables import ShopifyFulfillmentRow
from tiktok_console.storage.orders.deadlines import ship_deadlines
from tiktok_console.storage.tables import TikTokOrderRow

NOW = datetime(2026, 3, 3, 3, 0, tzinfo=UTC)  # 22:00 on 2 March in New York
TONIGHT = datetime(2026, 3, 3, 5, 0, tzinfo=UTC)  # midnight in New York


@pytest.fixture
def database(tmp_path: Path) -> Iterator[peewee.SqliteDatabase]:
    opened = open_database(tmp_path / "db.sqlite3")
    yield opened
    opened.close()


@pytest.fixture
def new_york(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("TZ", "America/New_York")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def order(order_id: str, ship_by: datetime | None, status: str = "AWAITING_SHIPMENT",
          name: str = "", state: str = "created") -> None:  # fmt: skip
    TikTokOrderRow.create(
        order_id=order_id, status=status, created_at=NOW - timedelta(days=2), update_time=1,
        ship_by=ship_by, payload="{}", sync_state=state, shopify_order_name=name, updated_at=NOW,
    )  # fmt: skip


def shipment(fulfillment_id: str, order_id: str, state: str, reason: str = "") -> None:
    ShopifyFulfillmentRow.create(
        fulfillment_id=fulfillment_id, shopify_order_id="s", tiktok_order_id=order_id,
        carrier="DHL", tracking_number="1", shopify_created_at=NOW, state=state, reason=reason,
        updated_at=NOW,
    )  # fmt: skip


def test_lists_orders_due_before_local_midnight_with_their_tracking(database, new_york) -> None:
    order("late", NOW - timedelta(hours=30), name="#1001")
    order("today", TONIGHT - timedelta(minutes=1), status="PARTIALLY_SHIPPING", name="#1002")
    order("orphan", NOW + timedelta(minutes=5), state="orphan")
    order("tomorrow", TONIGHT)
    order("shipped", NOW - timedelta(hours=1), status="AWAITING_COLLECTION")
    order("no-deadline", None)
    shipment("f1", "today", "pushed")
    shipment("f2", "today", "blocked", "DHL Express is not mapped")
    shipment("f3", "late", "pending")

    rows = ship_deadlines(NOW)

    assert [r.order_id for r in rows] == ["late", "orphan", "today"]  # earliest first
    late, orphan, today = rows
    assert (late.overdue, late.shopify_order_name, late.tracking) == (True, "#1001", "pending")
    assert (today.overdue, today.status) == (False, "PARTIALLY_SHIPPING")
    # A blocked shipment is what the merchant must act on, even beside a pushed one.
    assert (today.tracking, today.tracking_reason) == ("blocked", "DHL Express is not mapped")
    assert (orphan.tracking, orphan.sync_state, orphan.shopify_order_name) == ("", "orphan", "")


def test_nothing_due_on_an_empty_database(database) -> None:
    assert ship_deadlines() == []
