"""Shopify variants and the SKU mappings from TikTok SKUs to them."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal

from tiktok_console.storage.tables import ShopifyVariantRow, SkuMappingRow


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


@dataclass(frozen=True)
class SkuMapping:
    """A TikTok SKU's Shopify variant, and where the mapping came from."""

    tiktok_sku_id: str
    seller_sku: str
    shopify_variant_id: str
    source: str  # auto_exact | auto_normalized | manual
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
        ).on_conflict_replace().execute()  # fmt: skip


def all_variants() -> list[Variant]:
    """Every known Shopify variant."""
    return [_variant(row) for row in ShopifyVariantRow.select()]


def mappings(sku_ids: Iterable[str] | None = None) -> dict[str, SkuMapping]:
    """Mappings by TikTok SKU id (all of them, or those of ``sku_ids``)."""
    query = SkuMappingRow.select()
    if sku_ids is not None:
        query = query.where(SkuMappingRow.tiktok_sku_id.in_(list(sku_ids)))
    return {row.tiktok_sku_id: _mapping(row) for row in query}


def save_mapping(tiktok_sku_id: str, seller_sku: str, variant_id: str, source: str) -> None:
    """Map a TikTok SKU to a Shopify variant (replacing an unused mapping)."""
    SkuMappingRow.insert(
        tiktok_sku_id=tiktok_sku_id, seller_sku=seller_sku, shopify_variant_id=variant_id,
        source=source, created_at=datetime.now(UTC),
    ).on_conflict_replace().execute()  # fmt: skip


def undo_mapping(tiktok_sku_id: str) -> bool:
    """Remove a mapping no order has used yet; returns False when it was used."""
    deleted = (
        SkuMappingRow.delete()
        .where((SkuMappingRow.tiktok_sku_id == tiktok_sku_id) & SkuMappingRow.used_at.is_null())
        .execute()
    )
    return bool(deleted)


def mark_used(sku_ids: Iterable[str]) -> None:
    """Mappings used by an order can no longer be undone."""
    SkuMappingRow.update(used_at=datetime.now(UTC)).where(
        SkuMappingRow.tiktok_sku_id.in_(list(sku_ids)) & SkuMappingRow.used_at.is_null()
    ).execute()


def _variant(row: ShopifyVariantRow) -> Variant:
    return Variant(
        row.variant_id, row.sku, row.barcode, row.title, row.product_id,
        row.inventory_item_id, row.price,
    )  # fmt: skip


def _mapping(row: SkuMappingRow) -> SkuMapping:
    return SkuMapping(
        row.tiktok_sku_id, row.seller_sku, row.shopify_variant_id, row.source,
        row.created_at, row.used_at,
    )  # fmt: skip
