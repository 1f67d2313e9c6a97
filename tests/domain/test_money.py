"""Money stays exact and never mixes currencies."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tiktok_console.domain.money import CurrencyMismatchError, Money, total

amounts = st.decimals(
    min_value=-(10**9), max_value=10**9, places=2, allow_nan=False, allow_infinity=False
)


def test_parse_store_strings() -> None:
    assert Money.parse("12.99", "usd") == Money(Decimal("12.99"), "USD")
    assert Money.parse("", "USD") == Money.zero("USD")


@pytest.mark.parametrize("bad", ["abc", "1,99", "NaN"])
def test_bad_amounts_are_refused(bad: str) -> None:
    with pytest.raises(ValueError):
        Money.parse(bad, "USD")


def test_floats_are_refused() -> None:
    with pytest.raises(TypeError):
        Money.parse(1.1, "USD")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        Money(Decimal(1), "USD") * 1.5  # type: ignore[operator]


def test_currencies_never_mix() -> None:
    with pytest.raises(CurrencyMismatchError):
        Money.parse("1", "USD") + Money.parse("1", "GBP")


def test_wire_format_uses_the_currency_minor_unit() -> None:
    assert Money.parse("10", "USD").to_wire() == "10.00"
    assert Money.parse("10.005", "USD").to_wire() == "10.00"  # half-even
    assert Money.parse("1500", "JPY").to_wire() == "1500"


@given(st.lists(amounts, max_size=30))
def test_sums_are_exact(values: list[Decimal]) -> None:
    money = [Money(v, "USD") for v in values]
    assert total(money, "USD").amount == sum(values, Decimal(0))


@given(amounts, amounts)
def test_subtraction_undoes_addition(a: Decimal, b: Decimal) -> None:
    x, y = Money(a, "USD"), Money(b, "USD")
    assert (x + y) - y == x
    negated = -x
    assert -negated == x
