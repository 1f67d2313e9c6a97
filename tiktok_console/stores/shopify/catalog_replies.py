"""Typed replies of the catalog's Shopify documents: products to list, variant fixes.

A reply that does not fit raises ``StoreUnavailableError``, as TikTok's models
do; the catalog keeps each product's JSON (``model_dump``) so the listing can
be rebuilt from what was pulled.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
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


class PageInfo(_Reply):
    hasNextPage: bool = False
    endCursor: str | None = None


class VariantNodes(_Reply):
    nodes: list[VariantReply] = Field(default_factory=list)
    pageInfo: PageInfo | None = None  # kept out of the stored product (``product_json``)


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


class ProductsConnection(_Reply):
    nodes: list[CatalogProductReply]
    pageInfo: PageInfo


class CatalogProductsPage(Reply):
    """``data`` of ``CatalogProductsPage``."""

    products: ProductsConnection


class ProductVariantsOnly(_Reply):
    variants: VariantNodes


class CatalogProductVariants(Reply):
    """``data`` of ``CatalogProductVariants``."""

    product: ProductVariantsOnly | None = None


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


async def remaining_variants(
    shopify: ShopifyTransport, product_id: str, after: str | None, first: int = 100
) -> list[VariantReply]:
    """The variants of ``product_id`` after the cursor ``after``, every page of them."""
    found: list[VariantReply] = []
    while True:
        reply = await shopify.execute(
            CatalogProductVariants, {"id": product_id, "first": first, "after": after}
        )
        if reply.product is None:  # deleted meanwhile: the next read says so
            return found
        found.extend(reply.product.variants.nodes)
        page = reply.product.variants.pageInfo
        if page is None or not page.hasNextPage or not page.endCursor:
            return found
        after = page.endCursor


def product_json(product: CatalogProductReply) -> dict[str, Any]:
    """A product as the catalog stores it (no page cursors)."""
    raw = product.model_dump()
    raw["variants"].pop("pageInfo", None)
    return raw


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


MAX_IMAGES = 9  # what ``CatalogProductsPage`` asks for: TikTok takes 9 main images


def products_from_bulk(lines: Iterable[Mapping[str, Any]]) -> list[CatalogProductReply]:
    """The products of a ``CatalogProducts`` bulk result, their images and variants put back.

    The file lists nested connections' nodes as their own lines carrying
    ``__parentId`` (after every product, or after their own, by ``groupObjects``);
    a variant is told from an image by its id. Images keep the first nine, in
    order, as the paged read does, so both reads store the same product.
    """
    products: dict[str, dict[str, Any]] = {}
    images: dict[str, list[Mapping[str, Any]]] = {}
    variants: dict[str, list[Mapping[str, Any]]] = {}
    for line in lines:
        parent = line.get("__parentId")
        if parent is None:
            products[str(line["id"])] = dict(line)
        elif "/ProductVariant/" in str(line.get("id", "")):
            variants.setdefault(str(parent), []).append(line)
        else:
            images.setdefault(str(parent), []).append(line)
    return [
        CatalogProductReply.model_validate(
            {
                **raw,
                "images": {"nodes": images.get(product_id, [])[:MAX_IMAGES]},
                "variants": {"nodes": variants.get(product_id, [])},
            }
        )
        for product_id, raw in products.items()
    ]
