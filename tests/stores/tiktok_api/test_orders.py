"""Order calls against the sandbox: search and detail return exactly the shop's orders."""

from __future__ import annotations

from datetime import UTC, datetime

from tests.stores.tiktok_api.conftest import collect
from tiktok_console.sandbox.runner import SandboxRunner
from tiktok_console.stores.tiktok.api import TikTokShopApi
from tiktok_console.stores.tiktok.models.orders import Order


async def test_search_walks_every_order_once_oldest_change_first(
    api: TikTokShopApi, sandbox: SandboxRunner
) -> None:
    found = await collect(api.search_orders(page_size=7))
    expected = sandbox.world.tiktok.snapshot()["orders"]
    assert sorted(o.id for o in found) == sorted(o["id"] for o in expected)
    times = [o.update_time for o in found]
    assert times == sorted(times)
    assert all(t.tzinfo is UTC for t in times)


async def test_search_pages_report_the_total(api: TikTokShopApi, sandbox: SandboxRunner) -> None:
    pages = await collect(api.search_order_pages(page_size=25))
    total = len(sandbox.world.tiktok.snapshot()["orders"])
    assert len(pages) == -(-total // 25)
    assert all(p.total_count == total for p in pages)


async def test_update_time_window_and_status_filters(
    api: TikTokShopApi, sandbox: SandboxRunner
) -> None:
    orders = sandbox.world.tiktok.snapshot()["orders"]
    cut = sorted(o["update_time"] for o in orders)[len(orders) // 2]
    start = datetime.fromtimestamp(cut, UTC)
    newer = await collect(api.search_orders(update_time_ge=start))
    older = await collect(api.search_orders(update_time_lt=start))
    assert {o.id for o in newer} == {o["id"] for o in orders if o["update_time"] >= cut}
    assert {o.id for o in older} == {o["id"] for o in orders if o["update_time"] < cut}
    created = await collect(api.search_orders(create_time_lt=start))
    assert {o.id for o in created} == {o["id"] for o in orders if o["create_time"] < cut}
    awaiting = await collect(api.search_orders(order_status="AWAITING_SHIPMENT"))
    assert {o.id for o in awaiting} == {
        o["id"] for o in orders if o["status"] == "AWAITING_SHIPMENT"
    }
    assert awaiting


async def test_detail_of_more_than_fifty_ids_is_chunked(
    api: TikTokShopApi, sandbox: SandboxRunner
) -> None:
    expected = {o["id"]: o for o in sandbox.world.tiktok.snapshot()["orders"]}
    assert len(expected) > 50
    found = await api.get_orders(list(expected))
    assert sorted(o.id for o in found) == sorted(expected)
    for order in found:
        want = expected[order.id]
        assert order.status == want["status"]
        assert sorted(li.seller_sku for li in order.line_items) == sorted(want["seller_skus"])
        groups = order.grouped_lines()
        assert sum(g.quantity for g in groups) == len(want["line_item_ids"])
        assert order.payment.total_amount.currency == "USD"


async def test_an_order_survives_its_stored_json(api: TikTokShopApi) -> None:
    # The orders job stores each order as the model's JSON and reads it back to settle it.
    for order in await collect(api.search_orders(page_size=50)):
        assert Order.model_validate_json(order.model_dump_json()) == order
