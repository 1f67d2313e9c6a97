"""Catalog health: every Shopify product, where its TikTok listing stands, and what to fix.

Problems are found before TikTok sees the product (the pre-flight rules), so
the day's listing quota is never spent on a product TikTok would refuse.
The list uses ``LargeRowModel`` (a catalog can have 50,000 products); the
detail pane shows the problems with their fixes and the listing as TikTok
will see it. Actions write the merchant's choice and nudge the catalog job:
"Push now" (one or many, including edits held because they send a live
listing back to review), exclude or include, a TikTok-only title.
"""

from __future__ import annotations

import json
from decimal import Decimal, InvalidOperation
from enum import IntEnum
from operator import attrgetter

from PySide6.QtCore import QModelIndex, QTimer
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from tiktok_console.storage.accounts import load_accounts
from tiktok_console.storage.catalog import listings
from tiktok_console.storage.catalog.page_rows import CatalogRow, catalog_health, catalog_rows
from tiktok_console.sync.catalog.preview import listing_preview
from tiktok_console.ui.cell_text import local_time, plural
from tiktok_console.ui.large_table import KeptSelection, LargeRowModel
from tiktok_console.ui.operations import IsCancelled, Progress
from tiktok_console.ui.page_context import PageContext
from tiktok_console.ui.pages.base import Notice, Page, empty_or, export_rows, split_vertically
from tiktok_console.ui.table_model import Column
from tiktok_console.ui.table_view import EmptyState, search_field, table_view
from tiktok_console.ui.theme import DANGER, MUTED, SUCCESS, WARNING
from tiktok_console.ui.widgets import button, frame, label

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


def _attributes(text: str) -> dict[str, str]:
    """``"100198=Harbor & Pine; 100420=Aloe"`` as {attribute id: value}."""
    pairs = (part.split("=", 1) for part in text.split(";") if "=" in part)
    return {key.strip(): value.strip() for key, value in pairs if key.strip() and value.strip()}


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
        self._entry: listings.Listing | None = None
        self._weightless: list[str] = []  # variants the shown product lacks a weight for
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
        tools = QHBoxLayout()
        tools.addWidget(self.score)
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
        pane = frame("Card")
        box = QVBoxLayout(pane)
        box.setContentsMargins(16, 12, 16, 12)
        self.detail_title = label("Select a product to see its problems.", wrap=True)
        self.detail_title.setStyleSheet("font-size: 14px; font-weight: 600;")
        self.detail_problems = label("", "CardNote", wrap=True)
        self.title_override = QLineEdit(placeholderText="TikTok-only title (sync stays on)")
        self.category = QLineEdit(placeholderText="TikTok category id (blank: TikTok's pick)")
        self.attributes = QLineEdit(placeholderText="Attributes TikTok requires: id=value; …")
        self.priority = QSpinBox(minimum=-100, maximum=100)
        self.priority.setToolTip("Higher goes first through TikTok's daily cap on new listings")
        self.title_button = button("Save TikTok settings", "Secondary")
        self.title_button.clicked.connect(self._on_title_clicked)
        self.weight = QLineEdit(placeholderText="Weight in grams")
        self.weight.setMaximumWidth(140)
        self.weight_button = button("Save weight to Shopify", "Secondary")
        self.weight_button.setToolTip("Written to every variant without a weight, in Shopify")
        self.weight_button.clicked.connect(self._on_weight_clicked)
        fix = QHBoxLayout()
        fix.addWidget(self.title_override, 1)
        fix.addWidget(self.title_button)
        fix.addWidget(self.weight)
        fix.addWidget(self.weight_button)
        self.preview = QPlainTextEdit(readOnly=True)
        self.preview.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.preview.setPlaceholderText("The listing as TikTok will see it.")
        box.addWidget(self.detail_title)
        box.addWidget(self.detail_problems)
        box.addLayout(fix)
        tiktok_only = QHBoxLayout()
        tiktok_only.addWidget(self.category, 1)
        tiktok_only.addWidget(self.attributes, 2)
        tiktok_only.addWidget(label("Queue priority", "CardNote"))
        tiktok_only.addWidget(self.priority)
        box.addLayout(tiktok_only)
        box.addWidget(self.preview, 1)
        return pane

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
        self.detail_title.setText(row.title)

        def load() -> tuple[listings.Listing | None, str]:
            entry = listings.listing(row.product_id)
            accounts = load_accounts()
            region = accounts["tiktok"].region if "tiktok" in accounts else "US"
            preview = listing_preview(entry, region) if entry else {}
            return entry, json.dumps(preview, indent=2, ensure_ascii=False)

        self._context.work.query(f"{self.page_id}.detail", load, self._show_detail, owner=self)

    def _show_detail(self, loaded: tuple[listings.Listing | None, str]) -> None:
        entry, preview = loaded
        self._entry = entry
        if entry is None:
            return
        self._weightless = [p.variant_id for p in entry.problems
                            if p.field == "weight" and p.variant_id]  # fmt: skip
        self.weight_button.setEnabled(bool(self._weightless))
        lines = [
            f"{'⛔' if p.blocking else '⚠'} {p.message} → {p.fix}"
            + (f" (suggested: {p.suggestion})" if p.suggestion else "")
            for p in entry.problems
        ]
        lines += [f"TikTok review: {reason}" for reason in entry.audit_reasons]
        lines += [entry.notice] if entry.notice else []
        self.detail_problems.setText("\n".join(lines) or "No problems: ready for TikTok.")
        self.title_override.setText(str(entry.overrides.get("title") or ""))
        self.category.setText(str(entry.overrides.get("category_id") or ""))
        chosen = dict(entry.overrides.get("attributes") or {})
        self.attributes.setText("; ".join(f"{k}={v}" for k, v in chosen.items()))
        self.priority.setValue(entry.priority)
        self.preview.setPlainText(preview)

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

    def _on_title_clicked(self) -> None:
        row = self.current_row()
        if row is None:
            return
        title, category = self.title_override.text().strip(), self.category.text().strip()
        attributes = _attributes(self.attributes.text())
        priority = self.priority.value()

        def write() -> None:
            entry = listings.listing(row.product_id)
            overrides = dict(entry.overrides if entry else {})
            overrides.update(title=title, category_id=category, attributes=attributes)
            listings.set_overrides(row.product_id, overrides)
            listings.set_priority(row.product_id, priority)

        self._act("saving TikTok settings", write, "Saved for TikTok only; sync stays on.")

    def _on_weight_clicked(self) -> None:
        row, variants = self.current_row(), list(self._weightless)
        try:
            grams = Decimal(self.weight.text().strip())
        except InvalidOperation:
            grams = Decimal(0)
        if row is None or not variants or not grams > 0:
            self.notice.show_text("Enter a weight above zero, in grams.", WARNING)
            return
        fixes = [{"variant_id": v, "weight_grams": str(grams)} for v in variants]
        product_id = row.product_id
        self._act(
            "saving the weight",
            lambda: listings.queue_shopify_fixes(product_id, fixes),
            "The weight goes to Shopify at the next sync, then the product to TikTok.",
        )

    def _on_export_clicked(self) -> None:
        if done := export_rows(self, self.products, "catalog.csv", ("product", "products")):
            self.notice.show_text(done, SUCCESS)
