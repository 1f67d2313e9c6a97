"""Fulfillment Shopify -> TikTok, measured. Run on demand:
`uv run pytest tests/benchmarks/test_fulfillment_benchmarks.py -s`.

A burst's worth of shipments (a day after a livestream) reaches TikTok: how
long it takes, what it costs in Shopify query points (the shipments are read in
small pages to keep each query under Shopify's 1000-point ceiling).
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx

from tests.benchmarks.test_orders_benchmarks import _connected_engine
from tests.sync.shipment_checks import check_pushed_once, tiktok_can_take
from tiktok_console.sandbox.runner import running_sandbox
from tiktok_console.sandbox.world import WorldOptions
from tiktok_console.storage.fulfillment.shipments import state_counts


async def test_tracking_of_a_livestream_day_reaches_tiktok(tmp_path: Path) -> None:
    """Every shipment TikTok can take is pushed once. Goal: >= 2 shipments/s on the standard
    plan (a thousand-order day reaches TikTok in under ten minutes); figures printed."""
    options = WorldOptions(
        seed=33, products=30, orders=0, orders_per_minute=0, hold_minutes=1,
        shopify_plan="standard", index_lag_seconds=1.0,
    )  # fmt: skip
    with running_sandbox(options) as sandbox:
        async with httpx.AsyncClient(timeout=30) as http:
            profile, engine = await _connected_engine(sandbox, tmp_path, http)
            world = sandbox.world
            await engine.run_until_caught_up(["shopify_variants"])
            world.tiktok.set_order_rate(300)
            world.advance(120)
            world.tiktok.set_order_rate(0)
            world.advance(900)
            await engine.run_until_caught_up(["orders"])
            world.advance(4 * 3600)  # the warehouse ships everything, splits included
            world.advance(5)
            job = engine.runner("fulfillment").job
            shopify = job._shopify  # the job's own client
            shopify.bucket.spent = 0.0
            loop = asyncio.get_running_loop()
            started = loop.time()
            result = await engine.run_until_caught_up(["fulfillment"])
            elapsed = loop.time() - started
            points = shopify.bucket.spent
            counts = state_counts()
            state = world.snapshot()
            profile.close()
    assert result == {"fulfillment": ""}
    pushed = check_pushed_once(state)
    assert pushed == tiktok_can_take(state)
    shipments = sum(counts.values())
    rate = shipments / elapsed
    print(
        f"\nfulfillment: {shipments} shipments read, {len(pushed)} pushed, states {counts};"
        f" {elapsed:.1f} s, {rate:.1f} shipments/s (goal >= 2); {points:.0f} Shopify cost"
        f" points, {points / shipments:.1f} per shipment (the standard plan restores 100/s)"
    )
    assert rate >= 2.0
