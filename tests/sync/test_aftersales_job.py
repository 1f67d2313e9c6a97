"""The after-sales job against the sandbox: requests pulled with TikTok's deadlines, every
completed TikTok refund in Shopify exactly once with TikTok's amount and the right restock.

Orders flow for half an hour; the engine's jobs then run as the sandbox clock moves on
by twelve-hour steps for three weeks, so orders ship, arrive, and buyers cancel and return.
"""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from typing import Any

from tests.sync.conftest import Connected
from tests.sync.test_orders_job import _settled_world
from tiktok_console.storage.accounts import load_accounts
from tiktok_console.storage.aftersales.requests import cancellation_view, return_view
from tiktok_console.storage.aftersales.tables import TikTokCancellationRow, TikTokReturnRow
from tiktok_console.stores.tiktok.api import TikTokShopApi
from tiktok_console.sync.aftersales import decisions
from tiktok_console.sync.aftersales.decisions import Decision, Kind, consequence, decide
from tiktok_console.sync.aftersales.tiktok_calls import AftersalesCalls
from tiktok_console.sync.sessions import tiktok_session

JOBS = ["shopify_variants", "orders", "fulfillment", "aftersales"]
COMPLETE = "RETURN_OR_REFUND_REQUEST_COMPLETE"
STEP = 12 * 3600
DAYS = 21


async def _run_days(connected: Connected, days: int = DAYS, minutes: int = 30) -> None:
    connected.sandbox.world.shopify.web_sales_per_minute = 0
    _settled_world(connected, minutes=minutes)
    for _ in range(days * 86400 // STEP):
        results = await connected.engine.run_until_caught_up(JOBS)
        assert not any(results.values()), results
        connected.sandbox.world.advance(STEP)
    results = await connected.engine.run_until_caught_up(JOBS)
    assert not any(results.values()), results


def _tiktok_requests(connected: Connected) -> list[Any]:
    shop = connected.sandbox.world.tiktok
    with shop.lock:
        return list(shop.aftersales.requests.values())


def _shopify_refunds(connected: Connected) -> dict[str, list[dict[str, Any]]]:
    """Shopify's refunds by note, each with its amount and restocked units per SKU."""
    store = connected.sandbox.world.shopify
    found: dict[str, list[dict[str, Any]]] = {}
    with store.lock:
        for refund in store.refunds.values():
            order = store.orders[refund.order_id]
            skus = {line.id: line.sku for line in order.line_items}
            restocked: Counter[str] = Counter()
            for line in refund.lines:
                if line.restocked:
                    restocked[skus[line.line_item_id]] += line.quantity
            kinds = {t.id: t.kind for t in order.transactions}
            found.setdefault(refund.note or "", []).append(
                {"total": refund.total, "restocked": restocked, "tiktok": order.source_identifier,
                 "gateways": {t.gateway for t in refund.transactions},
                 "parents": {kinds.get(t.parent_id or 0) for t in refund.transactions}}
            )  # fmt: skip
    return found


async def test_every_completed_refund_is_in_shopify_once_with_tiktoks_amount(
    connected: Connected,
) -> None:
    await _run_days(connected)
    refunds = _shopify_refunds(connected)
    in_shopify = {
        o["sourceIdentifier"] for o in connected.sandbox.world.shopify.snapshot()["orders"]
    }
    shop = connected.sandbox.world.tiktok
    returns = [
        r for r in _tiktok_requests(connected)
        if r.kind == "return" and r.status == COMPLETE and r.order_id in in_shopify
    ]  # fmt: skip
    assert returns, "the world made no completed return of an order in Shopify"
    kinds = Counter(r.type for r in returns)
    for request in returns:
        made = refunds.get(f"TikTok return {request.id}", [])
        assert len(made) == 1, (request.id, made)
        assert made[0]["total"] == request.refund_total
        assert made[0]["gateways"] == {"TikTok Shop"}
        assert made[0]["parents"] == {"SALE"}  # each refunds the order's sale
        order = shop.book.orders[request.order_id]
        units = Counter(li.seller_sku for li in order.line_items if li.id in request.line_ids)
        came_back = request.type == "RETURN_AND_REFUND" and "BUYER_SHIPPED_ITEM" in request.history
        assert made[0]["restocked"] == (units if came_back else Counter()), request.type
    assert set(kinds) == {"REFUND", "RETURN_AND_REFUND"}, kinds
    # a cancellation TikTok refunded: the Shopify order cancelled (the orders flow), or,
    # where Shopify had shipped it and cannot cancel it, one refund of TikTok's amount
    orders = {
        o["sourceIdentifier"]: o for o in connected.sandbox.world.shopify.snapshot()["orders"]
    }
    for request in _tiktok_requests(connected):
        if request.kind != "cancel" or request.status != "CANCELLATION_REQUEST_COMPLETE":
            continue
        twin = orders.get(request.order_id)
        made = refunds.get(f"TikTok cancellation {request.id}", [])
        if twin is None or twin["cancelled"]:
            assert made == [], request.id
        else:
            assert [m["total"] for m in made] == [request.refund_total], request.id
    # nothing else was refunded under a TikTok note, and no note twice
    assert all(len(v) == 1 for k, v in refunds.items() if k.startswith("TikTok "))
    # a second pass changes nothing
    before = sum(len(v) for v in refunds.values())
    results = await connected.engine.run_until_caught_up(["aftersales"])
    assert not any(results.values())
    assert sum(len(v) for v in _shopify_refunds(connected).values()) == before


async def test_requests_are_stored_with_tiktoks_deadlines(connected: Connected) -> None:
    await _run_days(connected, days=3)
    requests = _tiktok_requests(connected)
    assert requests
    returns = {r.id for r in requests if r.kind == "return"}
    cancels = {r.id for r in requests if r.kind == "cancel"}
    assert {row.return_id for row in TikTokReturnRow.select()} == returns
    assert {row.cancel_id for row in TikTokCancellationRow.select()} == cancels
    for request in requests:
        view = (return_view if request.kind == "return" else cancellation_view)(request.id)
        assert view is not None and view.status == request.status
        deadline = view.next_deadline
        assert (deadline is not None) == bool(request.action)
        if deadline is not None:
            assert int(deadline.timestamp()) == request.deadline
        if view.refund is not None:
            assert view.refund.total.amount == Decimal(request.refund_total).quantize(
                Decimal("0.01")
            )


def _calls(connected: Connected) -> AftersalesCalls:
    account = load_accounts()["tiktok"]
    session = tiktok_session(
        account, connected.token_store, connected.http, connected.options.clocks
    )
    return AftersalesCalls(TikTokShopApi(session))


async def test_cancellation_requests_are_approved_and_rejected_on_tiktok(
    connected: Connected,
) -> None:
    connected.sandbox.world.shopify.web_sales_per_minute = 0
    connected.sandbox.world.advance(30 * 60)
    connected.sandbox.world.tiktok.set_order_rate(0)
    for _ in range(8):  # buyers ask to cancel within twelve hours of paying
        pending = [
            r for r in _tiktok_requests(connected)
            if r.kind == "cancel" and r.status == "CANCELLATION_REQUEST_PENDING"
        ]  # fmt: skip
        if len(pending) >= 2:
            break
        connected.sandbox.world.advance(3600)
    assert len(pending) >= 2, "the world made too few cancellation requests"
    results = await connected.engine.run_until_caught_up(["aftersales"])
    assert not any(results.values()), results
    calls = _calls(connected)
    first, second = pending[0].id, pending[1].id
    second_view = decisions.request(Kind.CANCELLATION, second)
    reasons = [r.code for r in await calls.reject_reasons(second_view)]
    assert "seller_reject_apply_product_has_been_packed" in reasons

    assert "refunds the buyer" in consequence(
        decisions.request(Kind.CANCELLATION, first), approve=True
    )
    assert (await decide(calls, Decision(Kind.CANCELLATION, first, approve=True))).complete
    rejection = Decision(Kind.CANCELLATION, second, approve=False, reason=reasons[0])
    assert (await decide(calls, rejection)).complete
    assert (await decide(calls, rejection)).complete  # a retry is applied once

    by_id = {r.id: r for r in _tiktok_requests(connected)}
    assert by_id[first].status == "CANCELLATION_REQUEST_SUCCESS"
    assert by_id[second].status == "CANCELLATION_REQUEST_CANCEL"
    await connected.engine.run_until_caught_up(["aftersales"])
    stored = decisions.request(Kind.CANCELLATION, second)
    assert stored.status == "CANCELLATION_REQUEST_CANCEL" and not stored.awaiting_seller
