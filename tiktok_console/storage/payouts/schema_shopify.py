"""Migration 14: the Shopify side of payouts (``payouts.shopify_orders``). Frozen once landed."""

from __future__ import annotations

DESCRIPTION = "payouts: Shopify orders' subtotals and refunds, read back for reconciliation"

STATEMENTS: tuple[str, ...] = (
    # One row per TikTok order whose Shopify twin was read: what it sold for and
    # its refunds, with what the read saw of the order (lines, update) to know when
    # to read it again.
    """CREATE TABLE payout_shopify_order_row (
        tiktok_order_id VARCHAR(64) NOT NULL PRIMARY KEY,
        shopify_order_id VARCHAR(128) NOT NULL,
        name VARCHAR(64) NOT NULL DEFAULT '',
        currency VARCHAR(3) NOT NULL DEFAULT '',
        subtotal TEXT,
        refunds TEXT NOT NULL DEFAULT '[]',
        lines_seen INTEGER NOT NULL DEFAULT 0,
        order_updated TEXT NOT NULL DEFAULT '',
        gone INTEGER NOT NULL DEFAULT 0,
        payload TEXT NOT NULL DEFAULT '',
        read_at TEXT NOT NULL
    )""",
)
