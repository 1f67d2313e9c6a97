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
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple

from tiktok_console.domain.reconciliation_inputs import (
    NEEDS_LOOK,
    ZERO,
    Cause,
    FeeRates,
    ShopifyOrder,
    Status,
    TikTokOrder,
)
from tiktok_console.domain.reconciliation_rules import (
    CauseAmount,
    Tally,
    explain,
    shopify_causes,
    status_of,
)
from tiktok_console.domain.settlement_ids import LostIdResolver
from tiktok_console.domain.settlement_lines import LineKind, SettlementLine

__all__ = ["CauseAmount", "OrderReconciliation", "Reconciliation", "reconcile"]
_RESERVE, _ADJUSTMENT = LineKind.RESERVE, LineKind.ADJUSTMENT
_new = tuple.__new__


class OrderReconciliation(NamedTuple):
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
    return _reconcile(orders, lines, shopify, rates)


def _reconcile(
    orders: Iterable[TikTokOrder],
    lines: Iterable[SettlementLine],
    shopify: Iterable[ShopifyOrder],
    rates: FeeRates,
) -> Reconciliation:
    tiktok = {o.order_id: o for o in orders}
    shop = {s.tiktok_order_id: s for s in shopify}
    resolver = LostIdResolver(tiktok.values())
    grouped: dict[str, list[SettlementLine]] = defaultdict(list)
    loose: list[SettlementLine] = []
    resolved = 0
    for line in lines:
        if line.kind is _RESERVE:
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
        found = grouped.get(order_id)
        if not found:
            results.append(_unsettled(order_id, order, copy))
            continue
        by_sku: dict[str, Tally] = {}
        for line in found:
            tally = by_sku.get(line.sku_id)
            if tally is None:
                tally = by_sku[line.sku_id] = Tally()
            tally.add(line)
        if len(by_sku) == 1:  # one SKU (or an export of whole orders): nothing to merge
            [whole] = by_sku.values()
        else:
            whole = Tally()
            for tally in by_sku.values():
                whole.merge(tally)
        results.append(_order(order_id, order, copy, whole, found[0].currency, rates))
        if order is not None and (len(by_sku) > 1 or "" not in by_sku):
            skus.extend(_skus(order, by_sku, rates))
    unmatched = tuple(_loose(line) for line in loose)
    return Reconciliation(tuple(results), tuple(skus), unmatched, resolved)


def _unsettled(
    order_id: str, order: TikTokOrder | None, copy: ShopifyOrder | None
) -> OrderReconciliation:
    """An order with no settlement line yet."""
    expected = order.expected_revenue if order is not None else ZERO
    currency = order.currency if order is not None else copy.currency if copy else ""
    causes: tuple[CauseAmount, ...] = ()
    if expected:
        when = order.expected_settle_on if order is not None else None
        note = f"expected on {when.isoformat()}" if when else "no settlement date known yet"
        causes = (CauseAmount(Cause.NOT_SETTLED_YET, -expected, note),)
    shopify = shopify_causes(order, copy, expected)
    status = Status.UNSETTLED if expected else status_of(causes, shopify)
    name = copy.name if copy else None
    return OrderReconciliation(order_id, currency, expected, ZERO, status, causes, shopify, name)


def _order(
    order_id: str,
    order: TikTokOrder | None,
    copy: ShopifyOrder | None,
    tally: Tally,
    currency: str,
    rates: FeeRates,
) -> OrderReconciliation:
    if order is None and copy is None:
        cause = CauseAmount(Cause.UNEXPLAINED, tally.settled, "order unknown to TikTok and Shopify")
        return OrderReconciliation(
            order_id, currency, ZERO, tally.settled, Status.UNEXPLAINED, (cause,), lines=tally.lines
        )
    if order is not None:
        expected, currency = order.expected_revenue, order.currency
    else:
        assert copy is not None  # one of them is known: checked above
        expected = copy.subtotal
    causes = explain(expected, tally, order, rates, None)
    shopify = shopify_causes(order, copy, expected, causes)
    status = status_of(causes, shopify)
    name = copy.name if copy else None
    # tuple.__new__ with every field: the fastest way to build a named tuple.
    fields = (order_id, currency, expected, tally.settled, status, causes, shopify, name)
    return _new(OrderReconciliation, (*fields, "", "", tally.lines))


def _skus(
    order: TikTokOrder, by_sku: dict[str, Tally], rates: FeeRates
) -> list[OrderReconciliation]:
    """Each SKU of the order, and any SKU settled that the order does not have."""
    results = []
    listed = set()
    for sku in order.skus:
        listed.add(sku.sku_id)
        tally = by_sku.get(sku.sku_id)
        expected = sku.expected_revenue
        causes: tuple[CauseAmount, ...]
        if tally is None:
            causes = (CauseAmount(Cause.NOT_SETTLED_YET, -expected),) if expected else ()
            status = Status.UNSETTLED
            settled, count = ZERO, 0
        else:
            causes = explain(expected, tally, order, rates, sku.sku_id)
            status, settled, count = status_of(causes, ()), tally.settled, tally.lines
        results.append(
            _new(OrderReconciliation, (
                order.order_id, order.currency, expected, settled, status, causes,
                (), None, sku.sku_id, "", count,
            ))
        )  # fmt: skip
    for sku_id, tally in by_sku.items():
        if sku_id and sku_id not in listed:  # settled for a SKU the order does not have
            causes = explain(ZERO, tally, None, rates, sku_id)
            extra = OrderReconciliation(
                order.order_id, order.currency, ZERO, tally.settled, Status.UNEXPLAINED, causes,
                sku_id=sku_id, lines=tally.lines,
            )  # fmt: skip
            results.append(extra)
    return results


def _loose(line: SettlementLine) -> OrderReconciliation:
    """A line tied to no order: an adjustment without one, or an id nobody can match."""
    if line.kind is LineKind.ADJUSTMENT:
        where = f" in statement {line.statement_id}" if line.statement_id else ""
        note = (
            f"{line.type_label or 'An adjustment'}{where} names no order: the statement in "
            "Seller Center says what it was for"
        )
        cause = CauseAmount(Cause.ADJUSTMENT_WITHOUT_ORDER, line.settlement, note)
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
