"""Inventory's detail pane names the Shopify locations a SKU's stock is at."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from tests.ui.test_inventory_page import select, sku
from tiktok_console.storage.inventory.locations import ShopifyLocation, store_locations
from tiktok_console.storage.inventory.tables import ShopifyStockRow
from tiktok_console.ui.pages.inventory import InventoryPage

WAREHOUSE, SHOP, NEW = (f"gid://shopify/Location/{n}" for n in (11, 12, 13))


def test_the_detail_pane_shows_stock_per_location_by_name(qtbot, profile, context, settle) -> None:
    sku("s1", "TEE-RED-M", "Cotton Tee - Red, M", 3, 5, 2, "Shopify has 5.", "TEE-R")
    sku("s2", "", "Mystery Box", 6, None, None)  # not mapped: no Shopify stock to show
    levels = {WAREHOUSE: 3, SHOP: 2, NEW: 0}
    ShopifyStockRow.create(inventory_item_id="i1", variant_id="gid://shopify/ProductVariant/s1",
                           locations=json.dumps(levels), read_at=datetime.now(UTC))  # fmt: skip
    store_locations([ShopifyLocation(WAREHOUSE, "Warehouse"), ShopifyLocation(SHOP, "Shop floor")])
    page = InventoryPage(context)
    qtbot.addWidget(page)
    page.refresh()
    settle()
    settle()
    select(page, "s1")
    settle()
    assert page.detail.locations.text() == (
        "Shopify stock: Location 13 0 · Shop floor 2 · Warehouse 3"
    )
    select(page, "s2")
    settle()
    assert page.detail.locations.text() == ""
