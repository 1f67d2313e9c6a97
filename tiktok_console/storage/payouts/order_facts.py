"""What reconciliation needs of the orders tables: each TikTok order's JSON and its Shopify twin."""

from __future__ import annotations

from typing import NamedTuple

from tiktok_console.storage.database import db


class OrderFacts(NamedTuple):
    """A TikTok order as pulled, and the Shopify order made or found for it ("" when none)."""

    order_id: str
    payload: str
    shopify_order_name: str
    shopify_cancelled: bool
    reason: str = ""  # why the orders job has not made it in Shopify (its own words)


def order_facts() -> list[OrderFacts]:
    """Every TikTok order the console pulled, read raw (a year is tens of thousands)."""
    sql = (
        "SELECT order_id, payload, shopify_order_name, shopify_cancelled, reason "
        "FROM tiktok_order_row ORDER BY created_at, order_id"
    )
    return [
        OrderFacts(str(o), str(p), str(n or ""), bool(c), str(r or ""))
        for o, p, n, c, r in db.execute_sql(sql)
    ]


def orders_fingerprint() -> tuple[int, str]:
    """The orders' count and newest change: when it moves, reconciliation should run again."""
    count, newest = db.execute_sql(
        "SELECT COUNT(*), MAX(updated_at) FROM tiktok_order_row"
    ).fetchone()
    return int(count), str(newest or "")
