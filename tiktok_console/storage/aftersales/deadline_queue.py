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
from typing import Any, cast

from tiktok_console.domain.aftersales import (
    Arbitration,
    CancellationView,
    RefundAmount,
    ReturnType,
    ReturnView,
)
from tiktok_console.domain.deadline_sources import (
    OrderDueTimes,
    cancellation_deadlines,
    order_deadlines,
    return_deadlines,
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
from tiktok_console.storage.fields import UtcDateTimeField
from tiktok_console.storage.orders.deadlines import TO_SHIP
from tiktok_console.storage.tables import TikTokOrderRow

_TIMES = UtcDateTimeField()
_ORDERS = TikTokOrderRow._meta.table_name
_TO_SHIP = f"""
SELECT order_id, ship_by, total, currency,
       CAST(json_extract(payload, '$.cancel_order_sla_time') AS INTEGER)
FROM "{_ORDERS}"
WHERE status IN (?, ?)
"""  # noqa: S608 (the table name is ours; values are bound)


def open_deadlines() -> list[Deadline]:
    """Everything with a deadline the merchant can act on, soonest first (overdue too)."""
    items: list[Deadline] = []
    items += _return_items()
    items += _cancellation_items()
    items += _order_items()
    return soonest_first(items)


def _return_items() -> list[Deadline]:
    query = TikTokReturnRow.select(
        TikTokReturnRow.return_id, TikTokReturnRow.order_id, TikTokReturnRow.return_type,
        TikTokReturnRow.status, TikTokReturnRow.arbitration_status, TikTokReturnRow.actions,
        TikTokReturnRow.refund_total, TikTokReturnRow.currency, TikTokReturnRow.created_at,
    ).where(TikTokReturnRow.deadline.is_null(False)).tuples()  # fmt: skip
    items = []
    for return_id, order_id, kind, status, arbitration, actions, amount, currency, at in _tuples(
        query
    ):
        view = ReturnView(
            order_id=order_id, status=status, role="", reason_text="", created_at=at,
            updated_at=at, next_actions=actions_from(actions), lines=(),
            refund=_refund(amount, currency), return_id=return_id,
            return_type=ReturnType(kind), arbitration=Arbitration(arbitration),
        )  # fmt: skip
        items += return_deadlines(view)
    return items


def _cancellation_items() -> list[Deadline]:
    query = TikTokCancellationRow.select(
        TikTokCancellationRow.cancel_id, TikTokCancellationRow.order_id,
        TikTokCancellationRow.status, TikTokCancellationRow.actions,
        TikTokCancellationRow.refund_total, TikTokCancellationRow.currency,
        TikTokCancellationRow.created_at,
    ).where(TikTokCancellationRow.deadline.is_null(False)).tuples()  # fmt: skip
    items = []
    for cancel_id, order_id, status, actions, amount, currency, at in _tuples(query):
        view = CancellationView(
            order_id=order_id, status=status, role="", reason_text="", created_at=at,
            updated_at=at, next_actions=actions_from(actions), lines=(),
            refund=_refund(amount, currency), cancel_id=cancel_id,
        )  # fmt: skip
        items += cancellation_deadlines(view)
    return items


def _order_items() -> list[Deadline]:
    items = []
    for order_id, ship_by, amount, currency, auto_cancel in db.execute_sql(_TO_SHIP, TO_SHIP):
        times = OrderDueTimes(
            order_id, ship_by=_TIMES.python_value(ship_by),
            auto_cancel_at=datetime.fromtimestamp(auto_cancel, UTC) if auto_cancel else None,
        )  # fmt: skip
        money = Money(Decimal(amount), currency) if currency else None
        items += order_deadlines(times, money)
    return items


def _tuples(query: object) -> Iterable[tuple[Any, ...]]:
    """A ``.tuples()`` query as what it yields (peewee's stubs type it as models)."""
    return cast("Iterable[tuple[Any, ...]]", query)


def _refund(amount: str | Decimal | None, currency: str) -> RefundAmount | None:
    if amount is None or not currency:
        return None
    return RefundAmount.only_total(Money(Decimal(amount), currency))


# -- notifications and snoozes ----------------------------------------------


def notified() -> set[tuple[str, timedelta]]:
    """Every (deadline key, threshold) already raised."""
    rows = DeadlineNotificationRow.select(
        DeadlineNotificationRow.key, DeadlineNotificationRow.threshold_seconds
    ).tuples()
    return {(key, timedelta(seconds=seconds)) for key, seconds in _tuples(rows)}


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
