"""Weights and package sizes, from Shopify's units to the ones TikTok accepts.

Shopify stores a weight in grams, kilograms, ounces or pounds per variant;
TikTok takes one package weight and size per product, in the units its
region allows, and refuses a mix of metric and imperial (12052915,
12019061). Conversions are exact decimals (a pound is 453.59237 g, an inch
2.54 cm by definition); only the value sent is rounded, and always up, so a
parcel is never declared lighter or smaller than it is, and never as zero.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_CEILING, Decimal, localcontext

from tiktok_console.domain.listing_product import Dimensions, LengthUnit, Weight, WeightUnit
from tiktok_console.domain.listing_regions import RegionRules

_GRAMS: dict[str, Decimal] = {
    "GRAMS": Decimal(1),
    "KILOGRAMS": Decimal(1000),
    "OUNCES": Decimal("28.349523125"),
    "POUNDS": Decimal("453.59237"),
}
_CENTIMETERS: dict[str, Decimal] = {
    "MILLIMETERS": Decimal("0.1"),
    "CENTIMETERS": Decimal(1),
    "METERS": Decimal(100),
    "INCHES": Decimal("2.54"),
    "FEET": Decimal("30.48"),
    "YARDS": Decimal("91.44"),
}
# TikTok's unit names, as Shopify's, and the precision TikTok takes for each
# ("GRAM: integer, KILOGRAM: up to 3 decimal places, POUND: up to 2").
_TIKTOK_WEIGHT: dict[str, tuple[WeightUnit, Decimal]] = {
    "GRAM": ("GRAMS", Decimal(1)),
    "KILOGRAM": ("KILOGRAMS", Decimal("0.001")),
    "POUND": ("POUNDS", Decimal("0.01")),
}
_TIKTOK_LENGTH: dict[str, LengthUnit] = {"CENTIMETER": "CENTIMETERS", "INCH": "INCHES"}
_PRECISION = 50  # digits: far beyond any weight, so round trips are exact to 1e-40


def convert_weight(value: Decimal, unit: WeightUnit, to: WeightUnit) -> Decimal:
    """``value`` in ``unit`` expressed in ``to``, unrounded."""
    with localcontext() as context:
        context.prec = _PRECISION
        return value * _GRAMS[unit] / _GRAMS[to]


def convert_length(value: Decimal, unit: LengthUnit, to: LengthUnit) -> Decimal:
    """``value`` in ``unit`` expressed in ``to``, unrounded."""
    with localcontext() as context:
        context.prec = _PRECISION
        return value * _CENTIMETERS[unit] / _CENTIMETERS[to]


def _round_up(value: Decimal, quantum: Decimal) -> Decimal:
    rounded = value.quantize(quantum, rounding=ROUND_CEILING)
    return max(rounded, quantum)  # never zero: TikTok refuses a zero weight or size


def heaviest(weights: Iterable[Weight | None]) -> Weight | None:
    """The heaviest known weight: the package weight of a product with variants."""
    known = [weight for weight in weights if weight is not None and weight.value > 0]
    return max(known, key=lambda w: convert_weight(w.value, w.unit, "GRAMS"), default=None)


def package_weight(weight: Weight, region: RegionRules) -> dict[str, str]:
    """TikTok's ``package_weight`` for ``weight`` in the region's unit system."""
    unit = region.weight_unit
    shopify_unit, quantum = _TIKTOK_WEIGHT[unit]
    value = _round_up(convert_weight(weight.value, weight.unit, shopify_unit), quantum)
    return {"value": f"{value:f}", "unit": unit}


def package_dimensions(package: Dimensions, region: RegionRules) -> dict[str, str]:
    """TikTok's ``package_dimensions``: whole numbers in the weight's unit system."""
    unit = region.dimension_unit
    target = _TIKTOK_LENGTH[unit]

    def whole(value: Decimal) -> str:
        return f"{_round_up(convert_length(value, package.unit, target), Decimal(1)):f}"

    return {
        "length": whole(package.length),
        "width": whole(package.width),
        "height": whole(package.height),
        "unit": unit,
    }
