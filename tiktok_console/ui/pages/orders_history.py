"""The Orders page's "Import history since…": the day asked, the import run as long work.

Orders TikTok shipped before the console was connected stay out of Shopify
unless the merchant asks; this asks for the first day, then creates those
orders in Shopify as fulfilled without touching stock (``sync.orders.history``),
off the GUI thread with progress, and says what it did.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QDateEdit, QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from tiktok_console.stores.tokens import TokenStore
from tiktok_console.sync.orders.history import HistoryReport, import_history_now
from tiktok_console.ui.page_context import PageContext

EXPLAIN = (
    "TikTok orders shipped before the console was connected are not in Shopify. "
    "Import those placed since this day: they are created in Shopify as fulfilled, "
    "with TikTok's tracking, and Shopify's stock is not changed. Orders already in "
    "Shopify are not created again."
)


class HistoryDialog(QDialog):
    """Asks for the first day to import."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Import history")
        layout = QVBoxLayout(self)
        text = QLabel(EXPLAIN)
        text.setWordWrap(True)
        layout.addWidget(text)
        self.day = QDateEdit()
        self.day.setCalendarPopup(True)
        start = datetime.now(UTC).date() - timedelta(days=30)
        self.day.setDate(QDate(start.year, start.month, start.day))
        self.day.setMaximumDate(QDate.currentDate())
        layout.addWidget(self.day)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Import")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def chosen(self) -> date:
        """The day chosen."""
        picked = self.day.date()
        return date(picked.year(), picked.month(), picked.day())


def start_import(
    context: PageContext,
    token_store: TokenStore,
    day: date,
    owner: QWidget,
    done: Callable[[HistoryReport], None],
    failed: Callable[[BaseException], None],
) -> None:
    """Run the import of orders placed since ``day`` (UTC) as long work; ``failed`` hears
    why it could not (a store unreachable, a sign-in refused)."""
    since = datetime(day.year, day.month, day.day, tzinfo=UTC)
    settings = context.settings
    context.work.run(
        f"importing TikTok orders since {day.isoformat()}",
        lambda progress, cancelled: import_history_now(
            token_store, settings, since, progress, cancelled
        ),
        topics={"orders", "activity"}, owner=owner, done=done, on_error=failed,
    )  # fmt: skip
