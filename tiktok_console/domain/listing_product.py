"""A Shopify product as the listing rules see it, with its TikTok-only overrides.

The catalog job reads Shopify (and the merchant's overrides, and TikTok's
category rules) into these frozen values; the health check and the mapping
to a Create Product body are pure functions of them. Nothing here knows how
the data was fetched or stored.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

from tiktok_console.domain.money import Money

# Shopify's WeightUnit and LengthUnit enums.
WeightUnit = Literal["GRAMS", "KILOGRAMS", "OUNCES", "POUNDS"]
LengthUnit = Literal["MILLIMETERS", "CENTIMETERS", "METERS", "INCHES", "FEET", "YARDS"]


@dataclass(frozen=True)
class Weight:
    """A variant's weight as Shopify stores it (``inventoryItem.measurement.weight``)."""

    value: Decimal
    unit: WeightUnit


@dataclass(frozen=True)
class Dimensions:
    """A package's length, width and height in one unit."""

    length: Decimal
    width: Decimal
    height: Decimal
    unit: LengthUnit


@dataclass(frozen=True)
class Variant:
    """One Shopify variant: a TikTok SKU to be."""

    variant_id: str
    sku: str
    price: Money
    compare_at: Money | None = None
    barcode: str = ""
    weight: Weight | None = None
    stock: int = 0
    options: tuple[tuple[str, str], ...] = ()  # (option name, value), Shopify's order


@dataclass(frozen=True)
class ProductImage:
    """One Shopify product image with its real size in pixels."""

    src: str
    width: int
    height: int


@dataclass(frozen=True)
class AttributeValue:
    """A value for a TikTok attribute: a built-in id, or a custom name."""

    value_id: str = ""
    name: str = ""


@dataclass(frozen=True)
class CategoryAttribute:
    """A product attribute of the category, with the values supplied for it.

    Values come from Shopify data (options, product type, vendor) or from the
    merchant's overrides; the job fills them before the rules run.
    """

    attribute_id: str
    name: str
    required: bool
    values: tuple[AttributeValue, ...] = ()


@dataclass(frozen=True)
class Category:
    """The TikTok leaf category chosen for the product, with its attributes."""

    category_id: str
    name: str
    attributes: tuple[CategoryAttribute, ...] = ()


@dataclass(frozen=True)
class PriceRule:
    """TikTok price = Shopify price × (1 + percent / 100) + amount, rounded to the currency.

    Percent and amount are exact decimals; either may be negative (a TikTok
    discount), and a result at or below zero is a blocking problem, not a
    price to send.
    """

    percent: Decimal = Decimal(0)
    amount: Decimal = Decimal(0)

    def __post_init__(self) -> None:
        for value in (self.percent, self.amount):
            if not isinstance(value, Decimal) or not value.is_finite():
                raise TypeError(f"price rule needs finite Decimals, not {value!r}")

    def apply(self, price: Money) -> Money:
        """The TikTok price for Shopify's ``price``."""
        scaled = price.amount * (1 + self.percent / 100) + self.amount
        return Money(scaled, price.currency).rounded()


@dataclass(frozen=True)
class Overrides:
    """What the merchant set for TikTok only; sync stays on for everything else."""

    title: str = ""
    description_html: str = ""
    category_id: str = ""
    brand_id: str = ""
    price_rule: PriceRule = field(default_factory=PriceRule)


@dataclass(frozen=True)
class ProductView:
    """Everything the rules and the mapping need about one Shopify product."""

    product_id: str
    title: str
    description_html: str
    variants: tuple[Variant, ...]
    images: tuple[ProductImage, ...] = ()
    product_type: str = ""
    vendor: str = ""
    options: tuple[str, ...] = ()  # option names, Shopify's order
    package: Dimensions | None = None
    category: Category | None = None
    overrides: Overrides = field(default_factory=Overrides)

    @property
    def has_variants(self) -> bool:
        """Whether the options are real (Shopify gives a lone variant "Title: Default Title")."""
        return len(self.variants) > 1 or any(
            (name, value) != ("Title", "Default Title")
            for variant in self.variants
            for name, value in variant.options
        )
