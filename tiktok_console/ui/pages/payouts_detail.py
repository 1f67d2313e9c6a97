"""The Payouts page's detail pane: one order's waterfall, its causes, and the review.

Revenue → fees → shipping → adjustments → settlement, then the variance
against the expected revenue and each named cause (unexplained in red).
The reviewed flag and note are saved through a signal the page acts on.

Signals:
    review_saved(str, bool, str): subject, reviewed, note.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from tiktok_console.storage.payouts.results import ResultRow
from tiktok_console.storage.payouts.reviews import Review
from tiktok_console.ui.cell_text import money_text
from tiktok_console.ui.theme import DANGER, SUCCESS
from tiktok_console.ui.widgets import button, label

CAUSE_WORDS = {
    "unexplained": "Unexplained",
    "adjustment_without_order": "Adjustment without an order",
    "not_settled_yet": "Not settled yet",
    "refund_in_later_statement": "Refund in a later statement",
    "shopify_order_missing": "Shopify order missing",
    "shopify_refund_missing": "Shopify refund missing",
}


def cause_text(cause: str) -> str:
    """A cause in the merchant's words."""
    return CAUSE_WORDS.get(cause, cause.replace("_", " ").capitalize())


class PayoutDetail(QWidget):
    """The selected order (or loose line) explained."""

    review_saved = Signal(str, bool, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._subject = ""
        self.heading = label("Select an order to see its waterfall", "CardTitle")
        self.waterfall = QFormLayout()
        self.causes = label("", "Muted", wrap=True)
        self.reviewed = QCheckBox("Reviewed")
        self.note = QLineEdit()
        self.note.setPlaceholderText("Note for your accountant…")
        self.save = button("Save review", "Secondary")
        self.save.clicked.connect(self._on_save_clicked)
        review = QHBoxLayout()
        review.addWidget(self.reviewed)
        review.addWidget(self.note, 1)
        review.addWidget(self.save)
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 6, 0, 0)
        box.addWidget(self.heading)
        box.addLayout(self.waterfall)
        box.addWidget(self.causes)
        box.addLayout(review)
        box.addStretch(1)
        self._set_enabled(False)

    def show_row(self, row: ResultRow | None, review: Review | None) -> None:
        """Show ``row`` (None clears the pane)."""
        while self.waterfall.rowCount():
            self.waterfall.removeRow(0)
        if row is None:
            self._subject = ""
            self.heading.setText("Select an order to see its waterfall")
            self.causes.setText("")
            self._set_enabled(False)
            return
        self._subject = row.subject
        name = f" · Shopify {row.shopify_order}" if row.shopify_order else ""
        what = row.order_id or row.adjustment_id or "line without an order"
        self.heading.setText(f"{what}{name}")
        fall = row.waterfall
        steps = (
            [("Revenue", fall.revenue), ("Fees", fall.fees), ("Shipping", fall.shipping),
             ("Adjustments", fall.adjustments), ("Settlement", fall.settlement)]
            if fall else [("Settlement", row.settled)]
        )  # fmt: skip
        steps += [("Expected", row.expected), ("Variance", row.variance)]
        for title, amount in steps:
            value = QLabel(money_text(amount, row.currency))
            self.waterfall.addRow(title, value)
        lines = []
        for cause, amount, note in row.causes:
            color = DANGER if cause in ("unexplained", "adjustment_without_order") else ""
            text = f"{cause_text(cause)}: {money_text(amount, row.currency)}"
            text += f" ({note})" if note else ""
            lines.append(f"<span style='color:{color}'>{text}</span>" if color else text)
        self.causes.setText(
            "<br>".join(lines) or f"<span style='color:{SUCCESS}'>As expected</span>"
        )
        self.reviewed.setChecked(bool(review and review.reviewed))
        self.note.setText(review.note if review else "")
        self._set_enabled(True)

    def _set_enabled(self, on: bool) -> None:
        for widget in (self.reviewed, self.note, self.save):
            widget.setEnabled(on)

    def _on_save_clicked(self) -> None:
        if self._subject:
            self.review_saved.emit(self._subject, self.reviewed.isChecked(), self.note.text())
