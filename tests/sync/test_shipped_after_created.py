"""An order shipped in Seller Center after the console created it is fulfilled in Shopify.

The console created the order in Shopify, unfulfilled; then the merchant ships
it from Seller Center. Shopify must show it fulfilled with TikTok's carrier and
tracking (so the warehouse does not ship it again), once only even when
Shopify's reply is lost, and never over a shipment the warehouse made first;
TikTok is never sent that tracking back. Checked in both stores over HTTP.
"""

from __future__ import annotations

from typing import Any

import httpx

from tests.sync.conftest import Connected
from tiktok_console.storage.activity import ActivityRow

JOBS = ["shopify_variants", "orders"]
NEVER = 10**9  # the warehouse's delay when it must not ship


def _shopify_order(connected: Connected, tiktok_id: str) -> dict[str, Any]:
    [order] = [
        o
        for o in connected.sandbox.world.shopify.snapshot()["orders"]
        if f"TikTokOrderID:{tiktok_id}" in o["tags"]
    ]
    return order


def _tiktok_order(connected: Connected, tiktok_id: str) -> dict[str, Any]:
    orders = connected.sandbox.world.tiktok.snapshot()["orders"]
    [order] = [o for o in orders if o["id"] == tiktok_id]
    return order


async def _created_unfulfilled(connected: Connected, warehouse_delay: float) -> str:
    """Orders arrive and are created in Shopify; one awaiting shipment on TikTok, unfulfilled."""
    world = connected.sandbox.world
    world.shopify.fulfillment_delay = warehouse_delay
    world.shopify.split_share = 0.0
    await connected.engine.run_until_caught_up(JOBS)
    world.advance(30 * 60)
    world.tiktok.set_order_rate(0)
    world.advance(600 + 3600 + 120)
    await connected.engine.run_until_caught_up(JOBS)
    tags = {
        tag.split(":", 1)[1]: order
        for order in world.shopify.snapshot()["orders"]
        for tag in order["tags"]
        if tag.startswith("TikTokOrderID:")
    }
    for order in world.tiktok.snapshot()["orders"]:
        twin = tags.get(order["id"])
        if (
            twin is not None
            and not twin["fulfillments"]
            and order["status"] == "AWAITING_SHIPMENT"
            and order["fulfillment_type"] == "FULFILLMENT_BY_SELLER"
        ):
            return str(order["id"])
    raise AssertionError("the world should have an order created in Shopify, not shipped")


async def _ship_in_seller_center(connected: Connected, order_id: str) -> dict[str, Any]:
    url = f"{connected.sandbox.info().control_url}/tiktok/orders/ship"
    reply = await connected.http.post(url, params={"order_id": order_id})
    reply.raise_for_status()
    [package] = reply.json()["packages"]
    connected.sandbox.world.advance(60)
    return dict(package)


def _tracking(package: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {
            "company": package["shipping_provider_name"],
            "number": package["tracking_number"],
            "url": None,
        }
    ]


async def test_shipped_in_seller_center_is_fulfilled_in_shopify_once(
    connected: Connected,
) -> None:
    order_id = await _created_unfulfilled(connected, NEVER)
    package = await _ship_in_seller_center(connected, order_id)

    await connected.engine.run_until_caught_up([*JOBS, "fulfillment"])

    twin = _shopify_order(connected, order_id)
    [fulfillment] = twin["fulfillments"]
    assert fulfillment["tracking"] == _tracking(package)
    assert {line["lineItemId"] for line in fulfillment["lines"]} == {
        line["id"] for line in twin["lineItems"]
    }
    [said] = ActivityRow.select().where(
        (ActivityRow.subject == order_id) & ActivityRow.message.contains("Seller Center")
    )
    assert twin["name"] in said.message and package["tracking_number"] in said.message

    # Another pass later: no second fulfillment, and TikTok keeps its one package.
    connected.sandbox.world.advance(3600)
    await connected.engine.run_until_caught_up([*JOBS, "fulfillment"])
    assert len(_shopify_order(connected, order_id)["fulfillments"]) == 1
    assert _tiktok_order(connected, order_id)["packages"] == [package["package_id"]]


class LoseReply(httpx.AsyncBaseTransport):
    """Delivers every request; the reply to the first ``fulfillmentCreate`` is lost."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self._inner = inner
        self.lost = 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self._inner.handle_async_request(request)
        if not self.lost and b"fulfillmentCreate" in request.content:
            await response.aread()  # Shopify did the work; the answer never arrives
            self.lost += 1
            raise httpx.RemoteProtocolError("connection dropped", request=request)
        return response


async def test_a_lost_reply_gives_one_fulfillment(connected: Connected) -> None:
    order_id = await _created_unfulfilled(connected, NEVER)
    package = await _ship_in_seller_center(connected, order_id)
    # The console's connection drops as Shopify answers the fulfillment it just made.
    http = connected.http
    losing = LoseReply(http._transport)
    http._transport = losing
    try:
        await connected.engine.run_until_caught_up(["orders"])
    finally:
        http._transport = losing._inner
    assert losing.lost == 1

    connected.sandbox.world.advance(60)
    await connected.engine.run_until_caught_up(["orders"])

    [fulfillment] = _shopify_order(connected, order_id)["fulfillments"]
    assert fulfillment["tracking"] == _tracking(package)
    said = ActivityRow.select().where(ActivityRow.subject == order_id)
    assert [a.level for a in said if "Seller Center" in a.message] == ["info"]  # no refusal


async def test_an_order_the_warehouse_shipped_first_is_left_alone(connected: Connected) -> None:
    order_id = await _created_unfulfilled(connected, 20 * 60)
    connected.sandbox.world.advance(2 * 3600)  # the warehouse ships it (TikTok not told yet)
    [shipped] = _shopify_order(connected, order_id)["fulfillments"]
    await _ship_in_seller_center(connected, order_id)

    await connected.engine.run_until_caught_up(JOBS)

    assert _shopify_order(connected, order_id)["fulfillments"] == [shipped]
    errors = ActivityRow.select().where(
        (ActivityRow.subject == order_id) & (ActivityRow.level == "error")
    )
    assert not list(errors)  # not even a fulfillment tried and refused
