"""A stored Shopify product (its GraphQL JSON) and the merchant's overrides as a ``ProductView``.

Pure over the stored JSON: the Catalog page rebuilds "the listing as TikTok
will see it" with the same function the job pushes with.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from tiktok_console.domain.listing_product import (
    AttributeValue,
    Category,
    CategoryAttribute,
    Overrides,
    PriceRule,
    ProductImage,
    ProductView,
    Variant,
    Weight,
)
from tiktok_console.domain.money import Money

# Where Shopify data can fill a required TikTok attribute (by attribute name).
_FROM_SHOPIFY = {"manufacturer": "vendor", "brand": "vendor"}


def _decimal(raw: Any) -> Decimal | None:
    if raw in (None, ""):
        return None
    try:
        return Decimal(str(raw))
    except InvalidOperation:
        return None


def _variant(node: Mapping[str, Any], currency: str) -> Variant:
    measurement = ((node.get("inventoryItem") or {}).get("measurement") or {}).get("weight")
    weight = None
    if measurement and _decimal(measurement.get("value")) is not None:
        weight = Weight(Decimal(str(measurement["value"])), measurement["unit"])
    compare_at = _decimal(node.get("compareAtPrice"))
    return Variant(
        variant_id=str(node["id"]),
        sku=str(node.get("sku") or ""),
        price=Money(_decimal(node.get("price")) or Decimal(0), currency),
        compare_at=None if compare_at is None else Money(compare_at, currency),
        barcode=str(node.get("barcode") or ""),
        weight=weight,
        stock=int(node.get("inventoryQuantity") or 0),
        options=tuple((o["name"], o["value"]) for o in node.get("selectedOptions") or []),
    )


def overrides_of(raw: Mapping[str, Any]) -> Overrides:
    """The stored overrides as the domain's value."""
    return Overrides(
        title=str(raw.get("title") or ""),
        description_html=str(raw.get("description_html") or ""),
        category_id=str(raw.get("category_id") or ""),
        brand_id=str(raw.get("brand_id") or ""),
        price_rule=PriceRule(
            Decimal(str(raw.get("price_percent") or 0)), Decimal(str(raw.get("price_amount") or 0))
        ),
    )


def category_of(
    category_id: str,
    attributes: Sequence[Mapping[str, Any]],
    payload: Mapping[str, Any],
    chosen: Mapping[str, str],
) -> Category:
    """The category with each product attribute filled: the merchant's value, else Shopify's.

    ``attributes`` are Get Attributes' entries (id, name, type, is_requried,
    values); ``chosen`` maps attribute id to the value name the merchant set.
    """
    filled = []
    for attribute in attributes:
        if attribute.get("type") != "PRODUCT_PROPERTY":
            continue
        name = str(attribute.get("name") or "")
        value = chosen.get(str(attribute["id"])) or str(
            payload.get(_FROM_SHOPIFY.get(name.lower(), ""), "") or ""
        )
        values = (_value(attribute, value),) if value.strip() else ()
        filled.append(
            CategoryAttribute(
                str(attribute["id"]), name, bool(attribute.get("is_requried")), values
            )
        )
    return Category(category_id, "", tuple(filled))


def _value(attribute: Mapping[str, Any], name: str) -> AttributeValue:
    for known in attribute.get("values") or []:
        if str(known.get("name", "")).lower() == name.strip().lower():
            return AttributeValue(value_id=str(known["id"]))
    return AttributeValue(name=name.strip())


def product_view(
    payload: Mapping[str, Any],
    overrides: Mapping[str, Any],
    currency: str,
    category: Category | None,
) -> ProductView:
    """The product the health rules and the mapping read."""
    variants = tuple(_variant(v, currency) for v in payload.get("variants", {}).get("nodes", []))
    images = tuple(
        ProductImage(str(i["url"]), int(i.get("width") or 0), int(i.get("height") or 0))
        for i in payload.get("images", {}).get("nodes", [])
    )
    names: list[str] = []
    for variant in variants:
        names += [name for name, _ in variant.options if name not in names]
    return ProductView(
        product_id=str(payload["id"]),
        title=str(payload.get("title") or ""),
        description_html=str(payload.get("descriptionHtml") or ""),
        variants=variants,
        images=images,
        product_type=str(payload.get("productType") or ""),
        vendor=str(payload.get("vendor") or ""),
        options=tuple(names),
        category=category,
        overrides=overrides_of(overrides),
    )
