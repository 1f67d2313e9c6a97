"""Settings names each Shopify location as Shopify does, once the names were read."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from pytestqt.qtbot import QtBot

from tiktok_console.profile import Profile
from tiktok_console.storage.inventory.locations import ShopifyLocation, store_locations
from tiktok_console.storage.inventory.tables import ShopifyStockRow
from tiktok_console.ui.bridge import Bridge
from tiktok_console.ui.error_reporter import ErrorReporter
from tiktok_console.ui.operations import LongWork
from tiktok_console.ui.page_context import NoEngine, PageContext
from tiktok_console.ui.pages.settings import SettingsPage

WAREHOUSE, SHOP, NEW = (f"gid://shopify/Location/{n}" for n in (11, 12, 13))


def test_locations_show_their_names_and_an_unread_one_its_number(
    qtbot: QtBot, profile: Profile
) -> None:
    now = datetime.now(UTC)
    ShopifyStockRow.create(inventory_item_id="i1", variant_id="v1",
                           locations=json.dumps({WAREHOUSE: 3, NEW: 1}), read_at=now)  # fmt: skip
    store_locations(
        [
            ShopifyLocation(WAREHOUSE, "Warehouse"),
            ShopifyLocation(SHOP, "Shop floor"),
            ShopifyLocation("gid://shopify/Location/14", "Closed", is_active=False),
        ]
    )
    reporter = ErrorReporter()
    work = LongWork(reporter.report)
    context = PageContext(Bridge(), work, NoEngine(), profile.settings, profile.save_settings,
                          reporter)  # fmt: skip
    page = SettingsPage(context)
    qtbot.addWidget(page)
    try:
        qtbot.waitUntil(lambda: page.locations.count() == 3)
        texts = [page.locations.item(n).text() for n in range(3)]
        assert texts == ["Location 13", "Shop floor", "Warehouse"]
    finally:
        work.shutdown()
