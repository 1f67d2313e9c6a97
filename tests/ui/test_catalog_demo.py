"""The demo's first minute on the Catalog health page: products pushed, blocked ones with reasons.

The demo's own world (``sandbox.demo.demo_world_options``) in the sandbox, every
job of the engine running as in the app (they share Shopify's cost bucket and
TikTok's limits), and the Catalog page opened on what they wrote: within 60 s some
products are on their way to TikTok and the blocked ones say why.
"""

from __future__ import annotations

import asyncio
import time

import pytest

from tests.sync.conftest import Connected, connected, sandbox
from tiktok_console.sandbox.demo import demo_world_options
from tiktok_console.sandbox.world import WorldOptions
from tiktok_console.storage.catalog import listings
from tiktok_console.ui.page_context import PageContext
from tiktok_console.ui.pages.catalog import CatalogPage

__all__ = ["connected", "sandbox"]  # the sync tests' fixtures, used here

FIRST_MINUTE = 60.0


@pytest.fixture
def world_options() -> WorldOptions:
    return demo_world_options()


def _pushed_and_blocked(listed_before: set[str]) -> bool:
    """Some product created on TikTok by the job (not linked to one there), some blocked."""
    found = listings.all_listings()
    created = any(e.tiktok_product_id not in listed_before | {""} for e in found)
    return created and any(e.state == listings.BLOCKED for e in found)


async def test_in_its_first_minute_the_demo_pushes_products_and_says_why_others_are_blocked(
    qtbot, context: PageContext, settle, connected: Connected
) -> None:
    engine = connected.engine
    world = connected.sandbox.world.tiktok.products
    listed_before = {p.id for p in world.products}
    started = time.monotonic()
    engine.start()
    try:
        while not _pushed_and_blocked(listed_before):
            assert time.monotonic() - started < FIRST_MINUTE, {
                e.state for e in listings.all_listings()
            }
            await asyncio.sleep(0.2)  # the engine works meanwhile, on this loop
    finally:
        await engine.stop()
    took = time.monotonic() - started
    created = [e for e in listings.all_listings()
               if e.tiktok_product_id not in listed_before | {""}]  # fmt: skip
    assert all(world.get(e.tiktok_product_id).status == "PENDING" for e in created)
    page = CatalogPage(context)
    qtbot.addWidget(page)
    page.resize(1280, 800)
    page.show()
    page.refresh()
    qtbot.waitUntil(lambda: page.products.rowCount() > 0, timeout=10_000)
    settle()
    rows = [page.products.row(n) for n in range(page.products.rowCount())]
    blocked = [r for r in rows if r.state == listings.BLOCKED]
    assert blocked and all(r.first_problem for r in blocked)  # each says what to fix first
    in_review = {r.product_id for r in rows if r.state == listings.PENDING_AUDIT}
    assert {e.shopify_product_id for e in created} <= in_review  # shown as sent for review
    assert page.score.text() != "Health —"  # checked: a score, not "not checked yet"
    print(f"\ndemo: {len(created)} pushed, {len(blocked)} blocked after {took:.1f} s")
