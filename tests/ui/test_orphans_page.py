"""The Orphan orders page on a real database, with the real queries, suggestions and mapping."""

from __future__ import annotations

import csv
import json
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from unittest.mock import ANY

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QFileDialog, QMessageBox

from tests.ui.stores import connect_both
from tiktok_console.storage.catalog.variants import (
    Variant,
    mappings,
    mark_used,
    store_variants,
)
from tiktok_console.storage.inventory.stock import (
    TikTokSkuRead,
    save_auto_mappings,
    save_barcodes,
    upsert_tiktok_skus,
)
from tiktok_console.storage.orders.tiktok_orders import order_state
from tiktok_console.storage.tables import TikTokOrderRow
from tiktok_console.ui.pages.orphan_detail import ChoiceColumn
from tiktok_console.ui.pages.orphans import EMPTY, NOT_CONNECTED, OrphansPage, SkuColumn
from tiktok_console.ui.table_model import ROW_ROLE
from tiktok_console.ui.theme import DANGER

NOW = datetime.now(UTC)


ORDERS = ("nudge", "orders")  # the page asked the orders job to run


def mapped() -> dict[str, str]:
    """Every TikTok SKU mapped by hand, and its Shopify variant."""
    return {sku: m.shopify_variant_id for sku, m in mappings().items()}


def add_order(order_id: str, unmapped: list[str], total: str, ship_in: float | None) -> None:
    lines = [LINES[sku] for sku in unmapped] * 2  # one line per unit
    TikTokOrderRow.create(
        order_id=order_id, status="AWAITING_SHIPMENT", created_at=NOW - timedelta(days=1),
        update_time=1, ship_by=None if ship_in is None else NOW + timedelta(hours=ship_in),
        total=Decimal(total), currency="USD", payload=json.dumps({"line_items": lines}),
        sync_state="orphan", reason="Not in Shopify yet: SKU not mapped.",
        unmapped=",".join(unmapped), updated_at=NOW,
    )  # fmt: skip


LINES = {
    "t1": {"sku_id": "t1", "seller_sku": "tee-red-m ", "product_name": "Cotton Tee",
           "sku_name": "Red, M", "sale_price": "20.00"},
    "t2": {"sku_id": "t2", "seller_sku": "MUG BLUE 11OZ", "product_name": "Ceramic Mug",
           "sku_name": "Blue", "sale_price": "12.00"},
    "t3": {"sku_id": "t3", "seller_sku": "", "product_name": "Mystery Box",
           "sku_name": "", "sale_price": "5.00"},
}  # fmt: skip


def variant(number: int, sku: str, title: str) -> Variant:
    gid = f"gid://shopify/ProductVariant/{number}"
    return Variant(gid, sku, "", title, f"p{number}", f"i{number}", Decimal("20"))


@pytest.fixture
def filled(profile) -> None:
    store_variants([
        variant(1, "TEE-RED-M", "Cotton Tee - Red / M"),
        variant(2, "TEE-BLU-M", "Cotton Tee - Blue / M"),
        variant(3, "MUG-BLUE", "Ceramic Mug - Blue"),
        variant(4, "CAP-BLK", "Baseball Cap - Black"),
    ])  # fmt: skip
    add_order("A", ["t1"], "40.00", ship_in=5)
    add_order("B", ["t1"], "20.00", ship_in=72)
    add_order("C", ["t2"], "12.00", ship_in=30)
    add_order("D", ["t3"], "5.00", ship_in=None)
    add_order("E", ["t1", "t2"], "32.00", ship_in=50)


@pytest.fixture
def page(qtbot, filled, context, settle) -> OrphansPage:
    context.settings.orders.undo_grace_seconds = 10
    widget = OrphansPage(context)
    qtbot.addWidget(widget)
    widget.resize(1200, 760)
    widget.refresh()
    settle()
    settle()
    return widget


def shown(page: OrphansPage) -> list[str]:
    return [row.sku_id for row in page.skus.visible_rows()]


def test_lists_orphan_skus_nearest_deadline_first_urgent_ones_highlighted(page) -> None:
    assert page.stack.currentIndex() == 1
    assert shown(page) == ["t1", "t2", "t3"]
    assert "3 SKUs hold back 5 orders" in page._subtitle.text()
    first = page.skus.visible_rows()[0]
    assert (first.seller_sku, first.title, first.orders_blocked) == (
        "tee-red-m",
        "Cotton Tee - Red, M",
        3,
    )
    cell = page.skus.index(0, SkuColumn.SHIP_BY)
    assert page.skus.data(cell, Qt.ItemDataRole.ForegroundRole) == QColor(DANGER)  # 5 h left
    assert (
        page.skus.data(page.skus.index(1, SkuColumn.SHIP_BY), Qt.ItemDataRole.ForegroundRole)
        is None
    )
    assert page.skus.data(page.skus.index(0, SkuColumn.VALUE)) == "$92.00"
    assert page.skus.data(page.skus.index(2, SkuColumn.SHIP_BY)) == "—"
    assert page.skus.data(page.skus.index(2, SkuColumn.SKU)) == "(no seller SKU)"


def test_search_filters_the_skus(page, qtbot) -> None:
    qtbot.keyClicks(page.search, "mug")
    assert shown(page) == ["t2"]
    page.search.clear()
    assert len(shown(page)) == 3


def test_selecting_a_sku_shows_its_orders_and_suggestions(page, settle) -> None:
    assert not page.detail.map_button.isEnabled()
    page.select_sku("t1")
    settle()
    assert [o.order_id for o in page.detail.orders.visible_rows()] == ["A", "E", "B"]
    assert page.detail.orders_label.text() == "Blocked orders (3)"
    assert "seller SKU tee-red-m" in page.detail.meta.text()
    choices = page.detail.suggestions.visible_rows()
    assert 1 <= len(choices) <= 5
    assert choices[0].sku == "TEE-RED-M" and choices[0].score == 95
    assert "same SKU after normalising" in choices[0].why
    assert page.detail.chosen_variant() == choices[0]  # the best is preselected
    assert page.detail.map_button.isEnabled()
    index = page.detail.suggestions.index(0, ChoiceColumn.SCORE)
    assert page.detail.suggestions.data(index) == "95"


def test_map_now_maps_the_sku_then_nudges_and_releases_its_orders(
    page, engine, qtbot, settle
) -> None:
    page.select_sku("t1")
    settle()
    qtbot.mouseClick(page.detail.map_button, Qt.MouseButton.LeftButton)
    settle()

    assert engine.calls == [ORDERS]
    assert mapped() == {"t1": "gid://shopify/ProductVariant/1"}
    assert page.notice.text() == (
        "Mapped tee-red-m: 2 orders go to Shopify in 10 s. 1 order still waits for other SKUs."
    )
    assert page.notice.isVisibleTo(page) and page.undo_button.isVisibleTo(page)
    assert "t1" not in shown(page)
    assert order_state("A").sync_state == "pending"
    assert order_state("E").sync_state == "orphan"  # t2 still blocks it: not released


def test_map_to_any_variant_picked_from_the_searchable_list(page, engine, qtbot, settle) -> None:
    page.select_sku("t3")
    settle()
    page.detail.tabs.setCurrentIndex(1)
    qtbot.keyClicks(page.detail.variant_search, "cap")
    assert [c.sku for c in page.detail.all_variants.visible_rows()] == ["CAP-BLK"]
    assert not page.detail.map_button.isEnabled()
    page.detail.variant_table.selectRow(0)
    qtbot.mouseClick(page.detail.map_button, Qt.MouseButton.LeftButton)
    settle()
    assert mapped() == {"t3": "gid://shopify/ProductVariant/4"}
    assert page.notice.text() == "Mapped t3: 1 order goes to Shopify in 10 s."


def test_bulk_maps_several_to_their_best_suggestion_after_confirming(
    page, engine, qtbot, monkeypatch, settle
) -> None:
    asked: list[str] = []

    def answer(box: QMessageBox) -> QMessageBox.StandardButton:
        asked.append(box.text())
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "exec", answer)
    page.select_sku("t1")
    settle()
    page.select_sku("t2", add=True)
    settle()
    assert page.bulk_button.isEnabled()
    qtbot.mouseClick(page.bulk_button, Qt.MouseButton.LeftButton)
    settle()

    assert "Map 2 SKUs" in asked[0] and "4 orders will be released" in asked[0]
    assert mapped() == {
        "t1": "gid://shopify/ProductVariant/1", "t2": "gid://shopify/ProductVariant/3",
    }  # fmt: skip
    assert engine.calls == [ORDERS]
    assert page.notice.text() == "Mapped 2 SKUs: 4 orders go to Shopify in 10 s."
    assert shown(page) == ["t3"]


def test_bulk_cancelled_maps_nothing(page, engine, qtbot, monkeypatch, settle) -> None:
    monkeypatch.setattr(QMessageBox, "exec", lambda box: QMessageBox.StandardButton.Cancel)
    page.select_sku("t2")
    settle()
    qtbot.mouseClick(page.bulk_button, Qt.MouseButton.LeftButton)
    settle()
    assert mapped() == {} and engine.calls == []
    assert shown(page) == ["t1", "t2", "t3"]


def test_undo_works_until_an_order_used_the_mapping(page, engine, qtbot, settle) -> None:
    assert not page.undo_button.isVisibleTo(page)
    page.select_sku("t2")
    settle()
    qtbot.mouseClick(page.detail.map_button, Qt.MouseButton.LeftButton)
    settle()
    qtbot.mouseClick(page.undo_button, Qt.MouseButton.LeftButton)
    settle()
    assert engine.calls == [ORDERS, ORDERS]  # mapped, then undone
    assert "t2" not in mappings()
    assert page.notice.text().startswith("Mapping undone")
    assert not page.undo_button.isVisibleTo(page)

    page.select_sku("t1")
    settle()
    qtbot.mouseClick(page.detail.map_button, Qt.MouseButton.LeftButton)
    settle()
    mark_used(["t1"])  # the orders job created an order with it
    qtbot.mouseClick(page.undo_button, Qt.MouseButton.LeftButton)
    settle()
    assert engine.calls[-1] == ORDERS
    assert page.notice.text() == "Cannot undo: an order already used this mapping."
    assert "t1" in mappings()


def test_export_writes_the_visible_skus_with_plain_money(
    page, qtbot, monkeypatch, tmp_path: Path, settle
) -> None:
    target = tmp_path / "orphans.csv"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    qtbot.keyClicks(page.search, "cotton")
    qtbot.mouseClick(page.export_button, Qt.MouseButton.LeftButton)
    settle()
    with target.open(encoding="utf-8-sig", newline="") as handle:
        lines = list(csv.reader(handle))
    assert lines[0] == ["SKU", "Product", "Orders", "Value blocked", "Oldest order", "Ship by"]
    assert lines[1][:4] == ["tee-red-m", "Cotton Tee - Red, M", "3", "92.00"]
    assert datetime.fromisoformat(lines[1][5]) == (NOW + timedelta(hours=5)).replace(microsecond=0)
    assert len(lines) == 2
    assert page.notice.text() == f"Exported 1 of 3 SKUs (filtered) to {target}."


def test_before_anything_is_connected_the_page_says_so(qtbot, context, settle) -> None:
    page = OrphansPage(context)
    qtbot.addWidget(page)
    page.refresh()
    settle()
    assert page.stack.currentWidget() is page.empty
    assert page.empty.heading.text() == "Nothing connected yet"
    assert page.empty.text.text() == NOT_CONNECTED


def test_empty_state_says_everything_is_mapped(qtbot, context, engine, settle) -> None:
    connect_both()
    page = OrphansPage(context)
    qtbot.addWidget(page)
    page.refresh()
    settle()
    assert page.stack.currentWidget() is page.empty
    assert page.empty.text.text() == EMPTY
    assert not page.bulk_button.isEnabled()
    assert not page.search.isVisibleTo(page) and not page.export_button.isVisibleTo(page)


def test_refresh_keeps_the_selected_sku_and_its_detail(page, settle) -> None:
    page.select_sku("t2")
    settle()
    add_order("F", ["t2"], "1.00", ship_in=1)  # t2 becomes the most urgent
    page.refresh()
    settle()
    assert shown(page)[0] == "t2"
    current = page.skus.data(page.table.currentIndex(), ROW_ROLE)
    assert current.sku_id == "t2" and current.orders_blocked == 3
    assert page.detail.orders_label.text() == "Blocked orders (3)"


@pytest.fixture
def page_with_mappings(qtbot, filled, context, settle) -> OrphansPage:
    context.settings.orders.undo_grace_seconds = 0
    widget = OrphansPage(context)
    qtbot.addWidget(widget)
    widget.resize(1200, 760)
    widget.refresh()
    settle()
    return widget


def recent_cells(page: OrphansPage) -> list[list[str]]:
    rows = page.recent.rows
    return [
        [rows.data(rows.index(r, c)) for c in range(rows.columnCount())]
        for r in range(rows.rowCount())
    ]


def test_a_tiktok_barcode_suggests_the_variant_with_the_same_barcode_first(
    context, qtbot, engine, settle
) -> None:
    store_variants([
        variant(1, "TEE-RED-M", "Cotton Tee - Red / M"),
        Variant("gid://shopify/ProductVariant/9", "X-99", "0012345678905", "Gift card",
                "p9", "i9", Decimal("5")),
    ])  # fmt: skip
    add_order("A", ["t1"], "40.00", ship_in=5)
    upsert_tiktok_skus(
        [TikTokSkuRead("t1", "tp1", "tee-red-m ", "Cotton Tee", "ACTIVATE", ())], NOW
    )
    save_barcodes({"t1": "12345678905"})  # UPC-A as TikTok has it; EAN-13 in Shopify
    page = OrphansPage(context)
    qtbot.addWidget(page)
    page.refresh()
    settle()
    page.select_sku("t1")
    settle()
    best = page.detail.suggestions.visible_rows()[0]
    assert (best.sku, best.why) == ("X-99", "same barcode")


def test_recent_mappings_lists_every_mapping_and_undoes_unused_ones(
    page_with_mappings, engine, qtbot, settle
) -> None:
    page = page_with_mappings
    save_auto_mappings([("t9", "mug-blue", "gid://shopify/ProductVariant/3", "auto_normalized")])
    page.select_sku("t2")
    settle()
    qtbot.mouseClick(page.detail.map_button, Qt.MouseButton.LeftButton)
    settle()
    assert page.notice.text() == (
        "Mapped MUG BLUE 11OZ: 1 order goes to Shopify within seconds. "
        "1 order still waits for other SKUs."
    )
    mark_used(["t9"])
    page.refresh()
    settle()

    page.lower_tabs.setCurrentWidget(page.recent)
    assert page.lower_tabs.tabText(1) == "Recent mappings (2)"
    assert sorted(recent_cells(page)) == sorted([
        ["MUG BLUE 11OZ", "MUG-BLUE · Ceramic Mug - Blue", "Manual", ANY, "Not yet"],
        ["mug-blue", "MUG-BLUE · Ceramic Mug - Blue", "Similar SKU (review)", ANY, "By an order"],
    ])  # fmt: skip
    page.recent.select("t9")
    settle()
    assert not page.recent.undo_button.isEnabled()  # an order used it
    page.recent.select("t2")
    settle()
    qtbot.mouseClick(page.recent.undo_button, Qt.MouseButton.LeftButton)
    settle()
    assert engine.calls[-1] == ORDERS
    assert page.notice.text() == (
        "Mapping of MUG BLUE 11OZ undone; it is not mapped automatically again."
    )
    assert [r.mapping.tiktok_sku_id for r in page.recent.rows.visible_rows()] == ["t9"]
    assert "t2" not in mappings()


def test_with_no_orphans_the_recent_mappings_are_shown(qtbot, context, engine, settle) -> None:
    save_auto_mappings([("t1", "TEE-RED-M", "gid://shopify/ProductVariant/1", "auto_exact")])
    page = OrphansPage(context)
    qtbot.addWidget(page)
    page.refresh()
    settle()
    assert page.stack.currentWidget() is page.empty
    assert page.lower_tabs.currentWidget() is page.recent and not page.lower_tabs.isTabEnabled(0)
    assert recent_cells(page)[0][:3] == ["TEE-RED-M", "(variant no longer in Shopify)", "Same SKU"]


def test_a_weak_best_suggestion_is_never_picked_for_the_merchant(page, settle) -> None:
    # "Mystery Box" has no seller SKU: at best a weak title match, or nothing.
    page.select_sku("t3")
    settle()
    choices = page.detail.suggestions.model_.rows
    assert not choices or choices[0].score < 80
    assert page.detail.chosen_variant() is None
    assert not page.detail.map_button.isEnabled()
    hint = page.detail.map_hint.text()
    assert "below 80" in hint or "No suggestion" in hint, hint


def test_weakness_is_a_low_score_or_a_tie() -> None:
    from tiktok_console.ui.pages.orphan_detail import VariantChoice, weakness

    def c(score: float) -> VariantChoice:
        return VariantChoice(f"v{score}", "S", "T", score)

    assert weakness([c(95), c(60)]) == ""
    assert "scores 44" in weakness([c(44)])
    assert "tie at 90" in weakness([c(90), c(90)])
    assert weakness([]).startswith("No suggestion")


def test_a_pick_never_carries_over_to_another_sku(page, qtbot, settle) -> None:
    page.select_sku("t1")
    settle()
    assert page.detail.chosen_variant() is not None  # a strong suggestion (95) is ready
    page.detail.tabs.setCurrentIndex(1)
    page.detail.variant_table.selectRow(0)
    page.select_sku("t3")
    # At once, before t3's suggestions are even read: nothing is picked for t3.
    assert page.detail.sku.sku_id == "t3" and page.detail.chosen_variant() is None
    settle()
    assert page.detail.chosen_variant() is None
    page.detail.map_requested.emit()  # a double click racing the change
    settle()
    assert "t3" not in mappings()


def test_not_in_shopify_keeps_the_orders_and_stops_suggesting(page, engine, qtbot, settle) -> None:
    from tiktok_console.storage.catalog.variants import declined, not_in_shopify

    page.select_sku("t2")
    settle()
    qtbot.mouseClick(page.detail.not_in_shopify_button, Qt.MouseButton.LeftButton)
    settle()
    settle()
    assert not_in_shopify(["t2"]) == {"t2"} and declined(["t2"]) == {"t2"}  # never auto-mapped
    assert "t2" not in mappings()
    assert "t2" in shown(page)  # its orders stay orphans, shown here
    assert order_state("C").sync_state == "orphan"
    page.select_sku("t2")
    settle()
    assert not page.detail.suggestions.model_.rows
    assert "marked not in Shopify" in page.detail.meta.text()
    assert not page.detail.not_in_shopify_button.isEnabled()
    assert page.notice.text().startswith("MUG BLUE 11OZ is marked not in Shopify")


def test_the_undo_notice_counts_down_and_goes_when_the_window_ends(
    page, context, qtbot, settle, monkeypatch
) -> None:
    from tiktok_console.ui.pages import orphans

    monkeypatch.setattr(orphans, "UNDO_LINGER_MS", 300)
    context.settings.orders.undo_grace_seconds = 2
    page.select_sku("t2")
    settle()
    qtbot.mouseClick(page.detail.map_button, Qt.MouseButton.LeftButton)
    settle()
    assert page.notice.text().startswith("Mapped MUG BLUE 11OZ: 1 order goes to Shopify in 2 s.")
    assert page.undo_button.isVisibleTo(page)
    qtbot.waitUntil(lambda: "in 1 s" in page.notice.text(), timeout=1500)
    qtbot.waitUntil(lambda: not page.undo_button.isVisibleTo(page), timeout=1500)
    assert page.notice.text().startswith("Mapped MUG BLUE 11OZ: 1 order is going to Shopify now.")
    assert page.undo_seconds_left == 0
    qtbot.waitUntil(lambda: not page.notice.isVisibleTo(page), timeout=1500)  # then it goes
