"""Activity: every sync action and error, newest first, with the detail and a retry.

This is where the merchant checks what the console did ("Created #1042 for
TikTok order 5770…") and why something failed. Filters run in SQL (the log
grows without end; only the newest entries are loaded); the detail pane
shows the technical detail for support, and "Retry" is offered only where a
retry can help. Reads and the retry run as long work, off the GUI thread.
"""

from __future__ import annotations

from dataclasses import replace
from enum import IntEnum

from PySide6.QtCore import QModelIndex, Qt, QTimer
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from tiktok_console.storage.activity_names import gid_names
from tiktok_console.storage.orders.views import ActivityEntry, recent_activity
from tiktok_console.sync.orders.actions import retry_order
from tiktok_console.ui.activity_text import gids_in, merchant_wording
from tiktok_console.ui.cell_text import local_time, plural
from tiktok_console.ui.job_controls import job_title
from tiktok_console.ui.operations import IsCancelled, Progress
from tiktok_console.ui.page_context import PageContext
from tiktok_console.ui.pages.base import Notice, Page, empty_or, export_rows, split_vertically
from tiktok_console.ui.table_model import (
    ROW_ROLE,
    Column,
    RowSortFilterProxy,
    RowTableModel,
)
from tiktok_console.ui.table_view import EmptyState, search_field, table_view
from tiktok_console.ui.theme import DANGER, MUTED, SUCCESS, WARNING
from tiktok_console.ui.widgets import button, frame, label

SEARCH_DELAY_MS = 250  # typing pauses this long before the log is searched again
LEVEL_COLORS = {"error": DANGER, "warning": WARNING, "info": MUTED}
NOTHING_YET = "Nothing logged yet: sync actions and errors will appear here."
NO_MATCH = "No entries match these filters."


class ActivityColumn(IntEnum):
    TIME = 0
    LEVEL = 1
    JOB = 2
    ACTION = 3
    SUBJECT = 4
    MESSAGE = 5


_LEVEL_ORDER = {"error": 0, "warning": 1, "info": 2}

COLUMNS: list[Column[ActivityEntry]] = [
    Column("Time", lambda e: when(e), sort_key=lambda e: e.at,
           export=lambda e: e.at.astimezone().isoformat(timespec="seconds")),
    Column("Level", lambda e: e.level.capitalize(), sort_key=lambda e: _LEVEL_ORDER.get(e.level, 3),
           color=lambda e: LEVEL_COLORS.get(e.level), bold=lambda e: e.level == "error",
           export=lambda e: e.level),
    Column("Job", lambda e: job_title(e.job), width=200),
    Column("What", lambda e: e.action.replace("_", " "), export=lambda e: e.action),
    Column("Subject", lambda e: e.subject, tooltip=lambda e: e.subject, width=190),
    Column("Message", lambda e: said(e), tooltip=lambda e: said(e)),
]  # fmt: skip


def when(entry: ActivityEntry) -> str:
    """When it happened; for a repeated entry, from the first time to the last."""
    if entry.repeats > 1 and entry.first_at is not None:
        last = entry.at.astimezone().strftime("%H:%M:%S")
        return f"{local_time(entry.first_at, seconds=True)}–{last}"
    return local_time(entry.at, seconds=True)


def said(entry: ActivityEntry) -> str:
    """The message, with how many times in a row it was logged."""
    return f"{entry.message} ({entry.repeats} times)" if entry.repeats > 1 else entry.message


def in_merchant_words(rows: list[ActivityEntry]) -> list[ActivityEntry]:
    """The entries with Shopify ids named and real plurals in their message (the subject,
    which Retry uses, and the technical detail keep the raw ids)."""
    names = gid_names(gids_in(row.message for row in rows))
    return [replace(row, message=merchant_wording(row.message, names)) for row in rows]


class ActivityPage(Page):
    """The activity log: filters, a sortable table, the detail, and retry."""

    page_id = "activity"
    title = "Activity"
    icon = "activity.svg"
    topics = frozenset({"activity", "orders"})

    def __init__(self, context: PageContext, parent: QWidget | None = None) -> None:
        super().__init__("Everything the console did and every error, newest first.", parent)
        self._context = context
        self._retried: set[int] = set()  # entries retried in this session
        self.entries = RowSortFilterProxy(RowTableModel(COLUMNS, key=lambda e: e.entry_id))
        self._search_timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.refresh)
        self._build()

    def _build(self) -> None:
        self.search = search_field("Search messages, orders, jobs…")
        self.search.textChanged.connect(lambda _text: self._search_timer.start())
        self.errors_only = QCheckBox("Errors only")
        self.errors_only.toggled.connect(lambda _on: self.refresh())
        self.export_button = button("Export CSV", "Secondary")
        self.export_button.clicked.connect(self._on_export_clicked)
        tools = QHBoxLayout()
        tools.addWidget(self.search, 1)
        tools.addWidget(self.errors_only)
        tools.addWidget(self.export_button)
        self.body.addLayout(tools)
        self.notice = Notice()
        self.body.addWidget(self.notice)
        self.table = table_view(self.entries, stretch=ActivityColumn.MESSAGE)
        self.table.sortByColumn(ActivityColumn.TIME, Qt.SortOrder.DescendingOrder)
        self.table.selectionModel().currentRowChanged.connect(self._on_current_changed)
        splitter = split_vertically(self.table, self._detail_pane(), (3, 1))
        self.empty = EmptyState("activity.svg", "Nothing logged yet", NOTHING_YET)
        self.stack = empty_or(self.empty, splitter)
        self.body.addWidget(self.stack, 1)

    def _detail_pane(self) -> QWidget:
        pane = frame("Card")
        box = QVBoxLayout(pane)
        box.setContentsMargins(16, 12, 16, 12)
        self.detail_title = label("", wrap=True)
        self.detail_title.setStyleSheet("font-size: 14px; font-weight: 600;")
        self.detail_meta = label("", "CardNote", wrap=True)
        self.detail_text = QPlainTextEdit(readOnly=True)
        self.detail_text.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.detail_text.setPlaceholderText("No technical detail for this entry.")
        self.retry_button = button("Retry", "Primary")
        self.retry_button.clicked.connect(self._on_retry_clicked)
        self.retry_hint = label("", "CardNote", wrap=True)
        heading = QHBoxLayout()
        titles = QVBoxLayout()
        titles.addWidget(self.detail_title)
        titles.addWidget(self.detail_meta)
        heading.addLayout(titles, 1)
        heading.addWidget(self.retry_hint)
        heading.addWidget(self.retry_button, 0, Qt.AlignmentFlag.AlignTop)
        box.addLayout(heading)
        box.addWidget(self.detail_text, 1)
        return pane

    # -- reading ----------------------------------------------------------------

    def refresh(self) -> None:
        self._search_timer.stop()
        level = "error" if self.errors_only.isChecked() else None
        text = self.search.text().strip()

        def load() -> tuple[list[ActivityEntry], bool]:
            rows = list(recent_activity(level=level, search=text or None))
            return in_merchant_words(rows), bool(level or text)

        self._context.work.query(self.page_id, load, self._show_rows, owner=self)

    def _show_rows(self, loaded: tuple[list[ActivityEntry], bool]) -> None:
        rows, filtered = loaded
        self.entries.model_.set_rows(rows)
        if filtered:
            self.empty.show_text("Nothing found", NO_MATCH)
        else:
            self.empty.show_text("Nothing logged yet", NOTHING_YET)
        self.stack.setCurrentIndex(1 if rows else 0)
        errors = sum(1 for row in rows if row.level == "error")
        shown = plural(len(rows), "entry", "entries")
        self.set_subtitle(
            f"{shown}, {plural(errors, 'error', 'errors')}, newest first."
            if rows
            else "Everything the console did and every error, newest first."
        )
        self._show_detail(self.current_entry())

    def current_entry(self) -> ActivityEntry | None:
        """The entry the detail pane shows."""
        index = self.table.currentIndex()
        entry = self.entries.data(index, ROW_ROLE) if index.isValid() else None
        return entry if isinstance(entry, ActivityEntry) else None

    def _on_current_changed(self, _current: QModelIndex, _previous: QModelIndex) -> None:
        self._show_detail(self.current_entry())

    def _show_detail(self, entry: ActivityEntry | None) -> None:
        if entry is None:
            self.detail_title.setText("Select an entry to see its detail.")
            self.detail_meta.setText("")
            self.detail_text.setPlainText("")
        else:
            self.detail_title.setText(said(entry))
            parts = [
                when(entry),
                entry.level,
                job_title(entry.job),
                entry.action,
            ]
            parts += [entry.subject] if entry.subject else []
            self.detail_meta.setText(" · ".join(parts))
            self.detail_text.setPlainText(entry.detail)
        retried = entry is not None and entry.entry_id in self._retried
        self.retry_button.setEnabled(entry is not None and entry.retryable and not retried)
        self.retry_button.setVisible(entry is not None and entry.retryable)
        self.retry_hint.setText("Retry requested." if retried else "")

    # -- actions ----------------------------------------------------------------

    def _on_retry_clicked(self) -> None:
        entry = self.current_entry()
        if entry is None or not entry.retryable:
            return
        self._retried.add(entry.entry_id)
        self._show_detail(entry)

        def retry(_progress: Progress, _cancelled: IsCancelled) -> bool:
            return bool(entry.subject) and retry_order(entry.subject)

        def done(order_retried: bool) -> None:
            engine = self._context.engine
            if order_retried:
                engine.nudge("orders")
            else:  # nothing to resend: the job runs again, which is what can help
                engine.nudge(entry.job if entry.job in engine.job_names() else None)
            what = f" for {entry.subject}" if entry.subject else ""
            job = job_title(entry.job)
            self._set_notice(f"Retry requested{what}: the job “{job}” tries again within seconds.")
            self.refresh()

        self._context.work.run(
            f"retrying {entry.subject or job_title(entry.job)}", retry, done=done,
            topics={"activity", "orders"}, owner=self,
        )  # fmt: skip

    def _on_export_clicked(self) -> None:
        if done := export_rows(
            self,
            self.entries,
            "activity.csv",
            ("entry", "entries"),
            filtered=self.errors_only.isChecked() or bool(self.search.text().strip()),
        ):
            self._set_notice(done)

    def _set_notice(self, text: str) -> None:
        self.notice.show_text(text, SUCCESS)
