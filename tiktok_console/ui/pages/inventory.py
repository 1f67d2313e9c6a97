"""Inventory: every TikTok SKU, Shopify's stock against TikTok's, and why TikTok shows that.

Shopify is the master: the inventory job computes what TikTok should show
(the target) and pushes it. This page lists every SKU with both quantities
and the drift between them, filters the ones that need a look (drifting, at
zero, frozen), explains the last push, and holds the merchant's controls:
freeze, buffers and caps, "Reconcile now", and livestream mode. A catalog
can have 50,000 SKUs, so the list uses ``LargeRowModel`` (no proxy, cells
formatted when painted) and the page opens in well under 300 ms.

Everything the page does goes through injected callables, wired to the real
storage and sync functions in ``app.py``.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import IntEnum
from operator import attrgetter

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QWidget,
)

from tiktok_console.core.errors import ConsoleError
from tiktok_console.storage.inventory.stock_ledger import LedgerLine
from tiktok_console.storage.inventory.views import InventorySku
from tiktok_console.ui.cell_text import iso_local, local_time, plural
from tiktok_console.ui.large_table import KeptSelection, LargeRowModel
from tiktok_console.ui.pages.base import Notice, Page, empty_or, export_rows, split_vertically
from tiktok_console.ui.pages.inventory_detail import InventoryDetailPane, drift_color, why_text
from tiktok_console.ui.pages.livestream_bar import Livestream, LivestreamBar, LivestreamReport
from tiktok_console.ui.table_model import RIGHT, ROW_ROLE, Column
from tiktok_console.ui.table_view import EmptyState, search_field, table_view
from tiktok_console.ui.theme import DANGER, SUCCESS, WARNING
from tiktok_console.ui.widgets import button

log = logging.getLogger(__name__)

EMPTY = (
    "No TikTok SKUs yet. Once both stores are connected, the inventory sync reads your "
    "TikTok listings and keeps their stock in line with Shopify."
)
ABOUT = "Shopify is the master: TikTok shows Shopify's stock minus buffers and open orders."
SEARCH_DELAY_MS = 200  # typing pauses this long before 50,000 rows are searched
SYNC_LIMIT = 5_000  # up to this many SKUs are read on the GUI thread (about 40 ms)
PREVIEW = 200  # SKUs shown while a big catalog is read (a few screenfuls)
STALE_DELAY_MS = 1_000  # after a big read, changes meanwhile are read this much later


@dataclass(frozen=True)
class InventoryActions:
    """What the page can ask of the sync layer (``sync.inventory_actions``)."""

    set_frozen: Callable[[Sequence[str], bool], object]
    set_buffer: Callable[[str, str], object]  # ValueError with a message on bad input
    set_cap: Callable[[str, int | None], object]
    start_livestream: Callable[[datetime], object]
    end_livestream: Callable[[], object]
    active_livestream: Callable[[datetime], Livestream | None]
    livestream_reports: Callable[[], Sequence[LivestreamReport]]
    sync_now: Callable[[str], None]  # "inventory" or "inventory_reconcile"


class SkuColumn(IntEnum):
    SKU = 0
    VARIANT = 1
    SHOPIFY = 2
    TIKTOK = 3
    TARGET = 4
    DRIFT = 5
    BUFFER = 6
    CAP = 7
    FROZEN = 8
    LAST_PUSH = 9
    WHY = 10
    PRODUCT = 11


FILTERS: dict[str, Callable[[InventorySku], bool] | None] = {
    "All SKUs": None,
    "Drift": lambda r: bool(r.drift),
    "Zero on TikTok": lambda r: r.tiktok_quantity == 0,
    "Frozen": lambda r: bool(r.frozen_flag),
    "Not mapped": lambda r: not r.variant_id,
}


# Biggest drift either way first when sorted descending; at equal size, TikTok
# above target (an oversell risk) before below (lost sales). A C getter of a
# number SQLite computed: 50,000 keys in a few ms.
_DRIFT_KEY = attrgetter("drift_rank")


def _count(value: int | None) -> str:
    return "—" if value is None else f"{value:,}"


def _drift(value: int | None) -> str:
    return "—" if value is None else f"{value:+,}" if value else "0"


def _pushed_at(moment: datetime | None) -> str:
    """ "21:30" today, "02 Mar 21:30" before (in the computer's zone)."""
    if moment is not None and moment.astimezone().date() == datetime.now().astimezone().date():
        return f"{moment.astimezone():%H:%M}"
    return local_time(moment)


def _sku_columns() -> list[Column[InventorySku]]:
    # Fixed widths throughout: sizing columns to their contents would format
    # a thousand rows just to measure them. SKU and title share a column so
    # the explanation keeps room; CSV gets them apart (Product is hidden).
    return [
        Column("SKU / product", lambda r: f"{r.seller_sku or '(no seller SKU)'} · {r.title}",
               sort_key=lambda r: r.seller_sku.casefold(), export=attrgetter("seller_sku"),
               tooltip=lambda r: f"{r.title}\nTikTok SKU id {r.sku_id}", width=215),
        Column("Variant", lambda r: r.variant or ("(untitled)" if r.variant_id else "Not mapped"),
               color=lambda r: None if r.variant_id else WARNING, width=95,
               tooltip=lambda r: r.variant if r.variant_id else
               "Not mapped to a Shopify variant: its stock is not synced"),
        Column("Shopify", lambda r: _count(r.shopify_available),
               sort_key=attrgetter("shopify_available"), align=RIGHT, width=66, searchable=False,
               tooltip=lambda _r: "Available in Shopify at the synced locations"),
        Column("TikTok", lambda r: f"{r.tiktok_quantity:,}", sort_key=attrgetter("tiktok_quantity"),
               align=RIGHT, width=60, searchable=False),
        Column("Target", lambda r: _count(r.target), sort_key=attrgetter("target"), align=RIGHT,
               width=60, searchable=False, tooltip=lambda _r: "What TikTok should show"),
        Column("Drift", lambda r: _drift(r.drift), sort_key=_DRIFT_KEY, align=RIGHT, width=66,
               searchable=False, color=lambda r: drift_color(r.drift),
               bold=lambda r: bool(r.drift), tooltip=lambda _r: "TikTok minus target: above 0 "
               "TikTok may sell stock you do not have"),
        Column("Buffer", lambda r: r.buffer or "global", width=60, searchable=False,
               tooltip=lambda _r: "Held back from TikTok (global: the setting's buffer)"),
        Column("Cap", lambda r: _count(r.cap), sort_key=attrgetter("cap"), align=RIGHT, width=46,
               searchable=False, tooltip=lambda _r: "The most TikTok shows during a livestream"),
        Column("Frozen", lambda r: "Frozen" if r.frozen_flag else "", width=68,
               sort_key=attrgetter("frozen_flag"),
               color=lambda r: DANGER if r.frozen_flag else None, searchable=False),
        Column("Last push", lambda r: _pushed_at(r.last_push_at),
               sort_key=attrgetter("last_push_text"), export=lambda r: iso_local(r.last_push_at),
               width=88, searchable=False, tooltip=why_text),
        Column("Why", lambda r: r.explanation, tooltip=why_text, searchable=False),
        Column("Product", attrgetter("title"), searchable=False),  # hidden: for CSV
    ]  # fmt: skip


class InventoryPage(Page):
    """Every TikTok SKU's stock, its drift and explanation, with freeze, rules and livestream.

    Signals:
        _loaded(object): the rows a worker thread read (None if it failed).
    """

    _loaded = Signal(object)

    page_id = "inventory"
    title = "Inventory"
    icon = "inventory.svg"
    topics = frozenset({"inventory", "variants"})

    def __init__(
        self,
        load_skus: Callable[[int | None], Sequence[InventorySku]],
        load_ledger: Callable[[str], Sequence[LedgerLine]],
        actions: InventoryActions | None = None,
        *,
        count_skus: Callable[[], int] = lambda: 0,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(ABOUT, parent)
        self._load_skus, self._load_ledger, self._actions, self._now = (
            load_skus, load_ledger, actions, now,
        )  # fmt: skip
        self._count_skus = count_skus
        self.skus = LargeRowModel(_sku_columns(), key=attrgetter("sku_id"))
        self.detail = InventoryDetailPane()
        self.detail.buffer_requested.connect(self._on_buffer_requested)
        self.detail.cap_requested.connect(self._on_cap_requested)
        self.livestream = LivestreamBar()
        self.livestream.start_requested.connect(self._on_start_live)
        self.livestream.end_requested.connect(self._on_end_live)
        self._loading = False  # a worker thread is reading every SKU
        self._stale = False  # something changed while it read
        self._loaded.connect(self._on_loaded)
        self._later = QTimer(self, singleShot=True)
        self._later.timeout.connect(self.refresh)
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
        self.reconcile_button = button("Reconcile now", "Secondary")
        self.reconcile_button.setToolTip("Compare every SKU with Shopify and correct any drift")
        self.reconcile_button.clicked.connect(self._on_reconcile_clicked)
        self.export_button = button("Export CSV", "Secondary")
        self.export_button.clicked.connect(self._on_export_clicked)
        tools = QHBoxLayout()
        tools.addWidget(self.search, 1)
        tools.addWidget(self.filter)
        for widget in (self.freeze_button, self.unfreeze_button, self.reconcile_button):
            tools.addWidget(widget)
        tools.addWidget(self.export_button)
        self.body.addWidget(self.livestream)
        self.body.addLayout(tools)
        self.notice = Notice()
        self.body.addWidget(self.notice)
        self.empty = EmptyState("inventory.svg", "No SKUs yet", EMPTY)
        self.table = table_view(self.skus, stretch=SkuColumn.WHY)
        self.table.setColumnHidden(SkuColumn.PRODUCT, True)
        self.table.sortByColumn(SkuColumn.DRIFT, Qt.SortOrder.DescendingOrder)
        self.table.selectionModel().currentRowChanged.connect(self._on_current_changed)
        self.table.selectionModel().selectionChanged.connect(self._on_selection_changed)
        self.stack = empty_or(self.empty, split_vertically(self.table, self.detail, (3, 2)))
        self.body.addWidget(self.stack, 1)
        self._set_notice("")
        has_actions = self._actions is not None
        for widget in (self.freeze_button, self.unfreeze_button, self.reconcile_button):
            widget.setVisible(has_actions)
        self.livestream.setVisible(has_actions)

    # -- reading ----------------------------------------------------------------

    def refresh(self) -> None:
        """Re-read every SKU, keeping the selection.

        A small catalog is read at once. A big one is read on a worker thread
        (reading 50,000 SKUs takes a few hundred ms, and the inventory job
        changes stock every second during a livestream); on the first open
        the SKUs furthest above target are shown meanwhile. Refreshes asked
        for while a read runs are merged into one read after it.
        """
        if self._loading:
            self._stale = True
            return
        if self._count_skus() <= SYNC_LIMIT:
            self._show_rows(self._load_skus(None))
            return
        if not self.skus.rows:
            self._show_rows(self._load_skus(PREVIEW), complete=False)
        self._loading, self._stale = True, False
        threading.Thread(target=self._read_all, name="inventory-page", daemon=True).start()

    def _read_all(self) -> None:
        # On the worker thread: peewee gives it its own SQLite connection.
        try:
            rows: Sequence[InventorySku] | None = self._load_skus(None)
        except Exception:
            log.exception("Reading the inventory failed")
            rows = None
        with contextlib.suppress(RuntimeError):  # the page was closed meanwhile
            self._loaded.emit(rows)

    def _on_loaded(self, rows: Sequence[InventorySku] | None) -> None:
        self._loading = False
        if rows is not None:
            self._show_rows(rows)
        if self._stale:
            self._later.start(STALE_DELAY_MS)

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
        self.set_subtitle(_summary(rows) if complete else "Reading every SKU…")
        self._show_detail(self.current_sku())
        self._on_selection_changed()
        self._show_livestream()

    def _show_livestream(self) -> None:
        if self._actions is None:
            return
        reports = self._actions.livestream_reports()
        last = max(reports, key=lambda r: r.ended_at) if reports else None
        self.livestream.show_state(self._actions.active_livestream(self._now()), last, self._now())

    def current_sku(self) -> InventorySku | None:
        """The SKU on the current line, if any."""
        index = self.table.currentIndex()
        row = self.skus.data(index, ROW_ROLE) if index.isValid() else None
        return row if isinstance(row, InventorySku) else None

    def selected_skus(self) -> list[InventorySku]:
        """The SKUs selected in the table, in the order shown."""
        rows = sorted(index.row() for index in self.table.selectionModel().selectedRows())
        return [self.skus.row(number) for number in rows]

    def _apply_search(self) -> None:
        with KeptSelection(self.table, self.skus):
            self.skus.set_search(self.search.text())

    def _on_filter_changed(self, name: str) -> None:
        with KeptSelection(self.table, self.skus):
            self.skus.set_predicate(FILTERS.get(name))

    def _on_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self._show_detail(self.current_sku())

    def _on_selection_changed(self, *_args: object) -> None:
        selected = bool(self.table.selectionModel().selectedRows())
        self.freeze_button.setEnabled(selected)
        self.unfreeze_button.setEnabled(selected)

    def _show_detail(self, sku: InventorySku | None) -> None:
        self.detail.show_sku(sku, self._load_ledger(sku.sku_id) if sku else [])

    # -- actions ----------------------------------------------------------------

    def _freeze(self, frozen: bool) -> None:
        skus = self.selected_skus()
        if self._actions is None or not skus:
            return
        self._actions.set_frozen([s.sku_id for s in skus], frozen)
        self._actions.sync_now("inventory")
        count = plural(len(skus), "SKU", "SKUs")
        self._set_notice(
            f"{count} frozen: TikTok shows 0 within seconds." if frozen
            else f"{count} unfrozen: TikTok shows their stock again within seconds.",
            SUCCESS,
        )  # fmt: skip
        self.refresh()

    def _on_buffer_requested(self, sku_id: str, buffer: str) -> None:
        if self._actions is None:
            return
        try:
            self._actions.set_buffer(sku_id, buffer)
        except (ValueError, ConsoleError) as error:
            self.detail.show_error(str(getattr(error, "message", error)))
            return
        self._after_rule_change(
            f"Buffer of {self._name(sku_id)} set to {buffer or 'the global one'}."
        )

    def _on_cap_requested(self, sku_id: str, cap: object) -> None:
        if self._actions is None:
            return
        try:
            self._actions.set_cap(sku_id, cap if isinstance(cap, int) else None)
        except (ValueError, ConsoleError) as error:
            self.detail.show_error(str(getattr(error, "message", error)))
            return
        self._after_rule_change(
            f"Livestream cap of {self._name(sku_id)} "
            + ("removed." if cap is None else f"set to {cap}.")
        )

    def _name(self, sku_id: str) -> str:
        sku = self.detail.sku
        return sku.seller_sku or sku.title or sku_id if sku and sku.sku_id == sku_id else sku_id

    def _after_rule_change(self, text: str) -> None:
        assert self._actions is not None
        self._actions.sync_now("inventory")
        self.detail.show_error("")
        self._set_notice(text + " TikTok follows within seconds.", SUCCESS)
        self.refresh()

    def _on_reconcile_clicked(self) -> None:
        if self._actions is None:
            return
        self._actions.sync_now("inventory_reconcile")
        self._set_notice("Reconciling every SKU with Shopify; drift found is corrected and logged.")

    def _on_start_live(self, ends_at: object) -> None:
        if self._actions is None or not isinstance(ends_at, datetime):
            return
        if ends_at <= self._now():
            self._set_notice("Pick an end time in the future to go live.", DANGER)
            return
        try:
            self._actions.start_livestream(ends_at)
        except ValueError as error:
            self._set_notice(str(error), DANGER)
            return
        self._actions.sync_now("inventory")
        self._set_notice(f"Livestream mode on until {ends_at.astimezone():%H:%M}.", SUCCESS)
        self._show_livestream()

    def _on_end_live(self) -> None:
        if self._actions is None:
            return
        try:
            self._actions.end_livestream()
        except LookupError:
            self._set_notice("The livestream had already ended.")
        else:
            self._set_notice("Livestream mode off: buffers and caps are back to normal.", SUCCESS)
        self._actions.sync_now("inventory")
        self._show_livestream()

    def _on_export_clicked(self) -> None:
        if done := export_rows(self, self.skus, "inventory.csv", ("SKU", "SKUs")):
            self._set_notice(done)

    def _set_notice(self, text: str, color: str = "") -> None:
        self.notice.show_text(text, color)


def _summary(rows: Sequence[InventorySku]) -> str:
    if not rows:
        return ABOUT
    # map() over C attribute getters: a generator over 50,000 rows costs 50 ms.
    drifting = sum(map(bool, map(attrgetter("drift"), rows)))
    zero = len(rows) - sum(map(bool, map(attrgetter("tiktok_quantity"), rows)))
    frozen = sum(map(attrgetter("frozen_flag"), rows))
    parts = [f"{len(rows):,} TikTok {'SKU' if len(rows) == 1 else 'SKUs'}"]
    parts.append(f"{drifting:,} drifting from Shopify" if drifting else "no drift")
    parts.append(f"{zero:,} at zero on TikTok")
    if frozen:
        parts.append(f"{frozen:,} frozen")
    return " · ".join(parts) + "."
