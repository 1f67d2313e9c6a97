"""Weights and sizes in TikTok units: exact conversions, rounded up, never mixed systems."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tiktok_console.domain.listing_product import Dimensions, PriceRule, Weight
from tiktok_console.domain.listing_regions import REGIONS, RegionRules, region_rules
from tiktok_console.domain.listing_units import (
    convert_length,
    convert_weight,
    heaviest,
    package_dimensions,
    package_weight,
)
from tiktok_console.domain.money import Money

WEIGHT_UNITS = ["GRAMS", "KILOGRAMS", "OUNCES", "POUNDS"]
LENGTH_UNITS = ["MILLIMETERS", "CENTIMETERS", "METERS", "INCHES", "FEET", "YARDS"]
amounts = st.decimals(min_value=Decimal("0.001"), max_value=Decimal(10_000), places=3)
regions = st.sampled_from(sorted(REGIONS)).map(region_rules)  # every region TikTok sells in


@given(amounts, st.sampled_from(WEIGHT_UNITS), st.sampled_from(WEIGHT_UNITS))
def test_weight_conversions_round_trip(value: Decimal, unit: str, to: str) -> None:
    back = convert_weight(convert_weight(value, unit, to), to, unit)  # type: ignore[arg-type]
    assert abs(back - value) < Decimal("1e-30")


@given(amounts, st.sampled_from(LENGTH_UNITS), st.sampled_from(LENGTH_UNITS))
def test_length_conversions_round_trip(value: Decimal, unit: str, to: str) -> None:
    back = convert_length(convert_length(value, unit, to), to, unit)  # type: ignore[arg-type]
    assert abs(back - value) < Decimal("1e-30")


@given(amounts, st.sampled_from(WEIGHT_UNITS), regions)
def test_the_weight_sent_is_never_lighter_nor_a_step_heavier_nor_zero(
    value: Decimal, unit: str, rules: RegionRules
) -> None:
    sent = package_weight(Weight(value, unit), rules)  # type: ignore[arg-type]
    assert sent["unit"] == rules.weight_unit
    shopify_unit, step = {"POUND": ("POUNDS", Decimal("0.01")),
                          "KILOGRAM": ("KILOGRAMS", Decimal("0.001"))}[sent["unit"]]  # fmt: skip
    exact = convert_weight(value, unit, shopify_unit)  # type: ignore[arg-type]
    amount = Decimal(sent["value"])
    assert amount > 0 and amount >= exact and amount - exact < step
    assert amount == amount.quantize(step)


@given(amounts, amounts, amounts, st.sampled_from(LENGTH_UNITS), regions)
def test_sizes_are_whole_numbers_rounded_up_in_the_weights_system(
    length: Decimal, width: Decimal, height: Decimal, unit: str, rules: RegionRules
) -> None:
    sent = package_dimensions(Dimensions(length, width, height, unit), rules)  # type: ignore[arg-type]
    target = {"INCH": "INCHES", "CENTIMETER": "CENTIMETERS"}[sent["unit"]]
    for given_value, key in ((length, "length"), (width, "width"), (height, "height")):
        exact = convert_length(given_value, unit, target)  # type: ignore[arg-type]
        whole = Decimal(sent[key])
        assert whole == whole.to_integral_value() and whole >= 1
        assert whole >= exact and whole - exact < 1
    imperial = (rules.weight_unit, sent["unit"]) == ("POUND", "INCH")
    metric = (rules.weight_unit, sent["unit"]) == ("KILOGRAM", "CENTIMETER")
    assert imperial or metric


def test_known_values() -> None:
    us, de = region_rules("US"), region_rules("DE")
    assert package_weight(Weight(Decimal(500), "GRAMS"), us) == {"value": "1.11", "unit": "POUND"}
    assert package_weight(Weight(Decimal(1), "POUNDS"), de) == {
        "value": "0.454",
        "unit": "KILOGRAM",
    }
    assert package_weight(Weight(Decimal(16), "OUNCES"), us) == {"value": "1.00", "unit": "POUND"}
    box = Dimensions(Decimal(10), Decimal("20.1"), Decimal(1), "CENTIMETERS")
    assert package_dimensions(box, us) == {
        "length": "4",
        "width": "8",
        "height": "1",
        "unit": "INCH",
    }


def test_the_heaviest_variant_weighs_the_package() -> None:
    light, heavy = Weight(Decimal(900), "GRAMS"), Weight(Decimal(1), "KILOGRAMS")
    assert heaviest([light, None, heavy, Weight(Decimal(0), "POUNDS")]) == heavy
    assert heaviest([None]) is None


prices = st.decimals(min_value=Decimal(0), max_value=Decimal(100_000), places=2)
percents = st.decimals(min_value=Decimal(-90), max_value=Decimal(500), places=3)
fixed = st.decimals(min_value=Decimal(-100), max_value=Decimal(100), places=2)


@given(prices, percents, fixed, st.sampled_from(["USD", "GBP", "EUR", "JPY"]))
def test_a_price_rule_is_exact_decimal_money_rounded_to_the_currency(
    price: Decimal, percent: Decimal, amount: Decimal, currency: str
) -> None:
    result = PriceRule(percent, amount).apply(Money(price, currency))
    assert isinstance(result.amount, Decimal) and result.currency == currency
    places = 0 if currency == "JPY" else 2
    assert result.amount.as_tuple().exponent == -places
    exact = price * (1 + percent / 100) + amount
    assert abs(result.amount - exact) <= Decimal(1).scaleb(-places) / 2


@given(prices, prices, percents, fixed)
def test_a_higher_shopify_price_never_gives_a_lower_tiktok_price(
    low: Decimal, high: Decimal, percent: Decimal, amount: Decimal
) -> None:
    low, high = sorted((low, high))
    rule = PriceRule(percent, amount)
    assert rule.apply(Money(low, "USD")).amount <= rule.apply(Money(high, "USD")).amount


def test_no_rule_keeps_the_price_and_floats_are_refused() -> None:
    assert PriceRule().apply(Money(Decimal("19.99"), "USD")) == Money(Decimal("19.99"), "USD")
    assert PriceRule(Decimal(10)).apply(Money(Decimal("19.99"), "USD")).to_wire() == "21.99"
    assert PriceRule(amount=Decimal(2)).apply(Money(Decimal(1500), "JPY")).to_wire() == "1502"
    with pytest.raises(TypeError):
        PriceRule(percent=1.5)  # type: ignore[arg-type]
