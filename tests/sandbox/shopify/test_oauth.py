"""OAuth over real HTTP: consent page, callback HMAC, code exchange, token kinds."""

from __future__ import annotations

import hashlib
import hmac
import re
import time
from urllib.parse import parse_qsl, quote, urlencode, urlsplit

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tiktok_console.sandbox.shopify.oauth import oauth_hmac

from .conftest import CLIENT_ID, CLIENT_SECRET, Sandbox, SandboxFactory

REDIRECT = "http://127.0.0.1:53682/callback"


def reference_hmac(params: dict[str, str], secret: str) -> str:
    """README B1: drop hmac, sort, key=value joined by &, JS encoding (%20), hex HMAC-SHA256."""
    pairs = sorted((k, v) for k, v in params.items() if k not in ("hmac", "signature"))
    # URLSearchParams leaves "*" alone and encodes "~"; quote() does the reverse.
    message = urlencode(pairs, quote_via=lambda text, *_: quote(text, safe="*").replace("~", "%7E"))
    return hmac.new(secret.encode(), message.encode(), hashlib.sha256).hexdigest()


def authorize_query(**overrides: str) -> dict[str, str]:
    query = {
        "client_id": CLIENT_ID,
        "scope": "read_products,write_inventory,write_orders",
        "redirect_uri": REDIRECT,
        "state": "a1b2c3d4e5f6",
        "grant_options[]": "",
    }
    query.update(overrides)
    return query


def approve(sb: Sandbox, **overrides: str) -> dict[str, str]:
    response = sb.http.post(
        f"{sb.url}/admin/oauth/authorize",
        params=authorize_query(**overrides),
        data={"approve": "1"},
    )
    assert response.status_code == 302, response.text
    location = response.headers["location"]
    assert location.startswith(overrides.get("redirect_uri", REDIRECT) + "?")
    return dict(parse_qsl(urlsplit(location).query, keep_blank_values=True))


def exchange(sb: Sandbox, code: str, **extra: str) -> httpx.Response:
    body = {"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET, "code": code, **extra}
    return sb.http.post(f"{sb.url}/admin/oauth/access_token", json=body)


@pytest.fixture
def padded(make_sandbox: SandboxFactory) -> Sandbox:
    # "admin.shopify.com/store/harbor-pine" is 35 bytes, so its base64 ends in "=".
    return make_sandbox(shop_domain="harbor-pine.myshopify.com")


def test_readme_hmac_vectors() -> None:
    params = {
        "code": "a94a110d86d2452eb3e2af4cfb8a3828",
        "shop": "some-shop.myshopify.com",
        "timestamp": "1337178173",
    }
    assert oauth_hmac(params, "hush") == (
        "2cb1a277650a659f1b11e92a4a64275b128e037f2c3390e3c8fd2d8721dac9e2"
    )
    classic = dict(params, code="0907a61c0c8d55e99db179b68161bc00")
    assert oauth_hmac(classic, "hush") == (
        "4712bf92ffc2917d15a2f5a273e39f0116667419aa4b6ac0b3baaf26fa3c4d20"
    )
    js = {
        "code": "some code goes here",
        "shop": "the shop URL",
        "state": "some nonce passed from auth",
        "timestamp": "1337178173",
    }
    assert oauth_hmac(js, "my super secret key") == (
        "fee67bbc10f73ee20d86cd233021bc15c17f88fb8e50a657c17a101dc335c173"
    )


@settings(max_examples=60, deadline=None)
@given(
    st.dictionaries(
        st.text("abcdefghijklmnopqrstuvwxyz_", min_size=1, max_size=8),
        st.text(min_size=0, max_size=20),
        max_size=5,
    )
)
def test_hmac_matches_the_js_rule_for_any_params(params: dict[str, str]) -> None:
    assert oauth_hmac(params, "secret") == reference_hmac(params, "secret")


def test_authorize_page_shows_shop_scopes_and_an_approve_form(sandbox: Sandbox) -> None:
    response = sandbox.http.get(f"{sandbox.url}/admin/oauth/authorize", params=authorize_query())
    assert response.status_code == 200
    page = response.text
    assert "Harbor &amp; Pine Goods" in page
    assert "write_inventory" in page
    form = re.search(r'<form method="post" action="([^"]+)"', page)
    assert form is not None and "client_id=" in form.group(1)
    assert 'name="approve" value="1"' in page


def test_approve_redirects_with_a_valid_hmac_and_padded_host(padded: Sandbox) -> None:
    params = approve(padded)
    assert set(params) == {"code", "hmac", "host", "shop", "state", "timestamp"}
    assert params["shop"] == "harbor-pine.myshopify.com"
    assert params["state"] == "a1b2c3d4e5f6"
    assert params["host"].endswith("=")
    assert params["hmac"] == reference_hmac(params, CLIENT_SECRET)
    assert params["hmac"] != reference_hmac(params, "wrong-secret")


def test_the_redirect_is_stamped_with_shopifys_wall_clock_not_the_sandbox_clock(
    sandbox: Sandbox,
) -> None:
    sandbox.tick(3 * 86400)
    before = time.time()
    stamp = int(approve(sandbox)["timestamp"])
    assert int(before) <= stamp <= time.time() + 1
    assert abs(stamp - sandbox.clock.now()) > 86400


def test_code_exchange_gives_an_offline_token_once(sandbox: Sandbox) -> None:
    code = approve(sandbox)["code"]
    first = exchange(sandbox, code)
    assert first.status_code == 200
    body = first.json()
    assert set(body) == {"access_token", "scope"}
    assert body["scope"] == "read_products,write_inventory,write_orders"
    assert sandbox.data("{ shop { name } }", token=body["access_token"])["shop"]["name"]
    again = exchange(sandbox, code)
    assert again.status_code == 400
    assert again.json()["error"] == "invalid_request"


def test_codes_expire_after_ten_minutes(sandbox: Sandbox) -> None:
    code = approve(sandbox)["code"]
    sandbox.clock.advance(601)
    assert exchange(sandbox, code).status_code == 400


def test_form_encoded_exchange_and_wrong_secret(sandbox: Sandbox) -> None:
    code = approve(sandbox)["code"]
    wrong = sandbox.http.post(
        f"{sandbox.url}/admin/oauth/access_token",
        data={"client_id": CLIENT_ID, "client_secret": "nope", "code": code},
    )
    assert wrong.status_code == 400 and wrong.json()["error"] == "invalid_client"
    right = sandbox.http.post(
        f"{sandbox.url}/admin/oauth/access_token",
        data={"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET, "code": code},
    )
    assert right.status_code == 200 and right.json()["access_token"].startswith("shpua_")


@pytest.mark.parametrize(
    "uri", ["https://example.com/cb", "http://10.0.0.5:8000/cb", "http://evil.test/127.0.0.1"]
)
def test_non_loopback_redirects_are_refused(sandbox: Sandbox, uri: str) -> None:
    response = sandbox.http.post(
        f"{sandbox.url}/admin/oauth/authorize",
        params=authorize_query(redirect_uri=uri),
        data={"approve": "1"},
    )
    assert response.status_code == 400
    assert "location" not in response.headers


def test_localhost_any_port_is_accepted(sandbox: Sandbox) -> None:
    params = approve(sandbox, redirect_uri="http://localhost:9/cb")
    assert params["code"]


def test_unknown_client_gets_an_error_page(sandbox: Sandbox) -> None:
    response = sandbox.http.get(
        f"{sandbox.url}/admin/oauth/authorize", params=authorize_query(client_id="nobody")
    )
    assert response.status_code == 400
    assert "Oauth error" in response.text


def test_expiring_tokens_expire_and_refresh_rotates(sandbox: Sandbox) -> None:
    body = exchange(sandbox, approve(sandbox)["code"], expiring="1").json()
    assert body["expires_in"] == 3600 and body["refresh_token_expires_in"] == 30 * 86400
    assert sandbox.post_gql("{ shop { name } }", token=body["access_token"]).status_code == 200
    sandbox.clock.advance(3601)
    expired = sandbox.post_gql("{ shop { name } }", token=body["access_token"])
    assert expired.status_code == 401
    refresh = {"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET}
    refresh |= {"grant_type": "refresh_token", "refresh_token": body["refresh_token"]}
    rotated = sandbox.http.post(f"{sandbox.url}/admin/oauth/access_token", json=refresh).json()
    assert rotated["refresh_token"] != body["refresh_token"]
    # The old refresh token still works until the new access token is used ...
    spare = sandbox.http.post(f"{sandbox.url}/admin/oauth/access_token", json=refresh)
    assert spare.status_code == 200
    assert sandbox.post_gql("{ shop { name } }", token=rotated["access_token"]).status_code == 200
    # ... and is retired once it is.
    late = sandbox.http.post(f"{sandbox.url}/admin/oauth/access_token", json=refresh)
    assert late.status_code == 400 and late.json()["error"] == "invalid_grant"


def test_client_credentials_tokens_expire_after_a_day(sandbox: Sandbox) -> None:
    body = sandbox.http.post(
        f"{sandbox.url}/admin/oauth/access_token",
        json={
            "client_id": CLIENT_ID,
            "client_secret": CLIENT_SECRET,
            "grant_type": "client_credentials",
        },
    ).json()
    assert body["expires_in"] == 86400 and body["scope"]
    assert sandbox.post_gql("{ shop { name } }", token=body["access_token"]).status_code == 200
    sandbox.clock.advance(86401)
    assert sandbox.post_gql("{ shop { name } }", token=body["access_token"]).status_code == 401


@pytest.mark.parametrize("token", ["", "shpat_00000000000000000000000000000000"])
def test_bad_tokens_get_shopifys_401(sandbox: Sandbox, token: str) -> None:
    response = sandbox.http.post(
        f"{sandbox.url}/admin/api/2026-10/graphql.json",
        json={"query": "{ shop { name } }"},
        headers={"X-Shopify-Access-Token": token} if token else {},
    )
    assert response.status_code == 401
    assert response.json() == {
        "errors": "[API] Invalid API key or access token (unrecognized login or wrong password)"
    }
