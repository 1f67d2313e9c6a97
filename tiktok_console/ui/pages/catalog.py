"""Catalog health: every Shopify product, where its TikTok listing stands, and what to fix.

Problems are found before TikTok sees the product (the pre-flight rules), so
the day's listing quota is never spent on a product TikTok would refuse.
The list uses ``LargeRowModel`` (a catalog can have 50,000 products); the
detail pane shows the problems with their fixes and the listing as TikTok
will see it. Actions write the merchant's choice and nudge the catalog job:
"Push now" (one or many, including edits held because they send a live
listing back to review), exclude or include, and the fixes of the detail pane
(``catalog_detail``): Shopify data written back there, TikTok-only overrides.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from enum import IntEnum
from operator import attrgetter

from PySide6.QtCore import QModelIndex, QTimer
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QWidget

from tiktok_console.storage.accounts import load_accounts
from tiktok_console.storage.catalog import listings
from tiktok_console.storage.catalog.page_rows import CatalogRow, catalog_health, catalog_rows
from tiktok_console.sync.catalog.preview import listing_preview
from tiktok_console.ui.cell_text import local_time, plural
from tiktok_console.ui.large_table import KeptSelection, LargeRowModel
from tiktok_console.ui.operations import IsCancelled, Progress
from tiktok_console.ui.page_context import PageContext
from tiktok_console.ui.pages.base import Notice, Page, empty_or, export_rows, split_vertically
from tiktok_console.ui.pages.catalog_detail import CatalogDetail, FixError
from tiktok_console.ui.table_model import Column
from tiktok_console.ui.table_view import EmptyState, search_field, table_view
from tiktok_console.ui.theme import DANGER, MUTED, SUCCESS, WARNING
from tiktok_console.ui.widgets import button, label

ABOUT = "Every Shopify product on TikTok, checked before TikTok sees it."
SEARCH_DELAY_MS = 250
FIRST_ROWS = 200  # shown at once on the first open, those needing a fix first
STATE_TITLES = {
    "live": "Live", "pending_audit": "In review", "failed_audit": "Failed review",
    "queued": "Queued", "blocked": "Blocked", "excluded": "Excluded", "new": "Not checked yet",
}  # fmt: skip
STATE_COLORS = {"blocked": DANGER, "failed_audit": DANGER, "queued": WARNING, "excluded": MUTED}
FILTERS = {
    "All products": None,
    "Needs a fix": lambda r: bool(r.blocking) or r.state == "failed_audit",
    "Warnings": lambda r: bool(r.warnings) and not r.blocking,
    **{title: (lambda state: lambda r: r.state == state)(s) for s, title in STATE_TITLES.items()},
}


class CatalogColumn(IntEnum):
    TITLE = 0
    STATE = 1
    PROBLEMS = 2
    FIRST = 3
    QUEUED = 4
    TIKTOK = 5


def _queued(row: CatalogRow) -> str:
    return local_time(row.queued_until) if row.queued_until else ""


COLUMNS: list[Column[CatalogRow]] = [
    Column("Product", lambda r: r.title, tooltip=lambda r: r.title, width=280),
    Column("State", lambda r: STATE_TITLES.get(r.state, r.state),
           color=lambda r: STATE_COLORS.get(r.state), export=lambda r: r.state),
    Column("Problems", lambda r: f"{r.blocking} blocking, {r.warnings} warnings" if r.blocking
           else (plural(r.warnings, "warning", "warnings") if r.warnings else ""),
           sort_key=lambda r: (r.blocking, r.warnings), bold=lambda r: bool(r.blocking),
           export=lambda r: r.problems_text),
    Column("What to fix first", lambda r: r.first_problem or r.audit_reasons,
           tooltip=lambda r: r.problems_text),
    Column("Goes out", _queued, sort_key=lambda r: (r.queued_until is None, r.queued_until),
           export=lambda r: r.queued_until.isoformat() if r.queued_until else ""),
    Column("TikTok id", lambda r: r.tiktok_product_id, width=170),
]  # fmt: skip


class CatalogPage(Page):
    """Catalog health: score, filters, table, detail with fixes and the listing preview."""

    page_id = "catalog"
    title = "Catalog health"
    icon = "overview.svg"
    topics = frozenset({"catalog"})

    def __init__(self, context: PageContext, parent: QWidget | None = None) -> None:
        super().__init__(ABOUT, parent)
        self._context = context
        self.products = LargeRowModel(COLUMNS, key=attrgetter("product_id"))
        self._search_timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(
            lambda: self.products.set_search(self.search.text().strip())
        )
        self._build()

    def _build(self) -> None:
        self.score = label("", "CardValue")
        self.search = search_field("Search products, problems, TikTok ids…")
        self.search.textChanged.connect(lambda _text: self._search_timer.start())
        self.filter = QComboBox()
        self.filter.addItems(list(FILTERS))
        self.filter.currentTextChanged.connect(
            lambda text: self.products.set_predicate(FILTERS.get(text))
        )
        self.push_button = button("Push now", "Primary")
        self.push_button.setToolTip("Send the selected products at the next sync (held edits too)")
        self.push_button.clicked.connect(self._on_push_clicked)
        self.exclude_button = button("Exclude / include", "Secondary")
        self.exclude_button.clicked.connect(self._on_exclude_clicked)
        self.export_button = button("Export CSV", "Secondary")
        self.export_button.clicked.connect(self._on_export_clicked)
        self.body.addWidget(self.score)  # its own line: a 1024-wide window keeps every button
        tools = QHBoxLayout()
        tools.addWidget(self.search, 1)
        for widget in (self.filter, self.push_button, self.exclude_button, self.export_button):
            tools.addWidget(widget)
        self.body.addLayout(tools)
        self.notice = Notice()
        self.body.addWidget(self.notice)
        self.table = table_view(self.products, stretch=CatalogColumn.FIRST)
        self.table.selectionModel().currentRowChanged.connect(self._on_current_changed)
        splitter = split_vertically(self.table, self._detail_pane(), (3, 2))
        self.empty = EmptyState(
            "overview.svg", "No products yet", "The catalog job reads Shopify's products first."
        )
        self.stack = empty_or(self.empty, splitter)
        self.body.addWidget(self.stack, 1)

    def _detail_pane(self) -> QWidget:
        self.detail = CatalogDetail()
        self.detail.tiktok_button.clicked.connect(self._on_tiktok_clicked)
        self.detail.variant_button.clicked.connect(self._on_variant_clicked)
        self.detail.weight_button.clicked.connect(self._on_weight_clicked)
        return self.detail

    # -- reading ----------------------------------------------------------------

    def refresh(self) -> None:
        if not self.products.rowCount():  # first open: a screenful now, the rest after
            self._context.work.query(
                f"{self.page_id}.first", lambda: catalog_rows(FIRST_ROWS), self._show_first,
                owner=self,
            )  # fmt: skip
            return
        self._context.work.query(self.page_id, catalog_rows, self._show_rows, owner=self)

    def _show_first(self, rows: list[CatalogRow]) -> None:
        if not self.products.rowCount():
            self.products.set_rows(rows)
            self.stack.setCurrentIndex(1 if rows else 0)
        # The full read starts once the first screenful is up, so the two never compete.
        self._context.work.query(self.page_id, catalog_rows, self._show_rows, owner=self)

    def _show_rows(self, rows: list[CatalogRow]) -> None:
        with KeptSelection(self.table, self.products):
            self.products.set_rows(rows)
        self.stack.setCurrentIndex(1 if rows else 0)
        health = catalog_health(rows)
        if health.score is None:  # nothing checked yet: no score to give
            self.score.setText("Health —")
        else:
            good = SUCCESS if health.score >= 90 else WARNING if health.score >= 60 else DANGER
            self.score.setText(f"<span style='color:{good}'>Health {health.score}</span>")
        parts = [
            f"{n} {STATE_TITLES.get(s, s).lower()}" for s, n in sorted(health.by_state.items())
        ]
        self.set_subtitle(f"{plural(len(rows), 'product', 'products')}: {', '.join(parts)}."
                          if rows else ABOUT)  # fmt: skip

    def current_row(self) -> CatalogRow | None:
        """The product the detail pane shows."""
        index = self.table.currentIndex()
        return self.products.row(index.row()) if index.isValid() else None

    def selected_rows(self) -> list[CatalogRow]:
        """The selected products (the current one when none is selected)."""
        rows = {i.row() for i in self.table.selectionModel().selectedRows()}
        found = [self.products.row(n) for n in sorted(rows)]
        current = self.current_row()
        return found or ([current] if current else [])

    def _on_current_changed(self, _current: QModelIndex, _previous: QModelIndex) -> None:
        row = self.current_row()
        if row is None:
            return
        self.detail.title.setText(row.title)

        def load() -> tuple[listings.Listing | None, str]:
            entry = listings.listing(row.product_id)
            accounts = load_accounts()
            region = accounts["tiktok"].region if "tiktok" in accounts else "US"
            preview = listing_preview(entry, region) if entry else {}
            return entry, json.dumps(preview, indent=2, ensure_ascii=False)

        self._context.work.query(f"{self.page_id}.detail", load, self._show_detail, owner=self)

    def _show_detail(self, loaded: tuple[listings.Listing | None, str]) -> None:
        entry, preview = loaded
        if entry is not None:
            self.detail.show_entry(entry, preview)

    # -- actions ----------------------------------------------------------------

    def _act(self, description: str, write: object, done_text: str) -> None:
        def work(_progress: Progress, _cancelled: IsCancelled) -> None:
            assert callable(write)
            write()

        def done(_result: None) -> None:
            self._context.engine.nudge("catalog")
            self.notice.show_text(done_text, SUCCESS)
            self.refresh()

        self._context.work.run(description, work, done=done, topics={"catalog"}, owner=self)

    def _on_push_clicked(self) -> None:
        rows = self.selected_rows()
        if rows:
            ids = [r.product_id for r in rows]
            self._act("pushing products", lambda: listings.push_now(ids),
                      f"{plural(len(ids), 'product', 'products')} go out at the next sync; "
                      "edits to live listings send them back to TikTok's review.")  # fmt: skip

    def _on_exclude_clicked(self) -> None:
        rows = self.selected_rows()
        if not rows:
            return

        def toggle() -> None:
            for row in rows:
                listings.set_excluded(row.product_id, not row.excluded)

        self._act("changing the TikTok channel", toggle,
                  "Done: excluded listings are deactivated on TikTok, never deleted.")  # fmt: skip

    def _on_tiktok_clicked(self) -> None:
        row = self.current_row()
        if row is None:
            return
        try:
            typed = self.detail.overrides()
        except FixError as error:
            self.notice.show_text(str(error), WARNING)
            return
        priority = self.detail.priority.value()

        def write() -> None:
            entry = listings.listing(row.product_id)
            overrides = dict(entry.overrides if entry else {})
            overrides.update(typed)
            listings.set_overrides(row.product_id, overrides)
            listings.set_priority(row.product_id, priority)

        self._act("saving TikTok settings", write, "Saved for TikTok only; sync stays on.")

    def _on_variant_clicked(self) -> None:
        self._fix_in_shopify(self.detail.variant_fix)

    def _on_weight_clicked(self) -> None:
        self._fix_in_shopify(self.detail.weight_fixes)

    def _fix_in_shopify(self, typed: Callable[[], dict[str, str] | list[dict[str, str]]]) -> None:
        row = self.current_row()
        if row is None:
            return
        try:
            found = typed()
        except FixError as error:
            self.notice.show_text(str(error), WARNING)
            return
        fixes = found if isinstance(found, list) else [found]
        product_id = row.product_id

        def write() -> None:
            entry = listings.listing(product_id)
            # Fixes typed before the job wrote the last ones go out together.
            waiting = {f["variant_id"]: dict(f) for f in (entry.shopify_fixes if entry else ())}
            for fix in fixes:
                waiting.setdefault(fix["variant_id"], {}).update(fix)
            listings.queue_shopify_fixes(product_id, list(waiting.values()))

        done = "Saved: it goes to Shopify at the next sync, then the product to TikTok."
        self._act("saving to Shopify", write, done)

    def _on_export_clicked(self) -> None:
        if done := export_rows(self, self.products, "catalog.csv", ("product", "products")):
            self.notice.show_text(done, SUCCESS)
