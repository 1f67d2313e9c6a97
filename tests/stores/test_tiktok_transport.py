"""The TikTok transport over real HTTP to the sandbox: signing, paging, refresh, limits, faults."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.sandbox.sandbox_process import SandboxProcess
from tests.stores.conftest import authorize_tiktok, refresh_tiktok
from tiktok_console.sandbox.runner import SandboxInfo, SandboxRunner
from tiktok_console.sandbox.world import WorldOptions
from tiktok_console.stores.errors import RequestRejectedError, StoreError
from tiktok_console.stores.refreshing_token import RefreshingToken, TokenGrant
from tiktok_console.stores.retry import RetryPolicy
from tiktok_console.stores.tiktok.transport import TikTokApiConfig, TikTokTransport

SHOPS = "/authorization/202309/shops"
ORDERS = "/order/202309/orders/search"


def _transport(
    sandbox: SandboxRunner,
    *,
    ttl_margin: timedelta = timedelta(minutes=5),
    secret: str | None = None,
    retry: RetryPolicy | None = None,
    token_now: Callable[[], datetime] | None = None,
    http: httpx.AsyncClient | None = None,
) -> tuple[TikTokTransport, RefreshingToken]:
    info = sandbox.info()
    first = authorize_tiktok(info)

    async def refresh(grant: TokenGrant) -> TokenGrant:
        await asyncio.sleep(0.05)  # a slow token host makes racing refreshes likely
        new = await asyncio.to_thread(refresh_tiktok, info, grant.refresh_token or "")
        return TokenGrant(
            new.access_token, new.access_expires, new.refresh_token, new.refresh_expires
        )

    clock = sandbox.world.clock
    token = RefreshingToken(
        TokenGrant(
            first.access_token, first.access_expires, first.refresh_token, first.refresh_expires
        ),
        refresh,
        persist=lambda grant: None,
        margin=ttl_margin,
        now=token_now or clock.now_dt,
    )
    config = TikTokApiConfig(
        app_key=info.tiktok.app_key,
        api_base_url=info.tiktok.api_url,
        retry=retry or RetryPolicy(initial=0.01, maximum=0.2),
        timeout=2.0,  # the fault injector holds "timeouts" longer than this
    )
    return TikTokTransport(config, secret or info.tiktok.app_secret, token, http=http), token


def _counting_http() -> tuple[httpx.AsyncClient, list[httpx.Request]]:
    """An HTTP client that notes every request it sends (retries included)."""
    sent: list[httpx.Request] = []

    async def note(request: httpx.Request) -> None:
        sent.append(request)

    return httpx.AsyncClient(timeout=2.0, event_hooks={"request": [note]}), sent


async def _with_cipher(transport: TikTokTransport) -> TikTokTransport:
    data = await transport.call("GET", SHOPS, shop_scoped=False)
    transport.shop_cipher = data["shops"][0]["cipher"]
    return transport


async def test_signed_calls_reach_the_shop(sandbox: SandboxRunner) -> None:
    transport, _ = _transport(sandbox)
    data = await transport.call("GET", SHOPS, shop_scoped=False)
    assert data["shops"][0]["region"] == "US" and data["shops"][0]["cipher"]
    await transport.aclose()


async def test_pagination_walks_every_order_exactly_once(sandbox: SandboxRunner) -> None:
    transport = await _with_cipher(_transport(sandbox)[0])
    ids = [
        o["id"] async for o in transport.paginate("POST", ORDERS, "orders", body={}, page_size=7)
    ]
    expected = sandbox.world.tiktok.snapshot()["orders"]
    assert len(ids) == len(set(ids)) == len(expected) > 7
    await transport.aclose()


async def test_a_wrong_secret_is_a_rejected_request_not_retried(sandbox: SandboxRunner) -> None:
    http, sent = _counting_http()
    transport, _ = _transport(sandbox, secret="not-the-secret", http=http)
    with pytest.raises(RequestRejectedError) as raised:
        await transport.call("GET", SHOPS, shop_scoped=False)
    assert raised.value.code == "106001"
    assert len(sent) == 1  # six attempts allowed, one sent: a 4xx is never repeated
    await transport.aclose()


async def test_unknown_path_is_rejected_with_the_store_code(sandbox: SandboxRunner) -> None:
    http, sent = _counting_http()
    transport = await _with_cipher(_transport(sandbox, http=http)[0])
    with pytest.raises(RequestRejectedError) as raised:
        await transport.call("GET", "/nothing/202309/here")
    assert raised.value.code == "36009009"
    assert len(sent) == 2  # the shop lookup, then the rejected call once
    await transport.aclose()


@pytest.fixture
def sandbox_options() -> WorldOptions:
    return WorldOptions(
        seed=11,
        products=12,
        orders=20,
        orders_per_minute=0,
        tiktok_access_ttl=600,
        clock_start=1_770_000_000.0,
    )


async def test_fifty_calls_at_local_expiry_refresh_exactly_once(
    sandbox: SandboxRunner,
) -> None:
    transport, token = _transport(sandbox, ttl_margin=timedelta(0))
    await _with_cipher(transport)
    sandbox.world.advance(601)  # the token's expiry has passed: every call renews before sending
    calls = [transport.call("GET", SHOPS, shop_scoped=False) for _ in range(50)]
    results = await asyncio.gather(*calls)
    assert all(r["shops"] for r in results)
    assert token.refresh_count == 1
    await transport.aclose()


async def test_fifty_calls_on_105002_refresh_exactly_once(sandbox: SandboxRunner) -> None:
    # The console's clock stays at the start, so it believes the token is still good
    # (as when the store ends a token early): only the store's 105002 can trigger renewal.
    start = sandbox.world.clock.now_dt()
    transport, token = _transport(sandbox, ttl_margin=timedelta(0), token_now=lambda: start)
    await _with_cipher(transport)
    old = token.grant.access_token
    sandbox.world.advance(601)  # the store now answers 105002 to the old token
    calls = [transport.call("GET", SHOPS, shop_scoped=False) for _ in range(50)]
    results = await asyncio.gather(*calls)
    assert all(r["shops"] for r in results)
    assert token.refresh_count == 1 and token.grant.access_token != old
    await transport.aclose()


async def test_token_is_refreshed_ahead_of_expiry(sandbox: SandboxRunner) -> None:
    transport, token = _transport(sandbox, ttl_margin=timedelta(minutes=5))
    old = token.grant.access_token
    sandbox.world.advance(400)  # inside the 5-minute margin of a 10-minute token
    await transport.call("GET", SHOPS, shop_scoped=False)
    assert token.refresh_count == 1 and token.grant.access_token != old
    assert token.grant.expires_at > datetime.fromtimestamp(sandbox.world.clock.now(), UTC)
    await transport.aclose()


async def test_under_faults_calls_succeed_or_fail_with_a_typed_error(
    sandbox: SandboxRunner,
) -> None:
    transport = await _with_cipher(
        _transport(sandbox, retry=RetryPolicy(attempts=2, initial=0.01))[0]
    )
    faults = {"tiktok": {"error_rate": 0.3}}
    url = f"{sandbox.info().control_url}/faults"
    (await asyncio.to_thread(httpx.post, url, json=faults)).raise_for_status()
    outcomes = await asyncio.gather(
        *(transport.call("GET", SHOPS, shop_scoped=False) for _ in range(60)),
        return_exceptions=True,
    )
    errors = [o for o in outcomes if isinstance(o, BaseException)]
    assert all(isinstance(e, StoreError) for e in errors), errors
    assert len(errors) < len(outcomes)
    await transport.aclose()


async def test_the_limiter_holds_fifty_qps_for_ten_seconds_without_a_429() -> None:
    # The sandbox runs in its own process here, as a store would: in-process it
    # shares the GIL with the client, and its stalls would look like bursts.
    process = SandboxProcess(
        "--print-json", "--products", "5", "--orders-per-minute", "0", priority_boost=True
    )
    try:
        info = SandboxInfo.model_validate(process.info())
        grant = authorize_tiktok(info)
        token = RefreshingToken(
            TokenGrant(grant.access_token, grant.access_expires),
            _no_refresh,
            persist=lambda g: None,
        )
        config = TikTokApiConfig(
            app_key=info.tiktok.app_key,
            api_base_url=info.tiktok.api_url,
            retry=RetryPolicy(attempts=1),  # a single 429 fails the test
        )
        transport = TikTokTransport(config, info.tiktok.app_secret, token)
        loop = asyncio.get_running_loop()
        started = loop.time()
        await asyncio.gather(*(transport.call("GET", SHOPS, shop_scoped=False) for _ in range(500)))
        elapsed = loop.time() - started
        await transport.aclose()
    finally:
        process.kill()
    rate = 500 / elapsed
    print(f"TikTok limiter: 500 calls in {elapsed:.2f} s = {rate:.1f} QPS")
    # Never above 50 QPS plus the initial half-second burst. The floor only
    # catches a limiter far too cautious: a loaded machine runs below 50.
    assert 20 <= rate <= 55


async def _no_refresh(grant: TokenGrant) -> TokenGrant:
    raise AssertionError("no refresh expected")


_EXTRA_QUERIES = st.dictionaries(
    st.text(alphabet="abcdefghijklmnopqrstuvwxyz_", min_size=1, max_size=10).filter(
        lambda key: key not in {"sign", "access_token", "app_key", "timestamp", "shop_cipher"}
    ),
    st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=0x2FF), max_size=12),
    max_size=4,
)


_BODIES = st.dictionaries(
    st.text(alphabet="abcdefghijklmnopqrstuvwxyz_", min_size=1, max_size=10).map("x_".__add__),
    st.one_of(
        st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=0x2FF), max_size=12),
        st.integers(),
        st.booleans(),
        st.lists(st.text(max_size=5), max_size=3),
    ),
    max_size=4,
)

OneOff = Callable[..., Any]


def _one_off_calls(sandbox: SandboxRunner) -> OneOff:
    """Runs each call on a fresh transport in its own loop (hypothesis examples are sync)."""
    info = sandbox.info()
    grant = authorize_tiktok(info)
    config = TikTokApiConfig(app_key=info.tiktok.app_key, api_base_url=info.tiktok.api_url)

    async def call(method: str, template: str, cipher: str | None, **kwargs: Any) -> Any:
        token = RefreshingToken(
            TokenGrant(grant.access_token, grant.access_expires),
            _no_refresh,
            persist=lambda g: None,
            now=sandbox.world.clock.now_dt,
        )
        transport = TikTokTransport(config, info.tiktok.app_secret, token, shop_cipher=cipher)
        try:
            return await transport.call(method, template, **kwargs)
        finally:
            await transport.aclose()

    def run(method: str, template: str, cipher: str | None = None, **kwargs: Any) -> Any:
        return asyncio.run(call(method, template, cipher, **kwargs))

    return run


def test_any_signed_query_is_accepted_by_the_sandbox(sandbox: SandboxRunner) -> None:
    """Round trip: whatever the values (spaces, &, =, accents), our signature verifies there."""
    run = _one_off_calls(sandbox)

    @settings(max_examples=40, deadline=None)
    @given(extra=_EXTRA_QUERIES)
    def check(extra: dict[str, str]) -> None:
        assert run("GET", SHOPS, query=extra, shop_scoped=False)["shops"]

    check()


def test_any_signed_post_body_is_accepted_by_the_sandbox(sandbox: SandboxRunner) -> None:
    """Round trip: the signature covers the exact JSON bytes sent, whatever the body holds."""
    run = _one_off_calls(sandbox)
    cipher = run("GET", SHOPS, shop_scoped=False)["shops"][0]["cipher"]

    @settings(max_examples=40, deadline=None)
    @given(body=_BODIES)
    def check(body: dict[str, Any]) -> None:
        data = run("POST", ORDERS, cipher, query={"page_size": "1"}, body=body)
        assert data["orders"]  # unknown filters are ignored: every order matches

    check()
