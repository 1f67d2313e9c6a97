"""Money as exports write it reads back to the exact amount and its currency."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tiktok_console.domain.money import Money
from tiktok_console.domain.money_text import (
    MoneyTextError,
    ParsedAmount,
    is_blank,
    parse_amount,
    parse_money,
)

amounts = st.decimals(
    min_value=-(10**9), max_value=10**9, places=2, allow_nan=False, allow_infinity=False
)


def _group(amount: Decimal, thousands: str, decimal: str, places: int = 2) -> str:
    text = f"{abs(amount):,.{places}f}"
    return text.replace(",", "\0").replace(".", decimal).replace("\0", thousands)


def _us(a: Decimal) -> str:
    return ("-" if a < 0 else "") + "$" + _group(a, ",", ".")


def _accounting(a: Decimal) -> str:
    text = _group(a, ",", ".")
    return f"({text})" if a < 0 else text


def _minus(a: Decimal) -> str:
    return f"{a:f}"


def _code_suffix(a: Decimal) -> str:
    return ("-" if a < 0 else "") + _group(a, ".", ",") + " EUR"


def _code_prefix(a: Decimal) -> str:
    return "BRL " + ("-" if a < 0 else "") + _group(a, ".", ",")


def _symbol_suffix(a: Decimal) -> str:
    return ("-" if a < 0 else "") + _group(a, "\u00a0", ",") + " €"


STYLES: dict[str, tuple[Callable[[Decimal], str], str | None]] = {
    "us": (_us, "USD"),
    "accounting": (_accounting, None),
    "minus": (_minus, None),
    "code_suffix": (_code_suffix, "EUR"),
    "code_prefix": (_code_prefix, "BRL"),
    "symbol_suffix": (_symbol_suffix, "EUR"),
}


@pytest.mark.parametrize("style", sorted(STYLES))
@given(amount=amounts)
def test_every_export_style_reads_back_exactly(style: str, amount: Decimal) -> None:
    write, currency = STYLES[style]
    parsed = parse_amount(write(amount))
    assert parsed == ParsedAmount(amount, currency)


@given(st.integers(min_value=-(10**9), max_value=10**9))
def test_whole_pounds(amount: int) -> None:
    text = ("-" if amount < 0 else "") + "£" + f"{abs(amount):,}"
    assert parse_amount(text) == ParsedAmount(Decimal(amount), "GBP")


@given(amounts)
def test_a_spreadsheet_float_is_the_number_it_displayed(amount: Decimal) -> None:
    assert parse_amount(float(amount)).amount == amount


@pytest.mark.parametrize(
    ("text", "amount", "currency"),
    [
        ("$1,234.56", "1234.56", "USD"),
        ("(12.30)", "-12.30", None),
        ("-12.30", "-12.30", None),
        ("25,90 EUR", "25.90", "EUR"),
        ("BRL 35,91", "35.91", "BRL"),
        ("1.234,56 €", "1234.56", "EUR"),
        ("£12", "12", "GBP"),
        ("R$ 35,91", "35.91", "BRL"),
        ("RM12.00", "12.00", "MYR"),
        ("usd 3.50", "3.50", "USD"),
        ("12.30-", "-12.30", None),
        ("($1,234.56)", "-1234.56", "USD"),
        ("1'234.50", "1234.50", None),
        ("  7.5  ", "7.5", None),
        ("$ -", "0", None),
        ("1,234", "1234", None),
        ("0,125", "0.125", None),
    ],
)
def test_forms_seen_in_exports(text: str, amount: str, currency: str | None) -> None:
    assert parse_amount(text) == ParsedAmount(Decimal(amount), currency)


def test_a_dollar_is_the_region_s_dollar() -> None:
    assert parse_amount("$5.00", "SGD").currency == "SGD"
    assert parse_money("$5.00", "MXN") == Money(Decimal("5.00"), "MXN")
    assert parse_money("5.00", "USD") == Money(Decimal("5.00"), "USD")


def test_float_noise_is_not_kept() -> None:
    assert parse_amount(0.1 + 0.2).amount == Decimal("0.3")
    assert parse_amount(1200.0).amount == Decimal(1200)


@pytest.mark.parametrize(
    ("value", "says"),
    [
        ("abc", "not an amount"),
        ("1,2,3", "grouped oddly"),
        ("12.3.4", "grouped oddly"),
        ("$€12", "two currencies"),
        ("(-12)", "negative twice"),
        ("", "blank"),
        (None, "not an amount"),
        (True, "not an amount"),
        (float("nan"), "finite"),
        (float("inf"), "finite"),
    ],
)
def test_what_is_not_an_amount_says_why(value: object, says: str) -> None:
    with pytest.raises(MoneyTextError, match=says):
        parse_amount(value)


def test_another_currency_than_expected_is_refused() -> None:
    with pytest.raises(MoneyTextError, match="in EUR, expected USD"):
        parse_money("25,90 EUR", "USD")
    with pytest.raises(MoneyTextError, match="in EUR, expected USD"):
        parse_money("€3", "USD")


def test_blank_cells() -> None:
    assert is_blank(None) and is_blank("  ")
    assert not is_blank("0") and not is_blank(0)
