"""Orders shipped in Seller Center before the console saw them still reach Shopify.

The merchant ships from Seller Center (a TikTok Shipping label) while the
console is closed. Once the console sees the order it must exist in Shopify,
fulfilled with TikTok's carrier and tracking (so the warehouse does not ship
it again) and with Shopify's stock taken; once only, even across a crash.
Checked through both stores over HTTP, never through our database alone.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from tests.sync.conftest import Connected
from tiktok_console.storage.orders.tiktok_orders import CREATED, SKIPPED
from tiktok_console.storage.tables import TikTokOrderRow

JOBS = ["shopify_variants", "orders"]


def _shopify_orders(connected: Connected) -> dict[str, list[dict[str, Any]]]:
    found: dict[str, list[dict[str, Any]]] = {}
    for order in connected.sandbox.world.shopify.snapshot()["orders"]:
        for tag in order["tags"]:
            if tag.startswith("TikTokOrderID:"):
                found.setdefault(tag.split(":", 1)[1], []).append(order)
    return found


def _available(connected: Connected) -> dict[str, int]:
    """Shopify's available stock per SKU, summed over locations."""
    stock: Counter[str] = Counter()
    for variant in connected.sandbox.world.shopify.snapshot()["variants"]:
        stock[variant["sku"]] += sum(variant["available"].values())
    return dict(stock)


def _unique_skus(connected: Connected) -> set[str]:
    skus = Counter(v["sku"] for v in connected.sandbox.world.shopify.snapshot()["variants"])
    return {sku for sku, count in skus.items() if sku and count == 1}


async def _ship_in_seller_center(connected: Connected, order_id: str) -> dict[str, Any]:
    url = f"{connected.sandbox.info().control_url}/tiktok/orders/ship"
    reply = await connected.http.post(url, params={"order_id": order_id})
    reply.raise_for_status()
    shipped: dict[str, Any] = reply.json()
    return shipped


def _awaiting_unseen(connected: Connected) -> list[dict[str, Any]]:
    """Seller-shipped orders awaiting shipment whose SKUs all map, not yet in Shopify."""
    unique, in_shopify = _unique_skus(connected), _shopify_orders(connected)
    return [
        order
        for order in connected.sandbox.world.tiktok.snapshot()["orders"]
        if order["status"] == "AWAITING_SHIPMENT"
        and order["fulfillment_type"] == "FULFILLMENT_BY_SELLER"
        and all(sku in unique for sku in order["seller_skus"])
        and order["id"] not in in_shopify
    ]


async def test_an_order_shipped_in_seller_center_is_created_fulfilled_with_stock_taken(
    connected: Connected,
) -> None:
    world = connected.sandbox.world
    await connected.engine.run_until_caught_up(JOBS)  # connected: the first pull is now
    world.advance(30 * 60)  # orders arrive while the console is closed...
    world.tiktok.set_order_rate(0)
    world.advance(600 + 3600 + 120)  # ...are paid and leave the on-hold hour
    candidates = _awaiting_unseen(connected)
    assert len(candidates) >= 2, "the world should have orders awaiting shipment"
    order = candidates[0]
    world.shopify.web_sales_per_minute = 0  # only orders move Shopify's stock from here
    before, known = _available(connected), set(_shopify_orders(connected))
    shipped = await _ship_in_seller_center(connected, order["id"])
    [package] = shipped["packages"]
    assert shipped["status"] == "IN_TRANSIT"

    await connected.engine.run_until_caught_up(JOBS)

    [created] = _shopify_orders(connected)[order["id"]]
    [fulfillment] = created["fulfillments"]
    assert fulfillment["tracking"] == [
        {
            "company": package["shipping_provider_name"],
            "number": package["tracking_number"],
            "url": None,
        }
    ]
    assert {line["lineItemId"] for line in fulfillment["lines"]} == {
        line["id"] for line in created["lineItems"]
    }
    # Its units left Shopify's stock, as did those of the orders created beside it.
    after = _available(connected)
    taken: Counter[str] = Counter()
    for tiktok_id, twins in _shopify_orders(connected).items():
        if tiktok_id not in known:
            for line in twins[0]["lineItems"]:
                taken[line["sku"]] += line["quantity"]
    assert Counter(order["seller_skus"]) <= taken
    for sku in order["seller_skus"]:
        assert after[sku] == before[sku] - taken[sku], sku
    row = TikTokOrderRow.get_by_id(order["id"])
    assert row.sync_state == CREATED and "fulfilled" in row.reason

    # The warehouse does not ship it again, the fulfillment job does not send its own
    # tracking to TikTok, and another pass creates nothing.
    world.advance(3600)
    await connected.engine.run_until_caught_up([*JOBS, "fulfillment"])
    [again] = _shopify_orders(connected)[order["id"]]
    assert len(again["fulfillments"]) == 1
    tiktok = {o["id"]: o for o in world.tiktok.snapshot()["orders"]}
    assert tiktok[order["id"]]["packages"] == [package["package_id"]]


async def test_an_order_shipped_before_the_connection_stays_out(connected: Connected) -> None:
    world = connected.sandbox.world
    world.advance(30 * 60)
    world.tiktok.set_order_rate(0)
    world.advance(600 + 3600 + 120)
    [order, *_] = _awaiting_unseen(connected)
    await _ship_in_seller_center(connected, order["id"])
    world.advance(60)

    await connected.engine.run_until_caught_up(JOBS)  # connected after it shipped

    assert order["id"] not in _shopify_orders(connected)
    row = TikTokOrderRow.get_by_id(order["id"])
    assert row.sync_state == SKIPPED and "import" in row.reason


async def test_a_shipped_order_whose_create_answer_was_lost_is_created_once(
    connected: Connected,
) -> None:
    world = connected.sandbox.world
    await connected.engine.run_until_caught_up(JOBS)
    world.advance(8 * 60)
    world.tiktok.set_order_rate(0)
    world.advance(600 + 3600 + 120)
    shipped = [o["id"] for o in _awaiting_unseen(connected)[:3]]
    for order_id in shipped:
        await _ship_in_seller_center(connected, order_id)
    # Shopify's replies are lost after it did the work: the journal keeps the creates
    # pending, and the guard must find them rather than create them again.
    faults = f"{connected.sandbox.info().control_url}/faults"
    drop = {"shopify": {"error_rate": 0.4, "drop": 1.0, "processed_share": 1.0}}
    (await connected.http.post(faults, json=drop)).raise_for_status()
    await connected.engine.run_until_caught_up(["orders"], max_failures=3)
    (await connected.http.delete(faults)).raise_for_status()
    world.advance(10)
    for _ in range(3):
        results = await connected.engine.run_until_caught_up(["orders"])
        if not any(results.values()):
            break
    found = _shopify_orders(connected)
    assert {order_id: len(found.get(order_id, [])) for order_id in shipped} == dict.fromkeys(
        shipped, 1
    )
    for order_id in shipped:
        assert len(found[order_id][0]["fulfillments"]) == 1
