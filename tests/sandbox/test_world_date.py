"""Every store reply is dated on the world's clock, as a real store dates its replies on
its own: a client learns how long a token has left from the token reply's Date."""

from __future__ import annotations

from collections.abc import Iterator
from email.utils import parsedate_to_datetime

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.sandbox.outside_client import OutsideClient
from tiktok_console.sandbox.runner import SandboxRunner, running_sandbox
from tiktok_console.sandbox.world import WorldOptions

START = 1_770_000_000


@pytest.fixture(scope="module")
def runner() -> Iterator[SandboxRunner]:
    with running_sandbox(
        WorldOptions(seed=3, products=5, orders=0, orders_per_minute=0, clock_start=START)
    ) as running:
        yield running


def _dated(response: httpx.Response) -> float:
    dates = response.headers.get_list("date")
    assert len(dates) == 1, dates  # the world's, not the server's as well
    return parsedate_to_datetime(dates[0]).timestamp()


@settings(max_examples=10, deadline=None)
@given(days=st.integers(min_value=0, max_value=20))
def test_replies_carry_the_worlds_time(runner: SandboxRunner, days: int) -> None:
    client = OutsideClient(runner.info().model_dump())
    try:
        client.advance(days * 86400)
        now = client.now()
        shopify = runner.info().shopify
        tiktok = runner.info().tiktok
        replies = [
            client.http.get(f"{tiktok.auth_url}/api/v2/token/get", params={"app_key": "x"}),
            client.http.get(f"{tiktok.api_url}/authorization/202309/shops"),
            client.http.post(f"{shopify.url}/admin/oauth/access_token", json={}),
        ]
        for reply in replies:
            assert abs(_dated(reply) - now) <= 2, reply.request.url
    finally:
        client.close()
