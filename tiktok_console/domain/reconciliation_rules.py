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
        "sales",
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
        self.sales: dict[str, Decimal] = {}  # their revenue per SKU

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
        sold = ZERO
        for field, value in line.parts.items():
            if field in _SALE:
                self.base += value
                if refund_line:
                    self.refunded += value
                else:
                    self.sale += value
                    sold += value
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
            sku = line.sku_id
            self.units[sku] = self.units.get(sku, 0) + line.quantity
            self.sales[sku] = self.sales.get(sku, ZERO) + sold

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
        for sku, amount in other.sales.items():
            self.sales[sku] = self.sales.get(sku, ZERO) + amount


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
        notes.append(
            f"TikTok settled {tally.sale} of sales where the order's prices after your "
            f"discounts come to {expected}"
        )
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
            notes.append(charge_note(field, amount, wanted, rate))
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
        named.append(CauseAmount(_UNEXPLAINED, rest, "; ".join(notes) or _NO_CAUSE))
    return tuple(named)


_NO_CAUSE = "the lines settle a different amount than the order, its fees and refunds explain"
# What each charge is, in the merchant's words, for the notes of unexplained money.
CHARGE_WORDS: dict[Field, str] = {
    Field.ACTUAL_SHIPPING_FEE: "the TikTok Shipping label",
    Field.CUSTOMER_SHIPPING_FEE: "the shipping the buyer paid",
    Field.PLATFORM_SHIPPING_DISCOUNT: "TikTok's shipping discount",
    Field.REFERRAL_FEE: "the referral fee",
    Field.COMMISSION_FEE: "the commission",
    Field.TRANSACTION_FEE: "the transaction fee",
    Field.SFP_SERVICE_FEE: "the SFP service fee",
}


def charge_note(field: Field, amount: Decimal, wanted: Decimal, rate: Decimal | None) -> str:
    """One charge that is not what was expected, in plain words with both amounts.

    Charges are negative (TikTok takes them), credits positive (TikTok pays them).
    """
    words = CHARGE_WORDS.get(field, field.value.replace("_", " "))
    basis = f" ({(rate * 100).normalize():f} % of the sale)" if rate is not None else ""
    if amount <= 0 and wanted <= 0:
        more = -amount - -wanted
        side = "more" if more > 0 else "less"
        return (
            f"TikTok charged {-amount} for {words} where {-wanted} was expected{basis}: "
            f"{abs(more)} {side}"
        )
    return f"TikTok paid {amount} for {words} where {wanted} was expected{basis}"


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
    is left). What a SKU's left-out units should have earned is its expected
    revenue less what its settled units did (units of one SKU can carry
    different discounts); with no revenue known for the SKU, an even share.
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
            sold = tally.sales.get(sku.sku_id)
            if sold is not None:
                missing += sku.expected_revenue - sold
                continue
            share = sku.expected_revenue * (sku.quantity - settled) / sku.quantity
            missing += share.quantize(CENT, rounding=ROUND_HALF_UP)
    return missing, any_missing


def _platform_discount(order: TikTokOrder, sku_id: str | None) -> Decimal:
    if sku_id is None:
        return order.platform_discount
    return next((s.platform_discount for s in order.skus if s.sku_id == sku_id), ZERO)


def shopify_causes(
    order: TikTokOrder | None,
    copy: ShopifyOrder | None,
    expected: Decimal,
    causes: Iterable[CauseAmount] = (),
) -> tuple[CauseAmount, ...]:
    """The Shopify order against the TikTok order: missing, different, refunds missing.

    The console creates the Shopify order at the prices the buyer paid (after
    the seller's and TikTok's discounts), so its subtotal is compared with
    the TikTok order's expected revenue less the platform discount. TikTok's
    refunds (``causes``: refunds settled, or units left out of the
    settlement) are compared with Shopify's, counted at TikTok's prices: a
    refunded unit at its expected revenue, a refund of money alone at its amount.
    """
    if order is None or order.cancelled:
        return ()
    if copy is None:
        note = order.not_in_shopify or "the console has not made this order in Shopify yet"
        return (CauseAmount(Cause.SHOPIFY_ORDER_MISSING, expected, note),)
    if not copy.read:  # not read back from Shopify yet: nothing to compare
        return ()
    found: list[CauseAmount] = []
    tolerance = CENT * max(len(order.skus), 1)
    paid = expected - order.platform_discount
    if abs(copy.subtotal - paid) > tolerance:
        note = (
            f"Shopify order {copy.name} has a subtotal of {copy.subtotal}; the TikTok "
            f"order's prices after discounts come to {paid}"
        )
        found.append(CauseAmount(_UNEXPLAINED, copy.subtotal - paid, note))
    tiktok = -sum((c.amount for c in causes if c.cause in _REFUNDS), ZERO)
    if not copy.refunds:
        if tiktok > 0:
            note = (
                f"TikTok refunded {tiktok} of this order; Shopify order {copy.name} has no refund"
            )
            found.append(CauseAmount(Cause.SHOPIFY_REFUND_MISSING, tiktok, note))
        return tuple(found)
    shopify = shopify_refunded(order, copy)
    gap = tiktok - shopify
    if gap > tolerance:
        note = (
            f"TikTok refunded {tiktok}; Shopify order {copy.name} refunded {shopify} "
            "(counted at TikTok's prices)"
        )
        found.append(CauseAmount(Cause.SHOPIFY_REFUND_MISSING, gap, note))
    elif gap < -tolerance:
        # Mirrored already, settled by TikTok in a statement still to come.
        note = (
            f"Shopify order {copy.name} refunded {shopify} (at TikTok's prices), TikTok has "
            f"settled {tiktok} of refunds so far: the rest comes off a later statement"
        )
        found.append(CauseAmount(Cause.NOT_SETTLED_YET, gap, note))
    return tuple(found)


_REFUNDS = frozenset({Cause.REFUND, Cause.REFUND_LATER_STATEMENT})


def shopify_refunded(order: TikTokOrder, copy: ShopifyOrder) -> Decimal:
    """Shopify's refunds as TikTok counts refunds: units at their expected revenue.

    A refund of money alone (no lines) counts at its amount, and so does a
    refund of a unit whose seller SKU the TikTok order does not have.
    """
    unit_value = {s.seller_sku: s.expected_revenue / s.quantity for s in order.skus if s.quantity}
    total = ZERO
    for refund in copy.refunds:
        if not refund.units:
            total += refund.amount
            continue
        counted = ZERO
        for sku, units in refund.units.items():
            value = unit_value.get(sku)
            if value is None:
                counted = refund.amount
                break
            counted += value * units
        total += counted
    return total.quantize(CENT, rounding=ROUND_HALF_UP)


def status_of(causes: Iterable[CauseAmount], shopify: Iterable[CauseAmount]) -> Status:
    routine = True
    for group in (causes, shopify):
        for cause, _, _ in group:
            if cause in NEEDS_LOOK:
                return _UNEXPLAINED_STATUS
            routine = routine and cause in ROUTINE
    return _MATCHED if routine else _EXPLAINED
