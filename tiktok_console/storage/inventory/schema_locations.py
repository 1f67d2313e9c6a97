"""Migration 11: Shopify location names (``ShopifyLocationRow``). Frozen once landed."""

from __future__ import annotations

DESCRIPTION = "Shopify location names, so pages name a location instead of numbering it"

STATEMENTS: tuple[str, ...] = (
    """CREATE TABLE shopify_location_row (
        location_id VARCHAR(128) NOT NULL PRIMARY KEY,
        name VARCHAR(255) NOT NULL DEFAULT '',
        is_active INTEGER NOT NULL DEFAULT 1,
        fulfills_online_orders INTEGER NOT NULL DEFAULT 1,
        read_at TEXT NOT NULL
    )""",
)
