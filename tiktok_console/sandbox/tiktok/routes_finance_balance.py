"""Finance endpoints on the seller's balance: withdrawals and unsettled transactions.

Withdrawals (202309): each closed statement settles to the balance (SETTLE,
at its statement time) and its payout leaves it (WITHDRAW, once paid).
Unsettled transactions (202507): what has settled but is not in a statement
yet, with TikTok's estimate, oldest order first.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from tiktok_console.sandbox.tiktok.errors import ApiError
from tiktok_console.sandbox.tiktok.finance import Statement
from tiktok_console.sandbox.tiktok.routing import Call, Endpoint
from tiktok_console.sandbox.tiktok.wire import fingerprint, money, page

_TYPES = frozenset({"WITHDRAW", "SETTLE", "TRANSFER", "REVERSE"})


def withdrawals(call: Call) -> dict[str, Any]:
    """Get Withdrawals (``types`` is required)."""
    raw = call.query.get("types") or ""
    cleaned = raw.replace("[", "").replace("]", "").replace('"', "")
    types = {t.strip().upper() for t in cleaned.split(",") if t.strip()}
    if not types or not types <= _TYPES:
        raise ApiError(36009004, "types is required: WITHDRAW, SETTLE, TRANSFER or REVERSE.")
    low = call.int_filter("create_time_ge", call.query)
    high = call.int_filter("create_time_lt", call.query)
    entries = []
    for s in call.shop.ledger.statements:
        entries.append(_entry(s, "SETTLE", s.statement_time, s.total("settlement")))
        if s.payment_status == "PAID":
            entries.append(_entry(s, "WITHDRAW", s.paid_time, -(s.total("settlement") + s.reserve)))
    found = [
        e for e in entries
        if e["type"] in types and (low is None or e["create_time"] >= low)
        and (high is None or e["create_time"] < high)
    ]  # fmt: skip
    found.sort(key=lambda e: (e["create_time"], e["id"]))
    size = call.page_size(default=20, low=1, high=100)
    items, token = page(found, size, call.query.get("page_token"), fingerprint(raw, low, high))
    return {"withdrawals": items, "next_page_token": token, "total_count": len(found)}


def _entry(s: Statement, kind: str, when: int, amount: Any) -> dict[str, Any]:
    suffix = "1" if kind == "SETTLE" else "2"
    return {
        "id": f"{s.id[:-1]}{suffix}", "type": kind, "amount": money(amount),
        "currency": s.currency, "status": "SUCCESS", "create_time": when,
    }  # fmt: skip


def unsettled(call: Call) -> dict[str, Any]:
    """Get Unsettled Transactions (``sort_field=order_create_time`` is required)."""
    if call.query.get("sort_field") != "order_create_time":
        raise ApiError(36009004, "sort_field is required and must be order_create_time.")
    pending = sorted(call.shop.ledger.pending, key=lambda t: (t.order_create_time, t.id))
    size = call.page_size(default=20, low=1, high=100)
    items, token = page(pending, size, call.query.get("page_token"), fingerprint("unsettled"))
    total = sum((t.settlement for t in pending), Decimal(0))
    return {
        "transactions": [
            {
                "type": t.type, "id": t.id, "status": "UNSETTLED", "currency": t.currency,
                "estimated_settlement": "in the next daily statement",
                "unsettled_reason": "awaiting the daily statement",
                "order_create_time": t.order_create_time, "order_id": t.order_id,
                "adjustment_id": t.adjustment_id,
                "est_settlement_amount": money(t.settlement),
                "est_revenue_amount": money(t.revenue),
                "est_adjustment_amount": money(t.adjustment),
            }
            for t in items
        ],
        "next_page_token": token,
        "total_count": len(pending),
        "sum_est_settlement_amount": money(total),
    }  # fmt: skip


ENDPOINTS = [
    Endpoint("GET", "finance", ("202309",), "withdrawals", withdrawals),
    Endpoint("GET", "finance", ("202507",), "orders/unsettled", unsettled),
]
