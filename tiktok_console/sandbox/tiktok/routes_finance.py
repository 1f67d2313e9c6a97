"""Finance endpoints: statements, payments, statement transactions (by statement, by order)."""

from __future__ import annotations

from typing import Any

from tiktok_console.sandbox.tiktok import finance_wire
from tiktok_console.sandbox.tiktok.errors import ApiError
from tiktok_console.sandbox.tiktok.finance import Statement
from tiktok_console.sandbox.tiktok.routing import Call, Endpoint
from tiktok_console.sandbox.tiktok.wire import fingerprint, page


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
    return {"payments": [finance_wire.payment(s) for s in items], "next_page_token": token}


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


ENDPOINTS = [
    Endpoint("GET", "finance", ("202309",), "statements", statements),
    Endpoint("GET", "finance", ("202309",), "payments", payments),
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
