"""Pick one Shopify variant from every variant, by searching: the Inventory page's "Map…".

A TikTok listing without a seller SKU (or with one Shopify does not know)
cannot be matched automatically; the merchant names its Shopify variant here.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTableView, QVBoxLayout, QWidget

from tiktok_console.storage.catalog.variants import Variant
from tiktok_console.ui.table_model import Column, RowSortFilterProxy, RowTableModel
from tiktok_console.ui.table_view import search_field, table_view
from tiktok_console.ui.widgets import label


def _columns() -> list[Column[Variant]]:
    return [
        Column("SKU", lambda v: v.sku or "(no SKU)", width=140),
        Column("Shopify variant", lambda v: v.title or "(untitled)", tooltip=lambda v: v.title),
    ]


class VariantPickerDialog(QDialog):
    """Every Shopify variant, searchable; ``chosen()`` after OK."""

    def __init__(
        self, what: str, variants: Sequence[Variant], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Map to a Shopify variant")
        self.resize(560, 420)
        self.variants = RowSortFilterProxy(RowTableModel(_columns(), key=lambda v: v.variant_id))
        self.variants.model_.set_rows(variants)
        self.search = search_field("Search Shopify SKU or title…")
        self.search.textChanged.connect(self.variants.set_search)
        self.table = table_view(self.variants, stretch=1)
        self.table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.table.doubleClicked.connect(lambda _index: self.accept())
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update())
        box = QVBoxLayout(self)
        question = (
            f"Which Shopify variant is {what}? Its stock then syncs to TikTok, and its "
            "waiting orders go to Shopify."
        )
        box.addWidget(label(question, wrap=True))
        box.addWidget(self.search)
        box.addWidget(self.table, 1)
        box.addWidget(self.buttons)
        self._update()

    def chosen(self) -> Variant | None:
        """The variant picked, if any."""
        rows = self.table.selectionModel().selectedRows()
        return self.variants.row(rows[0].row()) if rows else None

    def _update(self) -> None:
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(self.chosen() is not None)
