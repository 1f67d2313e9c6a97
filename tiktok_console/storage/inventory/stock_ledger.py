"""The stock ledger: every quantity pushed to TikTok (or tried), with its inputs and reason.

Written by the pusher, read by the Inventory page (one SKU's history) and by
livestream reports and tests (a time range).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import cast

import peewee

from tiktok_console.storage.bulk import bulk_insert, bulk_update
from tiktok_console.storage.database import db
from tiktok_console.storage.inventory.tables import StockLedgerRow, TikTokSkuRow


@dataclass(frozen=True)
class _Computation:
    """What a ledger row records of the quantity computed for a SKU."""

    at: datetime
    sku_id: str
    product_id: str
    shopify_available: int
    buffer: int
    in_flight: int
    cap: int | None
    frozen: bool
    previous: int | None
    quantity: int
    reason: str
    explanation: str


@dataclass(frozen=True)
class LedgerEntry(_Computation):
    """One quantity to record as pushed (or tried), with what TikTok now holds."""

    shopify_variant_id: str
    warehouses: Mapping[str, int]  # what TikTok now holds per warehouse (if pushed)
    status: str = "pushed"  # pushed | failed
    error: str = ""


@dataclass(frozen=True)
class LedgerLine(_Computation):
    """A ledger row as it was stored."""

    entry_id: int
    status: str
    error: str


def record_pushes(entries: Sequence[LedgerEntry]) -> None:
    """Store pushes in the ledger and the SKUs' summary columns, in one transaction."""
    ledger_rows = [
        {
            "at": e.at, "sku_id": e.sku_id, "product_id": e.product_id,
            "shopify_variant_id": e.shopify_variant_id, "shopify_available": e.shopify_available,
            "buffer": e.buffer, "in_flight": e.in_flight, "cap": e.cap, "frozen": e.frozen,
            "previous": e.previous, "quantity": e.quantity, "reason": e.reason,
            "explanation": e.explanation, "status": e.status, "error": e.error,
        }
        for e in entries
    ]  # fmt: skip
    pushed = [
        {
            "sku_id": e.sku_id, "target": e.quantity, "shopify_available": e.shopify_available,
            "last_explanation": e.explanation, "updated_at": e.at, "tiktok_quantity": e.quantity,
            "warehouses": json.dumps(dict(e.warehouses)), "last_push_at": e.at,
            "last_push_quantity": e.quantity,
        }
        for e in entries if e.status == "pushed"
    ]  # fmt: skip
    failed = [
        {
            "sku_id": e.sku_id, "target": e.quantity, "shopify_available": e.shopify_available,
            "last_explanation": e.explanation, "updated_at": e.at,
        }
        for e in entries if e.status != "pushed"
    ]  # fmt: skip
    with db.atomic():
        bulk_insert(StockLedgerRow, ledger_rows)
        bulk_update(TikTokSkuRow, pushed, "sku_id")
        bulk_update(TikTokSkuRow, failed, "sku_id")


_LEDGER_ID = cast(peewee.Field, StockLedgerRow._meta.primary_key)  # ties on ``at``


def ledger(since: datetime | None = None, until: datetime | None = None) -> list[LedgerLine]:
    """Ledger rows in time order, optionally within [since, until]."""
    query = StockLedgerRow.select()
    if since is not None:
        query = query.where(StockLedgerRow.at >= since)
    if until is not None:
        query = query.where(StockLedgerRow.at <= until)
    return [_line(row) for row in query.order_by(StockLedgerRow.at, _LEDGER_ID)]


def stock_ledger(sku_id: str, limit: int = 200) -> list[LedgerLine]:
    """The newest ``limit`` ledger rows of ``sku_id``, newest first."""
    query = (
        StockLedgerRow.select()
        .where(StockLedgerRow.sku_id == sku_id)
        .order_by(StockLedgerRow.at.desc(), _LEDGER_ID.desc())
        .limit(limit)
    )
    return [_line(row) for row in query]


def _line(row: StockLedgerRow) -> LedgerLine:
    return LedgerLine(
        entry_id=int(peewee.Model.get_id(row)), at=row.at, sku_id=row.sku_id,
        product_id=row.product_id, shopify_available=row.shopify_available, buffer=row.buffer,
        in_flight=row.in_flight, cap=row.cap, frozen=bool(row.frozen), previous=row.previous,
        quantity=row.quantity, reason=row.reason, explanation=row.explanation,
        status=row.status, error=row.error,
    )  # fmt: skip
