"""Orphan orders: TikTok SKUs with no Shopify variant, the orders they hold back, and mapping.

An orphan order cannot be created in Shopify until each of its SKUs points at
a variant. This page lists the SKUs (not the orders): mapping one SKU
releases every order that waited only for it. Built from the page context:
reads (the SKUs, a SKU's orders and suggestions) and mapping and undo (through
``sync.orders.mapping``) run as long work, off the GUI thread, and the orders
job is nudged through ``EngineControl`` to release or restore the orders. What
it loads, its table's columns and its texts are in ``orphan_skus``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, QTimer
from PySide6.QtWidgets import (
    QHBoxLayout,
    QMessageBox,
    QTabWidget,
    QWidget,
)

from tiktok_console.domain.sku_matching import SkuQuery, VariantCandidate, suggest
from tiktok_console.storage.catalog.variants import Variant, mark_not_in_shopify
from tiktok_console.storage.orders.views import (
    OrphanOrder,
    OrphanSku,
    orders_for_sku,
    orders_released,
)
from tiktok_console.sync.orders.mapping import map_skus, undo
from tiktok_console.ui.cell_text import plural
from tiktok_console.ui.operations import IsCancelled, Progress
from tiktok_console.ui.page_context import PageContext
from tiktok_console.ui.pages.base import Notice, Page, empty_or, export_rows, split_vertically
from tiktok_console.ui.pages.orphan_detail import (
    WEAK_SCORE,
    SkuDetailPane,
    VariantChoice,
    variant_choice,
    weakness,
)
from tiktok_console.ui.pages.orphan_skus import (
    ABOUT,
    OrphansData,
    SkuColumn,
    load_orphans,
    mapped_text,
    sku_columns,
    summary_text,
)
from tiktok_console.ui.pages.recent_mappings import RecentMappingsPane
from tiktok_console.ui.table_model import ROW_ROLE, RowSortFilterProxy, RowTableModel
from tiktok_console.ui.table_view import EmptyState, search_field, table_view
from tiktok_console.ui.theme import DANGER, SUCCESS
from tiktok_console.ui.widgets import button

EMPTY = "No orphan orders: every TikTok SKU in your orders is mapped to Shopify."
NOT_CONNECTED = (
    "Nothing to map yet. Once both stores are connected, TikTok orders whose SKUs have no "
    "Shopify variant wait here until you map them."
)
UNDO_LINGER_MS = 5_000  # how long "going to Shopify now" stays once the undo window ended


class OrphansPage(Page):
    """Orphan SKUs, their blocked orders, suggestions, and mapping with undo."""

    page_id = "orphans"
    title = "Orphan orders"
    icon = "orphans.svg"
    topics = frozenset({"orders", "orphans", "variants"})

    def __init__(
        self,
        context: PageContext,
        *,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(ABOUT, parent)
        self._context = context
        self._variants: dict[str, Variant] = {}
        self._candidates: list[VariantCandidate] = []
        self._not_in_shopify: frozenset[str] = frozenset()
        self._undo_left = 0  # seconds the "Undo" beside the last mapping's notice still shows
        self._undo_text: Callable[[int], str] = lambda _left: ""
        self._undo_timer = QTimer(self, interval=1000)
        self._undo_timer.timeout.connect(self._on_undo_tick)
        self.undo_stack: list[list[str]] = []  # SKU ids mapped in this session, per action
        self.skus = RowSortFilterProxy(RowTableModel(sku_columns(now), key=lambda r: r.sku_id))
        self.detail = SkuDetailPane(now)
        self.detail.map_requested.connect(self._on_map_requested)
        self.detail.not_in_shopify_requested.connect(self._on_not_in_shopify)
        self.recent = RecentMappingsPane()
        self.recent.undo_requested.connect(self._on_recent_undo)
        self._build()

    # -- layout -----------------------------------------------------------------

    def _build(self) -> None:
        self.search = search_field("Search SKU or product…")
        self.search.textChanged.connect(self.skus.set_search)
        self.bulk_button = button("Map selected to best suggestion", "Secondary")
        self.bulk_button.clicked.connect(self._on_bulk_clicked)
        self.export_button = button("Export CSV", "Secondary")
        self.export_button.clicked.connect(self._on_export_clicked)
        tools = QHBoxLayout()
        tools.addWidget(self.search, 1)
        tools.addWidget(self.bulk_button)
        tools.addWidget(self.export_button)
        self.body.addLayout(tools)
        self.notice = Notice()
        self.undo_button = button("Undo", "Secondary")
        self.undo_button.clicked.connect(self._on_undo_clicked)
        notices = QHBoxLayout()
        notices.addWidget(self.notice, 1)
        notices.addWidget(self.undo_button)
        self.body.addLayout(notices)
        self.empty = EmptyState("orphans.svg", "No orphan orders", EMPTY)
        self.table = table_view(self.skus, stretch=SkuColumn.NAME)
        self.table.sortByColumn(SkuColumn.SHIP_BY, Qt.SortOrder.AscendingOrder)
        self.table.selectionModel().currentRowChanged.connect(self._on_current_changed)
        self.table.selectionModel().selectionChanged.connect(self._on_selection_changed)
        self.stack = empty_or(self.empty, self.table)
        # The lower half: the selected SKU, or the mappings made lately (to review
        # automatic ones and undo unused ones, after a restart too).
        self.lower_tabs = QTabWidget()
        self.lower_tabs.addTab(self.detail, "Selected SKU")
        self.lower_tabs.addTab(self.recent, "Recent mappings")
        self.body.addWidget(split_vertically(self.stack, self.lower_tabs), 1)
        self._set_notice("")

    # -- reading ----------------------------------------------------------------

    def refresh(self) -> None:
        self._context.work.query(self.page_id, load_orphans, self._show, owner=self)

    def _show(self, data: OrphansData) -> None:
        self._variants, self._candidates = data.variants, data.candidates
        self._not_in_shopify = data.not_in_shopify
        self.detail.set_variants([variant_choice(v) for v in data.variants.values()])
        rows = data.skus
        if data.connected:
            self.empty.show_text("No orphan orders", EMPTY)
        else:  # nothing has been checked yet: never "all caught up"
            self.empty.show_text("Nothing connected yet", NOT_CONNECTED)
        self.skus.model_.set_rows(rows)
        self.stack.setCurrentIndex(1 if rows else 0)
        self.recent.set_rows(data.recent)
        self.lower_tabs.setTabText(1, f"Recent mappings ({len(data.recent)})")
        self.lower_tabs.setTabEnabled(0, bool(rows))
        if not rows:
            self.lower_tabs.setCurrentWidget(self.recent)
        for tool in (self.search, self.bulk_button, self.export_button):
            tool.setVisible(bool(rows))  # nothing to search, map or export
        self.set_subtitle(summary_text(rows))
        self._show_detail(self._current_sku())
        self._on_selection_changed()

    def _current_sku(self) -> OrphanSku | None:
        index = self.table.currentIndex()
        row = self.skus.data(index, ROW_ROLE) if index.isValid() else None
        return row if isinstance(row, OrphanSku) else None

    def selected_skus(self) -> list[OrphanSku]:
        """The SKUs selected in the table, in the order shown."""
        rows = sorted(index.row() for index in self.table.selectionModel().selectedRows())
        return [self.skus.row(number) for number in rows]

    def select_sku(self, sku_id: str, *, add: bool = False) -> None:
        """Make ``sku_id`` the current SKU (``add`` keeps the other selected ones)."""
        for number, row in enumerate(self.skus.visible_rows()):
            if row.sku_id == sku_id:
                flags = QItemSelectionModel.SelectionFlag.Rows | (
                    QItemSelectionModel.SelectionFlag.Select
                    if add
                    else QItemSelectionModel.SelectionFlag.ClearAndSelect
                )
                self.table.selectionModel().setCurrentIndex(self.skus.index(number, 0), flags)
                return
        raise KeyError(sku_id)

    def suggestions_for(self, sku: OrphanSku) -> list[VariantChoice]:
        """Up to five ranked Shopify variants for ``sku``, best first (none for a SKU
        the merchant said is not in Shopify)."""
        if sku.sku_id in self._not_in_shopify:
            return []
        query = SkuQuery(seller_sku=sku.seller_sku, title=sku.title, barcode=sku.barcode or None)
        variants = self._variants  # the GUI thread replaces it, never changes it
        found = suggest(query, self._candidates, 5)
        return [
            variant_choice(variants[s.variant_id], s) for s in found if s.variant_id in variants
        ]

    def _on_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self._show_detail(self._current_sku())
        if current.isValid():
            self.lower_tabs.setCurrentWidget(self.detail)

    def _on_selection_changed(self, *_args: object) -> None:
        self.bulk_button.setEnabled(bool(self.table.selectionModel().selectedRows()))

    def _show_detail(self, sku: OrphanSku | None) -> None:
        shown = self.detail.sku
        if sku is None or shown is None or shown.sku_id != sku.sku_id:
            # At once, not when the suggestions are read: "Map now" must never
            # pair this SKU with a variant picked for the previous one.
            self.detail.show_sku(sku, [], [])

        def load() -> tuple[list[OrphanOrder], list[VariantChoice]]:
            if sku is None:
                return [], []
            return list(orders_for_sku(sku.sku_id)), self.suggestions_for(sku)

        def show(found: tuple[list[OrphanOrder], list[VariantChoice]]) -> None:
            marked = sku is not None and sku.sku_id in self._not_in_shopify
            self.detail.show_sku(sku, *found, not_in_shopify=marked)

        self._context.work.query(f"{self.page_id}:detail", load, show, owner=self)

    # -- actions ----------------------------------------------------------------

    def _on_map_requested(self) -> None:
        sku, choice = self.detail.sku, self.detail.chosen_variant()
        current = self._current_sku()
        if sku is None or choice is None or current is None or current.sku_id != sku.sku_id:
            return  # the pane shows another SKU than the one selected: nothing is mapped
        self._map({sku.sku_id: (sku.seller_sku, choice.variant_id)})

    def _on_not_in_shopify(self) -> None:
        sku = self.detail.sku
        if sku is None:
            return
        name = sku.seller_sku or sku.sku_id

        def done(_result: object) -> None:
            self._set_notice(f"{name} is marked not in Shopify: its orders stay here and no "
                             "variant is suggested for it. Map it by hand any time.")  # fmt: skip

        self._act(
            f"marking {name} not in Shopify",
            lambda: mark_not_in_shopify(sku.sku_id, sku.seller_sku),
            done,
        )

    def _on_bulk_clicked(self) -> None:
        chosen: dict[str, tuple[str, str]] = {}
        lines: list[str] = []
        skipped = 0
        for sku in self.selected_skus():
            found = self.suggestions_for(sku)
            best = found[:1]
            if not best or weakness(found):  # only strong suggestions are mapped in bulk
                skipped += 1
                continue
            chosen[sku.sku_id] = (sku.seller_sku, best[0].variant_id)
            lines.append(f"{sku.seller_sku or sku.sku_id} → {best[0].sku or best[0].title} "
                         f"(score {best[0].score:.0f})")  # fmt: skip
        if not chosen:
            self._set_notice("None of the selected SKUs has a strong suggestion (score "
                             f"{WEAK_SCORE} or more, no tie): map them one by one.")  # fmt: skip
            return
        if self._confirm_bulk(chosen, lines, skipped):
            self._map(chosen)

    def _confirm_bulk(
        self, chosen: dict[str, tuple[str, str]], lines: list[str], skipped: int
    ) -> bool:
        released = len(orders_released(self.skus.model_.rows, chosen))
        text = (
            f"Map {plural(len(chosen), 'SKU', 'SKUs')} to their best suggested Shopify variant? "
            f"{plural(released, 'order', 'orders')} will be released and created in Shopify."
        )
        if skipped:
            text += "\n\n" + (
                "1 selected SKU has no strong suggestion and stays unmapped."
                if skipped == 1
                else f"{skipped} selected SKUs have no strong suggestion and stay unmapped."
            )
        buttons = QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel
        box = QMessageBox(
            QMessageBox.Icon.Question, "Map to best suggestions?", text, buttons, self
        )
        box.setDetailedText("\n".join(lines))
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        return box.exec() == QMessageBox.StandardButton.Yes

    def _act(
        self, description: str, work: Callable[[], object], done: Callable[[object], None]
    ) -> None:
        """Map or undo off the GUI thread; then the orders job runs and the page reads again."""

        def run(_progress: Progress, _cancelled: IsCancelled) -> object:
            return work()

        def finished(result: object) -> None:
            done(result)
            # The orders job releases mapped orders after the undo grace, or puts
            # orders released by an undone mapping back as orphans.
            self._context.engine.nudge("orders")
            self.refresh()

        self._context.work.run(
            description, run, done=finished, topics={"orphans", "orders", "variants"}, owner=self
        )

    def _map(self, chosen: dict[str, tuple[str, str]]) -> None:
        rows = [row for row in self.skus.model_.rows if row.sku_id in chosen]
        blocked = {order_id for row in rows for order_id in row.order_ids}
        names = [row.seller_sku or row.sku_id for row in rows] or list(chosen)
        grace = self._context.settings.orders.undo_grace_seconds

        def done(released: object) -> None:
            freed = set(released) if isinstance(released, list) else set()
            self.undo_stack.append(list(chosen))
            still = len(blocked - freed)
            self._start_undo_window(
                lambda left: mapped_text(names, len(freed), still, left, bool(grace)), round(grace)
            )

        self._act(
            f"mapping {plural(len(chosen), 'SKU', 'SKUs')}", lambda: list(map_skus(chosen)), done
        )

    def _start_undo_window(self, text: Callable[[int], str], seconds: int) -> None:
        """Show what the mapping did with "Undo" for ``seconds``, counting down each second."""
        self._undo_text, self._undo_left = text, seconds
        self._undo_timer.start()
        self._set_notice(text(seconds), SUCCESS)

    def _on_undo_tick(self) -> None:
        self._undo_left = max(self._undo_left - 1, 0)
        text = self._undo_text(self._undo_left)
        self._set_notice(text, SUCCESS)
        if not self._undo_left:
            self._undo_timer.stop()
            # "Going to Shopify now" is read, then the notice goes (unless replaced meanwhile).
            QTimer.singleShot(UNDO_LINGER_MS, self, lambda: self._clear_notice_if(text))

    def _clear_notice_if(self, text: str) -> None:
        if self.notice.text() == text:
            self._set_notice("")

    @property
    def undo_seconds_left(self) -> int:
        """How long "Undo" still shows beside the last mapping (0: gone)."""
        return self._undo_left

    def _on_undo_clicked(self) -> None:
        if not self.undo_stack or not self._undo_left:
            return
        batch = self.undo_stack.pop()
        self._undo_timer.stop()
        self._undo_left = 0
        self._set_notice("")

        def done(used: object) -> None:
            if not isinstance(used, list):
                return
            if len(used) == len(batch):
                self._set_notice("Cannot undo: an order already used this mapping.", DANGER)
            elif used:
                self._set_notice(f"Undone, except {', '.join(used)}: an order already used it.",
                                 DANGER)  # fmt: skip
            else:
                self._set_notice("Mapping undone; its orders wait for the SKU again.")

        self._act(
            "undoing a mapping", lambda: [sku_id for sku_id in batch if not undo(sku_id)], done
        )

    def _on_recent_undo(self, sku_id: str) -> None:
        name = self._sku_name(sku_id)

        def done(undone: object) -> None:
            if undone:
                self._set_notice(f"Mapping of {name} undone; "
                                 "it is not mapped automatically again.")  # fmt: skip
            else:
                self._set_notice("Cannot undo: an order already used this mapping.", DANGER)

        self._act(f"undoing the mapping of {name}", lambda: undo(sku_id), done)

    def _sku_name(self, sku_id: str) -> str:
        rows = [r for r in self.recent.rows.model_.rows if r.mapping.tiktok_sku_id == sku_id]
        return (rows[0].mapping.seller_sku if rows else "") or sku_id

    def _on_export_clicked(self) -> None:
        if done := export_rows(self, self.skus, "orphan-skus.csv", ("SKU", "SKUs")):
            self._set_notice(done)

    def _set_notice(self, text: str, color: str = "") -> None:
        if self._undo_timer.isActive() and text != self._undo_text(self._undo_left):
            self._undo_timer.stop()  # another outcome replaces the mapping's notice
            self._undo_left = 0
        self.notice.show_text(text, color)
        self.undo_button.setVisible(bool(self.undo_stack) and self._undo_left > 0)
        last = self.undo_stack[-1] if self.undo_stack else []
        self.undo_button.setToolTip(f"Unmap {', '.join(last)} (until an order uses it)")
