"""Finance endpoints: statements, payments, withdrawals, transactions, unsettled orders.

Get Payments is served in 202309 and its current 202605 (no ``reserve_amount``);
Get Unsettled Transactions (202507) lists paid orders not settled yet, with
what they are expected to settle for.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from tiktok_console.sandbox.tiktok import finance_wire
from tiktok_console.sandbox.tiktok.errors import ApiError
from tiktok_console.sandbox.tiktok.finance import Statement, order_parts
from tiktok_console.sandbox.tiktok.orders import Order
from tiktok_console.sandbox.tiktok.routing import Call, Endpoint
from tiktok_console.sandbox.tiktok.wire import fingerprint, money, page


def statements(call: Call) -> dict[str, Any]:
    """Get Statements (``sort_field=statement_time`` is required)."""
    found = _sorted(call, "statement_time", "statement_time")
    status = call.query.get("payment_status")
    if status:
        found = [s for s in found if s.payment_status == status]
    items, token = _page(call, found, "st")
    return {"statements": [finance_wire.statement(s) for s in items], "next_page_token": token}


def payments(call: Call) -> dict[str, Any]:
    """Get Payments (``sort_field=create_time`` is required)."""
    found = _sorted(call, "create_time", "create_time")
    items, token = _page(call, found, "pay")
    with_reserve = call.version != PAYMENTS_CURRENT
    return {
        "payments": [finance_wire.payment(s, with_reserve=with_reserve) for s in items],
        "next_page_token": token,
    }


def withdrawals(call: Call) -> dict[str, Any]:
    """Get Withdrawals: the payouts settled to the seller (``types`` is required)."""
    types = {t for t in (call.query.get("types") or "").split(",") if t}
    if not types:
        raise ApiError(36009004, "types is required.")
    low = call.int_filter("create_time_ge", call.query)
    high = call.int_filter("create_time_lt", call.query)
    found = [
        s
        for s in call.shop.ledger.statements
        if "SETTLE" in types
        and (low is None or s.statement_time >= low)
        and (high is None or s.statement_time < high)
    ]
    found.sort(key=lambda s: (s.statement_time, s.id), reverse=True)
    items, token = _page(call, found, "wd")
    return {
        "withdrawals": [finance_wire.withdrawal(s) for s in items],
        "next_page_token": token,
        "total_count": len(found),
    }


def unsettled(call: Call) -> dict[str, Any]:
    """Get Unsettled Transactions (202507): paid orders that have not settled yet."""
    if call.query.get("sort_field") != "order_create_time":
        raise ApiError(36009004, "sort_field is required and must be order_create_time.")
    low = call.int_filter("search_time_ge", call.query)
    high = call.int_filter("search_time_lt", call.query)
    shop = call.shop
    orders = [
        o
        for o in shop.book.orders.values()
        if o.status in _UNSETTLED_STATUSES
        and o.id not in shop.ledger.settled_orders
        and (low is None or o.create_time >= low)
        and (high is None or o.create_time < high)
    ]
    descending = (call.query.get("sort_order") or "ASC").upper() == "DESC"
    orders.sort(key=lambda o: (o.create_time, o.id), reverse=descending)
    size = call.page_size(default=20, low=1, high=100)
    filters = fingerprint(low, high, descending, "unsettled")
    items, token = page(orders, size, call.query.get("page_token"), filters)
    entries = [_unsettled_entry(call, o) for o in orders]  # the sums cover every page
    on_page = {id(o) for o in items}
    sums = {
        name: money(sum((Decimal(e[name]) for e in entries), Decimal(0)))
        for name in (
            "est_settlement_amount",
            "est_revenue_amount",
            "est_adjustment_amount",
            "est_fee_tax_amount",
        )
    }
    entries = [e for o, e in zip(orders, entries, strict=True) if id(o) in on_page]
    return {
        "transactions": entries,
        "next_page_token": token,
        "total_count": len(orders),
        "sum_est_settlement_amount": sums["est_settlement_amount"],
        "sum_est_revenue_amount": sums["est_revenue_amount"],
        "sum_est_adjustment_amount": sums["est_adjustment_amount"],
        "sum_est_fee_amount": sums["est_fee_tax_amount"],
    }


def statement_transactions(call: Call) -> dict[str, Any]:
    """Get Transactions by Statement (202501 shape)."""
    if call.query.get("sort_field") != "order_create_time":
        raise ApiError(36009004, "sort_field is required and must be order_create_time.")
    statement_id = call.path_params["statement_id"]
    statement = next((s for s in call.shop.ledger.statements if s.id == statement_id), None)
    if statement is None:
        raise ApiError(36009004, "The statement_id is invalid.")
    descending = (call.query.get("sort_order") or "ASC").upper() == "DESC"
    txs = sorted(
        statement.transactions, key=lambda t: (t.order_create_time, t.id), reverse=descending
    )
    size = call.page_size(default=20, low=1, high=100)
    items, token = page(
        txs, size, call.query.get("page_token"), fingerprint(statement_id, descending)
    )
    data = finance_wire.statement_header(statement, len(txs))
    data.update(
        {"transactions": [finance_wire.transaction(t) for t in items], "next_page_token": token}
    )
    return data


def order_transactions(call: Call) -> dict[str, Any]:
    """Get Transactions by Order (202501 shape)."""
    order = call.shop.book.get(call.path_params["order_id"])
    settled = [t for t in call.shop.ledger.by_order.get(order.id, []) if t.statement_id]
    return finance_wire.order_transactions(order.id, order.create_time, call.shop.currency, settled)


def _unsettled_entry(call: Call, order: Order) -> dict[str, Any]:
    shop = call.shop
    return finance_wire.unsettled(
        order.id,
        order.create_time,
        order.delivery_time,
        shop.ledger.settle_days,
        shop.currency,
        finance_wire.merged(order_parts(order)),
    )


def _sorted(call: Call, required: str, time_name: str) -> list[Statement]:
    if call.query.get("sort_field") != required:
        raise ApiError(36009004, f"sort_field is required and must be {required}.")
    low = call.int_filter(f"{time_name}_ge", call.query)
    high = call.int_filter(f"{time_name}_lt", call.query)
    found = [
        s
        for s in call.shop.ledger.statements
        if (low is None or s.statement_time >= low) and (high is None or s.statement_time < high)
    ]
    descending = (call.query.get("sort_order") or "ASC").upper() == "DESC"
    return sorted(found, key=lambda s: (s.statement_time, s.id), reverse=descending)


def _page(call: Call, found: list[Statement], tag: str) -> tuple[list[Statement], str]:
    size = call.page_size(default=20, low=1, high=100)
    filters = {
        k: v
        for k, v in call.query.items()
        if k not in ("page_token", "sign", "timestamp", "page_size")
    }
    return page(found, size, call.query.get("page_token"), fingerprint(filters, tag))


PAYMENTS_CURRENT = "202605"
_UNSETTLED_STATUSES = (
    "AWAITING_SHIPMENT",
    "PARTIALLY_SHIPPING",
    "AWAITING_COLLECTION",
    "IN_TRANSIT",
    "DELIVERED",
    "COMPLETED",
)

ENDPOINTS = [
    Endpoint("GET", "finance", ("202309",), "statements", statements),
    Endpoint("GET", "finance", ("202309", PAYMENTS_CURRENT), "payments", payments),
    Endpoint("GET", "finance", ("202309",), "withdrawals", withdrawals),
    Endpoint("GET", "finance", ("202507",), "orders/unsettled", unsettled),
    Endpoint(
        "GET",
        "finance",
        ("202501",),
        "statements/{statement_id}/statement_transactions",
        statement_transactions,
    ),
    Endpoint(
        "GET",
        "finance",
        ("202501",),
        "orders/{order_id}/statement_transactions",
        order_transactions,
    ),
]
