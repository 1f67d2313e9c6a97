"""Inventory against the sandbox: TikTok stock follows Shopify, checked in the stores themselves."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import timedelta

import pytest

from tests.sync.conftest import START, Connected
from tests.sync.sandbox_clock import WHOLE_SECOND, advance, past_index_lag
from tiktok_console.sandbox.world import WorldOptions
from tiktok_console.storage.activity import ActivityRow
from tiktok_console.storage.inventory.stock_ledger import ledger
from tiktok_console.storage.inventory.tables import TikTokSkuRow
from tiktok_console.sync.inventory import actions

JOBS = ["shopify_variants", "orders", "inventory_reconcile", "inventory"]


@pytest.fixture
def world_options() -> WorldOptions:
    return WorldOptions(
        seed=21, products=12, orders=0, orders_per_minute=0, index_lag_seconds=0.5,
        clock_start=START, shopify_plan="plus",
    )  # fmt: skip


def quiet(connected: Connected) -> None:
    """No sales on either channel: Shopify stock moves only when the test moves it."""
    connected.sandbox.world.shopify.web_sales_per_minute = 0


def shopify_available(connected: Connected) -> dict[str, int]:
    """Shopify SKU -> available summed over locations, for SKUs exactly one variant carries."""
    variants = connected.sandbox.world.shopify.snapshot()["variants"]
    counts = Counter(v["sku"] for v in variants)
    return {v["sku"]: sum(v["available"].values()) for v in variants
            if v["sku"] and counts[v["sku"]] == 1}  # fmt: skip


def tiktok_skus(connected: Connected) -> list[dict]:
    skus = connected.sandbox.world.tiktok.snapshot()["skus"]
    return [s for s in skus if s["status"] == "ACTIVATE"]


def mismatches(connected: Connected, in_flight: dict[str, int] | None = None) -> dict[str, tuple]:
    """Live TikTok SKUs whose quantity is not Shopify's (less in-flight), from the stores alone."""
    shopify = shopify_available(connected)
    wrong = {}
    for sku in tiktok_skus(connected):
        if sku["seller_sku"] not in shopify:
            continue
        want = max(shopify[sku["seller_sku"]] - (in_flight or {}).get(sku["sku_id"], 0), 0)
        have = sum(sku["inventory"].values())
        if have != want:
            wrong[sku["sku_id"]] = (have, want)
    return wrong


async def sync(connected: Connected, names: list[str] | None = None) -> None:
    results = await connected.engine.run_until_caught_up(names or JOBS)
    assert not any(results.values()), results


def set_shopify_stock(connected: Connected, seller_sku: str, available: int) -> None:
    """Change stock in Shopify as the merchant would (it touches updatedAt and reindexes)."""
    store = connected.sandbox.world.shopify
    with store.lock:
        variant = next(v for v in store.variants.values() if v.sku == seller_sku)
        level, *rest = store.item_levels(variant.inventory_item_id)
        others = sum(lv.quantity("available") for lv in rest)
        level.quantities["available"] = available - others
        store.touch_inventory(level, store.now())


def mapped_sku(connected: Connected) -> dict:
    shopify = shopify_available(connected)
    return next(s for s in tiktok_skus(connected) if s["seller_sku"] in shopify)


async def test_reconciliation_makes_tiktok_show_shopify_stock_and_reports_the_drift(
    connected: Connected,
) -> None:
    quiet(connected)
    assert mismatches(connected), "the world should start with TikTok and Shopify apart"
    await sync(connected)
    assert mismatches(connected) == {}
    activity = ActivityRow.select().where(ActivityRow.job == "inventory_reconcile").first()
    assert activity is not None and "corrected" in activity.message and "drift" in activity.message
    pushed = ledger()
    assert pushed and all(line.status == "pushed" and line.reason == "reconcile" for line in pushed)
    row = TikTokSkuRow.get_by_id(pushed[0].sku_id)
    assert row.tiktok_quantity == row.target == row.last_push_quantity == pushed[0].quantity
    assert row.last_explanation == pushed[0].explanation
    # A second run finds nothing to correct.
    before = len(ledger())
    await sync(connected, ["inventory_reconcile"])
    assert len(ledger()) == before


async def test_a_reconciliation_reading_stock_in_slices_corrects_every_slice(
    connected: Connected,
) -> None:
    quiet(connected)
    job = connected.engine.runner("inventory_reconcile").job
    job._slice_variants = 5  # this small catalog's variants in several bulk reads
    assert mismatches(connected)
    await sync(connected, ["inventory_reconcile"])
    assert mismatches(connected) == {}
    queries = [op.query for op in connected.sandbox.world.shopify.bulk_operations.values()]
    assert sum("id:>" in query for query in queries) >= 2, queries


async def test_a_shopify_change_reaches_tiktok_through_the_fast_path(connected: Connected) -> None:
    quiet(connected)
    await sync(connected)
    sku = mapped_sku(connected)
    set_shopify_stock(connected, sku["seller_sku"], 3)
    await past_index_lag(connected)  # the search index lags writes by 0.5 s
    await sync(connected, ["inventory"])
    assert mismatches(connected) == {}
    line = ledger()[-1]
    assert (line.sku_id, line.quantity, line.reason) == (sku["sku_id"], 3, "change")
    assert line.explanation == "Shopify 3"


async def test_freeze_pushes_zero_and_unfreeze_restores(connected: Connected) -> None:
    quiet(connected)
    await sync(connected)
    sku = mapped_sku(connected)
    actions.set_frozen([sku["sku_id"]], True)
    await sync(connected, ["inventory"])
    assert sum(_tiktok(connected, sku["sku_id"])["inventory"].values()) == 0
    assert ledger()[-1].reason == "freeze"
    actions.set_frozen([sku["sku_id"]], False)
    await sync(connected, ["inventory"])
    assert mismatches(connected) == {}


async def test_negative_shopify_stock_pushes_zero_with_a_warning(connected: Connected) -> None:
    quiet(connected)
    await sync(connected)
    sku = mapped_sku(connected)
    set_shopify_stock(connected, sku["seller_sku"], -2)
    await past_index_lag(connected)
    await sync(connected, ["inventory"])
    assert sum(_tiktok(connected, sku["sku_id"])["inventory"].values()) == 0
    warning = ActivityRow.select().where(ActivityRow.level == "warning").first()
    assert warning is not None and "negative" in warning.message


def _tiktok(connected: Connected, sku_id: str) -> dict:
    skus = connected.sandbox.world.tiktok.snapshot()["skus"]
    return next(s for s in skus if s["sku_id"] == sku_id)


async def test_a_livestream_caps_and_tightens_then_ends_by_itself_with_a_report(
    connected: Connected,
) -> None:
    quiet(connected)
    await sync(connected)
    world = connected.sandbox.world
    sku = mapped_sku(connected)
    set_shopify_stock(connected, sku["seller_sku"], 40)
    shopify = shopify_available(connected)
    others = [s for s in tiktok_skus(connected) if s["seller_sku"] in shopify]
    other = next(s for s in others if s["sku_id"] != sku["sku_id"])
    actions.set_cap(sku["sku_id"], 5)
    now = world.clock.now_dt()
    actions.start_livestream(now + timedelta(seconds=30), now=now)
    job = connected.engine.runner("inventory").job
    assert job.interval == connected.profile.settings.inventory.livestream.poll_seconds
    await past_index_lag(connected)
    await sync(connected, ["inventory"])
    assert sum(_tiktok(connected, sku["sku_id"])["inventory"].values()) == 5  # its cap
    # Others keep the livestream buffer: the larger of 2 units and 10%.
    available = shopify_available(connected)[other["seller_sku"]]
    held = max(2, -(-available * 10 // 100))
    assert sum(_tiktok(connected, other["sku_id"])["inventory"].values()) == max(
        available - held, 0
    )
    assert ledger()[-1].reason == "livestream"

    world.advance(31)
    await sync(connected, ["inventory"])
    assert actions.active_livestream(world.clock.now_dt()) is None
    (report,) = actions.livestream_reports()
    assert report.pushes >= 2 and report.units_moved > 0
    assert report.ended_at == now + timedelta(seconds=30)
    assert mismatches(connected) == {}  # back to the calm quantities
    assert job.interval == connected.profile.settings.inventory.poll_seconds


async def test_zero_stock_takes_the_listing_off_sale_and_stock_brings_it_back(
    connected: Connected,
) -> None:
    quiet(connected)
    connected.profile.settings.inventory.deactivate_at_zero = True
    await sync(connected)
    shopify = shopify_available(connected)
    by_product: dict[str, list[dict]] = {}
    for each in tiktok_skus(connected):
        by_product.setdefault(each["product_id"], []).append(each)
    product_skus = next(skus for skus in by_product.values()
                        if all(s["seller_sku"] in shopify for s in skus))  # fmt: skip
    sku = product_skus[0]
    for each in product_skus:
        set_shopify_stock(connected, each["seller_sku"], 0)
    await past_index_lag(connected)
    await sync(connected, ["inventory"])
    assert _tiktok(connected, sku["sku_id"])["status"] == "SELLER_DEACTIVATED"
    set_shopify_stock(connected, sku["seller_sku"], 4)
    await past_index_lag(connected)
    await sync(connected, ["inventory"])
    relisted = _tiktok(connected, sku["sku_id"])
    assert relisted["status"] == "ACTIVATE"
    assert sum(relisted["inventory"].values()) == 4
    messages = [a.message for a in ActivityRow.select().where(ActivityRow.job == "inventory")]
    assert any("off sale" in m for m in messages) and any("Relisted" in m for m in messages)


async def test_a_product_someone_else_deactivated_is_never_relisted(connected: Connected) -> None:
    quiet(connected)
    connected.profile.settings.inventory.deactivate_at_zero = True
    await sync(connected)
    sku = mapped_sku(connected)
    api = connected.engine.runner("inventory_reconcile").job._tiktok
    await api.deactivate_products([sku["product_id"]])
    set_shopify_stock(connected, sku["seller_sku"], 9)
    await past_index_lag(connected)
    await sync(connected, ["inventory_reconcile", "inventory"])
    assert _tiktok(connected, sku["sku_id"])["status"] == "SELLER_DEACTIVATED"


async def test_under_ten_percent_faults_stock_converges(connected: Connected) -> None:
    quiet(connected)
    shopify = shopify_available(connected)
    changed = [s for s in tiktok_skus(connected) if s["seller_sku"] in shopify][:6]
    for number, sku in enumerate(changed):
        set_shopify_stock(connected, sku["seller_sku"], number * 7)
    faults = {"error_rate": 0.1, "timeout_seconds": 1.5}
    url = f"{connected.sandbox.info().control_url}/faults"
    (await connected.http.post(url, json={"shopify": faults, "tiktok": faults})).raise_for_status()
    for _ in range(12):
        results = await connected.engine.run_until_caught_up(JOBS, max_failures=10)
        if not any(results.values()) and not mismatches(connected):
            break
        await past_index_lag(connected)  # then once more
    else:
        raise AssertionError(f"no convergence under faults: {mismatches(connected)}")
    assert mismatches(connected) == {}


async def test_a_slow_bulk_read_never_overwrites_a_newer_fast_read(connected: Connected) -> None:
    quiet(connected)
    await sync(connected)
    store = connected.sandbox.world.shopify
    sku = mapped_sku(connected)
    known = set(store.bulk_operations)
    store.bulk_seconds_per_object = 0.1  # a slow bulk operation: a few seconds
    reconcile = asyncio.create_task(connected.engine.runner("inventory_reconcile").job.run_once())
    # Until the bulk snapshot is taken (the sandbox's state, in this process).
    while not set(store.bulk_operations) - known:  # noqa: ASYNC110
        await asyncio.sleep(0.02)
    await advance(connected, WHOLE_SECOND + 0.1)  # Shopify's updatedAt has whole seconds
    set_shopify_stock(connected, sku["seller_sku"], 17)
    await past_index_lag(connected)
    await sync(connected, ["inventory"])  # the fast path reads and pushes 17 first
    assert not reconcile.done(), "the bulk operation should still be running"
    await reconcile
    assert sum(_tiktok(connected, sku["sku_id"])["inventory"].values()) == 17
    assert TikTokSkuRow.get_by_id(sku["sku_id"]).shopify_available == 17
    assert mismatches(connected) == {}


async def test_a_push_tiktok_refuses_is_in_the_ledger_and_the_activity_log(
    connected: Connected,
) -> None:
    quiet(connected)
    await sync(connected)
    sku = mapped_sku(connected)
    api = connected.engine.runner("inventory_reconcile").job._tiktok
    await api.deactivate_products([sku["product_id"]])  # in Seller Center, behind our back
    set_shopify_stock(connected, sku["seller_sku"], 11)
    await past_index_lag(connected)
    await sync(connected, ["inventory"])
    line = ledger()[-1]
    assert (line.sku_id, line.quantity, line.status) == (sku["sku_id"], 11, "failed")
    error = ActivityRow.select().where(ActivityRow.level == "error").first()
    assert error is not None and sku["product_id"] in error.message
    row = TikTokSkuRow.get_by_id(sku["sku_id"])
    assert (row.target, row.tiktok_quantity) == (11, sum(sku["inventory"].values()))
    # The reconciliation reads the listing's status and stops trying.
    await sync(connected, ["inventory_reconcile"])
    assert ledger()[-1] == line
    assert "listing is SELLER_DEACTIVATED" in TikTokSkuRow.get_by_id(sku["sku_id"]).last_explanation
