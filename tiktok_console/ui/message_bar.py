"""A non-modal bar for background errors: never a storm of dialogs.

It shows the newest message with a count of the others, and a "Details" toggle
for the technical detail. The same message is shown only once per session.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget


@dataclass(frozen=True)
class Message:
    """One thing to tell the merchant."""

    text: str
    detail: str = ""


class MessageBar(QFrame):
    """Shows background problems above the current page.

    Signals:
        dismissed: the merchant closed the bar.
    """

    dismissed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("MessageBar")
        self._messages: list[Message] = []
        self._seen: set[Message] = set()
        self._text = QLabel(wordWrap=True)
        self._text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._detail = QLabel(wordWrap=True)
        self._detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._detail.hide()
        self._more = QLabel()
        self._details_button = QPushButton("Details", flat=True)
        self._details_button.clicked.connect(self._toggle_detail)
        close = QPushButton("Dismiss", flat=True)
        close.clicked.connect(self.clear)
        row = QHBoxLayout()
        row.addWidget(self._text, 1)
        row.addWidget(self._more)
        row.addWidget(self._details_button)
        row.addWidget(close)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 8, 8)
        layout.addLayout(row)
        layout.addWidget(self._detail)
        self.hide()

    @property
    def messages(self) -> list[Message]:
        """Messages currently waiting to be dismissed, oldest first."""
        return list(self._messages)

    def show_message(self, text: str, detail: str = "") -> bool:
        """Show a message unless it was already shown; returns True if it is new."""
        message = Message(text, detail)
        if message in self._seen:
            return False
        self._seen.add(message)
        self._messages.append(message)
        self._render()
        return True

    def clear(self) -> None:
        """Hide the bar and forget the pending messages (they stay in the log)."""
        self._messages.clear()
        self.hide()
        self.dismissed.emit()

    def _render(self) -> None:
        latest = self._messages[-1]
        self._text.setText(latest.text)
        self._detail.setText(latest.detail)
        self._details_button.setVisible(bool(latest.detail))
        others = len(self._messages) - 1
        self._more.setText(f"+{others} more" if others else "")
        self.show()

    def _toggle_detail(self) -> None:
        self._detail.setVisible(not self._detail.isVisible())
