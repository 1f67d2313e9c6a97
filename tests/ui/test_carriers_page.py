"""The Carriers page on a real database: carriers seen, mappings, stuck shipments, CSV."""

from __future__ import annotations

import csv
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QComboBox, QDialog, QFileDialog, QMessageBox

from tiktok_console.storage.fulfillment.tables import (
    CarrierMappingRow,
    ShippingProviderRow,
    ShopifyFulfillmentRow,
)
from tiktok_console.storage.tables import TikTokOrderRow
from tiktok_console.ui.pages.carrier_options import CarrierOptionsDialog
from tiktok_console.ui.pages.carrier_table import CarrierColumn
from tiktok_console.ui.pages.carriers import EMPTY, CarriersPage, StuckColumn
from tiktok_console.ui.theme import DANGER

NOW = datetime.now(UTC)


def shipment(fid: str, order: str, carrier: str, tracking: str, state: str = "pushed",
             reason: str = "", option: str = "std", minutes_ago: int = 10) -> None:  # fmt: skip
    ShopifyFulfillmentRow.create(
        fulfillment_id=fid, shopify_order_id=f"s{order}", tiktok_order_id=order,
        delivery_option_id=option, carrier=carrier, tracking_number=tracking,
        shopify_created_at=NOW - timedelta(minutes=minutes_ago), state=state, reason=reason,
        updated_at=NOW,
    )  # fmt: skip


def mapping(carrier: str, option: str, provider_id: str, name: str) -> None:
    CarrierMappingRow.create(
        carrier=carrier, delivery_option_id=option, provider_id=provider_id, provider_name=name,
        created_at=NOW, updated_at=NOW,
    )  # fmt: skip


@pytest.fixture
def filled(profile) -> None:
    for option, option_name in (("std", "Standard shipping"), ("exp", "Express shipping")):
        for pid, name in (("p-ups", "UPS"), ("p-usps", "USPS"), ("p-dhl", "DHL eCommerce")):
            ShippingProviderRow.create(
                delivery_option_id=option, delivery_option_name=option_name, provider_id=pid,
                provider_name=name, fetched_at=NOW,
            )  # fmt: skip
    TikTokOrderRow.create(
        order_id="o2", status="AWAITING_SHIPMENT", created_at=NOW, update_time=1,
        ship_by=NOW + timedelta(hours=4), payload="{}", shopify_order_name="#1002",
        updated_at=NOW,
    )  # fmt: skip
    shipment("f1", "o1", "UPS", "1Z999AA10123456784")
    shipment("f2", "o2", "Royal Mail", "RM123456785GB", "blocked", "Royal Mail is not mapped")
    shipment("f3", "o3", "Royal Mail", "RM987654325GB", "blocked", "Royal Mail is not mapped")
    shipment("f4", "o4", "USPS", "9400111899223344556677", "failed", "Tracking number invalid",
             option="exp")  # fmt: skip
    mapping("UPS", "", "p-ups", "UPS")
    mapping("USPS", "std", "p-usps", "USPS")
    mapping("USPS", "exp", "p-ups", "UPS")


@pytest.fixture
def page(qtbot, filled, context, settle) -> CarriersPage:
    widget = CarriersPage(context)
    qtbot.addWidget(widget)
    widget.resize(1280, 800)
    widget.refresh()
    settle()
    return widget


def text(page: CarriersPage, carrier: str, column: CarrierColumn, role=Qt.ItemDataRole.DisplayRole):
    names = [r.carrier for r in page.carriers.visible_rows()]
    return page.carriers.data(page.carriers.index(names.index(carrier), column), role)


def test_one_line_per_carrier_most_blocked_first(page) -> None:
    assert [r.carrier for r in page.carriers.visible_rows()] == ["Royal Mail", "UPS", "USPS"]
    assert text(page, "Royal Mail", CarrierColumn.SHIPMENTS) == "2"
    assert text(page, "Royal Mail", CarrierColumn.BLOCKED) == "2"
    assert text(page, "Royal Mail", CarrierColumn.MAPPING) == "Not mapped: double-click to map"
    assert text(page, "Royal Mail", CarrierColumn.MAPPING, Qt.ItemDataRole.ForegroundRole) == (
        QColor(DANGER)
    )
    assert text(page, "UPS", CarrierColumn.MAPPING) == "UPS"
    assert text(page, "UPS", CarrierColumn.BLOCKED) == ""
    # Different providers per delivery option are spelled out with the options' names.
    assert text(page, "USPS", CarrierColumn.MAPPING) == (
        "Express shipping: UPS · Standard shipping: USPS"
    )
    assert page._subtitle.text().startswith("3 carriers seen, 1 not mapped; 3 shipments need")


def test_stuck_shipments_with_order_carrier_tracking_and_reason(page) -> None:
    stuck = page.stuck.visible_rows()
    assert [s.fulfillment_id for s in stuck] == ["f2", "f3", "f4"]  # ship-by first
    model = page.stuck
    assert model.data(model.index(0, StuckColumn.SHOPIFY)) == "#1002"
    assert model.data(model.index(0, StuckColumn.PROBLEM)) == "Not mapped"
    assert model.data(model.index(0, StuckColumn.REASON)) == "Royal Mail is not mapped"
    assert model.data(model.index(2, StuckColumn.PROBLEM)) == "Refused"
    assert model.data(model.index(2, StuckColumn.TRACKING)) == "9400111899223344556677"
    assert page.stuck_title.text() == "Blocked, held and failed shipments (3)"


def test_search_and_export(page, qtbot, tmp_path: Path, monkeypatch) -> None:
    qtbot.keyClicks(page.search, "royal")
    target = tmp_path / "carriers.csv"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    page.export_button.click()
    with target.open(encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    assert [(r["Shopify carrier"], r["Blocked"], r["TikTok provider"]) for r in rows] == [
        ("Royal Mail", "2", "")
    ]


def test_empty_state_says_what_to_do(qtbot, context, settle) -> None:
    page = CarriersPage(context)
    qtbot.addWidget(page)
    page.refresh()
    settle()
    assert page.stack.currentIndex() == 0 and page.empty.text.text() == EMPTY
    assert not page.stuck_section.isVisibleTo(
        page
    )  # nothing stuck either: the empty state says it all


def test_per_option_dialog_offers_each_options_providers_and_reports_changes(page, qtbot) -> None:
    usps = next(r.line for r in page.carriers.visible_rows() if r.carrier == "USPS")
    dialog = CarrierOptionsDialog(usps, page.providers, page)
    qtbot.addWidget(dialog)
    assert list(dialog.combos) == ["", "exp", "std"]
    every, express, standard = dialog.combos.values()
    assert every.currentText() == "Not mapped"
    assert (express.currentText(), standard.currentText()) == ("UPS", "USPS")
    assert [express.itemText(n) for n in range(express.count())] == [
        "Use the mapping for every option", "DHL eCommerce", "UPS", "USPS",
    ]  # fmt: skip
    assert dialog.changes() == {}
    every.setCurrentIndex(every.findData("p-ups"))
    standard.setCurrentIndex(0)  # fall back to the every-option mapping
    assert dialog.changes() == {"": "p-ups", "std": ""}


# -- actions, through the real carrier actions and suggestions -----------------------


@pytest.fixture
def nudges(engine) -> list[tuple[str, str | None]]:
    return engine.calls  # what the page asked of the engine


FULFILLMENT = [("nudge", "fulfillment")]


@pytest.fixture
def acting(qtbot, filled, context, settle) -> CarriersPage:
    shipment("f5", "o5", "UPS Ground", "1Z999AA10123456784", "blocked", "UPS Ground is not mapped")
    widget = CarriersPage(context)
    qtbot.addWidget(widget)
    widget.resize(1280, 800)
    widget.refresh()
    settle()
    return widget


def row_of(acting: CarriersPage, carrier: str) -> int:
    return [r.carrier for r in acting.carriers.visible_rows()].index(carrier)


def state(fulfillment_id: str) -> str:
    return ShopifyFulfillmentRow.get_by_id(fulfillment_id).state


def test_inline_mapping_saves_releases_and_nudges(acting, nudges, settle) -> None:
    index = acting.carriers.index(row_of(acting, "Royal Mail"), CarrierColumn.MAPPING)
    assert acting.carriers.flags(index) & Qt.ItemFlag.ItemIsEditable
    acting.carriers.setData(index, "p-dhl", Qt.ItemDataRole.EditRole)
    settle()
    saved = CarrierMappingRow.get(CarrierMappingRow.carrier == "Royal Mail")
    assert (saved.provider_id, saved.delivery_option_id, saved.source) == ("p-dhl", "", "manual")
    assert state("f2") == "pending" and state("f3") == "pending"
    assert nudges == FULFILLMENT
    # Released, but the job will hold both: Royal Mail numbers are no DHL numbers. The
    # page says so per shipment instead of "2 go to TikTok now".
    assert acting.notice.text() == (
        "Royal Mail now maps to DHL eCommerce. 2 shipments held, not sent: "
        "o2: RM123456785GB does not look like a DHL eCommerce number; "
        "o3: RM987654325GB does not look like a DHL eCommerce number. "
        "Fix the number in Shopify, or retry to send it as it is."
    )
    assert {s.fulfillment_id for s in acting.stuck.visible_rows()} == {"f4", "f5"}
    assert (
        acting.carriers.data(
            acting.carriers.index(row_of(acting, "Royal Mail"), CarrierColumn.MAPPING)
        )
        == "DHL eCommerce"
    )


def test_the_chooser_offers_cached_providers_and_the_current_one(acting, qtbot, settle) -> None:
    index = acting.carriers.index(row_of(acting, "UPS"), CarrierColumn.MAPPING)
    acting.table.setCurrentIndex(index)
    acting.table.edit(index)
    editor = acting.table.findChild(QComboBox)
    assert editor is not None
    assert [editor.itemText(n) for n in range(editor.count())] == [
        "Choose a TikTok provider…", "DHL eCommerce", "UPS", "USPS",
    ]  # fmt: skip
    assert editor.currentText() == "UPS"
    editor.setCurrentIndex(editor.findData("p-usps"))
    editor.activated.emit(editor.currentIndex())  # picked: saved at once
    settle()
    saved = CarrierMappingRow.get(CarrierMappingRow.carrier == "UPS")
    assert saved.provider_id == "p-usps"
    assert acting.notice.text() == "UPS now maps to USPS. No shipment was waiting for it."


def test_suggestions_from_names_and_numbers_applied_in_bulk(
    acting, nudges, monkeypatch, settle
) -> None:
    line = acting.carriers.visible_rows()[row_of(acting, "UPS Ground")]
    assert line.suggestion is not None and line.suggestion.provider_id == "p-ups"
    cell = acting.carriers.index(row_of(acting, "UPS Ground"), CarrierColumn.SUGGESTION)
    assert acting.carriers.data(cell).startswith("UPS (")
    assert acting.carriers.data(cell, Qt.ItemDataRole.ToolTipRole)  # the why
    asked: list[str] = []

    def answer(box: QMessageBox) -> QMessageBox.StandardButton:
        asked.append(box.text())
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "exec", answer)
    selection = acting.table.selectionModel()
    for carrier in ("UPS Ground", "UPS"):  # UPS is already mapped as suggested: skipped
        flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
        selection.select(acting.carriers.index(row_of(acting, carrier), 0), flags)
    acting.apply_button.click()
    settle()
    assert "UPS Ground → UPS" in asked[0] and "UPS → " not in asked[0].replace("Ground → ", "")
    saved = CarrierMappingRow.get(CarrierMappingRow.carrier == "UPS Ground")
    assert (saved.provider_id, saved.source) == ("p-ups", "bulk")
    assert state("f5") == "pending" and nudges == FULFILLMENT
    assert acting.notice.text() == "Mapped 1 carrier. 1 shipment goes to TikTok now (o5)."


def test_one_click_retry(acting, nudges, settle) -> None:
    number = [s.fulfillment_id for s in acting.stuck.visible_rows()].index("f4")
    assert not acting.stuck_table.isColumnHidden(StuckColumn.RETRY)
    acting.stuck_table.clicked.emit(acting.stuck.index(number, StuckColumn.RETRY))
    settle()
    assert state("f4") == "pending" and nudges == FULFILLMENT
    assert "f4" not in [s.fulfillment_id for s in acting.stuck.visible_rows()]
    assert acting.notice.text() == "Retrying the tracking of order o4."


def test_per_option_mapping_and_the_last_mapping_kept(acting, nudges, monkeypatch, settle) -> None:
    def choose(dialog: CarrierOptionsDialog) -> int:
        dialog.combos["std"].setCurrentIndex(0)  # USPS on Standard: back to the fallback
        dialog.combos[""].setCurrentIndex(dialog.combos[""].findData("p-usps"))
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(CarrierOptionsDialog, "exec", choose)
    acting.table.selectRow(row_of(acting, "USPS"))
    assert acting.options_button.isEnabled()
    acting.options_button.click()
    settle()
    usps = {
        r.delivery_option_id: r.provider_id
        for r in CarrierMappingRow.select().where(CarrierMappingRow.carrier == "USPS")
    }
    assert usps == {"": "p-usps", "exp": "p-ups"}
    assert nudges == FULFILLMENT
    # Remove every mapping but one, then try the last one: refused with the reason.
    CarrierMappingRow.delete().where(CarrierMappingRow.carrier != "UPS").execute()
    acting.refresh()
    settle()

    def remove(dialog: CarrierOptionsDialog) -> int:
        dialog.combos[""].setCurrentIndex(0)
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(CarrierOptionsDialog, "exec", remove)
    acting.table.selectRow(row_of(acting, "UPS"))
    acting.options_button.click()
    settle()
    assert "At least one carrier mapping is always kept" in acting.notice.text()
    assert CarrierMappingRow.select().count() == 1


def test_sending_a_held_shipment_as_is_asks_first_and_says_what_tiktok_will_answer(
    acting, nudges, monkeypatch, settle
) -> None:
    shipment("f6", "o6", "UPS", "RM123456785GB", "held",
             "Tracking number RM123456785GB does not look like a UPS number")  # fmt: skip
    acting.refresh()
    settle()
    asked: list[str] = []
    answers = [QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Yes]

    def answer(box: QMessageBox) -> QMessageBox.StandardButton:
        asked.append(box.text())
        return answers.pop(0)

    monkeypatch.setattr(QMessageBox, "exec", answer)
    number = [s.fulfillment_id for s in acting.stuck.visible_rows()].index("f6")
    retry = acting.stuck.index(number, StuckColumn.RETRY)
    acting.stuck_table.clicked.emit(retry)
    settle()
    assert state("f6") == "held" and nudges == []  # cancelled: nothing sent
    assert "Tracking number mismatch provider" in asked[0] and "RM123456785GB" in asked[0]
    acting.stuck_table.clicked.emit(retry)
    settle()
    assert state("f6") == "pending" and nudges == FULFILLMENT


def test_the_provider_chooser_is_searchable_by_any_part_of_the_name(acting, qtbot) -> None:
    index = acting.carriers.index(row_of(acting, "UPS"), CarrierColumn.MAPPING)
    acting.table.setCurrentIndex(index)
    acting.table.edit(index)
    editor = acting.table.findChild(QComboBox)
    assert editor.isEditable()
    completer = editor.completer()
    completer.setCompletionPrefix("commerce")
    found = [completer.completionModel().index(n, 0).data()
             for n in range(completer.completionCount())]  # fmt: skip
    assert found == ["DHL eCommerce"]
