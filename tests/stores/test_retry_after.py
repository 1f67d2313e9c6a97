"""``Retry-After`` read one way by every transport: seconds or an HTTP date, and never a
wait longer than ten minutes (issue 14, item 6).

The stores here are stand-ins that answer 429 with whatever header a test picks (the
sandbox always sends a sane one); the clients are the real ones.
"""

from __future__ import annotations

import math
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tiktok_console.stores.errors import RateLimitedError
from tiktok_console.stores.oauth.http import request_json
from tiktok_console.stores.refreshing_token import RefreshingToken, TokenGrant
from tiktok_console.stores.retry import RetryPolicy
from tiktok_console.stores.retry_after import MAX_RETRY_AFTER, parse_retry_after
from tiktok_console.stores.shopify.replies import Shop
from tiktok_console.stores.shopify.transport import ShopifyApiConfig, ShopifyTransport
from tiktok_console.stores.tiktok.transport import TikTokApiConfig, TikTokTransport

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


@given(st.floats(allow_nan=True, allow_infinity=True))
def test_seconds_of_any_size_are_bounded(seconds: float) -> None:
    wait = parse_retry_after(repr(seconds), NOW)
    assert 0.0 <= wait <= MAX_RETRY_AFTER
    if 0 <= seconds <= MAX_RETRY_AFTER:
        assert wait == pytest.approx(seconds)


@given(st.integers(min_value=-(10**6), max_value=10**8))
def test_an_http_date_is_read_as_the_wait_until_then(offset: int) -> None:
    when = NOW + timedelta(seconds=offset)
    wait = parse_retry_after(format_datetime(when, usegmt=True), NOW)
    assert wait == pytest.approx(min(max(offset, 0), MAX_RETRY_AFTER))


@given(st.text(max_size=40))
def test_any_header_text_gives_a_finite_bounded_wait(value: str) -> None:
    wait = parse_retry_after(value, NOW)
    assert math.isfinite(wait) and 0.0 <= wait <= MAX_RETRY_AFTER


_NEXT_YEAR = format_datetime(datetime.now(UTC) + timedelta(days=400), usegmt=True)
_IN_A_MINUTE = "in 90 s"  # made into an HTTP date when the test runs
# The header, and the wait it must give (None: the transport's own default).
HEADERS: list[tuple[str, tuple[float, float] | None]] = [
    ("1e9", (600, 600)),
    ("inf", (600, 600)),
    ("nan", None),
    ("-5", (0, 0)),
    (_NEXT_YEAR, (600, 600)),
    (_IN_A_MINUTE, (60, 91)),  # the date form, which used to raise ValueError
    ("Wed, 21 Oct 2015 07:28:00 GMT", (0, 0)),
    ("soon", None),
]


def _http(retry_after: str, body: dict[str, object]) -> httpx.AsyncClient:
    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(429, json=body, headers={"Retry-After": retry_after})

    return httpx.AsyncClient(transport=httpx.MockTransport(answer))


def _token() -> RefreshingToken:
    async def refresh(grant: TokenGrant) -> TokenGrant:
        return grant

    return RefreshingToken(TokenGrant("token-value", None), refresh, persist=lambda g: None)


async def _shopify(retry_after: str) -> Awaitable[object]:
    config = ShopifyApiConfig(base_url="https://x.myshopify.com", retry=RetryPolicy(attempts=1))
    transport = ShopifyTransport(config, _token(), http=_http(retry_after, {"errors": "x"}))
    return transport.execute(Shop)


async def _tiktok(retry_after: str) -> Awaitable[object]:
    config = TikTokApiConfig(app_key="k", retry=RetryPolicy(attempts=1))
    body = {"code": 36009003, "message": "too many", "request_id": "r"}
    transport = TikTokTransport(config, "app-secret", _token(), http=_http(retry_after, body))
    return transport.call("GET", "/authorization/202309/shops", shop_scoped=False)


async def _oauth(retry_after: str) -> Awaitable[object]:
    http = _http(retry_after, {})
    return request_json(http, "tiktok", "GET", "https://auth.tiktok-shops.com/api/v2/token/get")


CALLS: dict[str, Callable[[str], Awaitable[Awaitable[object]]]] = {
    "shopify": _shopify,
    "tiktok": _tiktok,
    "oauth": _oauth,
}


@pytest.mark.parametrize(
    ("header", "expected"), HEADERS, ids=[f"header{n}" for n in range(len(HEADERS))]
)
@pytest.mark.parametrize("client", sorted(CALLS))
async def test_every_transport_bounds_the_wait_and_reads_dates(
    client: str, header: str, expected: tuple[float, float] | None
) -> None:
    if header == _IN_A_MINUTE:
        header = format_datetime(datetime.now(UTC) + timedelta(seconds=90), usegmt=True)
    call = await CALLS[client](header)
    with pytest.raises(RateLimitedError) as caught:
        await call
    low, high = expected or (1.0, 2.0)
    assert low <= caught.value.retry_after <= high
