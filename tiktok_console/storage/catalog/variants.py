"""Shopify variants and the SKU mappings from TikTok SKUs to them."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal

import peewee

from tiktok_console.storage.tables import ShopifyVariantRow, SkuMappingRow

DECLINED = "declined"
"""The source of a tombstone: the merchant undid a mapping, so nothing maps the SKU
automatically again until the merchant maps it by hand."""

NOT_IN_SHOPIFY = "not_in_shopify"
"""The source of a tombstone: the merchant said the SKU has no Shopify product. Its
orders stay orphans, nothing maps it automatically and nothing suggests a variant
for it, until the merchant maps it by hand."""

TOMBSTONES = (DECLINED, NOT_IN_SHOPIFY)  # rows that map a SKU to nothing


@dataclass(frozen=True)
class Variant:
    """A Shopify variant as mapping and suggestions need it."""

    variant_id: str
    sku: str
    barcode: str
    title: str
    product_id: str
    inventory_item_id: str
    price: Decimal
    name: str | None = None  # the variant's own name; "" for a product's only variant


@dataclass(frozen=True)
class SkuMapping:
    """A TikTok SKU's Shopify variant, and where the mapping came from."""

    tiktok_sku_id: str
    seller_sku: str
    shopify_variant_id: str
    source: str  # auto_exact | auto_normalized | manual (declined rows are never returned)
    created_at: datetime
    used_at: datetime | None


def store_variants(variants: Sequence[Variant]) -> None:
    """Insert or update variants (call inside the cursor's transaction)."""
    now = datetime.now(UTC)
    for variant in variants:
        ShopifyVariantRow.insert(
            variant_id=variant.variant_id, sku=variant.sku, barcode=variant.barcode,
            title=variant.title, product_id=variant.product_id,
            inventory_item_id=variant.inventory_item_id, price=variant.price, updated_at=now,
            variant_name=variant.name,
        ).on_conflict_replace().execute()  # fmt: skip


def all_variants() -> list[Variant]:
    """Every known Shopify variant."""
    return [_variant(row) for row in ShopifyVariantRow.select()]


@dataclass(frozen=True)
class RecentMapping:
    """A mapping as the "Recent mappings" list shows it, with its variant's names."""

    mapping: SkuMapping
    variant_sku: str
    variant_title: str


def mappings(sku_ids: Iterable[str] | None = None) -> dict[str, SkuMapping]:
    """Mappings by TikTok SKU id (all of them, or those of ``sku_ids``); tombstones left out."""
    query = SkuMappingRow.select().where(SkuMappingRow.source.not_in(TOMBSTONES))
    if sku_ids is not None:
        query = query.where(SkuMappingRow.tiktok_sku_id.in_(list(sku_ids)))
    return {row.tiktok_sku_id: _mapping(row) for row in query}


def declined(sku_ids: Iterable[str]) -> set[str]:
    """The SKUs among ``sku_ids`` the merchant unmapped or said are not in Shopify
    (never auto-mapped)."""
    return _tombstoned(sku_ids, TOMBSTONES)


def not_in_shopify(sku_ids: Iterable[str]) -> set[str]:
    """The SKUs among ``sku_ids`` the merchant said have no Shopify product."""
    return _tombstoned(sku_ids, (NOT_IN_SHOPIFY,))


def mark_not_in_shopify(tiktok_sku_id: str, seller_sku: str) -> None:
    """Keep the SKU's orders as orphans and stop suggesting variants for it.

    Replaces an unused mapping or a tombstone; a mapping an order used stays
    (``LookupError``): that order is in Shopify with the variant already.
    """
    used = SkuMappingRow.get_or_none(
        (SkuMappingRow.tiktok_sku_id == tiktok_sku_id) & SkuMappingRow.used_at.is_null(False)
    )
    if used is not None:
        raise LookupError("An order already used this SKU's mapping: it stays mapped.")
    save_mapping(tiktok_sku_id, seller_sku, "", NOT_IN_SHOPIFY)


def _tombstoned(sku_ids: Iterable[str], sources: Sequence[str]) -> set[str]:
    wanted = list(sku_ids)
    found: set[str] = set()
    for start in range(0, len(wanted), 500):  # SQLite's limit on bound values
        query = SkuMappingRow.select(SkuMappingRow.tiktok_sku_id).where(
            SkuMappingRow.tiktok_sku_id.in_(wanted[start : start + 500])
            & SkuMappingRow.source.in_(list(sources))
        )
        found.update(row.tiktok_sku_id for row in query)
    return found


def recent_mappings(limit: int = 200) -> list[RecentMapping]:
    """The newest mappings (tombstones left out), with their Shopify variant's SKU and title."""
    query = (
        SkuMappingRow.select(SkuMappingRow, ShopifyVariantRow.sku, ShopifyVariantRow.title)
        .join(
            ShopifyVariantRow,
            peewee.JOIN.LEFT_OUTER,
            on=SkuMappingRow.shopify_variant_id == ShopifyVariantRow.variant_id,
        )
        .where(SkuMappingRow.source.not_in(TOMBSTONES))
        .order_by(SkuMappingRow.created_at.desc(), SkuMappingRow.tiktok_sku_id)
        .limit(limit)
        .objects()
    )
    # ``objects()`` puts the variant's two columns on the mapping row itself.
    return [RecentMapping(_mapping(row), *_names(row)) for row in query]


def change_stamp() -> tuple[object, ...]:
    """Changes when a variant or a mapping is written: what may release an orphan order."""
    variants = ShopifyVariantRow.select(
        peewee.fn.COUNT(ShopifyVariantRow.variant_id), peewee.fn.MAX(ShopifyVariantRow.updated_at)
    ).scalar(as_tuple=True)
    maps = SkuMappingRow.select(
        peewee.fn.COUNT(SkuMappingRow.tiktok_sku_id), peewee.fn.MAX(SkuMappingRow.created_at)
    ).scalar(as_tuple=True)
    return (*variants, *maps)


def save_mapping(tiktok_sku_id: str, seller_sku: str, variant_id: str, source: str) -> None:
    """Map a TikTok SKU to a Shopify variant (replacing an unused mapping)."""
    SkuMappingRow.insert(
        tiktok_sku_id=tiktok_sku_id, seller_sku=seller_sku, shopify_variant_id=variant_id,
        source=source, created_at=datetime.now(UTC),
    ).on_conflict_replace().execute()  # fmt: skip


def undo_mapping(tiktok_sku_id: str) -> bool:
    """Undo a mapping no order has used yet; returns False when it was used (or is gone).

    The row stays as a tombstone (source ``declined``, no variant), so the same
    automatic match is not made again the moment after: only mapping the SKU
    by hand replaces it.
    """
    undone = (
        SkuMappingRow.update(source=DECLINED, shopify_variant_id="", created_at=datetime.now(UTC))
        .where(
            (SkuMappingRow.tiktok_sku_id == tiktok_sku_id)
            & SkuMappingRow.used_at.is_null()
            & SkuMappingRow.source.not_in(TOMBSTONES)
        )
        .execute()
    )
    return bool(undone)


def mark_used(sku_ids: Iterable[str]) -> None:
    """Mappings used by an order can no longer be undone."""
    SkuMappingRow.update(used_at=datetime.now(UTC)).where(
        SkuMappingRow.tiktok_sku_id.in_(list(sku_ids)) & SkuMappingRow.used_at.is_null()
    ).execute()


def _names(row: SkuMappingRow) -> tuple[str, str]:
    return str(getattr(row, "sku", "") or ""), str(getattr(row, "title", "") or "")


def _variant(row: ShopifyVariantRow) -> Variant:
    return Variant(
        row.variant_id, row.sku, row.barcode, row.title, row.product_id,
        row.inventory_item_id, row.price, row.variant_name,
    )  # fmt: skip


def _mapping(row: SkuMappingRow) -> SkuMapping:
    return SkuMapping(
        row.tiktok_sku_id, row.seller_sku, row.shopify_variant_id, row.source,
        row.created_at, row.used_at,
    )  # fmt: skip
