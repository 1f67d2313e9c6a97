"""The merchant's catalog as data: products, variants, locations, image sizes.

What ``catalog.py`` generates and both simulated stores are seeded from; kept apart
so the generator and the flaws it plants (``catalog_flaws.py``) share one model.
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass, field
from decimal import Decimal

# Image names may carry their pixel size (``name@240x240.png``); others get one from the name.
_SIZED_IMAGE = re.compile(r"@(\d+)x(\d+)\.png$")
_IMAGE_SIDES = (800, 1000, 1200)


@dataclass(frozen=True)
class Location:
    """A Shopify location; the first fulfills online orders."""

    key: str
    name: str
    city: str
    fulfills_online_orders: bool = True


@dataclass
class CatalogVariant:
    """One sellable unit. ``sku`` may be blank or duplicated on purpose (a flaw)."""

    sku: str
    options: dict[str, str]
    price: Decimal
    compare_at_price: Decimal | None
    barcode: str | None
    weight_grams: int | None  # None: weight missing in Shopify (a flaw)
    inventory: dict[str, int]  # Location.key -> available units

    @property
    def title(self) -> str:
        """Shopify's variant title: option values joined by `` / ``."""
        return " / ".join(self.options.values()) or "Default Title"


@dataclass(frozen=True)
class ListedCopy:
    """What TikTok Shop got from a product when the merchant listed it there."""

    title: str
    description_html: str
    weight_grams: int | None  # the heaviest variant's; None: no weight to send
    flaws: tuple[str, ...]


@dataclass
class CatalogProduct:
    """A Shopify product, and whether it is listed on TikTok Shop by seller SKU."""

    key: str  # stable handle
    title: str
    description_html: str
    product_type: str
    vendor: str
    tags: list[str]
    option_names: list[str]
    images: list[str]  # image file names served by the sandbox
    variants: list[CatalogVariant]
    on_tiktok: bool
    flaws: list[str] = field(default_factory=list)
    # Set when the product was edited in Shopify after it was listed on TikTok.
    listed_before_edit: ListedCopy | None = None

    def tiktok_copy(self) -> ListedCopy:
        """The copy the TikTok listing was made from."""
        if self.listed_before_edit is not None:
            return self.listed_before_edit
        weights = [v.weight_grams for v in self.variants if v.weight_grams]
        return ListedCopy(
            self.title, self.description_html, max(weights, default=None), tuple(self.flaws)
        )


@dataclass
class TikTokOnlySku:
    """A SKU added directly in TikTok Seller Center: it exists on no Shopify variant."""

    seller_sku: str
    name: str
    price: Decimal
    quantity: int


@dataclass
class TikTokOnlyProduct:
    """A product added directly in TikTok Seller Center."""

    key: str
    title: str
    skus: list[TikTokOnlySku]


@dataclass
class Catalog:
    """Everything both stores are seeded from."""

    seed: int
    region: str  # ISO country / TikTok region, e.g. "US"
    currency: str
    shop_name: str
    locations: list[Location]
    products: list[CatalogProduct]
    tiktok_only: list[TikTokOnlyProduct]

    def variants(self) -> list[tuple[CatalogProduct, CatalogVariant]]:
        """Every (product, variant) pair, in catalog order."""
        return [(p, v) for p in self.products for v in p.variants]


def image_size(name: str) -> tuple[int, int]:
    """The pixel size of the catalog image ``name`` (width, height)."""
    sized = _SIZED_IMAGE.search(name)
    if sized:
        return int(sized.group(1)), int(sized.group(2))
    side = _IMAGE_SIDES[zlib.crc32(name.encode()) % len(_IMAGE_SIDES)]
    return side, side
