"""Migration 6: TikTok SKU barcodes, a send-as-is flag on fulfillments. Frozen once landed.

``tiktok_sku_row.barcode`` is the SKU's identifier code (GTIN/UPC/EAN) as TikTok
has it: NULL while not read yet, "" when the listing has none. The Orphan
orders page suggests the Shopify variant with the same barcode first.
"""

from __future__ import annotations

STATEMENTS: tuple[str, ...] = (
    "ALTER TABLE tiktok_sku_row ADD COLUMN barcode VARCHAR(64)",
    "ALTER TABLE shopify_fulfillment_row ADD COLUMN send_as_is INTEGER NOT NULL DEFAULT 0",
)
