"""Accounts: connect, reconnect and disconnect each store, and see how each sign-in is.

Built from the page context: sign-ins run through its ``AccountsController``
(as asyncio tasks, in the connect dialog); reading the accounts and
disconnecting run as long work, off the GUI thread.
"""

from __future__ import annotations

import html
from datetime import UTC, datetime

from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QMessageBox, QWidget

from tiktok_console.domain.accounts import STORE_KINDS, STORE_TITLES, Account, StoreKind
from tiktok_console.domain.store_health import HealthState
from tiktok_console.ui.cell_text import local_time
from tiktok_console.ui.connect_dialog import ConnectDialog
from tiktok_console.ui.health_text import dot, health_html
from tiktok_console.ui.operations import IsCancelled, Progress
from tiktok_console.ui.page_context import PageContext
from tiktok_console.ui.pages.base import Card, Page
from tiktok_console.ui.theme import DANGER, MUTED
from tiktok_console.ui.widgets import button, label


def ago(moment: datetime | None, now: datetime) -> str:
    """ "3 min ago", "2 h ago", or the date for older moments."""
    if moment is None:
        return "never"
    seconds = (now - moment).total_seconds()
    if seconds < 60:
        return "just now"
    if seconds < 3600:
        return f"{int(seconds // 60)} min ago"
    if seconds < 86400:
        return f"{int(seconds // 3600)} h ago"
    return f"{moment.astimezone():%d %b %Y %H:%M}"


def expiry_text(account: Account, now: datetime) -> str:
    """How the sign-in lasts, in the merchant's words."""
    if account.token_expires_at is None:
        return "Sign-in does not expire"
    when = account.token_expires_at.astimezone()
    renew = "renews automatically" if account.store == "tiktok" or account.expiring else "expires"
    day = "today" if when.date() == now.astimezone().date() else f"{when:%d %b}"
    return f"Token {renew} · current one valid until {day} {when:%H:%M}"


def last_success(account: Account, now: datetime) -> str:
    """When a call last succeeded: "3 min ago", or the time itself while the store has
    a problem ("just now" next to "cannot be reached" reads as a contradiction)."""
    if account.health.is_problem and account.last_success_at is not None:
        return local_time(account.last_success_at, seconds=True)
    return ago(account.last_success_at, now)


class StoreCard(Card):
    """One store's sign-in: who, where, which permissions, how fresh."""

    def __init__(self, store: StoreKind, parent: QWidget | None = None) -> None:
        super().__init__(STORE_TITLES[store], parent)
        self.store = store
        self.details = label("", "CardNote", wrap=True)
        self.box.insertWidget(3, self.details)
        row = QHBoxLayout()
        self.connect_button = button("Connect", "Primary")
        self.disconnect_button = button("Disconnect", "Secondary")
        row.addWidget(self.connect_button)
        row.addWidget(self.disconnect_button)
        row.addStretch(1)
        self.box.addLayout(row)

    def show_account(self, account: Account | None, now: datetime) -> None:
        if account is None:
            self.set_content(
                f'<span style="color:{MUTED}">●</span> Not connected',
                "Connect to let the console read and update this store.",
            )
            self.details.setText("")
            self.connect_button.setText("Connect")
            self.disconnect_button.hide()
            return
        demo = " (demo)" if account.demo else ""
        self.set_content(
            f"{dot(account.health)} {account.shop_name}{demo}",
            f"{account.shop} · region {account.region}",
        )
        # ", " lets the label wrap a long scope list between names.
        scopes = ", ".join(account.scopes) or "as granted"
        health = health_html(self.store, account.health, now)
        if account.health.state is HealthState.RECONNECT:
            health += " — use Reconnect below."
        lines = [
            health,
            expiry_text(account, now),
            f"Last successful call: {last_success(account, now)}",
            f"Permissions: {html.escape(scopes)}",
        ]
        if account.last_error and not account.health.is_problem:  # else the health says it
            error = html.escape(account.last_error)
            lines.append(f'<span style="color:{DANGER}">Last error: {error}</span>')
        self.details.setText("<br>".join(lines))
        self.connect_button.setText("Reconnect")
        self.connect_button.setVisible(not account.demo)
        self.disconnect_button.setVisible(not account.demo)


class AccountsPage(Page):
    """Both stores' sign-ins, side by side."""

    page_id = "accounts"
    title = "Accounts"
    icon = "accounts.svg"
    topics = frozenset({"accounts"})

    def __init__(self, context: PageContext, parent: QWidget | None = None) -> None:
        super().__init__(
            "One Shopify store and one TikTok Shop, in the same region. "
            "Sign-ins are kept in your system's keyring, never in files.",
            parent,
        )
        assert context.accounts is not None, "the Accounts page needs the accounts controller"
        self._context = context
        self._controller = context.accounts
        self.cards: dict[StoreKind, StoreCard] = {}
        grid = QGridLayout()
        grid.setSpacing(14)
        for column, store in enumerate(STORE_KINDS):
            card = StoreCard(store)
            card.connect_button.clicked.connect(lambda _=False, s=store: self._open_connect(s))
            card.disconnect_button.clicked.connect(lambda _=False, s=store: self._disconnect(s))
            self.cards[store] = card
            grid.addWidget(card, 0, column)
        self.body.addLayout(grid)
        self.body.addStretch(1)

    def refresh(self) -> None:
        self._context.work.query(self.page_id, self._controller.accounts, self._show, owner=self)

    def _show(self, accounts: dict[StoreKind, Account]) -> None:
        now = datetime.now(UTC)
        for store, card in self.cards.items():
            card.show_account(accounts.get(store), now)

    def _open_connect(self, store: StoreKind) -> None:
        ConnectDialog(store, self._controller, self.window()).exec()

    def _disconnect(self, store: StoreKind) -> None:
        answer = QMessageBox.question(
            self,
            f"Disconnect {STORE_TITLES[store]}?",
            f"The console stops syncing with {STORE_TITLES[store]} and deletes its sign-in "
            "from your keyring. Data already pulled stays for review.",
        )
        if answer != QMessageBox.StandardButton.Yes:
            return

        def disconnect(_progress: Progress, _cancelled: IsCancelled) -> None:
            self._controller.service.disconnect(store)

        self._context.work.run(
            f"disconnecting {STORE_TITLES[store]}", disconnect, done=lambda _r: self.refresh(),
            topics={"accounts"}, finished=f"{STORE_TITLES[store]} disconnected.", owner=self,
        )  # fmt: skip
