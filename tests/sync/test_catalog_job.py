"""The catalog job against the sandbox: checked in TikTok's own listings and Shopify's products.

Evidence is the TikTok world's products (their seller SKUs and prices), the
requests on the wire (counted through the client's event hook), and what the
merchant sees (``catalog --json``'s objects).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import httpx
import pytest

from tests.sync.conftest import START, Connected
from tiktok_console.sandbox.world import WorldOptions
from tiktok_console.storage.catalog import listings
from tiktok_console.sync.catalog.job import CatalogJob
from tiktok_console.sync.runtime import build_jobs


@pytest.fixture
def world_options() -> WorldOptions:
    """A small catalog with a third of it unlisted (flawed and clean ones), a large cap."""
    return WorldOptions(
        seed=7, products=30, orders=0, orders_per_minute=0, index_lag_seconds=0.5,
        clock_start=START, shopify_plan="plus", unlisted_share=0.35, daily_listing_cap=1000,
    )  # fmt: skip


def _job(connected: Connected) -> CatalogJob:
    jobs = build_jobs(
        connected.profile.settings, connected.token_store, connected.http, connected.options
    )
    job = next(j for j in jobs if j.name == "catalog")
    assert isinstance(job, CatalogJob)
    return job


def _tiktok_skus(connected: Connected) -> Counter[str]:
    """Seller SKU → how many TikTok products carry it."""
    products = connected.sandbox.world.tiktok.products.products
    return Counter(s.seller_sku for p in products if p.status != "DELETED" for s in p.skus)


@pytest.fixture
def calls(connected: Connected) -> Iterator[list[str]]:
    """Paths of every request the client sends."""
    seen: list[str] = []

    async def hook(request: httpx.Request) -> None:
        seen.append(request.url.path)

    connected.http.event_hooks["request"].append(hook)
    yield seen


async def test_clean_products_reach_tiktok_and_blocked_ones_say_why(
    connected: Connected,
) -> None:
    job = _job(connected)
    before = _tiktok_skus(connected)
    existing = {p.id for p in connected.sandbox.world.tiktok.products.products}
    await job.run_once()
    entries = listings.all_listings()
    assert entries
    on_tiktok = _tiktok_skus(connected)
    created = [e for e in entries if e.tiktok_product_id not in existing | {""}]
    assert all(e.state == listings.PENDING_AUDIT for e in created)
    blocked = [e for e in entries if e.state == listings.BLOCKED]
    assert job.stats.creates >= 2 and blocked
    world = connected.sandbox.world.tiktok.products
    for entry in created:
        product = world.get(entry.tiktok_product_id)
        prices = {s.seller_sku: s.price for s in product.skus}
        for variant in entry.payload["variants"]["nodes"]:
            assert on_tiktok[variant["sku"]] == 1 and not before[variant["sku"]]
            assert Decimal(str(prices[variant["sku"]])) == Decimal(variant["price"])
    for entry in blocked:
        assert entry.blocking and all(p.message for p in entry.blocking)
        assert not entry.tiktok_product_id
        skus = [v["sku"] for v in entry.payload["variants"]["nodes"] if v["sku"]]
        # a blocked product never reaches TikTok (a duplicate SKU may be on TikTok by another)
        if not any(p.code in ("duplicate_sku", "12052024") for p in entry.blocking):
            assert not any(on_tiktok[s] for s in skus), entry.blocking
    # nothing listed twice (the world starts with a few Seller Center duplicates of its own)
    assert all(on_tiktok[sku] <= max(before[sku], 1) for sku in on_tiktok if sku)


async def test_a_price_change_reaches_tiktok_with_one_update_price(
    connected: Connected, calls: list[str]
) -> None:
    job = _job(connected)
    await job.run_once()
    connected.sandbox.world.advance(700)  # review ends
    await job.run_once()
    live = [e for e in listings.all_listings() if e.state == listings.LIVE and not e.blocking]
    entry = live[0]
    variant = entry.payload["variants"]["nodes"][0]
    new_price = (Decimal(variant["price"]) + Decimal("1.25")).quantize(Decimal("0.01"))
    await _set_price(connected, entry.shopify_product_id, variant["id"], new_price)
    connected.sandbox.world.advance(5)
    calls.clear()
    await job.run_once()
    writes = [c for c in calls if "/prices/update" in c or "partial_edit" in c]
    assert len(writes) == 1 and writes[0].endswith("/prices/update"), calls
    product = connected.sandbox.world.tiktok.products.get(entry.tiktok_product_id)
    sku = next(s for s in product.skus if s.seller_sku == variant["sku"])
    assert Decimal(str(sku.price)) == new_price


async def _set_price(connected: Connected, product_id: str, variant_id: str, price: Any) -> None:
    from tiktok_console.storage.accounts import load_accounts
    from tiktok_console.stores.shopify.catalog_replies import update_variants
    from tiktok_console.sync.sessions import shopify_session

    shopify = shopify_session(
        load_accounts()["shopify"], connected.token_store, connected.http, connected.options.clocks
    )
    errors = await update_variants(
        shopify,
        product_id,
        [{"id": variant_id, "price": str(price)}],
        f"test-price-{variant_id}-{price}",
    )
    assert not errors


async def test_a_weight_typed_on_the_page_goes_to_shopify_through_the_job(
    connected: Connected,
) -> None:
    job = _job(connected)
    await job.run_once()
    entry = next(
        e for e in listings.all_listings()
        if e.state == listings.BLOCKED and {p.code for p in e.blocking} <= {"12052181"}
    )  # fmt: skip
    variants = [p.variant_id for p in entry.blocking if p.variant_id]
    listings.queue_shopify_fixes(
        entry.shopify_product_id, [{"variant_id": v, "weight_grams": "300"} for v in variants]
    )
    await job.run_once()  # writes the weight to Shopify
    store = connected.sandbox.world.shopify
    for variant_id in variants:
        variant = store.variants[int(variant_id.rsplit("/", 1)[1])]
        assert store.items[variant.inventory_item_id].weight_value == 300
    connected.sandbox.world.advance(5)
    await job.run_once()  # pulls the change and lists it
    after = listings.listing(entry.shopify_product_id)
    assert after is not None and after.tiktok_product_id and not after.blocking


async def test_a_weight_fixed_on_the_page_is_written_to_shopify_and_unblocks(
    connected: Connected,
) -> None:
    from tiktok_console.storage.accounts import load_accounts
    from tiktok_console.sync.catalog.fixes import VariantFix, write_fixes
    from tiktok_console.sync.sessions import shopify_session

    job = _job(connected)
    await job.run_once()
    blocked = [
        e for e in listings.all_listings()
        if e.state == listings.BLOCKED and {p.code for p in e.blocking} <= {"12052181"}
    ]  # fmt: skip
    assert blocked, "the world has a product blocked only by a missing weight"
    entry = blocked[0]
    shopify = shopify_session(
        load_accounts()["shopify"], connected.token_store, connected.http, connected.options.clocks
    )
    fixes = [
        VariantFix(p.variant_id, weight_grams=Decimal(250)) for p in entry.blocking if p.variant_id
    ]
    await write_fixes(shopify, entry, fixes, connected.sandbox.world.clock.now_dt())
    connected.sandbox.world.advance(5)
    await job.run_once()
    after = listings.listing(entry.shopify_product_id)
    assert after is not None and after.tiktok_product_id and not after.blocking
    product = connected.sandbox.world.tiktok.products.get(after.tiktok_product_id)
    assert product.weight_grams > 0


async def test_a_promotion_locked_price_is_reported_once_not_retried(
    connected: Connected, calls: list[str]
) -> None:
    job = _job(connected)
    await job.run_once()
    connected.sandbox.world.advance(700)
    await job.run_once()
    entry = next(e for e in listings.all_listings() if e.state == listings.LIVE and not e.blocking)
    assert connected.sandbox.world.tiktok.set_promotion(entry.tiktok_product_id, True)
    variant = entry.payload["variants"]["nodes"][0]
    await _set_price(connected, entry.shopify_product_id, variant["id"], Decimal("77.77"))
    connected.sandbox.world.advance(5)
    await job.run_once()
    locked = listings.listing(entry.shopify_product_id)
    assert locked is not None and "promotion" in locked.notice
    calls.clear()
    connected.sandbox.world.advance(5)
    await job.run_once()
    await job.run_once()
    assert not [c for c in calls if "/prices/update" in c]  # not retried for ever


async def test_an_excluded_product_is_deactivated_never_deleted(connected: Connected) -> None:
    job = _job(connected)
    await job.run_once()
    entry = next(e for e in listings.all_listings() if e.state == listings.LIVE)
    listings.set_excluded(entry.shopify_product_id, True)
    await job.run_once()
    product = connected.sandbox.world.tiktok.products.get(entry.tiktok_product_id)
    assert product.status == "SELLER_DEACTIVATED"
    shown = listings.listing(entry.shopify_product_id)
    assert shown is not None and shown.state == listings.EXCLUDED
    listings.set_excluded(entry.shopify_product_id, False)  # back on the channel
    await job.run_once()
    assert product.status in ("PENDING", "ACTIVATE")
    assert connected.sandbox.world.tiktok.products.get(entry.tiktok_product_id) is product
