"""SKU mapping as the merchant sees it: what maps by itself, Map now with its grace, and undo.

The orders come from the sandbox and are checked there (in Shopify), with the
real engine running, never a fake nudge.
"""

from __future__ import annotations

import json
from collections import Counter
from decimal import Decimal

from tests.domain.test_order_mapping import facts, line
from tests.sync.conftest import UNDO_GRACE, Connected
from tests.sync.sandbox_clock import past_index_lag
from tests.sync.test_orders_job import _settled_world, _shopify_orders_by_tiktok_id
from tests.sync.waits import until
from tiktok_console.profile import Profile
from tiktok_console.storage.catalog.variants import Variant, all_variants, mappings, store_variants
from tiktok_console.storage.orders.tiktok_orders import ORPHAN, order_state
from tiktok_console.storage.orders.views import orphan_skus
from tiktok_console.storage.tables import TikTokOrderRow
from tiktok_console.sync.engine import Engine
from tiktok_console.sync.orders.mapping import automap, map_skus, undo
from tiktok_console.sync.runtime import build_engine

LONG_GRACE = 3600.0  # seconds: Map now's undo window, longer than any test
ONLY_WHEN_WOKEN = 3600.0  # the orders job's poll: an hour, so it runs only when woken


def _variant(number: int, sku: str) -> Variant:
    gid = f"gid://shopify/ProductVariant/{number}"
    return Variant(gid, sku, "", f"Item {number}", f"p{number}", f"i{number}", Decimal("1"))


async def test_a_sku_two_variants_share_is_not_mapped_even_to_a_near_twin(
    profile: Profile,
) -> None:
    store_variants([_variant(1, "X-1"), _variant(2, "X-1"), _variant(3, "x 1")])
    assert await automap(facts(line("t9", seller_sku="X-1"))) == {}
    assert "t9" not in mappings()
    # A SKU only one variant carries still maps, exactly or after normalising.
    store_variants([_variant(4, "MUG-9")])
    assert await automap(facts(line("t8", seller_sku="mug 9"))) == {
        "t8": _variant(4, "").variant_id
    }
    assert mappings()["t8"].source == "auto_normalized"


def _blocked_only_by(sku_id: str) -> list[str]:
    rows = TikTokOrderRow.select().where(TikTokOrderRow.sync_state == ORPHAN)
    return sorted(row.order_id for row in rows if row.unmapped == sku_id)


def _orphan_sku(connected: Connected) -> tuple[str, str, list[str]]:
    """The unmapped SKU with a seller SKU blocking the most orders on its own:
    (sku id, seller SKU, orders)."""
    counts: Counter[tuple[str, str]] = Counter()
    for row in TikTokOrderRow.select().where(TikTokOrderRow.sync_state == ORPHAN):
        lines = json.loads(row.payload)["line_items"]
        seller = {li["sku_id"]: li["seller_sku"] for li in lines}
        if "," not in row.unmapped and seller.get(row.unmapped):
            counts[(row.unmapped, seller[row.unmapped])] += 1
    (sku_id, seller_sku), _count = counts.most_common(1)[0]
    return sku_id, seller_sku, _blocked_only_by(sku_id)


async def _with_orphans(connected: Connected) -> tuple[str, str, list[str]]:
    _settled_world(connected, minutes=30)
    await connected.engine.run_until_caught_up()
    return _orphan_sku(connected)


def _in_shopify(connected: Connected, orders: list[str]) -> dict[str, int]:
    created = _shopify_orders_by_tiktok_id(connected)
    return {order_id: created[order_id] for order_id in orders if created[order_id]}


async def test_an_undone_mapping_is_not_made_again_automatically(connected: Connected) -> None:
    sku_id, seller_sku, orders = await _with_orphans(connected)
    map_skus({sku_id: (seller_sku, all_variants()[0].variant_id)})
    assert undo(sku_id)
    # The merchant then gives a Shopify variant that very SKU: an exact match.
    shopify = connected.sandbox.world.shopify
    with shopify.lock:
        twin = next(iter(shopify.variants.values()))
        twin.sku = seller_sku
        shopify.touch_variant(twin, shopify.now())
    await past_index_lag(connected)  # Shopify's search index (0.5 s here)

    await connected.engine.run_until_caught_up()  # variants, orders, inventory reconcile
    assert any(v.sku == seller_sku for v in all_variants())  # the match was there to make
    assert sku_id not in mappings()
    assert all(order_state(o).sync_state == ORPHAN for o in orders)
    assert _in_shopify(connected, orders) == {}

    # Mapping it by hand again is what lifts the tombstone.
    map_skus({sku_id: (seller_sku, twin_gid := f"gid://shopify/ProductVariant/{twin.id}")})
    assert mappings()[sku_id].shopify_variant_id == twin_gid


def _engine(connected: Connected, grace: float) -> Engine:
    """An engine whose Map now waits ``grace`` seconds (wall clock, as the undo countdown), and
    whose orders job runs only when woken: nothing but the grace's end or a nudge runs it."""
    settings = connected.profile.settings
    settings.orders.undo_grace_seconds = grace
    settings.orders.poll_seconds = ONLY_WHEN_WOKEN
    return build_engine(settings, connected.token_store, connected.http, options=connected.options)


async def _next_orders_run(engine: Engine) -> None:
    """Nudge the orders job and wait for the run that follows."""
    runner = engine.runner("orders")
    runs = runner.runs
    engine.nudge("orders")
    await until(lambda: runner.runs > runs)


async def test_map_now_then_undo_within_the_grace_creates_nothing(connected: Connected) -> None:
    sku_id, seller_sku, orders = await _with_orphans(connected)
    engine = _engine(connected, grace=LONG_GRACE)  # undo is in time however slow the machine
    engine.start()
    try:
        await until(lambda: engine.runner("orders").runs >= 1)  # its first run is done
        map_skus({sku_id: (seller_sku, all_variants()[0].variant_id)})
        await _next_orders_run(engine)  # a run saw the mapping, in its grace
        assert undo(sku_id), "an order used the mapping before the grace ended"
        await _next_orders_run(engine)  # and one after the undo
    finally:
        await engine.stop()
    assert _in_shopify(connected, orders) == {}
    assert all(order_state(o).sync_state == ORPHAN for o in orders)


async def test_map_now_holds_the_released_orders_for_the_grace(connected: Connected) -> None:
    sku_id, seller_sku, orders = await _with_orphans(connected)
    engine = _engine(connected, grace=LONG_GRACE)
    engine.start()
    try:
        await until(lambda: engine.runner("orders").runs >= 1)
        released = map_skus({sku_id: (seller_sku, all_variants()[0].variant_id)})
        assert sorted(released) == orders
        await _next_orders_run(engine)
        assert _in_shopify(connected, orders) == {}  # still in the undo grace
        # The job will run again as the grace ends, not at its (hour-long) poll.
        assert 0 < engine.runner("orders").retry_in <= LONG_GRACE
    finally:
        await engine.stop()


async def test_map_now_creates_every_order_it_released_once_the_grace_ends(
    connected: Connected,
) -> None:
    sku_id, seller_sku, orders = await _with_orphans(connected)
    engine = _engine(connected, grace=UNDO_GRACE)
    engine.start()
    try:
        await until(lambda: engine.runner("orders").runs >= 1)
        map_skus({sku_id: (seller_sku, all_variants()[0].variant_id)})
        await _next_orders_run(engine)  # it sees the mapping (held, or created if the grace
        # has already ended on a slow machine): no nudge after this one, and the poll is an
        # hour, so only the job's own wake at the grace's end can create them.
        await until(lambda: len(_in_shopify(connected, orders)) == len(orders))
    finally:
        await engine.stop()
    assert _in_shopify(connected, orders) == dict.fromkeys(orders, 1)
    assert not undo(sku_id)  # used now


async def test_unmapped_tiktok_skus_bring_their_barcode_to_the_orphans_page(
    connected: Connected,
) -> None:
    await _with_orphans(connected)  # the inventory reconcile reads the TikTok products too
    products = connected.sandbox.world.tiktok.products.products
    codes = {sku.id: sku.barcode for product in products for sku in product.skus}
    rows = orphan_skus()
    assert any(codes.get(row.sku_id) for row in rows), "the world should have a barcode to read"
    assert {row.sku_id: row.barcode for row in rows} == {
        row.sku_id: codes.get(row.sku_id) or "" for row in rows
    }
