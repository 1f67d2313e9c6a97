"""Restocks to Shopify by compare-and-set, against the sandbox, with a sale in between."""

from __future__ import annotations

import pytest

from tests.sync.conftest import Connected
from tiktok_console.storage.intents import intent
from tiktok_console.stores.shopify.replies import InventorySetQuantities
from tiktok_console.sync.restock import KIND, RestockError, read_available, restock


def _level(connected: Connected) -> tuple[str, str, object]:
    store = connected.sandbox.world.shopify
    level = next(lv for lv in store.levels.values() if lv.quantity("available") > 5)
    return (
        f"gid://shopify/InventoryItem/{level.item_id}",
        f"gid://shopify/Location/{level.location_id}",
        level,
    )


async def test_a_restock_survives_a_concurrent_sale_and_happens_once(connected: Connected) -> None:
    connected.sandbox.world.shopify.web_sales_per_minute = 0
    shopify = connected.engine.runner("inventory").job._shopify
    item, location, level = _level(connected)
    before = await read_available(shopify, item, location)
    sold = {"done": False}
    original = shopify.execute

    async def sale_between_read_and_write(name, variables=None, **kwargs):  # the other channel
        if name is InventorySetQuantities and not sold["done"]:
            sold["done"] = True
            with connected.sandbox.world.shopify.lock:
                level.quantities["available"] -= 2
        return await original(name, variables, **kwargs)

    shopify.execute = sale_between_read_and_write
    try:
        after = await restock(shopify, "return:R1:1", item, location, 3)
    finally:
        shopify.execute = original
    assert sold["done"]
    assert after == before - 2 + 3  # the sale is kept, the restock added once
    assert await read_available(shopify, item, location) == after
    # Again with the same key (a replay after a crash): nothing more is added.
    assert await restock(shopify, "return:R1:1", item, location, 3) == after
    assert await read_available(shopify, item, location) == after
    recorded = intent(f"{KIND}:return:R1:1")
    assert recorded is not None and recorded.status == "done"


async def test_a_crash_between_call_and_record_does_not_restock_twice(connected: Connected) -> None:
    connected.sandbox.world.shopify.web_sales_per_minute = 0
    shopify = connected.engine.runner("inventory").job._shopify
    item, location, _ = _level(connected)
    before = await read_available(shopify, item, location)
    original = shopify.execute

    async def crash_after_the_write(name, variables=None, **kwargs):
        result = await original(name, variables, **kwargs)
        if name is InventorySetQuantities:
            raise KeyboardInterrupt  # the process dies before recording the outcome
        return result

    shopify.execute = crash_after_the_write
    with pytest.raises(KeyboardInterrupt):
        await restock(shopify, "return:R2:1", item, location, 4)
    shopify.execute = original
    assert await restock(shopify, "return:R2:1", item, location, 4) == before + 4
    assert await read_available(shopify, item, location) == before + 4


async def test_an_unknown_location_is_refused_clearly(connected: Connected) -> None:
    shopify = connected.engine.runner("inventory").job._shopify
    item, _, _ = _level(connected)
    with pytest.raises(RestockError, match="not stocked"):
        await restock(shopify, "x", item, "gid://shopify/Location/999", 1)
