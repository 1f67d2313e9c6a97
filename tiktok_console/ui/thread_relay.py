"""Handing values from worker threads to the GUI thread, safely after the receiver is gone.

A signal emitted from a worker thread on a QObject that the GUI thread is
deleting at that moment crashes the process, and so does a queued call to a
Python callable freed before Qt delivers it. So the object that carries the
values across belongs to the application (alive until it quits) and receives
them in its own slot; the receiver is dropped when its owner is destroyed, and
a late value is then ignored.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal, Slot


class _Carrier(QObject):
    """Lives as long as the application: its signal and slot are never freed under Qt."""

    carried = Signal(object)

    def __init__(self, receive: Callable[[Any], None]) -> None:
        super().__init__(QCoreApplication.instance())
        self.receive: Callable[[Any], None] | None = receive
        # Queued even from the GUI thread: a receiver never runs inside its poster's stack.
        self.carried.connect(self.deliver, Qt.ConnectionType.QueuedConnection)

    @Slot(object)
    def deliver(self, value: Any) -> None:
        """Hand ``value`` to the receiver, if it is still there (GUI thread)."""
        if self.receive is not None:
            self.receive(value)

    @Slot()
    def drop(self) -> None:
        """Forget the receiver: its owner is gone."""
        self.receive = None


class ThreadRelay:
    """Calls ``receive(value)`` on the GUI thread for each ``post(value)`` from any thread.

    Args:
        receive: runs on the GUI thread, never after ``owner`` was destroyed.
        owner: the QObject whose lifetime bounds the deliveries.
    """

    def __init__(self, receive: Callable[[Any], None], owner: QObject) -> None:
        self._carrier = _Carrier(receive)
        owner.destroyed.connect(self._carrier.drop)

    def post(self, value: Any) -> None:
        """Send ``value`` to the GUI thread (from any thread)."""
        self._carrier.carried.emit(value)
