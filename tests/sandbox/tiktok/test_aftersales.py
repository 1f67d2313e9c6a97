"""Cancellations and returns over HTTP: deadlines, auto-approval, idempotent decisions."""

from __future__ import annotations

from typing import Any

from .conftest import World

RETURNS = "/return_refund/202309/returns/search"
CANCELS = "/return_refund/202309/cancellations/search"


def _all(world: World, path: str, key: str, body: dict[str, Any] | None = None) -> list[dict]:  # type: ignore[type-arg]
    items, token = [], ""
    while True:
        query = {"page_size": "10"} | ({"page_token": token} if token else {})
        data = world.ok("POST", path, query=query, body=body or {})
        items += data[key]
        token = data["next_page_token"]
        if not token:
            return items


def _pending_return(world: World) -> dict[str, Any]:
    world.shop.set_order_rate(0)
    for _ in range(30):
        found = _all(
            world, RETURNS, "return_orders", {"return_status": ["RETURN_OR_REFUND_REQUEST_PENDING"]}
        )
        if found:
            return found[0]
        world.advance(6 * 3600)
    raise AssertionError("no pending return appeared")


def test_returns_carry_deadlines(world: World) -> None:
    pending = _pending_return(world)
    action = pending["seller_next_action_response"][0]
    assert action["action"] in ("SELLER_RESPOND_REFUND", "SELLER_RESPOND_RETURN")
    assert action["deadline"] > world.clock.now_int()
    assert pending["return_line_items"] and isinstance(
        pending["refund_amount"]["refund_total"], str
    )
    everything = _all(world, RETURNS, "return_orders")
    assert any(r["arbitration_status"] for r in everything)


def test_deadline_passing_auto_approves(world: World) -> None:
    pending = _pending_return(world)
    deadline = pending["seller_next_action_response"][0]["deadline"]
    world.advance(deadline - world.clock.now_int() + 1)
    after = _all(world, RETURNS, "return_orders", {"return_ids": [pending["return_id"]]})[0]
    assert after["return_status"] in ("AWAITING_BUYER_SHIP", "RETURN_OR_REFUND_REQUEST_SUCCESS")
    assert after["update_time"] >= deadline


def test_approve_with_idempotency_key_is_applied_once(world: World) -> None:
    pending = _pending_return(world)
    decision = "APPROVE_REFUND" if pending["return_type"] == "REFUND" else "APPROVE_RETURN"
    path = f"/return_refund/202309/returns/{pending['return_id']}/approve"
    key = {"idempotency_key": "approve-" + pending["return_id"]}
    wrong = world.call(
        "POST",
        path,
        query=key | {"idempotency_key": "w"},
        body={"decision": "APPROVE_RECEIVED_PACKAGE"},
    )
    assert wrong.json()["code"] == 25020003
    first = world.ok("POST", path, query=key, body={"decision": decision})
    history = len(world.shop.aftersales.requests[pending["return_id"]].history)
    second = world.ok("POST", path, query=key, body={"decision": decision})
    assert first == second
    assert len(world.shop.aftersales.requests[pending["return_id"]].history) == history
    fresh = world.call(
        "POST", path, query={"idempotency_key": "another"}, body={"decision": decision}
    )
    assert fresh.json()["code"] == 25011012  # no longer awaiting that decision


def test_buyer_cancellation_request_and_reject(busy: World) -> None:
    busy.advance(2 * 3600)
    busy.shop.set_order_rate(0)
    busy.advance(12 * 3600)
    pending = _all(busy, CANCELS, "cancellations")
    pending = [c for c in pending if c["cancel_status"] == "CANCELLATION_REQUEST_PENDING"]
    assert pending
    target = pending[0]
    assert target["seller_next_action_response"][0]["action"] == "SELLER_RESPOND_CANCEL"
    reasons = busy.ok(
        "GET",
        "/return_refund/202309/reject_reasons",
        query={"return_or_cancel_id": target["cancel_id"]},
    )["reasons"]
    path = f"/return_refund/202309/cancellations/{target['cancel_id']}/reject"
    bad = busy.call("POST", path, query={"idempotency_key": "r1"}, body={"reject_reason": "x"})
    assert bad.json()["code"] == 25001014
    busy.ok(
        "POST", path, query={"idempotency_key": "r2"}, body={"reject_reason": reasons[0]["name"]}
    )
    order = busy.ok("GET", "/order/202309/orders", query={"ids": target["order_id"]})["orders"][0]
    assert order["status"] == "AWAITING_SHIPMENT" and not order["is_buyer_request_cancel"]
    if len(pending) > 1:
        other = pending[1]
        busy.advance(48 * 3600 + 1)
        order = busy.ok("GET", "/order/202309/orders", query={"ids": other["order_id"]})["orders"][
            0
        ]
        assert order["status"] == "CANCELLED"
