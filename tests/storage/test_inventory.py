"""Inventory storage on a real database: in-flight units, never older over newer, the ledger."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import peewee
import pytest

from tiktok_console.storage.catalog.variants import save_mapping
from tiktok_console.storage.database import open_database
from tiktok_console.storage.inventory import livestreams
from tiktok_console.storage.inventory.in_flight import in_flight_units
from tiktok_console.storage.inventory.stock import (
    ShopifyStock,
    TikTokSkuRead,
    sku_ids_by_product,
    sku_stock,
    upsert_shopify_stock,
    upsert_tiktok_skus,
)
from tiktok_console.storage.inventory.stock_ledger import LedgerEntry, ledger, record_pushes
from tiktok_console.storage.inventory.tables import TikTokSkuRow
from tiktok_console.storage.tables import TikTokOrderRow

T0 = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)


@pytest.fixture
def database(tmp_path: Path) -> Iterator[peewee.SqliteDatabase]:
    opened = open_database(tmp_path / "db.sqlite3")
    yield opened
    opened.close()


def _order(order_id: str, skus: list[str], status: str, state: str,
           synced_at: datetime | None = None, created: datetime = T0) -> None:  # fmt: skip
    payload = {"id": order_id, "line_items": [{"id": f"{order_id}-{i}", "sku_id": s}
                                              for i, s in enumerate(skus)]}  # fmt: skip
    TikTokOrderRow.create(
        order_id=order_id, status=status, created_at=created, update_time=1,
        payload=json.dumps(payload), sync_state=state, synced_at=synced_at, updated_at=T0,
    )  # fmt: skip


def test_in_flight_counts_units_tiktok_sold_that_the_shopify_read_did_not(
    database: peewee.SqliteDatabase,
) -> None:
    read_at = T0 + timedelta(minutes=5)
    _order("unpaid", ["A", "A"], "UNPAID", "pending")
    _order("hold", ["A"], "ON_HOLD", "pending")
    _order("orphan", ["B"], "AWAITING_SHIPMENT", "orphan")
    _order("failed", ["A"], "AWAITING_SHIPMENT", "failed")
    _order("cancelled", ["A", "B"], "CANCELLED", "pending")
    _order("fbt", ["A"], "AWAITING_SHIPMENT", "skipped")
    _order("before", ["A"], "AWAITING_SHIPMENT", "created", synced_at=read_at - timedelta(1))
    _order("after", ["B"], "AWAITING_SHIPMENT", "created", synced_at=read_at + timedelta(1))
    assert in_flight_units({"A": read_at, "B": read_at}) == {"A": 4, "B": 2}
    # Without a read time every order already in Shopify counts as counted.
    assert in_flight_units({"B": None}) == {"B": 1}


def _stock(updated: datetime, available: int, read_at: datetime = T0) -> ShopifyStock:
    return ShopifyStock("I1", "V1", {"L1": available}, updated, read_at)


def test_an_older_read_never_replaces_a_newer_one(database: peewee.SqliteDatabase) -> None:
    assert upsert_shopify_stock([_stock(T0 + timedelta(seconds=10), 7)]) == ["V1"]
    assert upsert_shopify_stock([_stock(T0, 12)]) == []  # a slow bulk read of an older state
    assert upsert_shopify_stock([_stock(T0 + timedelta(seconds=10), 7)]) == []  # nothing new
    assert upsert_shopify_stock([_stock(T0 + timedelta(seconds=11), 6)]) == ["V1"]
    # Same second (Shopify's updatedAt has whole seconds): the read sent later wins.
    later = T0 + timedelta(seconds=3)
    assert upsert_shopify_stock([_stock(T0 + timedelta(seconds=11), 5, later)]) == ["V1"]
    assert upsert_shopify_stock([_stock(T0 + timedelta(seconds=11), 6)]) == []
    assert upsert_shopify_stock([_stock(T0 + timedelta(seconds=11), 6, later)]) == ["V1"]
    upsert_tiktok_skus([TikTokSkuRead("S1", "P1", "SS1", "Tee", "ACTIVATE", (("W1", 3),))], T0)
    save_mapping("S1", "SS1", "V1", "auto_exact")
    (stock,) = sku_stock(["S1"])
    assert stock.stock is not None and dict(stock.stock.locations) == {"L1": 6}
    assert stock.stock.read_at == later
    assert (stock.tiktok_quantity, stock.warehouses) == (3, ("W1",))


def test_a_push_updates_the_ledger_and_the_sku_summary_together(
    database: peewee.SqliteDatabase,
) -> None:
    upsert_tiktok_skus(
        [TikTokSkuRead("S1", "P1", "SS1", "Tee", "ACTIVATE", (("W1", 3), ("W2", 2)))], T0
    )
    entry = LedgerEntry(
        at=T0, sku_id="S1", product_id="P1", shopify_variant_id="V1", shopify_available=9,
        buffer=1, in_flight=1, cap=None, frozen=False, previous=5, quantity=7, reason="change",
        explanation="Shopify 9 − buffer 1 − 1 in flight = 7", warehouses={"W1": 7, "W2": 0},
    )  # fmt: skip
    record_pushes([entry])
    row = TikTokSkuRow.get_by_id("S1")
    assert (row.tiktok_quantity, row.target, row.last_push_quantity, row.shopify_available) == (
        7, 7, 7, 9,
    )  # fmt: skip
    assert row.last_explanation == entry.explanation
    assert json.loads(row.warehouses) == {"W1": 7, "W2": 0}
    failed = LedgerEntry(**{**entry.__dict__, "quantity": 4, "status": "failed", "error": "x"})
    record_pushes([failed])
    row = TikTokSkuRow.get_by_id("S1")
    assert (row.tiktok_quantity, row.target) == (7, 4)  # TikTok still shows what it had
    assert [line.status for line in ledger()] == ["pushed", "failed"]


def test_a_livestream_report_is_measured_from_the_ledger_and_orders(
    database: peewee.SqliteDatabase,
) -> None:
    live = livestreams.start(T0, T0 + timedelta(hours=1))
    assert livestreams.active(T0 + timedelta(minutes=1)) == live
    assert livestreams.active(T0 + timedelta(hours=2)) is None
    _order("o1", ["A", "A"], "AWAITING_SHIPMENT", "created", created=T0 + timedelta(minutes=5))
    _order("o2", ["A"], "CANCELLED", "skipped", created=T0 + timedelta(minutes=6))
    _order("old", ["A"], "AWAITING_SHIPMENT", "created", created=T0 - timedelta(minutes=6))
    upsert_tiktok_skus([TikTokSkuRead("A", "P1", "", "", "ACTIVATE", (("W1", 10),))], T0)
    base = dict(
        sku_id="A", product_id="P1", shopify_variant_id="V", buffer=0, cap=None,
        frozen=False, reason="livestream", explanation="", warehouses={"W1": 0},
    )  # fmt: skip
    record_pushes([
        LedgerEntry(at=T0 + timedelta(minutes=7), shopify_available=10, in_flight=2,
                    previous=10, quantity=8, **base),  # type: ignore[arg-type]
        LedgerEntry(at=T0 + timedelta(minutes=8), shopify_available=8, in_flight=0,
                    previous=8, quantity=8, **base),  # type: ignore[arg-type]
    ])  # fmt: skip
    report = livestreams.finish(live.id, T0 + timedelta(minutes=30))
    assert (report.oversells_avoided, report.cancellations, report.units_sold_tiktok) == (1, 1, 2)
    assert (report.units_moved, report.pushes, report.frozen_skus) == (2, 2, 0)
    assert livestreams.reports() == [report]
    assert livestreams.active(T0 + timedelta(minutes=31)) is None


def test_chunks_never_split_a_product(database: peewee.SqliteDatabase) -> None:
    reads = [
        TikTokSkuRead(f"S{p}{k}", f"P{p}", "", "", "ACTIVATE", (("W", 1),))
        for p in range(5) for k in range(p + 1)
    ]  # fmt: skip
    upsert_tiktok_skus(reads, T0)
    chunks = sku_ids_by_product(4)
    assert sorted(s for chunk in chunks for s in chunk) == sorted(r.sku_id for r in reads)
    products = [{sku[:2] for sku in chunk} for chunk in chunks]
    assert all(a.isdisjoint(b) for i, a in enumerate(products) for b in products[i + 1 :])
    assert all(len(chunk) < 4 + 5 for chunk in chunks)


def test_a_tiktok_read_older_than_our_push_keeps_the_pushed_quantity(
    database: peewee.SqliteDatabase,
) -> None:
    read = TikTokSkuRead("S1", "P1", "", "Tee", "ACTIVATE", (("W1", 3),))
    upsert_tiktok_skus([read], T0)
    entry = LedgerEntry(
        at=T0 + timedelta(seconds=5), sku_id="S1", product_id="P1", shopify_variant_id="V1",
        shopify_available=9, buffer=0, in_flight=0, cap=None, frozen=False, previous=3,
        quantity=9, reason="change", explanation="Shopify 9", warehouses={"W1": 9},
    )  # fmt: skip
    record_pushes([entry])
    # A reconciliation whose read started before that push still sees 3.
    upsert_tiktok_skus([read], T0 + timedelta(seconds=4))
    assert TikTokSkuRow.get_by_id("S1").tiktok_quantity == 9
    # A read that started after the push is TikTok's truth (an order sold one).
    later = TikTokSkuRead("S1", "P1", "", "Tee", "ACTIVATE", (("W1", 8),))
    upsert_tiktok_skus([later], T0 + timedelta(seconds=6))
    row = TikTokSkuRow.get_by_id("S1")
    assert (row.tiktok_quantity, json.loads(row.warehouses)) == (8, {"W1": 8})
