"""The status bar: each store's connection and the sync state, always in view."""

from __future__ import annotations

from collections.abc import Mapping
from enum import Enum

from PySide6.QtWidgets import QLabel, QStatusBar, QWidget

from tiktok_console.domain.accounts import Account, StoreKind
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
        self.shopify.set_state("not connected", Health.OFF)
        self.tiktok.set_state("not connected", Health.OFF)
        self.sync.set_state("idle", Health.OFF)


def show_accounts(
    area: StatusArea, accounts: Mapping[StoreKind, Account], demo: bool = False
) -> None:
    """Show which stores are connected, and flag a store whose last call failed."""
    badges: tuple[tuple[StoreKind, StatusBadge], ...] = (
        ("shopify", area.shopify),
        ("tiktok", area.tiktok),
    )
    for store, badge in badges:
        account = accounts.get(store)
        if account is None:
            badge.set_state("not connected", Health.OFF)
        elif account.last_error:
            badge.set_state(f"{account.shop_name}: {account.last_error}", Health.PROBLEM)
        else:
            badge.set_state(account.shop_name + (" (demo)" if demo else ""), Health.OK)
