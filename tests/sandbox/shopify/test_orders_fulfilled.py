"""``orderCreate`` with ``fulfillment``: an order imported already shipped, over real HTTP.

Shopify's ``OrderCreateFulfillmentInput`` (location, tracking) fulfils every
line at once; stock is taken from that location as the inventory behaviour
says (on hand drops), or not at all with BYPASS; the warehouse never ships it.
"""

from __future__ import annotations

from .conftest import Sandbox
from .test_orders import ORDER, create, main_variant, stock, tiktok_order


def _shipped(order: dict, location: str) -> dict:
    fulfillment = {"locationId": location, "trackingNumber": "9400111202555842332669",
                   "trackingCompany": "USPS", "notifyCustomer": False}  # fmt: skip
    return {**order, "fulfillment": fulfillment}


def test_a_shipped_order_is_created_fulfilled_and_takes_stock(sandbox: Sandbox) -> None:
    variant, location, before = main_variant(sandbox)
    payload = create(sandbox, _shipped(tiktok_order(variant, 2), location),
                     "DECREMENT_IGNORING_POLICY")  # fmt: skip
    assert payload["userErrors"] == []
    order_id = payload["order"]["id"]
    order = sandbox.data(ORDER, {"id": order_id})["order"]
    assert order["displayFulfillmentStatus"] == "FULFILLED"
    [fulfillment] = order["fulfillments"]
    assert fulfillment["status"] == "SUCCESS"
    assert fulfillment["trackingInfo"][0]["company"] == "USPS"
    assert fulfillment["trackingInfo"][0]["number"] == "9400111202555842332669"
    assert order["fulfillmentOrders"]["nodes"][0]["status"] == "CLOSED"
    assert stock(sandbox, variant, location) == {
        "available": before - 2, "committed": 0, "on_hand": before - 2,
    }  # fmt: skip
    sandbox.tick(4 * 3600)  # the warehouse has nothing left to ship
    assert len(sandbox.data(ORDER, {"id": order_id})["order"]["fulfillments"]) == 1


def test_history_created_fulfilled_with_bypass_leaves_stock_alone(sandbox: Sandbox) -> None:
    variant, location, before = main_variant(sandbox)
    payload = create(sandbox, _shipped(tiktok_order(variant, 3), location), "BYPASS")
    assert payload["userErrors"] == []
    order = sandbox.data(ORDER, {"id": payload["order"]["id"]})["order"]
    assert order["displayFulfillmentStatus"] == "FULFILLED"
    assert stock(sandbox, variant, location) == {
        "available": before, "committed": 0, "on_hand": before,
    }  # fmt: skip


def test_an_unknown_location_is_refused(sandbox: Sandbox) -> None:
    variant, _, _ = main_variant(sandbox)
    order = _shipped(tiktok_order(variant, 1), "gid://shopify/Location/999999")
    payload = create(sandbox, order, "DECREMENT_IGNORING_POLICY")
    assert payload["order"] is None
    assert payload["userErrors"][0]["field"] == ["order", "fulfillment", "locationId"]
