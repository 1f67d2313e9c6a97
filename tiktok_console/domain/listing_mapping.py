"""A Shopify product as the body of TikTok's Create Product call.

``POST /product/202309/products`` is still the current version; its body is
built here from the product view, the merchant's overrides and what the
catalog job already did (images uploaded, stock computed by the inventory
rules). The same body, compared with the last one pushed, decides the next
call (:mod:`listing_diff`), and the Catalog page shows it as "the listing as
TikTok will see it", so it is built even for a product the health check
blocks; the job never sends a blocked one.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from typing import Any

from tiktok_console.domain.listing_health import listing_title
from tiktok_console.domain.listing_html import HostedImage, clean_description
from tiktok_console.domain.listing_product import ProductImage, ProductView, Variant
from tiktok_console.domain.listing_regions import (
    LIST_PRICE_MAX,
    MAIN_IMAGE_MIN_PX,
    MAIN_IMAGES_MAX,
    SALES_ATTRIBUTE_NAME_MAX,
    SALES_ATTRIBUTE_VALUE_MAX,
    SALES_ATTRIBUTES_MAX,
    RegionRules,
)
from tiktok_console.domain.listing_text import clean_attribute_text
from tiktok_console.domain.listing_units import heaviest, package_dimensions, package_weight
from tiktok_console.domain.money import Money

TIKTOK_MAX_QUANTITY = 99_999
# Identifier code types by length ("GTIN: 14 digits, EAN: 8, 13 or 14, UPC: 12").
_CODE_TYPES = {8: "EAN", 12: "UPC", 13: "EAN", 14: "GTIN"}


def main_image_candidates(product: ProductView) -> tuple[ProductImage, ...]:
    """The images to upload as TikTok's main images, in Shopify's order, at most 9.

    Images under 300 px on a side are left out (TikTok refuses them); the
    uploader scales anything over 4000 px down before sending it.
    """
    usable = [i for i in product.images if min(i.width, i.height) >= MAIN_IMAGE_MIN_PX]
    return tuple(usable[:MAIN_IMAGES_MAX])


def identifier_code(barcode: str) -> dict[str, str] | None:
    """TikTok's ``identifier_code`` for a Shopify barcode, or None when it is not one.

    Only digits of a GS1 length with a correct check digit qualify: TikTok
    lets an identifier code be set once, so a wrong one is never sent.
    """
    code = barcode.strip()
    if not (code.isascii() and code.isdigit()) or len(code) not in _CODE_TYPES:
        return None
    digits = [int(char) for char in code]
    body = digits[:-1][::-1]  # from the right: weights 3, 1, 3, ...
    check = (10 - sum(d * (3 if i % 2 == 0 else 1) for i, d in enumerate(body)) % 10) % 10
    return {"code": code, "type": _CODE_TYPES[len(code)]} if check == digits[-1] else None


def tiktok_price(product: ProductView, variant: Variant, region: RegionRules) -> Money:
    """The variant's TikTok price: Shopify's, through the price rule, in the shop's currency.

    Raises:
        ValueError: The Shopify price is in another currency than the TikTok shop's.
    """
    if variant.price.currency != region.currency:
        raise ValueError(
            f"Shopify prices are in {variant.price.currency}, the TikTok shop sells in "
            f"{region.currency}: connect a store and a shop of the same region"
        )
    return product.overrides.price_rule.apply(variant.price)


def _list_price(variant: Variant, price: Money, region: RegionRules) -> dict[str, str] | None:
    compare_at = variant.compare_at
    if not region.list_price_allowed or compare_at is None or compare_at.currency != price.currency:
        return None
    # TikTok discards a list price under the price; its range is [0.01, 7600].
    if not price.amount < compare_at.amount <= LIST_PRICE_MAX:
        return None
    return {"amount": compare_at.to_wire(), "currency": compare_at.currency}


def _sales_attributes(product: ProductView, variant: Variant) -> list[dict[str, str]]:
    if not product.has_variants:
        return []
    return [
        {
            "name": clean_attribute_text(name, SALES_ATTRIBUTE_NAME_MAX),
            "value_name": clean_attribute_text(value, SALES_ATTRIBUTE_VALUE_MAX),
        }
        for name, value in variant.options[:SALES_ATTRIBUTES_MAX]
    ]


def sku_body(
    product: ProductView, variant: Variant, region: RegionRules, warehouse_id: str, quantity: int
) -> dict[str, Any]:
    """One entry of the body's ``skus``."""
    price = tiktok_price(product, variant, region)
    inventory: dict[str, Any] = {"warehouse_id": warehouse_id}
    if quantity > 0:  # TikTok's range is [1, 99999]; no quantity means none in stock
        inventory["quantity"] = min(quantity, TIKTOK_MAX_QUANTITY)
    body: dict[str, Any] = {
        "seller_sku": variant.sku,
        "external_sku_id": variant.variant_id,
        "price": {"amount": price.to_wire(), "currency": price.currency},
        "inventory": [inventory],
    }
    if attributes := _sales_attributes(product, variant):
        body["sales_attributes"] = attributes
    if code := identifier_code(variant.barcode):
        body["identifier_code"] = code
    if list_price := _list_price(variant, price, region):
        body["list_price"] = list_price
    return body


def listing_description(product: ProductView, hosted: Mapping[str, HostedImage]) -> str:
    """The description TikTok gets: the override if set, else Shopify's, cleaned.

    TikTok requires a description (12052015): an empty one becomes the title.
    """
    source = product.overrides.description_html or product.description_html
    cleaned = clean_description(source, hosted)
    return cleaned or clean_description(f"<p>{html.escape(listing_title(product))}</p>")


def _product_attributes(product: ProductView) -> list[dict[str, Any]]:
    if product.category is None:
        return []
    attributes = []
    for attribute in product.category.attributes:
        values = [
            {"id": value.value_id} if value.value_id else {"name": value.name}
            for value in attribute.values
            if value.value_id or value.name
        ]
        if values:
            attributes.append({"id": attribute.attribute_id, "values": values})
    return attributes


def create_product_body(
    product: ProductView,
    region: RegionRules,
    *,
    main_image_uris: Sequence[str],
    warehouse_id: str,
    description_images: Mapping[str, HostedImage] | None = None,
    quantities: Mapping[str, int] | None = None,
    idempotency_key: str = "",
) -> dict[str, Any]:
    """The Create Product (202309) body for ``product``.

    Args:
        product: The product with its overrides and resolved category.
        region: The TikTok shop's region.
        main_image_uris: TikTok URIs of :func:`main_image_candidates`, uploaded, in order.
        warehouse_id: The TikTok warehouse that ships the product.
        description_images: Description images uploaded to TikTok, by Shopify address.
        quantities: Stock per variant id from the inventory rules (default: Shopify's stock).
        idempotency_key: The journaled write's key, so a retried create never lists twice.
    """
    stock = quantities if quantities is not None else {}
    body: dict[str, Any] = {
        "save_mode": "LISTING",
        "title": listing_title(product),
        "description": listing_description(product, description_images or {}),
        "category_version": region.category_version,
        "main_images": [{"uri": uri} for uri in main_image_uris[:MAIN_IMAGES_MAX]],
        "skus": [
            sku_body(product, v, region, warehouse_id, stock.get(v.variant_id, v.stock))
            for v in product.variants
        ],
        "external_product_id": product.product_id,
    }
    if product.category is not None:
        body["category_id"] = product.category.category_id
    if attributes := _product_attributes(product):
        body["product_attributes"] = attributes
    if product.overrides.brand_id:  # no brand_id is TikTok's "No brand"
        body["brand_id"] = product.overrides.brand_id
    if weight := heaviest(variant.weight for variant in product.variants):
        body["package_weight"] = package_weight(weight, region)
    package = product.package
    if package is not None and min(package.length, package.width, package.height) > 0:
        body["package_dimensions"] = package_dimensions(package, region)
    if idempotency_key:
        body["idempotency_key"] = idempotency_key
    return body
