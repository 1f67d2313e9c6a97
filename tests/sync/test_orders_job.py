"""Orders TikTok -> Shopify against the sandbox, checked through the stores, not our database."""

from __future__ import annotations

from collections import Counter

from tests.sync.conftest import Connected
from tiktok_console.storage.catalog import all_variants
from tiktok_console.storage.orders import ORPHAN, state_counts
from tiktok_console.storage.tables import TikTokOrderRow
from tiktok_console.sync.mapping import map_skus

ELIGIBLE = {"AWAITING_SHIPMENT", "PARTIALLY_SHIPPING", "AWAITING_COLLECTION"}


def _shopify_orders_by_tiktok_id(connected: Connected) -> Counter[str]:
    counts: Counter[str] = Counter()
    for order in connected.sandbox.world.shopify.snapshot()["orders"]:
        for tag in order["tags"]:
            if tag.startswith("TikTokOrderID:"):
                counts[tag.split(":", 1)[1]] += 1
    return counts


def _tiktok_orders(connected: Connected) -> list[dict]:
    return connected.sandbox.world.tiktok.snapshot()["orders"]


def _settled_world(connected: Connected, minutes: int = 100) -> None:
    """Orders arrive for ``minutes``, then stop; an hour later none is on hold any more."""
    world = connected.sandbox.world
    world.advance(minutes * 60)
    world.tiktok.set_order_rate(0)
    world.advance(3700)


def _expected(connected: Connected) -> set[str]:
    """From the stores alone: seller-fulfilled orders awaiting shipment whose SKUs all
    match exactly one Shopify variant."""
    skus = Counter(v["sku"] for v in connected.sandbox.world.shopify.snapshot()["variants"])
    unique = {sku for sku, count in skus.items() if sku and count == 1}
    return {
        order["id"]
        for order in _tiktok_orders(connected)
        if order["status"] in ELIGIBLE
        and order["fulfillment_type"] == "FULFILLMENT_BY_SELLER"
        and all(sku in unique for sku in order["seller_skus"])
    }


async def test_each_eligible_order_lands_once_and_orphans_wait(connected: Connected) -> None:
    _settled_world(connected)
    assert len(_tiktok_orders(connected)) >= 900
    result = await connected.engine.run_until_caught_up()
    assert result == {"shopify_variants": "", "orders": ""}
    created = _shopify_orders_by_tiktok_id(connected)
    assert max(created.values()) == 1  # never twice
    assert set(created) == _expected(connected)
    assert state_counts().get(ORPHAN, 0) > 0  # SKUs added only in Seller Center

    # A second run changes nothing in Shopify.
    await connected.engine.run_until_caught_up()
    assert _shopify_orders_by_tiktok_id(connected) == created


async def test_mapping_an_orphan_sku_creates_the_orders_it_blocked(connected: Connected) -> None:
    _settled_world(connected, minutes=30)
    await connected.engine.run_until_caught_up()
    orphan = TikTokOrderRow.select().where(TikTokOrderRow.sync_state == ORPHAN).first()
    assert orphan is not None
    sku_id = orphan.unmapped.split(",")[0]
    variant = all_variants()[0]
    released = map_skus({sku_id: ("", variant.variant_id)})
    assert orphan.order_id in released
    await connected.engine.run_until_caught_up(["orders"])
    still_blocked = TikTokOrderRow.get_by_id(orphan.order_id)
    if still_blocked.sync_state == ORPHAN:  # another SKU of the same order is unmapped too
        assert sku_id not in still_blocked.unmapped
    else:
        assert _shopify_orders_by_tiktok_id(connected)[orphan.order_id] == 1
