"""The supervisor against the sandbox: what runs follows the connected stores within seconds.

The engine runs on the supervisor's own thread, as in the app; the stores are
disconnected by the ``disconnect`` command in another process, and a different
TikTok Shop is connected, as a merchant would.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import threading
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import timedelta

import httpx
import pytest

from tests.sync.conftest import START
from tests.sync.test_inventory_jobs import set_shopify_stock
from tests.sync.waits import until
from tiktok_console.profile import Profile
from tiktok_console.sandbox.runner import SandboxRunner, running_sandbox
from tiktok_console.sandbox.world import WorldOptions
from tiktok_console.stores.oauth.headless import consent_approver
from tiktok_console.stores.tokens import InMemoryKeyring, TokenStore
from tiktok_console.sync.accounts import AccountService
from tiktok_console.sync.events import (
    EngineStarted,
    EngineStopped,
    Event,
    JobState,
    JobStateChanged,
    ReconnectNeeded,
)
from tiktok_console.sync.runtime import RuntimeOptions
from tiktok_console.sync.sessions import Clocks
from tiktok_console.sync.supervisor import POLL_SECONDS, Supervisor

WITHIN = 5.0  # seconds: the promise (a change in another process acts within it)


@pytest.fixture
def world_options() -> WorldOptions:
    return WorldOptions(
        seed=21, products=8, orders=0, orders_per_minute=0, index_lag_seconds=0.5,
        clock_start=START, shopify_plan="plus",
    )  # fmt: skip


@dataclass
class Supervised:
    sandbox: SandboxRunner
    profile: Profile
    token_store: TokenStore
    service: AccountService
    supervisor: Supervisor
    events: list[Event]


@pytest.fixture
async def supervised(sandbox: SandboxRunner, profile: Profile) -> AsyncIterator[Supervised]:
    clock = sandbox.world.clock
    sandbox.world.shopify.web_sales_per_minute = 0  # stock moves only when the test moves it
    async with httpx.AsyncClient(timeout=5) as http:
        token_store = profile.token_store(InMemoryKeyring())
        service = AccountService(token_store, http, now=clock.now_dt)
        await service.connect_sandbox(json.loads(sandbox.info().model_dump_json()))
        options = RuntimeOptions(
            clocks=Clocks(now=clock.now_dt), index_lag=timedelta(seconds=1),
            backoff_base=0.05, backoff_max=1.0,
        )  # fmt: skip
        events: list[Event] = []
        supervisor = Supervisor(profile.settings, token_store, listener=events.append,
                                options=options)  # fmt: skip
        supervisor.start()
        try:
            yield Supervised(sandbox, profile, token_store, service, supervisor, events)
        finally:
            await supervisor.aclose()
    # A clean stop: the loop, the engine's tasks and its thread are gone.
    assert not supervisor.running and supervisor.engine is None
    assert not [t for t in threading.enumerate() if t.name == "sync-engine"]


def _stopped_jobs(events: list[Event]) -> set[str]:
    return {e.job for e in events if isinstance(e, JobStateChanged) and e.state is JobState.STOPPED}


def _count(events: list[Event], kind: type[Event]) -> int:
    return sum(1 for e in events if isinstance(e, kind))


def _tiktok_quantity(sandbox: SandboxRunner, seller_sku: str) -> int:
    skus = sandbox.world.tiktok.snapshot()["skus"]
    return sum(next(s for s in skus if s["seller_sku"] == seller_sku)["inventory"].values())


def _a_mapped_sku(sandbox: SandboxRunner) -> str:
    variants = {v["sku"] for v in sandbox.world.shopify.snapshot()["variants"] if v["sku"]}
    skus = sandbox.world.tiktok.snapshot()["skus"]
    return next(
        s["seller_sku"] for s in skus if s["status"] == "ACTIVATE" and s["seller_sku"] in variants
    )


def _disconnect_in_another_process(s: Supervised, store: str) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "TIKTOK_CONSOLE_MEMORY_KEYRING": "1"}
    profile = str(s.profile.paths.data_dir)
    done = subprocess.run(
        [sys.executable, "-m", "tiktok_console", "--profile", profile, "disconnect", store],
        capture_output=True, text=True, timeout=60, env=env,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr


async def _stock_follows_shopify(s: Supervised, sandbox: SandboxRunner, sku: str, to: int) -> None:
    def engine_caught_up() -> bool:
        engine = s.supervisor.engine
        return engine is not None and engine.runner("inventory_reconcile").caught_up

    await until(engine_caught_up)  # the first reconciliation
    set_shopify_stock_in(s.sandbox, sku, to)
    await until(lambda: _tiktok_quantity(sandbox, sku) == to)  # the stock reaches TikTok


def set_shopify_stock_in(sandbox: SandboxRunner, sku: str, available: int) -> None:
    set_shopify_stock(_World(sandbox), sku, available)  # type: ignore[arg-type]


@dataclass
class _World:
    """What ``set_shopify_stock`` reads of a connection: the sandbox."""

    sandbox: SandboxRunner


async def test_disconnecting_tiktok_elsewhere_stops_every_push_within_seconds(
    supervised: Supervised,
) -> None:
    s, sandbox = supervised, supervised.sandbox
    sku = _a_mapped_sku(sandbox)
    await _stock_follows_shopify(s, sandbox, sku, 7)  # sync works before the disconnect
    stops = _count(s.events, EngineStopped)
    await asyncio.to_thread(_disconnect_in_another_process, s, "tiktok")
    # Told twice: the engine's tasks have ended ("the connected stores changed"), then no
    # engine is built ("Connect ... first"). From here no job can call TikTok.
    await until(lambda: _count(s.events, EngineStopped) >= stops + 2)
    assert not s.supervisor.job_names() and s.supervisor.engine is None
    set_shopify_stock_in(sandbox, sku, 3)
    assert _tiktok_quantity(sandbox, sku) == 7
    s.supervisor.nudge("inventory")  # "Sync now" with sync stopped: nothing, no error


async def test_a_newly_connected_tiktok_shop_is_the_one_synced(
    supervised: Supervised, world_options: WorldOptions
) -> None:
    s, first = supervised, supervised.sandbox
    sku = _a_mapped_sku(first)
    await _stock_follows_shopify(s, first, sku, 7)
    with running_sandbox(world_options) as second:
        set_shopify_stock_in(first, sku, 13)
        info = second.info().tiktok
        async with httpx.AsyncClient(timeout=5) as browser:
            await s.service.connect_tiktok(
                consent_approver(browser), authorize_link=info.authorize_url,
                auth_url=info.auth_url, api_url=info.api_url, app_key=info.app_key,
                app_secret=info.app_secret, redirect_timeout=30,
            )  # fmt: skip
        started = _count(s.events, EngineStarted)
        await until(lambda: _count(s.events, EngineStarted) > started)  # the rebuild
        await until(lambda: _tiktok_quantity(second, sku) == 13)  # the new shop's stock
        assert _tiktok_quantity(first, sku) == 7  # the old shop hears nothing more


def test_control_does_nothing_while_sync_is_not_running(profile: Profile) -> None:
    supervisor = Supervisor(profile.settings, profile.token_store(InMemoryKeyring()))
    assert supervisor.job_names() == []
    supervisor.nudge()
    supervisor.nudge("orders")
    supervisor.pause("orders")
    supervisor.resume("orders")
    supervisor.rebuild_soon()
    supervisor.stop()
    assert not supervisor.running


async def test_without_both_stores_nothing_runs(profile: Profile) -> None:
    events: list[Event] = []
    supervisor = Supervisor(profile.settings, profile.token_store(InMemoryKeyring()),
                            listener=events.append, poll=0.1)  # fmt: skip
    supervisor.start()
    try:
        await until(lambda: _count(events, EngineStopped) > 0)  # a verdict
        assert supervisor.job_names() == []
        [stopped] = [e for e in events if isinstance(e, EngineStopped)]
        assert "Connect Shopify and TikTok Shop first" in stopped.reason
    finally:
        await supervisor.aclose()


@pytest.fixture
def expiring_world() -> WorldOptions:
    return WorldOptions(
        seed=21, products=8, orders=0, orders_per_minute=0, index_lag_seconds=0.5,
        clock_start=START, shopify_plan="plus", tiktok_access_ttl=600, tiktok_refresh_ttl=900,
    )  # fmt: skip


async def test_an_expired_tiktok_sign_in_stops_its_jobs_and_asks_once(
    expiring_world: WorldOptions, profile: Profile
) -> None:
    with running_sandbox(expiring_world) as sandbox:
        clock = sandbox.world.clock
        async with httpx.AsyncClient(timeout=5) as http:
            token_store = profile.token_store(InMemoryKeyring())
            service = AccountService(token_store, http, now=clock.now_dt)
            await service.connect_sandbox(json.loads(sandbox.info().model_dump_json()))
        options = RuntimeOptions(clocks=Clocks(now=clock.now_dt),
                                 backoff_base=0.01, backoff_max=0.05)  # fmt: skip
        events: list[Event] = []
        supervisor = Supervisor(profile.settings, token_store, listener=events.append,
                                options=options)  # fmt: skip
        supervisor.start()
        try:
            await until(lambda: supervisor.engine is not None)  # sync starts
            sandbox.world.advance(1000)  # the access and the refresh token have both lapsed
            supervisor.nudge()

            tiktok_jobs = {"orders", "inventory", "fulfillment", "inventory_reconcile"}

            await until(lambda: tiktok_jobs <= _stopped_jobs(events))
            engine = supervisor.engine
            assert engine is not None
            shopify = engine.runner("shopify_variants")

            async def shopify_batches(count: int) -> None:
                """Shopify's job, still running, as the clock of what the engine did."""
                target = shopify.runs + count
                supervisor.nudge("shopify_variants")
                await until(lambda: shopify.runs >= target)

            # A TikTok batch in flight when they stopped runs to its end first.
            await until(lambda: not any(engine.runner(n).in_batch for n in tiktok_jobs))
            runs = {name: engine.runner(name).runs + engine.runner(name).failures
                    for name in engine.names}  # fmt: skip
            supervisor.nudge()  # woken together: a held job that retried would run here
            await shopify_batches(2)
            for name in tiktok_jobs:
                runner = engine.runner(name)
                assert runner.runs + runner.failures == runs[name], name  # not retried
            asks = [e for e in events if isinstance(e, ReconnectNeeded)]
            assert [a.store for a in asks] == ["tiktok"]  # asked once
            assert "shopify_variants" not in _stopped_jobs(events)  # Shopify's own job goes on
        finally:
            await supervisor.aclose()


def test_the_accounts_are_looked_at_often_enough_for_the_promise() -> None:
    # The tests above wait for what the supervisor does without bounding the time (a slow
    # machine must not fail them); the promise rests on how often it looks: a poll, then a
    # stop of the engine's tasks and a build, well within WITHIN.
    assert 2 * POLL_SECONDS <= WITHIN
