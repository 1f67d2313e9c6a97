"""The detail pane of the Orphan orders page: one SKU's orders and the variants to map it to.

Kept apart from the page so the page module holds only the list and the
actions. The pane shows what it is given; it reads nothing itself.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import IntEnum

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from tiktok_console.domain.sku_matching import Suggestion
from tiktok_console.storage.catalog.variants import Variant
from tiktok_console.storage.orders.views import OrphanOrder, OrphanSku
from tiktok_console.ui.cell_text import local_time, money_text, time_left
from tiktok_console.ui.table_model import RIGHT, Column, RowSortFilterProxy, RowTableModel
from tiktok_console.ui.table_view import search_field, table_view
from tiktok_console.ui.theme import DANGER
from tiktok_console.ui.widgets import button, label

URGENT = timedelta(hours=24)
PROMPT = "Select a SKU to see its orders and suggestions."
WEAK_SCORE = 80
"""A best suggestion scoring below this, or tied with the next one, is weak: the
merchant must pick the variant themselves (nothing is pre-selected)."""
TIE = 0.5  # scores closer than this are a tie


def weakness(choices: Sequence[VariantChoice]) -> str:
    """Why the best suggestion is not good enough to offer ready-picked ("" when it is)."""
    if not choices or choices[0].score is None:
        return "No suggestion: search all variants."
    best = choices[0].score
    if len(choices) > 1 and choices[1].score is not None and best - choices[1].score < TIE:
        return f"Two suggestions tie at {best:.0f}: pick the right variant yourself."
    if best < WEAK_SCORE:
        return (
            f"The best suggestion scores {best:.0f} (below {WEAK_SCORE}, weak): "
            "pick the variant yourself."
        )
    return ""


def is_urgent(deadline: datetime | None, now: datetime) -> bool:
    """A ship-by deadline within 24 hours, or already past."""
    return deadline is not None and deadline - now <= URGENT


@dataclass(frozen=True)
class VariantChoice:
    """A Shopify variant offered for a SKU: a ranked suggestion, or any variant."""

    variant_id: str
    sku: str
    title: str
    score: float | None = None
    why: str = ""


def variant_choice(variant: Variant, suggestion: Suggestion | None = None) -> VariantChoice:
    """``variant`` as the pane lists it, with the suggestion's score and reasons if any."""
    title = variant.title or "(untitled variant)"
    if suggestion is None:
        return VariantChoice(variant.variant_id, variant.sku, title)
    why = "; ".join(suggestion.reasons)
    return VariantChoice(variant.variant_id, variant.sku, title, suggestion.score, why)


class OrderColumn(IntEnum):
    ORDER = 0
    SHIP_BY = 1
    TOTAL = 2


class ChoiceColumn(IntEnum):
    SCORE = 0
    SKU = 1
    TITLE = 2
    WHY = 3


def _order_columns(now: Callable[[], datetime]) -> list[Column[OrphanOrder]]:
    return [
        Column("TikTok order", lambda o: o.order_id,
               tooltip=lambda o: f"Placed {local_time(o.created_at)}. {o.reason}"),
        Column("Ship by", lambda o: local_time(o.ship_by), sort_key=lambda o: o.ship_by,
               color=lambda o: DANGER if is_urgent(o.ship_by, now()) else None,
               tooltip=lambda o: time_left(o.ship_by, now())),
        Column("Total", lambda o: money_text(o.total, o.currency), sort_key=lambda o: o.total,
               align=RIGHT),
    ]  # fmt: skip


def _choice_columns() -> list[Column[VariantChoice]]:
    return [
        Column("Score", lambda c: "" if c.score is None else f"{c.score:.0f}",
               sort_key=lambda c: c.score, align=RIGHT, searchable=False),
        Column("SKU", lambda c: c.sku or "(no SKU)", width=120, tooltip=lambda c: c.sku),
        Column("Shopify variant", lambda c: c.title, tooltip=lambda c: c.title),
        Column("Why", lambda c: c.why, tooltip=lambda c: c.why, width=150, searchable=False),
    ]  # fmt: skip


def _choice_model() -> RowSortFilterProxy[VariantChoice]:
    return RowSortFilterProxy(RowTableModel(_choice_columns(), key=lambda c: c.variant_id))


class SkuDetailPane(QFrame):
    """The selected SKU: its blocked orders, suggestions, any variant, and "Map now".

    Signals:
        map_requested: the merchant asked to map the SKU to ``chosen_variant()``.
        not_in_shopify_requested: the merchant said the SKU has no Shopify product.
    """

    map_requested = Signal()
    not_in_shopify_requested = Signal()

    def __init__(self, now: Callable[[], datetime], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("Card")
        self.setMinimumHeight(280)
        self.sku: OrphanSku | None = None
        self.marked_not_in_shopify = False
        self._choices_for = ""  # the SKU whose suggestions the list holds
        self.orders = RowSortFilterProxy(
            RowTableModel(_order_columns(now), key=lambda o: o.order_id)
        )
        self.suggestions = _choice_model()
        self.all_variants = _choice_model()
        self.title = label(PROMPT, wrap=True)
        self.title.setStyleSheet("font-size: 16px; font-weight: 600;")
        self.meta = label("", "CardNote", wrap=True)
        self.orders_label = label("Blocked orders", "CardTitle")
        self.orders_table = table_view(self.orders, stretch=OrderColumn.ORDER)
        self.orders_table.sortByColumn(OrderColumn.SHIP_BY, Qt.SortOrder.AscendingOrder)
        self.orders_table.setSelectionMode(QTableView.SelectionMode.NoSelection)
        self.suggestion_table = self._choice_table(self.suggestions)
        # Always best first: the order is the point, so no re-sorting by the merchant.
        self.suggestions.sort(ChoiceColumn.SCORE, Qt.SortOrder.DescendingOrder)
        self.suggestion_table.setSortingEnabled(False)
        self.variant_search = search_field("Search all Shopify variants…")
        self.variant_search.textChanged.connect(self.all_variants.set_search)
        self.variant_table = self._choice_table(self.all_variants)
        self.variant_table.hideColumn(ChoiceColumn.SCORE)
        self.variant_table.hideColumn(ChoiceColumn.WHY)
        self.variant_table.sortByColumn(ChoiceColumn.SKU, Qt.SortOrder.AscendingOrder)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.suggestion_table, "Suggested")
        self.tabs.addTab(self._picker(), "All variants")
        self.tabs.currentChanged.connect(lambda _index: self._update_map_button())
        self.map_button = button("Map now", "Primary")
        self.map_button.clicked.connect(self.map_requested)
        self.not_in_shopify_button = button("Not in Shopify", "Secondary")
        self.not_in_shopify_button.setToolTip(
            "This product is not sold in Shopify: keep its orders here and stop suggesting"
        )
        self.not_in_shopify_button.clicked.connect(self.not_in_shopify_requested)
        self.map_hint = label("", "CardNote", wrap=True)
        self._lay_out()
        self.show_sku(None, [], [])

    def _lay_out(self) -> None:
        # Orders on the left, the variant to map to on the right: the pane sits
        # under the SKU table, where the window is wide and not very tall.
        left = QVBoxLayout()
        left.setSpacing(6)
        for widget in (self.title, self.meta, self.orders_label):
            left.addWidget(widget)
        left.addWidget(self.orders_table, 1)
        right = QVBoxLayout()
        right.setSpacing(6)
        right.addWidget(label("Map to a Shopify variant", "CardTitle"))
        right.addWidget(self.tabs, 1)
        actions = QHBoxLayout()
        actions.addWidget(self.map_hint, 1)
        actions.addWidget(self.not_in_shopify_button)
        actions.addWidget(self.map_button)
        right.addLayout(actions)
        box = QHBoxLayout(self)
        box.setContentsMargins(16, 14, 16, 14)
        box.setSpacing(20)
        box.addLayout(left, 4)
        box.addLayout(right, 5)

    def _picker(self) -> QWidget:
        picker = QWidget()
        box = QVBoxLayout(picker)
        box.setContentsMargins(0, 6, 0, 0)
        box.addWidget(self.variant_search)
        box.addWidget(self.variant_table, 1)
        return picker

    def _choice_table(self, proxy: RowSortFilterProxy[VariantChoice]) -> QTableView:
        table = table_view(proxy, stretch=ChoiceColumn.TITLE)
        table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        table.selectionModel().selectionChanged.connect(lambda *_: self._update_map_button())
        table.doubleClicked.connect(lambda _index: self.map_requested.emit())
        return table

    def set_variants(self, variants: Sequence[VariantChoice]) -> None:
        """Every Shopify variant, for the searchable "All variants" list."""
        self.all_variants.model_.set_rows(variants)

    def show_sku(
        self,
        sku: OrphanSku | None,
        orders: Sequence[OrphanOrder],
        choices: Sequence[VariantChoice],
        *,
        not_in_shopify: bool = False,
    ) -> None:
        """Show ``sku`` (or the prompt to pick one), its orders and its suggestions.

        A variant is picked in advance only for a strong suggestion (see
        ``weakness``), and nothing picked for another SKU stays picked.
        """
        changed = sku is None or self.sku is None or sku.sku_id != self.sku.sku_id
        self.sku = sku
        self.marked_not_in_shopify = not_in_shopify
        if changed:  # a pick belongs to one SKU: never carried to the next
            self.suggestion_table.clearSelection()
            self.variant_table.clearSelection()
            self.tabs.setCurrentIndex(0)
        self.orders.model_.set_rows(orders)
        self.suggestions.model_.set_rows(choices)
        self.tabs.setTabText(0, f"Suggested ({len(choices)})")
        if sku is None:
            self.title.setText(PROMPT)
            self.meta.setText("")
            self.orders_label.setText("Blocked orders")
        else:
            self.title.setText(sku.title or sku.seller_sku or sku.sku_id)
            seller = f"seller SKU {sku.seller_sku}" if sku.seller_sku else "no seller SKU"
            marked = " · marked not in Shopify: no suggestions" if not_in_shopify else ""
            self.meta.setText(f"TikTok SKU {sku.sku_id} · {seller}{marked}")
            self.orders_label.setText(f"Blocked orders ({sku.orders_blocked})")
        first = sku is not None and bool(choices) and self._choices_for != sku.sku_id
        self._choices_for = sku.sku_id if sku is not None and choices else ""
        if first and not weakness(choices):
            self.suggestion_table.selectRow(0)  # a strong best one, ready for "Map now"
        self._update_map_button()

    def chosen_variant(self) -> VariantChoice | None:
        """The variant picked on the visible tab, if any."""
        on_suggestions = self.tabs.currentIndex() == 0
        table = self.suggestion_table if on_suggestions else self.variant_table
        proxy = self.suggestions if on_suggestions else self.all_variants
        rows = table.selectionModel().selectedRows()
        return proxy.row(rows[0].row()) if rows else None

    def _update_map_button(self) -> None:
        choice = self.chosen_variant()
        self.map_button.setEnabled(self.sku is not None and choice is not None)
        self.not_in_shopify_button.setEnabled(
            self.sku is not None and not self.marked_not_in_shopify
        )
        if self.sku is None:
            self.map_hint.setText("")
        elif choice is None:
            choices = self.suggestions.model_.rows
            if self.marked_not_in_shopify:
                self.map_hint.setText(
                    "Marked not in Shopify. To map it anyway, search all variants."
                )
            else:
                self.map_hint.setText(
                    weakness(choices) or "Pick a suggestion, or search all variants."
                )
        else:
            score = "" if choice.score is None else f" (score {choice.score:.0f})"
            self.map_hint.setText(f"Map to {choice.sku or choice.title}{score}.")
