"""The daily cap and TikTok's review, against the sandbox with a cap of 1 new listings a day."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.sync.conftest import START, Connected
from tests.sync.test_catalog_job import _job
from tiktok_console.sandbox.world import WorldOptions
from tiktok_console.storage.catalog import listings
from tiktok_console.storage.catalog.report import catalog_objects
from tiktok_console.sync.catalog.queue import next_midnight


@pytest.fixture
def world_options() -> WorldOptions:
    return WorldOptions(
        seed=7, products=60, orders=0, orders_per_minute=0, index_lag_seconds=0.5,
        clock_start=START, shopify_plan="plus", unlisted_share=0.35, daily_listing_cap=1,
    )  # fmt: skip


async def test_the_cap_queues_by_priority_and_the_queue_drains_after_midnight(
    connected: Connected,
) -> None:
    job = _job(connected)
    world = connected.sandbox.world
    await job.run_once()
    queued = [e for e in listings.all_listings() if e.state == listings.QUEUED]
    assert job.stats.creates == 1 and len(queued) >= 2
    now = world.clock.now_dt()
    midnight = next_midnight(now, "US")
    etas = sorted(e.queued_until for e in queued if e.queued_until)
    assert len(etas) == len(queued) and etas[0] >= midnight
    assert etas[-1] >= midnight + timedelta(days=len(queued) - 1)
    shown = {o["shopify_product_id"]: o for o in catalog_objects()}
    assert all(shown[e.shopify_product_id]["queued_until"] for e in queued)
    # The merchant puts the last one first.
    last = max(queued, key=lambda e: e.queued_until or now)
    listings.set_priority(last.shopify_product_id, 10)
    await job.run_once()  # nothing goes before midnight
    assert job.stats.creates == 1
    world.advance(int((midnight - now).total_seconds()) + 60)
    await job.run_once()
    assert job.stats.creates == 2  # the day's one, the merchant's first choice
    pushed = listings.listing(last.shopify_product_id)
    assert pushed is not None and pushed.tiktok_product_id


async def test_an_audit_failure_shows_tiktoks_reasons(connected: Connected) -> None:
    job = _job(connected)
    await job.run_once()
    queued = next(e for e in listings.all_listings() if e.state == listings.QUEUED)
    # A TikTok-only title TikTok's review refuses (promotional words are a warning here).
    listings.set_overrides(queued.shopify_product_id, {"title": f"{queued.title} Best Seller"})
    world = connected.sandbox.world
    world.advance(int((next_midnight(world.clock.now_dt(), "US") - world.clock.now_dt())
                      .total_seconds()) + 60)  # fmt: skip
    listings.set_priority(queued.shopify_product_id, 99)
    await job.run_once()
    world.advance(700)  # review ends
    await job.run_once()
    failed = listings.listing(queued.shopify_product_id)
    assert failed is not None and failed.state == listings.FAILED_AUDIT
    assert any("promotional" in reason for reason in failed.audit_reasons)
