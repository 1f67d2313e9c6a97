"""A SKU two Shopify variants share never maps by itself, even when our copy knows one.

The orders job asks Shopify (``sku:`` search) for every variant with the SKU before it
maps it; the stock reconciliation maps from its own bulk read of every SKU plus the
variants changed since that read began. The tests make a second Shopify variant take a
SKU after the console read the catalogue, then let each job meet it.
"""

from __future__ import annotations

import httpx

from tests.sync.conftest import Connected
from tests.sync.test_mapping import _blocked_only_by
from tests.sync.test_mapping_release import _give_sku_to_a_variant
from tests.sync.test_orders_job import (
    _expected,
    _settled_world,
    _shopify_orders_by_tiktok_id,
    _tiktok_orders,
)
from tiktok_console.storage.catalog.variants import mappings
from tiktok_console.storage.orders.tiktok_orders import ORPHAN, order_state
from tiktok_console.storage.orders.views import orphan_skus
from tiktok_console.sync.runtime import build_engine


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


class _ShareAfterSkuRead(httpx.AsyncBaseTransport):
    """Real HTTP; right after the first bulk result is downloaded (the reconciliation's
    read of every variant's SKU), another Shopify variant takes ``sku``."""

    def __init__(self, connected: Connected, sku: str) -> None:
        self._inner = httpx.AsyncHTTPTransport()
        self._connected = connected
        self._sku = sku
        self.shared = False

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self._inner.handle_async_request(request)
        if not self.shared and request.method == "GET" and "/bulk/" in request.url.path:
            await response.aread()
            _share_sku(self._connected, self._sku)
            self.shared = True
        return response

    async def aclose(self) -> None:
        await self._inner.aclose()


async def test_a_sku_another_variant_takes_during_the_reconciliation_is_not_mapped(
    connected: Connected,
) -> None:
    """The reconciliation maps from its bulk read of every SKU; a variant that takes the
    SKU after that read began is still seen (the variants changed since are asked for)."""
    _settled_world(connected, minutes=30)
    await connected.engine.run_until_caught_up(["shopify_variants", "orders"])
    orphan = next(o for o in orphan_skus() if o.seller_sku and _blocked_only_by(o.sku_id))
    _give_sku_to_a_variant(connected, orphan.seller_sku)  # one variant: it would map
    transport = _ShareAfterSkuRead(connected, orphan.seller_sku)
    async with httpx.AsyncClient(timeout=5, transport=transport) as http:
        engine = build_engine(
            connected.profile.settings, connected.token_store, http, options=connected.options
        )
        results = await engine.run_until_caught_up(["inventory_reconcile"])
    assert transport.shared
    assert not any(results.values()), results
    assert all(m.seller_sku != orphan.seller_sku for m in mappings().values())
    state = order_state(_blocked_only_by(orphan.sku_id)[0])
    assert state is not None and state.sync_state == ORPHAN
