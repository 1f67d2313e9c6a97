"""The progress of work the merchant started, in the status bar: what, how far, Cancel.

It shows the oldest running user-started operation of ``LongWork`` (with a
count of the others), and when the last one ends, the sentence that says it
finished ("Reconciled every SKU with Shopify.") for a few seconds.
"""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QWidget

from tiktok_console.ui.operations import LongWork, Operation

FINISHED_SHOWN_MS = 8_000


class WorkProgress(QWidget):
    """A label, a progress bar and a Cancel button for the running operation."""

    def __init__(self, work: LongWork, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._running: list[Operation] = []
        self.text = QLabel()
        self.bar = QProgressBar()
        self.bar.setFixedWidth(140)
        self.bar.setTextVisible(False)
        self.cancel_button = QPushButton("Cancel", flat=True)
        self.cancel_button.clicked.connect(self._on_cancel_clicked)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 8, 0)
        row.addWidget(self.text)
        row.addWidget(self.bar)
        row.addWidget(self.cancel_button)
        self._clear = QTimer(self, singleShot=True, interval=FINISHED_SHOWN_MS)
        self._clear.timeout.connect(self._show)
        work.started.connect(self._on_started)
        work.ended.connect(self._on_ended)
        self._show()

    def _on_started(self, operation: Operation) -> None:
        self._running.append(operation)
        operation.progressed.connect(lambda *_args: self._show())
        self._clear.stop()
        self._show()

    def _on_ended(self, operation: Operation) -> None:
        if operation in self._running:
            self._running.remove(operation)
        if self._running:
            self._show()
            return
        said = {"cancelled": f"Cancelled {operation.description}."}.get(operation.outcome, "")
        if operation.outcome == "finished":  # every action the merchant started says it ended
            said = operation.finished_text or f"Finished {operation.description}."
        self._show(said)
        if said:
            self._clear.start()

    def _show(self, finished: str = "") -> None:
        if not self._running:
            self.text.setText(finished)
            self.bar.hide()
            self.cancel_button.hide()
            self.setVisible(bool(finished))
            return
        operation = self._running[0]
        done, total, what = operation.progress
        others = f" (+{len(self._running) - 1} more)" if len(self._running) > 1 else ""
        text = what or operation.description
        self.text.setText(f"{text[:1].upper()}{text[1:]}…{others}")  # "SKU" stays in capitals
        self.bar.setRange(0, max(total, 0))  # 0..0: busy, no known end
        self.bar.setValue(min(done, total) if total else 0)
        self.bar.show()
        self.cancel_button.show()
        self.cancel_button.setEnabled(not operation.cancelled)
        self.show()

    def _on_cancel_clicked(self) -> None:
        if self._running:
            self._running[0].cancel()
            self.cancel_button.setEnabled(False)
