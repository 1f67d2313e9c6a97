"""The Shopify twins of settled TikTok orders, as read back for reconciliation.

Reconciliation compares what Shopify says (the order's subtotal, its refunds)
with what TikTok settled, so the payouts job reads each Shopify order once its
TikTok order has settlement lines, and again when something may have changed:
a new line (a refund settled), a change of the TikTok order, another Shopify
order made for it, or, for an order whose refund was missing in Shopify, after
a while (the after-sales job may have mirrored it since).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from tiktok_console.domain.reconciliation_inputs import ShopifyRefund
from tiktok_console.storage.database import db


@dataclass(frozen=True)
class ToRead:
    """A Shopify order to read, and what its TikTok order looked like when chosen."""

    tiktok_order_id: str
    shopify_order_id: str
    lines: int
    order_updated: str


@dataclass(frozen=True)
class ShopifyMoney:
    """What Shopify says of one order (``gone``: Shopify no longer has it)."""

    tiktok_order_id: str
    name: str
    currency: str
    subtotal: Decimal | None
    refunds: tuple[ShopifyRefund, ...]
    gone: bool = False


_TO_READ = """
SELECT o.order_id, o.shopify_order_id, l.n, o.updated_at
FROM tiktok_order_row o
JOIN (SELECT order_id, COUNT(*) AS n FROM payout_line_row WHERE order_id != ''
      GROUP BY order_id) l ON l.order_id = o.order_id
LEFT JOIN payout_shopify_order_row s ON s.tiktok_order_id = o.order_id
WHERE o.shopify_order_id != ''
  AND (s.tiktok_order_id IS NULL OR s.lines_seen != l.n OR s.order_updated != o.updated_at
       OR s.shopify_order_id != o.shopify_order_id
       OR (s.read_at < ? AND EXISTS (
           SELECT 1 FROM payout_result_row r WHERE r.kind = 'order' AND r.order_id = o.order_id
           AND r.causes LIKE '%shopify_refund_missing%')))
ORDER BY s.read_at IS NOT NULL, s.read_at, o.created_at, o.order_id
LIMIT ?
"""


def orders_to_read(limit: int, recheck_before: datetime) -> list[ToRead]:
    """Up to ``limit`` Shopify orders to read, never-read ones first.

    ``recheck_before``: an order whose Shopify refund was missing is read again
    when its last read is older than this.
    """
    rows = db.execute_sql(_TO_READ, (recheck_before.isoformat(), limit)).fetchall()
    return [ToRead(str(t), str(s), int(n), str(u or "")) for t, s, n, u in rows]


def store_read(chosen: ToRead, money: ShopifyMoney | None, payload: str, read_at: datetime) -> None:
    """Keeps one read (``money`` None: Shopify has no such order any more)."""
    refunds = [] if money is None else [_refund_json(r) for r in money.refunds]
    subtotal = None if money is None or money.subtotal is None else str(money.subtotal)
    db.execute_sql(
        "INSERT OR REPLACE INTO payout_shopify_order_row (tiktok_order_id, shopify_order_id, "
        "name, currency, subtotal, refunds, lines_seen, order_updated, gone, payload, read_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            chosen.tiktok_order_id, chosen.shopify_order_id, money.name if money else "",
            money.currency if money else "", subtotal, json.dumps(refunds), chosen.lines,
            chosen.order_updated, int(money is None), payload, read_at.isoformat(),
        ),
    )  # fmt: skip


def shopify_money() -> dict[str, ShopifyMoney]:
    """Every Shopify order read so far, by TikTok order id."""
    found: dict[str, ShopifyMoney] = {}
    sql = (
        "SELECT tiktok_order_id, name, currency, subtotal, refunds, gone "
        "FROM payout_shopify_order_row"
    )
    for order_id, name, currency, subtotal, refunds, gone in db.execute_sql(sql):
        found[str(order_id)] = ShopifyMoney(
            str(order_id), str(name), str(currency),
            None if subtotal is None else Decimal(str(subtotal)),
            tuple(_refund(r) for r in json.loads(refunds)), bool(gone),
        )  # fmt: skip
    return found


def _refund_json(refund: ShopifyRefund) -> dict[str, object]:
    return {
        "amount": str(refund.amount),
        "created_at": refund.created_at.isoformat(),
        "units": dict(refund.units),
    }


def _refund(data: Mapping[str, object]) -> ShopifyRefund:
    units = data.get("units") or {}
    assert isinstance(units, Mapping)
    return ShopifyRefund(
        Decimal(str(data["amount"])),
        datetime.fromisoformat(str(data["created_at"])),
        {str(k): int(str(v)) for k, v in units.items()},
    )


def read_count(ids: Sequence[str] = ()) -> int:
    """How many Shopify orders were read (of ``ids``, when given)."""
    if not ids:
        return int(db.execute_sql("SELECT COUNT(*) FROM payout_shopify_order_row").fetchone()[0])
    marks = ", ".join("?" * len(ids))
    sql = f"SELECT COUNT(*) FROM payout_shopify_order_row WHERE tiktok_order_id IN ({marks})"  # noqa: S608
    return int(db.execute_sql(sql, tuple(ids)).fetchone()[0])
