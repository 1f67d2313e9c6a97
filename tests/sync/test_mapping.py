"""SKU mapping as the merchant sees it: what maps by itself, Map now with its grace, and undo.

The orders come from the sandbox and are checked there (in Shopify), with the
real engine running, never a fake nudge.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections import Counter
from decimal import Decimal

from tests.domain.test_order_mapping import facts, line
from tests.sync.conftest import UNDO_GRACE, Connected
from tests.sync.test_engine import _until
from tests.sync.test_orders_job import _settled_world, _shopify_orders_by_tiktok_id
from tiktok_console.profile import Profile
from tiktok_console.storage.catalog.variants import Variant, all_variants, mappings, store_variants
from tiktok_console.storage.orders.tiktok_orders import ORPHAN, order_state
from tiktok_console.storage.orders.views import orphan_skus
from tiktok_console.storage.tables import TikTokOrderRow
from tiktok_console.sync.orders.mapping import automap, map_skus, undo


def _variant(number: int, sku: str) -> Variant:
    gid = f"gid://shopify/ProductVariant/{number}"
    return Variant(gid, sku, "", f"Item {number}", f"p{number}", f"i{number}", Decimal("1"))


async def test_a_sku_two_variants_share_is_not_mapped_even_to_a_near_twin(
    profile: Profile,
) -> None:
    store_variants([_variant(1, "X-1"), _variant(2, "X-1"), _variant(3, "x 1")])
    assert await automap(facts(line("t9", seller_sku="X-1"))) == {}
    assert "t9" not in mappings()
    # A SKU only one variant carries still maps, exactly or after normalising.
    store_variants([_variant(4, "MUG-9")])
    assert await automap(facts(line("t8", seller_sku="mug 9"))) == {
        "t8": _variant(4, "").variant_id
    }
    assert mappings()["t8"].source == "auto_normalized"


def _blocked_only_by(sku_id: str) -> list[str]:
    rows = TikTokOrderRow.select().where(TikTokOrderRow.sync_state == ORPHAN)
    return sorted(row.order_id for row in rows if row.unmapped == sku_id)


def _orphan_sku(connected: Connected) -> tuple[str, str, list[str]]:
    """The unmapped SKU with a seller SKU blocking the most orders on its own:
    (sku id, seller SKU, orders)."""
    counts: Counter[tuple[str, str]] = Counter()
    for row in TikTokOrderRow.select().where(TikTokOrderRow.sync_state == ORPHAN):
        lines = json.loads(row.payload)["line_items"]
        seller = {li["sku_id"]: li["seller_sku"] for li in lines}
        if "," not in row.unmapped and seller.get(row.unmapped):
            counts[(row.unmapped, seller[row.unmapped])] += 1
    (sku_id, seller_sku), _count = counts.most_common(1)[0]
    return sku_id, seller_sku, _blocked_only_by(sku_id)


async def _with_orphans(connected: Connected) -> tuple[str, str, list[str]]:
    _settled_world(connected, minutes=30)
    await connected.engine.run_until_caught_up()
    return _orphan_sku(connected)


def _in_shopify(connected: Connected, orders: list[str]) -> dict[str, int]:
    created = _shopify_orders_by_tiktok_id(connected)
    return {order_id: created[order_id] for order_id in orders if created[order_id]}


async def test_an_undone_mapping_is_not_made_again_automatically(connected: Connected) -> None:
    sku_id, seller_sku, orders = await _with_orphans(connected)
    map_skus({sku_id: (seller_sku, all_variants()[0].variant_id)})
    assert undo(sku_id)
    # The merchant then gives a Shopify variant that very SKU: an exact match.
    shopify = connected.sandbox.world.shopify
    with shopify.lock:
        twin = next(iter(shopify.variants.values()))
        twin.sku = seller_sku
        shopify.touch_variant(twin, shopify.now())
    await asyncio.sleep(1.0)  # Shopify's search index (0.5 s here)

    await connected.engine.run_until_caught_up()  # variants, orders, inventory reconcile
    assert any(v.sku == seller_sku for v in all_variants())  # the match was there to make
    assert sku_id not in mappings()
    assert all(order_state(o).sync_state == ORPHAN for o in orders)
    assert _in_shopify(connected, orders) == {}

    # Mapping it by hand again is what lifts the tombstone.
    map_skus({sku_id: (seller_sku, twin_gid := f"gid://shopify/ProductVariant/{twin.id}")})
    assert mappings()[sku_id].shopify_variant_id == twin_gid


async def test_map_now_then_undo_within_the_grace_creates_nothing(connected: Connected) -> None:
    sku_id, seller_sku, orders = await _with_orphans(connected)
    engine = connected.engine
    engine.start()
    try:
        await asyncio.sleep(1.0)  # the loops' first runs: the orders job is idle now
        map_skus({sku_id: (seller_sku, all_variants()[0].variant_id)})
        mapped_at, runs = time.monotonic(), engine.runner("orders").runs
        engine.nudge("orders")
        await _until(lambda: engine.runner("orders").runs > runs)  # a run saw the mapping
        assert time.monotonic() - mapped_at < UNDO_GRACE
        assert undo(sku_id), "an order used the mapping before the grace ended"
        engine.nudge("orders")
        await asyncio.sleep(UNDO_GRACE + 2 * connected.profile.settings.orders.poll_seconds)
    finally:
        await engine.stop()
    assert _in_shopify(connected, orders) == {}
    assert all(order_state(o).sync_state == ORPHAN for o in orders)


async def test_map_now_creates_every_order_it_released_once_the_grace_ends(
    connected: Connected,
) -> None:
    sku_id, seller_sku, orders = await _with_orphans(connected)
    engine = connected.engine
    engine.start()
    try:
        await asyncio.sleep(0.5)  # the loops' first runs
        released = map_skus({sku_id: (seller_sku, all_variants()[0].variant_id)})
        mapped_at = time.monotonic()
        engine.nudge("orders")
        assert sorted(released) == orders
        await asyncio.sleep(UNDO_GRACE * 0.7)
        assert _in_shopify(connected, orders) == {}  # still in the undo grace
        await _until(lambda: len(_in_shopify(connected, orders)) == len(orders))
        took = time.monotonic() - mapped_at
    finally:
        await engine.stop()
    assert _in_shopify(connected, orders) == dict.fromkeys(orders, 1)
    assert took < UNDO_GRACE + 2.0, f"created {took:.1f} s after Map now"
    assert not undo(sku_id)  # used now


async def test_unmapped_tiktok_skus_bring_their_barcode_to_the_orphans_page(
    connected: Connected,
) -> None:
    await _with_orphans(connected)  # the inventory reconcile reads the TikTok products too
    products = connected.sandbox.world.tiktok.products.products
    codes = {sku.id: sku.barcode for product in products for sku in product.skus}
    rows = orphan_skus()
    assert any(codes.get(row.sku_id) for row in rows), "the world should have a barcode to read"
    assert {row.sku_id: row.barcode for row in rows} == {
        row.sku_id: codes.get(row.sku_id) or "" for row in rows
    }
