"""Migration 11: the names pages show: Shopify locations, and each variant's own name.

Frozen once landed. ``shopify_location_row`` keeps each location's name (stock
was kept by id only); ``shopify_variant_row.variant_name`` keeps the variant's
own name (``M / Blush``) beside the product-and-variant title, NULL until the
variant is read again, "" for a product's only variant.
"""

from __future__ import annotations

DESCRIPTION = "Shopify location names and variant names, so pages name what they show"

STATEMENTS: tuple[str, ...] = (
    """CREATE TABLE shopify_location_row (
        location_id VARCHAR(128) NOT NULL PRIMARY KEY,
        name VARCHAR(255) NOT NULL DEFAULT '',
        is_active INTEGER NOT NULL DEFAULT 1,
        fulfills_online_orders INTEGER NOT NULL DEFAULT 1,
        read_at TEXT NOT NULL
    )""",
    "ALTER TABLE shopify_variant_row ADD COLUMN variant_name VARCHAR(255)",
)
