"""The Overview's "Ship today / overdue" list: orders TikTok will penalise if they ship late.

Kept apart from the Overview page so that page stays a layout of cards; this
module knows how a ship-by deadline reads to a merchant (local times, time
left, overdue in the danger colour, where the tracking stands).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from enum import IntEnum

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QVBoxLayout, QWidget

from tiktok_console.storage.orders.deadlines import ShipDeadline
from tiktok_console.ui.cell_text import iso_local, local_time, time_left
from tiktok_console.ui.table_model import Column, RowSortFilterProxy, RowTableModel
from tiktok_console.ui.table_view import table_view
from tiktok_console.ui.theme import DANGER, SUCCESS, WARNING
from tiktok_console.ui.widgets import label

MAX_LINES = 8  # the table grows to this many lines, then scrolls

_TRACKING = {
    "pushed": ("Tracking sent to TikTok", SUCCESS),
    "pending": ("Shipped; tracking on its way to TikTok", None),
    "blocked": ("Tracking blocked: carrier not mapped", DANGER),
    "held": ("Tracking held: check the number", WARNING),
    "failed": ("TikTok refused the tracking", DANGER),
}
_NOT_SHIPPED = {
    "orphan": ("Not in Shopify: a SKU is not mapped", WARNING),
    "failed": ("Not in Shopify: Shopify refused it", DANGER),
    "pending": ("On its way to Shopify", None),
}


class ShipColumn(IntEnum):
    ORDER = 0
    SHOPIFY = 1
    SHIP_BY = 2
    LEFT = 3
    TRACKING = 4


def tracking_text(row: ShipDeadline) -> tuple[str, str | None]:
    """What stands between this order and a shipment TikTok knows of, and its colour."""
    if row.tracking:
        return _TRACKING.get(row.tracking, (row.tracking, None))
    return _NOT_SHIPPED.get(row.sync_state, ("Not shipped in Shopify yet", None))


def _columns(now: Callable[[], datetime]) -> list[Column[ShipDeadline]]:
    def late(row: ShipDeadline) -> str | None:
        return DANGER if row.overdue else None

    return [
        Column("TikTok order", lambda r: r.order_id, width=170,
               tooltip=lambda r: r.status.replace("_", " ").capitalize()),
        Column("Shopify order", lambda r: r.shopify_order_name or "—", width=110),
        Column("Ship by", lambda r: local_time(r.ship_by), sort_key=lambda r: r.ship_by,
               export=lambda r: iso_local(r.ship_by), color=late, bold=lambda r: r.overdue,
               width=130),
        Column("Time left", lambda r: time_left(r.ship_by, now()), sort_key=lambda r: r.ship_by,
               color=late, searchable=False, width=120),
        Column("Tracking", lambda r: tracking_text(r)[0], color=lambda r: tracking_text(r)[1],
               tooltip=lambda r: r.tracking_reason or tracking_text(r)[0]),
    ]  # fmt: skip


class ShipList(QWidget):
    """A heading with the counts, and the orders due today or overdue, earliest first."""

    def __init__(
        self, now: Callable[[], datetime] = lambda: datetime.now(UTC), parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.orders = RowSortFilterProxy(RowTableModel(_columns(now), key=lambda r: r.order_id))
        self.heading = label("Ship today / overdue", "CardTitle")
        self.summary = label("", "Muted", wrap=True)
        self.table = table_view(self.orders, stretch=ShipColumn.TRACKING)
        self.table.sortByColumn(ShipColumn.SHIP_BY, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(6)
        box.addWidget(self.heading)
        box.addWidget(self.summary)
        box.addWidget(self.table)

    def set_rows(self, rows: Sequence[ShipDeadline]) -> None:
        """Show ``rows``; with none, a sentence saying nothing is due."""
        self.orders.model_.set_rows(rows)
        overdue = sum(row.overdue for row in rows)
        self.heading.setText(f"Ship today / overdue ({len(rows)})" if rows else
                             "Ship today / overdue")  # fmt: skip
        self.summary.setText(_summary(len(rows) - overdue, overdue))
        self.summary.setStyleSheet(f"color: {DANGER};" if overdue else "")
        self.table.setVisible(bool(rows))
        lines = min(len(rows), MAX_LINES)
        header = self.table.horizontalHeader().sizeHint().height()
        self.table.setFixedHeight(header + lines * 30 + 4)


def _summary(today: int, overdue: int) -> str:
    if not today and not overdue:
        return "No TikTok order must ship today. Orders due today or overdue will appear here."
    parts = []
    if overdue:
        parts.append(f"{overdue} overdue: ship {'it' if overdue == 1 else 'them'} now to limit "
                     "TikTok's late-dispatch penalties")  # fmt: skip
    if today:
        parts.append(f"{today} due before midnight")
    return "; ".join(parts) + "."
