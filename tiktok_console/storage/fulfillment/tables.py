"""Fulfillment tables: Shopify shipments on TikTok orders, carrier mappings, TikTok's providers.

Their schema is created by ``schema_fulfillment`` (migration 5), never here.
"""

from __future__ import annotations

import peewee

from tiktok_console.storage.fields import UtcDateTimeField
from tiktok_console.storage.tables import BaseRow


class ShopifyFulfillmentRow(BaseRow):
    """A Shopify fulfillment on an order we created from TikTok, and its push to TikTok.

    ``state``: pending (not pushed yet), blocked (its carrier is not mapped for the
    order's delivery option), held (the tracking number does not fit the mapped
    provider and the setting says hold), pushed (TikTok accepted it), failed
    (TikTok refused it; ``reason`` holds TikTok's message). ``line_item_ids`` is
    JSON: the TikTok order line item ids this shipment covers.
    """

    fulfillment_id = peewee.CharField(max_length=128, primary_key=True)
    shopify_order_id = peewee.CharField(max_length=128)
    tiktok_order_id = peewee.CharField(max_length=64, index=True)
    delivery_option_id = peewee.CharField(max_length=64, default="")
    carrier = peewee.CharField(max_length=255, default="", index=True)  # as Shopify has it
    tracking_number = peewee.CharField(max_length=255, default="")
    tracking_url = peewee.CharField(max_length=1024, default="")
    line_item_ids = peewee.TextField(default="[]")
    shopify_created_at = UtcDateTimeField()
    state = peewee.CharField(max_length=16, default="pending", index=True)
    reason = peewee.TextField(default="")
    error_code = peewee.CharField(max_length=32, default="")
    provider_id = peewee.CharField(max_length=64, default="")  # the provider pushed
    package_id = peewee.CharField(max_length=64, default="")
    pushed_tracking = peewee.CharField(max_length=255, default="")  # what TikTok has
    pushed_at = UtcDateTimeField(null=True)
    attempts = peewee.IntegerField(default=0)
    send_as_is = peewee.BooleanField(default=False)  # migration 6; not used yet
    updated_at = UtcDateTimeField()

    class Meta:
        table_name = "shopify_fulfillment_row"


class CarrierMappingRow(BaseRow):
    """A Shopify carrier name -> a TikTok shipping provider, for one delivery option or all."""

    carrier = peewee.CharField(max_length=255)
    delivery_option_id = peewee.CharField(max_length=64, default="")  # "" = every option
    provider_id = peewee.CharField(max_length=64)
    provider_name = peewee.CharField(max_length=255, default="")
    source = peewee.CharField(max_length=16, default="manual")  # manual | suggested | bulk
    created_at = UtcDateTimeField()
    updated_at = UtcDateTimeField()

    class Meta:
        table_name = "carrier_mapping_row"
        indexes = ((("carrier", "delivery_option_id"), True),)


class ShippingProviderRow(BaseRow):
    """TikTok's shipping providers for a delivery option, cached from the logistics API."""

    delivery_option_id = peewee.CharField(max_length=64)
    delivery_option_name = peewee.CharField(max_length=255, default="")
    provider_id = peewee.CharField(max_length=64)
    provider_name = peewee.CharField(max_length=255)
    fetched_at = UtcDateTimeField()

    class Meta:
        table_name = "shipping_provider_row"
        indexes = ((("delivery_option_id", "provider_id"), True),)
