"""The one place where engine and action events become Qt signals.

The engine runs on its own thread; ``post`` is its listener. It emits a
private signal there, which Qt delivers queued to the bridge on the GUI thread,
where ``_dispatch`` calls the handler named for the event's type
(``on_event_<name>``, as Electrum's event listeners do). Handlers run on the GUI
thread only, so coalescing and widgets need no locks.

Sync jobs and user actions report *what changed* as topics ("accounts",
"orders", ...). Views declare the topics they show and refresh only for those;
bursts are coalesced so a thousand order updates cause one refresh.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from tiktok_console.sync.events import (
    Changed,
    EngineStarted,
    EngineStopped,
    Event,
    JobStateChanged,
    ReconnectNeeded,
    handler_name,
)
from tiktok_console.ui.thread_relay import ThreadRelay

log = logging.getLogger(__name__)

COALESCE_MS = 150


class Bridge(QObject):
    """Turns engine events (from any thread) into Qt signals (on the GUI thread).

    Signals:
        changed(object): a frozenset of topics that changed (coalesced).
        job_state(object): a ``JobStateChanged``: a job's state, with its error as data.
        reconnect_needed(object): a ``ReconnectNeeded``: a store refused the sign-in.
        engine_state(object): an ``EngineStarted`` or ``EngineStopped``.
    """

    changed = Signal(object)
    job_state = Signal(object)
    reconnect_needed = Signal(object)
    engine_state = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pending: set[str] = set()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(COALESCE_MS)
        self._timer.timeout.connect(self._flush)
        # Queued even when posted from the GUI thread: a handler never runs inside
        # the engine's (or an action's) call stack; never delivered once the bridge is gone.
        self._relay = ThreadRelay(self._dispatch, self)

    def post(self, event: Event) -> None:
        """Hand ``event`` to the GUI thread; callable from any thread (the engine's listener)."""
        self._relay.post(event)

    @Slot(object)
    def _dispatch(self, event: Event) -> None:
        handler = getattr(self, handler_name(event), None)
        if handler is None:
            log.debug("No handler for %s", type(event).__name__)
            return
        handler(event)

    def on_event_changed(self, event: Changed | Iterable[str]) -> None:
        """Something changed; views showing its topics refresh shortly, once.

        Takes the event, or the topics themselves from a user action on the GUI thread.
        """
        self._pending.update(event.topics if isinstance(event, Changed) else event)
        if not self._timer.isActive():
            self._timer.start()

    def on_event_job_state_changed(self, event: JobStateChanged) -> None:
        """A job's state changed (running, idle, paused, backing off, stopped)."""
        self.job_state.emit(event)

    def on_event_reconnect_needed(self, event: ReconnectNeeded) -> None:
        """A store refused the sign-in; its jobs are stopped until it is reconnected."""
        self.reconnect_needed.emit(event)

    def on_event_engine_started(self, event: EngineStarted) -> None:
        """The supervisor (re)built the engine."""
        self.engine_state.emit(event)
        self.on_event_changed({"sync"})

    def on_event_engine_stopped(self, event: EngineStopped) -> None:
        """The supervisor stopped the engine (a store missing, or the app closing)."""
        self.engine_state.emit(event)
        self.on_event_changed({"sync"})

    def _flush(self) -> None:
        if self._pending:
            topics = frozenset(self._pending)
            self._pending.clear()
            self.changed.emit(topics)
