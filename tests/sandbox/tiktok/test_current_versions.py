"""TikTok's current versions, served beside the listed ones (tiktok-current-versions.md).

Each test calls both versions where both exist, and checks what changed: the
current shape where it differs, the same records underneath.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from .conftest import World

DAY = 86400
USPS = "7117858858072016686"
INVALID_VERSION = 36009014


def _all(world: World, path: str, key: str, body: dict[str, Any] | None = None) -> list[Any]:
    items: list[Any] = []
    token = ""
    while True:
        query = {"page_size": "50"} | ({"page_token": token} if token else {})
        data = world.ok("POST", path, query=query, body=body or {})
        items += data[key]
        token = data["next_page_token"]
        if not token:
            return items


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("POST", "/return_refund/202603/returns/search"),
        ("POST", "/return_refund/202401/cancellations/search"),
        ("POST", "/return_refund/202602/returns/1/reject"),
        ("GET", "/finance/202604/payments"),
        ("GET", "/finance/202309/orders/unsettled"),
        ("POST", "/fulfillment/202611/orders/1/packages"),
    ],
)
def test_an_unknown_version_is_invalid(world: World, method: str, path: str) -> None:
    body = None if method == "GET" else {}
    assert world.call(method, path, body=body).json()["code"] == INVALID_VERSION


# -- returns and cancellations ------------------------------------------------------
def test_search_returns_202602_adds_fields_over_the_same_returns(world: World) -> None:
    listed = _all(world, "/return_refund/202309/returns/search", "return_orders")
    current = _all(world, "/return_refund/202602/returns/search", "return_orders")
    assert [r["return_id"] for r in current] == [r["return_id"] for r in listed]
    assert current and all(r["is_quick_refund"] is False for r in current)
    assert all("is_quick_refund" not in r for r in listed)
    lines = [li for r in current for li in r["return_line_items"]]
    assert lines and all(li["return_sub_line_items"] == [] for li in lines)
    assert {r["return_type"] for r in current} <= {"REFUND", "RETURN_AND_REFUND", "REPLACEMENT"}


def _pending_cancellations(busy: World) -> tuple[list[Any], list[Any]]:
    busy.advance(2 * 3600)
    busy.shop.set_order_rate(0)
    busy.advance(12 * 3600)
    body = {"cancel_status": ["CANCELLATION_REQUEST_PENDING"]}
    listed = _all(busy, "/return_refund/202309/cancellations/search", "cancellations", body)
    current = _all(busy, "/return_refund/202602/cancellations/search", "cancellations", body)
    return listed, current


def test_search_cancellations_202602_renames_the_action_and_type(busy: World) -> None:
    listed, current = _pending_cancellations(busy)
    assert current and [c["cancel_id"] for c in current] == [c["cancel_id"] for c in listed]
    for old, new in zip(listed, current, strict=True):
        assert old["seller_next_action_response"][0]["action"] == "SELLER_RESPOND_CANCEL"
        action = new["seller_next_action_response"][0]
        assert action["action"] == "SELLER_RESPOND_BUYER_CANCEL"
        assert action["deadline"] == old["seller_next_action_response"][0]["deadline"]
        assert new["cancel_type"] == "BUYER_CANCEL" and new["should_replenish_stock"] is True
        assert all(li["cancel_sub_line_items"] == [] for li in new["cancel_line_items"])
    by_type = _all(
        busy,
        "/return_refund/202602/cancellations/search",
        "cancellations",
        {"cancel_types": ["BUYER_CANCEL"], "cancel_status": ["CANCELLATION_REQUEST_PENDING"]},
    )
    assert [c["cancel_id"] for c in by_type] == [c["cancel_id"] for c in current]


def _received_return(world: World) -> dict[str, Any]:
    """A return-and-refund whose package came back and waits for the seller."""
    world.shop.set_order_rate(0)
    path = "/return_refund/202602/returns/search"
    for _ in range(40):
        waiting = _all(world, path, "return_orders", {"return_status": ["BUYER_SHIPPED_ITEM"]})
        found = [r for r in waiting if r["seller_next_action_response"]]
        if found:
            return found[0]  # type: ignore[no-any-return]
        for pending in _all(
            world, path, "return_orders", {"return_status": ["RETURN_OR_REFUND_REQUEST_PENDING"]}
        ):
            if pending["return_type"] == "RETURN_AND_REFUND":
                world.ok(
                    "POST",
                    f"/return_refund/202309/returns/{pending['return_id']}/approve",
                    query={"idempotency_key": "ok-" + pending["return_id"]},
                    body={"decision": "APPROVE_RETURN"},
                )
        world.advance(12 * 3600)
    raise AssertionError("no returned package appeared")


def test_reject_return_202606_offers_a_partial_refund_after_the_package_came_back(
    world: World,
) -> None:
    received = _received_return(world)
    rid = received["return_id"]
    action = received["seller_next_action_response"][0]["action"]
    assert action == "SELLER_RESPOND_RECEIVE_PACKAGE"
    total = Decimal(received["refund_amount"]["refund_total"])
    # The offer's reason comes from Get Review Decision, with the band the offer must be in.
    review = world.ok(
        "GET",
        "/return_refund/202606/review_decision",
        query={
            "return_or_cancel_id": rid,
            "seller_id": world.shop.shop_id,
            "check_decisions": "OFFER_PARTIAL_REFUND_AFTER_RECEIVING_PKG",
        },
    )
    (verdict,) = review["line_items"][0]["decisions"]
    assert verdict["eligible"]
    assert verdict["partial_refund_amount_range"] == {
        "min_amount": "0.01",
        "max_amount": str(total - Decimal("0.01")),
        "currency": "USD",
    }
    reason = verdict["available_reject_reasons"][0]["name"]
    offer = {
        "decision": "OFFER_PARTIAL_REFUND_AFTER_RECEIVING_PKG",
        "reject_reason": reason,
        "partial_refund_amount": {"partial_refund_total": "1.00", "currency": "USD"},
    }
    listed = f"/return_refund/202309/returns/{rid}/reject"
    current = f"/return_refund/202606/returns/{rid}/reject"
    # A reason offered for refusing the package, not for a partial refund, is refused.
    not_offered = offer | {"reject_reason": "reverse_reject_return_parcel_reason_4"}
    assert (
        world.call("POST", current, query={"idempotency_key": "p4"}, body=not_offered).json()[
            "code"
        ]
        == 25001016
    )
    # Only the current version knows the decision.
    assert (
        world.call("POST", listed, query={"idempotency_key": "p0"}, body=offer).json()["code"]
        == 25020003
    )
    too_much = offer | {
        "partial_refund_amount": {"partial_refund_total": str(total), "currency": "USD"}
    }
    assert (
        world.call("POST", current, query={"idempotency_key": "p1"}, body=too_much).json()["code"]
        == 25001001
    )
    wrong_currency = offer | {
        "partial_refund_amount": {"partial_refund_total": "1.00", "currency": "EUR"}
    }
    assert (
        world.call("POST", current, query={"idempotency_key": "p2"}, body=wrong_currency).json()[
            "code"
        ]
        == 25001001
    )
    world.ok("POST", current, query={"idempotency_key": "p3"}, body=offer)

    search = "/return_refund/202602/returns/search"
    offered = _all(world, search, "return_orders", {"return_ids": [rid]})[0]
    assert offered["return_status"] == "AWAITING_BUYER_RESPONSE"
    assert offered["seller_proposed_return_type"] == "PARTIAL_REFUND"
    assert offered["partial_refund"] == {"amount": "1.00", "currency": "USD"}
    assert offered["seller_next_action_response"] == []
    world.advance(DAY + 60)  # the buyer answers
    answered = _all(world, search, "return_orders", {"return_ids": [rid]})[0]
    if answered["buyer_rejected_partial_refund"]:
        assert answered["arbitration_status"] == "IN_PROGRESS"
    else:
        assert answered["return_status"] == "RETURN_OR_REFUND_REQUEST_SUCCESS"
        assert answered["refund_amount"]["refund_total"] == "1.00"
        # The refund completes, and the order settles (or settled) 1.00 short of its sales.
        world.advance(12 * DAY)
        assert (
            _all(world, search, "return_orders", {"return_ids": [rid]})[0]["return_status"]
            == "RETURN_OR_REFUND_REQUEST_COMPLETE"
        )
        path = f"/finance/202501/orders/{answered['order_id']}/statement_transactions"
        skus = world.ok("GET", path)["sku_transactions"]
        refunds = [s["revenue_breakdown"]["refund_subtotal_before_discount_amount"] for s in skus]
        assert "-1.00" in refunds


def test_rejecting_a_received_package_disputes_or_closes_it(world: World) -> None:
    received = _received_return(world)
    rid = received["return_id"]
    world.ok(
        "POST",
        f"/return_refund/202606/returns/{rid}/reject",
        query={"idempotency_key": "rj"},
        body={
            "decision": "REJECT_RECEIVED_PACKAGE",
            # Offered by Get Decision Eligibility for a package that came back.
            "reject_reason": "reverse_reject_return_parcel_reason_5",
        },
    )
    after = _all(world, "/return_refund/202602/returns/search", "return_orders",
                 {"return_ids": [rid]})[0]  # fmt: skip
    assert after["return_status"] == "REJECT_RECEIVE_PACKAGE"
    assert after["arbitration_status"] in ("", "IN_PROGRESS")


def test_a_replacement_is_approved_shipped_back_and_completed_without_refund(
    world: World,
) -> None:
    world.shop.set_order_rate(0)
    search = "/return_refund/202602/returns/search"
    body = {"return_types": ["REPLACEMENT"], "return_status": ["REPLACEMENT_REQUEST_PENDING"]}
    for _ in range(60):
        pending = _all(world, search, "return_orders", body)
        if pending:
            break
        world.advance(12 * 3600)
    else:
        raise AssertionError("no replacement request appeared")
    replacement = pending[0]
    rid = replacement["return_id"]
    action = replacement["seller_next_action_response"][0]["action"]
    assert action == "SELLER_RESPOND_REPLACEMENT" and not replacement["can_buyer_keep_item"]
    path = f"/return_refund/202309/returns/{rid}/approve"
    world.ok(
        "POST", path, query={"idempotency_key": "r1"}, body={"decision": "APPROVE_REPLACEMENT"}
    )
    world.advance(3 * DAY + 60)
    back = _all(world, search, "return_orders", {"return_ids": [rid]})[0]
    assert back["return_status"] == "BUYER_SHIPPED_ITEM"
    world.ok("POST", path, query={"idempotency_key": "r2"},
             body={"decision": "APPROVE_RECEIVED_PACKAGE"})  # fmt: skip
    done = _all(world, search, "return_orders", {"return_ids": [rid]})[0]
    assert done["return_status"] == "REPLACEMENT_REQUEST_COMPLETE"
    # No money moves: once the order settles, nothing of it was refunded.
    world.advance(10 * DAY)
    path = f"/finance/202501/orders/{done['order_id']}/statement_transactions"
    skus = world.ok("GET", path)["sku_transactions"]
    assert skus
    assert {s["revenue_breakdown"]["refund_subtotal_before_discount_amount"] for s in skus} == {
        "0.00"
    }
    order = world.ok("GET", "/order/202507/orders", query={"ids": done["order_id"]})["orders"][0]
    assert sum(int(s["quantity"]) for s in skus) == len(order["line_items"])  # all units sold


# -- fulfillment ------------------------------------------------------------------
def _awaiting(busy: World) -> dict[str, Any]:
    busy.advance(2 * 3600)
    orders = _all(busy, "/order/202309/orders/search", "orders",
                  {"order_status": "AWAITING_SHIPMENT", "shipping_type": "SELLER"})  # fmt: skip
    return next(
        o
        for o in orders
        if o["fulfillment_type"] == "FULFILLMENT_BY_SELLER"
        and o["delivery_option_name"] == "Standard Shipping"
    )


def test_mark_shipped_202610_takes_a_shipping_info_list(busy: World) -> None:
    order = _awaiting(busy)
    path = f"/fulfillment/202610/orders/{order['id']}/packages"
    lines = [{"order_line_id": li["id"]} for li in order["line_items"]]
    info = {"tracking_number": "9400111899223856789012", "shipping_provider_id": USPS}
    two = {"order_line_list": lines, "shipping_info_list": [info, info]}
    assert busy.call("POST", path, body=two).json()["code"] == 21001001
    listed_body = {"order_line_item_ids": [li["id"] for li in order["line_items"]]} | info
    # The listed body's fields mean nothing to 202610: no tracking reaches TikTok.
    assert busy.call("POST", path, body=listed_body).json()["code"] != 0
    shipped = busy.ok(
        "POST", path, body={"order_line_list": lines, "shipping_info_list": [info | {"note": ""}]}
    )
    assert shipped["order_id"] == order["id"] and shipped["package_id"]
    assert sorted(shipped["order_line_item_ids"]) == sorted(li["id"] for li in order["line_items"])
    after = busy.ok("GET", "/order/202507/orders", query={"ids": order["id"]})["orders"][0]
    assert after["status"] == "IN_TRANSIT" and after["tracking_number"] == info["tracking_number"]

    update = f"/fulfillment/202610/packages/{shipped['package_id']}/shipping_info/update"
    assert busy.call("POST", update, body={}).json()["code"] == 21001001
    fixed = {"tracking_number": "9400111899223856789099", "shipping_provider_id": USPS}
    assert busy.ok("POST", update, body={"shipping_info_list": [fixed]}) == {}
    package = busy.ok("GET", f"/fulfillment/202309/packages/{shipped['package_id']}")
    assert package["tracking_number"] == fixed["tracking_number"]


# -- finance ---------------------------------------------------------------------
def test_payments_202605_drop_the_reserve_field_but_not_the_reserve(world: World) -> None:
    query = {"sort_field": "create_time"}
    listed = world.ok("GET", "/finance/202309/payments", query=query)["payments"]
    current = world.ok("GET", "/finance/202605/payments", query=query)["payments"]
    assert current and [p["id"] for p in current] == [p["id"] for p in listed]
    for old, new in zip(listed, current, strict=True):
        assert "reserve_amount" in old and "reserve_amount" not in new
        reserve = Decimal(old["reserve_amount"]["value"])
        paid = Decimal(new["amount"]["value"])
        assert paid == Decimal(new["settlement_amount"]["value"]) + reserve


def test_statements_carry_their_payment_time(world: World) -> None:
    statements = world.ok(
        "GET", "/finance/202309/statements", query={"sort_field": "statement_time"}
    )["statements"]
    assert statements
    for s in statements:
        assert (s["payment_time"] > 0) is (s["payment_status"] == "PAID")


def test_statement_transactions_carry_the_current_spec_lines(world: World) -> None:
    statement = world.ok(
        "GET", "/finance/202309/statements", query={"sort_field": "statement_time"}
    )["statements"][0]
    data = world.ok(
        "GET",
        f"/finance/202501/statements/{statement['id']}/statement_transactions",
        query={"sort_field": "order_create_time"},
    )
    tx = data["transactions"][0]
    assert tx["revenue_breakdown"]["distant_item_fee_amount"] == "0.00"
    assert tx["shipping_cost_breakdown"]["hazmat_handling_fee"] == "0.00"
    assert tx["fee_tax_breakdown"]["fee"]["smart_promotion_fee_amount"] == "0.00"
    assert tx["fee_tax_breakdown"]["tax"]["cedular_tax"] == "0.00"


def _unsettled(world: World, query: dict[str, str]) -> tuple[dict[str, Any], list[Any]]:
    """The first page, and every transaction over all pages."""
    path = "/finance/202507/orders/unsettled"
    first = world.ok("GET", path, query=query)
    every, token = list(first["transactions"]), first["next_page_token"]
    while token:
        more = world.ok("GET", path, query=query | {"page_token": token})
        every += more["transactions"]
        token = more["next_page_token"]
    return first, every


def test_unsettled_transactions_202507_list_paid_orders_until_they_settle(world: World) -> None:
    query = {"sort_field": "order_create_time", "page_size": "20"}
    assert world.call("GET", "/finance/202507/orders/unsettled").json()["code"] == 36009004
    data, unsettled = _unsettled(world, query)
    assert len(unsettled) == data["total_count"] > len(data["transactions"])
    first = unsettled[0]
    assert first["status"] == "UNSETTLED" and first["type"] == "ORDER"
    # The sums cover every page, not only the first.
    total = sum((Decimal(t["est_settlement_amount"]) for t in unsettled), Decimal(0))
    assert Decimal(data["sum_est_settlement_amount"]) == total
    created = [t["order_create_time"] for t in unsettled]
    assert created == sorted(created)
    settled = world.shop.ledger.settled_orders
    assert not {t["order_id"] for t in unsettled} & settled
    delivered = [t for t in unsettled if t["order_delivery_time"]]
    assert delivered
    assert int(delivered[0]["estimated_settlement"]) > delivered[0]["order_delivery_time"]
    world.shop.set_order_rate(0)
    world.advance(20 * DAY)
    _, later = _unsettled(world, query)
    assert first["order_id"] not in {t["order_id"] for t in later}


def test_withdrawals_list_each_payout(world: World) -> None:
    assert world.call("GET", "/finance/202309/withdrawals").json()["code"] == 36009004
    withdrawals = world.ok("GET", "/finance/202309/withdrawals", query={"types": "SETTLE"})[
        "withdrawals"
    ]
    payments = world.ok("GET", "/finance/202605/payments", query={"sort_field": "create_time"})[
        "payments"
    ]
    assert {w["id"] for w in withdrawals} == {p["id"] for p in payments}
    assert all(w["type"] == "SETTLE" for w in withdrawals)


def test_return_records_tell_who_changed_the_return_and_when(world: World) -> None:
    received = _received_return(world)
    rid = received["return_id"]
    records = world.ok("GET", f"/return_refund/202309/returns/{rid}/records")["records"]
    events = [r["event"] for r in records]
    assert events[0] == "RETURN_OR_REFUND_REQUEST_PENDING" and records[0]["role"] == "BUYER"
    assert events[-1] == "BUYER_SHIPPED_ITEM" and records[-1]["role"] == "BUYER"
    assert "AWAITING_BUYER_SHIP" in events
    approved = records[events.index("AWAITING_BUYER_SHIP")]
    assert approved["role"] in ("SELLER", "SYSTEM")  # the seller, or TikTok at the deadline
    times = [r["create_time"] for r in records]
    assert times == sorted(times) and times[-1] <= received["update_time"]
    unknown = world.call("GET", "/return_refund/202309/returns/1/records").json()
    assert unknown["code"] != 0


# -- what the seller may start -------------------------------------------------------
def test_eligibility_202602_names_the_reasons_and_cancel_order_uses_one(busy: World) -> None:
    order = _awaiting(busy)
    path = f"/return_refund/202602/orders/{order['id']}/aftersale_eligibility"
    data = busy.ok("GET", path, query={"request_types": "CANCEL"})
    entries = [e for sku in data["sku_eligibility"] for e in sku["line_item_eligibility"]]
    assert entries and all(e["request_type"] == "CANCEL" and e["eligible"] for e in entries)
    reason = entries[0]["available_reason_names"][0]
    lines = [li["id"] for li in order["line_items"]]
    assert sorted(i["order_line_item_id"] for e in entries for i in e["order_line_list"]) == sorted(
        lines
    )
    # Not delivered: no refund yet; the listed version calls it RETURN.
    listed = busy.ok("GET", path.replace("202602", "202309"))
    kinds = {
        e["request_type"]: e for s in listed["sku_eligibility"] for e in s["line_item_eligibility"]
    }
    assert set(kinds) == {"CANCEL", "RETURN", "RETURN_AND_REFUND"}
    assert not kinds["RETURN"]["eligible"] and "available_reason_names" not in kinds["RETURN"]

    cancel = "/return_refund/202602/cancellations"
    bad_reason = {"order_id": order["id"], "cancel_reason": "because"}
    assert busy.call("POST", cancel, body=bad_reason).json()["code"] == 25001014
    if len(lines) > 1:
        some = {"order_id": order["id"], "cancel_reason": reason,
                "order_line_list": [{"order_line_item_id": lines[0]}]}  # fmt: skip
        assert busy.call("POST", cancel, body=some).json()["code"] == 25005010
    done = busy.ok("POST", cancel, body={"order_id": order["id"], "cancel_reason": reason})
    assert done["cancel_status"] == "CANCELLATION_REQUEST_SUCCESS"
    after = busy.ok("GET", "/order/202507/orders", query={"ids": order["id"]})["orders"][0]
    assert after["status"] == "CANCELLED"
    found = _all(busy, "/return_refund/202602/cancellations/search", "cancellations",
                 {"cancel_ids": [done["cancel_id"]]})[0]  # fmt: skip
    assert found["role"] == "SELLER" and found["cancel_type"] == "CANCEL"
    again = busy.call("POST", cancel, body={"order_id": order["id"], "cancel_reason": reason})
    assert again.json()["code"] == 25001051
    busy.advance(3600 + 60)
    found = _all(busy, "/return_refund/202602/cancellations/search", "cancellations",
                 {"cancel_ids": [done["cancel_id"]]})[0]  # fmt: skip
    assert found["cancel_status"] == "CANCELLATION_REQUEST_COMPLETE"


def _transactions(world: World, statement_id: str) -> list[Any]:
    path = f"/finance/202501/statements/{statement_id}/statement_transactions"
    query = {"sort_field": "order_create_time", "page_size": "100"}
    items: list[Any] = []
    token = ""
    while True:
        data = world.ok("GET", path, query=query | ({"page_token": token} if token else {}))
        items += data["transactions"]
        token = data["next_page_token"]
        if not token:
            return items


def test_a_reserve_is_collected_then_released_thirty_days_later(world: World) -> None:
    world.shop.set_order_rate(0)
    world.advance(40 * DAY)
    query = {"sort_field": "statement_time", "page_size": "100"}
    statements = world.ok("GET", "/finance/202309/statements", query=query)["statements"]
    assert len(statements) < 100  # one page holds them all
    reserves = {
        s["id"]: [t for t in _transactions(world, s["id"]) if t["type"] == "RESERVE"]
        for s in statements
    }
    collected = {t["reserve_id"]: (sid, t) for sid, ts in reserves.items() for t in ts
                 if t["reserve_status"] == "COLLECTED"}  # fmt: skip
    released = [(sid, t) for sid, ts in reserves.items() for t in ts
                if t["reserve_status"] == "RELEASED"]  # fmt: skip
    assert collected and released
    time_of = {s["id"]: s["statement_time"] for s in statements}
    for sid, release in released:
        first_sid, collection = collected[release["reserve_id"]]
        assert Decimal(release["reserve_amount"]) == -Decimal(collection["reserve_amount"]) > 0
        assert collection["estimated_release_time"] == ""  # already given back
        assert time_of[sid] - time_of[first_sid] >= 30 * DAY
    pending = [t for _, t in collected.values() if t["estimated_release_time"]]
    assert all(int(t["estimated_release_time"]) > world.clock.now_int() for t in pending)
    # Each payout is the statement's settlement with its reserves withheld or given back.
    pay_query = {"sort_field": "create_time", "page_size": "100"}
    payments = {
        p["id"]: p for p in world.ok("GET", "/finance/202605/payments", query=pay_query)["payments"]
    }
    for s in statements:
        reserve = sum((Decimal(t["reserve_amount"]) for t in reserves[s["id"]]), Decimal(0))
        paid = Decimal(payments[s["payment_id"]]["amount"]["value"])
        assert paid == Decimal(s["settlement_amount"]) + reserve
