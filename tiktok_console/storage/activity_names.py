"""Names for the Shopify ids the activity log mentions, so the log reads in the merchant's words.

Jobs log what they touched by id (``gid://shopify/Order/5001``); the Activity
page shows the name the merchant knows instead (``#1042``), read here in one
query per kind of id.
"""

from __future__ import annotations

from collections.abc import Iterable

from tiktok_console.storage.fulfillment.tables import ShopifyFulfillmentRow
from tiktok_console.storage.tables import ShopifyVariantRow, TikTokOrderRow

_CHUNK = 500  # SQLite's limit on bound values, with room


def gid_names(gids: Iterable[str]) -> dict[str, str]:
    """What to call each known id: "Shopify order #1042", the variant's title, "the shipment
    of TikTok order 5770…". Unknown ids are left out."""
    wanted = sorted(set(gids))
    orders = [g for g in wanted if "/Order/" in g]
    variants = [g for g in wanted if "/ProductVariant/" in g]
    shipments = [g for g in wanted if "/Fulfillment/" in g]
    names: dict[str, str] = {}
    for chunk in _chunks(orders):
        query = TikTokOrderRow.select(
            TikTokOrderRow.shopify_order_id, TikTokOrderRow.shopify_order_name
        ).where(TikTokOrderRow.shopify_order_id.in_(chunk))
        names.update(
            (row.shopify_order_id, f"Shopify order {row.shopify_order_name}")
            for row in query
            if row.shopify_order_name
        )
    for chunk in _chunks(variants):
        variant_rows = ShopifyVariantRow.select(
            ShopifyVariantRow.variant_id, ShopifyVariantRow.title, ShopifyVariantRow.sku
        ).where(ShopifyVariantRow.variant_id.in_(chunk))
        names.update(
            (row.variant_id, row.title or row.sku) for row in variant_rows if row.title or row.sku
        )
    for chunk in _chunks(shipments):
        shipment_rows = ShopifyFulfillmentRow.select(
            ShopifyFulfillmentRow.fulfillment_id, ShopifyFulfillmentRow.tiktok_order_id
        ).where(ShopifyFulfillmentRow.fulfillment_id.in_(chunk))
        names.update(
            (row.fulfillment_id, f"the shipment of TikTok order {row.tiktok_order_id}")
            for row in shipment_rows
        )
    return names


def _chunks(items: list[str]) -> Iterable[list[str]]:
    for start in range(0, len(items), _CHUNK):
        yield items[start : start + _CHUNK]
