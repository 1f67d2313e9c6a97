"""One row per sync job: its state, "Sync now", and Pause/Resume."""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from PySide6.QtWidgets import QGridLayout, QPushButton, QWidget

from tiktok_console.ui.theme import ACCENT, DANGER, MUTED, SUCCESS, WARNING
from tiktok_console.ui.widgets import button, label

JOB_TITLES = {
    "orders": "Orders · TikTok → Shopify",
    "shopify_variants": "Catalog · Shopify variants",
    "inventory": "Stock · Shopify → TikTok",
    "inventory_reconcile": "Stock · full reconciliation",
    "fulfillment": "Tracking · Shopify → TikTok",
    "catalog": "Catalog · Shopify → TikTok",
    "aftersales": "Returns and refunds · TikTok → Shopify",
    "payouts": "Payouts · TikTok statements",
}


def job_title(name: str) -> str:
    """The merchant-facing title of a job; its name when it has none."""
    return JOB_TITLES.get(name, name.replace("_", " ").capitalize())


@dataclass(frozen=True)
class JobView:
    """A job as the Overview shows it."""

    name: str
    paused: bool
    last_success_at: datetime | None
    last_error: str
    running: bool = False  # a run is under way (it has written since its last success)
    progress: str = ""  # how far it is, when known ("page 3")
    waiting: str = ""  # a store it needs is down: "Shopify cannot be reached"


class JobControls(QWidget):
    """The sync jobs and their switches; calls back with the job's name."""

    def __init__(
        self,
        sync_now: Callable[[str], None],
        toggle_pause: Callable[[str, bool], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._sync_now = sync_now
        self._toggle = toggle_pause
        self._grid = QGridLayout(self)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._grid.setHorizontalSpacing(12)
        self.buttons: dict[str, tuple[QPushButton, QPushButton]] = {}
        self.views: list[JobView] = []
        self._states: dict[str, str] = {}

    def set_jobs(self, jobs: list[JobView]) -> None:
        """Show ``jobs`` (rebuilt each time: there are only a few)."""
        while self._grid.count():
            item = self._grid.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.hide()  # now: deleteLater may run after the next paint
                widget.deleteLater()
        self.buttons.clear()
        self._states = {}
        self.views = list(jobs)
        for row, job in enumerate(jobs):
            self._grid.addWidget(label(job_title(job.name)), row, 0)
            self._states[job.name] = _state(job)
            self._grid.addWidget(label(self._states[job.name], "Muted", wrap=True), row, 1)
            now = button("Sync now", "Secondary")
            now.clicked.connect(lambda _=False, n=job.name: self._sync_now(n))
            pause = button("Resume" if job.paused else "Pause", "Secondary")
            pause.clicked.connect(lambda _=False, j=job: self._toggle(j.name, not j.paused))
            now.setEnabled(not job.paused)
            self._grid.addWidget(now, row, 2)
            self._grid.addWidget(pause, row, 3)
            self.buttons[job.name] = (now, pause)
        self._grid.setColumnStretch(1, 1)

    def state_text(self, name: str) -> str:
        """What the job's row says of its state (rich text)."""
        return self._states.get(name, "")


def _state(job: JobView) -> str:
    if job.paused:
        return f'<span style="color:{MUTED}">● paused</span>'
    if job.waiting:  # before "up to date": it cannot be, with a store it needs down
        return f'<span style="color:{WARNING}">● waiting: {html.escape(job.waiting)}</span>'
    if job.running:
        far = f" · {job.progress}" if job.progress else ""
        return f'<span style="color:{ACCENT}">● running</span>{far}'
    if job.last_error:
        return f'<span style="color:{DANGER}">● retrying: {job.last_error}</span>'
    if job.last_success_at is None:
        return f'<span style="color:{MUTED}">● starting</span>'
    when = job.last_success_at.astimezone()
    return f'<span style="color:{SUCCESS}">● up to date</span> · last run {when:%H:%M:%S}'
