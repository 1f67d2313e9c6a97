"""Quit cleanly on SIGTERM (what a logout or ``kill`` sends), as if the window was closed.

Python runs a signal handler only between bytecodes, and the Qt event loop
runs in C++: without help a SIGTERM would wait for the next Python callback,
or kill the process before ``run_gui`` removes the demo's temporary profile.
The signal's wake-up byte goes to a socket Qt watches, so the handler runs at
once and quits the app; the normal shutdown then runs (engine stopped,
database closed, temporary profile removed).
"""

from __future__ import annotations

import contextlib
import signal
import socket

from PySide6.QtCore import QObject, QSocketNotifier
from PySide6.QtWidgets import QApplication


class QuitOnTerminate(QObject):
    """While alive, SIGTERM (and SIGINT) quit ``app`` through its normal shutdown."""

    def __init__(self, app: QApplication) -> None:
        super().__init__(app)
        self._app = app
        self.requested = False  # a signal came (maybe before the event loop ran)
        self._reader, self._writer = socket.socketpair()
        for end in (self._reader, self._writer):
            end.setblocking(False)
        self._previous_fd = signal.set_wakeup_fd(self._writer.fileno())
        self._notifier = QSocketNotifier(self._reader.fileno(), QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(self._on_wakeup)
        self._previous = {
            signum: signal.signal(signum, self._on_signal)
            for signum in (signal.SIGTERM, signal.SIGINT)
        }

    def _on_signal(self, _signum: int, _frame: object) -> None:
        self.requested = True
        self._app.quit()

    def _on_wakeup(self) -> None:
        with contextlib.suppress(BlockingIOError):
            self._reader.recv(64)  # the handler itself runs as Python resumes

    def restore(self) -> None:
        """Give the signals back to their previous handlers."""
        self._notifier.setEnabled(False)
        for signum, handler in self._previous.items():
            signal.signal(signum, handler)
        signal.set_wakeup_fd(self._previous_fd)
        self._reader.close()
        self._writer.close()
