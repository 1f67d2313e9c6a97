"""The real world: deterministic from its seed, and reachable with the credentials it hands out."""

from __future__ import annotations

import hashlib
import hmac
import re
import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tiktok_console.sandbox.assembly import build_world
from tiktok_console.sandbox.runner import SandboxInfo, SandboxRunner, running_sandbox
from tiktok_console.sandbox.world import Credentials, WorldOptions

START = 1_760_000_000
FROZEN = {"clock_start": START, "clock_speed": 0.0}


def _options(**overrides: Any) -> WorldOptions:
    return WorldOptions(**{"seed": 3, "products": 10, "orders": 8, **FROZEN, **overrides})


def test_the_same_seed_gives_the_same_world() -> None:
    first, second = build_world(_options()), build_world(_options())
    assert first.snapshot() == second.snapshot()
    assert first.credentials == second.credentials
    first.advance(1800)
    second.advance(1800)
    assert first.snapshot() == second.snapshot()


def test_another_seed_gives_another_world() -> None:
    one, other = build_world(_options()), build_world(_options(seed=4))
    skus = [v["sku"] for v in one.snapshot()["shopify"]["variants"]]
    assert skus == [v.sku for _, v in one.catalog.variants()]
    assert one.snapshot()["tiktok"] != other.snapshot()["tiktok"]
    assert one.credentials != other.credentials


@settings(max_examples=30)
@given(seed=st.integers(0, 2**63))
def test_credentials_have_the_real_shapes(seed: int) -> None:
    creds = Credentials.from_seed(seed)
    assert re.fullmatch(r"[0-9a-f]{32}", creds.shopify_client_id)
    assert re.fullmatch(r"shpss_[0-9a-f]{32}", creds.shopify_client_secret)
    assert re.fullmatch(r"[0-9a-z]{13}", creds.tiktok_app_key)
    assert re.fullmatch(r"[0-9a-f]{40}", creds.tiktok_app_secret)
    assert re.fullmatch(r"7[0-9]{18}", creds.tiktok_service_id)
    assert Credentials.from_seed(seed) == creds


def test_the_options_shape_the_stores() -> None:
    world = build_world(_options(products=6, shopify_plan="plus", dev_store=True, tiktok_qps=9))
    shopify = world.snapshot()["shopify"]
    assert shopify["counts"]["products"] == 6
    assert (shopify["plan"], shopify["dev_store"]) == ("plus", True)
    assert world.limits() == {"tiktok_qps": 9, "shopify_plan": "plus"}


@pytest.fixture(scope="module")
def sandbox() -> Iterator[SandboxRunner]:
    # Real-speed clock: the TikTok gateway checks request timestamps against it.
    with running_sandbox(WorldOptions(seed=3, products=10, orders=5)) as runner:
        yield runner


@pytest.fixture(autouse=True)
def _no_faults(request: pytest.FixtureRequest) -> None:
    if "sandbox" in request.fixturenames:
        runner: SandboxRunner = request.getfixturevalue("sandbox")
        httpx.delete(runner.info().control_url + "/faults")


def _shopify_token(info: SandboxInfo) -> str:
    response = httpx.post(
        info.shopify.url + "/admin/oauth/access_token",
        json={
            "client_id": info.shopify.client_id,
            "client_secret": info.shopify.client_secret,
            "grant_type": "client_credentials",
        },
    )
    assert response.status_code == 200, response.text
    return str(response.json()["access_token"])


def _graphql(info: SandboxInfo, token: str, query: str) -> httpx.Response:
    url = f"{info.shopify.url}/admin/api/{info.shopify.api_version}/graphql.json"
    return httpx.post(url, json={"query": query}, headers={"X-Shopify-Access-Token": token})


def _tiktok_token(info: SandboxInfo) -> str:
    redirect = "http://127.0.0.1:9/callback"
    approved = httpx.post(
        f"{info.tiktok.authorize_url}&redirect_uri={redirect}&state=s1", data={"approve": "1"}
    )
    assert approved.status_code == 302
    code = parse_qs(urlsplit(approved.headers["location"]).query)["code"][0]
    token = httpx.get(
        info.tiktok.auth_url + "/api/v2/token/get",
        params={
            "app_key": info.tiktok.app_key,
            "app_secret": info.tiktok.app_secret,
            "auth_code": code,
            "grant_type": "authorized_code",
        },
    ).json()
    assert token["code"] == 0, token
    return str(token["data"]["access_token"])


def _signed_get(info: SandboxInfo, token: str, path: str) -> httpx.Response:
    query = {"app_key": info.tiktok.app_key, "timestamp": str(int(time.time()))}
    secret = info.tiktok.app_secret
    text = secret + path + "".join(f"{k}{query[k]}" for k in sorted(query)) + secret
    query["sign"] = hmac.new(secret.encode(), text.encode(), hashlib.sha256).hexdigest()
    return httpx.get(
        info.tiktok.api_url + path, params=query, headers={"x-tts-access-token": token}
    )


def test_the_shopify_credentials_in_the_info_work(sandbox: SandboxRunner) -> None:
    info = sandbox.info()
    body = _graphql(info, _shopify_token(info), "{ shop { myshopifyDomain } }").json()
    assert body["data"]["shop"]["myshopifyDomain"] == info.shopify.shop


def test_the_tiktok_credentials_in_the_info_work(sandbox: SandboxRunner) -> None:
    info = sandbox.info()
    response = _signed_get(info, _tiktok_token(info), "/authorization/202309/shops")
    assert response.status_code == 200, response.text
    shops = response.json()["data"]["shops"]
    assert [shop["region"] for shop in shops] == [info.tiktok.shop_region]


def test_control_faults_reach_the_real_stores(sandbox: SandboxRunner) -> None:
    info = sandbox.info()
    token = _shopify_token(info)
    body = {"shopify": {"error_rate": 1, "http_5xx": 1}}
    assert httpx.post(info.control_url + "/faults", json=body).status_code == 200
    assert _graphql(info, token, "{ shop { name } }").status_code == 503
    httpx.delete(info.control_url + "/faults")
    assert _graphql(info, token, "{ shop { name } }").status_code == 200


def test_advancing_the_clock_brings_new_tiktok_orders(sandbox: SandboxRunner) -> None:
    info = sandbox.info()
    before = httpx.get(info.control_url + "/state").json()
    advanced = httpx.post(info.control_url + "/clock/advance", params={"seconds": 1800}).json()
    after = httpx.get(info.control_url + "/state").json()
    assert advanced["now"] >= before["clock"]["now"] + 1800
    assert after["clock"]["now"] >= advanced["now"]
    counted_before = sum(before["tiktok"]["counts"]["orders_by_status"].values())
    counted_after = sum(after["tiktok"]["counts"]["orders_by_status"].values())
    # Two orders a minute on average: half an hour brings dozens.
    assert counted_after - counted_before >= 20


def test_a_new_plan_changes_both_the_rate_and_what_the_shop_reports(sandbox: SandboxRunner) -> None:
    info = sandbox.info()
    token = _shopify_token(info)
    query = "{ shop { plan { shopifyPlus } } }"
    assert _graphql(info, token, query).json()["data"]["shop"]["plan"]["shopifyPlus"] is False
    httpx.post(info.control_url + "/limits", json={"shopify_plan": "plus"})
    try:
        body = _graphql(info, token, query).json()
        assert body["data"]["shop"]["plan"]["shopifyPlus"] is True
        assert body["extensions"]["cost"]["throttleStatus"]["restoreRate"] == 1000
    finally:
        httpx.post(info.control_url + "/limits", json={"shopify_plan": "standard"})


def _order_count(info: SandboxInfo) -> int:
    state = httpx.get(info.control_url + "/state").json()
    return sum(state["tiktok"]["counts"]["orders_by_status"].values())


def test_a_livestream_bursts_tiktok_orders(sandbox: SandboxRunner) -> None:
    info = sandbox.info()
    switched = httpx.post(info.control_url + "/livestream", params={"on": "true"})
    assert switched.json() == {"livestream": True}
    try:
        before = _order_count(info)
        httpx.post(info.control_url + "/clock/advance", params={"seconds": 600})
        # Two a minute normally (about 20 in ten minutes); a livestream brings many more.
        assert _order_count(info) - before >= 150
    finally:
        httpx.post(info.control_url + "/livestream", params={"on": "false"})


def _signed(info: SandboxInfo, token: str, method: str, path: str, cipher: str) -> Any:
    query = {"app_key": info.tiktok.app_key, "timestamp": str(int(time.time()))}
    query |= {"shop_cipher": cipher, "page_size": "100"}
    body = b"{}" if method == "POST" else b""
    secret = info.tiktok.app_secret
    text = path + "".join(f"{k}{query[k]}" for k in sorted(query))
    message = secret.encode() + text.encode() + body + secret.encode()
    query["sign"] = hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()
    headers = {"x-tts-access-token": token, "content-type": "application/json"}
    return httpx.request(
        method, info.tiktok.api_url + path, params=query, content=body, headers=headers
    ).json()


def test_the_catalog_options_reach_the_tiktok_shop() -> None:
    options = WorldOptions(seed=3, products=10, unlisted_share=1.0, daily_listing_cap=0)
    with running_sandbox(options) as runner:
        info = runner.info()
        token = _tiktok_token(info)
        shops = _signed_get(info, token, "/authorization/202309/shops").json()
        cipher = shops["data"]["shops"][0]["cipher"]
        found = _signed(info, token, "POST", "/product/202502/products/search", cipher)
        skus = {s["seller_sku"] for p in found["data"]["products"] for s in p["skus"]}
        assert skus and all(s.startswith("TT-LIVE-") for s in skus)  # nothing from Shopify
        checks = _signed(info, token, "GET", "/product/202312/prerequisites", cipher)
        limit = next(
            c
            for c in checks["data"]["check_results"]
            if c["check_item"] == "PRODUCT_QUANTITY_LIMIT"
        )
        assert limit["is_failed"] is True
