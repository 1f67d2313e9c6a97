"""Replies of the catalog documents: the shop, and variants for mapping."""

from __future__ import annotations

from decimal import Decimal

from tiktok_console.stores.shopify.replies.base import (
    Connection,
    DateTime,
    Nodes,
    Reply,
    ShopifyModel,
)


class BillingAddress(ShopifyModel):
    """Where the shop is billed: its country decides the TikTok region."""

    country_code_v2: str | None = None


class ShopPlan(ShopifyModel):
    """The shop's Shopify plan."""

    display_name: str
    partner_development: bool
    shopify_plus: bool


class ShopDetails(ShopifyModel):
    """The connected shop."""

    id: str
    name: str
    myshopify_domain: str
    currency_code: str
    iana_timezone: str
    billing_address: BillingAddress
    plan: ShopPlan


class Shop(Reply):
    """``Shop.graphql``."""

    what = "reading the shop's details"
    shop: ShopDetails


class VariantProduct(ShopifyModel):
    """The product a variant belongs to."""

    id: str
    title: str
    status: str


class Weight(ShopifyModel):
    """A weight and its unit."""

    unit: str
    value: float


class Measurement(ShopifyModel):
    """An item's measurements."""

    weight: Weight | None = None


class VariantItem(ShopifyModel):
    """A variant's inventory item."""

    id: str
    tracked: bool
    measurement: Measurement | None = None


class CatalogVariant(ShopifyModel):
    """A variant as catalog health and SKU mapping read it."""

    id: str
    sku: str | None = None
    barcode: str | None = None
    title: str
    price: Decimal
    compare_at_price: Decimal | None = None
    inventory_quantity: int | None = None
    updated_at: DateTime
    product: VariantProduct
    inventory_item: VariantItem | None = None


class ProductVariantsPage(Reply):
    """``ProductVariantsPage.graphql``."""

    what = "reading products"
    product_variants: Connection[CatalogVariant]


class SkuVariant(ShopifyModel):
    """A variant and its SKU, as the automatic mapping's check reads it."""

    id: str
    sku: str | None = None


class VariantsBySku(Reply):
    """``VariantsBySku.graphql``."""

    what = "checking which products carry a SKU"
    product_variants: Nodes[SkuVariant]


class VariantsChangedSince(Reply):
    """``VariantsChangedSince.graphql``."""

    what = "reading variants changed since the catalogue read"
    product_variants: Connection[SkuVariant]
