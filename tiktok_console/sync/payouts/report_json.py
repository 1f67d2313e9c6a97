"""The JSON ``payouts --json`` prints: statements, orders, adjustments and the two calendars
month by month (``months``), money as exact text."""

from __future__ import annotations

from typing import Any

from tiktok_console.domain.settlement_lines import LineKind
from tiktok_console.storage.payouts import finance
from tiktok_console.storage.payouts.lines import load_lines
from tiktok_console.storage.payouts.results import LOOSE, ORDER, results
from tiktok_console.sync.payouts.calendars import month_bridges, month_json


def payouts_json() -> dict[str, Any]:
    """Every statement, reconciled order and adjustment (from the last reconciliation).

    A line whose order id a spreadsheet rounded, and that no order matched, is
    listed with the orders (its id empty, its money unexplained).
    """
    statements = [
        {
            "statement_id": s.statement_id,
            "statement_time": s.statement_time.isoformat(),
            "currency": s.currency,
            "settlement_amount": str(s.settlement_amount),
            "payment_id": s.payment_id,
            "source": s.source,
        }
        for s in reversed(finance.statements())
    ]
    orders = [
        {
            "order_id": r.order_id,
            "shopify_order": r.shopify_order,
            "settled": str(r.settled),
            "expected": str(r.expected),
            "variance": str(r.variance),
            "status": r.status,
            "causes": [{"cause": c, "amount": str(a)} for c, a, _ in r.causes],
        }
        for r in results((ORDER, LOOSE))
        if not r.adjustment_id  # adjustments are listed on their own
    ]
    adjustments = [
        {
            "adjustment_id": line.adjustment_id,
            "type": line.type_label,
            "amount": str(line.settlement),
            "currency": line.currency,
            "statement_id": line.statement_id,
            "order_id": line.order_id,
        }
        for line in load_lines().lines
        if line.kind is LineKind.ADJUSTMENT
    ]
    months = [month_json(b) for b in month_bridges()]
    return {
        "statements": statements, "orders": orders, "adjustments": adjustments, "months": months,
    }  # fmt: skip
