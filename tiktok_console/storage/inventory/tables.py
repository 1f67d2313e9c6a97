"""Inventory tables: TikTok SKUs with their stock, per-SKU rules, Shopify stock, the stock ledger.

Their schema is created by ``schema_inventory`` (migration 4), never here.
"""

from __future__ import annotations

import peewee

from tiktok_console.storage.fields import UtcDateTimeField
from tiktok_console.storage.tables import BaseRow


class TikTokSkuRow(BaseRow):
    """A TikTok SKU as last read, and where its stock stands.

    ``warehouses`` is JSON ``{warehouse_id: quantity}`` as TikTok holds it: every
    push lists all of them. ``shopify_available`` and ``target`` are the inputs
    and result of the last computation, kept here so the Inventory page reads
    one row per SKU.
    """

    sku_id = peewee.CharField(max_length=64, primary_key=True)
    product_id = peewee.CharField(max_length=64, index=True)
    seller_sku = peewee.CharField(max_length=255, default="", index=True)
    title = peewee.CharField(max_length=512, default="")
    product_status = peewee.CharField(max_length=32, default="")
    warehouses = peewee.TextField(default="{}")
    tiktok_quantity = peewee.IntegerField(default=0)
    shopify_available = peewee.IntegerField(null=True)  # at the mapped locations, as read
    target = peewee.IntegerField(null=True)  # what TikTok should show, last computed
    last_push_at = UtcDateTimeField(null=True)
    last_push_quantity = peewee.IntegerField(null=True)
    last_explanation = peewee.TextField(default="")
    deactivated_by_us = peewee.BooleanField(default=False)
    barcode = peewee.CharField(max_length=64, null=True)  # NULL: not read yet; "": none
    read_at = UtcDateTimeField()
    updated_at = UtcDateTimeField()

    class Meta:
        table_name = "tiktok_sku_row"


class StockRuleRow(BaseRow):
    """The merchant's per-SKU overrides: a buffer, a livestream cap, a freeze."""

    sku_id = peewee.CharField(max_length=64, primary_key=True)
    buffer = peewee.CharField(max_length=16, default="")  # "" global; "3" units; "10%"
    cap = peewee.IntegerField(null=True)  # the most TikTok shows during a livestream
    frozen = peewee.BooleanField(default=False)  # TikTok shows 0 until unfrozen
    updated_at = UtcDateTimeField()

    class Meta:
        table_name = "stock_rule_row"


class ShopifyStockRow(BaseRow):
    """A Shopify inventory item's available units per location, as last read."""

    inventory_item_id = peewee.CharField(max_length=128, primary_key=True)
    variant_id = peewee.CharField(max_length=128, index=True)
    locations = peewee.TextField(default="{}")  # JSON {location_id: available}
    store_updated_at = UtcDateTimeField(null=True)  # the store's own updatedAt
    read_at = UtcDateTimeField()

    class Meta:
        table_name = "shopify_stock_row"


class StockLedgerRow(BaseRow):
    """Every quantity pushed to TikTok, with its inputs and reason ("why is TikTok at 3?")."""

    at = UtcDateTimeField(index=True)
    sku_id = peewee.CharField(max_length=64, index=True)
    product_id = peewee.CharField(max_length=64, default="")
    shopify_variant_id = peewee.CharField(max_length=128, default="")
    shopify_available = peewee.IntegerField()
    buffer = peewee.IntegerField(default=0)
    in_flight = peewee.IntegerField(default=0)
    cap = peewee.IntegerField(null=True)
    frozen = peewee.BooleanField(default=False)
    previous = peewee.IntegerField(null=True)  # TikTok's quantity before the push
    quantity = peewee.IntegerField()
    reason = peewee.CharField(max_length=32)  # change | reconcile | livestream | freeze | ...
    explanation = peewee.TextField(default="")
    status = peewee.CharField(max_length=16, default="pushed")  # pushed | failed
    error = peewee.TextField(default="")

    class Meta:
        table_name = "stock_ledger_row"


class LivestreamRow(BaseRow):
    """One livestream: when it ran and, once over, its report (JSON)."""

    started_at = UtcDateTimeField()
    ends_at = UtcDateTimeField()
    ended_at = UtcDateTimeField(null=True)
    report = peewee.TextField(default="")

    class Meta:
        table_name = "livestream_row"


class ShopifyLocationRow(BaseRow):
    """A Shopify location as last read: its name for every page that shows one.

    Stock is kept per location id; the merchant knows locations by name, so each
    read of Shopify's locations keeps id, name and whether it sells online here
    (schema: migration 11, ``schema_names``).
    """

    location_id = peewee.CharField(max_length=128, primary_key=True)
    name = peewee.CharField(max_length=255, default="")
    is_active = peewee.BooleanField(default=True)
    fulfills_online_orders = peewee.BooleanField(default=True)
    read_at = UtcDateTimeField()

    class Meta:
        table_name = "shopify_location_row"
