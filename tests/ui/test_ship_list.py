"""The Overview's "Ship today / overdue" list, from real order and fulfillment rows."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from tiktok_console.app import build_window
from tiktok_console.storage.fulfillment.tables import ShopifyFulfillmentRow
from tiktok_console.storage.tables import TikTokOrderRow
from tiktok_console.ui.error_reporter import ErrorReporter
from tiktok_console.ui.pages.ship_list import ShipColumn
from tiktok_console.ui.theme import DANGER


def order(order_id: str, ship_by: datetime, name: str = "", state: str = "created") -> None:
    now = datetime.now(UTC)
    TikTokOrderRow.create(
        order_id=order_id, status="AWAITING_SHIPMENT", created_at=now - timedelta(days=2),
        update_time=1, ship_by=ship_by, payload="{}", sync_state=state, shopify_order_name=name,
        updated_at=now,
    )  # fmt: skip


def test_overview_lists_overdue_orders_first_in_the_danger_colour(qtbot, console) -> None:
    now = datetime.now(UTC)
    local = now.astimezone()
    tonight = datetime.combine(local.date() + timedelta(days=1), time(0)).astimezone()
    order("576000000000000001", now - timedelta(hours=3), name="#1001")
    order("576000000000000002", now + (tonight - now) / 2, state="orphan")  # later today
    order("576000000000000003", now + timedelta(days=3))  # not due today
    ShopifyFulfillmentRow.create(
        fulfillment_id="f1", shopify_order_id="s1", tiktok_order_id="576000000000000001",
        carrier="Royal Mail", tracking_number="RM1", shopify_created_at=now, state="blocked",
        reason="Royal Mail is not mapped to a TikTok shipping provider", updated_at=now,
    )  # fmt: skip
    console.profile.settings.welcome_dismissed = True
    window = build_window(console, ErrorReporter())
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: window.settled)  # the Overview reads off the GUI thread
    overview = window.current_page()
    ships = overview.ship_list
    model = ships.orders

    assert ships.heading.text() == "Ship today / overdue (2)"
    attention = [overview.attention.item(n).text().removesuffix("  ›")
                 for n in range(overview.attention.count())]  # fmt: skip
    assert "1 shipment could not send tracking to TikTok: see Carriers." in attention
    assert ">2<" in overview.ship_card.value_label.text()
    assert "1 overdue" in ships.summary.text() and "1 due before midnight" in ships.summary.text()
    cell = lambda row, column: model.index(row, column)  # noqa: E731
    assert model.data(cell(0, ShipColumn.ORDER)) == "576000000000000001"
    assert model.data(cell(0, ShipColumn.SHOPIFY)) == "#1001"
    assert model.data(cell(0, ShipColumn.LEFT)).startswith("Overdue by")
    assert model.data(cell(0, ShipColumn.SHIP_BY), Qt.ItemDataRole.ForegroundRole) == QColor(DANGER)
    assert model.data(cell(0, ShipColumn.TRACKING)) == "Tracking blocked: carrier not mapped"
    assert "Royal Mail is not mapped" in model.data(
        cell(0, ShipColumn.TRACKING), Qt.ItemDataRole.ToolTipRole
    )
    assert model.data(cell(1, ShipColumn.SHIP_BY), Qt.ItemDataRole.ForegroundRole) is None
    assert model.data(cell(1, ShipColumn.TRACKING)) == "Not in Shopify: a SKU is not mapped"


def test_nothing_due_says_so(qtbot, console) -> None:
    console.profile.settings.welcome_dismissed = True
    window = build_window(console, ErrorReporter())
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: window.settled)  # the Overview reads off the GUI thread
    ships = window.current_page().ship_list
    assert ships.orders.rowCount() == 0 and not ships.table.isVisibleTo(window)
    assert ships.summary.text().startswith("No TikTok order must ship today")


def test_each_attention_item_opens_its_page_filtered(qtbot, console) -> None:
    now = datetime.now(UTC)
    order("576000000000000004", now + timedelta(days=3), state="failed")
    order("576000000000000005", now + timedelta(days=3), state="created")
    console.profile.settings.welcome_dismissed = True
    window = build_window(console, ErrorReporter())
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: window.settled)
    overview = window.current_page()
    items = {overview.attention.item(n).text(): overview.attention.item(n)
             for n in range(overview.attention.count())}  # fmt: skip
    failed = items["1 order was refused by Shopify: see Orders.  ›"]
    overview.attention.itemClicked.emit(failed)
    qtbot.waitUntil(lambda: window.settled)
    orders = window.current_page()
    assert orders.page_id == "orders" and orders.filter.currentText() == "Failed"
    qtbot.waitUntil(lambda: [r.order_id for r in orders.orders.visible_rows()]
                    == ["576000000000000004"])  # fmt: skip
