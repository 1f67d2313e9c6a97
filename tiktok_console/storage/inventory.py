"""Stock as the inventory jobs read and write it: TikTok SKUs, Shopify stock, rules, the ledger.

Semantics the Inventory page relies on (one ``TikTokSkuRow`` per SKU):
``target`` is the quantity last computed; ``tiktok_quantity`` is TikTok's
quantity as last known (read, or pushed by us); drift is
``tiktok_quantity - target``; ``shopify_available`` is the raw sum at the
mapped locations, as read. Everything returned is a frozen dataclass.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import peewee

from tiktok_console.storage.bulk import bulk_insert
from tiktok_console.storage.database import db
from tiktok_console.storage.inventory_tables import (
    ShopifyStockRow,
    StockLedgerRow,
    StockRuleRow,
    TikTokSkuRow,
)
from tiktok_console.storage.orders import FAILED, IN_SHOPIFY, ORPHAN, PENDING
from tiktok_console.storage.tables import SkuMappingRow, TikTokOrderRow

_CHUNK = 500  # SQLite's bound-parameter limit is far above this; keeps IN lists short


@dataclass(frozen=True)
class TikTokSkuRead:
    """A TikTok SKU as read: its product, and units per warehouse (in TikTok's order)."""

    sku_id: str
    product_id: str
    seller_sku: str
    title: str
    product_status: str
    warehouses: tuple[tuple[str, int], ...]


@dataclass(frozen=True)
class ShopifyStock:
    """One Shopify inventory item's ``available`` per location, as read at ``read_at``.

    ``store_updated_at`` is Shopify's own ``updatedAt``: a read is newer than
    another only if this is later (our reads may finish out of order).
    """

    inventory_item_id: str
    variant_id: str
    locations: Mapping[str, int]
    store_updated_at: datetime | None
    read_at: datetime


@dataclass(frozen=True)
class StockRule:
    """A SKU's overrides: buffer text ("" = global default), livestream cap, freeze."""

    sku_id: str
    buffer: str = ""
    cap: int | None = None
    frozen: bool = False
    updated_at: datetime | None = None


@dataclass(frozen=True)
class SkuStock:
    """What one SKU's computation needs, joined from the SKU, its mapping and Shopify stock."""

    sku_id: str
    product_id: str
    product_status: str
    warehouses: tuple[str, ...]
    tiktok_quantity: int
    target: int | None
    deactivated_by_us: bool
    variant_id: str  # "" when not mapped
    stock: ShopifyStock | None  # None when Shopify stock was never read
    last_negative: bool  # the last computation saw negative Shopify stock


@dataclass(frozen=True)
class LedgerEntry:
    """One pushed quantity with its inputs and reason."""

    at: datetime
    sku_id: str
    product_id: str
    shopify_variant_id: str
    shopify_available: int
    buffer: int
    in_flight: int
    cap: int | None
    frozen: bool
    previous: int | None
    quantity: int
    reason: str
    explanation: str
    warehouses: Mapping[str, int]  # what TikTok now holds per warehouse (if pushed)
    status: str = "pushed"  # pushed | failed
    error: str = ""


@dataclass(frozen=True)
class Computed:
    """A computed target that needed no push (TikTok already shows it)."""

    sku_id: str
    shopify_available: int
    target: int
    explanation: str


# -- TikTok SKUs ---------------------------------------------------------------------------


def upsert_tiktok_skus(skus: Iterable[TikTokSkuRead], read_at: datetime) -> int:
    """Insert or refresh SKUs as read from TikTok (their quantities are TikTok's own).

    Targets and push history are kept. TikTok's quantities are kept too when we
    pushed after ``read_at`` (the read started before our push, so it may show
    the quantity from before it): never an older read over a newer push.
    Returns how many were written.
    """
    rows = [
        {
            "sku_id": sku.sku_id,
            "product_id": sku.product_id,
            "seller_sku": sku.seller_sku,
            "title": sku.title,
            "product_status": sku.product_status,
            "warehouses": json.dumps(dict(sku.warehouses)),
            "tiktok_quantity": sum(q for _, q in sku.warehouses),
            "read_at": read_at,
            "updated_at": read_at,
        }
        for sku in skus
    ]
    newer_push = "tiktok_sku_row.last_push_at >= excluded.read_at"
    return _upsert(
        TikTokSkuRow, rows, "sku_id",
        keep_when={"tiktok_quantity": newer_push, "warehouses": newer_push},
    )  # fmt: skip


def _upsert(
    model: type[peewee.Model],
    rows: Sequence[Mapping[str, Any]],
    key: str,
    keep_when: Mapping[str, str] | None = None,
) -> int:
    """Insert or update ``rows`` (all with the same columns) by ``key``, in one transaction.

    One prepared statement through ``executemany``: a reconciliation writes
    10,000 rows, which one peewee query per row takes seconds to do. Columns
    not given keep their values on update, and so do those of ``keep_when``
    (column -> SQL condition) where the condition holds.
    """
    if not rows:
        return 0
    names = list(rows[0])
    fields = [model._meta.fields[name] for name in names]
    columns = ", ".join(f'"{field.column_name}"' for field in fields)
    marks = ", ".join("?" for _ in fields)
    keep = keep_when or {}

    def assignment(field: peewee.Field) -> str:
        column = f'"{field.column_name}"'
        if field.name in keep:
            return (
                f"{column} = CASE WHEN {keep[field.name]} THEN {column} ELSE excluded.{column} END"
            )
        return f"{column} = excluded.{column}"

    updates = ", ".join(assignment(f) for f in fields if f.name != key)
    # Names come from the model, never from input; values are bound parameters.
    sql = (
        f'INSERT INTO "{model._meta.table_name}" ({columns}) VALUES ({marks}) '  # noqa: S608
        f'ON CONFLICT("{model._meta.fields[key].column_name}") DO UPDATE SET {updates}'
    )
    values = [tuple(f.db_value(row[f.name]) for f in fields) for row in rows]
    with db.atomic():
        db.connection().executemany(sql, values)
    return len(values)


def set_product_status(product_id: str, status: str, deactivated_by_us: bool) -> None:
    """Note a listing's status after we (de)activated it."""
    TikTokSkuRow.update(
        product_status=status, deactivated_by_us=deactivated_by_us, updated_at=datetime.now(UTC)
    ).where(TikTokSkuRow.product_id == product_id).execute()


def all_sku_ids() -> list[str]:
    """Every known TikTok SKU id."""
    return [row.sku_id for row in TikTokSkuRow.select(TikTokSkuRow.sku_id)]


def sku_ids_by_product(size: int) -> list[list[str]]:
    """Every SKU id in chunks of about ``size``, a product's SKUs never split between two."""
    chunks: list[list[str]] = [[]]
    last = None
    query = TikTokSkuRow.select(TikTokSkuRow.sku_id, TikTokSkuRow.product_id).order_by(
        TikTokSkuRow.product_id, TikTokSkuRow.sku_id
    )
    for row in query:
        if row.product_id != last and len(chunks[-1]) >= size:
            chunks.append([])
        chunks[-1].append(row.sku_id)
        last = row.product_id
    return [chunk for chunk in chunks if chunk]


def skus_with_variants() -> list[tuple[str, str, str]]:
    """Every SKU as (SKU id, product id, mapped variant id or ""), in product order."""
    mapped = {
        row.tiktok_sku_id: row.shopify_variant_id
        for row in SkuMappingRow.select(
            SkuMappingRow.tiktok_sku_id, SkuMappingRow.shopify_variant_id
        )
    }
    query = TikTokSkuRow.select(TikTokSkuRow.sku_id, TikTokSkuRow.product_id).order_by(
        TikTokSkuRow.product_id, TikTokSkuRow.sku_id
    )
    return [(row.sku_id, row.product_id, mapped.get(row.sku_id, "")) for row in query]


def product_sku_targets(product_ids: Iterable[str]) -> dict[str, list[tuple[int | None, str]]]:
    """Per product: each SKU's (target, product status), for deactivate-at-zero."""
    result: dict[str, list[tuple[int | None, str]]] = {}
    for chunk in _chunks(product_ids):
        query = TikTokSkuRow.select(
            TikTokSkuRow.product_id, TikTokSkuRow.target, TikTokSkuRow.product_status
        ).where(TikTokSkuRow.product_id.in_(chunk))
        for row in query:
            result.setdefault(row.product_id, []).append((row.target, row.product_status))
    return result


def deactivated_products() -> dict[str, bool]:
    """Products by id -> whether we deactivated them (for the activate-when-back rule)."""
    query = TikTokSkuRow.select(TikTokSkuRow.product_id, TikTokSkuRow.deactivated_by_us).where(
        TikTokSkuRow.deactivated_by_us == True  # noqa: E712 (SQL, not Python)
    )
    return {row.product_id: True for row in query}


def sku_stock(sku_ids: Iterable[str]) -> list[SkuStock]:
    """The SKUs with their mapping and Shopify stock (unknown SKUs are left out)."""
    wanted = list(dict.fromkeys(sku_ids))
    found: list[SkuStock] = []
    for chunk in _chunks(wanted):
        rows = list(TikTokSkuRow.select().where(TikTokSkuRow.sku_id.in_(chunk)))
        maps = {
            m.tiktok_sku_id: m.shopify_variant_id
            for m in SkuMappingRow.select(
                SkuMappingRow.tiktok_sku_id, SkuMappingRow.shopify_variant_id
            ).where(SkuMappingRow.tiktok_sku_id.in_(chunk))
        }
        stocks = _stock_by_variant(set(maps.values()))
        for row in rows:
            variant = maps.get(row.sku_id, "")
            found.append(
                SkuStock(
                    sku_id=row.sku_id,
                    product_id=row.product_id,
                    product_status=row.product_status,
                    warehouses=tuple(json.loads(row.warehouses or "{}")),
                    tiktok_quantity=row.tiktok_quantity,
                    target=row.target,
                    deactivated_by_us=bool(row.deactivated_by_us),
                    variant_id=variant,
                    stock=stocks.get(variant),
                    last_negative=row.shopify_available is not None and row.shopify_available < 0,
                )
            )
    return found


def skus_for_variants(variant_ids: Iterable[str]) -> list[str]:
    """TikTok SKUs mapped to any of the Shopify variants."""
    found: list[str] = []
    for chunk in _chunks(variant_ids):
        query = SkuMappingRow.select(SkuMappingRow.tiktok_sku_id).where(
            SkuMappingRow.shopify_variant_id.in_(chunk)
        )
        found.extend(row.tiktok_sku_id for row in query)
    return found


def unmapped_skus() -> dict[str, str]:
    """TikTok SKU id -> seller SKU, for known SKUs with no Shopify variant yet."""
    mapped = SkuMappingRow.select(SkuMappingRow.tiktok_sku_id)
    query = TikTokSkuRow.select(TikTokSkuRow.sku_id, TikTokSkuRow.seller_sku).where(
        TikTokSkuRow.sku_id.not_in(mapped)
    )
    return {row.sku_id: row.seller_sku for row in query}


# -- Shopify stock -------------------------------------------------------------------------


def upsert_shopify_stock(stocks: Iterable[ShopifyStock]) -> list[str]:
    """Store reads of Shopify stock, never an older read over a newer one.

    A read replaces the stored one only when its ``store_updated_at`` is at
    least as late (within one second: when it was sent at least as late).
    Returns the variant ids whose stored quantities changed. Call inside the
    transaction that also advances the cursor.
    """
    changed: list[str] = []
    incoming = {stock.inventory_item_id: stock for stock in stocks}
    existing: dict[str, ShopifyStockRow] = {}
    for chunk in _chunks(incoming):
        for found in ShopifyStockRow.select().where(ShopifyStockRow.inventory_item_id.in_(chunk)):
            existing[found.inventory_item_id] = found
    rows: list[dict[str, Any]] = []
    for item_id, stock in incoming.items():
        row = existing.get(item_id)
        locations = json.dumps(dict(sorted(stock.locations.items())))
        if row is not None and _older(stock, row):
            continue  # a slower read of an older state: keep the newer one
        same = row is not None and row.locations == locations and row.variant_id == stock.variant_id
        if same and row is not None:
            # Same quantities, seen later: note when, so orders that reached Shopify
            # before this read no longer count as in flight for it.
            if stock.store_updated_at == row.store_updated_at and stock.read_at <= row.read_at:
                continue
        else:
            changed.append(stock.variant_id)
        rows.append({
            "inventory_item_id": item_id, "variant_id": stock.variant_id, "locations": locations,
            "store_updated_at": stock.store_updated_at, "read_at": stock.read_at,
        })  # fmt: skip
    _upsert(ShopifyStockRow, rows, "inventory_item_id")
    return changed


def stock_stamp(variant_ids: Iterable[str]) -> dict[str, tuple[datetime | None, str]]:
    """Per variant: the stored read's (store updatedAt, locations), to spot a newer read."""
    stamps: dict[str, tuple[datetime | None, str]] = {}
    for chunk in _chunks(variant_ids):
        query = ShopifyStockRow.select(
            ShopifyStockRow.variant_id, ShopifyStockRow.store_updated_at, ShopifyStockRow.locations
        ).where(ShopifyStockRow.variant_id.in_(chunk))
        for row in query:
            stamps[row.variant_id] = (row.store_updated_at, row.locations)
    return stamps


def _older(new: ShopifyStock, stored: ShopifyStockRow) -> bool:
    """Whether ``new`` shows an older state than the stored read.

    Shopify's ``updatedAt`` has whole seconds, so two reads of the same second
    are told apart by when each was sent: a request sent later sees at least
    as much.
    """
    if new.store_updated_at is None or stored.store_updated_at is None:
        return False
    if new.store_updated_at != stored.store_updated_at:
        return bool(new.store_updated_at < stored.store_updated_at)
    return bool(new.read_at < stored.read_at)


def _stock_by_variant(variant_ids: set[str]) -> dict[str, ShopifyStock]:
    stocks: dict[str, ShopifyStock] = {}
    for chunk in _chunks(variant_ids):
        for row in ShopifyStockRow.select().where(ShopifyStockRow.variant_id.in_(chunk)):
            stocks[row.variant_id] = ShopifyStock(
                row.inventory_item_id,
                row.variant_id,
                json.loads(row.locations or "{}"),
                row.store_updated_at,
                row.read_at,
            )
    return stocks


# -- in-flight units -----------------------------------------------------------------------

NOT_IN_SHOPIFY = (PENDING, ORPHAN, FAILED)


def in_flight_units(as_of: Mapping[str, datetime | None]) -> dict[str, int]:
    """Units per TikTok SKU sold on TikTok that the Shopify read ``as_of[sku]`` did not count.

    That is every unit of an order not cancelled on TikTok (UNPAID and ON_HOLD
    included: TikTok took the stock when the order was placed) that is not in
    Shopify yet (pending, orphan, failed), plus orders that reached Shopify
    only after that SKU's stock was read (their decrement may be missing from
    the read). Orders skipped for Shopify (fulfilled by TikTok) never count.
    """
    if not as_of:
        return {}
    reads = [t for t in as_of.values() if t is not None]
    oldest = min(reads) if reads else None
    waiting = TikTokOrderRow.sync_state.in_(NOT_IN_SHOPIFY)
    if oldest is not None:
        waiting = waiting | (
            TikTokOrderRow.sync_state.in_(IN_SHOPIFY) & (TikTokOrderRow.synced_at >= oldest)
        )
    query = TikTokOrderRow.select(
        TikTokOrderRow.payload, TikTokOrderRow.sync_state, TikTokOrderRow.synced_at
    ).where(waiting & (TikTokOrderRow.status != "CANCELLED"))
    units: dict[str, int] = {}
    for row in query:
        late_in_shopify = row.sync_state in IN_SHOPIFY
        for sku_id, count in _units(row.payload).items():
            if sku_id not in as_of:
                continue
            read_at = as_of[sku_id]
            if late_in_shopify and (read_at is None or row.synced_at < read_at):
                continue  # in Shopify before this read: the read counted it
            units[sku_id] = units.get(sku_id, 0) + count
    return units


def skus_in_orders_changed_since(since: datetime) -> set[str]:
    """TikTok SKUs in orders stored or settled since ``since`` (their in-flight may differ)."""
    query = TikTokOrderRow.select(TikTokOrderRow.payload).where(TikTokOrderRow.updated_at >= since)
    found: set[str] = set()
    for row in query:
        found.update(_units(row.payload))
    return found


def _units(payload: str) -> dict[str, int]:
    """Units per SKU in a TikTok order (TikTok sends one line item per unit)."""
    units: dict[str, int] = {}
    for line in json.loads(payload or "{}").get("line_items") or []:
        sku_id = str(line.get("sku_id") or "")
        if sku_id and line.get("display_status") != "CANCELLED":
            units[sku_id] = units.get(sku_id, 0) + 1
    return units


# -- rules ---------------------------------------------------------------------------------


def stock_rules(sku_ids: Iterable[str] | None = None) -> dict[str, StockRule]:
    """Rules by SKU id (all, or those of ``sku_ids``); SKUs without one are left out."""
    if sku_ids is None:
        return {row.sku_id: _rule(row) for row in StockRuleRow.select()}
    rules: dict[str, StockRule] = {}
    for chunk in _chunks(sku_ids):
        for row in StockRuleRow.select().where(StockRuleRow.sku_id.in_(chunk)):
            rules[row.sku_id] = _rule(row)
    return rules


def save_rule(sku_id: str, **changes: Any) -> None:
    """Change some of a SKU's rule fields (``buffer``, ``cap``, ``frozen``)."""
    now = datetime.now(UTC)
    StockRuleRow.insert(sku_id=sku_id, updated_at=now, **changes).on_conflict(
        conflict_target=[StockRuleRow.sku_id],
        update={**{getattr(StockRuleRow, k): v for k, v in changes.items()},
                StockRuleRow.updated_at: now},
    ).execute()  # fmt: skip


def rules_changed_since(since: datetime) -> list[str]:
    """SKUs whose rule changed at or after ``since``."""
    query = StockRuleRow.select(StockRuleRow.sku_id).where(StockRuleRow.updated_at >= since)
    return [row.sku_id for row in query]


def _rule(row: StockRuleRow) -> StockRule:
    return StockRule(row.sku_id, row.buffer, row.cap, bool(row.frozen), row.updated_at)


# -- the ledger ----------------------------------------------------------------------------


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
        _update(TikTokSkuRow, pushed, "sku_id")
        _update(TikTokSkuRow, failed, "sku_id")


def record_computed(computed: Sequence[Computed], at: datetime) -> None:
    """Store targets that needed no push (TikTok already showed them)."""
    rows = [
        {"sku_id": c.sku_id, "target": c.target, "shopify_available": c.shopify_available,
         "last_explanation": c.explanation, "updated_at": at}
        for c in computed
    ]  # fmt: skip
    _update(TikTokSkuRow, rows, "sku_id")


def _update(model: type[peewee.Model], rows: Sequence[Mapping[str, Any]], key: str) -> None:
    """Update existing rows by ``key`` with one prepared statement (see ``_upsert``)."""
    if not rows:
        return
    fields = [model._meta.fields[name] for name in rows[0] if name != key]
    key_field = model._meta.fields[key]
    assignments = ", ".join(f'"{f.column_name}" = ?' for f in fields)
    # Names come from the model, never from input; values are bound parameters.
    sql = (
        f'UPDATE "{model._meta.table_name}" SET {assignments} '  # noqa: S608
        f'WHERE "{key_field.column_name}" = ?'
    )
    values = [
        (*(f.db_value(row[f.name]) for f in fields), key_field.db_value(row[key])) for row in rows
    ]
    with db.atomic():
        db.connection().executemany(sql, values)


def save_auto_mappings(matches: Sequence[tuple[str, str, str, str]]) -> None:
    """Map TikTok SKUs found by seller SKU: (sku id, seller SKU, variant id, source)."""
    now = datetime.now(UTC)
    rows = [
        {"tiktok_sku_id": sku_id, "seller_sku": seller_sku, "shopify_variant_id": variant_id,
         "source": source, "created_at": now}
        for sku_id, seller_sku, variant_id, source in matches
    ]  # fmt: skip
    _upsert(SkuMappingRow, rows, "tiktok_sku_id")


@dataclass(frozen=True)
class LedgerLine:
    """A ledger row as reports and tests read it."""

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
    status: str


def ledger(since: datetime | None = None, until: datetime | None = None) -> list[LedgerLine]:
    """Ledger rows in time order, optionally within [since, until]."""
    query = StockLedgerRow.select()
    if since is not None:
        query = query.where(StockLedgerRow.at >= since)
    if until is not None:
        query = query.where(StockLedgerRow.at <= until)
    return [
        LedgerLine(
            row.at,
            row.sku_id,
            row.product_id,
            row.shopify_available,
            row.buffer,
            row.in_flight,
            row.cap,
            bool(row.frozen),
            row.previous,
            row.quantity,
            row.reason,
            row.explanation,
            row.status,
        )
        for row in query.order_by(StockLedgerRow.at, StockLedgerRow._meta.primary_key)
    ]


def _chunks(values: Iterable[str]) -> Iterable[list[str]]:
    items = list(values)
    for start in range(0, len(items), _CHUNK):
        yield items[start : start + _CHUNK]
