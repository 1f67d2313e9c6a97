"""Read queries behind the Orphan orders, Activity and Overview pages.

Views never hold peewee rows: each query here reads what one screen needs in
one SQL statement and returns frozen dataclasses, so the Qt models can sort
and filter them without touching the database again. Money is summed in
Python as ``Decimal`` (SQLite would sum the text as floats).
"""

from __future__ import annotations

import functools
import operator
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from decimal import Decimal
from typing import cast

import peewee

from tiktok_console.storage.database import db
from tiktok_console.storage.fields import UtcDateTimeField
from tiktok_console.storage.inventory.stock import barcodes
from tiktok_console.storage.orders.tiktok_orders import FAILED, IN_SHOPIFY, ORPHAN
from tiktok_console.storage.tables import ActivityRow, TikTokOrderRow

MIXED = "MIXED"
"""The currency of a sum over orders in more than one currency (never expected)."""

_ORDERS = TikTokOrderRow._meta.table_name
_ACTIVITY_ID = cast(peewee.Field, ActivityRow._meta.primary_key)  # ties on ``at``: newest first
_TIMES = UtcDateTimeField()  # the stored text form of a time, for raw comparisons


@dataclass(frozen=True)
class OrphanSku:
    """A TikTok SKU no Shopify variant is mapped to, and the orders waiting for it.

    Attributes:
        sku_id: the TikTok SKU id.
        seller_sku: the seller SKU on TikTok ("" when the listing has none).
        product_name: the TikTok product name, from the order lines.
        sku_name: the variant name on TikTok (``Red, M``).
        orders_blocked: how many orphan orders wait for this SKU.
        value_blocked: the sum of those orders' totals.
        currency: their currency (``MIXED`` if they differ).
        oldest_order: when the oldest of them was placed.
        ship_by: the nearest ship-by deadline among them, None if none has one.
        order_ids: the waiting orders.
        also_waiting_for: other unmapped SKUs some of those orders wait for too.
        barcode: the SKU's identifier code on TikTok ("" when none is known).
    """

    sku_id: str
    seller_sku: str
    product_name: str
    sku_name: str
    orders_blocked: int
    value_blocked: Decimal
    currency: str
    oldest_order: datetime
    ship_by: datetime | None
    order_ids: tuple[str, ...] = ()
    also_waiting_for: frozenset[str] = field(default_factory=frozenset)
    barcode: str = ""

    @property
    def title(self) -> str:
        """Product and variant name as one line (``Cotton Tee - Red, M``)."""
        if self.product_name and self.sku_name:
            return f"{self.product_name} - {self.sku_name}"
        return self.product_name or self.sku_name


@dataclass(frozen=True)
class OrphanOrder:
    """An orphan order, as the detail pane of a SKU lists it."""

    order_id: str
    status: str
    created_at: datetime
    ship_by: datetime | None
    total: Decimal
    currency: str
    reason: str
    unmapped: tuple[str, ...]


@dataclass(frozen=True)
class ActivityEntry:
    """One line of the activity log."""

    entry_id: int
    at: datetime
    level: str
    job: str
    action: str
    subject: str
    message: str
    detail: str
    retryable: bool
    repeats: int = 1  # the same entry this many times in a row, from first_at to at
    first_at: datetime | None = None


# -- orphan SKUs --------------------------------------------------------------------


@dataclass
class _SkuTally:
    seller_sku: str = ""
    product_name: str = ""
    sku_name: str = ""
    value: Decimal = Decimal(0)
    currencies: set[str] = field(default_factory=set)
    oldest: datetime | None = None
    ship_by: datetime | None = None
    orders: list[str] = field(default_factory=list)
    others: set[str] = field(default_factory=set)


# One row per orphan order and line item of an unmapped SKU (several per order:
# TikTok sends one line per unit). The LEFT JOIN keeps an order whose unmapped
# SKU has no line in the payload; its names then stay blank.
_ORPHAN_LINES = f"""
SELECT o.order_id, o.unmapped, o.total, o.currency, o.created_at, o.ship_by,
       json_extract(li.value, '$.sku_id'), json_extract(li.value, '$.seller_sku'),
       json_extract(li.value, '$.product_name'), json_extract(li.value, '$.sku_name')
FROM "{_ORDERS}" AS o
LEFT JOIN json_each(CASE WHEN json_valid(o.payload) THEN o.payload ELSE '{{}}' END,
                    '$.line_items') AS li
  ON instr(',' || o.unmapped || ',', ',' || json_extract(li.value, '$.sku_id') || ',') > 0
WHERE o.sync_state = ?
ORDER BY o.order_id
"""  # noqa: S608 (the table name is ours; values are bound)


def orphan_skus() -> list[OrphanSku]:
    """One row per unmapped TikTok SKU in orphan orders, most urgent deadline first."""
    tallies: dict[str, _SkuTally] = {}
    seen: set[tuple[str, str]] = set()
    cursor = db.execute_sql(_ORPHAN_LINES, (ORPHAN,))
    for order_id, unmapped, total, currency, created, ship_by, *line in cursor.fetchall():
        skus = _split(unmapped)
        created_at, deadline = _when(created), _when(ship_by)
        for sku_id in skus:
            tally = tallies.setdefault(sku_id, _SkuTally())
            if (order_id, sku_id) not in seen:
                seen.add((order_id, sku_id))
                _count_order(tally, order_id, Decimal(total), currency, created_at, deadline)
                tally.others.update(s for s in skus if s != sku_id)
        if line[0] is not None:
            _name(tallies[str(line[0])], *line[1:])
    codes = barcodes(tallies)
    rows = [_orphan(sku_id, tally, codes.get(sku_id, "")) for sku_id, tally in tallies.items()]
    rows.sort(key=lambda r: (r.ship_by is None, r.ship_by or r.oldest_order, r.sku_id))
    return rows


def _count_order(
    tally: _SkuTally,
    order_id: str,
    total: Decimal,
    currency: str,
    created_at: datetime | None,
    deadline: datetime | None,
) -> None:
    tally.orders.append(order_id)
    tally.value += total
    tally.currencies.add(currency)
    if created_at is not None and (tally.oldest is None or created_at < tally.oldest):
        tally.oldest = created_at
    if deadline is not None and (tally.ship_by is None or deadline < tally.ship_by):
        tally.ship_by = deadline


def _name(tally: _SkuTally, seller_sku: object, product: object, sku_name: object) -> None:
    # The first line that names the SKU wins; later orders rarely rename it.
    tally.seller_sku = tally.seller_sku or str(seller_sku or "").strip()
    tally.product_name = tally.product_name or str(product or "")
    tally.sku_name = tally.sku_name or str(sku_name or "")


def _orphan(sku_id: str, tally: _SkuTally, barcode: str) -> OrphanSku:
    # Assumption: one TikTok Shop sells in one currency, so a sum over several
    # currencies is not expected; it is marked rather than silently mixed.
    currency = next(iter(tally.currencies)) if len(tally.currencies) == 1 else MIXED
    return OrphanSku(
        sku_id=sku_id,
        seller_sku=tally.seller_sku,
        product_name=tally.product_name,
        sku_name=tally.sku_name,
        orders_blocked=len(tally.orders),
        value_blocked=tally.value,
        currency=currency,
        oldest_order=tally.oldest or datetime.fromtimestamp(0, UTC),
        ship_by=tally.ship_by,
        order_ids=tuple(tally.orders),
        also_waiting_for=frozenset(tally.others),
        barcode=barcode,
    )


def orders_released(rows: Sequence[OrphanSku], sku_ids: Iterable[str]) -> set[str]:
    """The orders that would leave orphan state if ``sku_ids`` were all mapped.

    An order waiting for several SKUs is released only when all of them are
    mapped; ``rows`` is the full ``orphan_skus()`` list (no SQL here).
    """
    chosen = set(sku_ids)
    waits: dict[str, set[str]] = {}
    for row in rows:
        for order_id in row.order_ids:
            waits.setdefault(order_id, set()).add(row.sku_id)
    return {order_id for order_id, skus in waits.items() if skus & chosen and skus <= chosen}


def orders_for_sku(sku_id: str) -> list[OrphanOrder]:
    """The orphan orders waiting for ``sku_id``, nearest ship-by deadline first."""
    padded = peewee.Value(",").concat(TikTokOrderRow.unmapped).concat(",")
    query = TikTokOrderRow.select(
        TikTokOrderRow.order_id, TikTokOrderRow.status, TikTokOrderRow.created_at,
        TikTokOrderRow.ship_by, TikTokOrderRow.total, TikTokOrderRow.currency,
        TikTokOrderRow.reason, TikTokOrderRow.unmapped,
    ).where(
        (TikTokOrderRow.sync_state == ORPHAN) & (peewee.fn.instr(padded, f",{sku_id},") > 0)
    )  # fmt: skip
    orders = [_orphan_order(row) for row in query]
    orders.sort(key=lambda o: (o.ship_by is None, o.ship_by or o.created_at, o.order_id))
    return orders


def _orphan_order(row: TikTokOrderRow) -> OrphanOrder:
    return OrphanOrder(
        order_id=row.order_id, status=row.status, created_at=row.created_at,
        ship_by=row.ship_by, total=row.total, currency=row.currency, reason=row.reason,
        unmapped=_split(row.unmapped),
    )  # fmt: skip


# -- activity -----------------------------------------------------------------------


def recent_activity(
    limit: int = 1000, level: str | None = None, search: str | None = None
) -> list[ActivityEntry]:
    """The newest ``limit`` activity entries, optionally of one level or matching a text.

    ``search`` matches (case-insensitively, as plain text: ``%`` and ``_`` are
    not wildcards) the message, subject, job, action or detail.
    """
    query = ActivityRow.select().order_by(ActivityRow.at.desc(), _ACTIVITY_ID.desc())
    if level:
        query = query.where(ActivityRow.level == level)
    text = (search or "").strip().lower()
    if text:
        fields = (
            ActivityRow.message,
            ActivityRow.subject,
            ActivityRow.job,
            ActivityRow.action,
            ActivityRow.detail,
        )
        matches = [peewee.fn.instr(peewee.fn.lower(f), text) > 0 for f in fields]
        query = query.where(functools.reduce(operator.or_, matches))
    return [_entry(row) for row in query.limit(limit)]


def _entry(row: ActivityRow) -> ActivityEntry:
    return ActivityEntry(
        entry_id=int(peewee.Model.get_id(row)), at=row.at, level=row.level, job=row.job,
        action=row.action, subject=row.subject, message=row.message, detail=row.detail,
        retryable=bool(row.retryable), repeats=int(row.repeats or 1), first_at=row.first_at,
    )  # fmt: skip


# -- today, for the Overview --------------------------------------------------------

_TODAY = f"""
SELECT
  COALESCE(SUM(sync_state IN (?, ?) AND synced_at >= ? AND synced_at < ?), 0),
  COALESCE(SUM(sync_state = ?), 0),
  COALESCE(SUM(sync_state = ?), 0),
  COALESCE(SUM(status = ? AND ship_by IS NOT NULL AND ship_by < ?), 0)
FROM "{_ORDERS}"
"""  # noqa: S608 (the table name is ours; values are bound)


def today_counts(now: datetime | None = None) -> dict[str, int]:
    """What the Overview counts for today, in the merchant's local day.

    Keys: ``synced_today`` (orders created in or linked to Shopify since local
    midnight), ``orphans`` (orders waiting for a SKU mapping), ``failed``
    (orders Shopify refused), ``to_ship_today`` (AWAITING_SHIPMENT orders whose
    ship-by deadline falls before local midnight tonight, overdue ones
    included, whether or not they are in Shopify yet).
    """
    local = (now or datetime.now(UTC)).astimezone()
    # Wall-clock midnights resolved in the local zone: DST days are 23 or 25 h long.
    midnight = datetime.combine(local.date(), time(0)).astimezone()
    tomorrow = datetime.combine(local.date() + timedelta(days=1), time(0)).astimezone()
    start, end = _TIMES.db_value(midnight), _TIMES.db_value(tomorrow)
    params = (*IN_SHOPIFY, start, end, ORPHAN, FAILED, "AWAITING_SHIPMENT", end)
    synced, orphans, failed, to_ship = db.execute_sql(_TODAY, params).fetchone()
    return {
        "synced_today": int(synced),
        "orphans": int(orphans),
        "failed": int(failed),
        "to_ship_today": int(to_ship),
    }


def _split(unmapped: str | None) -> tuple[str, ...]:
    return tuple(s for s in (unmapped or "").split(",") if s)


def _when(stored: str | None) -> datetime | None:
    return None if stored is None else _TIMES.python_value(stored)
