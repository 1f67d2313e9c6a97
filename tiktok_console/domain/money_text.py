"""Money written as text, the way spreadsheets and Seller Center exports show it.

The API sends ``"12.99"``; an export a merchant opened in Excel and saved can
hold ``$1,234.56``, ``(12.30)``, ``25,90 EUR``, ``BRL 35,91``, ``1.234,56 €``
or a bare float. Each becomes an exact ``Decimal`` with the currency the text
names (if any), and anything else is refused with a message saying why, so an
import reports the cell instead of guessing a number.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from tiktok_console.domain.money import Money

# Symbols name a currency only together with the region's currency: "$" is
# the dollar of the US, Singapore, Mexico... The first candidate is used when
# no currency is expected.
SYMBOLS: dict[str, tuple[str, ...]] = {
    "US$": ("USD",),
    "S$": ("SGD",),
    "MX$": ("MXN",),
    "R$": ("BRL",),
    "RM": ("MYR",),
    "Rp": ("IDR",),
    "$": ("USD", "SGD", "MXN", "CAD", "AUD"),
    "€": ("EUR",),
    "£": ("GBP",),
    "¥": ("JPY", "CNY"),
    "₫": ("VND",),
    "₱": ("PHP",),
    "฿": ("THB",),
    "₩": ("KRW",),
}
_SYMBOL_ALTERNATION = "|".join(re.escape(s) for s in sorted(SYMBOLS, key=len, reverse=True))
_AFFIX = rf"(?:[A-Za-z]{{3}}|{_SYMBOL_ALTERNATION})"
_SHAPE = re.compile(
    rf"^(?P<pre>{_AFFIX})?\s*(?P<sign>[-+])?\s*(?P<pre2>{_AFFIX})?\s*"
    rf"(?P<number>\d[\d.,' ]*)\s*(?P<post>{_AFFIX})?\s*(?P<trail>-)?$"
)
_DASH = re.compile(rf"^(?:{_AFFIX})?\s*[-–—]\s*(?:{_AFFIX})?$")
_PLAIN = re.compile(r"^[-+]?\d+(?:\.\d+)?$")
_SPACES = str.maketrans({"\u00a0": " ", "\u202f": " ", "\u2009": " ", "\u2212": "-"})
# Excel keeps 15 significant digits of a number; more would be float noise.
_FLOAT_DIGITS = ".15g"


class MoneyTextError(ValueError):
    """A cell that does not hold an amount; the message says what is wrong."""


@dataclass(frozen=True, slots=True)
class ParsedAmount:
    """An amount read from text, with the currency the text named (or None)."""

    amount: Decimal
    currency: str | None


def is_blank(value: object) -> bool:
    """An empty cell: None, or text of spaces only."""
    return value is None or (isinstance(value, str) and not value.strip())


def parse_amount(value: object, currency: str | None = None) -> ParsedAmount:
    """Reads one cell as an amount.

    Args:
        value: the cell: text, an int, a Decimal, or a float a spreadsheet gave.
        currency: the currency expected here (the region's); it decides what a
            bare "$" means and is the result's currency when the text names none.

    Raises:
        MoneyTextError: blank, not a number, an ambiguous or unknown currency.
    """
    if isinstance(value, bool) or value is None:
        raise MoneyTextError(f"not an amount: {value!r}")
    if isinstance(value, Decimal | int):
        return ParsedAmount(_finite(Decimal(value), value), currency)
    if isinstance(value, float):
        return ParsedAmount(_from_float(value), currency)
    if not isinstance(value, str):
        raise MoneyTextError(f"not an amount: {value!r}")
    text = value.strip()
    if _PLAIN.match(text):
        return ParsedAmount(Decimal(text), currency)
    return _parse_text(text.translate(_SPACES).strip(), currency)


def parse_money(value: object, currency: str) -> Money:
    """Reads one cell as ``Money`` in ``currency``; a cell naming another currency is refused."""
    parsed = parse_amount(value, currency)
    if parsed.currency is not None and parsed.currency != currency:
        raise MoneyTextError(f"{value!r} is in {parsed.currency}, expected {currency}")
    return Money(parsed.amount, currency)


def _parse_text(text: str, currency: str | None) -> ParsedAmount:
    if not text:
        raise MoneyTextError("blank: no amount")
    negative = False
    if text.startswith("(") and text.endswith(")"):
        negative, text = True, text[1:-1].strip()
    if _DASH.match(text):
        return ParsedAmount(Decimal(0), currency)  # accounting format writes zero as "-"
    shape = _SHAPE.match(text)
    if shape is None:
        raise MoneyTextError(f"not an amount: {text!r}")
    affixes = [a for a in (shape["pre"], shape["pre2"], shape["post"]) if a]
    if len(affixes) > 1:
        raise MoneyTextError(f"two currencies in {text!r}")
    if shape["sign"] == "-" or shape["trail"]:
        if negative:
            raise MoneyTextError(f"negative twice in {text!r}")
        negative = True
    amount = _number(shape["number"].strip(), text)
    named = _currency(affixes[0], currency) if affixes else None
    return ParsedAmount(-amount if negative else amount, named or currency)


def _number(digits: str, text: str) -> Decimal:
    """Digits with grouping and one decimal separator, whichever convention."""
    commas, dots = digits.count(","), digits.count(".")
    if commas and dots:
        decimal_mark = "," if digits.rfind(",") > digits.rfind(".") else "."
    elif commas + dots == 1:
        mark = "," if commas else "."
        whole, _, fraction = digits.partition(mark)
        # "1,234" / "1.234" is a thousand grouped (money has two decimals);
        # "0,125" or "12,50" is a decimal mark.
        grouped = len(fraction) == 3 and whole.strip("0") != "" and len(whole) <= 3
        decimal_mark = "" if grouped else mark
    else:
        decimal_mark = ""  # no mark, or one repeated: "1,234,567" groups
    whole, _, fraction = digits.rpartition(decimal_mark) if decimal_mark else (digits, "", "")
    if decimal_mark and not fraction.isdigit():
        raise MoneyTextError(f"not an amount: {text!r}")
    groups = re.split(r"[.,' ]", whole)
    if len(groups) > 1 and (not 1 <= len(groups[0]) <= 3 or any(len(g) != 3 for g in groups[1:])):
        raise MoneyTextError(f"digits grouped oddly in {text!r}")
    if not all(g.isdigit() for g in groups):
        raise MoneyTextError(f"not an amount: {text!r}")
    return Decimal("".join(groups) + ("." + fraction if fraction else ""))


def _currency(affix: str, expected: str | None) -> str:
    candidates = SYMBOLS.get(affix)
    if candidates is None:
        return affix.upper()  # an ISO code, in whatever case the sheet wrote it
    # A symbol of the expected currency is that currency; otherwise the first
    # candidate, so parse_money reports "in EUR, expected USD" for "€" in a US file.
    return expected if expected in candidates else candidates[0]


def _from_float(value: float) -> Decimal:
    """A spreadsheet's float as the number it displayed: 15 significant digits."""
    try:
        amount = Decimal(format(value, _FLOAT_DIGITS))
    except InvalidOperation as error:  # pragma: no cover - format always gives a number
        raise MoneyTextError(f"not an amount: {value!r}") from error
    amount = _finite(amount, value)
    exponent = amount.as_tuple().exponent
    return amount.quantize(Decimal(1)) if isinstance(exponent, int) and exponent > 0 else amount


def _finite(amount: Decimal, value: object) -> Decimal:
    if not amount.is_finite():
        raise MoneyTextError(f"not a finite amount: {value!r}")
    return amount
