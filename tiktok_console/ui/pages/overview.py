"""Overview: both stores' connection, the sync state, and what needs attention today.

Built from the page context: it reads through ``overview_data.load_overview``
off the GUI thread, and its job switches ask the engine through ``EngineControl``.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from datetime import datetime

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QListWidget,
    QListWidgetItem,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from tiktok_console.domain.store_health import StoreHealth
from tiktok_console.storage.catalog.page_rows import CatalogHealth, catalog_health, catalog_rows
from tiktok_console.storage.orders.deadlines import ShipDeadline
from tiktok_console.ui.cell_text import plural
from tiktok_console.ui.health_text import dot, health_color
from tiktok_console.ui.job_controls import JobControls, JobView
from tiktok_console.ui.page_context import PageContext
from tiktok_console.ui.pages.base import Card, LinkCard, Page
from tiktok_console.ui.pages.overview_data import load_overview
from tiktok_console.ui.pages.payouts_card import PayoutsCard
from tiktok_console.ui.pages.ship_list import ShipList
from tiktok_console.ui.theme import DANGER, MUTED, SUCCESS, WARNING
from tiktok_console.ui.widgets import label


@dataclass(frozen=True)
class StoreStatus:
    """One store as the Overview shows it."""

    connected: bool
    name: str = ""
    note: str = ""
    health: StoreHealth = field(default_factory=StoreHealth)
    health_text: str = ""  # the health as a sentence ("" when all is well)


@dataclass(frozen=True)
class AttentionItem:
    """One thing that needs the merchant, and the page (and filter) that shows it."""

    text: str
    page_id: str
    filter_name: str = ""


@dataclass(frozen=True)
class OverviewData:
    """Everything the Overview page shows, read in one go."""

    shopify: StoreStatus
    tiktok: StoreStatus
    sync_state: str
    actions_today: int
    errors_today: int
    last_activity: datetime | None
    orders_synced: int = 0
    orphans: int = 0
    failed: int = 0
    to_ship_today: int = 0
    attention: list[AttentionItem] = field(default_factory=list)
    jobs: list[JobView] = field(default_factory=list)
    deadlines: list[ShipDeadline] = field(default_factory=list)  # ship today or overdue
    due_in_a_day: int = 0  # open deadlines of either store due within 24 h
    overdue: int = 0  # ... and passed ones still open
    store_problems: list[str] = field(default_factory=list)  # the stores' health, in words


class OverviewPage(Page):
    """The first page: is everything connected and flowing, and what needs me today."""

    page_id = "overview"
    title = "Overview"
    icon = "overview.svg"
    topics = frozenset(
        {
            "accounts",
            "activity",
            "aftersales",
            "catalog",
            "deadlines",
            "fulfillment",
            "inventory",
            "orders",
            "orphans",
            "payouts",
            "sync",
        }
    )

    def __init__(self, context: PageContext, parent: QWidget | None = None) -> None:
        super().__init__(parent=parent)
        self._context = context
        self.jobs = JobControls(context.engine.nudge, self._toggle_pause)
        self.shopify_card = Card("Shopify")
        self.tiktok_card = Card("TikTok Shop")
        self.sync_card = Card("Sync")
        self.synced_card = Card("Orders synced today")
        self.orphans_card = Card("Orphan orders")
        self.ship_card = Card("To ship today")
        self.due_card = LinkCard("Due in 24 h", "Open the Deadlines page")
        self.due_card.clicked.connect(lambda: self.navigate_requested.emit("deadlines", ""))
        self.actions_card = Card("Sync actions today")
        self.errors_card = Card("Errors today")
        self.last_card = Card("Last activity")
        self.catalog_card = Card("Catalog")
        grid = QGridLayout()
        grid.setSpacing(14)
        cards = [self.shopify_card, self.tiktok_card, self.sync_card]
        cards += [self.synced_card, self.orphans_card, self.ship_card, self.due_card]
        cards += [self.actions_card, self.errors_card, self.last_card]
        self.payouts_card = PayoutsCard(context)
        cards.append(self.payouts_card)
        cards += [self.catalog_card]
        for index, card in enumerate(cards):
            grid.addWidget(card, index // 3, index % 3)
        # The page scrolls: jobs, attention items and orders due today can
        # outgrow the window, and squeezing the cards would make them unreadable.
        inner = QWidget()
        content = QVBoxLayout(inner)
        content.setContentsMargins(0, 0, 4, 0)
        content.setSpacing(14)
        content.addLayout(grid)
        self.jobs_title = label("Sync jobs", "CardTitle")
        content.addWidget(self.jobs_title)
        content.addWidget(self.jobs)
        content.addWidget(label("Needs attention", "CardTitle"))
        self.attention = QListWidget()
        self.attention.setObjectName("AttentionList")
        self.attention.setCursor(Qt.CursorShape.PointingHandCursor)
        self.attention.setToolTip("Click to open the page that shows them")
        self.attention.itemActivated.connect(self._on_attention_clicked)
        self.attention.itemClicked.connect(self._on_attention_clicked)
        self.empty_attention = label("Nothing needs your attention right now.", "Muted")
        content.addWidget(self.empty_attention)
        content.addWidget(self.attention)
        self.ship_list = ShipList()
        content.addWidget(self.ship_list)
        content.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(inner)
        self.body.addWidget(scroll, 1)

    def refresh(self) -> None:
        names = self._context.engine.job_names()
        accounts = self._context.accounts
        store = accounts.service.token_store if accounts is not None else None
        self.payouts_card.refresh()
        self._context.work.query(
            self.page_id, lambda: load_overview(names or None, store), self.show_data, owner=self
        )
        self._context.work.query(
            f"{self.page_id}.catalog", load_catalog_card, self._show_catalog, owner=self
        )

    def _show_catalog(self, health: CatalogHealth) -> None:
        _catalog_card(self.catalog_card, health)

    def jobs_views(self) -> list[JobView]:
        """The jobs as their rows show them."""
        return list(self.jobs.views)

    def _on_attention_clicked(self, item: QListWidgetItem) -> None:
        entry = item.data(Qt.ItemDataRole.UserRole)
        if isinstance(entry, AttentionItem):
            self.navigate_requested.emit(entry.page_id, entry.filter_name)

    def _toggle_pause(self, name: str, paused: bool) -> None:
        if paused:
            self._context.engine.pause(name)
        else:
            self._context.engine.resume(name)
        self._context.bridge.on_event_changed({"sync"})

    def show_data(self, data: OverviewData) -> None:
        """Show what ``load_overview`` read."""
        self.set_subtitle(f"{datetime.now().astimezone():%A %d %B}: what needs you today")
        _store_card(self.shopify_card, data.shopify, "Connect your Shopify store to sync orders.")
        _store_card(self.tiktok_card, data.tiktok, "Connect your TikTok Shop to pull its orders.")
        both = data.shopify.connected and data.tiktok.connected
        if both and data.store_problems:
            self.sync_card.set_content(
                f'<span style="color:{DANGER}">{data.sync_state}</span>',
                " ".join(data.store_problems),
            )
        else:
            self.sync_card.set_content(
                data.sync_state,
                "Both stores are connected." if both else "Runs when both stores are connected.",
            )
        self.synced_card.set_content(str(data.orders_synced), "TikTok orders now in Shopify.")
        # Before both stores are connected nothing was checked: say so, never "all clear".
        idle = "Nothing checked yet: connect both stores."
        self.orphans_card.set_content(
            _count(data.orphans, WARNING),
            "Waiting for a SKU mapping." if data.orphans
            else "Every SKU is mapped." if both else idle,
        )  # fmt: skip
        self.ship_card.set_content(
            _count(data.to_ship_today, DANGER),
            "Ship-by deadline today or passed." if data.to_ship_today
            else "Nothing due today." if both else idle,
        )  # fmt: skip
        self.due_card.set_content(_count(data.due_in_a_day, WARNING), _due_note(data))
        self.actions_card.set_content(str(data.actions_today), "Orders, stock and tracking pushed.")
        color = DANGER if data.errors_today else MUTED
        self.errors_card.set_content(
            f'<span style="color:{color}">{data.errors_today}</span>',
            "See the log for reasons and retries."
            if data.errors_today
            else "All clear."
            if both
            else "Nothing has run yet.",
        )
        last = data.last_activity
        self.last_card.set_content(
            f"{last.astimezone():%H:%M}" if last else "—",
            f"{last.astimezone():%d %b %Y}" if last else "Nothing has run yet.",
        )
        self.jobs.set_jobs(data.jobs)
        self.jobs.setVisible(bool(data.jobs))
        self.jobs_title.setVisible(bool(data.jobs))
        self.attention.clear()
        for entry in data.attention:
            item = QListWidgetItem(f"{entry.text}  ›")
            item.setData(Qt.ItemDataRole.UserRole, entry)
            self.attention.addItem(item)
        self.attention.setVisible(bool(data.attention))
        self.attention.setFixedHeight(min(len(data.attention), 6) * 34 + 14)
        self.empty_attention.setVisible(not data.attention)
        self.empty_attention.setText(
            "Nothing needs your attention right now."
            if both
            else "Connect both stores on the Accounts page: until then nothing is checked."
        )
        self.ship_list.set_rows(data.deadlines)


def load_catalog_card() -> CatalogHealth:
    """The Catalog card's figures (its own read, so the overview's stays as it is)."""
    return catalog_health(catalog_rows())


def _catalog_card(card: Card, health: CatalogHealth) -> None:
    if health.score is None:
        waiting = sum(health.by_state.values())
        card.set_content("—", f"Checking {plural(waiting, 'product', 'products')}…" if waiting
                         else "Products appear once the catalog job has read Shopify.")  # fmt: skip
        return
    states = health.by_state
    color = SUCCESS if health.score >= 90 else (WARNING if health.score >= 60 else DANGER)
    notes = [f"{states.get('live', 0)} live", f"{states.get('pending_audit', 0)} in review"]
    notes += [f"{n} {what}" for what, n in (("blocked", states.get("blocked", 0)),
              ("failed review", states.get("failed_audit", 0)),
              ("queued", states.get("queued", 0))) if n]  # fmt: skip
    card.set_content(f'<span style="color:{color}">Health {health.score}</span>', ", ".join(notes))


def _count(value: int, color: str) -> str:
    return f'<span style="color:{color if value else MUTED}">{value}</span>'


def _due_note(data: OverviewData) -> str:
    passed = f" {data.overdue} overdue." if data.overdue else ""
    if data.due_in_a_day:
        return "Requests, orders and sign-ins: see Deadlines." + passed
    return "Nothing due within a day." + passed


def _store_card(card: Card, status: StoreStatus, hint: str) -> None:
    if status.connected and status.health.is_problem:
        color = health_color(status.health)
        card.set_content(
            f"{dot(status.health)} {status.name}",
            f'<span style="color:{color}">{html.escape(status.health_text)}</span>',
        )
    elif status.connected:
        card.set_content(f"{dot(status.health)} {status.name}", status.note)
    else:
        card.set_content(f'<span style="color:{MUTED}">●</span> Not connected', hint)
