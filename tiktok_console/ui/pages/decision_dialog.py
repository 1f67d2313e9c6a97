"""The dialog that confirms a decision on a return or a cancellation request.

It says first what the decision does (the refund, who pays the return
shipping; for a cancellation, that shipping the order rejects it), and for a
rejection asks for one of TikTok's reasons for that very request and an
optional note to TikTok. It is opened without blocking (``open``) so the page
keeps counting down while the merchant reads; ``decision()`` is what to send.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from tiktok_console.sync.aftersales.actions import DecisionPreview
from tiktok_console.sync.aftersales.decisions import Decision
from tiktok_console.ui.widgets import label

NOTE_LIMIT = 500  # Reject Return 202606: `comment` is at most 500 characters


class DecisionDialog(QDialog):
    """Approve or reject one request, after reading what it does."""

    def __init__(self, shown: DecisionPreview, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.shown = shown
        verb = "Approve" if shown.approve else "Reject"
        self.setWindowTitle(f"{verb} {shown.kind.value} {shown.request_id}")
        self.setMinimumWidth(480)
        box = QVBoxLayout(self)
        self.says = label(shown.says, wrap=True)
        box.addWidget(self.says)
        self.reason = QComboBox()
        self.note = QLineEdit()
        self.note.setMaxLength(NOTE_LIMIT)
        self.note.setPlaceholderText("Optional: what TikTok and the buyer should read")
        if not shown.approve:
            for reason in shown.reasons:
                self.reason.addItem(reason.text, reason.code)
            form = QFormLayout()
            form.addRow("TikTok's reason", self.reason)
            form.addRow("Note to TikTok", self.note)
            box.addLayout(form)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.confirm = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.confirm.setText(verb)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        box.addWidget(self.buttons)

    def decision(self) -> Decision:
        """What to send: the reason chosen and the note typed (rejections only)."""
        shown = self.shown
        if shown.approve:
            return Decision(shown.kind, shown.request_id, approve=True)
        reason = str(self.reason.currentData() or "")
        return Decision(shown.kind, shown.request_id, False, reason, self.note.text().strip())
