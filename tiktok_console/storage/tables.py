"""The peewee tables (``*Row``). Their schema is created by migrations, never here."""

from __future__ import annotations

import peewee

from tiktok_console.storage.database import db
from tiktok_console.storage.fields import DecimalTextField, UtcDateTimeField


class BaseRow(peewee.Model):
    """All tables bind to the one database proxy."""

    class Meta:
        database = db
        legacy_table_names = False


class ActivityRow(BaseRow):
    """One thing the console did or failed to do, for the Activity log."""

    at = UtcDateTimeField(index=True)
    level = peewee.CharField(max_length=16)  # info | warning | error
    job = peewee.CharField(max_length=64, index=True)
    action = peewee.CharField(max_length=64)
    subject = peewee.CharField(max_length=255, default="")
    message = peewee.TextField()
    detail = peewee.TextField(default="")
    retryable = peewee.BooleanField(default=False)
    repeats = peewee.IntegerField(default=1)  # the same entry again: counted, not repeated
    first_at = UtcDateTimeField(null=True)  # when the first of the repeats happened


class JobStateRow(BaseRow):
    """A sync job's cursor and switches, written with the data the cursor describes."""

    name = peewee.CharField(max_length=64, primary_key=True)
    cursor = peewee.TextField(default="")
    paused = peewee.BooleanField(default=False)
    last_success_at = UtcDateTimeField(null=True)
    last_error = peewee.TextField(default="")
    updated_at = UtcDateTimeField()


class AccountRow(BaseRow):
    """A connected store: what the merchant sees and how to reach it. Never a secret."""

    store = peewee.CharField(max_length=16, primary_key=True)
    account_key = peewee.CharField(max_length=255)
    shop = peewee.CharField(max_length=255)
    shop_name = peewee.CharField(max_length=255, default="")
    region = peewee.CharField(max_length=8, default="")
    scopes = peewee.TextField(default="")
    app_id = peewee.CharField(max_length=255, default="")
    api_url = peewee.CharField(max_length=512, default="")
    auth_url = peewee.CharField(max_length=512, default="")
    authorize_url = peewee.CharField(max_length=1024, default="")
    open_id = peewee.CharField(max_length=255, default="")
    shop_cipher = peewee.CharField(max_length=255, default="")
    expiring = peewee.BooleanField(default=False)
    demo = peewee.BooleanField(default=False)
    connected_at = UtcDateTimeField()
    token_expires_at = UtcDateTimeField(null=True)
    last_success_at = UtcDateTimeField(null=True)
    last_error = peewee.TextField(default="")
    health = peewee.CharField(max_length=16, default="ok")  # a domain.store_health.HealthState
    health_since = UtcDateTimeField(null=True)
    health_reason = peewee.TextField(default="")


class TikTokOrderRow(BaseRow):
    """A TikTok order as last pulled (its JSON kept) and where it stands with Shopify.

    ``sync_state``: pending (not yet due or not yet tried), orphan (a SKU is not
    mapped), created (we created the Shopify order), linked (it already existed),
    skipped (not for Shopify: cancelled before, FBT, ...), failed (Shopify refused).
    """

    order_id = peewee.CharField(max_length=64, primary_key=True)
    status = peewee.CharField(max_length=32)
    created_at = UtcDateTimeField()
    update_time = peewee.IntegerField(index=True)
    fulfillment_type = peewee.CharField(max_length=32, default="")
    ship_by = UtcDateTimeField(null=True)
    total = DecimalTextField(default=0)
    currency = peewee.CharField(max_length=3, default="")
    payload = peewee.TextField()  # the order JSON as TikTok sent it
    sync_state = peewee.CharField(max_length=16, default="pending", index=True)
    reason = peewee.TextField(default="")
    unmapped = peewee.TextField(default="")  # comma-separated TikTok SKU ids
    shopify_order_id = peewee.CharField(max_length=128, default="")
    shopify_order_name = peewee.CharField(max_length=64, default="")
    created_elsewhere = peewee.BooleanField(default=False)
    shopify_cancelled = peewee.BooleanField(default=False)
    synced_at = UtcDateTimeField(null=True)
    updated_at = UtcDateTimeField()

    class Meta:
        table_name = "tiktok_order_row"


class ShopifyVariantRow(BaseRow):
    """A Shopify variant, for SKU mapping and suggestions."""

    variant_id = peewee.CharField(max_length=128, primary_key=True)
    sku = peewee.CharField(max_length=255, default="", index=True)
    barcode = peewee.CharField(max_length=64, default="")
    title = peewee.CharField(max_length=512, default="")
    product_id = peewee.CharField(max_length=128, default="")
    inventory_item_id = peewee.CharField(max_length=128, default="")
    price = DecimalTextField(default=0)
    updated_at = UtcDateTimeField()
    # The variant's own name (``M / Blush``; ``title`` is "product — variant"): NULL
    # until read since migration 11, "" for a product's only variant.
    variant_name = peewee.CharField(max_length=255, null=True)


class SkuMappingRow(BaseRow):
    """Which Shopify variant a TikTok SKU is, and how we know (auto or manual)."""

    tiktok_sku_id = peewee.CharField(max_length=64, primary_key=True)
    seller_sku = peewee.CharField(max_length=255, default="")
    shopify_variant_id = peewee.CharField(max_length=128)
    source = peewee.CharField(max_length=32)
    created_at = UtcDateTimeField()
    used_at = UtcDateTimeField(null=True)  # set once an order used it: no undo after


class IntentRow(BaseRow):
    """A write to a store, recorded before the call and marked after (the intent journal)."""

    key = peewee.CharField(max_length=255, primary_key=True)
    kind = peewee.CharField(max_length=64)
    subject = peewee.CharField(max_length=128)
    status = peewee.CharField(max_length=16, index=True)  # pending | done | failed
    payload = peewee.TextField(default="")
    result = peewee.TextField(default="")
    created_at = UtcDateTimeField()
    updated_at = UtcDateTimeField()
