"""Whole sign-ins against the sandbox over real HTTP: the browser step approves the
consent page with the same form POST a click sends, and the redirect goes to the
loopback listener. Attacks are replayed against the same listener."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit

import httpx
import pytest

from tests.stores.oauth.keyrings import TrackingTokenStore, temporary_token_store
from tiktok_console.core.logs import SecretRedactor, setup_logging
from tiktok_console.sandbox.runner import SandboxRunner, running_sandbox
from tiktok_console.sandbox.world import WorldOptions
from tiktok_console.stores.errors import AuthExpiredError
from tiktok_console.stores.oauth import flows
from tiktok_console.stores.oauth.errors import (
    CodeAlreadyUsedError,
    RegionMismatchError,
    SignInDeniedError,
    SignInError,
    SignInTimeoutError,
)
from tiktok_console.stores.oauth.headless import consent_approver
from tiktok_console.stores.oauth.refresh import refresh_shopify_tokens, refresh_tiktok_tokens
from tiktok_console.stores.shopify import oauth as shopify_oauth
from tiktok_console.stores.tokens import KeyringUnavailableError, TokenStore

START = 1_770_000_000.0
log = logging.getLogger("tests.oauth.flows")


@pytest.fixture(scope="module")
def sandbox() -> Iterator[SandboxRunner]:
    options = WorldOptions(
        seed=8, products=4, orders=0, orders_per_minute=0, clock_speed=0, clock_start=START
    )
    with running_sandbox(options) as runner:
        yield runner


@pytest.fixture
def redactor() -> SecretRedactor:
    return SecretRedactor()


@pytest.fixture
def store(redactor: SecretRedactor) -> Iterator[TrackingTokenStore]:
    with temporary_token_store(redactor) as token_store:
        yield token_store


@pytest.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(timeout=10) as client:
        yield client


def shopify_flow(
    http: httpx.AsyncClient, store: TokenStore, sandbox: SandboxRunner, **kwargs: object
) -> flows.ShopifySignIn:
    info = sandbox.info().shopify
    return flows.ShopifySignIn(
        http, store, shop=info.shop, shop_base_url=info.url, client_id=info.client_id,
        client_secret=info.client_secret, now=sandbox.world.clock.now_dt, **kwargs,  # type: ignore[arg-type]
    )  # fmt: skip


def tiktok_flow(
    http: httpx.AsyncClient, store: TokenStore, sandbox: SandboxRunner, **kwargs: object
) -> flows.TikTokSignIn:
    info = sandbox.info().tiktok
    return flows.TikTokSignIn(
        http, store, authorize_link=info.authorize_url, auth_base_url=info.auth_url,
        api_base_url=info.api_url, app_key=info.app_key, app_secret=info.app_secret,
        now=sandbox.world.clock.now_dt, **kwargs,  # type: ignore[arg-type]
    )  # fmt: skip


async def consent_location(http: httpx.AsyncClient, authorize_url: str, approve: str = "1") -> str:
    """Approve (or decline) on the consent page; the redirect address, not yet delivered."""
    consent = await http.post(authorize_url, data={"approve": approve})
    assert consent.status_code == 302, consent.text
    return consent.headers["location"]


def with_query(location: str, **changes: str) -> str:
    parts = urlsplit(location)
    query = dict(parse_qsl(parts.query))
    query.update(changes)
    return parts._replace(query=urlencode(query)).geturl()


async def test_shopify_round_trip(
    http: httpx.AsyncClient, store: TrackingTokenStore, sandbox: SandboxRunner
) -> None:
    info = sandbox.info().shopify
    connection = await flows.connect_shopify(
        http, store, consent_approver(http), shop=info.shop, shop_base_url=info.url,
        client_id=info.client_id, client_secret=info.client_secret, tiktok_region="US",
        now=sandbox.world.clock.now_dt, redirect_timeout=10,
    )  # fmt: skip
    assert connection.country == "US" and connection.shop == info.shop
    assert store.load(connection.account_key) == connection.tokens
    assert connection.tokens.refresh_token  # an expiring offline token
    assert store.load_app_secret("shopify", info.client_id) == info.client_secret
    assert await shopify_oauth.shop_name(http, info.url, connection.tokens.access_token)


async def test_tiktok_round_trip(
    http: httpx.AsyncClient, store: TrackingTokenStore, sandbox: SandboxRunner
) -> None:
    info = sandbox.info().tiktok
    connection = await flows.connect_tiktok(
        http, store, consent_approver(http), authorize_link=info.authorize_url,
        auth_base_url=info.auth_url, api_base_url=info.api_url, app_key=info.app_key,
        app_secret=info.app_secret, shopify_country="US", now=sandbox.world.clock.now_dt,
    )  # fmt: skip
    assert connection.shop.region == "US" and connection.shop.cipher
    assert connection.account_key == f"tiktok:{connection.open_id}"
    assert store.load(connection.account_key) == connection.tokens
    assert store.load_app_secret("tiktok", info.app_key) == info.app_secret


async def test_shopify_bad_state_and_bad_hmac_are_refused_then_the_real_one_wins(
    http: httpx.AsyncClient, store: TrackingTokenStore, sandbox: SandboxRunner
) -> None:
    async with shopify_flow(http, store, sandbox, timeout=10) as flow:
        location = await consent_location(http, flow.authorize_url)
        forged_state = await http.get(with_query(location, state="attacker"))
        assert forged_state.status_code == 400 and "sign-in answer was refused" in forged_state.text
        forged_code = await http.get(with_query(location, code="f" * 32))
        assert forged_code.status_code == 400 and "signature" in forged_code.text
        assert (await http.get(location)).status_code == 200
        connection = await flow.finish()
    assert store.load(connection.account_key) == connection.tokens


async def test_shopify_stale_redirect_is_refused_and_the_merchant_reads_why(
    http: httpx.AsyncClient,
    store: TrackingTokenStore,
    sandbox: SandboxRunner,
    redactor: SecretRedactor,
    tmp_path: Path,
) -> None:
    """A clock-skewed redirect: the merchant reads "check this computer's clock", not
    "timed out", and the refused redirect's code never reaches a --debug log."""
    log_file = tmp_path / "debug.log"
    setup_logging(log_file, redactor, debug=True)
    try:
        async with shopify_flow(http, store, sandbox, timeout=1.0) as flow:
            location = await consent_location(http, flow.authorize_url)
            # Shopify stamps the redirect with its wall clock; one 91 s old, correctly signed:
            query = dict(parse_qsl(urlsplit(location).query))
            query["timestamp"] = str(int(query["timestamp"]) - 91)
            del query["hmac"]
            secret = sandbox.info().shopify.client_secret
            query["hmac"] = shopify_oauth.callback_hmac(query, secret)
            stale = await http.get(with_query(location, **query))
            assert stale.status_code == 400 and "too old" in stale.text
            with pytest.raises(SignInError) as caught:
                await flow.finish()
    finally:
        for handler in logging.getLogger().handlers:
            handler.flush()
        setup_logging(tmp_path / "after.log", SecretRedactor())
    assert not isinstance(caught.value, SignInTimeoutError)
    assert "clock" in caught.value.message and "timed out" not in caught.value.message
    assert store.written == set()
    code = dict(parse_qsl(urlsplit(location).query))["code"]
    text = log_file.read_text()
    assert "redirect rejected" in text and code not in text


async def test_shopify_replayed_redirect_finds_no_listener(
    http: httpx.AsyncClient, store: TrackingTokenStore, sandbox: SandboxRunner
) -> None:
    async with shopify_flow(http, store, sandbox, timeout=10) as flow:
        location = await consent_location(http, flow.authorize_url)
        assert (await http.get(location)).status_code == 200
        await flow.finish()
    with pytest.raises(httpx.ConnectError):
        await http.get(location)
    with pytest.raises(SignInError, match="No Shopify sign-in is waiting"):
        flow.complete_from_pasted_url(location)  # nor is it taken when pasted
    code = dict(parse_qsl(urlsplit(location).query))["code"]
    info = sandbox.info().shopify
    with pytest.raises(Exception, match="already used"):
        await shopify_oauth.exchange_code(http, info.url, info.client_id, info.client_secret, code)


async def test_shopify_pasted_address_fallback(
    http: httpx.AsyncClient, store: TrackingTokenStore, sandbox: SandboxRunner
) -> None:
    async with shopify_flow(http, store, sandbox, timeout=10) as flow:
        location = await consent_location(http, flow.authorize_url)
        # The browser could not reach the listener; the merchant pastes the address.
        flow.complete_from_pasted_url(location.replace("127.0.0.1", "localhost"))
        connection = await flow.finish()
    assert store.load(connection.account_key) == connection.tokens


async def test_tiktok_forged_state_then_denial(
    http: httpx.AsyncClient, store: TrackingTokenStore, sandbox: SandboxRunner
) -> None:
    async with tiktok_flow(http, store, sandbox, timeout=10) as flow:
        location = await consent_location(http, flow.authorize_url, approve="0")
        forged = await http.get(with_query(location, state="attacker"))
        assert forged.status_code == 400
        assert (await http.get(location)).status_code == 400  # "declined" page, final
        with pytest.raises(SignInDeniedError):
            await flow.finish()
    assert store.written == set()


async def test_tiktok_replayed_code_is_refused_locally(
    http: httpx.AsyncClient, store: TrackingTokenStore, sandbox: SandboxRunner
) -> None:
    async with tiktok_flow(http, store, sandbox, timeout=10) as flow:
        location = await consent_location(http, flow.authorize_url)
        assert (await http.get(location)).status_code == 200
        await flow.finish()
        code = dict(parse_qsl(urlsplit(location).query))["code"]
        with pytest.raises(CodeAlreadyUsedError):
            await flow.complete_with_code(code)


async def test_region_mismatch_is_refused_and_nothing_saved(
    http: httpx.AsyncClient, store: TrackingTokenStore, sandbox: SandboxRunner
) -> None:
    with pytest.raises(RegionMismatchError) as caught:
        async with tiktok_flow(http, store, sandbox, shopify_country="GB") as flow:
            await consent_approver(http)(flow.authorize_url)
            await flow.finish()
    assert "TikTok Shop is in US but your Shopify store is in GB" in caught.value.message
    with pytest.raises(
        RegionMismatchError, match="TikTok Shop is in GB but your Shopify store is in US"
    ):
        async with shopify_flow(http, store, sandbox, tiktok_region="GB") as flow:
            await consent_approver(http)(flow.authorize_url)
            await flow.finish()
    assert store.written == set()


async def test_no_keyring_refuses_before_anything_is_saved(
    http: httpx.AsyncClient, sandbox: SandboxRunner, tmp_path: Path
) -> None:
    from keyring.backends import fail

    store = TokenStore(fail.Keyring(), SecretRedactor(), "p")
    opened: list[str] = []
    with pytest.raises(KeyringUnavailableError, match="GNOME Keyring"):
        info = sandbox.info().shopify
        await flows.connect_shopify(
            http, store, opened.append, shop=info.shop, shop_base_url=info.url,
            client_id=info.client_id, client_secret=info.client_secret,
        )  # fmt: skip
    assert opened == []  # refused before the browser opened
    assert files_containing(tmp_path, [sandbox.info().shopify.client_secret]) == []


async def test_expiring_shopify_token_is_refreshed_and_the_pair_stored_at_once(
    http: httpx.AsyncClient, store: TrackingTokenStore, sandbox: SandboxRunner
) -> None:
    info = sandbox.info().shopify
    async with shopify_flow(http, store, sandbox, timeout=10) as flow:
        await consent_approver(http)(flow.authorize_url)
        first = (await flow.finish()).tokens
    sandbox.world.clock.advance(3601)
    assert first.access_expired(sandbox.world.clock.now_dt())
    with pytest.raises(AuthExpiredError):
        await shopify_oauth.shop_name(http, info.url, first.access_token)
    kwargs = dict(shop=info.shop, shop_base_url=info.url, client_id=info.client_id,
                  client_secret=info.client_secret, now=sandbox.world.clock.now_dt)  # fmt: skip
    second = await refresh_shopify_tokens(http, store, **kwargs)  # type: ignore[arg-type]
    assert store.load(f"shopify:{info.shop}") == second
    assert second.refresh_token != first.refresh_token
    assert await shopify_oauth.shop_name(http, info.url, second.access_token)
    third = await refresh_shopify_tokens(http, store, **kwargs)  # type: ignore[arg-type]
    assert store.load(f"shopify:{info.shop}") == third != second


async def test_tiktok_refresh_stores_the_rotated_pair(
    http: httpx.AsyncClient, store: TrackingTokenStore, sandbox: SandboxRunner
) -> None:
    info = sandbox.info().tiktok
    async with tiktok_flow(http, store, sandbox, timeout=10) as flow:
        await consent_approver(http)(flow.authorize_url)
        first = await flow.finish()
    new = await refresh_tiktok_tokens(
        http, store, open_id=first.open_id, auth_base_url=info.auth_url,
        app_key=info.app_key, app_secret=info.app_secret,
    )  # fmt: skip
    assert store.load(first.account_key) == new and new.refresh_token != first.tokens.refresh_token


def read_text(path: Path) -> str:
    return path.read_text()


def files_containing(root: Path, secrets: list[str]) -> list[Path]:
    """Every file under ``root`` holding any of ``secrets``."""
    found = []
    for path in root.rglob("*"):
        if path.is_file():
            content = path.read_bytes()
            if any(secret.encode() in content for secret in secrets):
                found.append(path)
    return found


@pytest.fixture
def log_file(tmp_path: Path, redactor: SecretRedactor) -> Iterator[Path]:
    path = tmp_path / "log"
    setup_logging(path, redactor, debug=True)
    yield path
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "_tiktok_console", False):
            root.removeHandler(handler)
            handler.close()


async def test_no_secret_reaches_the_log_or_the_profile(
    http: httpx.AsyncClient,
    store: TrackingTokenStore,
    sandbox: SandboxRunner,
    log_file: Path,
    tmp_path: Path,
) -> None:
    shopify, tiktok = sandbox.info().shopify, sandbox.info().tiktok
    async with shopify_flow(http, store, sandbox, timeout=10) as flow:
        location = await consent_location(http, flow.authorize_url)
        await http.get(location)
        log.debug("redirect arrived at %s", location)
        shop = await flow.finish()
    async with tiktok_flow(http, store, sandbox, timeout=10) as tflow:
        await consent_approver(http)(tflow.authorize_url)
        tik = await tflow.finish()
    # What a careless debug line would show: it must come out redacted.
    log.debug("tokens: %s and %s", shop.tokens, tik.tokens)
    for handler in logging.getLogger().handlers:
        handler.flush()
    text = read_text(log_file)
    assert "HTTP Request: GET" in text  # httpx logged the token call's URL...
    secrets = [
        shop.tokens.access_token, shop.tokens.refresh_token, tik.tokens.access_token,
        tik.tokens.refresh_token, shopify.client_secret, tiktok.app_secret,
        dict(parse_qsl(urlsplit(location).query))["code"],
    ]  # fmt: skip
    for secret in secrets:
        assert secret and secret not in text  # ...with every secret masked
    assert files_containing(tmp_path, [s for s in secrets if s]) == []


async def test_open_browser_may_be_a_plain_function(
    http: httpx.AsyncClient, store: TrackingTokenStore, sandbox: SandboxRunner
) -> None:
    """The UI passes a synchronous opener (QDesktopServices.openUrl); that must work too."""
    info = sandbox.info().shopify
    opened: list[str] = []

    def open_browser(url: str) -> None:
        opened.append(url)
        asyncio.get_running_loop().create_task(consent_approver(http)(url))

    connection = await flows.connect_shopify(
        http, store, open_browser, shop=info.shop, shop_base_url=info.url,
        client_id=info.client_id, client_secret=info.client_secret,
        now=sandbox.world.clock.now_dt, redirect_timeout=10,
    )  # fmt: skip
    assert opened and opened[0].startswith(info.url + "/admin/oauth/authorize?")
    assert store.load(connection.account_key) == connection.tokens
