"""A SKU two Shopify variants share never maps by itself, even when our copy knows one.

The orders job and the stock reconciliation ask Shopify (``sku:`` search) for every
variant with the SKU before they map it; the test makes a second Shopify variant take a
SKU after the console copied the catalogue, then lets the orders job meet an order for it.
"""

from __future__ import annotations

from tests.sync.conftest import Connected
from tests.sync.test_orders_job import (
    _expected,
    _settled_world,
    _shopify_orders_by_tiktok_id,
    _tiktok_orders,
)
from tiktok_console.storage.catalog.variants import mappings
from tiktok_console.storage.orders.tiktok_orders import ORPHAN, order_state


def _share_sku(connected: Connected, sku: str) -> None:
    """In Shopify, another variant takes ``sku`` too (as the merchant would, in the admin)."""
    store = connected.sandbox.world.shopify
    with store.lock:
        other = next(v for v in store.variants.values() if v.sku and v.sku != sku)
        other.sku = sku
        store.touch_variant(other, store.now())
    connected.sandbox.world.advance(5)  # past Shopify's search-index lag


async def test_an_order_whose_sku_shopify_holds_twice_waits_though_our_copy_has_one(
    connected: Connected,
) -> None:
    _settled_world(connected, minutes=10)
    await connected.engine.run_until_caught_up(["shopify_variants"])  # the copy, then:
    target = min(_expected(connected))
    order = next(o for o in _tiktok_orders(connected) if o["id"] == target)
    sku = order["seller_skus"][0]
    _share_sku(connected, sku)
    results = await connected.engine.run_until_caught_up(["orders"])
    assert not any(results.values()), results
    assert target not in _shopify_orders_by_tiktok_id(connected)
    state = order_state(target)
    assert state is not None and state.sync_state == ORPHAN
    assert all(m.seller_sku != sku for m in mappings().values())
