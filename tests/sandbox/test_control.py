"""The control app over real HTTP, steering a world of stand-in stores."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.sandbox.standins import StandInShopify, StandInTikTok, standin_world
from tiktok_console.sandbox.control import create_control_app
from tiktok_console.sandbox.serving import BackgroundServers
from tiktok_console.sandbox.world import World


@dataclass
class Control:
    world: World
    client: httpx.Client


@pytest.fixture
def control() -> Iterator[Control]:
    world = standin_world()
    with (
        BackgroundServers({"control": create_control_app(world)}) as servers,
        httpx.Client(base_url=servers.urls["control"], timeout=10) as client,
    ):
        yield Control(world, client)


def test_state_is_the_world_snapshot(control: Control) -> None:
    state = control.client.get("/state").json()
    assert set(state) == {"clock", "shopify", "tiktok"}
    assert state["clock"]["now"] == 1_760_000_000
    assert state["clock"]["iso"] == "2025-10-09T08:53:20Z"
    assert state["tiktok"] == {"orders": 0, "livestream": False}


def test_advancing_the_clock_ticks_the_world_and_orders_appear(control: Control) -> None:
    response = control.client.post("/clock/advance", params={"seconds": 3600})
    assert response.status_code == 200
    assert response.json()["now"] == 1_760_003_600
    state = control.client.get("/state").json()
    assert state["clock"]["now"] == 1_760_003_600
    assert state["tiktok"]["orders"] == 60
    shopify = control.world.shopify
    assert isinstance(shopify, StandInShopify) and shopify.ticks == 1


@pytest.mark.parametrize("seconds", ["-5", "soon", "nan", "inf", "1e12", None])
def test_a_bad_advance_is_refused_and_time_stands(control: Control, seconds: str | None) -> None:
    params = {} if seconds is None else {"seconds": seconds}
    response = control.client.post("/clock/advance", params=params)
    assert response.status_code == 422
    assert "seconds" in response.json()["error"]
    assert control.world.clock.now() == 1_760_000_000


def test_the_clock_moves_up_to_sixty_days_in_one_request(control: Control) -> None:
    sixty_days = 60 * 86400
    too_far = control.client.post("/clock/advance", params={"seconds": sixty_days + 1})
    assert too_far.status_code == 422 and "seconds" in too_far.json()["error"]
    response = control.client.post("/clock/advance", params={"seconds": sixty_days})
    assert response.status_code == 200
    assert response.json()["now"] == 1_760_000_000 + sixty_days


def test_flat_fault_knobs_apply_to_both_stores(control: Control) -> None:
    response = control.client.post("/faults", json={"error_rate": 0.2, "http_429": 1})
    assert response.status_code == 200
    for store in ("shopify", "tiktok"):
        assert response.json()[store]["error_rate"] == 0.2
        assert control.world.faults[store].error_rate == 0.2
        assert control.world.faults[store].http_429 == 1


def test_per_store_fault_knobs_apply_to_that_store_only(control: Control) -> None:
    body = {"tiktok": {"drop": 1, "error_rate": 0.5}, "shopify": {"latency_ms": 40}}
    assert control.client.post("/faults", json=body).status_code == 200
    faults = control.world.faults
    assert (faults["tiktok"].error_rate, faults["tiktok"].drop) == (0.5, 1)
    assert faults["tiktok"].latency_ms == 0
    assert (faults["shopify"].error_rate, faults["shopify"].latency_ms) == (0, 40)
    # A partial update keeps the other knobs.
    control.client.post("/faults", json={"tiktok": {"error_rate": 0.1}})
    assert (faults["tiktok"].error_rate, faults["tiktok"].drop) == (0.1, 1)


def test_faults_can_be_read_and_reset(control: Control) -> None:
    control.client.post("/faults", json={"error_rate": 0.9, "malformed": 1})
    assert control.client.get("/faults").json()["tiktok"]["error_rate"] == 0.9
    assert control.client.delete("/faults").json()["tiktok"]["error_rate"] == 0
    assert control.world.faults["shopify"].malformed == 0


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        ({"error_rate": 1.5}, "error_rate"),
        ({"eror_rate": 0.1}, "eror_rate"),
        ({"tiktok": {"drop": -1}}, "tiktok.drop"),
        ({"tiktok": {"timeout_seconds": 10_000}}, "timeout_seconds"),
        ({"shopify": {"fault_consent_pages": "maybe"}}, "fault_consent_pages"),
        ({"tiktok": {"drop": 1}, "error_rate": 0.1}, "error_rate"),
        ([0.1], "JSON object"),
    ],
)
def test_a_bad_faults_body_is_a_clear_422_and_changes_nothing(
    control: Control, body: object, fragment: str
) -> None:
    response = control.client.post("/faults", json=body)
    assert response.status_code == 422
    assert fragment in response.json()["error"]
    assert control.world.faults["tiktok"].drop == 0
    assert control.world.faults["shopify"].error_rate == 0


def test_a_body_that_is_not_json_is_a_422(control: Control) -> None:
    response = control.client.post("/faults", content=b"{error_rate: 1")
    assert response.status_code == 422
    assert response.json()["error"] == "the body is not valid JSON"


def test_livestream_switches_the_tiktok_shop(control: Control) -> None:
    assert control.client.post("/livestream", params={"on": "true"}).json() == {"livestream": True}
    tiktok = control.world.tiktok
    assert isinstance(tiktok, StandInTikTok) and tiktok.livestream
    control.client.post("/livestream", params={"on": "false"})
    assert tiktok.changes == [True, False]
    assert control.client.post("/livestream", params={"on": "yes please"}).status_code == 422


def test_the_order_rate_changes_the_tiktok_shops_arrivals(control: Control) -> None:
    response = control.client.post("/orders/rate", params={"per_minute": "600"})
    assert response.json() == {"orders_per_minute": 600}
    control.client.post("/orders/rate", params={"per_minute": "0"})
    tiktok = control.world.tiktok
    assert isinstance(tiktok, StandInTikTok) and tiktok.rates == [600, 0]


@pytest.mark.parametrize("per_minute", ["-1", "lots", "nan", "inf", "10001", None])
def test_a_bad_order_rate_is_refused_and_changes_nothing(
    control: Control, per_minute: str | None
) -> None:
    params = {} if per_minute is None else {"per_minute": per_minute}
    response = control.client.post("/orders/rate", params=params)
    assert response.status_code == 422
    assert "per_minute" in response.json()["error"]
    tiktok = control.world.tiktok
    assert isinstance(tiktok, StandInTikTok) and tiktok.rates == []


def test_a_promotion_starts_and_ends_on_a_listing(control: Control) -> None:
    started = control.client.post(
        "/tiktok/products/promotion", params={"product_id": "17001", "on": "true"}
    )
    assert started.json() == {"product_id": "17001", "in_promotion": True}
    control.client.post("/tiktok/products/promotion", params={"product_id": "17001", "on": "0"})
    unknown = control.client.post(
        "/tiktok/products/promotion", params={"product_id": "unknown", "on": "1"}
    )
    assert unknown.status_code == 404
    tiktok = control.world.tiktok
    assert isinstance(tiktok, StandInTikTok)
    assert tiktok.promotions == [("17001", True), ("17001", False), ("unknown", True)]


def test_limits_change_the_live_rate_limits(control: Control) -> None:
    response = control.client.post("/limits", json={"tiktok_qps": 5, "shopify_plan": "plus"})
    assert response.json() == {"tiktok_qps": 5, "shopify_plan": "plus"}
    assert control.world.tiktok_limits.qps == 5
    assert control.world.shopify_limits.plan == "plus"
    assert control.world.shopify.plan == "plus"
    assert control.client.get("/limits").json()["shopify_plan"] == "plus"
    refused = control.client.post("/limits", json={"shopify_plan": "platinum"})
    assert refused.status_code == 422
    assert "shopify_plan" in refused.json()["error"]


@pytest.fixture(scope="module")
def shared_control() -> Iterator[Control]:
    world = standin_world()
    with (
        BackgroundServers({"control": create_control_app(world)}) as servers,
        httpx.Client(base_url=servers.urls["control"], timeout=10) as client,
    ):
        yield Control(world, client)


@settings(max_examples=25, deadline=None)
@given(steps=st.lists(st.integers(0, 7200), min_size=1, max_size=5))
def test_the_clock_lands_exactly_where_the_advances_add_up(
    shared_control: Control, steps: list[int]
) -> None:
    client = shared_control.client
    before = client.get("/state").json()["clock"]["now"]
    for step in steps:
        client.post("/clock/advance", params={"seconds": step})
    state = client.get("/state").json()
    assert state["clock"]["now"] == before + sum(steps)
    assert state["tiktok"]["orders"] == (state["clock"]["now"] - 1_760_000_000) // 60
