"""Gateway checks every call goes through: timestamp, token, cipher, routes, rate limit."""

from __future__ import annotations

import pytest

from .conftest import WALL, World

SEARCH = "/order/202309/orders/search"


def _code(world: World, method: str, path: str, **kwargs: object) -> tuple[int, int]:
    response = world.call(method, path, **kwargs)  # type: ignore[arg-type]
    return response.status_code, response.json()["code"]


@pytest.mark.parametrize(
    ("offset", "accepted"), [(-300, True), (-301, False), (30, True), (31, False), (0, True)]
)
def test_timestamp_window(world: World, offset: int, accepted: bool) -> None:
    stamp = WALL + offset
    _status, code = _code(world, "POST", SEARCH, query={"page_size": "1"}, body={}, timestamp=stamp)
    assert (code == 0) is accepted
    if not accepted:
        assert code == 36009004


def test_window_follows_the_wall_clock_not_the_sandbox_clock(world: World) -> None:
    """Days of sandbox time later, a call signed with the real time still passes."""
    world.advance(3 * 86400 + 17)
    assert _code(world, "POST", SEARCH, query={"page_size": "1"}, body={})[1] == 0
    sandbox_now = world.clock.now_int()
    refused = _code(world, "POST", SEARCH, query={"page_size": "1"}, body={}, timestamp=sandbox_now)
    assert refused[1] == 36009004


def test_missing_sign(world: World) -> None:
    assert _code(world, "GET", "/logistics/202309/warehouses", sign="")[1] == 36009004


def test_token_missing_unknown(world: World) -> None:
    assert _code(world, "GET", "/logistics/202309/warehouses", token="")[1] == 36009004
    assert _code(world, "GET", "/logistics/202309/warehouses", token="TTP_forged")[1] == 101000


def test_token_expires_after_seven_days(world: World) -> None:
    world.ok("GET", "/logistics/202309/warehouses")
    world.clock.advance(7 * 86400)
    assert _code(world, "GET", "/logistics/202309/warehouses")[1] == 105002


def test_cipher_rules(world: World) -> None:
    assert _code(world, "GET", "/logistics/202309/warehouses", cipher=False)[1] == 106013
    assert _code(world, "GET", "/authorization/202309/shops")[1] == 36009004
    wrong = {"shop_cipher": "ROW_someoneelse"}
    assert _code(world, "GET", "/logistics/202309/warehouses", query=wrong)[1] == 101000


def test_route_errors(world: World) -> None:
    assert _code(world, "GET", "/order/202309/nothing_here")[1] == 36009009
    assert _code(world, "GET", SEARCH, query={"page_size": "1"})[1] == 36009010
    assert (
        _code(world, "POST", "/order/202201/orders/search", query={"page_size": "1"}, body={})[1]
        == 36009014
    )
    assert _code(world, "GET", "/order/202507/orders", query={"ids": "1"})[1] == 21008111


def test_rate_limit_then_recovery(world: World) -> None:
    world.limits.qps = 50  # TikTok's default; the clock is frozen, so no refill
    path = "/logistics/202309/warehouses"
    codes = [_code(world, "GET", path) for _ in range(51)]
    assert codes[:50] == [(200, 0)] * 50
    assert codes[50] == (429, 36009002)
    # another endpoint has its own bucket
    assert _code(world, "GET", "/authorization/202309/shops", cipher=False) == (200, 0)
    world.clock.advance(0.11)  # five and a half requests of refill
    assert [_code(world, "GET", path)[0] for _ in range(6)] == [200] * 5 + [429]
    world.limits.qps = 5  # mutable at run time
    world.clock.advance(1.0)
    assert [_code(world, "GET", path)[0] for _ in range(6)] == [200] * 5 + [429]


def test_body_must_be_json(world: World) -> None:
    assert _code(world, "POST", SEARCH, query={"page_size": "1"}, raw=b"{nope")[1] == 36009004


def test_page_size_is_required_and_bounded(world: World) -> None:
    assert _code(world, "POST", SEARCH, body={})[1] == 36009004
    assert _code(world, "POST", SEARCH, query={"page_size": "101"}, body={})[1] == 36009004
    assert _code(world, "POST", SEARCH, query={"page_size": "100"}, body={})[1] == 0
