"""Fixtures: a sandbox Shopify store served over real HTTP, with a frozen clock.

The clock runs at speed 0 so that only ``clock.advance`` moves time: token
expiry, search-index lag, the warehouse and the cost bucket's refill all happen
exactly when a test says so.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from tiktok_console.sandbox.catalog import generate_catalog
from tiktok_console.sandbox.clock import SandboxClock
from tiktok_console.sandbox.serving import BackgroundServers
from tiktok_console.sandbox.shopify.app import ShopifyAuthority, ShopifyLimits, create_app
from tiktok_console.sandbox.shopify.store import ShopifyStore

CLIENT_ID = "5f1b0c9e8d7a6b5c4d3e2f1a0b9c8d7e"
CLIENT_SECRET = "shpss_0123456789abcdef0123456789abcdef"
START = 1_767_225_600  # 2026-01-01T00:00:00Z


@dataclass
class Sandbox:
    url: str
    http: httpx.Client
    clock: SandboxClock
    store: ShopifyStore
    authority: ShopifyAuthority
    limits: ShopifyLimits
    token: str

    def gql(
        self,
        query: str,
        variables: dict[str, Any] | None = None,
        *,
        version: str = "2026-10",
        token: str | None = None,
    ) -> dict[str, Any]:
        response = self.post_gql(query, variables, version=version, token=token)
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body

    def post_gql(
        self,
        query: str,
        variables: dict[str, Any] | None = None,
        *,
        version: str = "2026-10",
        token: str | None = None,
    ) -> httpx.Response:
        return self.http.post(
            f"{self.url}/admin/api/{version}/graphql.json",
            json={"query": query, "variables": variables or {}},
            headers={"X-Shopify-Access-Token": token or self.token},
        )

    def data(self, query: str, variables: dict[str, Any] | None = None, **kw: Any) -> Any:
        body = self.gql(query, variables, **kw)
        assert "errors" not in body, body
        return body["data"]

    def tick(self, seconds: float) -> None:
        self.clock.advance(seconds)
        self.store.tick()


SandboxFactory = Callable[..., Sandbox]


@pytest.fixture
def make_sandbox() -> Iterator[SandboxFactory]:
    with ExitStack() as stack:

        def build(
            *,
            products: int = 12,
            seed: int = 7,
            plan: str = "standard",
            bucket_size: float | None = None,
            **store_options: Any,
        ) -> Sandbox:
            clock = SandboxClock(start=START, speed=0.0)
            store = ShopifyStore.from_catalog(
                generate_catalog(seed, products), clock, plan=plan, **store_options
            )
            store.web_sales_per_minute = 0.0
            authority = ShopifyAuthority(CLIENT_ID, CLIENT_SECRET, clock)
            limits = ShopifyLimits(plan, bucket_size=bucket_size)
            servers = stack.enter_context(
                BackgroundServers({"shopify": create_app(store, authority, limits)})
            )
            http = stack.enter_context(httpx.Client(timeout=10))
            url = servers.urls["shopify"]
            token = http.post(
                f"{url}/admin/oauth/access_token",
                json={
                    "client_id": CLIENT_ID,
                    "client_secret": CLIENT_SECRET,
                    "grant_type": "client_credentials",
                },
            ).json()["access_token"]
            return Sandbox(url, http, clock, store, authority, limits, token)

        yield build


@pytest.fixture
def sandbox(make_sandbox: SandboxFactory) -> Sandbox:
    return make_sandbox()
