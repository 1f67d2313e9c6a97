"""Connecting both sandbox stores through the real sign-in flows, and what is kept where."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.stores.oauth.keyrings import TrackingTokenStore, temporary_token_store
from tiktok_console.core.logs import SecretRedactor, setup_logging
from tiktok_console.core.paths import AppPaths
from tiktok_console.profile import open_profile
from tiktok_console.sandbox.runner import SandboxRunner, running_sandbox
from tiktok_console.sandbox.world import WorldOptions
from tiktok_console.storage.accounts import load_account, load_accounts
from tiktok_console.stores.oauth.errors import RegionMismatchError
from tiktok_console.stores.oauth.headless import consent_approver
from tiktok_console.stores.shopify.replies import Shop
from tiktok_console.sync.accounts import AccountService
from tiktok_console.sync.sessions import Clocks, shopify_session, tiktok_session
from tiktok_console.sync.status import status_report


@pytest.fixture
def sandbox() -> Iterator[SandboxRunner]:
    with running_sandbox(WorldOptions(seed=3, products=6, orders_per_minute=0)) as runner:
        yield runner


@pytest.fixture
def profile(tmp_path: Path):
    paths = AppPaths.for_profile(tmp_path / "profile").ensure()
    redactor = SecretRedactor()
    setup_logging(paths.log_file, redactor, debug=True)
    opened = open_profile(paths, redactor)
    yield opened
    opened.close()
    for handler in list(logging.getLogger().handlers):
        if getattr(handler, "_tiktok_console", False):
            logging.getLogger().removeHandler(handler)
            handler.close()


@pytest.fixture
def token_store(profile) -> Iterator[TrackingTokenStore]:
    """The real keyring where the machine has one (entries removed after), else memory."""
    with temporary_token_store(profile.redactor) as store:
        yield store


def _tokens(token_store: TrackingTokenStore) -> set[str]:
    """Every access and refresh token in the keyring now."""
    entries = [json.loads(v) for v in token_store.entries().values() if v.startswith("{")]
    return {e[k] for e in entries for k in ("access_token", "refresh_token") if e.get(k)}


async def _refresh_both(
    sandbox: SandboxRunner, token_store: TrackingTokenStore, http: httpx.AsyncClient
) -> None:
    """A week later: one call on each store, which first renews its token."""
    clock = sandbox.world.clock
    clocks = Clocks(now=clock.now_dt)
    sandbox.world.advance(7 * 86_400)
    shopify, tiktok = load_account("shopify"), load_account("tiktok")
    assert shopify and tiktok
    await shopify_session(shopify, token_store, http, clocks).execute(Shop)
    shops = "/authorization/202309/shops"
    await tiktok_session(tiktok, token_store, http, clocks).call("GET", shops, shop_scoped=False)


async def test_connect_sandbox_saves_both_accounts_and_no_secret_anywhere(
    sandbox: SandboxRunner, profile, token_store: TrackingTokenStore
) -> None:
    info = json.loads(sandbox.info().model_dump_json())
    async with httpx.AsyncClient(timeout=10) as http:
        service = AccountService(token_store, http, now=sandbox.world.clock.now_dt)
        connected = await service.connect_sandbox(info)
        issued = _tokens(token_store)
        await _refresh_both(sandbox, token_store, http)
    assert [a.store for a in connected] == ["shopify", "tiktok"]
    accounts = load_accounts()
    assert accounts["shopify"].shop == "harbor-and-pine.myshopify.com"
    assert accounts["shopify"].region == accounts["tiktok"].region == "US"
    assert accounts["tiktok"].shop_cipher and accounts["shopify"].token_expires_at is not None

    refreshed = _tokens(token_store)
    assert len(issued) == len(refreshed) == 4 and not issued & refreshed  # all rotated
    tokens = [*issued, *refreshed]
    report = json.dumps(status_report())
    for handler in logging.getLogger().handlers:
        handler.flush()
    profile.database.execute_sql("PRAGMA wal_checkpoint(FULL)")
    haystacks = {
        "status --json": report,
        "log file": profile.paths.log_file.read_text(),
        "database": profile.paths.database.read_bytes().decode("latin-1"),
    }
    secret_values = [*tokens, info["shopify"]["client_secret"], info["tiktok"]["app_secret"]]
    for where, text in haystacks.items():
        for secret in secret_values:
            assert secret not in text, f"a secret leaked into the {where}"
    assert "harbor-and-pine.myshopify.com" in report


async def test_disconnect_deletes_the_keyring_entries(
    sandbox: SandboxRunner, token_store: TrackingTokenStore
) -> None:
    info = json.loads(sandbox.info().model_dump_json())
    async with httpx.AsyncClient(timeout=10) as http:
        service = AccountService(token_store, http)
        await service.connect_sandbox(info)
        service.disconnect("shopify")
    assert set(load_accounts()) == {"tiktok"}
    remaining = " ".join(token_store.entries())
    assert "shopify" not in remaining and "tiktok" in remaining


async def test_disconnect_says_which_keyring_entries_it_could_not_remove(
    sandbox: SandboxRunner, profile
) -> None:
    """Issue 14, item 1: a keyring that refuses a delete is named, not reported as done."""
    import keyring.errors

    from tiktok_console.stores.tokens import InMemoryKeyring, TokenStore

    class StuckKeyring(InMemoryKeyring):
        def delete_password(self, service: str, username: str) -> None:
            if "app-secret" in username:
                raise keyring.errors.KeyringError("the keyring is locked")
            super().delete_password(service, username)

    backend = StuckKeyring()
    store = TokenStore(backend, profile.redactor, profile.settings.profile_id)
    info = json.loads(sandbox.info().model_dump_json())
    async with httpx.AsyncClient(timeout=10) as http:
        service = AccountService(store, http)
        await service.connect_sandbox(info)
        failures = service.disconnect("shopify")
        assert service.disconnect("shopify") is None  # already forgotten
    assert failures is not None and len(failures) == 1
    assert "app secret" in failures[0] and "locked" in failures[0]
    left = [user for (_, user) in backend.entries()]
    assert not [u for u in left if u.endswith(f"shopify:{info['shopify']['shop']}")]
    assert [u for u in left if "app-secret:shopify" in u]  # the one it could not remove


async def test_a_store_in_another_region_is_refused(token_store: TrackingTokenStore) -> None:
    options = WorldOptions(seed=3, products=6, orders_per_minute=0)
    with (
        running_sandbox(options) as us,
        running_sandbox(options.model_copy(update={"region": "GB"})) as gb,
    ):
        us_info = json.loads(us.info().model_dump_json())
        gb_info = json.loads(gb.info().model_dump_json())
        async with httpx.AsyncClient(timeout=10) as http:
            service = AccountService(token_store, http)

            shopify = us_info["shopify"]
            await service.connect_shopify(
                consent_approver(http), shop=shopify["shop"], shop_base_url=shopify["url"],
                client_id=shopify["client_id"], client_secret=shopify["client_secret"],
            )  # fmt: skip
            tiktok = gb_info["tiktok"]
            with pytest.raises(RegionMismatchError) as raised:
                await service.connect_tiktok(
                    consent_approver(http), authorize_link=tiktok["authorize_url"],
                    auth_url=tiktok["auth_url"], api_url=tiktok["api_url"],
                    app_key=tiktok["app_key"], app_secret=tiktok["app_secret"],
                )  # fmt: skip
    assert "GB" in raised.value.message and "US" in raised.value.message
    assert set(load_accounts()) == {"shopify"}
