"""Every TikTok order explained down to the SKU: expected money, settled money, named causes.

For each order (and each SKU in it) the expected revenue (the TikTok
order's ``original_total_product_price`` less ``seller_discount``) is set
against what its settlement lines paid, and the Shopify order and refunds
against both. Every difference gets a ``Cause``; fees are checked against
the expected rates, so a fee above its rate is not explained by being a
fee. Whatever no cause explains is ``unexplained``, with its amount, and
``variance == sum(causes)`` always holds exactly.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from tiktok_console.domain.reconciliation_inputs import (
    FEE_CAUSES,
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
from tiktok_console.domain.settlement_ids import LostIdResolver
from tiktok_console.domain.settlement_lines import LineKind, SettlementLine

CENT = Decimal("0.01")
_SALE = frozenset({Field.SUBTOTAL_BEFORE_DISCOUNTS, Field.SELLER_DISCOUNTS, Field.REVENUE})
_REFUNDED = frozenset({Field.REFUND_SUBTOTAL, Field.SELLER_DISCOUNT_REFUND})


@dataclass(frozen=True, slots=True)
class CauseAmount:
    """One named part of a difference (signed like the settlement)."""

    cause: Cause
    amount: Decimal
    note: str = ""


@dataclass(frozen=True)
class OrderReconciliation:
    """One order, one SKU of an order (``sku_id`` set), or one line tied to no order.

    ``causes`` add up to ``variance``; ``shopify_causes`` compare the Shopify
    order with the TikTok order and are apart from the money settled.
    """

    order_id: str
    currency: str
    expected: Decimal
    settled: Decimal
    status: Status
    causes: tuple[CauseAmount, ...]
    shopify_causes: tuple[CauseAmount, ...] = ()
    shopify_order: str | None = None
    sku_id: str = ""
    adjustment_id: str = ""
    lines: int = 0

    @property
    def variance(self) -> Decimal:
        """Settled minus expected."""
        return self.settled - self.expected

    @property
    def unexplained(self) -> Decimal:
        """The money nobody can account for (settlement and Shopify sides)."""
        return sum(
            (c.amount for c in (*self.causes, *self.shopify_causes) if c.cause in NEEDS_LOOK), ZERO
        )


@dataclass(frozen=True)
class Reconciliation:
    """Every order, every SKU of them, and the lines tied to no order."""

    orders: tuple[OrderReconciliation, ...]
    skus: tuple[OrderReconciliation, ...]
    unmatched: tuple[OrderReconciliation, ...]
    resolved_lost_ids: int = 0

    @property
    def unexplained_total(self) -> Decimal:
        """All unexplained money, orders and unmatched lines."""
        return sum((r.unexplained for r in (*self.orders, *self.unmatched)), ZERO)


def reconcile(
    orders: Iterable[TikTokOrder],
    lines: Iterable[SettlementLine],
    shopify: Iterable[ShopifyOrder],
    rates: FeeRates,
) -> Reconciliation:
    """Reconciles every order the stores or the lines know (reserve lines are the payments')."""
    tiktok = {o.order_id: o for o in orders}
    shop = {s.tiktok_order_id: s for s in shopify}
    resolver = LostIdResolver(tiktok.values())
    grouped: dict[str, list[SettlementLine]] = defaultdict(list)
    loose: list[SettlementLine] = []
    resolved = 0
    for line in lines:
        if line.kind is LineKind.RESERVE:
            continue
        order_id = line.order_id
        if not order_id and line.lost_ids:
            order_id = resolver.resolve(line)
            resolved += bool(order_id)
        if order_id:
            grouped[order_id].append(line)
        else:
            loose.append(line)
    results: list[OrderReconciliation] = []
    skus: list[OrderReconciliation] = []
    for order_id in (*tiktok, *(k for k in grouped if k not in tiktok)):
        order, copy = tiktok.get(order_id), shop.get(order_id)
        found = grouped.get(order_id, [])
        results.append(_order(order_id, order, copy, found, rates))
        if order is not None and found:
            skus.extend(_skus(order, found, rates))
    unmatched = tuple(_loose(line) for line in loose)
    return Reconciliation(tuple(results), tuple(skus), unmatched, resolved)


def _order(
    order_id: str,
    order: TikTokOrder | None,
    copy: ShopifyOrder | None,
    lines: Sequence[SettlementLine],
    rates: FeeRates,
) -> OrderReconciliation:
    currency = order.currency if order else copy.currency if copy else lines[0].currency
    if order is None and copy is None:
        settled = sum((x.settlement for x in lines), ZERO)
        cause = CauseAmount(Cause.UNEXPLAINED, settled, "order unknown to TikTok and Shopify")
        return OrderReconciliation(
            order_id, currency, ZERO, settled, Status.UNEXPLAINED, (cause,), lines=len(lines)
        )
    if order is not None:
        expected = order.expected_revenue
    else:
        assert copy is not None  # one of them is known: checked above
        expected = copy.subtotal
    if not lines:
        causes: tuple[CauseAmount, ...] = ()
        if expected:
            when = order.expected_settle_on if order else None
            note = f"expected on {when.isoformat()}" if when else "no settlement date known yet"
            causes = (CauseAmount(Cause.NOT_SETTLED_YET, -expected, note),)
        shopify = _shopify(order, copy, expected, ZERO)
        status = Status.UNSETTLED if expected else _status(causes, shopify)
        name = copy.name if copy else None
        return OrderReconciliation(
            order_id, currency, expected, ZERO, status, causes, shopify, name
        )
    settled, causes, refunded = _explain(expected, lines, order, rates, None)
    shopify = _shopify(order, copy, expected, refunded)
    return OrderReconciliation(
        order_id,
        currency,
        expected,
        settled,
        _status(causes, shopify),
        causes,
        shopify,
        copy.name if copy else None,
        lines=len(lines),
    )


def _skus(
    order: TikTokOrder, lines: Sequence[SettlementLine], rates: FeeRates
) -> list[OrderReconciliation]:
    by_sku: dict[str, list[SettlementLine]] = defaultdict(list)
    for line in lines:
        if line.sku_id:
            by_sku[line.sku_id].append(line)
    if not by_sku:
        return []  # an export of whole orders: the order level says it all
    results = []
    for sku in order.skus:
        found = by_sku.pop(sku.sku_id, [])
        settled, causes, _ = _explain(sku.expected_revenue, found, order, rates, sku.sku_id)
        status = Status.UNSETTLED if not found else _status(causes, ())
        results.append(
            OrderReconciliation(
                order.order_id,
                order.currency,
                sku.expected_revenue,
                settled,
                status,
                causes,
                sku_id=sku.sku_id,
                lines=len(found),
            )
        )
    for sku_id, found in by_sku.items():  # settled for a SKU the order does not have
        settled, causes, _ = _explain(ZERO, found, None, rates, sku_id)
        extra = OrderReconciliation(
            order.order_id, order.currency, ZERO, settled, Status.UNEXPLAINED, causes, sku_id=sku_id
        )
        results.append(extra)
    return results


def _explain(
    expected: Decimal,
    lines: Sequence[SettlementLine],
    order: TikTokOrder | None,
    rates: FeeRates,
    sku_id: str | None,
) -> tuple[Decimal, tuple[CauseAmount, ...], Decimal]:
    """Names the parts of (settled - expected); returns settled, causes, refunded revenue."""
    settled = sale = refunded = adjusted = ZERO
    actual: dict[Field, Decimal] = {}
    expected_fee: dict[Field, Decimal] = {}
    sale_statements: set[object] = set()
    refund_statements: set[object] = set()
    labels: set[str] = set()
    for line in lines:
        settled += line.settlement
        if line.kind is LineKind.ADJUSTMENT:
            adjusted += line.settlement
            labels.add(line.type_label or "adjustment")
            continue
        revenue = ZERO
        refund_line = line.kind is LineKind.REFUND
        for field, value in line.parts.items():
            if field in _SALE and not refund_line:
                sale += value
                revenue += value
            elif field in _SALE or field in _REFUNDED:
                refunded += value
                revenue += value
                refund_line = refund_line or value != 0
            elif field is Field.ADJUSTMENT_AMOUNT:
                adjusted += value
            else:
                actual[field] = actual.get(field, ZERO) + value
        when = line.statement_id or (line.settled_time.date() if line.settled_time else None)
        (refund_statements if refund_line else sale_statements).add(when)
        for field, rate in rates.rates.items():
            fee = -(revenue * rate).quantize(CENT, rounding=ROUND_HALF_UP)
            expected_fee[field] = expected_fee.get(field, ZERO) + fee
    causes: dict[Cause, Decimal] = defaultdict(lambda: ZERO)
    notes: list[str] = []
    if refunded:
        later = bool(refund_statements - sale_statements) and bool(sale_statements)
        causes[Cause.REFUND_LATER_STATEMENT if later else Cause.REFUND] += refunded
    gap = sale - expected
    if gap and order is not None and order.is_sample:
        causes[Cause.SAMPLE_ORDER] += gap
    elif gap and order is not None and gap == -_platform_discount(order, sku_id):
        causes[Cause.PLATFORM_DISCOUNT] += gap
    elif gap:
        notes.append(f"revenue {sale} where the order says {expected}")
    tolerance = rates.tolerance * max(len(lines), 1)
    for field, amount in actual.items():
        cause = FEE_CAUSES.get(field, Cause.OTHER_FEE)
        wanted = _expected(field, order, rates, sku_id, expected_fee)
        if wanted is not None and abs(amount - wanted) > tolerance:
            notes.append(f"{field.value} {amount} where {wanted} was expected")
            amount = wanted
        causes[cause] += amount
    if adjusted:
        causes[Cause.ADJUSTMENT] += adjusted
    named = [CauseAmount(c, a, ", ".join(sorted(labels)) if c is Cause.ADJUSTMENT else "")
             for c, a in causes.items() if a]  # fmt: skip
    rest = settled - expected - sum((c.amount for c in named), ZERO)
    if rest:
        named.append(CauseAmount(Cause.UNEXPLAINED, rest, "; ".join(notes) or "no cause found"))
    return settled, tuple(named), refunded


def _expected(
    field: Field,
    order: TikTokOrder | None,
    rates: FeeRates,
    sku_id: str | None,
    fees: dict[Field, Decimal],
) -> Decimal | None:
    """What ``field`` should amount to, or None when any amount is accepted."""
    if field in fees:
        return fees[field]
    if order is None or sku_id is not None:
        return None  # shipping is charged per order, not per SKU
    if field is Field.ACTUAL_SHIPPING_FEE and order.tiktok_shipped and rates.label_cost:
        return -rates.label_cost
    if field is Field.CUSTOMER_SHIPPING_FEE:
        return order.buyer_shipping
    if field is Field.PLATFORM_SHIPPING_DISCOUNT:
        return order.shipping_platform_discount
    return None


def _platform_discount(order: TikTokOrder, sku_id: str | None) -> Decimal:
    if sku_id is None:
        return order.platform_discount
    return next((s.platform_discount for s in order.skus if s.sku_id == sku_id), ZERO)


def _shopify(
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


def _status(causes: Iterable[CauseAmount], shopify: Iterable[CauseAmount]) -> Status:
    every = (*causes, *shopify)
    if any(c.cause in NEEDS_LOOK for c in every):
        return Status.UNEXPLAINED
    if all(c.cause in ROUTINE for c in every):
        return Status.MATCHED
    return Status.EXPLAINED


def _loose(line: SettlementLine) -> OrderReconciliation:
    """A line tied to no order: an adjustment without one, or an id nobody can match."""
    if line.kind is LineKind.ADJUSTMENT:
        cause = CauseAmount(Cause.ADJUSTMENT_WITHOUT_ORDER, line.settlement, line.type_label)
    else:
        shown = ", ".join((line.lost_ids or {}).values()) or "none"
        note = f"order id lost its digits ({shown}) and no order matches its SKU and time"
        cause = CauseAmount(Cause.UNEXPLAINED, line.settlement, note)
    return OrderReconciliation(
        line.order_id,
        line.currency,
        ZERO,
        line.settlement,
        Status.UNEXPLAINED,
        (cause,),
        sku_id=line.sku_id,
        adjustment_id=line.adjustment_id,
        lines=1,
    )
