"""Every job stopped after each page of a first pull knows exactly what the store has.

A job's cursor may advance only past data it stored, in the order its query returns;
stopping a job after page N (a dropped connection before page N + 1, which leaves what a
kill -9 leaves) and running it again must end with the store's exact state, not a count.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import httpx
import pytest

from tests.sync.conftest import Connected
from tests.sync.cut_transport import CutAfter
from tiktok_console.storage.accounts import load_accounts
from tiktok_console.storage.catalog.variants import all_variants
from tiktok_console.storage.inventory.stock import stock_stamp
from tiktok_console.stores.errors import StoreError
from tiktok_console.sync.catalog.variants_job import VariantsJob
from tiktok_console.sync.inventory.job import InventoryJob
from tiktok_console.sync.sessions import shopify_session

PAGE = 7


def _state(connected: Connected) -> dict[str, Any]:
    """The sandbox's world, as its control endpoint serves it over HTTP."""
    url = connected.sandbox.info().control_url
    reply = httpx.get(f"{url}/state", timeout=10)
    reply.raise_for_status()
    return reply.json()  # type: ignore[no-any-return]


def _variants_job(connected: Connected, http: httpx.AsyncClient) -> VariantsJob:
    shopify = shopify_session(
        load_accounts()["shopify"], connected.token_store, http, connected.options.clocks
    )
    return VariantsJob(shopify, page_size=PAGE, now=connected.options.clocks.now)


def _shopify_variants(connected: Connected) -> dict[str, str]:
    return {v["id"]: v["sku"] for v in _state(connected)["shopify"]["variants"]}


@pytest.mark.parametrize("pages", [1, 2, 3, 5])
async def test_variants_job_cut_after_each_page_then_knows_every_variant(
    connected: Connected, pages: int
) -> None:
    world = connected.sandbox.world
    world.advance(30 * 60)  # web sales and restocks touch variants: their updatedAt differ
    total = len(_shopify_variants(connected))
    assert total > (pages + 1) * PAGE  # the cut falls inside the first pull
    async with httpx.AsyncClient(transport=CutAfter(pages, "/graphql"), timeout=5) as cut:
        with pytest.raises(StoreError):
            await _variants_job(connected, cut).run_once()
    assert len(all_variants()) == pages * PAGE
    world.advance(20 * 60)  # the store moves on while the console is down
    await _variants_job(connected, connected.http).run_once()
    known = {v.variant_id: v.sku for v in all_variants()}
    assert known == _shopify_variants(connected)


def _inventory_job(connected: Connected, http: httpx.AsyncClient) -> InventoryJob:
    shopify = shopify_session(
        load_accounts()["shopify"], connected.token_store, http, connected.options.clocks
    )
    pusher = connected.engine.runner("inventory").job._pusher
    return InventoryJob(shopify, pusher, now=connected.options.clocks.now, page_size=3)


@pytest.mark.parametrize("pages", [1, 2, 3])
async def test_inventory_fast_path_cut_after_each_page_then_knows_every_stock_change(
    connected: Connected, pages: int
) -> None:
    world = connected.sandbox.world
    await _inventory_job(connected, connected.http).run_once()  # from now on
    began = datetime.fromisoformat(_state(connected)["clock"]["iso"])
    world.advance(60 * 60)  # web sales and restocks: stock changes at many times
    changed = {
        v["id"]: v["updatedAt"]
        for v in _state(connected)["shopify"]["variants"]
        if datetime.fromisoformat(v["updatedAt"]) >= began
    }
    assert len(changed) > (pages + 1) * 3  # the cut falls inside the pass
    async with httpx.AsyncClient(transport=CutAfter(pages, "/graphql"), timeout=5) as cut:
        with pytest.raises(StoreError):
            await _inventory_job(connected, cut).run_once()
    await _inventory_job(connected, connected.http).run_once()
    stored = stock_stamp(changed)
    known = {
        variant: stamp.isoformat().replace("+00:00", "Z")
        for variant, (stamp, _) in stored.items()
        if stamp is not None
    }
    assert known == changed
