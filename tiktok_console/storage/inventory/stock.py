"""Stock as the inventory jobs read and write it: TikTok SKUs, Shopify stock, rules.

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

from tiktok_console.storage.bulk import bulk_update, bulk_upsert, chunks
from tiktok_console.storage.inventory.tables import (
    ShopifyStockRow,
    StockRuleRow,
    TikTokSkuRow,
)
from tiktok_console.storage.tables import SkuMappingRow


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
    return bulk_upsert(
        TikTokSkuRow, rows, "sku_id",
        keep_when={"tiktok_quantity": newer_push, "warehouses": newer_push},
    )  # fmt: skip


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
    for chunk in chunks(product_ids):
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
    for chunk in chunks(wanted):
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
    for chunk in chunks(variant_ids):
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


def products_missing_barcodes(limit: int) -> list[str]:
    """Products with an unmapped SKU whose barcode was never read (for suggestions)."""
    mapped = SkuMappingRow.select(SkuMappingRow.tiktok_sku_id)
    query = (
        TikTokSkuRow.select(TikTokSkuRow.product_id)
        .where(TikTokSkuRow.barcode.is_null() & TikTokSkuRow.sku_id.not_in(mapped))
        .distinct()
        .order_by(TikTokSkuRow.product_id)
        .limit(limit)
    )
    return [row.product_id for row in query]


def save_barcodes(barcodes: Mapping[str, str]) -> None:
    """Store TikTok SKUs' identifier codes (sku id -> code, "" for none)."""
    rows = [{"sku_id": sku_id, "barcode": code} for sku_id, code in barcodes.items()]
    bulk_update(TikTokSkuRow, rows, "sku_id")


def barcodes(sku_ids: Iterable[str]) -> dict[str, str]:
    """The known identifier codes of TikTok SKUs (SKUs with none left out)."""
    found: dict[str, str] = {}
    for chunk in chunks(sku_ids):
        query = TikTokSkuRow.select(TikTokSkuRow.sku_id, TikTokSkuRow.barcode).where(
            TikTokSkuRow.sku_id.in_(chunk)
        )
        found.update({row.sku_id: row.barcode for row in query if row.barcode})
    return found


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
    for chunk in chunks(incoming):
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
    bulk_upsert(ShopifyStockRow, rows, "inventory_item_id")
    return changed


def stock_stamp(variant_ids: Iterable[str]) -> dict[str, tuple[datetime | None, str]]:
    """Per variant: the stored read's (store updatedAt, locations), to spot a newer read."""
    stamps: dict[str, tuple[datetime | None, str]] = {}
    for chunk in chunks(variant_ids):
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
    for chunk in chunks(variant_ids):
        for row in ShopifyStockRow.select().where(ShopifyStockRow.variant_id.in_(chunk)):
            stocks[row.variant_id] = ShopifyStock(
                row.inventory_item_id,
                row.variant_id,
                json.loads(row.locations or "{}"),
                row.store_updated_at,
                row.read_at,
            )
    return stocks


# -- rules ---------------------------------------------------------------------------------


def stock_rules(sku_ids: Iterable[str] | None = None) -> dict[str, StockRule]:
    """Rules by SKU id (all, or those of ``sku_ids``); SKUs without one are left out."""
    if sku_ids is None:
        return {row.sku_id: _rule(row) for row in StockRuleRow.select()}
    rules: dict[str, StockRule] = {}
    for chunk in chunks(sku_ids):
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


def record_computed(computed: Sequence[Computed], at: datetime) -> None:
    """Store targets that needed no push (TikTok already showed them)."""
    rows = [
        {"sku_id": c.sku_id, "target": c.target, "shopify_available": c.shopify_available,
         "last_explanation": c.explanation, "updated_at": at}
        for c in computed
    ]  # fmt: skip
    bulk_update(TikTokSkuRow, rows, "sku_id")


def save_auto_mappings(matches: Sequence[tuple[str, str, str, str]]) -> None:
    """Map TikTok SKUs found by seller SKU: (sku id, seller SKU, variant id, source).

    Only SKUs with no row yet: a mapping made meanwhile, or the tombstone of one
    the merchant undid, is never overwritten by an automatic match.
    """
    now = datetime.now(UTC)
    taken: set[str] = set()
    for chunk in chunks([sku_id for sku_id, *_ in matches]):
        query = SkuMappingRow.select(SkuMappingRow.tiktok_sku_id)
        taken.update(
            row.tiktok_sku_id for row in query.where(SkuMappingRow.tiktok_sku_id.in_(chunk))
        )
    rows = [
        {"tiktok_sku_id": sku_id, "seller_sku": seller_sku, "shopify_variant_id": variant_id,
         "source": source, "created_at": now}
        for sku_id, seller_sku, variant_id, source in matches
        if sku_id not in taken
    ]  # fmt: skip
    bulk_upsert(SkuMappingRow, rows, "tiktok_sku_id")
