"""The two calendars, month by month: what the month's orders settled and what settled in it.

A merchant's books count a sale in the month it was ordered; TikTok settles
and pays it later. For each month with orders or settlements, the bridge
(``domain.payout_calendar``) goes from the order-date total to the
settlement-date total (settles later, from earlier orders, no order date),
then to the money paid (reserve, in transit), with the month's orders not
settled yet beside it.
"""

from __future__ import annotations

from datetime import date, timedelta

from tiktok_console.domain.payout_calendar import Bridge, bridge
from tiktok_console.storage.payouts import finance
from tiktok_console.storage.payouts.lines import load_lines
from tiktok_console.sync.payouts.inputs import stored_orders


def month_bridges() -> list[Bridge]:
    """One bridge per calendar month (UTC), newest first."""
    lines = load_lines().lines
    tiktok, _ = stored_orders()
    orders = {o.order_id: o for o in tiktok}
    payments = [record.payment for record in finance.payments()]
    days = {o.created_at.date() for o in tiktok}
    days |= {line.settled_time.date() for line in lines if line.settled_time is not None}
    if not days:
        return []
    months: list[Bridge] = []
    first = min(days).replace(day=1)
    while first <= max(days):
        last = _next_month(first) - timedelta(days=1)
        months.append(bridge(first, last, lines, orders, payments))
        first = _next_month(first)
    return months[::-1]


def _next_month(day: date) -> date:
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1)


def month_json(b: Bridge) -> dict[str, str | bool]:
    """One month of ``payouts --json``'s ``months``, money as exact text."""
    return {
        "month": b.first.strftime("%Y-%m"),
        "by_order_date": str(b.by_order_date),
        "settles_later": str(b.settles_later),
        "from_earlier_orders": str(b.from_earlier_orders),
        "without_order_date": str(b.without_order_date),
        "by_settlement_date": str(b.by_settlement_date),
        "reserve": str(b.reserve),
        "in_transit": str(b.in_transit),
        "paid": str(b.paid),
        "not_settled_yet": str(b.unsettled_forecast),
        "balanced": b.balanced,
    }
