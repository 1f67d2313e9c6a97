"""Two sessions of one TikTok account (the engine's, and an action's from the console)
refresh its token once between them: the second takes the grant the first saved in
the keyring instead of refreshing again, which would revoke the first one's token."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tiktok_console.core.logs import SecretRedactor
from tiktok_console.core.paths import AppPaths
from tiktok_console.profile import Profile, open_profile
from tiktok_console.sandbox.runner import SandboxRunner, running_sandbox
from tiktok_console.sandbox.world import WorldOptions
from tiktok_console.storage.accounts import load_account
from tiktok_console.stores.tokens import InMemoryKeyring
from tiktok_console.sync.accounts import AccountService
from tiktok_console.sync.sessions import Clocks, tiktok_session

SHOPS = "/authorization/202309/shops"


@pytest.fixture
def sandbox() -> Iterator[SandboxRunner]:
    options = WorldOptions(seed=4, products=6, orders_per_minute=0, tiktok_access_ttl=900)
    with running_sandbox(options) as runner:
        yield runner


@pytest.fixture
def profile(tmp_path: Path) -> Iterator[Profile]:
    opened = open_profile(AppPaths.for_profile(tmp_path / "p").ensure(), SecretRedactor())
    yield opened
    opened.close()


async def test_a_second_session_takes_the_grant_the_first_refreshed(
    sandbox: SandboxRunner, profile: Profile
) -> None:
    refreshes: list[int] = []

    async def note(response: httpx.Response) -> None:
        if response.request.url.path == "/api/v2/token/refresh":
            refreshes.append(response.status_code)

    async with httpx.AsyncClient(timeout=10, event_hooks={"response": [note]}) as http:
        clock = sandbox.world.clock
        token_store = profile.token_store(InMemoryKeyring())
        service = AccountService(token_store, http, now=clock.now_dt)
        await service.connect_sandbox(json.loads(sandbox.info().model_dump_json()))
        clocks = Clocks(now=clock.now_dt)
        account = load_account("tiktok")
        assert account
        engine_side = tiktok_session(account, token_store, http, clocks)
        console_side = tiktok_session(account, token_store, http, clocks)
        assert (await engine_side.call("GET", SHOPS, shop_scoped=False))["shops"]

        sandbox.world.advance(700)  # both sessions' token is inside its 5-minute margin
        assert (await engine_side.call("GET", SHOPS, shop_scoped=False))["shops"]
        assert (await console_side.call("GET", SHOPS, shop_scoped=False))["shops"]
        assert (await engine_side.call("GET", SHOPS, shop_scoped=False))["shops"]
        assert refreshes == [200]
