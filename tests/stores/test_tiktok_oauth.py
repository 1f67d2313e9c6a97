"""TikTok Shop sign-in pieces: the authorize link, callback checks, code and refresh grants,
the signed shop list; the grants over real HTTP against the sandbox's auth and API hosts."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qsl, urlsplit

import httpx
import pytest

from tiktok_console.sandbox.runner import SandboxRunner, running_sandbox
from tiktok_console.sandbox.world import WorldOptions
from tiktok_console.stores.errors import AuthExpiredError, RequestRejectedError
from tiktok_console.stores.oauth.errors import (
    CallbackRejectedError,
    CodeAlreadyUsedError,
    SignInDeniedError,
    SignInError,
)
from tiktok_console.stores.tiktok import oauth

START = 1_770_000_000.0
REDIRECT = "http://127.0.0.1:9/callback"


def test_authorize_url_keeps_the_link_and_sets_state_and_redirect() -> None:
    link = "https://services.tiktokshop.com/open/authorize?service_id=7300&state=old"
    url = oauth.authorize_url(link, "n0nce", REDIRECT)
    parts = urlsplit(url)
    assert parts.netloc == "services.tiktokshop.com" and parts.path == "/open/authorize"
    assert parse_qsl(parts.query) == [
        ("service_id", "7300"),
        ("state", "n0nce"),
        ("redirect_uri", REDIRECT),
    ]


def test_callback_checks() -> None:
    assert oauth.validate_callback({"code": "ROW_abc", "state": "s"}, "s") == "ROW_abc"
    with pytest.raises(CallbackRejectedError) as caught:
        oauth.validate_callback({"code": "ROW_abc", "state": "x"}, "s")
    assert caught.value.check == "state"
    with pytest.raises(CallbackRejectedError):
        oauth.validate_callback({"code": "null", "state": "s"}, "s")
    # A denial only counts with our state: anyone could send error=auth_denied.
    with pytest.raises(CallbackRejectedError):
        oauth.validate_callback({"code": "null", "error": "auth_denied", "state": "x"}, "s")
    with pytest.raises(SignInDeniedError):
        oauth.validate_callback({"code": "null", "error": "auth_denied", "state": "s"}, "s")


def test_token_envelope_expiries_are_absolute_timestamps() -> None:
    tokens = oauth.TikTokTokens.model_validate(
        {
            "access_token": "TTP_Fw8r",
            "access_token_expire_in": 1660556783,
            "refresh_token": "TTP_NTUx",
            "refresh_token_expire_in": 1691487031,
            "open_id": "7010736057180325637",
            "seller_name": "Jjj test shop",
            "seller_base_region": "ID",
            "user_type": 0,
        }
    )
    assert tokens.access_expires_at == datetime(2022, 8, 15, 9, 46, 23, tzinfo=UTC)
    stored = tokens.stored()
    assert stored.refresh_expires_at == datetime.fromtimestamp(1691487031, UTC)
    assert stored.refresh_expires_at.tzinfo is not None


@pytest.fixture(scope="module")
def sandbox() -> Iterator[SandboxRunner]:
    options = WorldOptions(
        seed=6, products=4, orders=0, orders_per_minute=0, clock_speed=0, clock_start=START
    )
    with running_sandbox(options) as runner:
        yield runner


@pytest.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(timeout=10) as client:
        yield client


async def approve(http: httpx.AsyncClient, sandbox: SandboxRunner, state: str = "s") -> str:
    url = oauth.authorize_url(sandbox.info().tiktok.authorize_url, state, REDIRECT)
    consent = await http.post(url, data={"approve": "1"})
    assert consent.status_code == 302, consent.text
    params = dict(parse_qsl(urlsplit(consent.headers["location"]).query))
    return oauth.validate_callback(params, state)


def exchanger(http: httpx.AsyncClient, sandbox: SandboxRunner) -> oauth.TikTokCodeExchanger:
    info = sandbox.info().tiktok
    return oauth.TikTokCodeExchanger(http, info.auth_url, info.app_key, info.app_secret)


async def test_code_exchange_then_shops(http: httpx.AsyncClient, sandbox: SandboxRunner) -> None:
    info = sandbox.info().tiktok
    tokens = await exchanger(http, sandbox).exchange(await approve(http, sandbox))
    now = sandbox.world.clock.now_dt()
    assert tokens.access_expires_at == now + timedelta(days=7)
    assert tokens.seller_base_region == "US" and tokens.open_id
    shops = await oauth.fetch_shops(
        http, info.api_url, info.app_key, info.app_secret, tokens.access_token
    )
    assert [shop.region for shop in shops] == ["US"]
    assert shops[0].cipher and shops[0].id


async def test_a_code_is_exchanged_once(http: httpx.AsyncClient, sandbox: SandboxRunner) -> None:
    flow = exchanger(http, sandbox)
    code = await approve(http, sandbox)
    await flow.exchange(code)
    with pytest.raises(CodeAlreadyUsedError):
        await flow.exchange(code)
    # And TikTok refuses the replay too, for a flow that never saw the code.
    with pytest.raises(SignInError, match="already used"):
        await exchanger(http, sandbox).exchange(code)


async def test_refresh_rotates_and_the_old_refresh_token_dies(
    http: httpx.AsyncClient, sandbox: SandboxRunner
) -> None:
    info = sandbox.info().tiktok
    first = await exchanger(http, sandbox).exchange(await approve(http, sandbox))
    sandbox.world.clock.advance(6 * 86400)
    second = await oauth.refresh(
        http, info.auth_url, info.app_key, info.app_secret, first.refresh_token
    )
    assert second.refresh_token != first.refresh_token
    assert second.access_expires_at == sandbox.world.clock.now_dt() + timedelta(days=7)
    with pytest.raises(AuthExpiredError):
        await oauth.refresh(http, info.auth_url, info.app_key, info.app_secret, first.refresh_token)


async def test_wrong_app_secret_and_bad_token(
    http: httpx.AsyncClient, sandbox: SandboxRunner
) -> None:
    info = sandbox.info().tiktok
    code = await approve(http, sandbox)
    with pytest.raises(SignInError, match="app key or app secret"):
        await oauth.exchange_code(http, info.auth_url, info.app_key, "wrong", code)
    with pytest.raises(AuthExpiredError):
        await oauth.fetch_shops(http, info.api_url, info.app_key, info.app_secret, "TTP_nope")
    good = await exchanger(http, sandbox).exchange(await approve(http, sandbox))
    # Signed with the wrong secret: TikTok's invalid-sign refusal, not an expired token.
    with pytest.raises(RequestRejectedError):
        await oauth.fetch_shops(http, info.api_url, info.app_key, "wrong", good.access_token)
