"""Seller authorization over HTTP: the authorize page, codes, tokens, refresh, expiry."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import httpx

from .conftest import APP_KEY, APP_SECRET, SERVICE_ID, World

REDIRECT = "http://127.0.0.1:53682/callback"


def _authorize(world: World, approve: str = "1", redirect: str = REDIRECT) -> dict[str, list[str]]:
    query = {"service_id": SERVICE_ID, "state": "xyz123", "redirect_uri": redirect}
    url = world.auth_url + "/open/authorize"
    page = httpx.get(url, params=query)
    assert page.status_code == 200
    assert world.shop.name.replace("&", "&amp;") in page.text
    action = re.search(r'action="([^"]+)"', page.text)
    assert action is not None
    response = httpx.post(action.group(1).replace("&amp;", "&"), data={"approve": approve})
    assert response.status_code == 302
    location = urlsplit(response.headers["location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == redirect
    return parse_qs(location.query)


def _get_token(world: World, code: str) -> dict:  # type: ignore[type-arg]
    query = {
        "app_key": APP_KEY,
        "app_secret": APP_SECRET,
        "auth_code": code,
        "grant_type": "authorized_code",
    }
    return httpx.get(world.auth_url + "/api/v2/token/get", params=query).json()  # type: ignore[no-any-return]


def test_approve_redirects_with_code_and_state_and_code_buys_a_token(world: World) -> None:
    params = _authorize(world)
    assert params["state"] == ["xyz123"]
    body = _get_token(world, params["code"][0])
    assert body["code"] == 0
    data = body["data"]
    now = world.clock.now_int()
    assert (
        data["access_token_expire_in"] == now + 7 * 86400
        or abs(data["access_token_expire_in"] - (now + 7 * 86400)) <= 2
    )
    assert data["refresh_token_expire_in"] > data["access_token_expire_in"]
    assert data["seller_base_region"] == "US" and data["user_type"] == 0
    assert {"open_id", "seller_name", "granted_scopes", "refresh_token"} <= set(data)
    world.token = data["access_token"]
    world.ok("GET", "/authorization/202309/shops", cipher=False)


def test_reject_redirects_with_auth_denied(world: World) -> None:
    params = _authorize(world, approve="0")
    assert params["code"] == ["null"] and params["error"] == ["auth_denied"]


def test_localhost_any_port_is_accepted_but_other_hosts_are_not(world: World) -> None:
    _authorize(world, redirect="http://localhost:9/cb")
    for bad in ("https://127.0.0.1:8000/cb", "http://example.com/cb", "http://10.0.0.1/cb"):
        query = {"service_id": SERVICE_ID, "state": "s", "redirect_uri": bad}
        assert httpx.get(world.auth_url + "/open/authorize", params=query).status_code == 400
    query = {"service_id": "wrong", "state": "s", "redirect_uri": REDIRECT}
    assert httpx.get(world.auth_url + "/open/authorize", params=query).status_code == 400


def test_code_is_single_use(world: World) -> None:
    code = _authorize(world)["code"][0]
    assert _get_token(world, code)["code"] == 0
    assert _get_token(world, code)["code"] == 36004005


def test_code_expires_after_30_minutes(world: World) -> None:
    code = _authorize(world)["code"][0]
    world.clock.advance(30 * 60 + 5)
    assert _get_token(world, code)["code"] == 36004005


def test_wrong_secret_is_refused(world: World) -> None:
    code = _authorize(world)["code"][0]
    query = {
        "app_key": APP_KEY,
        "app_secret": "nope",
        "auth_code": code,
        "grant_type": "authorized_code",
    }
    body = httpx.get(world.auth_url + "/api/v2/token/get", params=query).json()
    assert body["code"] == 36009004 and body["data"] is None


def test_expired_token_then_refresh(world: World) -> None:
    data = _get_token(world, _authorize(world)["code"][0])["data"]
    world.token = data["access_token"]
    world.shop.set_order_rate(0)
    world.clock.advance(7 * 86400 + 1)
    response = world.call("GET", "/authorization/202309/shops", cipher=False)
    assert response.json()["code"] == 105002
    query = {
        "app_key": APP_KEY,
        "app_secret": APP_SECRET,
        "refresh_token": data["refresh_token"],
        "grant_type": "refresh_token",
    }
    refreshed = httpx.get(world.auth_url + "/api/v2/token/refresh", params=query).json()
    assert refreshed["code"] == 0
    assert refreshed["data"]["refresh_token_expire_in"] == data["refresh_token_expire_in"]
    world.token = refreshed["data"]["access_token"]
    world.ok("GET", "/authorization/202309/shops", cipher=False)
    again = httpx.get(world.auth_url + "/api/v2/token/refresh", params=query).json()
    assert again["code"] == 36004005  # the old refresh token was rotated out
