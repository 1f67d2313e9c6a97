"""The runner serves a world (here with stand-in stores) behind fault injection."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator

import httpx
import pytest

from tests.sandbox.standins import StandInShopify, standin_world
from tiktok_console.sandbox.runner import SandboxRunner, running_sandbox
from tiktok_console.sandbox.world import WorldOptions

SHOPIFY_KEYS = {"url", "shop", "client_id", "client_secret", "api_version"}
TIKTOK_KEYS = {
    "api_url", "auth_url", "authorize_url", "app_key", "app_secret", "service_id", "shop_region",
}  # fmt: skip


@pytest.fixture(scope="module")
def runner() -> Iterator[SandboxRunner]:
    with running_sandbox(world=standin_world()) as runner:
        yield runner


@pytest.fixture(autouse=True)
def _no_faults(request: pytest.FixtureRequest) -> None:
    if "runner" in request.fixturenames:
        runner: SandboxRunner = request.getfixturevalue("runner")
        httpx.delete(runner.info().control_url + "/faults")


def test_info_json_has_exactly_the_agreed_keys(runner: SandboxRunner) -> None:
    info = json.loads(runner.info().model_dump_json())
    assert set(info) == {"shopify", "tiktok", "control_url"}
    assert set(info["shopify"]) == SHOPIFY_KEYS
    assert set(info["tiktok"]) == TIKTOK_KEYS
    assert info["shopify"]["api_version"] == "2026-10"
    assert info["shopify"]["shop"] == "harbor-and-pine.myshopify.com"
    assert info["tiktok"]["shop_region"] == "US"
    tiktok = info["tiktok"]
    assert tiktok["authorize_url"] == (
        f"{tiktok['auth_url']}/open/authorize?service_id={tiktok['service_id']}"
    )


def test_every_url_answers(runner: SandboxRunner) -> None:
    info = runner.info()
    expected = {
        info.shopify.url: "shopify",
        info.tiktok.api_url: "tiktok_api",
        info.tiktok.auth_url: "tiktok_auth",
    }
    for url, app in expected.items():
        assert httpx.get(url + "/ping").json()["app"] == app
    assert httpx.get(info.control_url + "/state").status_code == 200


def test_store_apps_are_faulted_and_control_and_consent_pages_are_not(
    runner: SandboxRunner,
) -> None:
    info = runner.info()
    body = {"error_rate": 1, "http_429": 1}
    assert httpx.post(info.control_url + "/faults", json=body).status_code == 200
    shopify = httpx.get(info.shopify.url + "/admin/api/2026-10/graphql.json")
    assert shopify.status_code == 429 and shopify.headers["retry-after"] == "2.0"
    for url in (info.tiktok.api_url, info.tiktok.auth_url):
        response = httpx.get(url + "/api/v2/token/get")
        assert response.status_code == 429 and response.json()["code"] == 36009002
    assert httpx.get(info.tiktok.authorize_url).status_code == 200
    assert httpx.get(info.shopify.url + "/admin/oauth/authorize").status_code == 200
    assert httpx.get(info.control_url + "/state").status_code == 200
    assert runner.fault_middlewares["tiktok_api"].injected["http_429"] == 1


def test_the_ticker_keeps_the_world_moving() -> None:
    world = standin_world()
    with running_sandbox(world=world):
        # Real time here: the ticker runs every 0.25 s of wall-clock time.
        deadline = time.monotonic() + 5
        shopify = world.shopify
        assert isinstance(shopify, StandInShopify)
        while shopify.ticks < 3 and time.monotonic() < deadline:
            time.sleep(0.05)
    assert shopify.ticks >= 3


def test_stop_closes_every_port() -> None:
    runner = SandboxRunner(world=standin_world())
    info = runner.start()
    assert runner.start() == info  # starting twice serves once
    runner.stop()
    runner.stop()
    for url in (info.shopify.url, info.tiktok.api_url, info.tiktok.auth_url, info.control_url):
        with pytest.raises(httpx.ConnectError):
            httpx.get(url + "/ping", timeout=2)
    with pytest.raises(RuntimeError):
        runner.info()


def test_the_fault_rate_option_starts_both_stores_faulty() -> None:
    options = WorldOptions(fault_rate=1.0, clock_speed=0, clock_start=1_760_000_000, products=8)
    with running_sandbox(world=standin_world(options)) as runner:
        info = runner.info()
        assert httpx.get(info.control_url + "/faults").json()["tiktok"]["error_rate"] == 1.0
        with httpx.Client(timeout=0.5) as client:
            for url in (info.shopify.url, info.tiktok.api_url):
                try:
                    response = client.get(url + "/ping")
                except httpx.HTTPError:
                    continue  # a drop, a cut body or a timeout: all faults
                assert response.status_code >= 429 or not _is_json(response.content)


def test_faults_set_at_start_hit_only_their_store() -> None:
    options = WorldOptions(
        faults={"tiktok": {"error_rate": 1.0, "http_429": 1}},
        clock_speed=0,
        clock_start=1_760_000_000,
        products=8,
    )
    with running_sandbox(world=standin_world(options)) as runner:
        info = runner.info()
        faults = httpx.get(info.control_url + "/faults").json()
        assert (faults["tiktok"]["error_rate"], faults["shopify"]["error_rate"]) == (1.0, 0.0)
        with httpx.Client(timeout=5) as client:
            for _ in range(5):
                assert client.get(info.tiktok.api_url + "/ping").status_code == 429
                assert client.get(info.shopify.url + "/ping").status_code == 200


def _is_json(content: bytes) -> bool:
    try:
        json.loads(content)
    except ValueError:
        return False
    return True
