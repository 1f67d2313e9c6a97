"""Inventory math: what TikTok should show for a SKU, and a sentence saying why.

Shopify is the master. TikTok gets what Shopify has at the mapped locations,
less a buffer the merchant holds back (units or a percentage, the larger of the
global default and, during a livestream, the tighter livestream buffer), less
the units TikTok already sold that Shopify does not know about yet (in-flight
orders), clamped to what TikTok accepts and, during a livestream, to a cap. A
frozen SKU shows 0. Pure functions: the jobs feed them what they read.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

TIKTOK_MAX_QUANTITY = 99_999  # update-inventory refuses more (12019024)
MAX_BUFFER_UNITS = 99_999

_UNITS = re.compile(r"^\d+$")
_PERCENT = re.compile(r"^(\d+)\s*%$")


@dataclass(frozen=True)
class Buffer:
    """Units held back from TikTok: a fixed count, a share of the stock, or both.

    When both are set the larger applies (a floor of units, and a share on big stock).
    """

    units: int = 0
    percent: int = 0

    def held_back(self, available: int) -> int:
        """The units this buffer keeps off TikTok when Shopify has ``available``."""
        share = math.ceil(max(available, 0) * self.percent / 100)  # hold back at least that share
        return max(self.units, share)

    def text(self) -> str:
        """How the merchant writes it: ``"3"``, ``"10%"`` or ``"3 or 10%"``."""
        if self.percent and self.units:
            return f"{self.units} or {self.percent}%"
        return f"{self.percent}%" if self.percent else str(self.units)


def parse_buffer(text: str) -> Buffer | None:
    """A per-SKU buffer as typed: ``"3"`` (units) or ``"10%"``; ``""`` means the global default.

    Raises:
        ValueError: with a message the merchant can act on.
    """
    cleaned = text.strip()
    if not cleaned:
        return None
    percent = _PERCENT.match(cleaned)
    if percent:
        value = int(percent.group(1))
        if value > 100:
            raise ValueError(f"A buffer of {value}% is more than all the stock: use 0% to 100%.")
        return Buffer(percent=value)
    if _UNITS.match(cleaned):
        units = int(cleaned)
        if units > MAX_BUFFER_UNITS:
            raise ValueError(
                f"A buffer of {units} units is too large: use 0 to {MAX_BUFFER_UNITS}."
            )
        return Buffer(units=units)
    if cleaned.startswith("-"):
        raise ValueError(f"A buffer cannot be negative ({cleaned!r}): use 0 for none.")
    raise ValueError(
        f"{cleaned!r} is not a buffer: type a whole number of units (e.g. 3) "
        "or a percentage (e.g. 10%), or leave it empty for the default."
    )


@dataclass(frozen=True)
class StockInputs:
    """Everything one SKU's TikTok quantity depends on.

    Attributes:
        shopify_available: Shopify ``available`` summed over the mapped locations
            (negative when Shopify oversold).
        in_flight: units in TikTok orders that Shopify has not counted yet.
        buffer: the buffer in force (the SKU's own, else the global default).
        livestream_buffer: the livestream's buffer while one is on (the larger applies).
        cap: the most TikTok may show (livestream caps), or None.
        frozen: the merchant froze the SKU: TikTok shows 0.
    """

    shopify_available: int
    in_flight: int = 0
    buffer: Buffer = Buffer()
    livestream_buffer: Buffer | None = None
    cap: int | None = None
    frozen: bool = False


@dataclass(frozen=True)
class StockTarget:
    """What TikTok should show, with its inputs as the ledger stores them."""

    quantity: int
    buffer: int  # units held back
    in_flight: int
    cap: int | None
    frozen: bool
    negative: bool  # Shopify's available was below zero: pushed as 0, worth a warning
    explanation: str


def target_quantity(inputs: StockInputs) -> StockTarget:
    """The TikTok quantity for ``inputs``: never negative, never above Shopify less in-flight."""
    available = inputs.shopify_available
    held = inputs.buffer.held_back(available)
    if inputs.livestream_buffer is not None:
        held = max(held, inputs.livestream_buffer.held_back(available))
    in_flight = max(inputs.in_flight, 0)
    raw = available - held - in_flight
    quantity = min(max(raw, 0), TIKTOK_MAX_QUANTITY)
    parts = [f"Shopify {available}"]
    if held:
        parts.append(f"buffer {held}")
    if in_flight:
        parts.append(f"{in_flight} in flight")
    sentence = " − ".join(parts) + f" = {raw}" if len(parts) > 1 else f"Shopify {available}"
    notes: list[str] = []
    if available < 0:
        notes.append("Shopify stock is negative: TikTok gets 0")
    elif raw < 0:
        notes.append("nothing left for TikTok")
    if raw > TIKTOK_MAX_QUANTITY:
        notes.append(f"TikTok accepts at most {TIKTOK_MAX_QUANTITY}")
    cap = inputs.cap
    if cap is not None and quantity > cap:
        quantity = max(cap, 0)
        notes.append(f"capped at {quantity} for the livestream")
    if inputs.frozen:
        quantity = 0
        notes.append("frozen: TikTok shows 0")
    explanation = "; ".join([sentence, *notes])
    return StockTarget(
        quantity=quantity,
        buffer=held,
        in_flight=in_flight,
        cap=cap,
        frozen=inputs.frozen,
        negative=available < 0,
        explanation=explanation,
    )


def warehouse_quantities(warehouses: list[str], quantity: int) -> dict[str, int]:
    """How to list ``quantity`` over a SKU's warehouses, as TikTok wants every one named.

    Shopify is the one stock pool, so TikTok's split between its warehouses means
    nothing to us: all units go to the first warehouse and the others get 0.
    """
    if not warehouses:
        return {}
    return {wid: (quantity if index == 0 else 0) for index, wid in enumerate(warehouses)}
