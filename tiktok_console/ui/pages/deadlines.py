"""Deadlines: everything with a clock in either store, soonest first, counting down live.

Ship-by and TikTok's auto-cancel, cancellation and return requests awaiting
the merchant, returned parcels to confirm, disputes, and each store's sign-in:
one queue (``sync.deadlines``), read as long work. Each line says what to do,
for which order and request, and what the store does at zero; one timer moves
the countdowns of the visible lines once a second. Snoozes silence an item's
notifications for a while (never past its deadline). Approve and Reject
answer a return or cancellation request on TikTok (``sync.aftersales.actions``),
after a dialog says what the decision does; a pending cancellation warns that
shipping the order rejects it.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

from PySide6.QtCore import QModelIndex, Qt, QTimer
from PySide6.QtGui import QHideEvent, QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from tiktok_console.domain.deadlines import DeadlineKind, snooze_until
from tiktok_console.storage.aftersales.deadline_queue import snooze, unsnooze
from tiktok_console.stores.tokens import TokenStore
from tiktok_console.sync.aftersales.actions import DecisionPreview, preview, send
from tiktok_console.sync.aftersales.decisions import SHIPPING_REJECTS_CANCEL, Decision, Kind
from tiktok_console.sync.deadlines import DeadlineSnapshot, read_deadlines
from tiktok_console.ui.cell_text import local_time, plural
from tiktok_console.ui.large_table import KeptSelection
from tiktok_console.ui.operations import IsCancelled, Progress
from tiktok_console.ui.page_context import PageContext
from tiktok_console.ui.pages.base import Notice, Page, empty_or, split_vertically
from tiktok_console.ui.pages.deadline_table import (
    KIND_TITLES,
    URGENCY_TITLES,
    DeadlineColumn,
    DeadlineLine,
    DeadlineTableModel,
    at_zero_text,
    countdown,
    export_lines,
)
from tiktok_console.ui.pages.decision_dialog import DecisionDialog
from tiktok_console.ui.table_model import ROW_ROLE
from tiktok_console.ui.table_view import EmptyState, search_field, table_view
from tiktok_console.ui.theme import SUCCESS
from tiktok_console.ui.widgets import button, frame, label

TICK_MS = 1000
SEARCH_DELAY_MS = 150
SNOOZED = "snoozed"  # the urgency filter's extra choice
TOMORROW_AT = time(9, 0)  # "snooze until tomorrow" means tomorrow morning, local time
NOTHING_DUE = "Nothing is due: requests awaiting you, orders to ship and sign-ins appear here."
NO_MATCH = "No deadline matches these filters."
SNOOZES = {"1h": "Snooze 1 h", "4h": "Snooze 4 h", "tomorrow": "Snooze until tomorrow"}
KIND_OF = {DeadlineKind.RETURN_RESPONSE: Kind.RETURN, DeadlineKind.RECEIVE_PACKAGE: Kind.RETURN,
           DeadlineKind.CANCELLATION_RESPONSE: Kind.CANCELLATION}  # fmt: skip
_DECIDABLE = set(KIND_OF)

Clock = Callable[[], datetime]


def _utc_now() -> datetime:
    return datetime.now(UTC)


def tomorrow_morning(now: datetime) -> datetime:
    """9:00 tomorrow in the computer's zone, as aware UTC."""
    local = now.astimezone()
    moment = datetime.combine(local.date() + timedelta(days=1), TOMORROW_AT, local.tzinfo)
    return moment.astimezone(UTC)


def snoozed_lines(snapshot: DeadlineSnapshot) -> list[DeadlineLine]:
    """The snapshot's items as lines, each with its snooze.

    A snooze is found by the item's key, which costs a formatted string per
    item: only items of an order that has a snooze compute theirs (a key's
    second part is the order id), so 10,000 lines with a few snoozes stay cheap.
    """
    snoozes = snapshot.snoozes
    orders = {key.split(":")[1] for key in snoozes if key.count(":") >= 4}
    return [
        DeadlineLine(item, snoozes.get(item.key)) if item.order_id in orders else DeadlineLine(item)
        for item in snapshot.items
    ]


class DeadlinesPage(Page):
    """One queue of deadlines: filters, search, live countdowns, snooze, CSV."""

    page_id = "deadlines"
    title = "Deadlines"
    icon = "deadlines.svg"
    topics = frozenset({"accounts", "aftersales", "deadlines", "orders"})

    def __init__(
        self, context: PageContext, clock: Clock = _utc_now, parent: QWidget | None = None
    ) -> None:
        super().__init__("Everything with a deadline in either store, soonest first.", parent)
        self._context = context
        self._clock = clock
        self.decision_dialog: DecisionDialog | None = None  # the last one opened
        self.model = DeadlineTableModel(clock())
        self._ticker = QTimer(self, interval=TICK_MS)
        self._ticker.timeout.connect(self.tick)
        self._search_timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self._apply_filters)
        self._build()

    @property
    def token_store(self) -> TokenStore | None:
        """Where the sign-ins' ends are read (none in page tests without accounts)."""
        accounts = self._context.accounts
        return accounts.service.token_store if accounts is not None else None

    # -- building ----------------------------------------------------------------

    def _build(self) -> None:
        self.search = search_field("Search orders, requests, what to do…")
        self.search.textChanged.connect(lambda _text: self._search_timer.start())
        self.kind_filter = QComboBox()
        self.kind_filter.addItem("Every kind", None)
        for kind, text in KIND_TITLES.items():
            self.kind_filter.addItem(text, kind)
        self.urgency_filter = QComboBox()
        self.urgency_filter.addItem("Any time left", None)
        for band, text in URGENCY_TITLES.items():
            self.urgency_filter.addItem(text, band)
        self.urgency_filter.addItem("Snoozed", SNOOZED)
        for combo in (self.kind_filter, self.urgency_filter):
            combo.currentIndexChanged.connect(lambda _n: self._apply_filters())
        self.export_button = button("Export CSV", "Secondary")
        self.export_button.clicked.connect(self._on_export_clicked)
        tools = QHBoxLayout()
        tools.addWidget(self.search, 1)
        tools.addWidget(self.kind_filter)
        tools.addWidget(self.urgency_filter)
        tools.addWidget(self.export_button)
        self.body.addLayout(tools)
        self.notice = Notice()
        self.body.addWidget(self.notice)
        self.table = table_view(self.model, stretch=DeadlineColumn.SNOOZED)
        self.table.sortByColumn(DeadlineColumn.LEFT, Qt.SortOrder.AscendingOrder)
        self.table.selectionModel().currentRowChanged.connect(self._on_current_changed)
        splitter = split_vertically(self.table, self._detail_pane(), (3, 1))
        self.empty = EmptyState("deadlines.svg", "Nothing due", NOTHING_DUE)
        self.stack = empty_or(self.empty, splitter)
        self.body.addWidget(self.stack, 1)

    def _detail_pane(self) -> QWidget:
        pane = frame("Card")
        box = QVBoxLayout(pane)
        box.setContentsMargins(16, 12, 16, 12)
        self.detail_title = label("", wrap=True)
        self.detail_title.setStyleSheet("font-size: 14px; font-weight: 600;")
        self.detail_meta = label("", "CardNote", wrap=True)
        self.detail_zero = label("", wrap=True)
        self.detail_left = label("", "CardNote")
        box.addWidget(self.detail_title)
        box.addWidget(self.detail_meta)
        box.addWidget(self.detail_zero)
        box.addWidget(self.detail_left)
        actions = QHBoxLayout()
        self.snooze_buttons: dict[str, QPushButton] = {}
        for choice, text in SNOOZES.items():
            snooze_button = button(text, "Secondary")
            snooze_button.clicked.connect(lambda _on, c=choice: self._on_snooze(c))
            self.snooze_buttons[choice] = snooze_button
            actions.addWidget(snooze_button)
        self.unsnooze_button = button("Unsnooze", "Secondary")
        self.unsnooze_button.clicked.connect(self._on_unsnooze)
        actions.addWidget(self.unsnooze_button)
        actions.addStretch(1)
        self.approve_button = button("Approve", "Primary")
        self.reject_button = button("Reject", "Secondary")
        self.approve_button.clicked.connect(lambda: self._on_decide(approve=True))
        self.reject_button.clicked.connect(lambda: self._on_decide(approve=False))
        for decide in (self.approve_button, self.reject_button):
            actions.addWidget(decide)
        box.addLayout(actions)
        box.addStretch(1)
        return pane

    # -- reading -----------------------------------------------------------------

    def refresh(self) -> None:
        store, now = self.token_store, self._clock()
        self._context.work.query(
            self.page_id, lambda: read_deadlines(store, now), self.show_snapshot, owner=self,
            description="reading the deadlines",
        )  # fmt: skip

    def show_snapshot(self, snapshot: DeadlineSnapshot) -> None:
        """Show what ``read_deadlines`` read."""
        lines = snoozed_lines(snapshot)
        self.model.now = self._clock()
        with KeptSelection(self.table, self.model):
            self.model.set_rows(lines)
        self._show_state()
        self._show_counts([item.deadline for item in snapshot.items])
        self._show_detail(self.current_line())

    def _show_counts(self, due: list[datetime]) -> None:
        """The subtitle's counts; ``due`` is soonest first, so two bisections count them."""
        if not due:
            self.set_subtitle("Everything with a deadline in either store, soonest first.")
            return
        now = self.model.now
        overdue = bisect_right(due, now)
        day = bisect_right(due, now + timedelta(hours=24)) - overdue
        parts = [plural(len(due), "deadline", "deadlines"), f"{day} due within 24 h"]
        parts += [f"{overdue} overdue"] if overdue else []
        self.set_subtitle(", ".join(parts) + ". Soonest first; times are local.")

    # -- filters -----------------------------------------------------------------

    def _apply_filters(self) -> None:
        self._search_timer.stop()
        kind = self.kind_filter.currentData()
        band = self.urgency_filter.currentData()
        model = self.model

        def keep(line: DeadlineLine) -> bool:
            if kind is not None and line.deadline.kind != kind:
                return False
            if band == SNOOZED:
                return line.snoozed_until is not None
            return band is None or model.urgency(line) == band

        with KeptSelection(self.table, model):
            model.set_search(self.search.text())
            model.set_predicate(None if kind is None and band is None else keep)
        self._show_state()

    def _show_state(self) -> None:
        """The table, or the empty state saying whether nothing is due or nothing matches."""
        if self.model.rows:
            self.empty.show_text("Nothing found", NO_MATCH)
        else:
            self.empty.show_text("Nothing due", NOTHING_DUE)
        self.stack.setCurrentIndex(1 if self.model.rowCount() else 0)

    # -- the live countdown -----------------------------------------------------

    def tick(self) -> None:
        """Move the countdowns of the visible lines to now (the timer calls it every second)."""
        viewport = self.table.viewport()
        first = self.table.rowAt(0)
        last = self.table.rowAt(viewport.height() - 1)
        if first >= 0:
            self.model.tick(self._clock(), first, last if last >= 0 else self.model.rowCount() - 1)
        else:
            self.model.now = self._clock()
        self._show_left(self.current_line())

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._ticker.start()

    def hideEvent(self, event: QHideEvent) -> None:
        super().hideEvent(event)
        self._ticker.stop()

    # -- the detail and actions --------------------------------------------------

    def current_line(self) -> DeadlineLine | None:
        """The line the detail pane shows."""
        index = self.table.currentIndex()
        line = self.model.data(index, ROW_ROLE) if index.isValid() else None
        return line if isinstance(line, DeadlineLine) else None

    def _on_current_changed(self, _current: QModelIndex, _previous: QModelIndex) -> None:
        self._show_detail(self.current_line())

    def _show_detail(self, line: DeadlineLine | None) -> None:
        for widget in (*self.snooze_buttons.values(), self.unsnooze_button):
            widget.setEnabled(line is not None)
        self.unsnooze_button.setVisible(line is not None and line.snoozed_until is not None)
        decidable = line is not None and line.deadline.kind in _DECIDABLE
        self.approve_button.setVisible(decidable)
        self.reject_button.setVisible(decidable)
        if line is None:
            self.detail_title.setText("Select a deadline to see what happens at zero.")
            for text in (self.detail_meta, self.detail_zero, self.detail_left):
                text.setText("")
            return
        item = line.deadline
        self.detail_title.setText(item.action)
        meta = [KIND_TITLES[item.kind]]
        meta += [f"order {item.order_id}"] if item.order_id else []
        meta += [f"request {item.request_id}"] if item.request_id else []
        self.detail_meta.setText(" · ".join(meta))
        zero = at_zero_text(item).replace("The console", "the console")
        if item.kind is DeadlineKind.CANCELLATION_RESPONSE:
            zero += f". {SHIPPING_REJECTS_CANCEL}"
        self.detail_zero.setText(f"At zero, {zero}.")
        self._show_left(line)

    def _show_left(self, line: DeadlineLine | None) -> None:
        if line is None:
            return
        due = local_time(line.deadline.deadline, seconds=True)
        text = f"{countdown(line.deadline.deadline - self._clock())} · due {due} (local time)"
        if line.snoozed_until is not None:
            text += f" · notifications snoozed until {local_time(line.snoozed_until)}"
        self.detail_left.setText(text)

    def _on_snooze(self, choice: str) -> None:
        line = self.current_line()
        if line is None:
            return
        now = self._clock()
        if choice == "tomorrow":
            until = min(tomorrow_morning(now), line.deadline.deadline)
        else:
            until = snooze_until(line.deadline, now, timedelta(hours=int(choice[:-1])))
        if until <= now:
            self.notice.show_text("This deadline has passed: there is nothing left to snooze.")
            return
        key = line.key

        def write(_progress: Progress, _cancelled: IsCancelled) -> None:
            snooze(key, until)

        self._context.work.run(
            "snoozing a deadline", write, topics={"deadlines"}, owner=self,
            done=lambda _r: self.notice.show_text(
                f"Snoozed until {local_time(until)}: no notification for it before then.", SUCCESS
            ),
        )  # fmt: skip

    def _on_unsnooze(self) -> None:
        line = self.current_line()
        if line is None:
            return
        key = line.key

        def write(_progress: Progress, _cancelled: IsCancelled) -> None:
            unsnooze(key)

        self._context.work.run(
            "unsnoozing a deadline", write, topics={"deadlines"}, owner=self,
            done=lambda _r: self.notice.show_text("Unsnoozed: notifications are back.", SUCCESS),
        )  # fmt: skip

    def _on_decide(self, approve: bool) -> None:
        line, store = self.current_line(), self.token_store
        if line is None or store is None or not line.deadline.request_id:
            return
        kind = KIND_OF[line.deadline.kind]
        request_id = line.deadline.request_id
        self._context.work.run(
            "reading what the decision does",
            lambda _p, _c: preview(store, kind, request_id, approve),
            done=self._confirm, owner=self,
        )  # fmt: skip

    def _confirm(self, shown: DecisionPreview) -> None:
        """Ask before deciding (``DecisionDialog``): what it does, and for a rejection
        TikTok's reason and a note; the decision is sent once the merchant confirms."""
        if not shown.approve and not shown.reasons:
            self.notice.show_text("TikTok offers no reason to reject this request.")
            return
        dialog = DecisionDialog(shown, self)
        dialog.accepted.connect(lambda: self._send(dialog.decision()))
        dialog.finished.connect(dialog.deleteLater)
        self.decision_dialog = dialog
        dialog.open()

    def _send(self, decision: Decision) -> None:
        store = self.token_store
        assert store is not None
        verb = "approving" if decision.approve else "rejecting"
        self._context.work.run(
            f"{verb} {decision.kind.value} {decision.request_id}",
            lambda _p, _c: send(store, decision),
            topics={"aftersales", "deadlines"}, owner=self,
            done=lambda said: self.notice.show_text(said, SUCCESS),
        )  # fmt: skip

    def _on_export_clicked(self) -> None:
        path, _filter = QFileDialog.getSaveFileName(
            self, "Export deadlines", "deadlines.csv", "CSV files (*.csv)"
        )
        if path:
            self.export_to(Path(path))

    def export_to(self, path: Path) -> int:
        """Write the lines shown, as shown, to ``path``; says so on the page."""
        count = export_lines(self.model.visible_rows(), path)
        self.notice.show_text(
            f"Exported {plural(count, 'deadline', 'deadlines')} to {path}.", SUCCESS
        )
        return count
