"""What TikTok Shop accepts for a listing, region by region, as data.

Every limit here comes from the Create Product reference (202309, in
``shared/api/tiktok-endpoints.md``): title lengths, currencies, the units a
region accepts for package weight and dimensions, where a list price
(Shopify's compare-at) is allowed, and SKU counts. Rules check against these
values and the mapping converts into them, so a region added here is a region
the whole catalog flow understands.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

UnitSystem = Literal["metric", "imperial"]

DESCRIPTION_MAX_CHARS = 10_000
DESCRIPTION_MAX_IMAGES = 30
DESCRIPTION_IMAGE_MAX_PX = 4000  # "each under 4000px"
MAIN_IMAGES_MAX = 9
MAIN_IMAGE_MIN_PX = 300
MAIN_IMAGE_MAX_PX = 4000
SELLER_SKU_MAX_CHARS = 50
SALES_ATTRIBUTES_MAX = 3
SALES_ATTRIBUTE_NAME_MAX = 20
SALES_ATTRIBUTE_VALUE_MAX = 50
LIST_PRICE_MAX = Decimal(7600)  # list_price.amount: [0.01, 7600]


@dataclass(frozen=True)
class RegionRules:
    """One TikTok Shop region's listing limits."""

    region: str
    currency: str
    title_min: int
    title_max: int
    unit_system: UnitSystem
    list_price_allowed: bool
    max_skus: int
    category_version: str

    @property
    def weight_unit(self) -> str:
        """The ``package_weight.unit`` sent for this region."""
        return "POUND" if self.unit_system == "imperial" else "KILOGRAM"

    @property
    def dimension_unit(self) -> str:
        """The ``package_dimensions.unit`` sent (same system as the weight)."""
        return "INCH" if self.unit_system == "imperial" else "CENTIMETER"


def _region(
    region: str,
    currency: str,
    title: tuple[int, int] = (1, 255),
    max_skus: int = 300,
) -> RegionRules:
    # Only US shops may use imperial units, list prices and the v2 category tree.
    us = region == "US"
    return RegionRules(
        region=region,
        currency=currency,
        title_min=title[0],
        title_max=title[1],
        unit_system="imperial" if us else "metric",
        list_price_allowed=us,
        max_skus=max_skus,
        category_version="v2" if us else "v1",
    )


# Title length: DE, ES, FR, IE, IT, JP, UK, US [1, 255]; BR, MX [1, 300];
# other regions [25, 255]. Max SKUs: 300 for BR, EU, JP, MX, UK, US, else 100.
REGIONS: dict[str, RegionRules] = {
    rules.region: rules
    for rules in (
        _region("US", "USD"),
        _region("UK", "GBP"),
        _region("DE", "EUR"),
        _region("ES", "EUR"),
        _region("FR", "EUR"),
        _region("IE", "EUR"),
        _region("IT", "EUR"),
        _region("JP", "JPY"),
        _region("BR", "BRL", title=(1, 300)),
        _region("MX", "MXN", title=(1, 300)),
        _region("ID", "IDR", title=(25, 255), max_skus=100),
        _region("MY", "MYR", title=(25, 255), max_skus=100),
        _region("PH", "PHP", title=(25, 255), max_skus=100),
        _region("SG", "SGD", title=(25, 255), max_skus=100),
        _region("TH", "THB", title=(25, 255), max_skus=100),
        _region("VN", "VND", title=(25, 255), max_skus=100),
    )
}
_ALIASES = {"GB": "UK"}


def region_rules(region: str) -> RegionRules:
    """The rules for ``region`` (ISO-ish code, case-insensitive; ``GB`` is ``UK``).

    Raises:
        KeyError: TikTok Shop does not sell in that region.
    """
    code = region.strip().upper()
    return REGIONS[_ALIASES.get(code, code)]
