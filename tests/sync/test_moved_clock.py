"""Days of sandbox time later, the connected app still syncs: signing follows the wall
clock (as TikTok checks it), token lifetimes follow the sandbox clock and are renewed."""

from __future__ import annotations

import json
import time
from datetime import timedelta

import httpx
import pytest

from tests.sync.conftest import Connected
from tiktok_console.profile import Profile
from tiktok_console.sandbox.runner import running_sandbox
from tiktok_console.sandbox.world import WorldOptions
from tiktok_console.stores.tokens import InMemoryKeyring
from tiktok_console.sync.accounts import AccountService
from tiktok_console.sync.runtime import RuntimeOptions, build_engine
from tiktok_console.sync.sessions import Clocks

HOLD_AND_PAY = 600 + 3600 + 120  # the last order could pay (10 min) and leave on-hold (1 h)


def _tiktok_ids(connected: Connected) -> set[str]:
    return {o["id"] for o in connected.sandbox.world.tiktok.snapshot()["orders"]}


def _in_shopify(connected: Connected) -> set[str]:
    return {
        tag.split(":", 1)[1]
        for order in connected.sandbox.world.shopify.snapshot()["orders"]
        for tag in order["tags"]
        if tag.startswith("TikTokOrderID:")
    }


def _place_orders(connected: Connected) -> set[str]:
    """Let buyers order for a few minutes, then stop; returns the new orders' ids."""
    world = connected.sandbox.world
    before = _tiktok_ids(connected)
    world.tiktok.set_order_rate(10)
    world.advance(5 * 60)
    world.tiktok.set_order_rate(0)
    world.advance(HOLD_AND_PAY)
    return _tiktok_ids(connected) - before


# 3 days: the access token is still live. 8 days: it expired (7-day lifetime) and the
# client must renew it with its refresh token, as it would against TikTok.
@pytest.mark.parametrize("days", [3, 8])
async def test_connect_advance_days_place_an_order_it_reaches_shopify(
    connected: Connected, days: int
) -> None:
    world = connected.sandbox.world
    world.tiktok.set_order_rate(0)
    result = await connected.engine.run_until_caught_up(["orders"])
    assert not any(result.values()), result

    world.advance(days * 86400)
    placed = _place_orders(connected)
    assert placed
    result = await connected.engine.run_until_caught_up()
    assert not any(result.values()), result

    awaiting = {
        o["id"]
        for o in world.tiktok.snapshot()["orders"]
        if o["id"] in placed
        and o["status"] == "AWAITING_SHIPMENT"
        and o["fulfillment_type"] == "FULFILLMENT_BY_SELLER"
    }
    assert awaiting, "no placed order is waiting to ship"
    assert awaiting & _in_shopify(connected)


def _counting_refreshes() -> tuple[httpx.AsyncClient, list[str]]:
    """An HTTP client that notes each TikTok token refresh the sandbox answered."""
    served: list[str] = []

    async def note(response: httpx.Response) -> None:
        if response.request.url.path == "/api/v2/token/refresh":
            served.append(response.headers.get("date", ""))

    return httpx.AsyncClient(timeout=5, event_hooks={"response": [note]}), served


# The world's clock away from the app's (the wall clock): ten months behind (the
# sandbox's fixed START plus days), or days ahead of it. Token expiries are instants on
# the world's clock; the app must count their lifetime from when it received them.
@pytest.mark.parametrize("world_offset_days", [None, 3], ids=["months-behind", "3-days-ahead"])
async def test_a_world_days_away_from_the_wall_clock_connects_and_syncs(
    world_options: WorldOptions, profile: Profile, world_offset_days: int | None
) -> None:
    """As `connect --sandbox` then `sync --once` in their own processes, on the wall clock
    only, against a sandbox whose world is days away from it (--clock-start, /clock/advance):
    both stores stamp and check requests with the real time. No refresh storm: the token
    is refreshed at most once per time it really expired (once, after the 8-day jump)."""
    if world_offset_days is not None:
        start = time.time() + world_offset_days * 86400
        world_options = world_options.model_copy(update={"clock_start": start})
    http, refreshes = _counting_refreshes()
    with running_sandbox(world_options) as sandbox:
        async with http:
            sandbox.world.tiktok.set_order_rate(0)
            sandbox.world.advance(10 * 86400)
            token_store = profile.token_store(InMemoryKeyring())
            service = AccountService(token_store, http)
            await service.connect_sandbox(json.loads(sandbox.info().model_dump_json()))
            options = RuntimeOptions(clocks=Clocks(), index_lag=timedelta(seconds=2))
            engine = build_engine(profile.settings, token_store, http, options=options)
            connected = Connected(sandbox, profile, token_store, http, engine, options)
            placed = _place_orders(connected)
            result = await engine.run_until_caught_up()
            assert not any(result.values()), result
            assert placed & _in_shopify(connected)
            assert refreshes == [], "a token the world just issued was refreshed"

            # Eight more days: by the app's wall clock its TikTok token is fresh, by
            # TikTok's (the sandbox's) it expired; TikTok answers 105002 and the client
            # renews it, once for all the jobs.
            sandbox.world.advance(8 * 86400)
            placed = _place_orders(connected)
            result = await engine.run_until_caught_up()
            assert not any(result.values()), result
            assert placed & _in_shopify(connected)
            assert len(refreshes) == 1, refreshes
