"""Every order the TikTok sandbox serves becomes facts, and an order Shopify accepts.

Orders are fetched over real HTTP with the app's ``TikTokShopApi``; their
``orderCreate`` variables are validated on the sandbox and real schemas, and
the eligible ones are created on the sandbox Shopify with SKUs matched by
``sku_matching`` against its variants: Shopify's total must be TikTok's.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.domain.test_order_mapping import assert_accepted
from tests.stores.tiktok_api.conftest import transport_for
from tiktok_console.domain.order_mapping import (
    PLACEHOLDER_EMAIL,
    UnmappedSkuError,
    build_order_create,
)
from tiktok_console.domain.orders import TikTokOrderFacts, is_eligible, order_total, unmapped_skus
from tiktok_console.domain.sku_matching import SkuMatcher, sku_index
from tiktok_console.sandbox.runner import SandboxInfo, SandboxRunner, running_sandbox
from tiktok_console.sandbox.world import WorldOptions
from tiktok_console.stores.tiktok.api import TikTokShopApi
from tiktok_console.stores.tiktok.models.common import Address
from tiktok_console.stores.tiktok.models.orders import Order, OrderList
from tiktok_console.sync.orders.facts import city_and_province, facts_from_order, recipient_facts

OPTIONS = WorldOptions(
    seed=21, products=20, orders=200, orders_per_minute=0, clock_start=1_770_000_000.0
)


@dataclass(frozen=True)
class Fetched:
    sandbox: SandboxRunner
    shop_name: str
    orders: list[Order]
    facts: list[TikTokOrderFacts]


async def _fetch(sandbox: SandboxRunner) -> tuple[str, list[Order]]:
    api = TikTokShopApi(transport_for(sandbox))
    try:
        shop = await api.use_first_shop()
        return shop.name, [order async for order in api.search_orders(page_size=100)]
    finally:
        await api.transport.aclose()


@pytest.fixture(scope="module")
def fetched() -> Iterator[Fetched]:
    with running_sandbox(OPTIONS) as sandbox:
        name, orders = asyncio.run(_fetch(sandbox))
        yield Fetched(sandbox, name, orders, [facts_from_order(o, name) for o in orders])


def fake_mapping(facts: TikTokOrderFacts) -> dict[str, str]:
    return {li.sku_id: f"gid://shopify/ProductVariant/{li.sku_id}" for li in facts.lines}


def test_every_served_order_converts(fetched: Fetched) -> None:
    assert len(fetched.orders) == OPTIONS.orders
    for order, facts in zip(fetched.orders, fetched.facts, strict=True):
        assert facts.order_id == order.id and facts.shop_name == fetched.shop_name
        assert facts.created_at.tzinfo is UTC and facts.currency == "USD"
        assert len(facts.lines) == len(order.line_items)
        assert [li.line_id for li in facts.lines] == [li.id for li in order.line_items]
        # The buyer's total, rebuilt from units, shipping and taxes, is TikTok's own.
        assert order_total(facts) == facts.tiktok_total == order.payment.total_amount
        assert sum((li.tax for li in facts.lines), facts.shipping_tax) == order.payment.tax


def test_every_served_order_maps_to_a_valid_order_create(
    fetched: Fetched, shared_api: Path
) -> None:
    for facts in fetched.facts:
        variables = build_order_create(facts, fake_mapping(facts))
        assert_accepted(variables, shared_api)
        sent = variables["order"]
        assert f"TikTokOrderID:{facts.order_id}" in sent["tags"]
        transactions = sent.get("transactions", [])
        amount = sum(Decimal(t["amountSet"]["shopMoney"]["amount"]) for t in transactions)
        assert amount == order_total(facts).amount


def test_sample_orders_are_free_and_tagged(fetched: Fetched) -> None:
    samples = [f for f in fetched.facts if f.is_sample]
    assert samples, "the world has no sample order: pick another seed"
    for facts in samples:
        sent = build_order_create(facts, fake_mapping(facts))["order"]
        assert "TikTok Shop Sample" in sent["tags"]
        assert {i["priceSet"]["shopMoney"]["amount"] for i in sent["lineItems"]} == {"0.00"}
        assert "transactions" not in sent


def test_gift_lines_are_free_and_tag_the_order(fetched: Fetched) -> None:
    gifted = [f for f in fetched.facts if f.has_gift]
    assert gifted, "the world has no gift: pick another seed"
    for facts in gifted:
        sent = build_order_create(facts, fake_mapping(facts))["order"]
        assert "TikTok Shop Gift" in sent["tags"]
        gifts = [i for i in sent["lineItems"] if i.get("properties")]
        assert gifts and all(i["priceSet"]["shopMoney"]["amount"] == "0.00" for i in gifts)


def test_masked_recipients_are_flagged_and_addresses_read(fetched: Fetched) -> None:
    book = fetched.sandbox.world.tiktok.book.orders
    addressed = [f for f in fetched.facts if f.recipient.has_address]
    assert addressed
    for facts in addressed:
        recipient = facts.recipient
        assert recipient.masked and "*" in recipient.name
        buyer = book[facts.order_id].buyer
        assert (recipient.city, recipient.province) == (buyer.city, buyer.state)
        address = build_order_create(facts, fake_mapping(facts))["order"]["shippingAddress"]
        assert address["countryCode"] == "US" and len(address["provinceCode"]) == 2
        assert "phone" not in address  # masked


def test_ship_by_is_the_latest_shipping_time(fetched: Fetched) -> None:
    awaiting = [
        (o, f) for o, f in zip(fetched.orders, fetched.facts, strict=True) if is_eligible(f, True)
    ]
    assert awaiting
    for order, facts in awaiting:
        assert facts.ship_by is not None and facts.ship_by == order.rts_sla_time
        assert facts.ship_by > facts.created_at


# -- the published sample -----------------------------------------------------------
def test_the_published_detail_sample(shared_api: Path) -> None:
    path = shared_api / "samples/tiktok/models/Order/OrderBatchGetOrderDetailResponse.json"
    order = OrderList.model_validate(json.loads(path.read_text())["data"]).orders[0]
    facts = facts_from_order(order, "Sample Shop")
    assert facts.currency == "IDR" and facts.status == "UNPAID"
    assert facts.ship_by == datetime.fromtimestamp(1619611688, UTC)
    assert facts.paid_at == datetime.fromtimestamp(1619611563, UTC)
    (line,) = facts.lines
    assert (line.sku_id, line.seller_sku, line.unit_sale_price.amount) == (
        "2729382476852921560",
        "red_iphone_256",
        Decimal("0.01"),
    )
    assert line.tax.amount == Decimal("21.2") and line.taxes[0].rate == Decimal("0.35")
    recipient = facts.recipient
    # Its quoted-empty lines 3 and 4 are not address lines; the phone is masked.
    assert recipient.address_lines == ("TikTok 5800 bristol Pkwy", "Suite 100")
    assert recipient.masked and (recipient.city, recipient.province) == ("", "CA")
    variables = build_order_create(facts, fake_mapping(facts))
    assert_accepted(variables, shared_api)
    assert variables["order"]["lineItems"][0]["priceSet"]["shopMoney"]["amount"] == "0"


def test_an_address_tiktok_did_not_mask_is_not_flagged() -> None:
    address = Address(
        name="David Kong",
        first_name="David",
        last_name="Kong",
        phone_number="+14085550100",
        full_address="5800 Bristol Pkwy, Culver City, California 90230",
        address_line1="5800 Bristol Pkwy",
        postal_code="90230",
        region_code="US",
    )
    recipient = recipient_facts(address, "")
    assert not recipient.masked
    assert (recipient.city, recipient.province, recipient.zip) == (
        "Culver City",
        "California",
        "90230",
    )
    assert recipient_facts(
        address.model_copy(update={"address_line1": "5*** Bristol Pkwy"}), ""
    ).masked


@pytest.mark.parametrize(
    ("full", "postal", "expected"),
    [
        ("1*** Maple Ave, Los Angeles, California 90012", "90012", ("Los Angeles", "California")),
        ("1199 Coleman Ave San Jose, CA 95110", "95110", ("", "CA")),
        ("Somewhere", "", ("", "")),
        ("", "", ("", "")),
    ],
)
def test_city_and_province_from_the_full_address(
    full: str, postal: str, expected: tuple[str, str]
) -> None:
    assert city_and_province(full, postal) == expected


# -- into the sandbox Shopify ----------------------------------------------------------
CREATE = """
mutation Create($order: OrderCreateOrderInput!, $options: OrderCreateOptionsInput) {
  orderCreate(order: $order, options: $options) {
    order {
      tags sourceName sourceIdentifier note displayFinancialStatus email
      totalPriceSet { shopMoney { amount currencyCode } }
      customAttributes { key value }
    }
    userErrors { field message code }
  }
}
"""
VARIANTS = """
query Variants($after: String) {
  productVariants(first: 250, after: $after) {
    nodes { id sku }
    pageInfo { hasNextPage endCursor }
  }
}
"""


class Shopify:
    """Just enough of an Admin API client for this test, over real HTTP."""

    def __init__(self, info: SandboxInfo) -> None:
        shop = info.shopify
        self.url = f"{shop.url}/admin/api/{shop.api_version}/graphql.json"
        token = httpx.post(
            f"{shop.url}/admin/oauth/access_token",
            json={
                "client_id": shop.client_id,
                "client_secret": shop.client_secret,
                "grant_type": "client_credentials",
            },
        ).json()["access_token"]
        self.headers = {"X-Shopify-Access-Token": token}

    def run(self, query: str, variables: dict[str, Any]) -> dict[str, Any]:
        body = httpx.post(
            self.url, json={"query": query, "variables": variables}, headers=self.headers
        ).json()
        assert "errors" not in body, body["errors"]
        return dict(body["data"])

    def variants(self) -> list[tuple[str, str]]:
        pairs: list[tuple[str, str]] = []
        after = None
        while True:
            page = self.run(VARIANTS, {"after": after})["productVariants"]
            pairs += [(v["id"], v["sku"] or "") for v in page["nodes"]]
            if not page["pageInfo"]["hasNextPage"]:
                return pairs
            after = page["pageInfo"]["endCursor"]


def test_orders_are_created_in_shopify_for_what_the_buyer_paid(fetched: Fetched) -> None:
    # The eligible orders, then others (the mapping does not depend on status),
    # up to what the cost bucket allows without waiting (10 points an order).
    pairs = list(zip(fetched.orders, fetched.facts, strict=True))
    pairs.sort(key=lambda pair: not is_eligible(pair[1], include_fbt=False))
    shopify = Shopify(fetched.sandbox.info())
    matcher = SkuMatcher(sku_index(shopify.variants()))
    created = orphans = 0
    for order, facts in pairs[:60]:
        mapping = {}
        for line in facts.lines:
            match = matcher.match(line.seller_sku)
            if match is not None:
                mapping[line.sku_id] = match.variant_id
        if unmapped_skus(facts, mapping):
            with pytest.raises(UnmappedSkuError):
                build_order_create(facts, mapping)
            orphans += 1
            continue
        variables = build_order_create(facts, mapping, customer_mode="placeholder")
        result = shopify.run(CREATE, variables)["orderCreate"]
        assert result["userErrors"] == [], result["userErrors"]
        made = result["order"]
        money = made["totalPriceSet"]["shopMoney"]
        # Shopify prints its Decimal its own way ("0.0"): compare values.
        assert Decimal(money["amount"]) == order.payment.total_amount.amount
        assert money["currencyCode"] == "USD"
        assert made["sourceIdentifier"] == order.id and made["sourceName"] == "tiktok_shop"
        assert f"TikTokOrderID:{order.id}" in made["tags"]
        assert made["displayFinancialStatus"] == "PAID"
        assert made["email"] == PLACEHOLDER_EMAIL  # the upserted placeholder customer's
        created += 1
    assert created >= 40 and orphans >= 1, (created, orphans)
