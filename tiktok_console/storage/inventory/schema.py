"""Migration 4: the inventory tables (see ``inventory_tables``). Frozen once landed."""

from __future__ import annotations

STATEMENTS: tuple[str, ...] = (
    """CREATE TABLE tiktok_sku_row (
        sku_id VARCHAR(64) NOT NULL PRIMARY KEY,
        product_id VARCHAR(64) NOT NULL,
        seller_sku VARCHAR(255) NOT NULL DEFAULT '',
        title VARCHAR(512) NOT NULL DEFAULT '',
        product_status VARCHAR(32) NOT NULL DEFAULT '',
        warehouses TEXT NOT NULL DEFAULT '{}',
        tiktok_quantity INTEGER NOT NULL DEFAULT 0,
        shopify_available INTEGER,
        target INTEGER,
        last_push_at TEXT,
        last_push_quantity INTEGER,
        last_explanation TEXT NOT NULL DEFAULT '',
        deactivated_by_us INTEGER NOT NULL DEFAULT 0,
        read_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    )""",
    "CREATE INDEX tiktok_sku_row_product ON tiktok_sku_row (product_id)",
    "CREATE INDEX tiktok_sku_row_seller_sku ON tiktok_sku_row (seller_sku)",
    """CREATE TABLE stock_rule_row (
        sku_id VARCHAR(64) NOT NULL PRIMARY KEY,
        buffer VARCHAR(16) NOT NULL DEFAULT '',
        cap INTEGER,
        frozen INTEGER NOT NULL DEFAULT 0,
        updated_at TEXT NOT NULL
    )""",
    """CREATE TABLE shopify_stock_row (
        inventory_item_id VARCHAR(128) NOT NULL PRIMARY KEY,
        variant_id VARCHAR(128) NOT NULL,
        locations TEXT NOT NULL DEFAULT '{}',
        store_updated_at TEXT,
        read_at TEXT NOT NULL
    )""",
    "CREATE INDEX shopify_stock_row_variant ON shopify_stock_row (variant_id)",
    """CREATE TABLE stock_ledger_row (
        id INTEGER NOT NULL PRIMARY KEY,
        at TEXT NOT NULL,
        sku_id VARCHAR(64) NOT NULL,
        product_id VARCHAR(64) NOT NULL DEFAULT '',
        shopify_variant_id VARCHAR(128) NOT NULL DEFAULT '',
        shopify_available INTEGER NOT NULL,
        buffer INTEGER NOT NULL DEFAULT 0,
        in_flight INTEGER NOT NULL DEFAULT 0,
        cap INTEGER,
        frozen INTEGER NOT NULL DEFAULT 0,
        previous INTEGER,
        quantity INTEGER NOT NULL,
        reason VARCHAR(32) NOT NULL,
        explanation TEXT NOT NULL DEFAULT '',
        status VARCHAR(16) NOT NULL DEFAULT 'pushed',
        error TEXT NOT NULL DEFAULT ''
    )""",
    "CREATE INDEX stock_ledger_row_at ON stock_ledger_row (at)",
    "CREATE INDEX stock_ledger_row_sku ON stock_ledger_row (sku_id)",
    """CREATE TABLE livestream_row (
        id INTEGER NOT NULL PRIMARY KEY,
        started_at TEXT NOT NULL,
        ends_at TEXT NOT NULL,
        ended_at TEXT,
        report TEXT NOT NULL DEFAULT ''
    )""",
)
