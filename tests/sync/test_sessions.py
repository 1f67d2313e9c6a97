"""Sessions for connected stores: tokens renew through the store and stay saved."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.stores.oauth.keyrings import TrackingTokenStore, temporary_token_store
from tiktok_console.core.logs import SecretRedactor
from tiktok_console.core.paths import AppPaths
from tiktok_console.profile import open_profile
from tiktok_console.sandbox.runner import SandboxRunner, running_sandbox
from tiktok_console.sandbox.world import WorldOptions
from tiktok_console.storage.accounts import load_account
from tiktok_console.stores.errors import StoreError
from tiktok_console.stores.retry import RetryPolicy
from tiktok_console.stores.shopify.replies import Shop
from tiktok_console.stores.shopify.transport import ShopifyApiConfig
from tiktok_console.sync.accounts import AccountService
from tiktok_console.sync.sessions import Clocks, shopify_session, tiktok_session


@pytest.fixture
def sandbox() -> Iterator[SandboxRunner]:
    options = WorldOptions(
        seed=4, products=6, orders_per_minute=0, tiktok_access_ttl=900, shopify_expiring_ttl=900
    )
    with running_sandbox(options) as runner:
        yield runner


@pytest.fixture
def profile(tmp_path: Path):
    opened = open_profile(AppPaths.for_profile(tmp_path / "p").ensure(), SecretRedactor())
    yield opened
    opened.close()


@pytest.fixture
def token_store(profile) -> Iterator[TrackingTokenStore]:
    """The real keyring where the machine has one (entries removed after), else memory."""
    with temporary_token_store(profile.redactor) as store:
        yield store


async def _connected(sandbox: SandboxRunner, token_store, http: httpx.AsyncClient):
    clock = sandbox.world.clock
    service = AccountService(token_store, http, now=clock.now_dt)
    await service.connect_sandbox(json.loads(sandbox.info().model_dump_json()))
    return service.token_store, Clocks(now=clock.now_dt)


async def test_tokens_renew_ahead_of_expiry_and_the_rotated_pair_is_saved(
    sandbox: SandboxRunner, token_store
) -> None:
    async with httpx.AsyncClient(timeout=10) as http:
        token_store, clocks = await _connected(sandbox, token_store, http)
        shopify = load_account("shopify")
        tiktok = load_account("tiktok")
        assert shopify and tiktok
        before = {
            store: token_store.load(account.account_key)
            for store, account in (("shopify", shopify), ("tiktok", tiktok))
        }
        sandbox.world.advance(700)  # inside the 5-minute margin of 15-minute tokens
        shop = await shopify_session(shopify, token_store, http, clocks).execute(Shop)
        assert shop.shop.name
        shops = await tiktok_session(tiktok, token_store, http, clocks).call(
            "GET", "/authorization/202309/shops", shop_scoped=False
        )
        assert shops["shops"]
        for store, account in (("shopify", shopify), ("tiktok", tiktok)):
            saved = token_store.load(account.account_key)
            old = before[store]
            assert saved and old and saved.access_token != old.access_token
            assert saved.refresh_token != old.refresh_token  # rotated and kept
            record = load_account(account.store)
            assert record and record.token_expires_at == saved.access_expires_at
            assert saved.access_expires_at > clocks.now()


async def test_shopify_calls_under_faults_succeed_or_fail_typed(
    sandbox: SandboxRunner, token_store
) -> None:
    async with httpx.AsyncClient(timeout=3) as http:
        token_store, clocks = await _connected(sandbox, token_store, http)
        account = load_account("shopify")
        assert account
        config = ShopifyApiConfig(
            base_url=account.api_url, timeout=2, retry=RetryPolicy(attempts=3, initial=0.01)
        )
        session = shopify_session(account, token_store, http, clocks, config)
        url = f"{sandbox.info().control_url}/faults"
        (await http.post(url, json={"shopify": {"error_rate": 0.1}})).raise_for_status()
        outcomes = await asyncio.gather(
            *(session.execute(Shop) for _ in range(60)), return_exceptions=True
        )
    errors = [o for o in outcomes if isinstance(o, BaseException)]
    assert all(isinstance(e, StoreError) for e in errors), errors
    assert sum(1 for o in outcomes if isinstance(o, Shop)) >= 50


async def test_a_client_credentials_store_is_granted_again_when_its_day_is_over(
    sandbox: SandboxRunner, profile, token_store
) -> None:
    clock = sandbox.world.clock
    clocks = Clocks(now=clock.now_dt)
    shopify = sandbox.info().shopify
    async with httpx.AsyncClient(timeout=10) as http:
        service = AccountService(token_store, http, now=clock.now_dt)
        account = await service.connect_shopify_client_credentials(
            shop=shopify.shop, shop_base_url=shopify.url,
            client_id=shopify.client_id, client_secret=shopify.client_secret,
        )  # fmt: skip
        first = token_store.load(account.account_key)
        assert first and first.refresh_token is None and first.access_expires_at
        sandbox.world.advance(86_400)  # the day-long token has lapsed at the store
        shop = await shopify_session(account, token_store, http, clocks).execute(Shop)
    assert shop.shop.name
    renewed = token_store.load(account.account_key)
    assert renewed and renewed.access_token != first.access_token
    assert renewed.access_expires_at and renewed.access_expires_at > clocks.now()
    record = load_account("shopify")
    assert record and record.token_expires_at == renewed.access_expires_at
