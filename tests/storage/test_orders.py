"""Pulled TikTok orders in the database: a late, older copy never overwrites a newer one."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from tiktok_console.storage.database import open_database
from tiktok_console.storage.orders.tiktok_orders import PulledOrder, order_state, store_pulled


@pytest.fixture(autouse=True)
def database(tmp_path: Path) -> Iterator[None]:
    opened = open_database(tmp_path / "db.sqlite3")
    yield
    opened.close()


def pulled(status: str, update_time: int) -> PulledOrder:
    return PulledOrder(
        order_id="576", status=status, created_at=datetime(2026, 3, 2, tzinfo=UTC),
        update_time=update_time, fulfillment_type="FULFILLMENT_BY_SELLER", ship_by=None,
        total=Decimal("10.00"), currency="USD", payload=f'{{"status": "{status}"}}',
    )  # fmt: skip


def test_an_older_update_is_ignored_and_a_newer_one_kept() -> None:
    assert store_pulled(pulled("AWAITING_SHIPMENT", 200))
    assert not store_pulled(pulled("ON_HOLD", 100))  # arrived late from an overlapping page
    assert not store_pulled(pulled("AWAITING_SHIPMENT", 200))  # the overlap, read again
    state = order_state("576")
    assert state is not None and (state.status, state.update_time) == ("AWAITING_SHIPMENT", 200)
    assert store_pulled(pulled("CANCELLED", 300))
    state = order_state("576")
    assert state is not None and state.status == "CANCELLED"
