"""The Orders page on a real database: every order, search, state, links to both stores."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtGui import QDesktopServices

from tiktok_console.storage.bulk import bulk_insert
from tiktok_console.storage.tables import AccountRow, TikTokOrderRow
from tiktok_console.ui.pages.orders import EMPTY, OrderColumn, OrdersPage
from tiktok_console.ui.pages.registry import PAGES

NOW = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)


def payload(order_id: str, buyer: str, *skus: str) -> str:
    lines = [{"sku_id": f"t-{s}", "seller_sku": s, "product_name": "Tee"} for s in skus]
    return json.dumps({"id": order_id, "recipient_address": {"name": buyer},
                       "buyer_email": "b@x.test", "line_items": lines})  # fmt: skip


def order(order_id: str, minutes_ago: int, state: str, buyer: str, *skus: str,
          reason: str = "", gid: str = "", name: str = "") -> dict[str, object]:  # fmt: skip
    return {
        "order_id": order_id, "status": "AWAITING_SHIPMENT",
        "created_at": NOW - timedelta(minutes=minutes_ago), "update_time": 1,
        "total": "19.90", "currency": "USD", "payload": payload(order_id, buyer, *skus),
        "sync_state": state, "reason": reason, "shopify_order_id": gid,
        "shopify_order_name": name, "updated_at": NOW,
    }  # fmt: skip


@pytest.fixture
def filled(profile) -> None:
    for row in (
        order("576461413038785752", 5, "created", "J*** D***", "TEE-RED-M", "TEE-RED-M",
              gid="gid://shopify/Order/5001", name="#1042"),
        order("576461413038785753", 10, "orphan", "A*** B***", "MUG-BLUE",
              reason="Waiting for MUG-BLUE to be mapped"),
        order("576461413038785754", 15, "failed", "C*** K***", "CAP-BLK",
              reason="Shopify refused the order: no stock"),
    ):  # fmt: skip
        TikTokOrderRow.create(**row)
    AccountRow.create(store="shopify", account_key="k", shop="harbor-and-pine.myshopify.com",
                      region="GB", connected_at=NOW)  # fmt: skip
    AccountRow.create(store="tiktok", account_key="k2", shop="7000", region="GB",
                      connected_at=NOW)  # fmt: skip


@pytest.fixture
def page(qtbot, filled, context, settle) -> OrdersPage:
    widget = OrdersPage(context)
    qtbot.addWidget(widget)
    widget.refresh()
    settle()
    return widget


def shown(page: OrdersPage) -> list[str]:
    return [row.order_id for row in page.orders.visible_rows()]


def cell(page: OrdersPage, order_id: str, column: OrderColumn) -> str:
    return page.orders.data(page.orders.index(shown(page).index(order_id), column))


def test_orders_page_is_in_the_sidebar() -> None:
    assert OrdersPage in PAGES


def test_every_order_shows_its_state_reason_buyer_and_skus(page) -> None:
    assert shown(page) == ["576461413038785752", "576461413038785753", "576461413038785754"]
    assert cell(page, "576461413038785752", OrderColumn.STATE) == "In Shopify"
    assert cell(page, "576461413038785752", OrderColumn.SHOPIFY) == "#1042"
    assert cell(page, "576461413038785752", OrderColumn.SKUS) == "TEE-RED-M"
    assert cell(page, "576461413038785753", OrderColumn.STATE) == "Waiting for SKU mapping"
    assert cell(page, "576461413038785754", OrderColumn.REASON) == (
        "Shopify refused the order: no stock"
    )
    assert cell(page, "576461413038785753", OrderColumn.BUYER) == "A*** B***"
    assert page._subtitle.text() == "3 TikTok orders · 1 waiting · 1 failed."


@pytest.mark.parametrize(
    ("text", "expected"),
    [("785753", "576461413038785753"), ("#1042", "576461413038785752"),
     ("C*** K", "576461413038785754"), ("mug-blue", "576461413038785753")],
)  # fmt: skip
def test_search_by_tiktok_id_shopify_name_buyer_or_sku(page, qtbot, text, expected) -> None:
    qtbot.keyClicks(page.search, text)
    qtbot.waitUntil(lambda: shown(page) == [expected], timeout=2000)
    assert page._subtitle.text().startswith("1 of 3 TikTok orders shown")


def test_links_open_the_order_in_shopify_admin_and_seller_center(page, monkeypatch) -> None:
    opened: list[str] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url.toString()))
    page.table.selectRow(0)
    page.shopify_button.click()
    page.seller_center_button.click()
    assert opened == [
        "https://admin.shopify.com/store/harbor-and-pine/orders/5001",
        "https://seller-uk.tiktok.com/order/detail?order_no=576461413038785752&shop_region=GB",
    ]
    page.table.selectRow(1)  # an orphan: not in Shopify yet
    assert not page.shopify_button.isEnabled()
    assert page.seller_center_button.isEnabled()


def test_no_orders_says_so(qtbot, profile, context, settle) -> None:
    widget = OrdersPage(context)
    qtbot.addWidget(widget)
    widget.refresh()
    settle()
    assert widget.stack.currentIndex() == 0
    assert widget.empty.text.text() == EMPTY


def test_fifty_thousand_orders_show_the_newest_first_and_fast(qtbot, profile, context) -> None:
    bulk_insert(TikTokOrderRow, (
        order(f"57646141303{n:08d}", n, "created", f"Buyer {n}", f"SKU-{n % 500}",
              gid=f"gid://shopify/Order/{n}", name=f"#{n}")
        for n in range(50_000)
    ))  # fmt: skip
    widget = OrdersPage(context)
    qtbot.addWidget(widget)
    started = time.perf_counter()
    widget.refresh()
    qtbot.waitUntil(lambda: widget.orders.rowCount() > 0, timeout=5000)
    first = time.perf_counter() - started
    assert shown(widget)[0] == "5764614130300000000"
    qtbot.waitUntil(lambda: widget.orders.rowCount() == 50_000, timeout=20_000)
    assert first < 1.0, f"the newest orders took {first:.2f} s to show"
