"""The rules that name each part of a difference between expected and settled money.

Lines are tallied once (``Tally``), per SKU, and the SKU tallies are merged
into the order's, so an order and each of its SKUs are explained without
walking their lines twice. ``explain`` then names every part of the
difference: refunds (in this or a later statement), sample orders,
platform discounts, each fee against its expected rate, the shipping label,
adjustments; the rest is ``unexplained``, so the causes always add up.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal
from typing import NamedTuple

from tiktok_console.domain.reconciliation_inputs import (
    NEEDS_LOOK,
    ROUTINE,
    ZERO,
    Cause,
    FeeRates,
    ShopifyOrder,
    Status,
    TikTokOrder,
)
from tiktok_console.domain.settlement_fields import Field
from tiktok_console.domain.settlement_lines import LineKind, SettlementLine

CENT = Decimal("0.01")
_new = tuple.__new__
_SALE = frozenset({Field.SUBTOTAL_BEFORE_DISCOUNTS, Field.SELLER_DISCOUNTS, Field.REVENUE})
_REFUNDED = frozenset({Field.REFUND_SUBTOTAL, Field.SELLER_DISCOUNT_REFUND})
# Bound once: looking an enum member up on its class is slow in a hot loop.
_ADJUSTMENT, _REFUND_KIND = LineKind.ADJUSTMENT, LineKind.REFUND
_ADJUSTMENT_AMOUNT = Field.ADJUSTMENT_AMOUNT
_LATER, _REFUND, _SAMPLE = Cause.REFUND_LATER_STATEMENT, Cause.REFUND, Cause.SAMPLE_ORDER
_PLATFORM_DISCOUNT, _OTHER_FEE = Cause.PLATFORM_DISCOUNT, Cause.OTHER_FEE
_ADJUSTMENT_CAUSE, _UNEXPLAINED = Cause.ADJUSTMENT, Cause.UNEXPLAINED
_UNKNOWN_CHARGE: tuple[Cause, Decimal | None, bool] = (Cause.OTHER_FEE, None, False)
_MATCHED, _EXPLAINED, _UNEXPLAINED_STATUS = Status.MATCHED, Status.EXPLAINED, Status.UNEXPLAINED


class CauseAmount(NamedTuple):
    """One named part of a difference (signed like the settlement).

    Results are named tuples, not frozen dataclasses: a year of orders makes
    hundreds of thousands of them, and a tuple is built several times faster.
    """

    cause: Cause
    amount: Decimal
    note: str = ""


class Tally:
    """Running sums of some settlement lines, split the way ``explain`` needs them."""

    __slots__ = (
        "actual",
        "adjusted",
        "base",
        "labels",
        "lines",
        "refund_keys",
        "refunded",
        "sale",
        "sale_keys",
        "settled",
        "units",
    )

    def __init__(self) -> None:
        """An empty tally."""
        self.settled = self.sale = self.refunded = self.adjusted = self.base = ZERO
        self.actual: dict[Field, Decimal] = {}
        self.sale_keys: set[object] = set()
        self.refund_keys: set[object] = set()
        self.labels: set[str] = set()
        self.lines = 0
        self.units: dict[str, int] = {}  # units sold per SKU, from lines that say

    def add(self, line: SettlementLine) -> None:
        """Counts one line: revenue sold or refunded, each charge, adjustments."""
        self.lines += 1
        self.settled += line.settlement
        if line.kind is _ADJUSTMENT:
            self.adjusted += line.settlement
            self.labels.add(line.type_label or "adjustment")
            return
        refund_line = line.kind is _REFUND_KIND
        actual = self.actual
        for field, value in line.parts.items():
            if field in _SALE:
                self.base += value
                if refund_line:
                    self.refunded += value
                else:
                    self.sale += value
            elif field in _REFUNDED:
                self.base += value
                self.refunded += value
                refund_line = refund_line or bool(value)
            elif field is _ADJUSTMENT_AMOUNT:
                self.adjusted += value
            else:
                actual[field] = actual.get(field, ZERO) + value
        key = line.statement_id or (line.settled_time.date() if line.settled_time else None)
        (self.refund_keys if refund_line else self.sale_keys).add(key)
        if line.quantity and not refund_line:
            self.units[line.sku_id] = self.units.get(line.sku_id, 0) + line.quantity

    def merge(self, other: Tally) -> None:
        """Adds another tally (a SKU's into its order's)."""
        self.lines += other.lines
        self.settled += other.settled
        self.sale += other.sale
        self.refunded += other.refunded
        self.adjusted += other.adjusted
        self.base += other.base
        for field, value in other.actual.items():
            self.actual[field] = self.actual.get(field, ZERO) + value
        self.sale_keys |= other.sale_keys
        self.refund_keys |= other.refund_keys
        self.labels |= other.labels
        for sku, count in other.units.items():
            self.units[sku] = self.units.get(sku, 0) + count


def explain(
    expected: Decimal,
    tally: Tally,
    order: TikTokOrder | None,
    rates: FeeRates,
    sku_id: str | None,
) -> tuple[CauseAmount, ...]:
    """Names the parts of (settled - expected); they add up to it exactly."""
    causes: dict[Cause, Decimal] = {}
    notes: list[str] = []
    refunded = tally.refunded
    if refunded:
        later = bool(tally.sale_keys) and bool(tally.refund_keys - tally.sale_keys)
        causes[_LATER if later else _REFUND] = refunded
    gap = tally.sale - expected
    if gap and order is not None and order.is_sample:
        causes[_SAMPLE] = gap
    elif gap and order is not None and gap == -_platform_discount(order, sku_id):
        causes[_PLATFORM_DISCOUNT] = gap
    elif gap and order is not None and _left_out(order, tally, sku_id) == (-gap, True):
        # Units refunded or cancelled before the order settled are left out of its lines.
        causes[_REFUND] = causes.get(_REFUND, ZERO) + gap
    elif gap:
        notes.append(f"revenue {tally.sale} where the order says {expected}")
    # TikTok rounds each line's fee: allow a cent per line, round the expectation once.
    tolerance = rates.tolerance * tally.lines
    base = tally.base
    spec_of = rates.charges.get
    order_level = order is not None and sku_id is None  # shipping is charged per order
    total = ZERO
    for field, amount in tally.actual.items():
        cause, rate, checked = spec_of(field, _UNKNOWN_CHARGE)
        if rate is not None:
            wanted: Decimal | None = -base * rate
        else:
            wanted = _expected(field, order, rates) if order_level and checked else None
        if wanted is not None and abs(amount - wanted) > tolerance:
            wanted = wanted.quantize(CENT, rounding=ROUND_HALF_UP)
            notes.append(f"{field.value} {amount} where {wanted} was expected")
            amount = wanted
        causes[cause] = causes.get(cause, ZERO) + amount
    if tally.adjusted:
        causes[_ADJUSTMENT_CAUSE] = tally.adjusted
    labels = ", ".join(sorted(tally.labels)) if tally.labels else ""
    named = []
    for cause, amount in causes.items():
        if amount:
            total += amount
            # tuple.__new__ skips the named tuple's keyword handling: a year makes 100,000s.
            named.append(
                _new(CauseAmount, (cause, amount, labels if cause is _ADJUSTMENT_CAUSE else ""))
            )
    rest = tally.settled - expected - total
    if rest:
        named.append(CauseAmount(_UNEXPLAINED, rest, "; ".join(notes) or "no cause found"))
    return tuple(named)


def _expected(field: Field, order: TikTokOrder | None, rates: FeeRates) -> Decimal | None:
    """What an order's shipping charge should be, or None when any amount is accepted."""
    if order is None:
        return None
    if field is Field.ACTUAL_SHIPPING_FEE:
        # With a label cost set, an order the seller ships buys no TikTok label: none is due.
        if rates.label_cost is None:
            return None
        return -rates.label_cost if order.tiktok_shipped else ZERO
    if field is Field.CUSTOMER_SHIPPING_FEE:
        return order.buyer_shipping
    return order.shipping_platform_discount  # PLATFORM_SHIPPING_DISCOUNT


def _left_out(order: TikTokOrder, tally: Tally, sku_id: str | None) -> tuple[Decimal, bool]:
    """The expected revenue of units the lines did not settle, and whether any were left out.

    Only when the lines say how many units they settled (the API's SKU lines
    and exports with a Quantity column do), or when they settled no revenue
    at all (every unit refunded before the order settled: only its shipping
    is left); a unit's share is its SKU's expected revenue divided evenly.
    """
    nothing_sold = not tally.base  # lines with no revenue at all (only shipping, say)
    if not tally.units and not nothing_sold:
        return ZERO, False
    missing = ZERO
    any_missing = False
    for sku in order.skus:
        if sku_id is not None and sku.sku_id != sku_id:
            continue
        settled = tally.units.get(sku.sku_id, 0)
        if 0 <= settled < sku.quantity:
            any_missing = True
            share = sku.expected_revenue * (sku.quantity - settled) / sku.quantity
            missing += share.quantize(CENT, rounding=ROUND_HALF_UP)
    return missing, any_missing


def _platform_discount(order: TikTokOrder, sku_id: str | None) -> Decimal:
    if sku_id is None:
        return order.platform_discount
    return next((s.platform_discount for s in order.skus if s.sku_id == sku_id), ZERO)


def shopify_causes(
    order: TikTokOrder | None, copy: ShopifyOrder | None, expected: Decimal, refunded: Decimal
) -> tuple[CauseAmount, ...]:
    """The Shopify order against the TikTok order: missing, different, refunds missing."""
    if order is None or order.cancelled:
        return ()
    if copy is None:
        return (CauseAmount(Cause.SHOPIFY_ORDER_MISSING, expected),)
    causes = []
    if copy.subtotal != expected:
        note = f"Shopify subtotal {copy.subtotal}, TikTok {expected}"
        causes.append(CauseAmount(Cause.UNEXPLAINED, copy.subtotal - expected, note))
    missing = -refunded - copy.refunded
    if missing > 0:
        causes.append(CauseAmount(Cause.SHOPIFY_REFUND_MISSING, missing))
    elif missing < 0:
        note = "Shopify refunded more than TikTok settled"
        causes.append(CauseAmount(Cause.UNEXPLAINED, missing, note))
    return tuple(causes)


def status_of(causes: Iterable[CauseAmount], shopify: Iterable[CauseAmount]) -> Status:
    routine = True
    for group in (causes, shopify):
        for cause, _, _ in group:
            if cause in NEEDS_LOOK:
                return _UNEXPLAINED_STATUS
            routine = routine and cause in ROUTINE
    return _MATCHED if routine else _EXPLAINED
