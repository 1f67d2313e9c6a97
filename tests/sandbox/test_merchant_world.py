"""The merchant's world over time, as an outside client sees it over HTTP.

A running sandbox (its own servers and control app), a client that signs with
the wall clock and knows only the connection info: days pass with
``/clock/advance``, TikTok's deadlines pass, orders settle into statements and
payouts, and the merchant ships some orders from Seller Center.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest

from tests.sandbox.outside_client import EXPIRED_TOKEN, OutsideClient
from tiktok_console.sandbox.runner import running_sandbox
from tiktok_console.sandbox.world import WorldOptions

DAY = 86400
START = 1_770_000_000.0
RETURNS = "/return_refund/202602/returns/search"
CANCELS = "/return_refund/202602/cancellations/search"
ORDERS = "/order/202309/orders/search"
PENDING_RETURNS = ["RETURN_OR_REFUND_REQUEST_PENDING", "REPLACEMENT_REQUEST_PENDING"]


def _client(**options: Any) -> Iterator[OutsideClient]:
    base: dict[str, Any] = {
        "seed": 5, "products": 20, "orders": 300, "orders_per_minute": 0.0,
        "clock_speed": 0.0, "clock_start": START,
    }  # fmt: skip
    with running_sandbox(WorldOptions(**(base | options))) as runner:
        client = OutsideClient(runner.info().model_dump())
        yield client
        client.close()


@pytest.fixture
def demo_like() -> Iterator[OutsideClient]:
    """A month of history, as the demo starts, with three more planted discrepancies."""
    yield from _client(finance_discrepancies=3)


@pytest.fixture
def fresh() -> Iterator[OutsideClient]:
    """No history; orders arrive when a test asks."""
    yield from _client(orders=0)


def _return(client: OutsideClient, return_id: str) -> dict[str, Any]:
    found = client.all(RETURNS, "return_orders", {"return_ids": [return_id]})
    assert len(found) == 1
    return found[0]  # type: ignore[no-any-return]


def _pending_return(client: OutsideClient, return_type: str | None = None) -> dict[str, Any]:
    pending = client.all(RETURNS, "return_orders", {"return_status": PENDING_RETURNS})
    matching = [r for r in pending if return_type in (None, r["return_type"])]
    assert matching, f"no pending {return_type or ''} return"
    return matching[0]  # type: ignore[no-any-return]


# -- 1. time ------------------------------------------------------------------
def test_days_later_calls_signed_with_the_wall_clock_work_and_the_token_is_renewed(
    fresh: OutsideClient,
) -> None:
    fresh.ok("POST", ORDERS, query={"page_size": "1"}, body={})
    too_far = fresh.http.post(fresh.control + "/clock/advance", params={"seconds": 61 * DAY})
    assert too_far.status_code == 422
    fresh.advance(60 * DAY)  # past the 7-day access token
    stale = fresh._send("POST", ORDERS, {"page_size": "1"}, {}, True)
    assert stale["code"] == EXPIRED_TOKEN
    fresh.ok("POST", ORDERS, query={"page_size": "1"}, body={})
    assert fresh.refreshes == 1


# -- 3. orders shipped outside the app -------------------------------------------
def _awaiting_seller_orders(client: OutsideClient) -> list[dict[str, Any]]:
    orders = client.all(ORDERS, "orders", {"order_status": "AWAITING_SHIPMENT"})
    return [o for o in orders if o["fulfillment_type"] == "FULFILLMENT_BY_SELLER"]


def test_an_order_shipped_in_seller_center_shows_a_tiktok_carrier_and_tracking(
    fresh: OutsideClient,
) -> None:
    fresh.order_rate(5)
    fresh.advance(20 * 60)
    fresh.order_rate(0)
    fresh.advance(2 * 3600)
    order = _awaiting_seller_orders(fresh)[0]
    shipped = fresh.ship_in_seller_center(order["id"])
    assert shipped.status_code == 200, shipped.text
    package = shipped.json()["packages"][0]
    assert package["tracking_number"] and package["shipping_provider_id"]

    detail = fresh.ok("GET", "/order/202507/orders", query={"ids": order["id"]})["orders"][0]
    assert detail["status"] == "IN_TRANSIT"
    assert detail["tracking_number"] == package["tracking_number"]
    assert detail["shipping_provider_id"] == package["shipping_provider_id"]
    assert detail["update_time"] > order["update_time"]
    # A carrier TikTok knows for the order's delivery option.
    option = detail["delivery_option_id"]
    providers = fresh.ok("GET", f"/logistics/202309/delivery_options/{option}/shipping_providers")[
        "shipping_providers"
    ]
    if providers:
        assert package["shipping_provider_id"] in {p["id"] for p in providers}
    # Shipped outside the API: nothing the app sent.
    assert fresh.state()["tiktok"]["shipping_calls"] == []

    assert fresh.ship_in_seller_center(order["id"]).status_code == 409
    assert fresh.ship_in_seller_center("576000000000000000").status_code == 404
    assert fresh.http.post(fresh.control + "/tiktok/orders/ship").status_code == 422


def test_a_share_of_orders_is_shipped_from_seller_center_by_itself() -> None:
    for client in _client(orders=0, seller_center_ship_share=1.0):
        client.order_rate(5)
        client.advance(30 * 60)
        client.order_rate(0)
        # Paid, released from the hold, packed and shipped (TikTok Shipping labels
        # may take up to 40 h to be printed).
        client.advance(41 * 3600)
        orders = client.all(ORDERS, "orders", {})
        seller = [o for o in orders if o["fulfillment_type"] == "FULFILLMENT_BY_SELLER"]
        released = [o for o in seller if o["status"] not in ("UNPAID", "ON_HOLD", "CANCELLED")]
        assert released
        shipped = ("IN_TRANSIT", "DELIVERED")
        assert all(o["status"] in shipped and o["tracking_number"] for o in released)
        assert client.state()["tiktok"]["shipping_calls"] == []


def test_by_default_the_app_ships_seller_fulfilled_orders(fresh: OutsideClient) -> None:
    fresh.order_rate(5)
    fresh.advance(30 * 60)
    fresh.order_rate(0)
    fresh.advance(5 * 3600)
    assert _awaiting_seller_orders(fresh)


# -- 5 and 6. after-sales and money over time, in the demo's world ---------------
def test_the_demo_world_has_a_return_and_a_cancellation_awaiting_the_seller(
    demo_like: OutsideClient,
) -> None:
    now = demo_like.now()
    pending = _pending_return(demo_like)
    action = pending["seller_next_action_response"][0]
    assert action["action"] in ("SELLER_RESPOND_RETURN", "SELLER_RESPOND_REFUND",
                                "SELLER_RESPOND_REPLACEMENT")  # fmt: skip
    assert now < action["deadline"] <= now + 2 * DAY
    cancels = demo_like.all(
        CANCELS, "cancellations", {"cancel_status": ["CANCELLATION_REQUEST_PENDING"]}
    )
    assert cancels
    assert cancels[0]["seller_next_action_response"][0]["action"] == "SELLER_RESPOND_BUYER_CANCEL"
    assert cancels[0]["cancel_type"] == "BUYER_CANCEL"


def _waiting(client: OutsideClient) -> tuple[int, int]:
    returns = client.all(RETURNS, "return_orders", {"return_status": PENDING_RETURNS})
    cancel_body = {"cancel_status": ["CANCELLATION_REQUEST_PENDING"]}
    return len(returns), len(client.all(CANCELS, "cancellations", cancel_body))


def test_a_showcase_adds_the_return_or_cancellation_a_quiet_history_lacks() -> None:
    """40 orders in a month: left to chance, something is missing at the start."""
    counts = {}
    for showcase in (False, True):
        for client in _client(orders=40, showcase=showcase):
            counts[showcase] = _waiting(client)
    chance, shown = counts[False], counts[True]
    assert 0 in chance  # the showcase has something to add
    assert shown == (max(chance[0], 1), max(chance[1], 1))


def test_the_demo_world_has_a_settled_statement_paid_out_with_a_reserve(
    demo_like: OutsideClient,
) -> None:
    statements = demo_like.ok(
        "GET", "/finance/202309/statements", query={"sort_field": "statement_time"}
    )["statements"]
    paid = [s for s in statements if s["payment_status"] == "PAID"]
    assert paid and all(s["payment_time"] > s["statement_time"] for s in paid)
    payments = demo_like.ok("GET", "/finance/202605/payments", query={"sort_field": "create_time"})[
        "payments"
    ]
    by_id = {p["id"]: p for p in payments}
    for statement in paid:
        payment = by_id[statement["payment_id"]]
        assert payment["status"] == "PAID" and "reserve_amount" not in payment
        settled = Decimal(payment["settlement_amount"]["value"])
        assert settled == Decimal(statement["settlement_amount"])
        if settled > 0:  # the reserve is withheld from the payout
            assert Decimal(payment["amount"]["value"]) < settled
    withdrawals = demo_like.ok("GET", "/finance/202309/withdrawals", query={"types": "SETTLE"})[
        "withdrawals"
    ]
    assert {w["id"] for w in withdrawals} == {s["payment_id"] for s in statements}


def test_planted_discrepancies_include_the_ones_asked_for(demo_like: OutsideClient) -> None:
    planted = demo_like.state()["tiktok"]["discrepancies"]
    short = [d for d in planted if d["kind"] == "order_settled_short"]
    assert len(short) == 1 + 3
    assert len({d["difference"] for d in short}) == len(short)
    assert any(d["kind"] == "adjustment_without_order" for d in planted)
    # Each short settlement shows in the order's statement transactions.
    for entry in short:
        data = demo_like.ok(
            "GET", f"/finance/202501/orders/{entry['order_id']}/statement_transactions"
        )
        assert data["sku_transactions"]


def test_tiktok_approves_when_the_sellers_deadline_passes(demo_like: OutsideClient) -> None:
    pending = _pending_return(demo_like)
    cancel = demo_like.all(
        CANCELS, "cancellations", {"cancel_status": ["CANCELLATION_REQUEST_PENDING"]}
    )[0]
    latest = max(
        pending["seller_next_action_response"][0]["deadline"],
        cancel["seller_next_action_response"][0]["deadline"],
    )
    demo_like.advance(latest - demo_like.now() + 1)
    after = _return(demo_like, pending["return_id"])
    assert after["return_status"] not in PENDING_RETURNS
    assert after["update_time"] >= pending["seller_next_action_response"][0]["deadline"]
    cancelled = demo_like.all(CANCELS, "cancellations", {"cancel_ids": [cancel["cancel_id"]]})[0]
    assert cancelled["cancel_status"] in ("CANCELLATION_REQUEST_SUCCESS",
                                          "CANCELLATION_REQUEST_COMPLETE")  # fmt: skip
    order = demo_like.ok("GET", "/order/202507/orders", query={"ids": cancel["order_id"]})
    assert order["orders"][0]["status"] == "CANCELLED"


def test_a_returned_package_is_confirmed_then_the_refund_completes(
    demo_like: OutsideClient,
) -> None:
    for _ in range(20):  # buyers ask over the next days
        pending = demo_like.all(RETURNS, "return_orders", {"return_status": PENDING_RETURNS})
        physical = [r for r in pending if r["return_type"] == "RETURN_AND_REFUND"]
        if physical:
            break
        demo_like.advance(12 * 3600)
    else:
        raise AssertionError("no return-and-refund request came")
    rid = physical[0]["return_id"]
    approve = f"/return_refund/202309/returns/{rid}/approve"
    demo_like.ok("POST", approve, query={"idempotency_key": f"a-{rid}"},
                 body={"decision": "APPROVE_RETURN"})  # fmt: skip
    assert _return(demo_like, rid)["return_status"] == "AWAITING_BUYER_SHIP"
    demo_like.advance(3 * DAY + 60)
    shipped = _return(demo_like, rid)
    assert shipped["return_status"] == "BUYER_SHIPPED_ITEM" and shipped["return_tracking_number"]
    action = shipped["seller_next_action_response"][0]
    assert action["action"] == "SELLER_RESPOND_RECEIVE_PACKAGE"
    demo_like.ok("POST", approve, query={"idempotency_key": f"b-{rid}"},
                 body={"decision": "APPROVE_RECEIVED_PACKAGE"})  # fmt: skip
    assert _return(demo_like, rid)["return_status"] == "RETURN_OR_REFUND_REQUEST_SUCCESS"
    demo_like.advance(3 * DAY + 60)
    assert _return(demo_like, rid)["return_status"] == "RETURN_OR_REFUND_REQUEST_COMPLETE"
