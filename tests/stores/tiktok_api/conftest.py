"""A ``TikTokShopApi`` on a freshly authorized sandbox shop, over real HTTP."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import pytest

from tests.stores.conftest import authorize_tiktok
from tiktok_console.sandbox.runner import SandboxRunner
from tiktok_console.stores.refreshing_token import RefreshingToken, TokenGrant
from tiktok_console.stores.retry import RetryPolicy
from tiktok_console.stores.tiktok.api import TikTokShopApi
from tiktok_console.stores.tiktok.transport import TikTokApiConfig, TikTokTransport


def transport_for(sandbox: SandboxRunner, *, retry: RetryPolicy | None = None) -> TikTokTransport:
    """A transport signed with the sandbox app, on the sandbox clock."""
    info = sandbox.info()
    grant = authorize_tiktok(info)

    async def no_refresh(old: TokenGrant) -> TokenGrant:
        raise AssertionError("these tests never let the token expire")

    clock = sandbox.world.clock
    token = RefreshingToken(
        TokenGrant(
            grant.access_token, grant.access_expires, grant.refresh_token, grant.refresh_expires
        ),
        no_refresh,
        persist=lambda g: None,
        now=clock.now_dt,
    )
    config = TikTokApiConfig(
        app_key=info.tiktok.app_key,
        api_base_url=info.tiktok.api_url,
        retry=retry or RetryPolicy(initial=0.01, maximum=0.1),
        timeout=5.0,
    )
    return TikTokTransport(config, info.tiktok.app_secret, token)


@pytest.fixture
async def api(sandbox: SandboxRunner) -> AsyncIterator[TikTokShopApi]:
    client = TikTokShopApi(transport_for(sandbox))
    await client.use_first_shop()
    yield client
    await client.transport.aclose()


async def collect(items: AsyncIterator[Any]) -> list[Any]:
    """Every item of an async iterator."""
    return [item async for item in items]


def advance_until(
    sandbox: SandboxRunner, found: Callable[[dict[str, Any]], Any], *, step: int, limit: int
) -> Any:
    """Advance the sandbox clock ``step`` seconds at a time until ``found(snapshot)``."""
    for _ in range(limit):
        hit = found(sandbox.world.tiktok.snapshot())
        if hit:
            return hit
        sandbox.world.advance(step)
    raise AssertionError("the sandbox never reached the wanted state")


def post_control(sandbox: SandboxRunner, path: str, payload: dict[str, Any]) -> None:
    """POST to the sandbox's control app."""
    httpx.post(f"{sandbox.info().control_url}{path}", json=payload).raise_for_status()
