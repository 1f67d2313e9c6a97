"""Money: an exact ``Decimal`` amount with its currency. Never a float.

Both stores send amounts as strings ("12.99"); they become ``Money`` at the
edge and stay exact through every sum, so a payout reconciles to the cent.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation

# ISO 4217 minor units for the currencies TikTok Shop regions use; default 2.
_MINOR_UNITS = {"JPY": 0, "KRW": 0, "VND": 0, "IDR": 0, "CLP": 0}


class CurrencyMismatchError(ValueError):
    """Two amounts in different currencies were combined."""


@dataclass(frozen=True, order=False)
class Money:
    """An amount in one currency."""

    amount: Decimal
    currency: str

    def __post_init__(self) -> None:
        if not isinstance(self.amount, Decimal):
            raise TypeError(f"Money needs a Decimal amount, not {type(self.amount).__name__}")
        if not self.amount.is_finite():
            raise ValueError(f"not a finite amount: {self.amount}")
        if len(self.currency) != 3 or not self.currency.isalpha() or not self.currency.isupper():
            raise ValueError(f"not an ISO 4217 currency code: {self.currency!r}")

    @classmethod
    def parse(cls, amount: str | int | Decimal, currency: str) -> Money:
        """From a store's string (``"12.99"``); empty means zero."""
        if isinstance(amount, float):
            raise TypeError("refusing a float amount: pass the store's string")
        text = str(amount).strip() or "0"
        try:
            value = Decimal(text)
        except InvalidOperation as error:
            raise ValueError(f"not an amount: {amount!r}") from error
        return cls(value, currency.upper())

    @classmethod
    def zero(cls, currency: str) -> Money:
        """Nothing, in ``currency``."""
        return cls(Decimal(0), currency)

    def __add__(self, other: Money) -> Money:
        self._same_currency(other)
        return Money(self.amount + other.amount, self.currency)

    def __sub__(self, other: Money) -> Money:
        self._same_currency(other)
        return Money(self.amount - other.amount, self.currency)

    def __neg__(self) -> Money:
        return Money(-self.amount, self.currency)

    def __mul__(self, factor: int | Decimal) -> Money:
        if isinstance(factor, float):
            raise TypeError("multiply money by int or Decimal, never float")
        return Money(self.amount * factor, self.currency)

    def __lt__(self, other: Money) -> bool:
        self._same_currency(other)
        return self.amount < other.amount

    def __le__(self, other: Money) -> bool:
        self._same_currency(other)
        return self.amount <= other.amount

    @property
    def minor_units(self) -> int:
        """Digits after the decimal point for this currency."""
        return _MINOR_UNITS.get(self.currency, 2)

    def rounded(self) -> Money:
        """Rounded to the currency's minor unit (banker's rounding, as ledgers do)."""
        quantum = Decimal(1).scaleb(-self.minor_units)
        return Money(self.amount.quantize(quantum, rounding=ROUND_HALF_EVEN), self.currency)

    def to_wire(self) -> str:
        """The amount as stores expect it: fixed-point, minor-unit digits."""
        return f"{self.rounded().amount:f}"

    def __str__(self) -> str:
        return f"{self.to_wire()} {self.currency}"

    def _same_currency(self, other: Money) -> None:
        if not isinstance(other, Money):
            raise TypeError(f"cannot combine Money with {type(other).__name__}")
        if other.currency != self.currency:
            raise CurrencyMismatchError(f"{self.currency} and {other.currency} do not mix")


def total(amounts: list[Money], currency: str) -> Money:
    """The sum of ``amounts`` (zero in ``currency`` when empty)."""
    result = Money.zero(currency)
    for amount in amounts:
        result = result + amount
    return result
