"""The Deadlines page's queue: every open deadline in either store, soonest first; notified and
snoozed marks.

One read builds the whole queue from four indexed selects (returns and
cancellations awaiting the seller, orders still to ship with their ship-by and
TikTok auto-cancel times), turning rows straight into ``Deadline`` values
through the domain's own wording, so the page, the CLI and notifications agree.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from tiktok_console.domain.aftersales import Arbitration, ReturnType
from tiktok_console.domain.deadline_sources import (
    OrderDueTimes,
    cancellation_items,
    order_deadlines,
    return_items,
)
from tiktok_console.domain.deadlines import Deadline, Notification, soonest_first
from tiktok_console.domain.money import Money
from tiktok_console.storage.aftersales.codec import actions_from
from tiktok_console.storage.aftersales.tables import (
    DeadlineNotificationRow,
    DeadlineSnoozeRow,
    TikTokCancellationRow,
    TikTokReturnRow,
)
from tiktok_console.storage.database import db
from tiktok_console.storage.orders.deadlines import TO_SHIP
from tiktok_console.storage.tables import TikTokOrderRow

_ORDERS = TikTokOrderRow._meta.table_name
_TO_SHIP = f"""
SELECT order_id, ship_by, total, currency,
       CAST(json_extract(payload, '$.cancel_order_sla_time') AS INTEGER)
FROM "{_ORDERS}"
WHERE status IN (?, ?) AND ship_by IS NOT NULL
"""  # noqa: S608 (the table name is ours; values are bound)
_AWAITING_RETURNS = f"""
SELECT return_id, order_id, return_type, arbitration_status, actions, refund_total, currency
FROM "{TikTokReturnRow._meta.table_name}" WHERE deadline IS NOT NULL
"""  # noqa: S608
_AWAITING_CANCELLATIONS = f"""
SELECT cancel_id, order_id, actions, refund_total, currency
FROM "{TikTokCancellationRow._meta.table_name}" WHERE deadline IS NOT NULL
"""  # noqa: S608
_MARKS = f"""
SELECT key, threshold_seconds FROM "{DeadlineNotificationRow._meta.table_name}"
"""  # noqa: S608


def open_deadlines() -> list[Deadline]:
    """Everything with a deadline the merchant can act on, soonest first (overdue too)."""
    items: list[Deadline] = []
    items += _return_items()
    items += _cancellation_items()
    items += _order_items()
    # One row per order or request per kind already: each source row is one order or
    # request (primary keys), and the domain gives each one clock per kind.
    return soonest_first(items)


def _return_items() -> list[Deadline]:
    items = []
    for return_id, order_id, kind, arbitration, actions, amount, currency in db.execute_sql(
        _AWAITING_RETURNS
    ):
        in_dispute = arbitration == Arbitration.IN_PROGRESS.value
        money = _money(amount, currency)
        steps = actions_from(actions)
        items += return_items(order_id, return_id, ReturnType(kind), in_dispute, steps, money)
    return items


def _cancellation_items() -> list[Deadline]:
    items = []
    for cancel_id, order_id, actions, amount, currency in db.execute_sql(_AWAITING_CANCELLATIONS):
        steps = actions_from(actions)
        items += cancellation_items(order_id, cancel_id, steps, _money(amount, currency))
    return items


def _order_items() -> list[Deadline]:
    items = []
    for order_id, ship_by, amount, currency, auto_cancel in db.execute_sql(_TO_SHIP, TO_SHIP):
        times = OrderDueTimes(
            order_id, ship_by=datetime.fromisoformat(ship_by),
            auto_cancel_at=datetime.fromtimestamp(auto_cancel, UTC) if auto_cancel else None,
        )  # fmt: skip
        money = Money(Decimal(amount), currency) if currency else None
        items += order_deadlines(times, money)
    return items


def _money(amount: str | None, currency: str) -> Money | None:
    return Money(Decimal(amount), currency) if amount is not None and currency else None


# -- notifications and snoozes ----------------------------------------------


def notified() -> set[tuple[str, timedelta]]:
    """Every (deadline key, threshold) already raised."""
    # Raw rows: tens of thousands of marks cost ten times more through model iteration.
    spans: dict[int, timedelta] = {}  # a handful of thresholds: one timedelta each
    return {
        (key, spans.get(seconds) or spans.setdefault(seconds, timedelta(seconds=seconds)))
        for key, seconds in db.execute_sql(_MARKS)
    }


def mark_notified(raised: Iterable[Notification], now: datetime) -> None:
    """Record the thresholds each raised notification settles (never raised again)."""
    rows = [{"key": n.deadline.key, "threshold_seconds": int(t.total_seconds()), "notified_at": now}
            for n in raised for t in n.settles]  # fmt: skip
    if rows:
        with db.atomic():
            DeadlineNotificationRow.insert_many(rows).on_conflict_ignore().execute()


def forget_notifications(before: datetime) -> int:
    """Drop notification marks older than ``before`` (their deadlines are long gone)."""
    query = DeadlineNotificationRow.delete().where(DeadlineNotificationRow.notified_at < before)
    return int(query.execute())


def snooze(key: str, until: datetime) -> None:
    """Silence a deadline until ``until`` (a later snooze replaces an earlier one)."""
    DeadlineSnoozeRow.insert(key=key, until=until).on_conflict_replace().execute()


def unsnooze(key: str) -> None:
    """Undo a snooze."""
    DeadlineSnoozeRow.delete().where(DeadlineSnoozeRow.key == key).execute()


def active_snoozes(now: datetime) -> dict[str, datetime]:
    """Deadline key -> snoozed until, for snoozes still running at ``now``."""
    query = DeadlineSnoozeRow.select().where(DeadlineSnoozeRow.until > now)
    return {row.key: row.until for row in query}
