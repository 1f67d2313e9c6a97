"""A TikTok order cancelled after its Shopify order exists: cancelled in Shopify, checked there.

Each test lets ten minutes of orders reach Shopify, then cancels some of them on
TikTok (as a seller does in Seller Center) and runs the orders job again.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from tests.sync.conftest import Connected
from tests.sync.test_orders_job import _settled_world
from tiktok_console.console import Console
from tiktok_console.sandbox.shopify.fulfillment_ops import create_fulfillment
from tiktok_console.sandbox.shopify.ids import gid, parse_gid
from tiktok_console.storage.intents import fail_intent, intent, record_intent
from tiktok_console.storage.orders.views import recent_activity
from tiktok_console.storage.tables import TikTokOrderRow
from tiktok_console.stores.shopify.replies import OrderCancel
from tiktok_console.sync.accounts import AccountService
from tiktok_console.sync.orders.actions import retry_order
from tiktok_console.sync.orders.cancel_records import CANCEL

JOBS = ["shopify_variants", "orders"]


async def _synced(connected: Connected, count: int) -> list[dict[str, Any]]:
    """``count`` Shopify orders the job created, after ten minutes of TikTok orders."""
    connected.sandbox.world.shopify.web_sales_per_minute = 0  # stock moves only with orders
    _settled_world(connected, minutes=10)
    results = await connected.engine.run_until_caught_up(JOBS)
    assert not any(results.values()), results
    orders = [o for o in _shopify_orders(connected).values() if not o["cancelled"]]
    assert len(orders) >= count
    return orders[:count]


def _shopify_orders(connected: Connected) -> dict[str, dict[str, Any]]:
    """Shopify's orders by TikTok order id."""
    snapshot = connected.sandbox.world.shopify.snapshot()
    return {order["sourceIdentifier"]: order for order in snapshot["orders"]}


def _stock(connected: Connected) -> Counter[str]:
    """Units available in Shopify per SKU, over every location."""
    stock: Counter[str] = Counter()
    for variant in connected.sandbox.world.shopify.snapshot()["variants"]:
        stock[variant["sku"]] += sum(variant["available"].values())
    return stock


def _cancel_on_tiktok(connected: Connected, *order_ids: str) -> None:
    shop = connected.sandbox.world.tiktok
    connected.sandbox.world.advance(1)  # a new update_time, after the cursor
    with shop.lock:
        for order_id in order_ids:
            shop.book.cancel(shop.book.orders[order_id], shop.clock.now_int(), "SELLER", "Sold out")


def _errors_about(order_id: str) -> list[str]:
    return [e.message for e in recent_activity(level="error") if e.subject == order_id]


async def test_a_cancel_restocks_without_refund_or_email(connected: Connected) -> None:
    (order,) = await _synced(connected, 1)
    order_id = order["sourceIdentifier"]
    before = _stock(connected)

    _cancel_on_tiktok(connected, order_id)
    await connected.engine.run_until_caught_up(["orders"])

    cancelled = _shopify_orders(connected)[order_id]
    assert cancelled["cancelled"] and cancelled["refunds"] == 0
    assert not cancelled["cancelNotifiedCustomer"]
    restocked = _stock(connected) - before
    assert restocked == Counter({li["sku"]: li["quantity"] for li in order["lineItems"]})
    row = TikTokOrderRow.get_by_id(order_id)
    assert row.sync_state == "created" and row.shopify_cancelled
    assert "cancelled in Shopify" in row.reason and not _errors_about(order_id)


async def test_an_order_already_cancelled_in_shopify_counts_as_cancelled(
    connected: Connected,
) -> None:
    merchant_first, answer_lost = await _synced(connected, 2)
    shopify = connected.engine.runner("orders").job._shopify  # the job's own sign-in
    for order in (merchant_first, answer_lost):
        reply = await shopify.execute(OrderCancel, {"orderId": order["id"], "reason": "OTHER"})
        assert not reply.order_cancel.order_cancel_user_errors
    # Our own cancel reached Shopify, then the process died before recording the answer.
    lost_key = f"{CANCEL}:{answer_lost['sourceIdentifier']}"
    record_intent(lost_key, CANCEL, answer_lost["sourceIdentifier"], {"order": answer_lost["id"]})

    _cancel_on_tiktok(
        connected, merchant_first["sourceIdentifier"], answer_lost["sourceIdentifier"]
    )
    await connected.engine.run_until_caught_up(["orders"])

    for order in (merchant_first, answer_lost):
        row = TikTokOrderRow.get_by_id(order["sourceIdentifier"])
        assert row.sync_state == "created" and row.shopify_cancelled, row.reason
        assert not _errors_about(row.order_id)
    assert (
        "already cancelled" in TikTokOrderRow.get_by_id(merchant_first["sourceIdentifier"]).reason
    )
    lost = intent(lost_key)
    assert lost is not None and lost.status == "done"


async def test_a_cancel_shopify_refused_waits_for_retry(connected: Connected) -> None:
    (order,) = await _synced(connected, 1)
    order_id = order["sourceIdentifier"]
    _ship_in_shopify(connected, order["id"])
    # Before shipped orders were left to the refund, Shopify's refusal was recorded.
    key = f"{CANCEL}:{order_id}"
    record_intent(key, CANCEL, order_id, {"order": order["id"]})
    fail_intent(key, {"error": "Cannot cancel an order that has fulfillments"})

    _cancel_on_tiktok(connected, order_id)
    for _ in range(4):
        await connected.engine.run_until_caught_up(["orders"])
    assert _errors_about(order_id) == []  # not sent again on every poll
    assert not _shopify_orders(connected)[order_id]["cancelled"]

    # The Activity page's Retry looks again: shipped, so left to the refund, no error.
    retry_order(order_id)
    connected.engine.nudge("orders")
    await connected.engine.run_until_caught_up(["orders"])
    assert _errors_about(order_id) == []
    assert "instead of a cancellation" in TikTokOrderRow.get_by_id(order_id).reason


async def test_a_cancel_of_an_order_shopify_shipped_becomes_a_refund_said_once(
    connected: Connected,
) -> None:
    (order,) = await _synced(connected, 1)
    order_id = order["sourceIdentifier"]
    _ship_in_shopify(connected, order["id"])
    shop = connected.sandbox.world.tiktok
    with shop.lock:  # the seller cancels in Seller Center: TikTok refunds within the hour
        request = shop.aftersales.seller_cancel(
            shop.book.orders[order_id], "seller_cancel_reason_out_of_stock", "Sold out",
            shop.clock.now_int(),
        )  # fmt: skip
    for _ in range(4):
        connected.sandbox.world.advance(1800)
        results = await connected.engine.run_until_caught_up(["orders", "aftersales"])
        assert not any(results.values()), results

    assert _errors_about(order_id) == []
    shopify = _shopify_orders(connected)[order_id]
    assert not shopify["cancelled"]
    assert shopify["refundNotes"] == [f"TikTok cancellation {request.id}"]
    said = [
        e.message for e in recent_activity() if e.subject == order_id and "shipped" in e.message
    ]
    assert len(said) == 1 and "refund" in said[0], said
    row = TikTokOrderRow.get_by_id(order_id)
    assert row.sync_state == "created" and "refund" in row.reason

    # The merchant's Retry looks once more and leaves it as it is, without an error.
    retry_order(order_id)
    connected.engine.nudge("orders")
    await connected.engine.run_until_caught_up(["orders"])
    assert _errors_about(order_id) == [] and not _shopify_orders(connected)[order_id]["cancelled"]


def _ship_in_shopify(connected: Connected, order_gid: str) -> None:
    store = connected.sandbox.world.shopify
    with store.lock:
        fulfillment_orders = store.orders[parse_gid(order_gid, "Order")].fulfillment_order_ids
        shipped, errors = create_fulfillment(
            store,
            {"lineItemsByFulfillmentOrder": [
                {"fulfillmentOrderId": gid("FulfillmentOrder", fo)} for fo in fulfillment_orders
            ]},
        )  # fmt: skip
    assert shipped is not None, errors


def _console(connected: Connected) -> Console:
    accounts = AccountService(connected.token_store, connected.http)
    return Console(connected.profile, accounts, connected.http, engine=connected.engine)
