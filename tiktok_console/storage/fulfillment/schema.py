"""Migration 5: the fulfillment tables (see ``fulfillment_tables``). Frozen once landed."""

from __future__ import annotations

STATEMENTS: tuple[str, ...] = (
    """CREATE TABLE shopify_fulfillment_row (
        fulfillment_id VARCHAR(128) NOT NULL PRIMARY KEY,
        shopify_order_id VARCHAR(128) NOT NULL,
        tiktok_order_id VARCHAR(64) NOT NULL,
        delivery_option_id VARCHAR(64) NOT NULL DEFAULT '',
        carrier VARCHAR(255) NOT NULL DEFAULT '',
        tracking_number VARCHAR(255) NOT NULL DEFAULT '',
        tracking_url VARCHAR(1024) NOT NULL DEFAULT '',
        line_item_ids TEXT NOT NULL DEFAULT '[]',
        shopify_created_at TEXT NOT NULL,
        state VARCHAR(16) NOT NULL DEFAULT 'pending',
        reason TEXT NOT NULL DEFAULT '',
        error_code VARCHAR(32) NOT NULL DEFAULT '',
        provider_id VARCHAR(64) NOT NULL DEFAULT '',
        package_id VARCHAR(64) NOT NULL DEFAULT '',
        pushed_tracking VARCHAR(255) NOT NULL DEFAULT '',
        pushed_at TEXT,
        attempts INTEGER NOT NULL DEFAULT 0,
        updated_at TEXT NOT NULL
    )""",
    "CREATE INDEX shopify_fulfillment_row_order ON shopify_fulfillment_row (tiktok_order_id)",
    "CREATE INDEX shopify_fulfillment_row_carrier ON shopify_fulfillment_row (carrier)",
    "CREATE INDEX shopify_fulfillment_row_state ON shopify_fulfillment_row (state)",
    """CREATE TABLE carrier_mapping_row (
        id INTEGER NOT NULL PRIMARY KEY,
        carrier VARCHAR(255) NOT NULL,
        delivery_option_id VARCHAR(64) NOT NULL DEFAULT '',
        provider_id VARCHAR(64) NOT NULL,
        provider_name VARCHAR(255) NOT NULL DEFAULT '',
        source VARCHAR(16) NOT NULL DEFAULT 'manual',
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    )""",
    """CREATE UNIQUE INDEX carrier_mapping_row_carrier_option
        ON carrier_mapping_row (carrier, delivery_option_id)""",
    """CREATE TABLE shipping_provider_row (
        id INTEGER NOT NULL PRIMARY KEY,
        delivery_option_id VARCHAR(64) NOT NULL,
        delivery_option_name VARCHAR(255) NOT NULL DEFAULT '',
        provider_id VARCHAR(64) NOT NULL,
        provider_name VARCHAR(255) NOT NULL,
        fetched_at TEXT NOT NULL
    )""",
    """CREATE UNIQUE INDEX shipping_provider_row_option_provider
        ON shipping_provider_row (delivery_option_id, provider_id)""",
)
