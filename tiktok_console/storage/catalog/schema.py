"""Migration 9: the catalog tables (see ``catalog.tables``). Frozen once landed."""

from __future__ import annotations

DESCRIPTION = "catalog: Shopify products on the TikTok channel, their listings, images uploaded"

STATEMENTS: tuple[str, ...] = (
    """CREATE TABLE catalog_product_row (
        shopify_product_id VARCHAR(128) NOT NULL PRIMARY KEY,
        title TEXT NOT NULL DEFAULT '',
        shopify_status VARCHAR(16) NOT NULL DEFAULT '',
        shopify_updated_at TEXT NOT NULL DEFAULT '',
        payload TEXT NOT NULL DEFAULT '{}',
        dirty INTEGER NOT NULL DEFAULT 1,
        excluded INTEGER NOT NULL DEFAULT 0,
        priority INTEGER NOT NULL DEFAULT 0,
        overrides TEXT NOT NULL DEFAULT '{}',
        category_id VARCHAR(32) NOT NULL DEFAULT '',
        tiktok_product_id VARCHAR(64) NOT NULL DEFAULT '',
        sku_ids TEXT NOT NULL DEFAULT '{}',
        last_body TEXT NOT NULL DEFAULT '',
        state VARCHAR(16) NOT NULL DEFAULT 'new',
        tiktok_status VARCHAR(32) NOT NULL DEFAULT '',
        problems TEXT NOT NULL DEFAULT '[]',
        audit_reasons TEXT NOT NULL DEFAULT '[]',
        notice TEXT NOT NULL DEFAULT '',
        held_edit INTEGER NOT NULL DEFAULT 0,
        shopify_fixes TEXT NOT NULL DEFAULT '[]',
        queued_until TEXT,
        updated_at TEXT NOT NULL
    )""",
    "CREATE INDEX catalog_product_row_state ON catalog_product_row (state)",
    "CREATE INDEX catalog_product_row_dirty ON catalog_product_row (dirty)",
    """CREATE TABLE catalog_image_row (
        source VARCHAR(512) NOT NULL PRIMARY KEY,
        content_hash VARCHAR(64) NOT NULL,
        use_case VARCHAR(32) NOT NULL,
        uri TEXT NOT NULL,
        url TEXT NOT NULL DEFAULT '',
        width INTEGER NOT NULL DEFAULT 0,
        height INTEGER NOT NULL DEFAULT 0
    )""",
    "CREATE INDEX catalog_image_row_hash ON catalog_image_row (content_hash, use_case)",
)
