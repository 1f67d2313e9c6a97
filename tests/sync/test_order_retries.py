"""An order Shopify refused waits for the merchant's Retry, and that Retry creates it;
cancelled on TikTok meanwhile, it never reaches Shopify."""

from __future__ import annotations

from tests.sync.conftest import Connected
from tests.sync.test_order_cancels import (
    JOBS,
    _cancel_on_tiktok,
    _errors_about,
    _shopify_orders,
)
from tests.sync.test_orders_job import _settled_world
from tiktok_console.storage.catalog.variants import all_variants
from tiktok_console.storage.orders.tiktok_orders import FAILED, ORPHAN, SKIPPED
from tiktok_console.storage.orders.views import recent_activity
from tiktok_console.storage.tables import TikTokOrderRow
from tiktok_console.sync.orders.actions import retry_order
from tiktok_console.sync.orders.mapping import map_skus

NO_SUCH_VARIANT = "gid://shopify/ProductVariant/999999999"


async def _refused_order(connected: Connected) -> TikTokOrderRow:
    """An orphan the merchant mapped to a variant Shopify does not have: refused, FAILED."""
    _settled_world(connected, minutes=10)
    await connected.engine.run_until_caught_up(JOBS)
    orphan = next(
        row for row in TikTokOrderRow.select().where(TikTokOrderRow.sync_state == ORPHAN)
        if "," not in row.unmapped
    )  # fmt: skip
    map_skus({orphan.unmapped: ("", NO_SUCH_VARIANT)})  # a mistake Shopify refuses
    for _ in range(4):
        await connected.engine.run_until_caught_up(["orders"])
    row = TikTokOrderRow.get_by_id(orphan.order_id)
    assert row.sync_state == FAILED and "Variant does not exist" in row.reason
    return orphan


async def test_a_refused_order_is_not_resent_until_retry_creates_it(connected: Connected) -> None:
    orphan = await _refused_order(connected)
    assert len(_errors_about(orphan.order_id)) == 1  # one error, not one per poll
    assert orphan.order_id not in _shopify_orders(connected)

    # The merchant fixes the mapping, then clicks Retry on the Activity page.
    map_skus({orphan.unmapped: ("", all_variants()[0].variant_id)})
    entry = next(e for e in recent_activity(level="error") if e.subject == orphan.order_id)
    retry_order(entry.subject)  # what the Activity page's Retry runs, then it nudges
    connected.engine.nudge("orders")
    await connected.engine.run_until_caught_up(["orders"])
    assert orphan.order_id in _shopify_orders(connected)
    assert TikTokOrderRow.get_by_id(orphan.order_id).sync_state == "created"


async def test_a_refused_order_cancelled_on_tiktok_is_skipped_and_never_created(
    connected: Connected,
) -> None:
    orphan = await _refused_order(connected)

    _cancel_on_tiktok(connected, orphan.order_id)
    await connected.engine.run_until_caught_up(["orders"])
    row = TikTokOrderRow.get_by_id(orphan.order_id)
    assert row.sync_state == SKIPPED and "Cancelled on TikTok" in row.reason

    # Even once the mapping is fixed and the old error's Retry clicked, it stays out.
    map_skus({orphan.unmapped: ("", all_variants()[0].variant_id)})
    entry = next(e for e in recent_activity(level="error") if e.subject == orphan.order_id)
    retry_order(entry.subject)  # what the Activity page's Retry runs, then it nudges
    connected.engine.nudge("orders")
    await connected.engine.run_until_caught_up(["orders"])
    assert orphan.order_id not in _shopify_orders(connected)
    assert TikTokOrderRow.get_by_id(orphan.order_id).sync_state == SKIPPED
