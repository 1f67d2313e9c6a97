"""The Inventory page's detail pane: why TikTok shows what it shows, the SKU's rules, its ledger.

The ledger lists every quantity pushed for the SKU with its inputs (Shopify
available, buffer, in-flight units, cap, freeze) and reason, so "why is
TikTok at 3?" has an answer. The pane shows what it is given and emits the
merchant's edits; the page applies them.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from enum import IntEnum

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from tiktok_console.storage.inventory.stock_ledger import LedgerLine
from tiktok_console.storage.inventory.views import InventorySku
from tiktok_console.ui.cell_text import iso_local, local_time
from tiktok_console.ui.table_model import RIGHT, Column, RowSortFilterProxy, RowTableModel
from tiktok_console.ui.table_view import table_view
from tiktok_console.ui.theme import DANGER, MUTED
from tiktok_console.ui.widgets import button, label

PROMPT = "Select a SKU to see why TikTok shows its quantity, its rules and its stock ledger."
IN_FLIGHT = "Units in TikTok orders not yet in Shopify"
NO_CAP = -1  # the cap spin box's "No cap" value
REASONS = {
    "change": "Shopify stock changed",
    "reconcile": "Reconciliation",
    "livestream": "Livestream",
    "freeze": "Frozen",
    "unfreeze": "Unfrozen",
}


class LedgerColumn(IntEnum):
    WHEN = 0
    REASON = 1
    SHOPIFY = 2
    BUFFER = 3
    IN_FLIGHT = 4
    CAP = 5
    PUSHED = 6
    STATUS = 7


def _when(moment: datetime) -> str:
    """ "21:30:05" today, else the day and time (in the computer's zone)."""
    local = moment.astimezone()
    if local.date() == datetime.now().astimezone().date():
        return f"{local:%H:%M:%S}"
    return local_time(moment)


def _number(value: int | None) -> str:
    return "—" if value is None else f"{value:,}"


def _ledger_columns() -> list[Column[LedgerLine]]:
    def pushed(e: LedgerLine) -> str:
        before = "" if e.previous is None or e.previous == e.quantity else f"{e.previous:,} → "
        return f"{before}{e.quantity:,}"

    return [
        Column("When", lambda e: _when(e.at), sort_key=lambda e: e.at,
               export=lambda e: iso_local(e.at), width=84,
               tooltip=lambda e: local_time(e.at, seconds=True)),
        Column("Reason", lambda e: REASONS.get(e.reason, e.reason.capitalize()),
               tooltip=lambda e: e.explanation),
        Column("Shopify", lambda e: f"{e.shopify_available:,}",
               sort_key=lambda e: e.shopify_available, align=RIGHT, width=70),
        Column("Buffer", lambda e: f"{e.buffer:,}", sort_key=lambda e: e.buffer, align=RIGHT,
               width=58),
        Column("In flight", lambda e: f"{e.in_flight:,}", sort_key=lambda e: e.in_flight,
               align=RIGHT, width=72, tooltip=lambda _e: IN_FLIGHT),
        Column("Cap", lambda e: "Frozen" if e.frozen else _number(e.cap), sort_key=lambda e: e.cap,
               align=RIGHT, width=52),
        Column("TikTok", pushed, sort_key=lambda e: e.quantity, align=RIGHT, bold=lambda _e: True,
               width=96),
        Column("Result", lambda e: "Pushed" if e.status == "pushed" else "Failed",
               color=lambda e: None if e.status == "pushed" else DANGER, width=66,
               tooltip=lambda e: e.error or e.explanation,
               export=lambda e: e.status if e.status == "pushed" else f"failed: {e.error}"),
    ]  # fmt: skip


class InventoryDetailPane(QFrame):
    """The selected SKU: its explanation, buffer and cap editing, and its ledger.

    Signals:
        buffer_requested(str, str): set SKU ``sku_id``'s buffer to the text ("" = global).
        cap_requested(str, object): set SKU ``sku_id``'s cap (an int, or None for no cap).
    """

    buffer_requested = Signal(str, str)
    cap_requested = Signal(str, object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("Card")
        self.setMinimumHeight(200)
        self.sku: InventorySku | None = None
        self.ledger = RowSortFilterProxy(RowTableModel(_ledger_columns(), key=lambda e: e.entry_id))
        self.title = label(PROMPT, wrap=True)
        self.title.setStyleSheet("font-size: 16px; font-weight: 600;")
        self.meta = label("", "CardNote", wrap=True)
        self.why = label("", wrap=True)
        self.locations = label("", "CardNote", wrap=True)  # Shopify's stock per location
        self.why.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.buffer = QLineEdit(placeholderText="Global buffer")
        self.buffer.setToolTip('Units ("3") or a percentage ("10%") held back from TikTok.')
        self.buffer.returnPressed.connect(self._on_buffer_clicked)
        self.buffer_button = button("Set buffer", "Secondary")
        self.buffer_button.clicked.connect(self._on_buffer_clicked)
        self.cap = QSpinBox()
        self.cap.setRange(NO_CAP, 1_000_000)
        self.cap.setSpecialValueText("No cap")
        self.cap.setValue(NO_CAP)
        self.cap.setToolTip("The most TikTok shows while a livestream is on.")
        self.cap_button = button("Set cap", "Secondary")
        self.cap_button.clicked.connect(self._on_cap_clicked)
        self.error = label("", wrap=True)
        self.error.setStyleSheet(f"color: {DANGER};")
        self.ledger_label = label("Stock ledger", "CardTitle")
        self.ledger_table = table_view(self.ledger, stretch=LedgerColumn.REASON)
        self.ledger_table.sortByColumn(LedgerColumn.WHEN, Qt.SortOrder.DescendingOrder)
        self.ledger_table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.empty_ledger = label("Nothing pushed for this SKU yet.", "Muted")
        self._lay_out()
        self.show_sku(None, [])

    def _lay_out(self) -> None:
        left = QVBoxLayout()
        left.setSpacing(6)
        for widget in (self.title, self.meta, self.why, self.locations):
            left.addWidget(widget)
        form = QFormLayout()
        form.setContentsMargins(0, 8, 0, 0)
        for title, field, action in (
            ("Buffer", self.buffer, self.buffer_button),
            ("Livestream cap", self.cap, self.cap_button),
        ):
            line = QHBoxLayout()
            line.addWidget(field, 1)
            line.addWidget(action)
            form.addRow(title, line)
        left.addLayout(form)
        left.addWidget(self.error)
        left.addStretch(1)
        right = QVBoxLayout()
        right.setSpacing(6)
        right.addWidget(self.ledger_label)
        right.addWidget(self.ledger_table, 1)
        right.addWidget(self.empty_ledger)
        right.addStretch(0)  # takes the room only while the ledger table is hidden
        box = QHBoxLayout(self)
        box.setContentsMargins(16, 14, 16, 14)
        box.setSpacing(20)
        box.addLayout(left, 1)  # half the width: at 1024 px a third wraps the SKU's lines
        box.addLayout(right, 1)  # until the buffer buttons no longer fit

    def show_sku(
        self,
        sku: InventorySku | None,
        ledger: Sequence[LedgerLine],
        locations: Sequence[tuple[str, int]] = (),
    ) -> None:
        """Show ``sku`` (or the prompt to pick one), its ledger, newest first, and
        Shopify's stock per location ((name, units), as last read)."""
        self.locations.setText(
            "Shopify stock: " + " · ".join(f"{name} {units:,}" for name, units in locations)
            if sku is not None and locations
            else ""
        )
        changed = sku is None or self.sku is None or sku.sku_id != self.sku.sku_id
        self.sku = sku
        self.ledger.model_.set_rows(ledger)
        for widget in (self.buffer, self.buffer_button, self.cap, self.cap_button):
            widget.setEnabled(sku is not None)
        self.ledger_table.setVisible(bool(ledger))
        self.empty_ledger.setVisible(sku is not None and not ledger)
        if sku is None:
            self.title.setText(PROMPT)
            self.meta.setText("")
            self.why.setText("")
            self.ledger_label.setText("Stock ledger")
            self.error.setText("")
            return
        self.title.setText(sku.title or sku.seller_sku or sku.sku_id)
        mapped = (
            f"Shopify variant {sku.variant_title or sku.variant_id}"
            if sku.variant_id
            else "not mapped to Shopify"
        )
        self.meta.setText(
            f"TikTok SKU {sku.sku_id} · {sku.seller_sku or 'no seller SKU'} · {mapped}"
        )
        self.why.setText(why_text(sku))
        self.ledger_label.setText(f"Stock ledger ({len(ledger)})")
        if changed:  # keep what the merchant is typing across refreshes of the same SKU
            self.error.setText("")
            self.buffer.setText(sku.buffer)
            self.cap.setValue(NO_CAP if sku.cap is None else sku.cap)

    def show_error(self, text: str) -> None:
        """Say why an edit was refused (e.g. a buffer that is not "3" or "10%")."""
        self.error.setText(text)

    def _on_buffer_clicked(self) -> None:
        if self.sku is not None:
            self.buffer_requested.emit(self.sku.sku_id, self.buffer.text().strip())

    def _on_cap_clicked(self) -> None:
        if self.sku is not None:
            value = self.cap.value()
            self.cap_requested.emit(self.sku.sku_id, None if value == NO_CAP else value)


def why_text(sku: InventorySku) -> str:
    """ "TikTok shows 3: …", in words the merchant can check against Shopify."""
    shown = f"TikTok shows {sku.tiktok_quantity:,}"
    if sku.frozen:
        return f"{shown}. Frozen: TikTok stays at 0 until you unfreeze this SKU."
    if not sku.variant_id:
        return f"{shown}. This SKU is not mapped to a Shopify variant, so its stock is not synced."
    if sku.explanation:
        return f"{shown}. {sku.explanation}"
    if sku.target is None:
        return f"{shown}. Its stock has not been computed yet."
    return f"{shown}; it should show {sku.target:,}."


def drift_color(drift: int | None) -> str | None:
    """Above target risks overselling (danger); below it loses sales (muted)."""
    if not drift:
        return None
    return DANGER if drift > 0 else MUTED
