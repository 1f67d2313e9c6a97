"""After-sales, measured. Run on demand: `uv run pytest tests/benchmarks -s -k mirroring`.

A thousand TikTok refunds reach Shopify, each as one refund: how long it takes against
the least time Shopify's published rate limit allows, and where the time went.
"""

from __future__ import annotations

import asyncio
import json
from collections import Counter
from pathlib import Path

import httpx
import pytest

from tests.benchmarks.test_orders_benchmarks import _connected_engine
from tests.benchmarks.waiting import (
    TimedTransport,
    Waits,
    engine_waits,
    store_ports,
    timed_sqlite_and_limiters,
)
from tiktok_console.domain.aftersales import REFUNDED_RETURN_STATUSES
from tiktok_console.sandbox.runner import SandboxRunner, running_sandbox
from tiktok_console.sandbox.world import WorldOptions

DAY = 86400
REFUNDS = 1000
GOAL = 1.15


def _ask_refunds(sandbox: SandboxRunner, order_ids: list[str]) -> int:
    """Each delivered order's buyer asks for a refund only (the world's own buyers do this
    for one order in twelve; here every one of them does)."""
    shop = sandbox.world.tiktok
    asked = 0
    with shop.lock:
        now = shop.clock.now_int()
        asking = {r.order_id for r in shop.aftersales.requests.values()}
        for order_id in order_ids:
            order = shop.book.orders[order_id]
            if order.status != "DELIVERED" or order_id in asking or asked == REFUNDS:
                continue
            order.fate.return_type, order.fate.seller_rejects_return = "REFUND", False
            shop.aftersales.on_return_request(order, now)
            asked += 1
    return asked


@pytest.mark.timeout(1800)  # the bound alone is about five minutes on the standard plan
async def test_mirroring_1000_refunds_against_the_shopify_rate_limit(tmp_path: Path) -> None:
    """Time to mirror 1,000 refunds ÷ the least time Shopify's cost budget allows. Goal <= 1.15.

    Mirroring a refund needs two Shopify documents and nothing else: the order as it
    stands (``OrderRefundables``: its lines, what is left to refund, its refunds and its
    sale, the refund's parent) and the ``refundCreate``. Shopify charges each its actual
    cost, restores the plan's documented rate (standard: 100 points a second), and the
    bucket starts full, so the bound is (points those documents cost - bucket) / restore
    rate, using the costs Shopify itself reported. TikTok's side (the returns search, a
    page per 50 requests, at 50 calls a second) is a fraction of a second.

    The orders reach Shopify on the Plus plan (that is the orders benchmark's subject);
    the store is then on the standard plan for the mirroring.
    """
    options = WorldOptions(
        seed=41, products=30, orders=0, orders_per_minute=0, hold_minutes=1,
        shopify_plan="plus", index_lag_seconds=1.0,
    )  # fmt: skip
    waits = Waits()
    with running_sandbox(options) as sandbox:
        info = json.loads(sandbox.info().model_dump_json())
        transport = TimedTransport(waits, store_ports(info))
        async with httpx.AsyncClient(timeout=30, transport=transport) as http:
            profile, engine = await _connected_engine(sandbox, tmp_path, http)
            world = sandbox.world
            world.shopify.web_sales_per_minute = 0
            await engine.run_until_caught_up(["shopify_variants"])
            world.tiktok.set_order_rate(600)
            world.advance(REFUNDS * 0.13)  # 1.3 orders per refund: some cancel, some FBT
            world.tiktok.set_order_rate(0)
            world.advance(700)  # paid, out of TikTok's hold, not yet shipped
            await engine.run_until_caught_up(["orders"])
            in_shopify = [o["sourceIdentifier"] for o in world.shopify.snapshot()["orders"]]
            for order_id in in_shopify:  # the merchant ships them from Seller Center
                try:
                    world.tiktok.ship_in_seller_center(order_id)
                except ValueError:
                    continue  # cancelled meanwhile
            world.advance(6 * DAY)  # delivered
            asked = _ask_refunds(sandbox, in_shopify)
            world.advance(2 * DAY + 3600)  # unanswered, TikTok approves and refunds
            async with httpx.AsyncClient() as control:
                await control.post(
                    f"{info['control_url']}/limits", json={"shopify_plan": "standard"}
                )
            shopify = engine.runner("aftersales").job._mirror._shopify
            waits.reset()
            shopify.bucket.spent, shopify.bucket.waited = 0.0, 0.0
            started = asyncio.get_running_loop().time()
            with timed_sqlite_and_limiters(waits):
                results = await engine.run_until_caught_up(["aftersales"])
            elapsed = asyncio.get_running_loop().time() - started
            bucket = shopify.bucket
            own = {"aftersales: Shopify cost bucket (client side)": bucket.waited}
            where = waits.report(elapsed, {**engine_waits(engine, "aftersales"), **own})
            points = dict(waits.points)  # what Shopify charged, by document
            calls = waits.counts["HTTP to Shopify"]
            requested = bucket.expected_cost("OrderRefundables")
            state = world.snapshot()
            profile.close()  # type: ignore[attr-defined]
    assert not any(results.values()), results
    notes = Counter(n for o in state["shopify"]["orders"] for n in o["refundNotes"] if n)
    refunded = {
        f"TikTok return {r['id']}" for r in state["tiktok"]["returns"]
        if r["status"] in REFUNDED_RETURN_STATUSES and r["order_id"] in set(in_shopify)
    }  # fmt: skip
    made = len(notes)
    needed = points.get("OrderRefundables", 0.0) + points.get("RefundCreate", 0.0)
    limits = bucket.state
    bound = max(needed - limits.maximum, 0) / limits.restore_rate
    ratio = elapsed / bound if bound else float("nan")
    print(
        f"\nmirroring: {asked} refunds asked, {made} mirrored in {elapsed:.1f} s on a "
        f"{limits.restore_rate:.0f} pts/s plan ({limits.maximum:.0f}-point bucket); "
        f"{calls} Shopify calls (two per refund: {2 * made}).\n"
        f"minimum: the reads and refunds cost {needed:.0f} points as Shopify charged them "
        f"({needed / max(made, 1):.1f} per refund; a read asks for {requested:.0f} points "
        f"to be free before it runs) -> bound {bound:.1f} s; ratio {ratio:.2f} "
        f"(goal <= {GOAL})\n{where}"
    )
    assert set(notes) == refunded and set(notes.values()) == {1}
    assert made >= REFUNDS
    assert calls <= 2 * made + 10  # no refund read or made twice
    assert ratio <= GOAL
