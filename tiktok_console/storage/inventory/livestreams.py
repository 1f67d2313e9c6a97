"""Livestreams: when each ran, and the report written when it ended.

The report is measured from our own stock ledger and the TikTok orders we
pulled, so every figure can be traced back to rows the merchant can see.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from tiktok_console.storage.database import db
from tiktok_console.storage.inventory.stock_ledger import ledger
from tiktok_console.storage.inventory.tables import LivestreamRow, StockRuleRow
from tiktok_console.storage.tables import TikTokOrderRow

_row_id: Any = LivestreamRow._meta.primary_key  # peewee's implicit ``id``


def _id(row: LivestreamRow) -> int:
    return int(row.__data__["id"])


@dataclass(frozen=True)
class Livestream:
    """A livestream that is on: it started at ``started_at`` and ends by itself at ``ends_at``."""

    id: int
    started_at: datetime
    ends_at: datetime


@dataclass(frozen=True)
class LivestreamReport:
    """What happened to stock during one livestream.

    Attributes:
        id: the livestream.
        started_at: when it was switched on.
        ended_at: when it ended (by hand, or at its end time).
        oversells_avoided: pushes during the live that lowered TikTok's quantity
            for units sold on TikTok but not yet in Shopify (in-flight units):
            at each, a sync that only copied Shopify's number would have offered
            units that were already sold.
        cancellations: TikTok orders placed during the live that are cancelled now.
        units_sold_tiktok: units in TikTok orders placed during the live, cancelled ones excluded.
        units_moved: the sum of |pushed - previous| over the pushes during the live:
            how much stock the console moved on TikTok.
        pushes: quantities pushed to TikTok during the live.
        frozen_skus: SKUs frozen when the live ended.
    """

    id: int
    started_at: datetime
    ended_at: datetime
    oversells_avoided: int
    cancellations: int
    units_sold_tiktok: int
    units_moved: int
    pushes: int
    frozen_skus: int


def start(started_at: datetime, ends_at: datetime) -> Livestream:
    """Switch livestream mode on (ending any live still on at ``started_at``)."""
    with db.atomic():
        current = active(started_at)
        if current is not None:
            finish(current.id, started_at)
        row = LivestreamRow.create(started_at=started_at, ends_at=ends_at)
    return Livestream(_id(row), started_at, ends_at)


def active(now: datetime) -> Livestream | None:
    """The livestream on at ``now``, if any (one past its end time is no longer on)."""
    row = (
        LivestreamRow.select()
        .where(
            LivestreamRow.ended_at.is_null()
            & (LivestreamRow.started_at <= now)
            & (LivestreamRow.ends_at > now)
        )
        .order_by(LivestreamRow.started_at.desc())
        .first()
    )
    return None if row is None else Livestream(_id(row), row.started_at, row.ends_at)


def overdue(now: datetime) -> list[Livestream]:
    """Livestreams past their end time that have no report yet (they end by themselves)."""
    query = LivestreamRow.select().where(
        LivestreamRow.ended_at.is_null() & (LivestreamRow.ends_at <= now)
    )
    return [Livestream(_id(row), row.started_at, row.ends_at) for row in query]


def unfinished() -> list[Livestream]:
    """Livestreams with no report yet."""
    query = LivestreamRow.select().where(LivestreamRow.ended_at.is_null())
    return [Livestream(_id(row), row.started_at, row.ends_at) for row in query]


def finish(livestream_id: int, ended_at: datetime) -> LivestreamReport:
    """End a livestream at ``ended_at`` and store its report (again: the same report)."""
    row = LivestreamRow.get_by_id(livestream_id)
    if row.ended_at is not None and row.report:
        return _from_json(row.report)
    report = measure(livestream_id, row.started_at, ended_at)
    LivestreamRow.update(ended_at=ended_at, report=_to_json(report)).where(
        _row_id == livestream_id
    ).execute()
    return report


def reports() -> list[LivestreamReport]:
    """Reports of ended livestreams, newest first."""
    query = (
        LivestreamRow.select()
        .where(LivestreamRow.ended_at.is_null(False) & (LivestreamRow.report != ""))
        .order_by(LivestreamRow.started_at.desc(), _row_id.desc())
    )
    return [_from_json(row.report) for row in query]


def measure(livestream_id: int, started_at: datetime, ended_at: datetime) -> LivestreamReport:
    """The report of the window [started_at, ended_at] (see ``LivestreamReport``)."""
    pushed = [line for line in ledger(started_at, ended_at) if line.status == "pushed"]
    avoided = 0
    for line in pushed:
        without_in_flight = max(line.shopify_available - line.buffer, 0)
        if line.cap is not None:
            without_in_flight = min(without_in_flight, line.cap)
        lowered = line.previous is None or line.quantity < line.previous
        if not line.frozen and line.in_flight > 0 and line.quantity < without_in_flight and lowered:
            avoided += 1
    sold = cancellations = 0
    orders = TikTokOrderRow.select(TikTokOrderRow.status, TikTokOrderRow.payload).where(
        (TikTokOrderRow.created_at >= started_at) & (TikTokOrderRow.created_at <= ended_at)
    )
    for order in orders:
        if order.status == "CANCELLED":
            cancellations += 1
        else:
            sold += len(json.loads(order.payload or "{}").get("line_items") or [])
    frozen = StockRuleRow.select().where(StockRuleRow.frozen == True).count()  # noqa: E712
    return LivestreamReport(
        id=livestream_id,
        started_at=started_at,
        ended_at=ended_at,
        oversells_avoided=avoided,
        cancellations=cancellations,
        units_sold_tiktok=sold,
        units_moved=sum(abs(line.quantity - (line.previous or 0)) for line in pushed),
        pushes=len(pushed),
        frozen_skus=frozen,
    )


def _to_json(report: LivestreamReport) -> str:
    data = asdict(report)
    data["started_at"] = report.started_at.isoformat()
    data["ended_at"] = report.ended_at.isoformat()
    return json.dumps(data)


def _from_json(text: str) -> LivestreamReport:
    data = json.loads(text)
    data["started_at"] = datetime.fromisoformat(data["started_at"])
    data["ended_at"] = datetime.fromisoformat(data["ended_at"])
    return LivestreamReport(**data)
