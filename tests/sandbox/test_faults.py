"""Injected faults, as an httpx client sees them over real HTTP."""

from __future__ import annotations

import json
import random
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse
from starlette.routing import Route

from tiktok_console.sandbox.fault_bodies import StoreKind
from tiktok_console.sandbox.faults import FaultConfig, FaultKind, FaultMiddleware
from tiktok_console.sandbox.serving import BackgroundServers


@dataclass
class StandIn:
    """A tiny store: counts the requests it actually handled."""

    handled: Counter[str] = field(default_factory=Counter)

    def app(self) -> Starlette:
        async def echo(request: Request) -> JSONResponse:
            body = await request.body()
            self.handled[request.url.path] += 1
            payload = {
                "code": 0,
                "message": "Success",
                "data": {"echo": body.decode(), "pad": "x" * 400},
            }
            return JSONResponse(payload)

        async def consent(request: Request) -> HTMLResponse:
            return HTMLResponse("<form>Install app?</form>")

        return Starlette(
            routes=[
                Route("/api/echo", echo, methods=["GET", "POST"]),
                Route("/admin/oauth/authorize", consent),
            ]
        )


@dataclass
class Served:
    url: str
    config: FaultConfig
    middleware: FaultMiddleware
    store: StandIn


def _serve(store_kind: StoreKind, seed: int) -> tuple[BackgroundServers, Served]:
    stand_in = StandIn()
    config = FaultConfig()
    middleware = FaultMiddleware(stand_in.app(), config, random.Random(seed), store=store_kind)
    servers = BackgroundServers({"store": middleware})
    servers.start()
    return servers, Served(servers.urls["store"], config, middleware, stand_in)


@pytest.fixture(scope="module", params=["tiktok", "shopify"])
def served(request: pytest.FixtureRequest) -> Iterator[Served]:
    servers, served = _serve(request.param, seed=11)
    try:
        yield served
    finally:
        servers.stop()


@pytest.fixture(autouse=True)
def _reset(request: pytest.FixtureRequest) -> None:
    if "served" in request.fixturenames:
        served: Served = request.getfixturevalue("served")
        served.config.reset()
        served.middleware.rng.seed(11)
        served.middleware.injected.clear()
        served.store.handled.clear()


def classify(client: httpx.Client, url: str, body: str = "") -> str:
    """Name what the client saw: "ok" or the fault kind it looks like."""
    request = client.build_request("POST", url, content=body.encode())
    try:
        response = client.send(request, stream=True)
    except httpx.TimeoutException:
        return "timeout"
    except httpx.RemoteProtocolError:
        return "drop"  # no status line at all
    try:
        response.read()
    except httpx.RemoteProtocolError:
        return "truncated"  # status and headers came, the body did not
    except httpx.TimeoutException:
        return "timeout"
    if response.status_code == 429:
        return "http_429"
    if response.status_code >= 500:
        return "http_5xx"
    try:
        json.loads(response.content)
    except ValueError:
        return "malformed"
    return "ok"


def _observe(served: Served, count: int, timeout: float = 5.0) -> Counter[str]:
    with httpx.Client(timeout=timeout) as client:
        return Counter(classify(client, served.url + "/api/echo") for _ in range(count))


def test_no_faults_when_the_rate_is_zero(served: Served) -> None:
    served.config.update(http_5xx=1, drop=1, malformed=1)
    assert _observe(served, 120) == Counter({"ok": 120})
    assert served.store.handled["/api/echo"] == 120


@pytest.mark.parametrize(
    "kind",
    [
        FaultKind.HTTP_5XX,
        FaultKind.HTTP_429,
        FaultKind.DROP,
        FaultKind.MALFORMED,
        FaultKind.TRUNCATED,
    ],
)
def test_each_kind_is_seen_at_the_configured_rate(served: Served, kind: FaultKind) -> None:
    served.config.update(error_rate=0.3, **{kind.value: 1.0})
    seen = _observe(served, 300)
    assert set(seen) == {"ok", kind.value}
    # 300 draws at p=0.3: mean 90, sd ~8; the seed makes this exact, the band keeps it honest.
    assert 60 <= seen[kind.value] <= 120
    assert served.middleware.injected[kind.value] == seen[kind.value]


def test_timeouts_hold_longer_than_the_client_waits(served: Served) -> None:
    served.config.update(error_rate=0.5, timeout=1.0, timeout_seconds=2.0)
    seen = _observe(served, 30, timeout=0.15)
    assert set(seen) == {"ok", "timeout"}
    assert 6 <= seen["timeout"] <= 24


def test_a_patient_client_gets_a_gateway_timeout(served: Served) -> None:
    served.config.update(error_rate=1.0, timeout=1.0, timeout_seconds=0.2, processed_share=0.0)
    started = time.monotonic()
    response = httpx.post(served.url + "/api/echo", timeout=5)
    assert time.monotonic() - started >= 0.2
    assert response.status_code == 504
    assert served.store.handled["/api/echo"] == 0


def test_a_processed_timeout_did_the_work_and_answers_late(served: Served) -> None:
    served.config.update(error_rate=1.0, timeout=1.0, timeout_seconds=0.2, processed_share=1.0)
    response = httpx.post(served.url + "/api/echo", content=b"late", timeout=5)
    assert response.status_code == 200
    assert response.json()["data"]["echo"] == "late"
    assert served.store.handled["/api/echo"] == 1


@pytest.mark.parametrize("processed_share", [0.0, 1.0])
def test_a_dropped_request_may_or_may_not_have_been_processed(
    served: Served, processed_share: float
) -> None:
    served.config.update(error_rate=1.0, drop=1.0, processed_share=processed_share)
    assert _observe(served, 5) == Counter({"drop": 5})
    assert served.store.handled["/api/echo"] == (5 if processed_share else 0)


def test_throttling_speaks_the_store_dialect(served: Served) -> None:
    served.config.update(error_rate=1.0, http_429=1.0)
    response = httpx.get(served.url + "/api/echo")
    assert response.status_code == 429
    if served.middleware.store == "tiktok":
        body = response.json()
        assert body["code"] == 36009002
        assert body["data"] is None
        assert len(body["request_id"]) == 34
    else:
        assert response.headers["retry-after"] == "2.0"
        assert response.json() == {
            "errors": "Exceeded 2 calls per second for api client. Reduce request rates to "
            "resume uninterrupted service."
        }


def test_server_errors_speak_the_store_dialect(served: Served) -> None:
    served.config.update(error_rate=1.0, http_5xx=1.0)
    response = httpx.get(served.url + "/api/echo")
    if served.middleware.store == "tiktok":
        assert response.status_code == 500
        assert response.json()["code"] == 36009003
    else:
        assert response.status_code == 503
        assert "retry-after" in response.headers
        assert isinstance(response.json()["errors"], str)


def test_consent_pages_are_left_alone_unless_asked(served: Served) -> None:
    served.config.update(error_rate=1.0, http_5xx=1.0)
    assert httpx.get(served.url + "/admin/oauth/authorize").status_code == 200
    served.config.update(fault_consent_pages=True)
    assert httpx.get(served.url + "/admin/oauth/authorize").status_code >= 500


def test_latency_is_added_to_each_request(served: Served) -> None:
    served.config.update(latency_ms=150)
    started = time.monotonic()
    with httpx.Client() as client:
        for _ in range(3):
            assert client.get(served.url + "/api/echo").status_code == 200
    assert time.monotonic() - started >= 0.45


def test_the_same_seed_injects_the_same_faults() -> None:
    def run() -> list[str]:
        servers, served = _serve("tiktok", seed=5)
        served.config.update(error_rate=0.4, http_5xx=1, http_429=1, malformed=1, drop=1)
        try:
            with httpx.Client(timeout=5) as client:
                return [classify(client, served.url + "/api/echo") for _ in range(60)]
        finally:
            servers.stop()

    first = run()
    assert first == run()
    assert len(set(first)) >= 4


@given(
    rate=st.floats(0, 1),
    weights=st.lists(st.sampled_from([0.0, 0.5, 2.0]), min_size=6, max_size=6),
    seed=st.integers(0, 2**32),
)
def test_draw_only_picks_kinds_that_have_a_share(
    rate: float, weights: list[float], seed: int
) -> None:
    config = FaultConfig(
        error_rate=rate, **dict(zip([k.value for k in FaultKind], weights, strict=True))
    )
    rng = random.Random(seed)
    allowed = {k for k, w in config.shares().items() if w > 0}
    drawn = [config.draw(rng) for _ in range(50)]
    assert all(kind is None or kind in allowed for kind in drawn)
    if rate == 0:
        assert drawn == [None] * 50
    if rate == 1:
        assert None not in drawn
    assert abs(sum(config.expected_rate(k) for k in FaultKind) - rate) < 1e-9
