"""The Shopify client over real HTTP to the sandbox: paging, cost bucket, bulk, errors."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from tests.stores.conftest import shopify_client_credentials
from tiktok_console.sandbox.runner import SandboxRunner
from tiktok_console.sandbox.world import WorldOptions
from tiktok_console.stores.errors import (
    AuthExpiredError,
    RequestRejectedError,
    UnexpectedReplyError,
)
from tiktok_console.stores.refreshing_token import RefreshingToken, TokenGrant
from tiktok_console.stores.retry import RetryPolicy
from tiktok_console.stores.shopify.bulk import BulkRunner
from tiktok_console.stores.shopify.replies import (
    InventorySetQuantities,
    OrdersByQuery,
    ProductVariantsPage,
    Reply,
    Shop,
    VariantInventory,
)
from tiktok_console.stores.shopify.throttle import CostBucket
from tiktok_console.stores.shopify.transport import ShopifyApiConfig, ShopifyTransport


@pytest.fixture
def sandbox_options() -> WorldOptions:
    return WorldOptions(seed=5, products=30, orders=0, orders_per_minute=0, shopify_plan="standard")


def _transport(
    sandbox: SandboxRunner,
    *,
    token: str | None = None,
    retry: RetryPolicy | None = None,
    bucket: CostBucket | None = None,
) -> ShopifyTransport:
    info = sandbox.info()
    issued = shopify_client_credentials(info)

    async def refresh(grant: TokenGrant) -> TokenGrant:
        again = await asyncio.to_thread(shopify_client_credentials, info)
        return TokenGrant(again["access_token"], None)

    grant = TokenGrant(token or issued["access_token"], None)
    config = ShopifyApiConfig(
        base_url=info.shopify.url,
        retry=retry or RetryPolicy(initial=0.01, maximum=0.5),
        timeout=5,
    )
    token_source = RefreshingToken(grant, refresh, persist=lambda g: None)
    return ShopifyTransport(config, token_source, bucket=bucket)


async def test_shop_reports_its_country(sandbox: SandboxRunner) -> None:
    transport = _transport(sandbox)
    shop = (await transport.execute(Shop)).shop
    assert shop.myshopify_domain == "harbor-and-pine.myshopify.com"
    assert shop.billing_address.country_code_v2 == "US"
    await transport.aclose()


async def test_paging_returns_every_variant_once(sandbox: SandboxRunner) -> None:
    transport = _transport(sandbox)
    ids = [
        node.id
        async for node in transport.paginate(
            ProductVariantsPage, lambda reply: reply.product_variants, page_size=17
        )
    ]
    assert len(ids) == len(set(ids)) == len(sandbox.world.shopify.snapshot()["variants"])
    await transport.aclose()


async def test_a_2000_point_workload_on_a_100_point_plan_is_never_throttled(
    sandbox: SandboxRunner,
) -> None:
    transport = _transport(sandbox)
    variables = {"first": 40, "after": None, "query": None}
    first = await transport.execute(ProductVariantsPage, variables)
    assert first.product_variants.nodes
    per_query = transport.bucket.expected_cost("ProductVariantsPage")
    count = int(2000 // per_query) + 1
    started = asyncio.get_running_loop().time()
    await asyncio.gather(*(transport.execute(ProductVariantsPage, variables) for _ in range(count)))
    elapsed = asyncio.get_running_loop().time() - started
    print(f"Shopify: {count} queries x {per_query:.0f} points in {elapsed:.1f} s")
    assert count * per_query >= 2000
    assert transport.stats.throttled == 0
    assert transport.bucket.waited > 0  # it did have to wait for the bucket
    await transport.aclose()


async def test_bulk_operation_streams_every_variant(sandbox: SandboxRunner) -> None:
    transport = _transport(sandbox)
    runner = BulkRunner(transport, poll_interval=0.3)
    lines = [line async for line in runner.run("VariantSkus")]
    assert len(lines) == len(sandbox.world.shopify.snapshot()["variants"])
    assert all(line["id"].startswith("gid://shopify/ProductVariant/") for line in lines)
    await transport.aclose()


async def test_an_invalid_token_is_auth_expired_after_one_refresh_attempt(
    sandbox: SandboxRunner,
) -> None:
    info = sandbox.info()

    async def refresh(grant: TokenGrant) -> TokenGrant:
        return TokenGrant("shpat_still_wrong", None)

    config = ShopifyApiConfig(base_url=info.shopify.url, retry=RetryPolicy(attempts=2))
    token = RefreshingToken(TokenGrant("shpat_wrong", None), refresh, persist=lambda g: None)
    transport = ShopifyTransport(config, token)
    with pytest.raises(AuthExpiredError):
        await transport.execute(Shop)
    assert token.refresh_count == 1
    await transport.aclose()


async def test_user_errors_of_a_rejected_document_are_typed(sandbox: SandboxRunner) -> None:
    transport = _transport(sandbox)
    with pytest.raises(RequestRejectedError):
        await transport.execute(OrdersByQuery, {"first": 300, "query": "tag:x"})  # over 250
    assert transport.stats.requests == 1  # six attempts allowed: a rejection is never resent
    await transport.aclose()


async def test_http_429_is_waited_out_and_counted(sandbox: SandboxRunner) -> None:
    transport = _transport(sandbox, retry=RetryPolicy(attempts=10, initial=0.01, maximum=0.05))
    faults = {"shopify": {"error_rate": 0.3, "http_429": 1}}
    url = f"{sandbox.info().control_url}/faults"
    (await asyncio.to_thread(httpx.post, url, json=faults)).raise_for_status()
    results = await asyncio.gather(*(transport.execute(Shop) for _ in range(20)))
    assert all(r.shop.name for r in results)
    assert transport.stats.rate_limited >= 1
    assert transport.stats.requests == 20 + transport.stats.rate_limited
    await transport.aclose()


async def test_a_throttled_query_waits_for_the_bucket_and_succeeds(
    sandbox: SandboxRunner,
) -> None:
    # A client that believes the page costs 1 point sends 8 at once into a bucket of
    # 1000 points: the store throttles those past the first ~1000 points.
    bucket = CostBucket()
    status = {"maximumAvailable": 1000, "currentlyAvailable": 1000, "restoreRate": 100}
    bucket.record("ProductVariantsPage", 0, {"requestedQueryCost": 1, "throttleStatus": status})
    transport = _transport(
        sandbox, retry=RetryPolicy(attempts=6, initial=0.01, maximum=10), bucket=bucket
    )
    variables = {"first": 40, "after": None, "query": None}
    results = await asyncio.gather(
        *(transport.execute(ProductVariantsPage, variables) for _ in range(8))
    )
    assert all(r.product_variants.nodes for r in results)
    assert transport.stats.throttled >= 1
    # Each throttled query waited for the points it needs, so its resend went through.
    assert transport.stats.requests == 8 + transport.stats.throttled
    await transport.aclose()


async def test_expiring_token_is_refreshed_before_it_lapses(sandbox: SandboxRunner) -> None:
    info = sandbox.info()
    issued = shopify_client_credentials(info)
    soon = datetime.now(UTC) + timedelta(seconds=30)

    async def refresh(grant: TokenGrant) -> TokenGrant:
        again = await asyncio.to_thread(shopify_client_credentials, info)
        return TokenGrant(again["access_token"], datetime.now(UTC) + timedelta(hours=1))

    token = RefreshingToken(
        TokenGrant(issued["access_token"], soon), refresh, persist=lambda g: None
    )
    transport = ShopifyTransport(ShopifyApiConfig(base_url=info.shopify.url), token)
    await transport.execute(Shop)
    assert token.refresh_count == 1 and token.grant.access_token != issued["access_token"]
    await transport.aclose()


async def _first_stock(transport: ShopifyTransport) -> tuple[str, str, int]:
    data = await transport.execute(VariantInventory, {"first": 5, "after": None, "query": None})
    for variant in data.product_variants.nodes:
        item = variant.inventory_item
        for level in item.inventory_levels.nodes if item else []:
            return item.id, level.location.id, level.named("available")
    raise AssertionError("no stocked variant")


def _set(item: str, location: str, to: int, was: int | None) -> dict:
    return {
        "input": {
            "name": "available",
            "reason": "correction",
            "quantities": [
                {
                    "inventoryItemId": item,
                    "locationId": location,
                    "quantity": to,
                    "changeFromQuantity": was,
                }
            ],
        }
    }


async def test_inventory_set_is_compare_and_set_and_replays_by_key(sandbox: SandboxRunner) -> None:
    transport = _transport(sandbox)
    item, location, available = await _first_stock(transport)
    first = await transport.execute(
        InventorySetQuantities,
        _set(item, location, available + 5, available),
        idempotency_key="k-1",
    )
    assert first.inventory_set_quantities.user_errors == []
    stale = await transport.execute(
        InventorySetQuantities, _set(item, location, 1, available), idempotency_key="k-2"
    )
    codes = [e.code for e in stale.inventory_set_quantities.user_errors]
    assert codes == ["CHANGE_FROM_QUANTITY_STALE"]
    await transport.execute(
        InventorySetQuantities,
        _set(item, location, available + 2, available + 5),
        idempotency_key="k-3",
    )
    replay = await transport.execute(
        InventorySetQuantities,
        _set(item, location, available + 5, available),
        idempotency_key="k-1",
    )
    assert replay == first  # the original result, not a second change
    assert (await _first_stock(transport))[2] == available + 2
    await transport.aclose()


class _ShopAsOrder(Reply):
    """A model that does not fit its document's reply (as a renamed field would not)."""

    document = "Shop"
    what = "reading the shop's details"
    order_id: str


async def test_a_reply_that_does_not_fit_is_a_clear_store_error(sandbox: SandboxRunner) -> None:
    transport = _transport(sandbox)
    with pytest.raises(UnexpectedReplyError) as caught:
        await transport.execute(_ShopAsOrder)
    error = caught.value
    assert error.store == "shopify" and not error.retryable
    assert error.message.startswith("Shopify answered reading the shop's details in a form")
    assert "Shop: orderId: Field required" in error.detail  # the document and the path
    assert transport.stats.requests == 1  # the same question would get the same answer
    await transport.aclose()
