"""Ship-by deadlines: every order awaiting shipment carries TikTok's latest shipping time."""

from __future__ import annotations

from datetime import UTC, datetime

from tests.sync.conftest import Connected
from tiktok_console.storage.tables import TikTokOrderRow


async def test_ship_by_is_tiktok_s_rts_deadline_once_the_order_leaves_on_hold(
    connected: Connected,
) -> None:
    world = connected.sandbox.world
    world.advance(20 * 60)
    world.tiktok.set_order_rate(0)
    world.advance(15 * 60)  # paid, still on hold: TikTok has no deadline yet
    await connected.engine.run_until_caught_up(["orders"])
    on_hold = {o["id"] for o in world.tiktok.snapshot()["orders"] if o["status"] == "ON_HOLD"}
    assert on_hold, "the world should have orders on hold"
    rows = TikTokOrderRow.select().where(TikTokOrderRow.order_id.in_(on_hold))
    assert all(row.ship_by is None for row in rows)

    world.advance(3600)  # they leave the on-hold window and get their deadline
    await connected.engine.run_until_caught_up(["orders"])
    awaiting = {
        o["id"]: datetime.fromtimestamp(o["rts_sla_time"], UTC)
        for o in world.tiktok.snapshot()["orders"]
        if o["status"] == "AWAITING_SHIPMENT"
    }
    assert set(awaiting) & on_hold
    stored = {
        row.order_id: row.ship_by
        for row in TikTokOrderRow.select().where(TikTokOrderRow.order_id.in_(list(awaiting)))
    }
    assert stored == awaiting
