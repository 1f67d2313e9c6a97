"""The duplicate guard, the journal after a lost answer, and the pull's overlap window."""

from __future__ import annotations

from tests.sync.conftest import Connected
from tests.sync.test_order_cancels import _errors_about, _shopify_orders, _synced
from tests.sync.test_orders_job import _expected, _settled_world, _shopify_orders_by_tiktok_id
from tiktok_console.storage.catalog.variants import mappings
from tiktok_console.storage.intents import intent, record_intent
from tiktok_console.storage.orders.views import recent_activity
from tiktok_console.storage.tables import IntentRow, JobStateRow, TikTokOrderRow
from tiktok_console.stores.shopify.replies import OrderCreate
from tiktok_console.sync.orders.creation import CREATE
from tiktok_console.sync.orders.guard import GUARD_BATCH


def _another_apps_order(tiktok_order_id: str) -> dict[str, object]:
    """An order as another connector makes it: its own lines, our tag convention."""
    money = {"shopMoney": {"amount": "5.00", "currencyCode": "USD"}}
    return {
        "order": {
            "currency": "USD",
            "tags": ["Other connector", f"TikTokOrderID:{tiktok_order_id}"],
            "lineItems": [{"title": "Imported line", "priceSet": money, "quantity": 1}],
        }
    }


async def test_an_order_already_in_shopify_is_linked_not_created_again(
    connected: Connected,
) -> None:
    _settled_world(connected, minutes=10)
    await connected.engine.run_until_caught_up(["shopify_variants"])
    elsewhere, ours = sorted(_expected(connected))[:2]
    shopify = connected.engine.runner("orders").job._shopify
    # Another app got there first; and our own create went through, but its answer was
    # lost (a crash or a timeout) so its intent is still pending.
    for order_id in (elsewhere, ours):
        made = await shopify.execute(OrderCreate, _another_apps_order(order_id))
        assert not made.order_create.user_errors
    record_intent(f"{CREATE}:{ours}", CREATE, ours, {})
    connected.sandbox.world.advance(1)  # past the search index's lag

    await connected.engine.run_until_caught_up(["orders"])

    created = _shopify_orders_by_tiktok_id(connected)
    assert created[elsewhere] == 1 and created[ours] == 1  # never a second one
    linked = TikTokOrderRow.get_by_id(elsewhere)
    assert linked.sync_state == "linked" and linked.created_elsewhere
    warnings = [e.message for e in recent_activity(level="warning") if e.subject == elsewhere]
    assert warnings == [
        f"TikTok order {elsewhere} was already in Shopify as {linked.shopify_order_name}"
    ]
    resolved = TikTokOrderRow.get_by_id(ours)
    assert resolved.sync_state == "created" and not resolved.created_elsewhere
    recorded = intent(f"{CREATE}:{ours}")
    assert recorded is not None and recorded.status == "done"


async def test_one_guard_search_covers_a_batch_and_links_another_apps_order(
    connected: Connected,
) -> None:
    _settled_world(connected, minutes=5)
    await connected.engine.run_until_caught_up(["shopify_variants"])
    batch = sorted(_expected(connected))
    assert 3 <= len(batch) <= GUARD_BATCH, len(batch)  # one batch of orders to create
    elsewhere = batch[len(batch) // 2]
    shopify = connected.engine.runner("orders").job._shopify
    made = await shopify.execute(OrderCreate, _another_apps_order(elsewhere))
    assert not made.order_create.user_errors
    connected.sandbox.world.advance(1)  # past the search index's lag
    requests = shopify.stats.requests

    await connected.engine.run_until_caught_up(["orders"])

    created = _shopify_orders_by_tiktok_id(connected)
    assert set(created) == set(batch) and max(created.values()) == 1
    linked = TikTokOrderRow.get_by_id(elsewhere)
    assert linked.sync_state == "linked" and linked.created_elsewhere
    others = [TikTokOrderRow.get_by_id(o) for o in batch if o != elsewhere]
    assert all(r.sync_state == "created" and not r.created_elsewhere for r in others)
    # One search for the whole batch, then an orderCreate for each order not in Shopify;
    # and before each SKU mapped automatically, Shopify's variants with that SKU (once per
    # SKU the match reads as: the seller SKU, and Shopify's when it differs).
    checks = sum(1 if m.source == "auto_exact" else 2 for m in mappings().values())
    assert shopify.stats.requests - requests == 1 + len(others) + checks


async def test_a_change_stamped_inside_the_overlap_window_is_still_read(
    connected: Connected,
) -> None:
    order, other = await _synced(connected, 2)
    order_id = order["sourceIdentifier"]
    shop = connected.sandbox.world.tiktok
    connected.sandbox.world.advance(300)
    with shop.lock:  # a change now moves the cursor to now
        other_order = shop.book.orders[other["sourceIdentifier"]]
        shop.book.cancel(other_order, shop.clock.now_int(), "SELLER", "Sold out")
    await connected.engine.run_until_caught_up(["orders"])
    # TikTok's index shows a change late, stamped two minutes before the cursor.
    with shop.lock:
        late = shop.clock.now_int() - 120
        shop.book.cancel(shop.book.orders[order_id], late, "SELLER", "Sold out")

    await connected.engine.run_until_caught_up(["orders"])

    assert _shopify_orders(connected)[order_id]["cancelled"]
    assert TikTokOrderRow.get_by_id(order_id).shopify_cancelled
    assert not _errors_about(order_id)


async def test_after_a_rebuilt_database_the_consoles_own_orders_are_not_another_apps(
    connected: Connected,
) -> None:
    """Issue 14, item 9: the journal is gone with the old database, but the console's
    own tag still tells its orders from another connector's."""
    _settled_world(connected, minutes=10)
    await connected.engine.run_until_caught_up(["shopify_variants", "orders"])
    mine = sorted(_expected(connected))
    assert mine and all(TikTokOrderRow.get_by_id(o).sync_state == "created" for o in mine)
    # Rebuilt: nothing of the orders, their journal or the job's cursor is left.
    for table in (IntentRow, TikTokOrderRow, JobStateRow):
        table.delete().execute()
    connected.sandbox.world.advance(1)

    await connected.engine.run_until_caught_up(["orders"])

    assert _shopify_orders_by_tiktok_id(connected) == {o: 1 for o in mine}  # none twice
    again = {o: TikTokOrderRow.get_by_id(o) for o in mine}
    assert all(r.sync_state == "created" and not r.created_elsewhere for r in again.values())
    assert not [e for e in recent_activity(level="warning") if "already in Shopify" in e.message]
