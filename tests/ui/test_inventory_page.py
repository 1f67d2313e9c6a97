"""The Inventory page on a real database: what it shows per SKU, filters, ledger, CSV."""

from __future__ import annotations

import csv
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QDateTime, QItemSelectionModel, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QFileDialog

from tests.ui.stores import connect_both
from tiktok_console.storage.inventory.tables import StockLedgerRow, StockRuleRow, TikTokSkuRow
from tiktok_console.storage.inventory.views import (
    oversell_risks,
)
from tiktok_console.storage.jobs import record_outcome
from tiktok_console.storage.tables import ShopifyVariantRow, SkuMappingRow
from tiktok_console.sync.inventory import actions as inventory_actions
from tiktok_console.ui.operations import Operation
from tiktok_console.ui.pages import inventory
from tiktok_console.ui.pages.base import documents_folder
from tiktok_console.ui.pages.inventory import EMPTY, InventoryPage, SkuColumn
from tiktok_console.ui.theme import DANGER

NOW = datetime.now(UTC)


def sku(sku_id: str, seller_sku: str, title: str, tiktok: int, shopify: int | None,
        target: int | None, explanation: str = "", variant: str = "",
        status: str = "ACTIVATE") -> None:  # fmt: skip
    TikTokSkuRow.create(
        sku_id=sku_id, product_id="p1", seller_sku=seller_sku, title=title, product_status=status,
        tiktok_quantity=tiktok, shopify_available=shopify, target=target,
        last_push_at=NOW - timedelta(minutes=5) if explanation else None,
        last_explanation=explanation, read_at=NOW, updated_at=NOW,
    )  # fmt: skip
    if variant:
        gid = f"gid://shopify/ProductVariant/{sku_id}"
        ShopifyVariantRow.create(variant_id=gid, sku=variant, title=title, updated_at=NOW)
        SkuMappingRow.create(
            tiktok_sku_id=sku_id, seller_sku=seller_sku, shopify_variant_id=gid, source="auto",
            created_at=NOW,
        )  # fmt: skip


def ledger(sku_id: str, minutes_ago: int, quantity: int, previous: int, reason: str,
           status: str = "pushed", error: str = "") -> None:  # fmt: skip
    StockLedgerRow.create(
        at=NOW - timedelta(minutes=minutes_ago), sku_id=sku_id, shopify_available=5, buffer=2,
        in_flight=1, quantity=quantity, previous=previous, reason=reason,
        explanation=f"Shopify has 5, minus a buffer of 2, minus 1 in flight: {quantity}.",
        status=status, error=error,
    )  # fmt: skip


@pytest.fixture
def filled(profile) -> None:
    sku("s1", "TEE-RED-M", "Cotton Tee - Red, M", 3, 5, 2, "Shopify has 5, minus 3: 2.", "TEE-R")
    sku("s2", "MUG-BLUE", "Ceramic Mug - Blue", 0, 0, 0, "Shopify has 0: 0.", "MUG-B")
    sku("s3", "CAP-BLK", "Baseball Cap - Black", 4, 9, 7, "Shopify has 9, minus 2: 7.", "CAP")
    sku("s4", "", "Mystery Box", 6, None, None)  # not mapped, never computed
    StockRuleRow.create(sku_id="s3", buffer="10%", cap=5, frozen=True, updated_at=NOW)
    ledger("s1", 30, 4, 6, "change")
    ledger("s1", 5, 2, 4, "reconcile", status="failed", error="TikTok is busy")


@pytest.fixture
def page(qtbot, filled, context, settle) -> InventoryPage:
    widget = InventoryPage(context)
    qtbot.addWidget(widget)
    widget.resize(1280, 800)
    widget.refresh()
    settle()
    settle()
    return widget


def shown(page: InventoryPage) -> list[str]:
    return [row.sku_id for row in page.skus.visible_rows()]


def cell(page: InventoryPage, sku_id: str, column: SkuColumn, role=Qt.ItemDataRole.DisplayRole):
    number = shown(page).index(sku_id)
    return page.skus.data(page.skus.index(number, column), role)


def select(page: InventoryPage, *sku_ids: str) -> None:
    selection = page.table.selectionModel()
    selection.clear()
    for sku_id in sku_ids:
        index = page.skus.index(shown(page).index(sku_id), 0)
        flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
        selection.setCurrentIndex(index, flags)


def test_each_sku_shows_both_stores_the_drift_and_why(page) -> None:
    # Most above target first: the oversell risks.
    # Furthest from target first (s3 is 3 below), s4 has no target: last.
    assert shown(page) == ["s3", "s1", "s2", "s4"]
    assert cell(page, "s1", SkuColumn.SHOPIFY) == "5"
    assert cell(page, "s1", SkuColumn.TIKTOK) == "3"
    assert cell(page, "s1", SkuColumn.TARGET) == "2"
    assert cell(page, "s1", SkuColumn.DRIFT) == "+1"
    assert cell(page, "s1", SkuColumn.DRIFT, Qt.ItemDataRole.ForegroundRole) == QColor(DANGER)
    assert cell(page, "s3", SkuColumn.DRIFT) == "-3"
    assert cell(page, "s2", SkuColumn.DRIFT) == "0"
    assert cell(page, "s1", SkuColumn.WHY) == "Shopify has 5, minus 3: 2."
    assert cell(page, "s1", SkuColumn.LAST_PUSH) != "—"
    assert (cell(page, "s3", SkuColumn.BUFFER), cell(page, "s3", SkuColumn.CAP)) == ("10%", "5")
    assert cell(page, "s3", SkuColumn.FROZEN) == "Frozen"
    assert cell(page, "s1", SkuColumn.BUFFER) == "global"
    assert cell(page, "s4", SkuColumn.VARIANT) == "Not mapped"
    assert cell(page, "s4", SkuColumn.SKU) == "(no seller SKU) · Mystery Box"
    assert cell(page, "s1", SkuColumn.SKU) == "TEE-RED-M · Cotton Tee - Red, M"
    assert (cell(page, "s4", SkuColumn.SHOPIFY), cell(page, "s4", SkuColumn.DRIFT)) == ("—", "—")
    align = cell(page, "s1", SkuColumn.TIKTOK, Qt.ItemDataRole.TextAlignmentRole)
    assert align & Qt.AlignmentFlag.AlignRight
    subtitle = page._subtitle.text()
    assert subtitle.startswith("4 TikTok SKUs · 2 drifting from Shopify · 1 at zero on TikTok")
    assert "1 frozen" in subtitle


@pytest.mark.parametrize(
    ("name", "expected"),
    [("Drift", {"s1", "s3"}), ("Zero on TikTok", {"s2"}), ("Frozen", {"s3"}),
     ("Not mapped", {"s4"}), ("All SKUs", {"s1", "s2", "s3", "s4"})],
)  # fmt: skip
def test_filters(page, name: str, expected: set[str], settle) -> None:
    page.filter.setCurrentText(name)
    settle()
    assert set(shown(page)) == expected


def test_search_matches_sku_product_and_variant(page, qtbot) -> None:
    qtbot.keyClicks(page.search, "mug")
    qtbot.waitUntil(lambda: shown(page) == ["s2"], timeout=2000)
    page.search.setText("cap")
    qtbot.waitUntil(lambda: shown(page) == ["s3"], timeout=2000)


def test_sorting_keeps_the_selection(page, settle) -> None:
    select(page, "s3")
    settle()
    page.table.sortByColumn(SkuColumn.SKU, Qt.SortOrder.AscendingOrder)
    assert shown(page) == ["s4", "s3", "s2", "s1"]  # no seller SKU sorts first
    assert [r.sku_id for r in page.selected_skus()] == ["s3"]
    assert page.current_sku() is not None and page.current_sku().sku_id == "s3"


def test_selecting_a_sku_shows_why_and_its_ledger_newest_first(page, settle) -> None:
    select(page, "s1")
    settle()
    detail = page.detail
    assert detail.why.text() == "TikTok shows 3. Shopify has 5, minus 3: 2."
    assert "Shopify variant Cotton Tee - Red, M" in detail.meta.text()
    assert detail.ledger_label.text() == "Stock ledger (2)"
    entries = detail.ledger.visible_rows()
    assert [e.reason for e in entries] == ["reconcile", "change"]
    model = detail.ledger
    assert model.data(model.index(0, 6)) == "4 → 2"
    assert model.data(model.index(0, 7)) == "Failed"
    assert model.data(model.index(0, 7), Qt.ItemDataRole.ToolTipRole) == "TikTok is busy"
    assert model.data(model.index(1, 1)) == "Shopify stock changed"
    assert detail.buffer.text() == "" and detail.cap.text() == "No cap"
    select(page, "s3")
    settle()
    assert detail.why.text().startswith("TikTok shows 4. Frozen")
    assert detail.buffer.text() == "10%" and detail.cap.value() == 5
    assert detail.empty_ledger.isVisibleTo(page)


def test_a_refresh_keeps_selection_and_shows_new_numbers(page, settle) -> None:
    select(page, "s2")
    settle()
    TikTokSkuRow.update(tiktok_quantity=9, target=9, shopify_available=9).where(
        TikTokSkuRow.sku_id == "s2"
    ).execute()
    page.refresh()
    settle()
    assert cell(page, "s2", SkuColumn.TIKTOK) == "9"
    assert [r.sku_id for r in page.selected_skus()] == ["s2"]
    assert page.detail.sku is not None and page.detail.sku.tiktok_quantity == 9


def test_export_writes_the_visible_skus(page, tmp_path: Path, monkeypatch, settle) -> None:
    target = tmp_path / "inventory.csv"
    offered: list[str] = []

    def save_as(_parent, _title, start, _filter):
        offered.append(start)
        return str(target), ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_as)
    page.filter.setCurrentText("Drift")
    settle()
    page.export_button.click()
    settle()
    with target.open(encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["SKU / product"] for r in rows] == ["CAP-BLK", "TEE-RED-M"]
    assert rows[1]["Product"] == "Cotton Tee - Red, M"
    assert rows[1]["Drift"] == "+1" and rows[1]["Why"] == "Shopify has 5, minus 3: 2."
    assert rows[1]["Last push"].startswith(str(NOW.astimezone().year))  # ISO, local
    assert "Exported 2 of 4 SKUs (filtered)" in page.notice.text()
    # Offered in Documents, named for what it holds: not the whole inventory.
    assert Path(offered[0]).name == "inventory-filtered.csv"
    assert Path(offered[0]).parent == documents_folder()


def test_a_big_catalog_shows_its_top_skus_then_every_sku(
    qtbot, filled, monkeypatch, context, settle
) -> None:
    monkeypatch.setattr(inventory, "PREVIEW", 1)
    page = InventoryPage(context)
    qtbot.addWidget(page)
    seen: list[tuple[list[str], str]] = []
    page.skus.modelReset.connect(lambda: seen.append((shown(page), page._subtitle.text())))
    page.refresh()
    assert page.loading
    settle()
    assert seen[0][0] == ["s3"]  # the SKU furthest from its target, shown first
    assert shown(page) == ["s3", "s1", "s2", "s4"] and not page.loading
    assert page._subtitle.text().startswith("4 TikTok SKUs")
    TikTokSkuRow.update(tiktok_quantity=9).where(TikTokSkuRow.sku_id == "s2").execute()
    page.refresh()  # a change: every SKU is read again, the rows stay meanwhile
    assert shown(page) == ["s3", "s1", "s2", "s4"]
    settle()
    assert cell(page, "s2", SkuColumn.TIKTOK) == "9"


def test_empty_state_says_what_to_do(qtbot, context, settle) -> None:
    page = InventoryPage(context)
    qtbot.addWidget(page)
    page.refresh()
    settle()
    settle()
    assert page.stack.currentIndex() == 0 and page.empty.text.text() == EMPTY
    assert not page.export_button.isVisibleTo(page)


# -- actions, through the real sync.inventory_actions --------------------------------


@pytest.fixture
def nudges(engine) -> list[str]:
    """The jobs the page asked the engine to run now."""

    class Jobs(list[str]):
        def __eq__(self, other: object) -> bool:
            return [job for _what, job in engine.calls] == other

    return Jobs()


@pytest.fixture
def acting(qtbot, filled, context, settle) -> InventoryPage:
    connect_both()
    widget = InventoryPage(context)
    qtbot.addWidget(widget)
    widget.resize(1280, 800)
    widget.refresh()
    settle()
    settle()
    return widget


def rule(sku_id: str) -> StockRuleRow | None:
    return StockRuleRow.get_or_none(StockRuleRow.sku_id == sku_id)


def test_freeze_selected_then_unfreeze(acting, nudges, settle) -> None:
    select(acting, "s1", "s2")
    settle()
    assert acting.freeze_button.isEnabled()
    acting.freeze_button.click()
    settle()
    assert rule("s1").frozen and rule("s2").frozen
    assert nudges == ["inventory"]
    assert acting.notice.text() == "2 SKUs frozen: TikTok shows 0 within seconds."
    assert cell(acting, "s1", SkuColumn.FROZEN) == "Frozen"
    assert {r.sku_id for r in acting.selected_skus()} == {"s1", "s2"}  # kept across the refresh
    acting.unfreeze_button.click()
    settle()
    assert not rule("s1").frozen and cell(acting, "s2", SkuColumn.FROZEN) == ""


def test_buffer_and_cap_edits_are_saved_or_refused_with_the_reason(acting, nudges, settle) -> None:
    select(acting, "s1")
    settle()
    detail = acting.detail
    detail.buffer.setText("lots")
    detail.buffer_button.click()
    settle()
    assert rule("s1") is None and nudges == []
    assert detail.error.text()  # the merchant's message from parse_buffer
    detail.buffer.setText("15%")
    detail.buffer_button.click()
    settle()
    assert rule("s1").buffer == "15%" and detail.error.text() == ""
    assert cell(acting, "s1", SkuColumn.BUFFER) == "15%"
    detail.cap.setValue(4)
    detail.cap_button.click()
    settle()
    assert rule("s1").cap == 4 and cell(acting, "s1", SkuColumn.CAP) == "4"
    detail.cap.setValue(-1)  # "No cap"
    detail.cap_button.click()
    settle()
    assert rule("s1").cap is None
    assert nudges == ["inventory"] * 3


def test_livestream_switch_shows_live_until_then_the_report(acting, nudges, settle) -> None:
    bar = acting.livestream
    assert bar.isVisibleTo(acting) and bar.status.text() == "Livestream mode is off"
    ends = (datetime.now(UTC) + timedelta(hours=1)).replace(second=0, microsecond=0)
    bar.until.setDateTime(QDateTime(ends.astimezone()))
    bar.start_button.click()
    settle()
    assert inventory_actions.active_livestream(datetime.now(UTC)) is not None
    assert bar.status.text() == f"● Live until {ends.astimezone():%H:%M}"
    assert bar.end_button.isVisibleTo(acting) and not bar.start_button.isVisibleTo(acting)
    bar.end_button.click()
    settle()
    assert inventory_actions.active_livestream(datetime.now(UTC)) is None
    assert bar.status.text() == "Livestream mode is off"
    assert bar.report.text().startswith("Last livestream (")
    assert "0 oversells avoided" in bar.report.text()
    assert nudges == ["inventory", "inventory"]


def test_a_past_end_time_is_refused(acting, settle) -> None:
    acting.livestream.until.setDateTime(QDateTime(datetime.now().astimezone() - timedelta(hours=1)))
    acting.livestream.start_button.click()
    settle()
    assert "future" in acting.notice.text()
    assert inventory_actions.active_livestream(datetime.now(UTC)) is None


def test_reconcile_now_nudges_the_reconciliation_and_says_when_it_finished(
    acting, engine, context, qtbot, settle
) -> None:
    engine.names = ["inventory", "inventory_reconcile"]
    ended: list[Operation] = []
    context.work.ended.connect(ended.append)
    acting.reconcile_button.click()
    assert engine.calls == [("nudge", "inventory_reconcile")]
    assert acting.notice.text().startswith("Reconciling every SKU")
    assert not acting.reconcile_button.isEnabled() and not context.work.idle
    record_outcome("inventory_reconcile")  # the engine's run ends
    settle()
    assert acting.notice.text().startswith("Reconciled every SKU with Shopify")
    assert ended[0].finished_text == "Reconciled every SKU with Shopify."
    assert acting.reconcile_button.isEnabled()

    acting.reconcile_button.click()
    record_outcome("inventory_reconcile", error="TikTok is busy")
    settle()
    assert acting.notice.text() == "Stock · full reconciliation failed: TikTok is busy"


def test_reconcile_now_without_sync_says_so(acting, engine) -> None:
    acting.reconcile_button.click()
    assert engine.calls == [] and "Sync is not running" in acting.notice.text()


def test_a_picked_end_time_survives_refreshes(acting, settle) -> None:
    moment = (datetime.now().astimezone() + timedelta(hours=5)).replace(second=0, microsecond=0)
    acting.livestream.until.setDateTime(QDateTime(moment))
    acting.refresh()
    settle()
    assert acting.livestream.chosen_end() == moment


def test_drift_has_one_definition_whatever_the_listing_status(page, settle) -> None:
    # TikTok 366 against a target of 363 is a drift of 3, in review or live: the
    # column, the header and the Drift filter all say so (never "—" under "no drift").
    sku("s5", "REVIEW-1", "Listing in review", 366, 370, 363, status="PENDING")
    sku("s6", "FAIL-1", "Refused listing", 40, 40, 40, status="FAILED")
    page.refresh()
    settle()
    assert cell(page, "s5", SkuColumn.DRIFT) == "+3"
    assert cell(page, "s6", SkuColumn.DRIFT) == "0"
    assert "3 drifting from Shopify" in page._subtitle.text()
    # Only a listing TikTok sells can oversell: s1 alone.
    assert oversell_risks() == 1
    page.filter.setCurrentText("Drift")
    settle()
    assert "s5" in shown(page) and "s6" not in shown(page)


def test_the_variant_column_shows_the_variant_name(page) -> None:
    assert cell(page, "s1", SkuColumn.VARIANT) == "Cotton Tee - Red, M"


def test_the_detail_pane_follows_the_selection_and_set_buffer_reaches_only_it(
    acting, nudges, settle
) -> None:
    select(acting, "s1")
    settle()
    assert acting.detail.sku.sku_id == "s1"
    # A filter hides s1: the pane lets it go at once, and "Set buffer" does nothing.
    acting.filter.setCurrentText("Zero on TikTok")
    settle()
    assert acting.detail.sku is None or acting.detail.sku.sku_id != "s1"
    acting.table.selectionModel().clear()
    settle()
    assert acting.detail.sku is None and not acting.detail.buffer_button.isEnabled()
    acting.detail.buffer_requested.emit("s1", "5")  # a click that raced the change
    settle()
    assert rule("s1") is None and nudges == []
    # A new selection is followed before its ledger is even read.
    select(acting, "s2")
    assert acting.detail.sku.sku_id == "s2"


def test_the_header_counts_what_the_table_shows(page, settle) -> None:
    page.filter.setCurrentText("Frozen")
    settle()
    assert page._subtitle.text().startswith("1 of 4 TikTok SKUs shown · 1 drifting from Shopify")


def test_go_live_is_off_until_both_stores_are_connected(page) -> None:
    bar = page.livestream
    assert not bar.start_button.isEnabled()
    assert bar.hint.text() == "Connect both stores to use livestream mode."


def test_a_listing_without_a_seller_sku_can_be_mapped(acting, nudges, monkeypatch, settle) -> None:
    from PySide6.QtWidgets import QDialog

    from tiktok_console.ui.pages.variant_picker import VariantPickerDialog

    def pick(dialog: VariantPickerDialog) -> int:
        dialog.search.setText("CAP")
        dialog.table.selectRow(0)
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(VariantPickerDialog, "exec", pick)
    select(acting, "s1")
    settle()
    assert not acting.map_button.isEnabled()  # already mapped
    select(acting, "s4")  # "Mystery Box", no seller SKU
    settle()
    assert acting.map_button.isEnabled()
    acting.map_button.click()
    settle()
    settle()
    assert SkuMappingRow.get_by_id("s4").shopify_variant_id == "gid://shopify/ProductVariant/s3"
    assert "Mystery Box now maps to" in acting.notice.text()
    assert cell(acting, "s4", SkuColumn.VARIANT) == "Baseball Cap - Black"
