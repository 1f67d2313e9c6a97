"""Orders TikTok -> Shopify against the sandbox, checked through the stores, not our database."""

from __future__ import annotations

from collections import Counter

from tests.sync.conftest import Connected
from tiktok_console.storage.catalog.variants import all_variants
from tiktok_console.storage.orders.tiktok_orders import ORPHAN, state_counts
from tiktok_console.storage.tables import TikTokOrderRow
from tiktok_console.sync.orders.mapping import map_skus

ELIGIBLE = {"AWAITING_SHIPMENT", "PARTIALLY_SHIPPING", "AWAITING_COLLECTION"}


def _shopify_orders_by_tiktok_id(connected: Connected) -> Counter[str]:
    counts: Counter[str] = Counter()
    for order in connected.sandbox.world.shopify.snapshot()["orders"]:
        for tag in order["tags"]:
            if tag.startswith("TikTokOrderID:"):
                counts[tag.split(":", 1)[1]] += 1
    return counts


def _tiktok_orders(connected: Connected) -> list[dict]:
    return connected.sandbox.world.tiktok.snapshot()["orders"]


def _settled_world(connected: Connected, minutes: int = 100) -> None:
    """Orders arrive for ``minutes``, then stop; once the last one could have paid (10 min)
    and left on-hold (60 min), no order changes status while the test runs."""
    world = connected.sandbox.world
    world.advance(minutes * 60)
    world.tiktok.set_order_rate(0)
    world.advance(600 + 3600 + 120)


def _expected(connected: Connected) -> set[str]:
    """From the stores alone: seller-fulfilled orders awaiting shipment whose SKUs all
    match exactly one Shopify variant."""
    skus = Counter(v["sku"] for v in connected.sandbox.world.shopify.snapshot()["variants"])
    unique = {sku for sku, count in skus.items() if sku and count == 1}
    return {
        order["id"]
        for order in _tiktok_orders(connected)
        if order["status"] in ELIGIBLE
        and order["fulfillment_type"] == "FULFILLMENT_BY_SELLER"
        and all(sku in unique for sku in order["seller_skus"])
    }


async def test_each_eligible_order_lands_once_and_orphans_wait(connected: Connected) -> None:
    _settled_world(connected)
    assert len(_tiktok_orders(connected)) >= 900
    result = await connected.engine.run_until_caught_up()
    assert {"shopify_variants", "orders"} <= set(result) and not any(result.values()), result
    created = _shopify_orders_by_tiktok_id(connected)
    assert max(created.values()) == 1  # never twice
    assert set(created) == _expected(connected)
    assert state_counts().get(ORPHAN, 0) > 0  # SKUs added only in Seller Center

    # A second run changes nothing in Shopify.
    await connected.engine.run_until_caught_up()
    assert _shopify_orders_by_tiktok_id(connected) == created


async def test_mapping_an_orphan_sku_creates_the_orders_it_blocked(connected: Connected) -> None:
    _settled_world(connected, minutes=30)
    await connected.engine.run_until_caught_up()
    orphan = TikTokOrderRow.select().where(TikTokOrderRow.sync_state == ORPHAN).first()
    assert orphan is not None
    sku_id = orphan.unmapped.split(",")[0]
    variant = all_variants()[0]
    released = map_skus({sku_id: ("", variant.variant_id)})
    assert orphan.order_id in released
    await connected.engine.run_until_caught_up(["orders"])
    still_blocked = TikTokOrderRow.get_by_id(orphan.order_id)
    if still_blocked.sync_state == ORPHAN:  # another SKU of the same order is unmapped too
        assert sku_id not in still_blocked.unmapped
    else:
        assert _shopify_orders_by_tiktok_id(connected)[orphan.order_id] == 1


async def test_an_order_cancelled_on_tiktok_is_cancelled_in_shopify_with_restock(
    connected: Connected,
) -> None:
    _settled_world(connected, minutes=100)
    connected.sandbox.world.advance(4 * 3600)  # buyers ask to cancel some paid orders
    await connected.engine.run_until_caught_up()
    created = _shopify_orders_by_tiktok_id(connected)
    orders_job = connected.engine.runner("orders").job
    api = orders_job._tiktok  # the job's own client: same shop, same sign-in
    pending = [
        c async for c in api.search_cancellations()
        if c.cancel_status == "CANCELLATION_REQUEST_PENDING" and c.order_id in created
    ]  # fmt: skip
    assert pending, "the world should have a cancellation request on a synced order"
    request = pending[0]
    await api.approve_cancellation(request.cancel_id, idempotency_key=f"t-{request.cancel_id}")

    await connected.engine.run_until_caught_up(["orders"])
    shopify = {
        order["sourceIdentifier"]: order
        for order in connected.sandbox.world.shopify.snapshot()["orders"]
    }
    assert shopify[request.order_id]["cancelled"] is True
    row = TikTokOrderRow.get_by_id(request.order_id)
    assert row.shopify_cancelled and row.status == "CANCELLED"


async def test_under_ten_percent_faults_the_run_converges_to_the_same_result(
    connected: Connected,
) -> None:
    _settled_world(connected, minutes=40)
    faults = {"error_rate": 0.1, "timeout_seconds": 3.0}
    url = f"{connected.sandbox.info().control_url}/faults"
    (await connected.http.post(url, json={"shopify": faults, "tiktok": faults})).raise_for_status()
    for _ in range(10):  # a job that gave up after repeated faults is simply run again
        results = await connected.engine.run_until_caught_up(max_failures=10)
        if not any(results.values()):
            break
    assert not any(results.values()), results
    (await connected.http.delete(url)).raise_for_status()
    await connected.engine.run_until_caught_up()
    created = _shopify_orders_by_tiktok_id(connected)
    assert max(created.values()) == 1
    missing = _expected(connected) - set(created)
    states = {r.order_id: (r.sync_state, r.reason) for r in TikTokOrderRow.select()
              if r.order_id in missing}  # fmt: skip
    assert set(created) == _expected(connected), states
