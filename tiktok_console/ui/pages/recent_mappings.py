"""The "Recent mappings" tab of the Orphan orders page: what was mapped, how, and undo.

Automatic matches on a normalised SKU are made without asking, so the
merchant reviews them here (after a restart too: the list is read from the
database); any mapping no order has used yet can be undone.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QTableView, QVBoxLayout, QWidget

from tiktok_console.storage.catalog.variants import RecentMapping
from tiktok_console.ui.cell_text import iso_local, local_time
from tiktok_console.ui.table_model import Column, RowSortFilterProxy, RowTableModel
from tiktok_console.ui.table_view import table_view
from tiktok_console.ui.theme import WARNING
from tiktok_console.ui.widgets import button, label

SOURCES = {
    "manual": "Manual",
    "auto_exact": "Same SKU",
    "auto_normalized": "Similar SKU (review)",
}


def _variant(row: RecentMapping) -> str:
    if not (row.variant_sku or row.variant_title):
        return "(variant no longer in Shopify)"
    return " · ".join(part for part in (row.variant_sku, row.variant_title) if part)


def _columns() -> list[Column[RecentMapping]]:
    return [
        Column("TikTok SKU", lambda r: r.mapping.seller_sku or r.mapping.tiktok_sku_id, width=150,
               tooltip=lambda r: f"TikTok SKU id {r.mapping.tiktok_sku_id}"),
        Column("Shopify variant", _variant, tooltip=_variant),
        Column("Source", lambda r: SOURCES.get(r.mapping.source, r.mapping.source), width=150,
               color=lambda r: WARNING if r.mapping.source == "auto_normalized" else None),
        Column("Mapped", lambda r: local_time(r.mapping.created_at),
               sort_key=lambda r: r.mapping.created_at,
               export=lambda r: iso_local(r.mapping.created_at)),
        Column("Used", lambda r: "Not yet" if r.mapping.used_at is None else "By an order",
               tooltip=lambda r: local_time(r.mapping.used_at) if r.mapping.used_at else
               "No order has used it: it can be undone."),
    ]  # fmt: skip


class RecentMappingsPane(QWidget):
    """The newest SKU mappings, with Undo for those no order used.

    Signals:
        undo_requested(str): the merchant asked to undo the mapping of this TikTok SKU id.
    """

    undo_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows = RowSortFilterProxy(
            RowTableModel(_columns(), key=lambda r: r.mapping.tiktok_sku_id)
        )
        self.table = table_view(self.rows, stretch=1)
        self.table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.table.sortByColumn(3, Qt.SortOrder.DescendingOrder)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update())
        self.hint = label("", "CardNote", wrap=True)
        self.undo_button = button("Undo mapping", "Secondary")
        self.undo_button.clicked.connect(self._on_undo_clicked)
        actions = QHBoxLayout()
        actions.addWidget(self.hint, 1)
        actions.addWidget(self.undo_button)
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 6, 0, 0)
        box.addWidget(self.table, 1)
        box.addLayout(actions)
        self._update()

    def set_rows(self, rows: Sequence[RecentMapping]) -> None:
        """Show ``rows`` (the newest mappings)."""
        self.rows.model_.set_rows(rows)
        self._update()

    def select(self, sku_id: str) -> None:
        """Select the mapping of ``sku_id``."""
        for number, row in enumerate(self.rows.visible_rows()):
            if row.mapping.tiktok_sku_id == sku_id:
                self.table.selectRow(number)
                return
        raise KeyError(sku_id)

    def selected(self) -> RecentMapping | None:
        """The selected mapping, if any."""
        rows = self.table.selectionModel().selectedRows()
        return self.rows.row(rows[0].row()) if rows else None

    def _update(self) -> None:
        row = self.selected()
        self.undo_button.setEnabled(row is not None and row.mapping.used_at is None)
        if row is None:
            self.hint.setText("Select a mapping to undo it (until an order uses it).")
        elif row.mapping.used_at is not None:
            self.hint.setText("An order used this mapping: it can no longer be undone.")
        else:
            self.hint.setText("Undo unmaps the SKU; it is not mapped automatically again.")

    def _on_undo_clicked(self) -> None:
        row = self.selected()
        if row is not None:
            self.undo_requested.emit(row.mapping.tiktok_sku_id)
