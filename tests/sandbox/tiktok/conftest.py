"""Fixtures for the TikTok sandbox tests: a served shop and a signing test client.

The tests sign requests with their own small implementation of README A3,
independent of the sandbox's verifier, so a bug in either one shows up.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from tiktok_console.sandbox.catalog import generate_catalog
from tiktok_console.sandbox.clock import SandboxClock
from tiktok_console.sandbox.serving import BackgroundServers
from tiktok_console.sandbox.tiktok import (
    TikTokAuthority,
    TikTokLimits,
    TikTokShop,
    create_api_app,
    create_auth_app,
)

APP_KEY = "6a1b2c3d4e5f6"
APP_SECRET = "0123456789abcdef0123456789abcdef"
SERVICE_ID = "7300000000000000001"
START = 1_750_000_000  # a fixed start keeps every world the same
# The gateway's wall clock, frozen apart from the sandbox clock: the timestamp window is
# checked against it (as TikTok checks against its own), whatever day the world is on.
WALL = 1_790_000_000


def tts_sign(secret: str, path: str, query: dict[str, str], body: bytes = b"") -> str:
    """README A3, written again for the tests."""
    params = {k: v for k, v in query.items() if k not in ("sign", "access_token")}
    text = path + "".join(f"{k}{params[k]}" for k in sorted(params))
    message = secret.encode() + text.encode() + body + secret.encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


@dataclass
class World:
    """A served shop plus the handles a test needs."""

    clock: SandboxClock
    shop: TikTokShop
    authority: TikTokAuthority
    limits: TikTokLimits
    api_url: str
    auth_url: str
    token: str
    http: httpx.Client

    def call(
        self,
        method: str,
        path: str,
        *,
        query: dict[str, str] | None = None,
        body: Any = None,
        cipher: bool = True,
        token: str | None = None,
        timestamp: int | None = None,
        sign: str | None = None,
        raw: bytes | None = None,
    ) -> httpx.Response:
        """A signed request; overrides let a test break exactly one thing."""
        # Signed with the wall clock, as a client does; the gateway checks it against its own.
        q = {"app_key": APP_KEY, "timestamp": str(timestamp or WALL)}
        if cipher:
            q["shop_cipher"] = self.shop.cipher
        q.update(query or {})
        data = raw if raw is not None else (b"" if body is None else json.dumps(body).encode())
        q["sign"] = sign if sign is not None else tts_sign(APP_SECRET, path, q, data)
        headers = {"x-tts-access-token": self.token if token is None else token}
        if data:
            headers["content-type"] = "application/json"
        return self.http.request(
            method, self.api_url + path, params=q, content=data, headers=headers
        )

    def advance(self, seconds: float) -> None:
        """Let time pass, then hold a fresh token as a refreshing client would."""
        self.clock.advance(seconds)
        self.token = self.authority.issue_token().access_token

    def ok(self, method: str, path: str, **kwargs: Any) -> Any:
        """Call and return ``data``, failing the test on any error envelope."""
        response = self.call(method, path, **kwargs)
        body = response.json()
        assert response.status_code == 200 and body["code"] == 0, body
        return body["data"]


# The share these tests' world was written for (before the catalog to push grew to 0.3).
LISTED_WORLD_UNLISTED_SHARE = 0.15


def make_world(
    unlisted_share: float = LISTED_WORLD_UNLISTED_SHARE, **shop_options: Any
) -> Iterator[World]:
    """Build, serve and tear down one world."""
    clock = SandboxClock(start=START, speed=0.0)  # time moves only when a test advances it
    catalog = generate_catalog(seed=7, products=40, unlisted_share=unlisted_share)
    shop = TikTokShop.from_catalog(catalog, clock, **shop_options)
    authority = TikTokAuthority(APP_KEY, APP_SECRET, SERVICE_ID, clock)
    # Frozen time never refills buckets: tests lift the limit unless they test it.
    limits = TikTokLimits(qps=1_000_000)
    apps = {
        "api": create_api_app(shop, authority, limits, wall_clock=lambda: WALL),
        "auth": create_auth_app(shop, authority),
    }
    with BackgroundServers(apps) as servers, httpx.Client(timeout=10) as http:
        token = authority.issue_token().access_token
        urls = servers.urls
        yield World(clock, shop, authority, limits, urls["api"], urls["auth"], token, http)


@pytest.fixture
def world() -> Iterator[World]:
    """A shop with 150 historical orders and a quiet arrival rate."""
    yield from make_world(initial_orders=150, orders_per_minute=0.5)


@pytest.fixture
def busy() -> Iterator[World]:
    """A shop with no history and a steady stream of new orders."""
    yield from make_world(initial_orders=0, orders_per_minute=6.0)
