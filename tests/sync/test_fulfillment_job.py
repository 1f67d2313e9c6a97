"""Fulfillment Shopify -> TikTok against the sandbox, checked in the TikTok world's own record.

The evidence is the sandbox's log of accepted Mark Package As Shipped and
shipping-info updates, and the lines of each TikTok order; the database is
looked at only for what the merchant sees (blocked, held, failed with TikTok's
words).
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

from tests.sync.conftest import START, Connected
from tests.sync.shipment_checks import check_pushed_once, shopify_shipments, tiktok_can_take
from tiktok_console.core.errors import ConsoleError
from tiktok_console.domain.carriers import Provider
from tiktok_console.sandbox.shopify.fulfillment_ops import update_tracking
from tiktok_console.sandbox.tiktok.logistics import PROVIDERS
from tiktok_console.sandbox.world import WorldOptions
from tiktok_console.storage.fulfillment.carrier_mappings import all_mappings, store_providers
from tiktok_console.storage.fulfillment.shipments import (
    BLOCKED,
    FAILED,
    HELD,
    PUSHED,
    fulfillment,
    fulfillments_of,
)
from tiktok_console.storage.fulfillment.tables import ShopifyFulfillmentRow
from tiktok_console.storage.orders.tiktok_orders import LINKED, mark_order
from tiktok_console.storage.tables import TikTokOrderRow
from tiktok_console.sync.fulfillment.carrier_actions import (
    map_carrier,
    retry_fulfillment,
    unmap_carrier,
)

HOUR = 3600
BY_NAME = {p.name: p for p in PROVIDERS}


@pytest.fixture
def world_options() -> WorldOptions:
    """A smaller world than the orders tests': about 150 orders in 30 minutes.

    Seed 21 has every case the tests below look for (a DHL eCommerce shipment on an
    express order, a held tracking number): they assert it rather than skip.
    """
    return WorldOptions(
        seed=21, products=20, orders=0, orders_per_minute=5, index_lag_seconds=0.5,
        clock_start=START, shopify_plan="plus",
    )  # fmt: skip


def _settled_world(connected: Connected, minutes: int = 30) -> None:
    """Orders arrive for ``minutes``, then stop and leave the on-hold window."""
    world = connected.sandbox.world
    world.advance(minutes * 60)
    world.tiktok.set_order_rate(0)
    world.advance(600 + 3600 + 120)


async def _orders_in_shopify(connected: Connected) -> None:
    await connected.engine.run_until_caught_up(["shopify_variants", "orders"])


def _warehouse_ships_everything(connected: Connected) -> None:
    """Past the warehouse delay and the latest second shipment of a split order, then past
    the search index's lag (the test clock stands still between advances)."""
    connected.sandbox.world.advance(720 + 3 * HOUR + 60)
    connected.sandbox.world.advance(5)


def _state(connected: Connected) -> dict[str, Any]:
    return connected.sandbox.world.snapshot()


def _tiktok(connected: Connected) -> dict[str, Any]:
    return connected.sandbox.world.tiktok.snapshot()


def _marks(state: dict[str, Any]) -> list[dict[str, Any]]:
    return [c for c in state["shipping_calls"] if c["call"] == "mark_shipped"]


async def test_every_shipment_tiktok_can_take_arrives_once_on_the_right_lines(
    connected: Connected,
) -> None:
    _settled_world(connected)
    await _orders_in_shopify(connected)
    _warehouse_ships_everything(connected)
    result = await connected.engine.run_until_caught_up(["fulfillment"])
    assert result == {"fulfillment": ""}

    world = _state(connected)
    expected = tiktok_can_take(world)
    assert len(expected) >= 20, "the world should ship a good number of TikTok orders"
    assert check_pushed_once(world) == expected  # everything TikTok can take, nothing else

    # Each push covers exactly the SKUs Shopify shipped, so split shipments land right.
    state = world["tiktok"]
    orders = {o["id"]: o for o in state["orders"]}
    marks = _marks(state)
    sku_of = {li["id"]: li["seller_sku"] for o in state["orders"] for li in o["lines"]}
    by_number = {(s["order_id"], s["number"]): s for s in shopify_shipments(world)}
    for call in marks:
        shipped = by_number[(call["order_id"], call["tracking_number"])]["skus"]
        assert Counter(sku_of[line] for line in call["line_item_ids"]) == shipped

    # Split shipments: two packages on the TikTok order, each with its own tracking.
    split = [o for o, n in Counter(c["order_id"] for c in marks).items() if n == 2]
    assert split, "some orders should ship in two parts"
    for order_id in split:
        lines_of = orders[order_id]["lines"]
        assert len({li["package_id"] for li in lines_of}) == 2
        assert orders[order_id]["status"] == "IN_TRANSIT"

    # A second run sends nothing more.
    await connected.engine.run_until_caught_up(["fulfillment"])
    assert len(_marks(_tiktok(connected))) == len(marks)

    # What did not go is explained: unknown carriers blocked, odd numbers held, none failed.
    states = Counter(row.state for row in ShopifyFulfillmentRow.select())
    assert states[BLOCKED] > 0 and states[FAILED] == 0
    blocked = ShopifyFulfillmentRow.select().where(ShopifyFulfillmentRow.state == BLOCKED)
    assert {row.carrier for row in blocked} <= {
        "DHL Express", "Other", "Royal Mail", "Canada Post", "DHL eCommerce"
    }  # fmt: skip
    assert all("Carriers page" in row.reason for row in blocked)
    for row in ShopifyFulfillmentRow.select().where(ShopifyFulfillmentRow.state == HELD):
        assert row.carrier == "DHL eCommerce" and "does not look like" in row.reason
    # The first carriers were mapped by exact name, DHL Express not to DHL eCommerce.
    mapped = {m.carrier: m.provider_name for m in all_mappings()}
    assert mapped == {name: name for name in ("USPS", "UPS", "FedEx", "DHL eCommerce")}
    assert all(m.source == "suggested" for m in all_mappings())


async def _cache_providers(connected: Connected) -> None:
    """Fill the provider cache as the job would, without shipping anything."""
    api = connected.engine.runner("fulfillment").job._tiktok
    for option in connected.sandbox.world.tiktok.logistics.options:
        if option.tiktok_shipped:
            continue
        providers = await api.shipping_providers(option.id)
        store_providers(option.id, option.name, [Provider(p.id, p.name) for p in providers])


async def test_an_unmapped_carrier_blocks_only_its_shipments_until_it_is_mapped(
    connected: Connected,
) -> None:
    # A first wave ships; USPS is mapped on sight (same name), then the merchant unmaps it.
    world = connected.sandbox.world
    _settled_world(connected, minutes=15)
    await _orders_in_shopify(connected)
    world.advance(720)  # the warehouse's first shipments
    world.advance(5)  # past the search index lag
    await connected.engine.run_until_caught_up(["fulfillment"])
    first = {c["tracking_number"] for c in _marks(_tiktok(connected))}
    assert {m.carrier for m in all_mappings()} >= {"USPS", "UPS"}
    unmap_carrier("USPS")

    # A second wave: its USPS shipments wait, every other carrier's go.
    world.tiktok.set_order_rate(5)
    world.advance(15 * 60)
    world.tiktok.set_order_rate(0)
    world.advance(600 + 3600 + 120)
    await _orders_in_shopify(connected)
    _warehouse_ships_everything(connected)
    await connected.engine.run_until_caught_up(["fulfillment"])
    second = [c for c in _marks(_tiktok(connected)) if c["tracking_number"] not in first]
    assert second, "the second wave should ship with other carriers too"
    assert BY_NAME["USPS"].id not in {c["shipping_provider_id"] for c in second}
    usps = list(
        ShopifyFulfillmentRow.select().where(
            (ShopifyFulfillmentRow.carrier == "USPS") & (ShopifyFulfillmentRow.state == BLOCKED)
        )
    )
    assert usps, "some USPS shipments should wait for their mapping"
    assert all("'USPS' is not mapped" in row.reason for row in usps)

    released = map_carrier("USPS", BY_NAME["USPS"].id)
    assert released == len(usps)
    await connected.engine.run_until_caught_up(["fulfillment"])
    sent = {c["tracking_number"] for c in _marks(_tiktok(connected))}
    assert {row.tracking_number for row in usps} <= sent
    assert all(fulfillment(row.fulfillment_id).state == PUSHED for row in usps)  # type: ignore[union-attr]
    assert check_pushed_once(_state(connected)) == tiktok_can_take(_state(connected))


async def test_the_last_mapping_is_always_kept(connected: Connected) -> None:
    await _cache_providers(connected)
    map_carrier("UPS", BY_NAME["UPS"].id)
    map_carrier("Post", BY_NAME["USPS"].id)
    unmap_carrier("Post")
    with pytest.raises(ConsoleError, match="At least one carrier mapping is always kept"):
        unmap_carrier("UPS")
    assert [m.carrier for m in all_mappings()] == ["UPS"]


async def test_mapping_refuses_a_provider_tiktok_does_not_list(connected: Connected) -> None:
    await _cache_providers(connected)
    with pytest.raises(ValueError, match="TikTok does not list shipping provider"):
        map_carrier("DHL Express", "123")
    express = connected.sandbox.world.tiktok.logistics.options[1]
    with pytest.raises(ValueError, match="Express Shipping"):  # not offered for Express
        map_carrier("DHL eCommerce", BY_NAME["DHL eCommerce"].id, delivery_option_id=express.id)


async def test_a_carrier_not_offered_for_the_order_s_delivery_option_is_blocked(
    connected: Connected,
) -> None:
    _settled_world(connected, minutes=60)
    await _orders_in_shopify(connected)
    _warehouse_ships_everything(connected)
    await connected.engine.run_until_caught_up(["fulfillment"])
    express = connected.sandbox.world.tiktok.logistics.options[1]
    rows = ShopifyFulfillmentRow.select().where(
        (ShopifyFulfillmentRow.carrier == "DHL eCommerce")
        & (ShopifyFulfillmentRow.delivery_option_id == express.id)
    )
    # Seed 21 ships some: the case must be there, or the test would check nothing.
    assert rows.count(), "the world should ship DHL eCommerce on an express order"
    for row in rows:
        assert row.state == BLOCKED
        assert "which TikTok does not offer for Express Shipping" in row.reason


@pytest.fixture
def warn(connected: Connected) -> Connected:
    connected.engine.runner("fulfillment").job._config.settings.bad_tracking = "warn"
    return connected


async def test_with_warn_an_odd_number_is_sent_and_tiktok_s_refusal_is_kept(
    warn: Connected,
) -> None:
    connected = warn
    _settled_world(connected)
    await _orders_in_shopify(connected)
    _warehouse_ships_everything(connected)
    await connected.engine.run_until_caught_up(["fulfillment"])
    failed = list(ShopifyFulfillmentRow.select().where(ShopifyFulfillmentRow.state == FAILED))
    held = ShopifyFulfillmentRow.select().where(ShopifyFulfillmentRow.state == HELD).count()
    assert held == 0
    assert failed, "some DHL eCommerce numbers should not fit TikTok's format"
    for row in failed:
        assert row.error_code == "21004015"
        assert "Tracking number mismatch provider" in row.reason


async def test_retrying_a_held_shipment_sends_it_as_it_is(connected: Connected) -> None:
    _settled_world(connected)
    await _orders_in_shopify(connected)
    _warehouse_ships_everything(connected)
    await connected.engine.run_until_caught_up(["fulfillment"])
    held = ShopifyFulfillmentRow.select().where(ShopifyFulfillmentRow.state == HELD).first()
    assert held is not None, "the world (seed 21) should hold a tracking number TikTok refuses"
    before = len(_tiktok(connected)["shipping_calls"])
    retry_fulfillment(held.fulfillment_id)
    await connected.engine.run_until_caught_up(["fulfillment"])
    after = fulfillment(held.fulfillment_id)
    assert after is not None and after.state == FAILED and after.error_code == "21004015"
    assert len(_tiktok(connected)["shipping_calls"]) == before  # TikTok refused it


async def test_a_changed_tracking_number_is_corrected_on_tiktok(connected: Connected) -> None:
    _settled_world(connected)
    await _orders_in_shopify(connected)
    _warehouse_ships_everything(connected)
    await connected.engine.run_until_caught_up(["fulfillment"])
    row = (
        ShopifyFulfillmentRow.select()
        .where((ShopifyFulfillmentRow.state == PUSHED) & (ShopifyFulfillmentRow.carrier == "UPS"))
        .first()
    )
    assert row is not None
    store = connected.sandbox.world.shopify
    new_number = "1Z" + "9" * 16
    with store.lock:
        update_tracking(store, row.fulfillment_id, {"number": new_number, "company": "UPS"})
    connected.sandbox.world.advance(5)  # past the search index lag
    await connected.engine.run_until_caught_up(["fulfillment"])

    state = _tiktok(connected)
    updates = [c for c in state["shipping_calls"] if c["call"] == "update_shipping_info"]
    assert [(u["package_id"], u["tracking_number"]) for u in updates] == [
        (row.package_id, new_number)
    ]
    lines = {li["id"]: li for o in state["orders"] for li in o["lines"]}
    covered = fulfillments_of(row.tiktok_order_id)
    mine = next(f for f in covered if f.fulfillment_id == row.fulfillment_id)
    assert all(lines[line]["tracking_number"] == new_number for line in mine.line_item_ids)
    assert mine.state == PUSHED and mine.pushed_tracking == new_number


async def test_under_ten_percent_faults_nothing_is_pushed_twice(connected: Connected) -> None:
    _settled_world(connected)
    await _orders_in_shopify(connected)
    _warehouse_ships_everything(connected)
    faults = {"error_rate": 0.1, "timeout_seconds": 3.0}
    url = f"{connected.sandbox.info().control_url}/faults"
    (await connected.http.post(url, json={"shopify": faults, "tiktok": faults})).raise_for_status()
    for _ in range(10):
        results = await connected.engine.run_until_caught_up(["fulfillment"], max_failures=10)
        if not any(results.values()):
            break
    assert not any(results.values()), results
    (await connected.http.delete(url)).raise_for_status()
    await connected.engine.run_until_caught_up(["fulfillment"])

    world = _state(connected)
    assert check_pushed_once(world) == tiktok_can_take(world)


async def test_an_order_linked_after_its_shipments_were_read_still_gets_them(
    connected: Connected,
) -> None:
    # Another app put some orders in Shopify; ours links them only later (say it was
    # behind), after the warehouse shipped them and the read cursor moved on.
    _settled_world(connected)
    await _orders_in_shopify(connected)
    rows = list(TikTokOrderRow.select().where(TikTokOrderRow.shopify_order_id != ""))
    late = {r.order_id: (r.shopify_order_id, r.shopify_order_name) for r in rows[::2]}
    TikTokOrderRow.update(shopify_order_id="", sync_state="pending").where(
        TikTokOrderRow.order_id.in_(list(late))
    ).execute()
    _warehouse_ships_everything(connected)
    await connected.engine.run_until_caught_up(["fulfillment"])
    assert check_pushed_once(_state(connected)) < tiktok_can_take(_state(connected))

    world = connected.sandbox.world
    world.advance(15 * 60)  # later, a change elsewhere in Shopify moves the cursor on
    store = world.shopify
    pushed = ShopifyFulfillmentRow.select().where(ShopifyFulfillmentRow.state == PUSHED).first()
    with store.lock:
        update_tracking(store, pushed.fulfillment_id, {"number": "1Z" + "8" * 16, "company": "UPS"})
    world.advance(5)
    await connected.engine.run_until_caught_up(["fulfillment"])

    for order_id, (shopify_id, name) in late.items():
        mark_order(
            order_id, LINKED, shopify_order_id=shopify_id, shopify_order_name=name,
            created_elsewhere=True,
        )  # fmt: skip
    await connected.engine.run_until_caught_up(["fulfillment"])
    state = _state(connected)
    corrected = pushed.tiktok_order_id  # its tracking was corrected, not marked again

    def others(pairs: set[tuple[str, str]]) -> set[tuple[str, str]]:
        return {pair for pair in pairs if pair[0] != corrected}

    assert others(check_pushed_once(state)) == others(tiktok_can_take(state))
    assert any(order_id in late for order_id, _ in check_pushed_once(state))
