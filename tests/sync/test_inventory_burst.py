"""A livestream burst with sales on both channels: no push ever offers more than Shopify has.

Checked against the sandbox's own history, not our ledger: every stock update
TikTok applied is compared with what Shopify had at the time (its level
history) less the units TikTok had sold that Shopify did not have yet (the
TikTok order book and the Shopify orders), allowing the few seconds a read
takes to become a push and an order takes to be pulled.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import pytest

from tests.sync.conftest import START, Connected
from tests.sync.waits import until
from tiktok_console.sandbox.world import WorldOptions

READ_TO_PUSH = 5.0  # seconds a read may take to become a push (bulk reads take 2 s or more)
ORDER_PULL = 3.0  # seconds an order may take to reach us (orders poll every 2 s)
ENOUGH_PUSHES = 30  # stock updates TikTok applied during the burst, to judge
ENOUGH_ORDERS = 20  # orders the burst sold on TikTok


@pytest.fixture
def world_options() -> WorldOptions:
    return WorldOptions(
        seed=33, products=3, orders=0, orders_per_minute=20, livestream=True, hold_minutes=0.1,
        index_lag_seconds=0.5, clock_start=START, shopify_plan="plus",
    )  # fmt: skip


def _sold_on_tiktok(world: Any) -> int:
    """Orders TikTok sold that the seller ships (what the burst takes from Shopify's stock)."""
    with world.tiktok.lock:
        orders = list(world.tiktok.book.orders.values())
    return sum(1 for o in orders if o.fulfillment_type != "FULFILLMENT_BY_TIKTOK"
               and o.status != "CANCELLED")  # fmt: skip


class ShopifyHistory:
    """What Shopify had, per seller SKU and time, from the sandbox's own records."""

    def __init__(self, connected: Connected) -> None:
        world = connected.sandbox.world
        store = world.shopify
        with store.lock:
            self.start = store.now()
            self.start_levels = {k: lv.quantity("available") for k, lv in store.levels.items()}
            self.from_index = len(store.inventory_history)
        self._store = store
        self._tiktok = world.tiktok

    def available(self, item_id: int, at: float) -> int:
        total = 0
        for (item, location), value in self.start_levels.items():
            if item != item_id:
                continue
            for when, _item, _location, after in self._changes.get((item, location), []):
                if when <= at:
                    value = after
            total += value
        return total

    def load(self) -> None:
        self._changes: dict[tuple[int, int], list[tuple[float, int, int, int]]] = defaultdict(list)
        for entry in self._store.inventory_history[self.from_index :]:
            self._changes[(entry[1], entry[2])].append(entry)
        self.in_shopify = {
            order.source_identifier: order.created_at
            for order in self._store.orders.values() if order.source_identifier
        }  # fmt: skip
        self.orders = [
            o for o in self._tiktok.book.orders.values()
            if o.fulfillment_type != "FULFILLMENT_BY_TIKTOK" and o.status != "CANCELLED"
        ]  # fmt: skip

    def in_flight(self, sku_id: str, at: float) -> int:
        """Units TikTok sold (known to us by ``at``) that Shopify had not counted at ``at``."""
        units = 0
        for order in self.orders:
            if order.create_time > at - ORDER_PULL:
                continue  # we could not know it yet
            if self.in_shopify.get(order.id, float("inf")) <= at:
                continue
            units += sum(1 for line in order.line_items if line.sku_id == sku_id)
        return units


async def test_no_push_offers_more_than_shopify_has_less_in_flight(connected: Connected) -> None:
    world = connected.sandbox.world
    with world.shopify.lock:
        world.shopify.web_sales_per_minute = 120
        world.shopify.next_web_sale = None  # the next sale was drawn at the old rate
    history = ShopifyHistory(connected)
    log_from = len(world.tiktok.products.inventory_log)
    results = await connected.engine.run_until_caught_up()
    assert not any(results.values()), results
    pushes_from = log_from + len(world.tiktok.products.inventory_log[log_from:])
    connected.engine.start()
    # Until the burst has sold enough and the engine pushed enough to judge: however long
    # that takes on this machine (a fixed time would judge fewer pushes on a slow one).
    await until(
        lambda: (
            len(world.tiktok.products.inventory_log) - pushes_from >= ENOUGH_PUSHES
            and _sold_on_tiktok(world) > ENOUGH_ORDERS
        )
    )
    await connected.engine.stop()
    world.shopify.web_sales_per_minute = 0
    world.tiktok.set_order_rate(0)

    history.load()
    variants = {v.sku: v.inventory_item_id for v in world.shopify.variants.values() if v.sku}
    skus = {s.id: s.seller_sku for p in world.tiktok.products.products for s in p.skus}
    pushes = world.tiktok.products.inventory_log[log_from:]
    checked, violations = 0, []
    for when, sku_id, quantity in pushes:
        item = variants.get(skus.get(sku_id, ""))
        if item is None:
            continue
        steps = [when - READ_TO_PUSH + k * 0.1 for k in range(int((READ_TO_PUSH + 1) * 10) + 1)]
        bound = max(history.available(item, t) - history.in_flight(sku_id, t) for t in steps)
        checked += 1
        if quantity > max(bound, 0):
            violations.append((when, sku_id, quantity, bound))
    assert checked >= 20, f"only {checked} pushes of mapped SKUs in the burst"
    assert violations == []
    assert len(history.orders) > ENOUGH_ORDERS, "the burst should have sold on TikTok"
