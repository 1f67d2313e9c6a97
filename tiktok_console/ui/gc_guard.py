"""Python's cyclic garbage collector, run on the GUI thread only.

The collector runs in whichever thread happens to allocate past its threshold:
the engine's thread or a long-work worker building a large page. A cycle it
frees there may hold a QObject, whose C++ side is then destroyed off its own
thread while the GUI thread still has events posted to it, and the app
crashes. So automatic collection is turned off and this timer collects on the
GUI thread instead, generation by generation, with the collector's own
thresholds. Reference counting still frees everything outside cycles at once.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

CHECK_EVERY_MS = 500


class GuiThreadCollector(QObject):
    """Disables automatic collection and collects on the GUI thread when it is due."""

    def __init__(self, parent: QObject | None = None, interval_ms: int = CHECK_EVERY_MS) -> None:
        super().__init__(parent)
        self._thresholds = gc.get_threshold()
        gc.disable()
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.collect_due)
        self._timer.start()

    def collect_due(self) -> None:
        """Collect the generations whose counts passed their thresholds, youngest first."""
        counts = gc.get_count()
        for generation in range(3):
            if counts[generation] <= self._thresholds[generation]:
                return
            gc.collect(generation)

    def stop(self) -> None:
        """Hand collection back to Python (at shutdown)."""
        self._timer.stop()
        gc.enable()
