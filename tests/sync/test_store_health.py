"""Each store's health follows the calls the transports make (issue 13, item 1).

Real HTTP to the in-process sandbox: a store answering, a stopped sandbox (a
refused connection), 5xx replies, a refused sign-in. The tracker's state is
kept on the account row, which another process (``status --json``) reads.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
from dataclasses import replace

import httpx
import pytest

from tests.sync.conftest import Connected
from tiktok_console.domain.store_health import CallResult, HealthState
from tiktok_console.storage.accounts import load_account, load_health
from tiktok_console.storage.orders.views import recent_activity
from tiktok_console.stores.call_results import unreachable_reason
from tiktok_console.stores.errors import StoreError
from tiktok_console.stores.retry import RetryPolicy
from tiktok_console.stores.shopify.replies import Shop
from tiktok_console.stores.shopify.transport import ShopifyApiConfig, ShopifyTransport
from tiktok_console.sync.events import Changed, Event, HealthChanged
from tiktok_console.sync.health import HealthTracker
from tiktok_console.sync.runtime import build_engine
from tiktok_console.sync.sessions import shopify_session, tiktok_session

QUICK = RetryPolicy(attempts=2, initial=0.01, maximum=0.05)


def _shopify(
    connected: Connected, health: HealthTracker, url: str | None = None
) -> ShopifyTransport:
    account = load_account("shopify")
    assert account is not None
    config = ShopifyApiConfig(base_url=url or account.api_url, retry=QUICK)
    return shopify_session(
        account, connected.token_store, connected.http, connected.options.clocks, config,
        health.observe,
    )  # fmt: skip


def _closed_port() -> str:
    """An address where nothing listens: connecting is refused."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"


async def _faults(connected: Connected, **knobs: float) -> None:
    url = f"{connected.sandbox.info().control_url}/faults"
    reply = await asyncio.to_thread(httpx.post, url, json={"shopify": knobs})
    reply.raise_for_status()


async def test_calls_decide_the_health_and_every_process_can_read_it(connected: Connected) -> None:
    events: list[Event] = []
    health = HealthTracker(events.append)
    shopify = _shopify(connected, health)

    assert (await shopify.execute(Shop)).shop.name
    assert load_health()["shopify"].state is HealthState.OK
    assert load_health()["shopify"].since is not None

    await _faults(connected, error_rate=1, http_5xx=1)
    try:
        await shopify.execute(Shop)
    except StoreError as error:
        assert "not answering properly" in error.message  # a 5xx is a store failing
    failing = load_health()["shopify"]
    assert failing.state is HealthState.FAILING and "5xx" in failing.reason
    assert HealthChanged("shopify", failing) in events
    assert any(isinstance(e, Changed) and "accounts" in e.topics for e in events)

    await _faults(connected, error_rate=0)
    await shopify.execute(Shop)
    assert load_health()["shopify"].state is HealthState.OK


async def test_a_refused_connection_is_unreachable_never_not_answering(
    connected: Connected,
) -> None:
    health = HealthTracker()
    shopify = _shopify(connected, health, url=_closed_port())
    try:
        await shopify.execute(Shop)
        raise AssertionError("a closed port answered")
    except StoreError as error:
        assert error.message == "Cannot reach Shopify (connection refused); retrying."
    down = load_health()["shopify"]
    assert down.state is HealthState.UNREACHABLE and down.reason == "connection refused"
    assert health.blocking({"shopify"}) == ""  # two attempts: not yet beyond doubt
    await asyncio.gather(shopify.execute(Shop), return_exceptions=True)
    assert "Shopify cannot be reached since" in health.blocking({"shopify", "tiktok"})
    assert health.blocking({"tiktok"}) == ""
    assert load_health()["shopify"].since == down.since  # retries keep since-when


async def test_the_whole_sandbox_stopped_leaves_both_stores_unreachable(
    connected: Connected,
) -> None:
    health = HealthTracker()
    account = load_account("tiktok")
    assert account is not None
    tiktok = tiktok_session(
        account, connected.token_store, connected.http, connected.options.clocks,
        health.observe, QUICK,
    )  # fmt: skip
    shopify = _shopify(connected, health)
    connected.sandbox.stop()
    for call in (shopify.execute(Shop), tiktok.call("GET", "/authorization/202309/shops",
                                                    shop_scoped=False)):  # fmt: skip
        try:
            await call
        except StoreError as error:
            assert "Cannot reach" in error.message
    recorded = load_health()
    assert {h.state for h in recorded.values()} == {HealthState.UNREACHABLE}


async def test_a_refused_sign_in_asks_for_a_reconnect(
    connected: Connected,
) -> None:
    health = HealthTracker()
    account = load_account("tiktok")
    assert account is not None
    saved = connected.token_store.load(account.account_key)
    assert saved is not None
    bad = saved.model_copy(update={"access_token": "revoked", "refresh_token": "revoked"})
    connected.token_store.save(account.account_key, bad)
    tiktok = tiktok_session(
        account, connected.token_store, connected.http, connected.options.clocks,
        health.observe, QUICK,
    )  # fmt: skip
    with contextlib.suppress(StoreError):
        await tiktok.call("GET", "/authorization/202309/shops", shop_scoped=False)
    assert load_health()["tiktok"].state is HealthState.RECONNECT
    assert "TikTok Shop needs to be reconnected" in health.blocking({"tiktok"})


async def test_a_running_engine_with_the_stores_down_logs_one_counted_row_per_job(
    connected: Connected,
) -> None:
    events: list[Event] = []
    options = replace(connected.options, retry=QUICK, backoff_base=0.01, backoff_max=0.05)
    engine = build_engine(
        connected.profile.settings, connected.token_store, connected.http,
        listener=events.append, options=options, only=["shopify_variants"],
    )  # fmt: skip
    connected.sandbox.stop()
    engine.start()
    try:
        for _ in range(200):  # until the job failed a few times (each batch: milliseconds)
            if engine.runner("shopify_variants").failures >= 4:
                break
            await asyncio.sleep(0.05)
    finally:
        await engine.stop()
    errors = [e for e in recent_activity(level="error") if e.job == "shopify_variants"]
    assert len(errors) == 1, errors
    assert errors[0].repeats >= 4 and errors[0].first_at is not None
    assert errors[0].message == "Cannot reach Shopify (connection refused); retrying."
    told = [e for e in events if isinstance(e, HealthChanged)]
    assert [e.health.state for e in told] == [HealthState.UNREACHABLE]  # told once


@pytest.mark.parametrize(
    ("fault", "state", "reason"),
    [
        ("http_5xx", HealthState.FAILING, "server errors (HTTP 5xx)"),
        ("malformed", HealthState.FAILING, "replies it sends cannot be read"),
        ("http_429", HealthState.RATE_LIMITED, "asked to slow down"),
        ("timeout", HealthState.UNREACHABLE, "no answer in time"),
    ],
)
async def test_each_kind_of_fault_gives_its_state_and_plain_reason(
    connected: Connected, fault: str, state: HealthState, reason: str
) -> None:
    health = HealthTracker()
    shopify = _shopify(connected, health)
    await _faults(connected, error_rate=1, timeout_seconds=3, **{fault: 1})
    with contextlib.suppress(StoreError):
        await shopify.execute(Shop)
    seen = health.health("shopify")
    assert seen.state is state and seen.reason.endswith(reason), seen


def test_a_name_that_does_not_resolve_is_said_as_dns() -> None:
    error = httpx.ConnectError("[Errno -2] Name or service not known")
    error.__cause__ = socket.gaierror(-2, "Name or service not known")
    assert unreachable_reason(error) == "its address could not be found (DNS)"
    refused = httpx.ConnectError("All connection attempts failed")
    refused.__context__ = ConnectionRefusedError(111, "Connect call failed")
    assert unreachable_reason(refused) == "connection refused"


def test_calm_flips_are_written_at_most_every_half_minute_and_never_left_stale(
    connected: Connected,  # the accounts the health is written on
) -> None:
    clock = [0.0]
    events: list[Event] = []
    health = HealthTracker(events.append, monotonic=lambda: clock[0])
    health.observe("shopify", CallResult.ANSWERED, "")
    assert load_health()["shopify"].state is HealthState.OK
    for second in range(1, 20):  # a busy minute: Shopify's bucket runs dry now and then
        clock[0] = second
        result = CallResult.RATE_LIMITED if second % 2 else CallResult.ANSWERED
        health.observe("shopify", result, "asked to slow down")
    assert len([e for e in events if isinstance(e, HealthChanged)]) == 1  # no storm
    clock[0] = 31
    health.observe("shopify", CallResult.ANSWERED, "")
    assert load_health()["shopify"].state is HealthState.OK  # what holds now, written
    health.observe("shopify", CallResult.UNREACHABLE, "connection refused")
    assert load_health()["shopify"].state is HealthState.UNREACHABLE  # trouble: at once
