"""How the Admin API writes money and times on the wire.

Inside the sandbox money is ``Decimal``; on the wire ``Money`` (e.g. a variant's
price) is a two-decimal string and ``Decimal`` amounts in ``MoneyV2`` are written
without trailing zeros but with at least one decimal, as Shopify does
(``"10.0"``, ``"12.5"``, ``"19.99"``). Assumption: that formatting, from
responses seen in Shopify's own test fixtures.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

CENT = Decimal("0.01")


def money_str(value: Decimal) -> str:
    """A ``Money`` scalar: ``"12.00"``."""
    return str(value.quantize(CENT))


def decimal_str(value: Decimal) -> str:
    """A ``Decimal`` scalar as in ``MoneyV2.amount``: ``"12.0"``, ``"12.5"``, ``"12.99"``."""
    text = format(value.quantize(CENT).normalize(), "f")
    return text if "." in text else text + ".0"


def money_v2(amount: Decimal, currency: str) -> dict[str, Any]:
    """A ``MoneyV2`` object."""
    return {"amount": decimal_str(amount), "currencyCode": currency}


def money_bag(amount: Decimal, currency: str) -> dict[str, Any]:
    """A ``MoneyBag``: the sandbox's shop and presentment currencies are the same."""
    money = money_v2(amount, currency)
    return {"shopMoney": money, "presentmentMoney": dict(money)}


def iso(timestamp: float | None) -> str | None:
    """A ``DateTime`` scalar: ISO 8601 UTC with a ``Z``, to the second."""
    if timestamp is None:
        return None
    return datetime.fromtimestamp(int(timestamp), tz=UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_iso(value: str) -> float:
    """Parse an ISO 8601 time (``Z`` or offset; a bare date means midnight UTC)."""
    text = value.strip().strip("'\"")
    if text.endswith("Z"):
        text = text[:-1] + "+00:00"
    parsed = datetime.fromisoformat(text)
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.timestamp()


def to_decimal(value: object) -> Decimal:
    """A money input (string or number) as Decimal; raises ValueError when not a number."""
    try:
        return Decimal(str(value))
    except Exception as error:
        raise ValueError(f"invalid decimal: {value!r}") from error
