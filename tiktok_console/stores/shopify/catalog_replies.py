"""Typed replies of the catalog's Shopify documents: products to list, variant fixes.

A reply that does not fit raises ``StoreUnavailableError``, as TikTok's models
do; the catalog keeps each product's JSON (``model_dump``) so the listing can
be rebuilt from what was pulled.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from tiktok_console.stores.shopify.replies.base import Reply
from tiktok_console.stores.shopify.transport import ShopifyTransport


class _Reply(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class WeightReply(_Reply):
    unit: str
    value: float


class MeasurementReply(_Reply):
    weight: WeightReply | None = None


class InventoryItemReply(_Reply):
    id: str
    measurement: MeasurementReply | None = None


class SelectedOptionReply(_Reply):
    name: str
    value: str


class VariantReply(_Reply):
    id: str
    sku: str | None = None
    barcode: str | None = None
    price: str
    compareAtPrice: str | None = None
    inventoryQuantity: int | None = None
    selectedOptions: list[SelectedOptionReply] = Field(default_factory=list)
    inventoryItem: InventoryItemReply | None = None


class VariantNodes(_Reply):
    nodes: list[VariantReply] = Field(default_factory=list)


class ImageReply(_Reply):
    url: str
    width: int | None = None
    height: int | None = None


class ImageNodes(_Reply):
    nodes: list[ImageReply] = Field(default_factory=list)


class CatalogProductReply(_Reply):
    """One product of ``CatalogProductsPage``."""

    id: str
    title: str
    descriptionHtml: str = ""
    productType: str = ""
    vendor: str = ""
    status: str
    updatedAt: str
    images: ImageNodes = Field(default_factory=ImageNodes)
    variants: VariantNodes = Field(default_factory=VariantNodes)


class PageInfo(_Reply):
    hasNextPage: bool
    endCursor: str | None = None


class ProductsConnection(_Reply):
    nodes: list[CatalogProductReply]
    pageInfo: PageInfo


class CatalogProductsPage(Reply):
    """``data`` of ``CatalogProductsPage``."""

    products: ProductsConnection


class UserErrorReply(_Reply):
    field: list[str] | None = None
    message: str


class VariantsUpdatePayload(_Reply):
    userErrors: list[UserErrorReply] = Field(default_factory=list)


class CatalogVariantsUpdate(Reply):
    """``data`` of ``CatalogVariantsUpdate``."""

    productVariantsBulkUpdate: VariantsUpdatePayload | None = None


async def products_page(
    shopify: ShopifyTransport, first: int, after: str | None, query: str | None
) -> CatalogProductsPage:
    """One page of products with what a listing needs."""
    return await shopify.execute(
        CatalogProductsPage, {"first": first, "after": after, "query": query}
    )


async def update_variants(
    shopify: ShopifyTransport, product_id: str, variants: list[dict[str, Any]], key: str
) -> list[str]:
    """Write a fix back to Shopify's variants; returns Shopify's user errors (empty: done)."""
    reply = await shopify.execute(
        CatalogVariantsUpdate,
        {"productId": product_id, "variants": variants},
        idempotency_key=key,
    )
    payload = reply.productVariantsBulkUpdate
    return [] if payload is None else [e.message for e in payload.userErrors]
