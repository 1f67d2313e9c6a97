"""The catalog's Shopify read misses no variant: a product with 64 variants, first and later reads.

Shopify's product pages bring at most 50 variants per product; the first read is
a bulk operation (every variant), later reads page the rest. Evidence is the
TikTok world's listing (its seller SKUs and prices) and the calls on the wire.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

import httpx
import pytest

from tests.sync.conftest import START, Connected
from tests.sync.test_catalog_job import _job, _set_price
from tiktok_console.sandbox.shopify.records import InventoryItemRec, LevelRec, VariantRec
from tiktok_console.sandbox.world import WorldOptions
from tiktok_console.storage.catalog import listings

SIZES, COLOURS, FITS = ("XS", "S", "M", "L"), ("Ink", "Sand", "Moss", "Rust"), ("A", "B", "C", "D")


@pytest.fixture
def world_options() -> WorldOptions:
    return WorldOptions(
        seed=11, products=6, orders=0, orders_per_minute=0, index_lag_seconds=0.5,
        clock_start=START, shopify_plan="plus", unlisted_share=1.0, daily_listing_cap=1000,
    )  # fmt: skip


@pytest.fixture
def calls(connected: Connected) -> Iterator[list[str]]:
    seen: list[str] = []

    async def hook(request: httpx.Request) -> None:
        try:
            body = request.content.decode(errors="replace")
        except httpx.RequestNotRead:  # an image upload, streamed
            body = ""
        seen.append(f"{request.url.path} {body}")

    connected.http.event_hooks["request"].append(hook)
    yield seen


def _grow_to_64_variants(connected: Connected) -> tuple[str, list[str]]:
    """Give one clean product 64 variants (three options), as a merchant's store can have;
    returns its id and the seller SKUs in Shopify's order."""
    store = connected.sandbox.world.shopify
    with store.lock:
        product = next(
            p for p in store.products.values()
            if p.images and all(min(i.width, i.height) >= 600 for i in p.images)
        )  # fmt: skip
        product.title = "Everyday Relaxed Tee"
        product.description_html = (
            "<p>" + " ".join(["Soft organic cotton, cut loose."] * 8) + "</p>"
        )
        first = store.variants[product.variant_ids[0]]
        weight = store.items[first.inventory_item_id].weight_value or 250.0
        location = next(iter(store.locations))
        for variant_id in product.variant_ids:
            item_id = store.variants.pop(variant_id).inventory_item_id
            store.items.pop(item_id)
            for key in [k for k in store.levels if k[0] == item_id]:
                store.levels.pop(key)
        product.variant_ids = []
        now = store.now()
        skus = []
        for n, (size, colour, fit) in enumerate(
            ((s, c, f) for s in SIZES for c in COLOURS for f in FITS), start=1
        ):
            item_id = store.ids.next("InventoryItem")
            sku = f"BIG-{size}-{colour}-{fit}".upper()
            variant = VariantRec(
                id=store.ids.next("ProductVariant"), product_id=product.id, sku=sku,
                options=[("Size", size), ("Colour", colour), ("Fit", fit)],
                price=Decimal("20.00") + n, compare_at_price=None, barcode=None, position=n,
                inventory_item_id=item_id, inventory_policy="DENY", created_at=now,
                updated_at=now,
            )  # fmt: skip
            store.variants[variant.id] = variant
            product.variant_ids.append(variant.id)
            store.items[item_id] = InventoryItemRec(item_id, variant.id, weight, True, now, now)
            store.levels[(item_id, location)] = LevelRec(location, item_id, {"available": 5},
                                                         now, now)  # fmt: skip
            store.variant_index.put(variant.id, store.variant_doc(variant), now, immediate=True)
            store.item_index.put(item_id, store.item_doc(variant), now, immediate=True)
            skus.append(sku)
        product.updated_at = now
        store.product_index.put(product.id, store.product_doc(product), now, immediate=True)
    return f"gid://shopify/Product/{product.id}", skus


async def test_a_product_with_64_variants_reaches_tiktok_whole(connected: Connected) -> None:
    product_id, skus = _grow_to_64_variants(connected)
    job = _job(connected)
    await job.run_once()  # the first read: one bulk operation
    entry = listings.listing(product_id)
    assert entry is not None
    assert [v["sku"] for v in entry.payload["variants"]["nodes"]] == skus
    assert entry.tiktok_product_id, entry.problems
    listed = connected.sandbox.world.tiktok.products.get(entry.tiktok_product_id)
    assert sorted(s.seller_sku for s in listed.skus) == sorted(skus)


async def test_a_change_past_the_50th_variant_is_read_and_pushed(
    connected: Connected, calls: list[str]
) -> None:
    product_id, skus = _grow_to_64_variants(connected)
    job = _job(connected)
    await job.run_once()
    connected.sandbox.world.advance(700)  # review ends: the listing is live
    await job.run_once()
    entry = listings.listing(product_id)
    assert entry is not None and entry.state == listings.LIVE
    last = entry.payload["variants"]["nodes"][-1]
    await _set_price(connected, product_id, last["id"], Decimal("99.95"))
    connected.sandbox.world.advance(5)
    calls.clear()
    await job.run_once()  # a later read: pages of products, the rest of the variants after
    assert any("CatalogProductVariants" in c for c in calls), calls
    assert not any("bulkOperationRunQuery" in c for c in calls)
    after = listings.listing(product_id)
    assert after is not None and len(after.payload["variants"]["nodes"]) == 64
    writes = [c for c in calls if "/prices/update" in c or "partial_edit" in c]
    assert len(writes) == 1 and "/prices/update" in writes[0], writes
    listed = connected.sandbox.world.tiktok.products.get(entry.tiktok_product_id)
    sku = next(s for s in listed.skus if s.seller_sku == skus[-1])
    assert Decimal(str(sku.price)) == Decimal("99.95")
