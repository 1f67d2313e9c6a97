"""Every sizeable world shows the Shopify catalog flaws the sync must cope with.

A merchant's real catalog has products TikTok will not take as they are: no
weight, blank or shared SKUs, titles over TikTok's limit, descriptions with
HTML TikTok rejects. Whatever the seed, a world of five or more products has
each of them, read here through the Admin GraphQL API as the sync reads them.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

import pytest

from .conftest import SandboxFactory

TIKTOK_TITLE_MAX = 255  # tiktok-endpoints.md: US titles are [1, 255] characters
REJECTED_HTML = re.compile(r"<(script|iframe|table)\b|\sstyle=", re.IGNORECASE)

PRODUCTS_QUERY = """
query Flaws($after: String) {
  products(first: 10, after: $after) {
    pageInfo { hasNextPage endCursor }
    nodes {
      title descriptionHtml
      variants(first: 12) {
        nodes { sku inventoryItem { measurement { weight { unit value } } } }
      }
    }
  }
}
"""


def _all_products(make: SandboxFactory, seed: int, products: int) -> list[dict[str, Any]]:
    sandbox = make(seed=seed, products=products, plan="plus")
    nodes: list[dict[str, Any]] = []
    after = None
    while True:
        page = sandbox.data(PRODUCTS_QUERY, {"after": after})["products"]
        nodes += page["nodes"]
        if not page["pageInfo"]["hasNextPage"]:
            return nodes
        after = page["pageInfo"]["endCursor"]


@pytest.mark.parametrize(("seed", "products"), [(2, 5), (5, 6), (17, 8), (44, 12), (7, 40)])
def test_every_flaw_is_in_the_store(make_sandbox: SandboxFactory, seed: int, products: int) -> None:
    nodes = _all_products(make_sandbox, seed, products)
    assert len(nodes) == products
    variants = [v for p in nodes for v in p["variants"]["nodes"]]
    skus = Counter(v["sku"] for v in variants)

    assert any(v["inventoryItem"]["measurement"]["weight"]["value"] == 0 for v in variants)
    assert skus[""] >= 1
    assert any(count >= 2 for sku, count in skus.items() if sku)
    assert any(len(p["title"]) > TIKTOK_TITLE_MAX for p in nodes)
    assert any(REJECTED_HTML.search(p["descriptionHtml"]) for p in nodes)
