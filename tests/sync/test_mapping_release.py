"""A SKU mapped by any job releases the orders it blocked in the same ``sync --once``.

The stock reconciliation maps TikTok SKUs by seller SKU from Shopify's whole catalogue,
after the orders job has already left their orders as orphans; the engine runs the
orders job again within the same run (the "mappings" topic), so nothing it released is
left waiting when ``sync --once`` says caught up.
"""

from __future__ import annotations

from tests.sync.conftest import Connected
from tests.sync.test_mapping import _blocked_only_by
from tests.sync.test_orders_job import (
    _settled_world,
    _shopify_orders_by_tiktok_id,
    _tiktok_orders,
)
from tiktok_console.storage.orders.tiktok_orders import ORPHAN, order_state
from tiktok_console.storage.orders.views import orphan_skus


def _give_sku_to_a_variant(connected: Connected, sku: str) -> None:
    """In Shopify, a variant no TikTok order uses takes ``sku`` (the merchant fixes it)."""
    used = {s for order in _tiktok_orders(connected) for s in order["seller_skus"]}
    store = connected.sandbox.world.shopify
    with store.lock:
        variant = next(v for v in store.variants.values() if v.sku and v.sku not in used)
        variant.sku = sku
        store.touch_variant(variant, store.now())
    connected.sandbox.world.advance(5)  # past Shopify's search-index lag


async def test_orders_a_reconcile_mapping_released_are_created_in_the_same_run(
    connected: Connected,
) -> None:
    _settled_world(connected, minutes=30)
    await connected.engine.run_until_caught_up(["shopify_variants", "orders"])
    orphan, blocked = next(
        (o, _blocked_only_by(o.sku_id))
        for o in orphan_skus()
        if o.seller_sku and _blocked_only_by(o.sku_id)
    )
    _give_sku_to_a_variant(connected, orphan.seller_sku)
    # As `sync --once --job orders --job inventory_reconcile` runs them: orders first.
    results = await connected.engine.run_until_caught_up(["orders", "inventory_reconcile"])
    assert not any(results.values()), results
    created = _shopify_orders_by_tiktok_id(connected)
    assert set(blocked) <= set(created)
    for order_id in blocked:
        state = order_state(order_id)
        assert state is not None and state.sync_state != ORPHAN
