"""Fill a new store from the shared catalog: locations, products, variants, stock.

Creation and update times are spread over the past year (deterministic from the
store's seed) so ``updated_at:>…`` filters have something to select.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..catalog import Catalog, CatalogProduct, image_size
from .records import ImageRec, InventoryItemRec, LevelRec, LocationRec, ProductRec, VariantRec

if TYPE_CHECKING:
    from .store import ShopifyStore

DAY = 86400.0


def seed_store(store: ShopifyStore, catalog: Catalog) -> None:
    """Create every catalog location and product in ``store``."""
    now = store.now()
    location_ids: dict[str, int] = {}
    for location in catalog.locations:
        record = LocationRec(
            id=store.ids.next("Location"),
            key=location.key,
            name=location.name,
            city=location.city,
            fulfills_online_orders=location.fulfills_online_orders,
            is_active=True,
            created_at=store.created_at,
        )
        store.locations[record.id] = record
        location_ids[location.key] = record.id
    for product in catalog.products:
        _add_product(store, product, location_ids, now)


def _handle(title: str, taken: set[str]) -> str:
    base = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:60].strip("-") or "product"
    handle, n = base, 1
    while handle in taken:
        n += 1
        handle = f"{base}-{n}"
    taken.add(handle)
    return handle


def _add_product(
    store: ShopifyStore, product: CatalogProduct, location_ids: dict[str, int], now: float
) -> None:
    rng = store.rng
    created = now - rng.uniform(30, 365) * DAY
    updated = min(now - 60, created + rng.uniform(0, 25) * DAY)
    handles = {p.handle for p in store.products.values()}
    record = ProductRec(
        id=store.ids.next("Product"),
        handle=_handle(product.title, handles),
        title=product.title,
        description_html=product.description_html,
        vendor=product.vendor,
        product_type=product.product_type,
        tags=list(product.tags),
        status="ACTIVE",
        images=[
            ImageRec(
                store.ids.next("ProductImage"),
                name,
                f"{product.title} image {i + 1}",
                *image_size(name),
            )
            for i, name in enumerate(product.images)
        ],
        variant_ids=[],
        created_at=created,
        updated_at=updated,
    )
    store.products[record.id] = record
    for position, variant in enumerate(product.variants, start=1):
        item_id = store.ids.next("InventoryItem")
        variant_record = VariantRec(
            id=store.ids.next("ProductVariant"),
            product_id=record.id,
            sku=variant.sku,
            options=list(variant.options.items()) or [("Title", "Default Title")],
            price=variant.price,
            compare_at_price=variant.compare_at_price,
            barcode=variant.barcode,
            position=position,
            inventory_item_id=item_id,
            inventory_policy="DENY",
            created_at=created,
            updated_at=updated,
        )
        store.variants[variant_record.id] = variant_record
        record.variant_ids.append(variant_record.id)
        store.items[item_id] = InventoryItemRec(
            item_id,
            variant_record.id,
            None if variant.weight_grams is None else float(variant.weight_grams),
            True,
            created,
            updated,
        )
        for key, available in variant.inventory.items():
            location_id = location_ids[key]
            store.levels[(item_id, location_id)] = LevelRec(
                location_id, item_id, {"available": available}, created, updated
            )
        store.variant_index.put(
            variant_record.id, store.variant_doc(variant_record), now, immediate=True
        )
        store.item_index.put(item_id, store.item_doc(variant_record), now, immediate=True)
    store.product_index.put(record.id, store.product_doc(record), now, immediate=True)
