"""Catalog tables. Their schema is created by ``catalog.schema`` (one migration), never here.

One row per Shopify product: the product as last pulled (``payload``, Shopify's
JSON, so a fix in the mapping can be replayed), the merchant's TikTok-only
choices (excluded, priority, overrides), and the listing as last pushed
(``last_body``: the Create Product body, which the next change is diffed
against). Images are uploaded once: ``catalog_image_row`` maps a Shopify
address to the content hash and TikTok's uri.
"""

from __future__ import annotations

import peewee

from tiktok_console.storage.fields import UtcDateTimeField
from tiktok_console.storage.tables import BaseRow


class CatalogProductRow(BaseRow):
    """A Shopify product and its TikTok listing."""

    shopify_product_id = peewee.CharField(max_length=128, primary_key=True)
    title = peewee.TextField(default="")
    shopify_status = peewee.CharField(max_length=16, default="")
    shopify_updated_at = peewee.TextField(default="")
    payload = peewee.TextField(default="{}")
    dirty = peewee.BooleanField(default=True, index=True)  # changed since last handled
    excluded = peewee.BooleanField(default=False)
    priority = peewee.IntegerField(default=0)  # higher goes first through the daily cap
    overrides = peewee.TextField(default="{}")
    category_id = peewee.CharField(max_length=32, default="")
    tiktok_product_id = peewee.CharField(max_length=64, default="")
    sku_ids = peewee.TextField(default="{}")  # seller SKU -> TikTok SKU id
    last_body = peewee.TextField(default="")
    state = peewee.CharField(max_length=16, default="new", index=True)
    tiktok_status = peewee.CharField(max_length=32, default="")
    problems = peewee.TextField(default="[]")
    audit_reasons = peewee.TextField(default="[]")
    notice = peewee.TextField(default="")  # a store refusal reported once (promotion lock)
    held_edit = peewee.IntegerField(default=0)  # 1: an edit held (it sends to audit); 2: released
    shopify_fixes = peewee.TextField(default="[]")  # fixes typed on the page, to write
    queued_until = UtcDateTimeField(null=True)
    updated_at = UtcDateTimeField()


class CatalogImageRow(BaseRow):
    """An image uploaded to TikTok, by its Shopify address."""

    source = peewee.CharField(max_length=512, primary_key=True)
    content_hash = peewee.CharField(max_length=64)
    use_case = peewee.CharField(max_length=32)
    uri = peewee.TextField()
    url = peewee.TextField(default="")
    width = peewee.IntegerField(default=0)
    height = peewee.IntegerField(default=0)
