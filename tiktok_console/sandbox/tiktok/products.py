"""The shop's product listings, built from the shared catalog.

Every catalog product with ``on_tiktok`` is listed with its SKUs linked by
``seller_sku`` (the same strings as the Shopify variants, blanks included),
plus the products added only in Seller Center. Catalog flaws become what
TikTok does with them: a missing weight leaves the listing in DRAFT, bad
titles or descriptions fail the audit with reasons.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from tiktok_console.sandbox.catalog import Catalog, CatalogProduct
from tiktok_console.sandbox.tiktok.categories import leaf_for_type
from tiktok_console.sandbox.tiktok.logistics import Logistics
from tiktok_console.sandbox.tiktok.wire import new_id

_AUDIT_REASONS = {
    "title_too_long": "The product title exceeds 255 characters.",
    "description_formatting": "The description contains unsupported HTML (scripts, "
    "iframes, tables or inline styles).",
}


@dataclass
class Sku:
    """One TikTok SKU; ``inventory`` maps warehouse id -> available units."""

    id: str
    seller_sku: str
    price: Decimal
    list_price: Decimal | None
    inventory: dict[str, int]
    attributes: list[tuple[str, str]]
    barcode: str | None = None
    price_locked: bool = False  # in a running promotion: price updates refused


@dataclass
class Product:
    """One TikTok listing."""

    id: str
    title: str
    description: str
    status: str
    create_time: int
    update_time: int
    category: tuple[str, str]
    skus: list[Sku]
    weight_grams: int | None
    audit_failed_reasons: list[str] = field(default_factory=list)
    tiktok_only: bool = False
    images: list[str] = field(default_factory=list)
    attributes: list[dict[str, Any]] = field(default_factory=list)  # product_attributes sent
    image_sizes: dict[str, tuple[int, int]] = field(default_factory=dict)  # uploaded uri -> size

    def sku(self, sku_id: str) -> Sku | None:
        """The SKU with ``sku_id``, if it belongs to this product."""
        return next((s for s in self.skus if s.id == sku_id), None)


def build_products(
    catalog: Catalog, logistics: Logistics, rng: random.Random, now: int
) -> list[Product]:
    """The listings at the start, oldest first."""
    products: list[Product] = []
    listed = [p for p in catalog.products if p.on_tiktok]
    for index, item in enumerate(listed):
        created = now - rng.randint(20, 400) * 86400
        products.append(_from_catalog(item, logistics, rng, created, overflow=index < 3))
    for extra in catalog.tiktok_only:
        created = now - rng.randint(2, 20) * 86400
        skus = [
            Sku(
                new_id(rng, "17"),
                s.seller_sku,
                s.price,
                None,
                {logistics.main.id: s.quantity},
                [("Size", s.name)],
            )
            for s in extra.skus
        ]
        products.append(
            Product(
                new_id(rng, "17"),
                extra.title,
                f"<p>{extra.title}</p>",
                "ACTIVATE",
                created,
                created,
                _category("Accessories"),
                skus,
                350,
                tiktok_only=True,
            )
        )
    _lock_some_prices(products, rng)
    return products


def _from_catalog(
    item: CatalogProduct, logistics: Logistics, rng: random.Random, created: int, overflow: bool
) -> Product:
    skus = []
    for variant in item.variants:
        inventory = {logistics.main.id: variant.inventory.get("main", 0)}
        if overflow:  # a few SKUs are stocked in two warehouses
            inventory[logistics.overflow.id] = variant.inventory.get("store", 0)
        skus.append(
            Sku(
                new_id(rng, "17"),
                variant.sku,
                variant.price,
                variant.compare_at_price,
                inventory,
                list(variant.options.items()),
                variant.barcode,
            )
        )
    copy = item.tiktok_copy()
    status, reasons = _status_for(list(copy.flaws))
    return Product(
        id=new_id(rng, "17"),
        title=copy.title,
        description=copy.description_html,
        status=status,
        create_time=created,
        update_time=created + rng.randint(0, 86400),
        category=_category(item.product_type),
        skus=skus,
        weight_grams=copy.weight_grams,
        audit_failed_reasons=reasons,
        images=list(item.images),
    )


def _category(product_type: str) -> tuple[str, str]:
    category = leaf_for_type(product_type)
    return category.id, category.name


def _status_for(flaws: list[str]) -> tuple[str, list[str]]:
    reasons = [_AUDIT_REASONS[f] for f in flaws if f in _AUDIT_REASONS]
    if reasons:
        return "FAILED", reasons
    if "missing_weight" in flaws:
        return "DRAFT", []  # TikTok will not publish without a package weight
    return "ACTIVATE", []


def _lock_some_prices(products: list[Product], rng: random.Random) -> None:
    """Put about one SKU in ten into a running promotion (price locked)."""
    for product in products:
        if product.status != "ACTIVATE":
            continue
        for sku in product.skus:
            sku.price_locked = rng.random() < 0.1
