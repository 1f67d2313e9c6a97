"""Orders: every TikTok order the console knows, where it stands with Shopify, and why.

The merchant looks an order up by its TikTok id, its Shopify name, the buyer
or a SKU, reads its state and reason, and opens it in the Shopify admin or in
Seller Center. A shop can hold 50,000 orders, so the list uses
``LargeRowModel`` like Inventory: the newest few hundred show first while
every order is read, all through ``LongWork`` off the GUI thread.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from enum import IntEnum
from operator import attrgetter

from PySide6.QtCore import QModelIndex, Qt, QTimer, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QWidget

from tiktok_console.domain.order_links import seller_center_order_url, shopify_order_url
from tiktok_console.storage.orders.order_list import (
    OrderListRow,
    StoreAddresses,
    order_list,
    store_addresses,
)
from tiktok_console.storage.orders.tiktok_orders import (
    CREATED,
    FAILED,
    LINKED,
    ORPHAN,
    PENDING,
    SKIPPED,
)
from tiktok_console.stores.tokens import TokenStore
from tiktok_console.sync.orders.history import HistoryReport
from tiktok_console.ui.cell_text import iso_local, local_time, money_text, plural
from tiktok_console.ui.large_table import KeptSelection, LargeRowModel
from tiktok_console.ui.page_context import PageContext
from tiktok_console.ui.pages.base import Notice, Page, empty_or
from tiktok_console.ui.pages.orders_history import HistoryDialog, start_import
from tiktok_console.ui.table_model import RIGHT, ROW_ROLE, Column
from tiktok_console.ui.table_view import EmptyState, search_field, table_view
from tiktok_console.ui.theme import DANGER, SUCCESS, WARNING
from tiktok_console.ui.widgets import button

ABOUT = "Every TikTok order the console knows and where it stands with Shopify."
EMPTY = (
    "No TikTok orders yet. Once both stores are connected, each new TikTok order shows "
    "here with where it stands in Shopify."
)
PREVIEW = 300  # the newest orders, shown while every order is read
SEARCH_DELAY_MS = 200

STATE_TEXT = {
    PENDING: "Waiting",
    ORPHAN: "Waiting for SKU mapping",
    CREATED: "In Shopify",
    LINKED: "In Shopify (already there)",
    SKIPPED: "Not sent to Shopify",
    FAILED: "Failed",
}
_STATE_COLOR = {ORPHAN: WARNING, FAILED: DANGER, CREATED: SUCCESS, LINKED: SUCCESS}

FILTERS: dict[str, Callable[[OrderListRow], bool] | None] = {
    "All orders": None,
    "In Shopify": lambda r: r.sync_state in (CREATED, LINKED),
    "Waiting": lambda r: r.sync_state in (PENDING, ORPHAN),
    "Failed": lambda r: r.sync_state == FAILED,
    "Not sent": lambda r: r.sync_state == SKIPPED,
}


class OrderColumn(IntEnum):
    ORDER = 0
    PLACED = 1
    TIKTOK_STATUS = 2
    STATE = 3
    SHOPIFY = 4
    BUYER = 5
    SKUS = 6
    TOTAL = 7
    REASON = 8


def _state(row: OrderListRow) -> str:
    return STATE_TEXT.get(row.sync_state, row.sync_state.capitalize())


def _status(row: OrderListRow) -> str:
    return row.status.replace("_", " ").capitalize()


def _columns() -> list[Column[OrderListRow]]:
    return [
        Column("TikTok order", attrgetter("order_id"), width=170),
        Column("Placed", lambda r: local_time(r.created_at), sort_key=attrgetter("created_at"),
               export=lambda r: iso_local(r.created_at), width=120, searchable=False),
        Column("TikTok status", _status, width=130, searchable=False),
        Column("State", _state, color=lambda r: _STATE_COLOR.get(r.sync_state), width=150,
               searchable=False),
        Column("Shopify", attrgetter("shopify_order_name"), width=80),
        Column("Buyer", attrgetter("buyer"), width=120),
        Column("SKUs", attrgetter("skus"), width=140),
        Column("Total", lambda r: money_text(r.total, r.currency), sort_key=attrgetter("total"),
               export=lambda r: f"{r.total} {r.currency}", align=RIGHT, width=90,
               searchable=False),
        Column("Reason", attrgetter("reason"), tooltip=attrgetter("reason"), searchable=False),
    ]  # fmt: skip


@dataclass(frozen=True)
class OrdersData:
    """What the page shows, read off the GUI thread."""

    rows: Sequence[OrderListRow]
    complete: bool
    stores: StoreAddresses


def load_orders(limit: int | None) -> OrdersData:
    """Every order (or the ``limit`` newest) and the connected stores' addresses."""
    rows = order_list(limit)
    return OrdersData(rows, limit is None or len(rows) < limit, store_addresses())


class OrdersPage(Page):
    """Every TikTok order: search, state and reason, and links to both stores."""

    page_id = "orders"
    title = "Orders"
    icon = "orders.svg"
    topics = frozenset({"orders", "orphans"})

    def __init__(self, context: PageContext, parent: QWidget | None = None) -> None:
        super().__init__(ABOUT, parent)
        self._context = context
        self._stores = StoreAddresses("", "")
        self._loading = False
        self.orders = LargeRowModel(_columns(), key=attrgetter("order_id"))
        self._search_timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self._apply_search)
        self._build()

    def _build(self) -> None:
        self.search = search_field("Search TikTok order id, Shopify order, buyer or SKU…")
        self.search.textChanged.connect(lambda _text: self._search_timer.start())
        self.filter = QComboBox()
        self.filter.addItems(list(FILTERS))
        self.filter.currentTextChanged.connect(self._on_filter_changed)
        self.shopify_button = button("Open in Shopify", "Secondary")
        self.shopify_button.clicked.connect(lambda: self._open(self.shopify_url()))
        self.seller_center_button = button("Open in Seller Center", "Secondary")
        self.seller_center_button.clicked.connect(lambda: self._open(self.seller_center_url()))
        self.history_button = button("Import history since…", "Secondary")
        self.history_button.setToolTip(
            "Create TikTok orders shipped before the console was connected in Shopify, "
            "as fulfilled, without changing stock"
        )
        self.history_button.clicked.connect(self._on_history_clicked)
        tools = QHBoxLayout()
        tools.addWidget(self.search, 1)
        tools.addWidget(self.filter)
        tools.addWidget(self.shopify_button)
        tools.addWidget(self.seller_center_button)
        tools.addWidget(self.history_button)
        self.body.addLayout(tools)
        self.notice = Notice()
        self.body.addWidget(self.notice)
        self.empty = EmptyState("orders.svg", "No orders yet", EMPTY)
        self.table = table_view(self.orders, stretch=OrderColumn.REASON)
        self.table.sortByColumn(OrderColumn.PLACED, Qt.SortOrder.DescendingOrder)
        self.table.selectionModel().currentRowChanged.connect(self._on_current_changed)
        self.stack = empty_or(self.empty, self.table)
        self.body.addWidget(self.stack, 1)
        self._on_current_changed(QModelIndex(), QModelIndex())

    # -- reading ----------------------------------------------------------------

    def refresh(self) -> None:
        """Re-read every order; on the first open the newest show while the rest is read."""
        self._loading = True
        limit = None if self.orders.rows else PREVIEW
        self._context.work.query(
            self.page_id, lambda: load_orders(limit), self._on_loaded, owner=self,
            description="reading the orders",
        )  # fmt: skip

    @property
    def loading(self) -> bool:
        """Whether every order is still being read."""
        return self._loading

    def _on_loaded(self, data: OrdersData) -> None:
        self._stores = data.stores
        with KeptSelection(self.table, self.orders):
            self.orders.set_rows(data.rows)
        self.stack.setCurrentIndex(1 if data.rows else 0)
        for tool in (self.search, self.filter):
            tool.setVisible(bool(data.rows))
        self._loading = not data.complete
        if data.complete:
            self._show_summary()
        else:
            self.set_subtitle("Reading every order…")
            self._context.work.query(
                self.page_id, lambda: load_orders(None), self._on_loaded, owner=self,
                description="reading the orders",
            )  # fmt: skip
        self._on_current_changed(self.table.currentIndex(), QModelIndex())

    def _show_summary(self) -> None:
        rows = self.orders.rows
        if not rows:
            self.set_subtitle(ABOUT)
            return
        shown = self.orders.rowCount()
        waiting = sum(1 for r in rows if r.sync_state in (PENDING, ORPHAN))
        failed = sum(1 for r in rows if r.sync_state == FAILED)
        parts = [plural(len(rows), "TikTok order", "TikTok orders")]
        if shown != len(rows):
            parts[0] = f"{shown:,} of {parts[0]} shown"
        parts.append(f"{waiting:,} waiting")
        if failed:
            parts.append(f"{failed:,} failed")
        self.set_subtitle(" · ".join(parts) + ".")

    def apply_filter(self, name: str) -> None:
        """Open on the filter called ``name`` (from Overview's "Needs attention")."""
        if name in FILTERS:
            self.filter.setCurrentText(name)

    def _apply_search(self) -> None:
        with KeptSelection(self.table, self.orders):
            self.orders.set_search(self.search.text())
        self._show_summary()

    def _on_filter_changed(self, name: str) -> None:
        with KeptSelection(self.table, self.orders):
            self.orders.set_predicate(FILTERS.get(name))
        self._show_summary()

    # -- the current order --------------------------------------------------------

    def current_order(self) -> OrderListRow | None:
        """The order on the current line, if any."""
        index = self.table.currentIndex()
        row = self.orders.data(index, ROW_ROLE) if index.isValid() else None
        return row if isinstance(row, OrderListRow) else None

    def shopify_url(self) -> str:
        """The current order's page in the Shopify admin ("" when it has none)."""
        order = self.current_order()
        return shopify_order_url(self._stores.shopify_shop, order.shopify_order_id) if order else ""

    def seller_center_url(self) -> str:
        """The current order's page in the region's Seller Center."""
        order = self.current_order()
        return seller_center_order_url(self._stores.tiktok_region, order.order_id) if order else ""

    def _on_current_changed(self, _current: QModelIndex, _previous: QModelIndex) -> None:
        order = self.current_order()
        self.shopify_button.setEnabled(bool(self.shopify_url()))
        self.seller_center_button.setEnabled(order is not None)
        if order is not None and not order.shopify_order_id:
            self.shopify_button.setToolTip("This order is not in Shopify yet")
        else:
            self.shopify_button.setToolTip("Open the order in the Shopify admin")

    # -- history ------------------------------------------------------------------

    @property
    def token_store(self) -> TokenStore | None:
        """Where the stores' sign-ins are (None before the accounts are set up)."""
        accounts = self._context.accounts
        return accounts.service.token_store if accounts is not None else None

    def _on_history_clicked(self) -> None:
        dialog = HistoryDialog(self)
        if dialog.exec() == HistoryDialog.DialogCode.Accepted:
            self.import_history(dialog.chosen())

    def import_history(self, day: date) -> bool:
        """Import orders shipped before the connection, placed since ``day``; False if not
        connected."""
        store = self.token_store
        if store is None:
            self.notice.show_text("Connect both stores before importing history.", WARNING)
            return False
        self.history_button.setEnabled(False)
        start_import(
            self._context, store, day, self, self._on_history_done, self._on_history_failed
        )
        return True

    def _on_history_failed(self, error: BaseException) -> None:
        self.history_button.setEnabled(True)
        reason = getattr(error, "message", "") or str(error)
        self.notice.show_text(f"History was not imported: {reason}", DANGER)

    def _on_history_done(self, report: HistoryReport) -> None:
        self.history_button.setEnabled(True)
        self.notice.show_text(report.summary(), SUCCESS if not report.failed else WARNING)

    def _open(self, url: str) -> None:
        if url:
            QDesktopServices.openUrl(QUrl(url))
            self.notice.show_text(f"Opened {url} in your browser.")
