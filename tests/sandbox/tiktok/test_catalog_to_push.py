"""The catalog to push: Shopify products not yet on TikTok, with the flaws a push meets.

Both stores are served from one catalog; a client reads every Shopify product
over GraphQL and every TikTok listing over the API, and calls a Shopify product
unlisted when (nearly) none of its SKUs is on TikTok, as a sync would.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import pytest

from tiktok_console.sandbox.catalog import generate_catalog
from tiktok_console.sandbox.clock import SandboxClock
from tiktok_console.sandbox.serving import BackgroundServers
from tiktok_console.sandbox.shopify.app import ShopifyAuthority, ShopifyLimits, create_app
from tiktok_console.sandbox.shopify.store import ShopifyStore
from tiktok_console.sandbox.tiktok import TikTokAuthority, TikTokLimits, TikTokShop, create_api_app

from .conftest import APP_KEY, APP_SECRET, SERVICE_ID, START, WALL, World

CLIENT_ID = "5f1b0c9e8d7a6b5c4d3e2f1a0b9c8d7e"
CLIENT_SECRET = "shpss_0123456789abcdef0123456789abcdef"
ENTITY = re.compile(r"&[a-zA-Z]+;|&#\d+;")
EMOJI = re.compile("[\U0001f000-\U0001faff\u2600-\u27bf]")
PRODUCTS = """
query All($after: String) {
  products(first: 8, after: $after) {
    pageInfo { hasNextPage endCursor }
    nodes {
      title
      images(first: 5) { nodes { width height } }
      variants(first: 12) {
        nodes { sku price inventoryItem { measurement { weight { value } } } }
      }
    }
  }
}
"""


@contextmanager
def _both_stores(seed: int, products: int, share: float) -> Iterator[tuple[World, list[Any]]]:
    clock = SandboxClock(start=START, speed=0.0)
    catalog = generate_catalog(seed, products, unlisted_share=share)
    shop = TikTokShop.from_catalog(catalog, clock, seed=seed, orders_per_minute=0.0)
    store = ShopifyStore.from_catalog(catalog, clock, plan="enterprise")
    authority = TikTokAuthority(APP_KEY, APP_SECRET, SERVICE_ID, clock)
    apps = {
        "api": create_api_app(
            shop, authority, TikTokLimits(qps=1_000_000), wall_clock=lambda: WALL
        ),
        "shopify": create_app(
            store, ShopifyAuthority(CLIENT_ID, CLIENT_SECRET, clock), ShopifyLimits("enterprise")
        ),
    }
    with BackgroundServers(apps) as servers, httpx.Client(timeout=10) as http:
        token = authority.issue_token().access_token
        world = World(clock, shop, authority, TikTokLimits(), servers.urls["api"], "", token, http)
        yield world, _shopify_products(http, servers.urls["shopify"])


def _shopify_products(http: httpx.Client, url: str) -> list[Any]:
    token = http.post(
        f"{url}/admin/oauth/access_token",
        json={
            "client_id": CLIENT_ID,
            "client_secret": CLIENT_SECRET,
            "grant_type": "client_credentials",
        },
    ).json()["access_token"]
    nodes: list[Any] = []
    after = None
    while True:
        body = http.post(
            f"{url}/admin/api/2026-10/graphql.json",
            json={"query": PRODUCTS, "variables": {"after": after}},
            headers={"X-Shopify-Access-Token": token},
        ).json()
        assert "data" in body, body
        page = body["data"]["products"]
        nodes += page["nodes"]
        if not page["pageInfo"]["hasNextPage"]:
            return nodes
        after = page["pageInfo"]["endCursor"]


def _tiktok_skus(world: World) -> set[str]:
    skus: set[str] = set()
    token = ""
    while True:
        query = {"page_size": "100"} | ({"page_token": token} if token else {})
        data = world.ok("POST", "/product/202502/products/search", query=query, body={})
        skus |= {s["seller_sku"] for p in data["products"] for s in p["skus"]}
        token = data["next_page_token"]
        if not token:
            return skus


def _unlisted(world: World, products: list[Any]) -> list[Any]:
    on_tiktok = _tiktok_skus(world)

    def listed(product: Any) -> bool:
        named = [v["sku"] for v in product["variants"]["nodes"] if v["sku"]]
        return sum(s in on_tiktok for s in named) * 2 > len(named)

    return [p for p in products if not listed(p)]


def _flaws(product: Any, shop_skus: Counter[str]) -> set[str]:
    """The flaws a push meets in ``product``; ``shop_skus`` counts every SKU of the store."""
    variants = product["variants"]["nodes"]
    skus = Counter(v["sku"] for v in variants)
    images = product["images"]["nodes"]
    checks = {
        "missing_weight": any(
            v["inventoryItem"]["measurement"]["weight"]["value"] == 0 for v in variants
        ),
        "blank_sku": skus[""] > 0,
        "duplicate_sku": any(shop_skus[sku] > 1 for sku in skus if sku),
        "title_too_long": len(product["title"]) > 255,
        "title_html_entity": bool(ENTITY.search(product["title"])),
        "title_emoji": bool(EMOJI.search(product["title"])),
        "no_image": not images,
        "small_image": any(min(i["width"], i["height"]) < 300 for i in images),
        "zero_price": any(float(v["price"]) == 0 for v in variants),
    }
    return {name for name, found in checks.items() if found}


ALL_FLAWS = {
    "missing_weight", "blank_sku", "duplicate_sku", "title_too_long", "title_html_entity",
    "title_emoji", "no_image", "small_image", "zero_price",
}  # fmt: skip


@pytest.mark.parametrize(("seed", "products"), [(7, 40), (3, 20), (11, 60)])
def test_unlisted_products_carry_every_flaw_and_some_are_ready(seed: int, products: int) -> None:
    with _both_stores(seed, products, 0.3) as (world, shopify):
        unlisted = _unlisted(world, shopify)
        assert 0.1 * products <= len(unlisted) <= 0.5 * products
        shop_skus = Counter(v["sku"] for p in shopify for v in p["variants"]["nodes"])
        flaws = [_flaws(p, shop_skus) for p in unlisted]
        assert set().union(*flaws) == ALL_FLAWS
        assert sum(1 for found in flaws if not found) >= 2  # ready to push as they are


@pytest.mark.parametrize(("share", "expected"), [(0.0, 0), (1.0, 12)])
def test_the_share_sets_how_many_are_unlisted(share: float, expected: int) -> None:
    with _both_stores(5, 12, share) as (world, shopify):
        assert len(_unlisted(world, shopify)) == expected


def test_a_larger_share_changes_only_the_products_it_unlists() -> None:
    """One draw decides listing whatever the share, and flaws go to unlisted products only,
    so a world's random stream does not move: every product listed in both worlds is the same."""
    with _both_stores(7, 40, 0.15) as (_, before):
        pass
    with _both_stores(7, 40, 0.3) as (world, after):
        unlisted = _unlisted(world, after)
    changed = [b for a, b in zip(before, after, strict=True) if a != b]
    assert changed and all(p in unlisted for p in changed)
