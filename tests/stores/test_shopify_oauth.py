"""Shopify sign-in pieces: the callback HMAC (README B1 vectors), callback checks, grants.

The grants run over real HTTP against the sandbox store.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tiktok_console.sandbox.runner import SandboxRunner, running_sandbox
from tiktok_console.sandbox.world import WorldOptions
from tiktok_console.stores.errors import AuthExpiredError
from tiktok_console.stores.oauth.errors import CallbackRejectedError, SignInError
from tiktok_console.stores.shopify import oauth
from tiktok_console.stores.shopify.oauth import callback_hmac, hmac_valid, validate_callback

# README B1 test vectors: (secret, params, expected hex digest).
VECTORS = [
    (
        "hush",
        {
            "code": "a94a110d86d2452eb3e2af4cfb8a3828",
            "shop": "some-shop.myshopify.com",
            "timestamp": "1337178173",
        },
        "2cb1a277650a659f1b11e92a4a64275b128e037f2c3390e3c8fd2d8721dac9e2",
    ),
    (
        "hush",
        {"shop": "some-shop.myshopify.com", "ids[]": ["2", "1"]},
        "b93b9f82996f6f8bf9f1b7bbddec284c8fabacdc4e12dc80550b4705f3003b1e",
    ),
    (
        "hush",
        {
            "code": "0907a61c0c8d55e99db179b68161bc00",
            "shop": "some-shop.myshopify.com",
            "timestamp": "1337178173",
        },
        "4712bf92ffc2917d15a2f5a273e39f0116667419aa4b6ac0b3baaf26fa3c4d20",
    ),
    (
        "secret",
        {"a": "1&b=2", "c=3&d": "4"},
        hmac.new(b"secret", b"a=1%26b=2&c%3D3%26d=4", hashlib.sha256).hexdigest(),
    ),
    (
        "my super secret key",
        {
            "code": "some code goes here",
            "shop": "the shop URL",
            "state": "some nonce passed from auth",
            "timestamp": "1337178173",
        },
        "fee67bbc10f73ee20d86cd233021bc15c17f88fb8e50a657c17a101dc335c173",
    ),
]


def test_the_vectors_are_the_readme_ones(shared_api: Path) -> None:
    readme = (shared_api / "README.md").read_text()
    for _, _, digest in VECTORS[:3] + VECTORS[4:]:
        assert digest in readme


@pytest.mark.parametrize(("secret", "params", "digest"), VECTORS)
def test_readme_vectors_verify(secret: str, params: dict, digest: str) -> None:
    assert hmac_valid({**params, "hmac": digest}, secret)
    assert hmac_valid({**params, "hmac": digest.upper()}, secret)
    assert not hmac_valid({**params, "hmac": digest}, secret + "x")
    flipped = digest[:-1] + ("1" if digest[-1] == "0" else "0")
    assert not hmac_valid({**params, "hmac": flipped}, secret)


def test_js_rule_encodes_spaces_as_percent_20() -> None:
    params = VECTORS[4][1]
    assert callback_hmac(params, "my super secret key") == VECTORS[4][2]


def test_padded_host_is_signed_with_equals_encoded() -> None:
    """``host`` is base64 and may end in ``=``: the JS rule signs it as ``%3D``."""
    params = {"host": "YWRtaW4uc2hvcGlmeS5jb20vc3RvcmUvYQ==", "shop": "a.myshopify.com"}
    message = b"host=YWRtaW4uc2hvcGlmeS5jb20vc3RvcmUvYQ%3D%3D&shop=a.myshopify.com"
    digest = hmac.new(b"k", message, hashlib.sha256).hexdigest()
    assert callback_hmac(params, "k") == digest
    assert hmac_valid({**params, "hmac": digest}, "k")


def test_missing_hmac_is_invalid() -> None:
    assert not hmac_valid({"code": "x", "shop": "a.myshopify.com"}, "s")
    assert not hmac_valid({"code": "x", "hmac": ""}, "s")


names = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=12)
values = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40)
param_dicts = st.dictionaries(
    names.filter(lambda k: k not in ("hmac", "signature")), values, min_size=1, max_size=6
)


@given(params=param_dicts, secret=st.text(min_size=1, max_size=30))
def test_signed_params_verify(params: dict[str, str], secret: str) -> None:
    assert hmac_valid({**params, "hmac": callback_hmac(params, secret)}, secret)


@given(params=param_dicts, secret=st.text(min_size=1, max_size=30), data=st.data())
def test_any_tampering_fails(params: dict[str, str], secret: str, data: st.DataObject) -> None:
    digest = callback_hmac(params, secret)
    key = data.draw(st.sampled_from(sorted(params)))
    tampered = dict(params)
    how = data.draw(st.sampled_from(["change", "drop", "add", "digest", "secret"]))
    if how == "change":
        tampered[key] = data.draw(values.filter(lambda v: v != params[key]))
    elif how == "drop":
        del tampered[key]
    elif how == "add":
        extra = data.draw(
            names.filter(lambda k: k not in params and k not in ("hmac", "signature"))
        )
        tampered[extra] = data.draw(values)
    if how == "digest":
        forged = data.draw(st.text("0123456789abcdef", min_size=64, max_size=64))
        if forged == digest:
            return
        assert not hmac_valid({**tampered, "hmac": forged}, secret)
    elif how == "secret":
        assert not hmac_valid({**tampered, "hmac": digest}, secret + "!")
    else:
        assert not hmac_valid({**tampered, "hmac": digest}, secret)


@pytest.mark.parametrize(
    ("shop", "ok"),
    [
        ("harbor-and-pine.myshopify.com", True),
        ("a.myshopify.io", True),
        ("shop_1.shop.dev", True),
        ("evil.com", False),
        ("harbor.myshopify.com.evil.com", False),
        ("-bad.myshopify.com", False),
        ("harbor.myshopify.com/", False),
        ("", False),
        ("harbor and pine.myshopify.com", False),
    ],
)
def test_valid_shop_domain(shop: str, ok: bool) -> None:
    assert oauth.valid_shop_domain(shop) is ok


def test_authorize_url_carries_everything() -> None:
    url = oauth.authorize_url(
        "https://harbor.myshopify.com/", "cid", ["read_orders", "write_orders"],
        "http://127.0.0.1:5000/callback", "st4te",
    )  # fmt: skip
    parts = urlsplit(url)
    assert (parts.scheme, parts.netloc, parts.path) == (
        "https", "harbor.myshopify.com", "/admin/oauth/authorize",
    )  # fmt: skip
    assert dict(parse_qsl(parts.query, keep_blank_values=True)) == {
        "client_id": "cid",
        "scope": "read_orders,write_orders",
        "redirect_uri": "http://127.0.0.1:5000/callback",
        "state": "st4te",
        "grant_options[]": "",
    }


SECRET = "shpss_0123456789abcdef0123456789abcdef"
NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def signed_callback(**overrides: str) -> dict[str, str]:
    params = {
        "code": "a94a110d86d2452eb3e2af4cfb8a3828",
        "host": "YWRtaW4uc2hvcGlmeS5jb20vc3RvcmUvaGFyYm9y",
        "shop": "harbor.myshopify.com",
        "state": "expected-state",
        "timestamp": str(int(NOW.timestamp())),
        **overrides,
    }
    params["hmac"] = callback_hmac(params, SECRET)
    return params


def test_good_callback_passes() -> None:
    callback = validate_callback(signed_callback(), SECRET, "expected-state", NOW)
    assert callback.code == "a94a110d86d2452eb3e2af4cfb8a3828"
    assert callback.shop == "harbor.myshopify.com"


@pytest.mark.parametrize(
    ("params", "check"),
    [
        (signed_callback(state="other-state"), "state"),
        ({**signed_callback(), "hmac": "0" * 64}, "hmac"),
        ({**signed_callback(), "code": "another-code"}, "hmac"),
        (signed_callback(timestamp=str(int(NOW.timestamp()) - 91)), "timestamp"),
        (signed_callback(timestamp=str(int(NOW.timestamp()) + 91)), "timestamp"),
        (signed_callback(timestamp="soon"), "timestamp"),
        (signed_callback(shop="evil.com"), "shop"),
        (signed_callback(shop="other.myshopify.com"), "shop"),
        (signed_callback(code=""), "code"),
    ],
)
def test_bad_callbacks_name_the_failed_check(params: dict[str, str], check: str) -> None:
    with pytest.raises(CallbackRejectedError) as caught:
        validate_callback(
            params, SECRET, "expected-state", NOW, expected_shop="harbor.myshopify.com"
        )
    assert caught.value.check == check
    assert "Shopify" in caught.value.message


def test_timestamp_within_tolerance_passes() -> None:
    params = signed_callback(timestamp=str(int(NOW.timestamp()) - 89))
    validate_callback(params, SECRET, "expected-state", NOW)
    later = NOW + timedelta(seconds=30)
    with pytest.raises(CallbackRejectedError):
        validate_callback(params, SECRET, "expected-state", later, tolerance=60)


# Over HTTP against the sandbox -------------------------------------------------

START = 1_770_000_000.0


@pytest.fixture(scope="module")
def sandbox() -> Iterator[SandboxRunner]:
    options = WorldOptions(
        seed=5, products=4, orders=0, orders_per_minute=0, clock_speed=0, clock_start=START
    )
    with running_sandbox(options) as runner:
        yield runner


@pytest.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(timeout=10) as client:
        yield client


async def approved_redirect(http: httpx.AsyncClient, sandbox: SandboxRunner, state: str) -> dict:
    info = sandbox.info().shopify
    url = oauth.authorize_url(
        info.url, info.client_id, oauth.DEFAULT_SCOPES, "http://127.0.0.1:9/callback", state
    )
    consent = await http.post(url, data={"approve": "1"})
    assert consent.status_code == 302, consent.text
    return dict(parse_qsl(urlsplit(consent.headers["location"]).query))


async def test_sandbox_redirect_passes_every_check(
    http: httpx.AsyncClient, sandbox: SandboxRunner
) -> None:
    info = sandbox.info().shopify
    params = await approved_redirect(http, sandbox, "s-123")
    # Shopify stamps the redirect with its own wall-clock time, whatever day the world is on.
    now = datetime.now(UTC)
    callback = validate_callback(params, info.client_secret, "s-123", now, expected_shop=info.shop)
    assert callback.shop == info.shop


async def test_code_grant_refresh_rotation_and_replay(
    http: httpx.AsyncClient, sandbox: SandboxRunner
) -> None:
    info = sandbox.info().shopify
    code = (await approved_redirect(http, sandbox, "s"))["code"]
    grant = await oauth.exchange_code(http, info.url, info.client_id, info.client_secret, code)
    assert grant.refresh_token and grant.expires_in == 3600
    now = sandbox.world.clock.now_dt()
    stored = grant.stored(now)
    assert stored.access_expires_at == now + timedelta(hours=1)
    assert await oauth.shop_name(http, info.url, grant.access_token)
    with pytest.raises(SignInError, match="already used"):
        await oauth.exchange_code(http, info.url, info.client_id, info.client_secret, code)

    new = await oauth.refresh(
        http, info.url, info.client_id, info.client_secret, grant.refresh_token
    )
    assert new.refresh_token and new.refresh_token != grant.refresh_token
    assert await oauth.shop_country(http, info.url, new.access_token) == "US"
    # Once the replacement is used, the old refresh token is retired.
    with pytest.raises(AuthExpiredError):
        await oauth.refresh(http, info.url, info.client_id, info.client_secret, grant.refresh_token)


async def test_non_expiring_grant_has_no_refresh_token(
    http: httpx.AsyncClient, sandbox: SandboxRunner
) -> None:
    info = sandbox.info().shopify
    code = (await approved_redirect(http, sandbox, "s"))["code"]
    grant = await oauth.exchange_code(
        http, info.url, info.client_id, info.client_secret, code, expiring=False
    )
    assert grant.refresh_token is None and grant.stored(NOW).access_expires_at is None


async def test_wrong_client_secret_is_a_clear_error(
    http: httpx.AsyncClient, sandbox: SandboxRunner
) -> None:
    info = sandbox.info().shopify
    with pytest.raises(SignInError, match="client ID or client secret"):
        await oauth.client_credentials(http, info.url, info.client_id, "shpss_wrong")


async def test_client_credentials_and_custom_app_token(
    http: httpx.AsyncClient, sandbox: SandboxRunner
) -> None:
    info = sandbox.info().shopify
    grant = await oauth.client_credentials(http, info.url, info.client_id, info.client_secret)
    assert grant.expires_in and grant.refresh_token is None
    # The sandbox's client-credentials tokens have the shpat_ shape of custom-app tokens.
    name = await oauth.validate_custom_app_token(http, info.url, f"  {grant.access_token}\n")
    assert name
    with pytest.raises(SignInError, match="did not accept"):
        await oauth.validate_custom_app_token(http, info.url, "shpat_" + "0" * 32)
    with pytest.raises(SignInError, match="starts with shpat_"):
        await oauth.validate_custom_app_token(http, info.url, "not-a-token")
