"""The status bar: each store's connection and the sync state, always in view.

Each store's badge shows its health (decided from the calls made, read with
the accounts); the sync badge follows the engine's typed events (a job's state,
with its error as data), except that a store unreachable, failing or needing a
reconnect says so first: "no network at all" when neither store answers.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from enum import Enum

from PySide6.QtWidgets import QLabel, QStatusBar, QWidget

from tiktok_console.domain.accounts import STORE_TITLES, Account, StoreKind
from tiktok_console.domain.store_health import NO_NETWORK, HealthState
from tiktok_console.sync.events import ErrorKind, JobState, JobStateChanged
from tiktok_console.ui.health_text import SHORT, problems, sentence
from tiktok_console.ui.theme import DANGER, MUTED, SUCCESS, WARNING


class Health(Enum):
    """How a badge is coloured."""

    OFF = MUTED
    OK = SUCCESS
    BUSY = WARNING
    PROBLEM = DANGER


class StatusBadge(QLabel):
    """A coloured dot and a short text, e.g. "● Shopify: connected"."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._name = name
        self.health = Health.OFF
        self.state = ""

    def set_state(self, state: str, health: Health) -> None:
        """Change the text after the name, and the dot's colour."""
        self.state = state
        self.health = health
        self.setText(f'<span style="color:{health.value}">●</span> {self._name}: {state}')
        self.setToolTip(f"{self._name}: {state}")


class StatusArea(QStatusBar):
    """Hosts one badge per store and one for the sync engine."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSizeGripEnabled(False)
        self.shopify = StatusBadge("Shopify")
        self.tiktok = StatusBadge("TikTok Shop")
        self.sync = StatusBadge("Sync")
        for badge in (self.shopify, self.tiktok, self.sync):
            self.addWidget(badge)
        self._accounts: Mapping[StoreKind, Account] = {}
        self._demo = False
        self._jobs: dict[str, JobStateChanged] = {}  # each job's last reported state
        self._stopped = False  # the supervisor stopped the engine
        self.shopify.set_state("not connected", Health.OFF)
        self.tiktok.set_state("not connected", Health.OFF)
        self.sync.set_state("idle", Health.OFF)

    def badge(self, store: StoreKind) -> StatusBadge:
        """The badge of ``store``."""
        return self.shopify if store == "shopify" else self.tiktok

    def show_accounts(self, accounts: Mapping[StoreKind, Account], demo: bool = False) -> None:
        """Show which stores are connected, and each one's health."""
        self._accounts, self._demo = dict(accounts), demo
        self._render_stores()
        if self._jobs or problems(self._accounts, datetime.now(UTC)):
            self._render_sync()

    def show_job_state(self, event: JobStateChanged) -> None:
        """Follow one job's state: the sync badge, and the badge of a store it fails on."""
        self._jobs[event.job] = event
        self._stopped = False
        self._render_sync()
        self._render_stores()

    def show_sync_stopped(self, reason: str) -> None:
        """The supervisor stopped the engine (a store missing): forget the jobs' states."""
        self._jobs.clear()
        self._stopped = True
        self.sync.set_state(reason or "idle", Health.OFF)
        self._render_stores()

    def _render_sync(self) -> None:
        store_problems = problems(self._accounts, datetime.now(UTC))
        if store_problems and len(self._accounts) > 1:
            # The stores' health first: jobs merely retrying would hide what is wrong.
            text = (
                "no network at all"
                if store_problems[0] == NO_NETWORK
                else ("stopped" if self._stopped else "waiting")
            )
            self.sync.set_state(text, Health.PROBLEM)
            self.sync.setToolTip(" ".join(store_problems))
            return
        events = list(self._jobs.values())
        stopped = [e for e in events if e.state is JobState.STOPPED and e.error]
        failing = [e for e in events if e.error is not None and e.state is not JobState.STOPPED]
        if stopped:
            stores = sorted(
                {STORE_TITLES[e.error.store] for e in stopped if e.error and e.error.store}
            )
            text = f"stopped: reconnect {' and '.join(stores)}" if stores else "stopped"
            self.sync.set_state(text, Health.PROBLEM)
        elif failing:
            last = failing[-1]
            assert last.error is not None
            self.sync.set_state(f"retrying ({last.job}: {last.error.message})", Health.PROBLEM)
        elif any(e.state is JobState.RUNNING for e in events):
            self.sync.set_state("syncing", Health.OK)
        elif events and all(e.state is JobState.PAUSED for e in events):
            self.sync.set_state("paused", Health.OK)
        else:
            self.sync.set_state("up to date", Health.OK)

    def _store_problem(self, store: StoreKind) -> str:
        """The newest error of a job failing on ``store`` ("" when none is)."""
        for event in reversed(list(self._jobs.values())):
            error = event.error
            if error and error.store == store and error.kind is not ErrorKind.RATE_LIMITED:
                return error.message
        return ""

    def _render_stores(self) -> None:
        now = datetime.now(UTC)
        for store in ("shopify", "tiktok"):
            badge = self.badge(store)
            account = self._accounts.get(store)
            if account is None:
                badge.set_state("not connected", Health.OFF)
                continue
            health = account.health
            problem = self._store_problem(store)
            if health.is_problem:
                badge.set_state(SHORT[health.state], Health.PROBLEM)
                badge.setToolTip(sentence(store, health, now))
            elif problem:
                badge.set_state(f"{account.shop_name}: {problem}", Health.PROBLEM)
            else:
                pacing = " (pacing)" if health.state is HealthState.RATE_LIMITED else ""
                demo = " (demo)" if self._demo else ""
                badge.set_state(account.shop_name + demo + pacing, Health.OK)


def show_accounts(
    area: StatusArea, accounts: Mapping[StoreKind, Account], demo: bool = False
) -> None:
    """Show which stores are connected, and flag a store whose last call failed."""
    area.show_accounts(accounts, demo)
