"""A non-modal bar for background errors: never a storm of dialogs.

It shows the newest message with a count of the others, and a "Details" toggle
for the technical detail. The same message is shown only once per session.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget


@dataclass(frozen=True)
class Message:
    """One thing to tell the merchant."""

    text: str
    detail: str = ""
    action: str = ""  # a button's label ("Open Accounts"), or none
    # What the button does; not part of what makes two messages the same.
    on_action: Callable[[], None] | None = field(default=None, compare=False, hash=False)


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
        self.action_button = QPushButton(flat=True)
        self.action_button.clicked.connect(self._act)
        self.action_button.hide()
        close = QPushButton("Dismiss", flat=True)
        close.clicked.connect(self.clear)
        row = QHBoxLayout()
        row.addWidget(self._text, 1)
        row.addWidget(self._more)
        row.addWidget(self.action_button)
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

    def show_message(
        self,
        text: str,
        detail: str = "",
        action: str = "",
        on_action: Callable[[], None] | None = None,
    ) -> bool:
        """Show a message unless it was already shown; returns True if it is new.

        ``action`` labels a button beside it that calls ``on_action``.
        """
        message = Message(text, detail, action, on_action)
        if message in self._seen:
            return False
        self._seen.add(message)
        self._messages.append(message)
        self._render()
        return True

    def withdraw(self, text: str, detail: str = "") -> None:
        """Take back a message no longer true (its deadline left the queue, say).

        Unlike ``clear`` the merchant did nothing: the bar stays for the others, and
        the same message may be shown again should it become true again.
        """
        kept = [m for m in self._messages if (m.text, m.detail) != (text, detail)]
        self._seen = {m for m in self._seen if (m.text, m.detail) != (text, detail)}
        if len(kept) == len(self._messages):
            return
        self._messages = kept
        if kept:
            self._render()
        else:
            self.hide()

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
        self.action_button.setText(latest.action)
        self.action_button.setVisible(bool(latest.action and latest.on_action))
        others = len(self._messages) - 1
        self._more.setText(f"+{others} more" if others else "")
        self.show()

    def _act(self) -> None:
        latest = self._messages[-1] if self._messages else None
        if latest is not None and latest.on_action is not None:
            latest.on_action()

    def _toggle_detail(self) -> None:
        self._detail.setVisible(not self._detail.isVisible())
