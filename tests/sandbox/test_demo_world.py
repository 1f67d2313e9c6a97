"""What the demo's world shows within a few minutes, as an outside client sees it.

The world is built from the very options the app's demo mode starts the sandbox
with (``sandbox/demo.py``), served over HTTP, three minutes of sandbox time on:
products to push and products a push would be refused, a return awaiting the
seller, a cancellation request, and a settled statement with its payment.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import httpx
import pytest

from tests.sandbox.outside_client import OutsideClient
from tiktok_console.sandbox.demo import demo_world_options
from tiktok_console.sandbox.runner import running_sandbox

ENTITY = re.compile(r"&[a-zA-Z]+;|&#\d+;")
PRODUCTS = """
query All($after: String) {
  products(first: 10, after: $after) {
    pageInfo { hasNextPage endCursor }
    nodes {
      title
      images(first: 5) { nodes { width height } }
      variants(first: 20) { nodes { sku price } }
    }
  }
}
"""
PENDING_RETURNS = ["RETURN_OR_REFUND_REQUEST_PENDING", "REPLACEMENT_REQUEST_PENDING"]


@pytest.fixture(scope="module")
def demo() -> Iterator[tuple[OutsideClient, list[Any]]]:
    with running_sandbox(demo_world_options()) as runner:
        client = OutsideClient(runner.info().model_dump())
        client.advance(3 * 60)
        try:
            yield client, _shopify_products(client.http, client.info["shopify"])
        finally:
            client.close()


def _shopify_products(http: httpx.Client, shopify: dict[str, str]) -> list[Any]:
    token = http.post(
        f"{shopify['url']}/admin/oauth/access_token",
        json={
            "client_id": shopify["client_id"], "client_secret": shopify["client_secret"],
            "grant_type": "client_credentials",
        },
    ).json()["access_token"]  # fmt: skip
    url = f"{shopify['url']}/admin/api/{shopify['api_version']}/graphql.json"
    nodes: list[Any] = []
    after = None
    while True:
        body = http.post(
            url,
            json={"query": PRODUCTS, "variables": {"after": after}},
            headers={"X-Shopify-Access-Token": token},
        ).json()
        assert "data" in body, body
        page = body["data"]["products"]
        nodes += page["nodes"]
        if not page["pageInfo"]["hasNextPage"]:
            return nodes
        after = page["pageInfo"]["endCursor"]


def _unlisted(client: OutsideClient, products: list[Any]) -> list[Any]:
    listings = client.all("/product/202502/products/search", "products")
    on_tiktok = {s["seller_sku"] for p in listings for s in p["skus"]}
    return [
        p
        for p in products
        if not any(v["sku"] in on_tiktok for v in p["variants"]["nodes"] if v["sku"])
    ]


def _refused_as_is(product: Any, shop_skus: Counter[str]) -> bool:
    """A flaw TikTok refuses a new listing for, until the merchant fixes it."""
    variants = product["variants"]["nodes"]
    images = product["images"]["nodes"]
    return (
        not images
        or any(min(i["width"], i["height"]) < 300 for i in images)
        or any(not v["sku"] or shop_skus[v["sku"]] > 1 for v in variants)
        or any(Decimal(v["price"]) == 0 for v in variants)
        or len(product["title"]) > 255
        or bool(ENTITY.search(product["title"]))
    )


def test_the_demo_has_products_to_push_and_products_blocked(
    demo: tuple[OutsideClient, list[Any]],
) -> None:
    client, products = demo
    unlisted = _unlisted(client, products)
    shop_skus = Counter(v["sku"] for p in products for v in p["variants"]["nodes"])
    blocked = [p for p in unlisted if _refused_as_is(p, shop_skus)]
    assert blocked, "no product to push is blocked"
    assert len(blocked) < len(unlisted), "every product to push is blocked"


def test_the_demo_has_a_return_awaiting_the_seller_and_a_cancellation_request(
    demo: tuple[OutsideClient, list[Any]],
) -> None:
    client, _ = demo
    now = client.now()
    returns = client.all(
        "/return_refund/202602/returns/search", "return_orders", {"return_status": PENDING_RETURNS}
    )
    awaiting = [
        r
        for r in returns
        if any(now < a["deadline"] for a in r.get("seller_next_action_response", []))
    ]
    assert awaiting, "no return awaits the seller"
    cancels = client.all(
        "/return_refund/202602/cancellations/search",
        "cancellations",
        {"cancel_status": ["CANCELLATION_REQUEST_PENDING"]},
    )
    assert any(c["cancel_type"] == "BUYER_CANCEL" for c in cancels), cancels


def test_the_demo_has_a_settled_statement_with_its_payment(
    demo: tuple[OutsideClient, list[Any]],
) -> None:
    client, _ = demo
    statements = client.ok(
        "GET", "/finance/202309/statements", query={"sort_field": "statement_time"}
    )["statements"]
    paid = [s for s in statements if s["payment_status"] == "PAID"]
    assert paid, "no statement is paid"
    payments = client.ok("GET", "/finance/202605/payments", query={"sort_field": "create_time"})
    by_id = {p["id"]: p for p in payments["payments"]}
    for statement in paid:
        payment = by_id[statement["payment_id"]]
        assert payment["status"] == "PAID"
        assert Decimal(payment["settlement_amount"]["value"]) == Decimal(
            statement["settlement_amount"]
        )
