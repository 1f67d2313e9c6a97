"""The one place where engine and action events become Qt signals.

Sync jobs and user actions report *what changed* as topics ("accounts",
"orders", ...). Views declare the topics they show and refresh only for those;
bursts are coalesced so a thousand order updates cause one refresh.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QObject, QTimer, Signal

COALESCE_MS = 150


class Bridge(QObject):
    """Turns engine events into Qt signals.

    Signals:
        changed(object): a frozenset of topics that changed (coalesced).
        sync_state(str): a short description of what the engine is doing.
    """

    changed = Signal(object)
    sync_state = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pending: set[str] = set()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(COALESCE_MS)
        self._timer.timeout.connect(self._flush)

    def on_event_changed(self, topics: Iterable[str]) -> None:
        """Something changed; views showing ``topics`` refresh shortly, once."""
        self._pending.update(topics)
        if not self._timer.isActive():
            self._timer.start()

    def on_event_sync_state(self, text: str) -> None:
        """The engine's state changed (idle, syncing, paused, failing)."""
        self.sync_state.emit(text)

    def _flush(self) -> None:
        if self._pending:
            topics = frozenset(self._pending)
            self._pending.clear()
            self.changed.emit(topics)
