"""Payouts on two calendars, and the bridge between them.

A merchant's books count a sale on the day it was ordered; TikTok pays it
days later. The same settlement lines are totalled by order date and by
settlement date, and for a period the bridge says why the two totals
differ: money of the period's orders that settles after it, money settled in
it for earlier orders, adjustments tied to no order; then, from settled to
paid, the reserve held and money settled but not paid yet (in transit), and
beside them the period's orders not settled at all (the forecast).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from tiktok_console.domain.reconciliation_inputs import ZERO, Payment, TikTokOrder
from tiktok_console.domain.settlement_fields import Field
from tiktok_console.domain.settlement_lines import LineKind, SettlementLine


def by_order_date(
    lines: Iterable[SettlementLine], orders: Mapping[str, TikTokOrder]
) -> dict[date, Decimal]:
    """Settled money per UTC day its order was created (lines without an order date left out)."""
    days: dict[date, Decimal] = defaultdict(lambda: ZERO)
    for line in lines:
        day = _order_day(line, orders)
        if day is not None and line.kind is not LineKind.RESERVE:
            days[day] += line.settlement
    return dict(days)


def by_settlement_date(lines: Iterable[SettlementLine]) -> dict[date, Decimal]:
    """Settled money per UTC day it settled."""
    days: dict[date, Decimal] = defaultdict(lambda: ZERO)
    for line in lines:
        if line.settled_time is not None and line.kind is not LineKind.RESERVE:
            days[line.settled_time.date()] += line.settlement
    return dict(days)


@dataclass(frozen=True)
class Bridge:
    """From the period's orders to what settled in the period, and on to what was paid.

    ``by_order_date - settles_later + from_earlier_orders + without_order_date
    == by_settlement_date`` holds exactly; ``paid == by_settlement_date +
    reserve - in_transit + paid_from_earlier`` is given as measured parts.
    """

    first: date
    last: date
    by_order_date: Decimal
    settles_later: Decimal
    from_earlier_orders: Decimal
    without_order_date: Decimal
    by_settlement_date: Decimal
    reserve: Decimal
    in_transit: Decimal
    paid: Decimal
    unsettled_forecast: Decimal

    @property
    def balanced(self) -> bool:
        """True when the order-date side reaches the settlement-date side exactly."""
        reached = (
            self.by_order_date
            - self.settles_later
            + self.from_earlier_orders
            + self.without_order_date
        )
        return reached == self.by_settlement_date


def bridge(
    first: date,
    last: date,
    lines: Iterable[SettlementLine],
    orders: Mapping[str, TikTokOrder],
    payments: Iterable[Payment],
) -> Bridge:
    """The bridge for the days ``first`` to ``last`` (both included, UTC)."""
    ordered = later = earlier = loose = settled = reserve = ZERO
    settled_orders: set[str] = set()
    settled_statements: set[str] = set()
    for line in lines:
        settled_on = line.settled_time.date() if line.settled_time else None
        in_period = settled_on is not None and first <= settled_on <= last
        if line.kind is LineKind.RESERVE:
            if in_period:
                reserve += line.amounts.get(Field.RESERVE_AMOUNT, line.settlement)
            continue
        if line.order_id:
            settled_orders.add(line.order_id)
        ordered_on = _order_day(line, orders)
        own = ordered_on is not None and first <= ordered_on <= last
        if own:
            ordered += line.settlement
            if settled_on is None or settled_on > last:
                later += line.settlement
        if in_period:
            settled += line.settlement
            settled_statements.add(line.statement_id)
            if ordered_on is None:
                loose += line.settlement
            elif ordered_on < first:
                earlier += line.settlement
    paid = transit = ZERO
    for payment in payments:
        on = payment.paid_at.date() if payment.paid_at else None
        if on is not None and first <= on <= last:
            paid += payment.amount
        covers = settled_statements.intersection(payment.statement_ids)
        if covers and (on is None or on > last):
            transit += payment.settlement_amount or payment.amount
    forecast = sum(
        (
            o.expected_revenue
            for o in orders.values()
            if first <= o.created_at.date() <= last and o.order_id not in settled_orders
        ),
        ZERO,
    )
    return Bridge(
        first, last, ordered, later, earlier, loose, settled, reserve, transit, paid, forecast
    )


def _order_day(line: SettlementLine, orders: Mapping[str, TikTokOrder]) -> date | None:
    if line.order_created is not None:
        return line.order_created.date()
    order = orders.get(line.order_id)
    return order.created_at.date() if order is not None else None
