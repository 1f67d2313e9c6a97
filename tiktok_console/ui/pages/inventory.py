"""Inventory: every TikTok SKU, Shopify's stock against TikTok's, and why TikTok shows that.

Shopify is the master: the inventory job computes what TikTok should show
(the target) and pushes it. This page lists every SKU with both quantities
and the drift between them, filters the ones that need a look (drifting, at
zero, frozen), explains the last push, and holds the merchant's controls:
freeze, buffers and caps, "Reconcile now", and livestream mode. A catalog
can have 50,000 SKUs, so the list uses ``LargeRowModel`` (no proxy, cells
formatted when painted) and the page opens in well under 300 ms.

Built from the page context: every read and every action (through
``sync.inventory.actions``) runs as long work, off the GUI thread; the
inventory jobs are nudged through ``EngineControl``, and "Reconcile now"
waits for the reconciliation's run and says when it finished.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from operator import attrgetter

from PySide6.QtCore import QModelIndex, Qt, QTimer
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QScrollArea,
    QWidget,
)

from tiktok_console.core.errors import ConsoleError
from tiktok_console.storage.catalog.variants import Variant, all_variants
from tiktok_console.storage.inventory.locations import stock_by_location
from tiktok_console.storage.inventory.stock_ledger import LedgerLine, stock_ledger
from tiktok_console.storage.inventory.views import InventorySku
from tiktok_console.sync.inventory import actions
from tiktok_console.sync.orders.mapping import map_skus
from tiktok_console.ui.cell_text import plural
from tiktok_console.ui.large_table import KeptSelection, LargeRowModel
from tiktok_console.ui.operations import IsCancelled, Progress
from tiktok_console.ui.page_context import PageContext
from tiktok_console.ui.pages.base import Notice, Page, empty_or, export_rows, split_vertically
from tiktok_console.ui.pages.inventory_columns import (
    ABOUT,
    EMPTY,
    FILTERS,
    PREVIEW,
    SEARCH_DELAY_MS,
    TOPICS,
    InventoryData,
    SkuColumn,
    load_inventory,
    sku_columns,
    summary,
)
from tiktok_console.ui.pages.inventory_detail import InventoryDetailPane
from tiktok_console.ui.pages.inventory_reconcile import start_reconcile
from tiktok_console.ui.pages.livestream_bar import LivestreamBar
from tiktok_console.ui.pages.variant_picker import VariantPickerDialog
from tiktok_console.ui.table_model import ROW_ROLE
from tiktok_console.ui.table_view import EmptyState, search_field, table_view
from tiktok_console.ui.theme import DANGER, SUCCESS
from tiktok_console.ui.widgets import button

log = logging.getLogger(__name__)


class InventoryPage(Page):
    """Every TikTok SKU's stock, its drift and explanation, with freeze, rules and livestream."""

    page_id = "inventory"
    title = "Inventory"
    icon = "inventory.svg"
    topics = frozenset({"inventory", "variants"})

    def __init__(
        self,
        context: PageContext,
        *,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(ABOUT, parent)
        self._context, self._now = context, now
        self.skus = LargeRowModel(sku_columns(), key=attrgetter("sku_id"))
        self.detail = InventoryDetailPane()
        self.detail.buffer_requested.connect(self._on_buffer_requested)
        self.detail.cap_requested.connect(self._on_cap_requested)
        self.livestream = LivestreamBar()
        self.livestream.start_requested.connect(self._on_start_live)
        self.livestream.end_requested.connect(self._on_end_live)
        self._loading = False  # every SKU is being read
        self._connected = False  # both stores are connected (known after the first read)
        self._search_timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self._apply_search)
        self._build()

    # -- layout -----------------------------------------------------------------

    def _build(self) -> None:
        self.search = search_field("Search SKU, product or Shopify variant…")
        self.search.textChanged.connect(lambda _text: self._search_timer.start())
        self.filter = QComboBox()
        self.filter.addItems(list(FILTERS))
        self.filter.currentTextChanged.connect(self._on_filter_changed)
        self.freeze_button = button("Freeze selected", "Secondary")
        self.freeze_button.setToolTip("Set the selected SKUs to 0 on TikTok until unfrozen")
        self.freeze_button.clicked.connect(lambda: self._freeze(True))
        self.unfreeze_button = button("Unfreeze", "Secondary")
        self.unfreeze_button.clicked.connect(lambda: self._freeze(False))
        self.map_button = button("Map…", "Secondary")
        self.map_button.setToolTip(
            "Map the selected TikTok SKU (with or without a seller SKU) to a Shopify variant"
        )
        self.map_button.clicked.connect(self._on_map_clicked)
        self.reconcile_button = button("Reconcile now", "Secondary")
        self.reconcile_button.setToolTip("Compare every SKU with Shopify and correct any drift")
        self.reconcile_button.clicked.connect(self._on_reconcile_clicked)
        self.export_button = button("Export CSV", "Secondary")
        self.export_button.clicked.connect(self._on_export_clicked)
        # Two rows: finding SKUs, then acting on them; one row cuts the buttons at 1024 px.
        tools = QHBoxLayout()
        tools.addWidget(self.search, 1)
        tools.addWidget(self.filter)
        tools.addWidget(self.export_button)
        acts = QHBoxLayout()
        for widget in (
            self.map_button,
            self.freeze_button,
            self.unfreeze_button,
            self.reconcile_button,
        ):
            acts.addWidget(widget)
        acts.addStretch(1)
        self.body.addWidget(self.livestream)
        self.body.addLayout(tools)
        self.body.addLayout(acts)
        self.notice = Notice()
        self.body.addWidget(self.notice)
        self.empty = EmptyState("inventory.svg", "No SKUs yet", EMPTY)
        self.table = table_view(self.skus, stretch=SkuColumn.WHY)
        self.table.setColumnHidden(SkuColumn.PRODUCT, True)
        self.table.sortByColumn(SkuColumn.DRIFT, Qt.SortOrder.DescendingOrder)
        self.table.selectionModel().currentRowChanged.connect(self._on_current_changed)
        self.table.selectionModel().selectionChanged.connect(self._on_selection_changed)
        # The pane scrolls rather than squeezing the table: at 1024×640 the SKUs come first.
        pane = QScrollArea()
        pane.setWidget(self.detail)
        pane.setWidgetResizable(True)
        pane.setFrameShape(QScrollArea.Shape.NoFrame)
        pane.setMinimumHeight(120)
        self.stack = empty_or(self.empty, split_vertically(self.table, pane, (3, 2)))
        self.body.addWidget(self.stack, 1)
        self._set_notice("")

    # -- reading ----------------------------------------------------------------

    def refresh(self) -> None:
        """Re-read every SKU, keeping the selection.

        On the first open, the SKUs furthest above target are read first and
        shown while every SKU is read (a few hundred ms for 50,000). Refreshes
        asked for while a read runs coalesce into one read after it.
        """
        self._loading = True
        now = self._now()
        if self.skus.rows:
            self._read_all(now)
            return
        self._context.work.query(
            self.page_id, lambda: load_inventory(PREVIEW, now), self._on_preview, owner=self
        )

    def _read_all(self, now: datetime) -> None:
        self._context.work.query(
            self.page_id, lambda: load_inventory(None, now), self._show, owner=self
        )

    def _on_preview(self, data: InventoryData) -> None:
        self._show(data)
        if not data.complete:
            self._read_all(self._now())

    def _show(self, data: InventoryData) -> None:
        self._loading = not data.complete
        self._show_rows(data.rows, data.complete)
        self._connected = data.connected
        self.livestream.show_state(
            data.livestream, data.last_report, self._now(), connected=data.connected
        )

    @property
    def loading(self) -> bool:
        """Whether a read of the whole catalog is under way."""
        return self._loading

    def _show_rows(self, rows: Sequence[InventorySku], complete: bool = True) -> None:
        with KeptSelection(self.table, self.skus):
            self.skus.set_rows(rows)
        self.stack.setCurrentIndex(1 if rows else 0)
        if rows and not self.table.currentIndex().isValid():
            self.table.selectRow(0)  # the top SKU's explanation, ready to read
        for tool in (self.search, self.filter, self.export_button):
            tool.setVisible(bool(rows))
        self.set_subtitle(summary(self.skus.visible_rows()) if complete else "Reading every SKU…")
        self._on_selection_changed()

    def current_sku(self) -> InventorySku | None:
        """The SKU on the current line, if any."""
        index = self.table.currentIndex()
        row = self.skus.data(index, ROW_ROLE) if index.isValid() else None
        return row if isinstance(row, InventorySku) else None

    def selected_skus(self) -> list[InventorySku]:
        """The SKUs selected in the table, in the order shown."""
        rows = sorted(index.row() for index in self.table.selectionModel().selectedRows())
        return [self.skus.row(number) for number in rows]

    def detail_sku(self) -> InventorySku | None:
        """The SKU the detail pane is for: the one selected (the current line among
        several); None when nothing is selected, so no rule goes to a SKU out of view."""
        selected = self.selected_skus()
        if len(selected) == 1:
            return selected[0]
        current = self.current_sku()
        if current is not None and self.table.selectionModel().isRowSelected(
            self.table.currentIndex().row()
        ):
            return current
        return None

    def apply_filter(self, name: str) -> None:
        """Open on the filter called ``name`` (from Overview's "Needs attention")."""
        if name in FILTERS:
            self.filter.setCurrentText(name)

    def _apply_search(self) -> None:
        with KeptSelection(self.table, self.skus):
            self.skus.set_search(self.search.text())
        self._after_rows_changed()

    def _on_filter_changed(self, name: str) -> None:
        with KeptSelection(self.table, self.skus):
            self.skus.set_predicate(FILTERS.get(name))
        self._after_rows_changed()

    def _after_rows_changed(self) -> None:
        if not self._loading:
            self.set_subtitle(summary(self.skus.visible_rows(), len(self.skus.rows)))
        self._on_selection_changed()

    def _on_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self._on_selection_changed()

    def _on_selection_changed(self, *_args: object) -> None:
        selected = bool(self.table.selectionModel().selectedRows())
        self.freeze_button.setEnabled(selected)
        self.unfreeze_button.setEnabled(selected)
        sku = self.detail_sku()
        self.map_button.setEnabled(sku is not None and not sku.variant_id)
        self._show_detail(sku)

    def _show_detail(self, sku: InventorySku | None) -> None:
        shown = self.detail.sku
        if sku is None or shown is None or shown.sku_id != sku.sku_id:
            # At once, not after the ledger is read: "Set buffer" must never reach
            # a SKU that is no longer selected.
            self.detail.show_sku(sku, [])

        def load() -> tuple[Sequence[LedgerLine], list[tuple[str, int]]]:
            if sku is None:
                return [], []
            return stock_ledger(sku.sku_id), stock_by_location(sku.variant_id)

        self._context.work.query(
            f"{self.page_id}:ledger", load, lambda read: self.detail.show_sku(sku, *read),
            owner=self,
        )  # fmt: skip

    # -- actions ----------------------------------------------------------------

    def _act(
        self,
        description: str,
        work: Callable[[], object],
        done: Callable[[], None],
        refused: Callable[[str], None] | None = None,
    ) -> None:
        """Run an action off the GUI thread; then the inventory job pushes and the page reads.

        ``refused`` tells the merchant why bad input was refused (a ValueError or
        ConsoleError with their message); other errors go to the error reporter.
        """

        def run(_progress: Progress, _cancelled: IsCancelled) -> object:
            return work()

        def finished(_result: object) -> None:
            self._context.engine.nudge("inventory")
            done()
            self.refresh()

        def failed(error: BaseException) -> None:
            if refused is not None and isinstance(error, (ValueError, ConsoleError, LookupError)):
                refused(str(getattr(error, "message", error)))
            else:
                self._context.errors.report(error, description)

        self._context.work.run(
            description, run, done=finished, topics=TOPICS, on_error=failed, owner=self
        )

    def _freeze(self, frozen: bool) -> None:
        skus = self.selected_skus()
        if not skus:
            return
        ids = [s.sku_id for s in skus]
        count = plural(len(skus), "SKU", "SKUs")
        self._act(
            f"{'freezing' if frozen else 'unfreezing'} {count}",
            lambda: actions.set_frozen(ids, frozen),
            lambda: self._set_notice(
                f"{count} frozen: TikTok shows 0 within seconds." if frozen
                else f"{count} unfrozen: TikTok shows their stock again within seconds.",
                SUCCESS,
            ),
        )  # fmt: skip

    def _on_buffer_requested(self, sku_id: str, buffer: str) -> None:
        if not self._is_detail_sku(sku_id):
            return
        name = self._name(sku_id)
        self._act(
            f"setting the buffer of {name}", lambda: actions.set_buffer(sku_id, buffer),
            lambda: self._after_rule_change(
                f"Buffer of {name} set to {buffer or 'the global one'}."
            ),
            self.detail.show_error,
        )  # fmt: skip

    def _on_cap_requested(self, sku_id: str, cap: object) -> None:
        if not self._is_detail_sku(sku_id):
            return
        name = self._name(sku_id)
        limit = cap if isinstance(cap, int) else None
        self._act(
            f"setting the livestream cap of {name}", lambda: actions.set_cap(sku_id, limit),
            lambda: self._after_rule_change(
                f"Livestream cap of {name} " + ("removed." if limit is None else f"set to {cap}.")
            ),
            self.detail.show_error,
        )  # fmt: skip

    def _is_detail_sku(self, sku_id: str) -> bool:
        sku = self.detail_sku()
        if sku is None or sku.sku_id != sku_id:
            self.detail.show_error("Select the SKU again: the selection changed.")
            return False
        return True

    def _name(self, sku_id: str) -> str:
        sku = self.detail.sku
        return sku.seller_sku or sku.title or sku_id if sku and sku.sku_id == sku_id else sku_id

    def _after_rule_change(self, text: str) -> None:
        self.detail.show_error("")
        self._set_notice(text + " TikTok follows within seconds.", SUCCESS)

    def _on_map_clicked(self) -> None:
        sku = self.detail_sku()
        if sku is None or sku.variant_id:
            return
        self._context.work.query(
            f"{self.page_id}:variants", all_variants, lambda found: self._pick(sku, found),
            owner=self,
        )  # fmt: skip

    def _pick(self, sku: InventorySku, variants: Sequence[Variant]) -> None:
        name = sku.seller_sku or sku.title or sku.sku_id
        dialog = VariantPickerDialog(name, variants, self)
        if dialog.exec() != QDialog.DialogCode.Accepted or (chosen := dialog.chosen()) is None:
            return
        self._act(
            f"mapping {name}",
            lambda: map_skus({sku.sku_id: (sku.seller_sku, chosen.variant_id)}),
            lambda: self._set_notice(
                f"{name} now maps to {chosen.title or chosen.sku}: TikTok shows its Shopify "
                "stock within seconds, and orders waiting for it go to Shopify.", SUCCESS,
            ),
        )  # fmt: skip
        self._context.engine.nudge("orders")

    def _on_reconcile_clicked(self) -> None:
        start_reconcile(self._context, self, self.reconcile_button, self._set_notice)

    def _on_start_live(self, ends_at: object) -> None:
        if not isinstance(ends_at, datetime):
            return
        if not self._connected:
            self._set_notice("Connect both stores before going live.", DANGER)
            return
        if ends_at <= self._now():
            self._set_notice("Pick an end time in the future to go live.", DANGER)
            return
        self._act(
            "starting livestream mode", lambda: actions.start_livestream(ends_at),
            lambda: self._set_notice(
                f"Livestream mode on until {ends_at.astimezone():%H:%M}.", SUCCESS
            ),
            lambda reason: self._set_notice(reason, DANGER),
        )  # fmt: skip

    def _on_end_live(self) -> None:
        def end() -> bool:
            try:
                actions.end_livestream()
            except LookupError:
                return False
            return True

        ended: list[bool] = []
        self._act(
            "ending livestream mode", lambda: ended.append(end()),
            lambda: self._set_notice(
                "Livestream mode off: buffers and caps are back to normal." if ended[0]
                else "The livestream had already ended.", SUCCESS if ended[0] else "",
            ),
        )  # fmt: skip

    def _on_export_clicked(self) -> None:
        if done := export_rows(self, self.skus, "inventory.csv", ("SKU", "SKUs")):
            self._set_notice(done)

    def _set_notice(self, text: str, color: str = "") -> None:
        self.notice.show_text(text, color)
