"""The main window: a shell hosting pages, a sidebar, the message bar and status area.

It knows nothing of what the pages show: pages build themselves from the
page context (``ui/pages/registry.py`` lists them) and ``app.py`` adds them
here, so each view stays in its own module. ``work`` is the long-work runner
the pages read through, so the self-test can wait until they have read.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Signal
from PySide6.QtGui import QCloseEvent, QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from tiktok_console.ui.icons import tinted_icon
from tiktok_console.ui.message_bar import MessageBar
from tiktok_console.ui.operations import LongWork
from tiktok_console.ui.pages.base import Page
from tiktok_console.ui.status_area import StatusArea
from tiktok_console.ui.widgets import frame, label


class MainWindow(QMainWindow):
    """Sidebar on the left, the current page on the right.

    Shortcuts: Ctrl+F focuses the page's search box, F5 asks for "sync now",
    Ctrl+1 … Ctrl+9 show the sidebar's pages in order.

    Signals:
        page_changed(str): the id of the page now shown.
        closing: the window is about to close (save state, stop work).
        sync_requested: the merchant pressed F5 ("sync now").
    """

    page_changed = Signal(str)
    closing = Signal()
    sync_requested = Signal()

    def __init__(self, demo: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.demo = demo
        self.setWindowTitle("TikTok Console — Demo" if demo else "TikTok Console")
        self.setMinimumSize(QSize(960, 600))  # usable down to a 1024×640 screen
        self.pages: dict[str, Page] = {}
        self.work: LongWork | None = None  # set by whoever builds the pages
        self._items: dict[str, QListWidgetItem] = {}
        self.message_bar = MessageBar()
        self.status_area = StatusArea()
        self.setStatusBar(self.status_area)
        self._stack = QStackedWidget()
        self._nav = QListWidget()
        self._nav.setIconSize(QSize(18, 18))
        self._nav.currentItemChanged.connect(self._on_nav_changed)
        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self._sidebar())
        content = QVBoxLayout()
        content.setContentsMargins(16, 12, 16, 0)
        content.addWidget(self.message_bar)
        content.addWidget(self._stack, 1)
        layout.addLayout(content, 1)
        self.setCentralWidget(central)
        self._shortcuts()

    def _shortcuts(self) -> None:
        # Kept referenced: PySide drops a shortcut's Python slot with its wrapper.
        self._keys = [QShortcut(QKeySequence.StandardKey.Find, self), QShortcut("F5", self)]
        self._keys[0].activated.connect(self.focus_search)
        self._keys[1].activated.connect(self.sync_requested)
        for number in range(1, 10):
            key = QShortcut(QKeySequence(f"Ctrl+{number}"), self)
            key.activated.connect(lambda n=number: self.show_nth(n))
            self._keys.append(key)

    def show_nth(self, number: int) -> None:
        """Show the sidebar's ``number``-th page (1-based); nothing past the last."""
        ids = list(self._items)
        if 1 <= number <= len(ids):
            self.show_page(ids[number - 1])

    def focus_search(self) -> None:
        """Put the cursor in the current page's search box, if it has a visible one."""
        search = getattr(self.current_page(), "search", None)
        if search is not None and search.isVisible():
            search.setFocus()
            search.selectAll()

    def fit_to_screen(self, width: int, height: int) -> None:
        """Resize to ``width`` × ``height``, shrunk to the screen's free area if larger."""
        screen = self.screen() or QGuiApplication.primaryScreen()
        if screen is not None:
            free = screen.availableGeometry()
            frame_h = 40  # the title bar the window manager adds
            width, height = min(width, free.width()), min(height, free.height() - frame_h)
        self.resize(max(width, self.minimumWidth()), max(height, self.minimumHeight()))

    def add_page(self, page: Page) -> None:
        """Host ``page``; it gets a sidebar entry unless it opts out."""
        self.pages[page.page_id] = page
        self._stack.addWidget(page)
        page.navigate_requested.connect(self.open_page)
        if page.in_sidebar:
            item = QListWidgetItem(tinted_icon(page.icon, "#c9d1e3"), page.title)
            item.setData(0x0100, page.page_id)  # Qt.UserRole
            self._items[page.page_id] = item
            self._nav.addItem(item)

    def show_page(self, page_id: str) -> Page:
        """Make ``page_id`` current, refresh it, and select it in the sidebar.

        The page on screen may keep the window on itself (unsaved edits the
        merchant chose to keep editing): then it stays, and is returned.
        """
        page = self.pages[page_id]
        shown = self._stack.currentWidget()
        if isinstance(shown, Page) and shown is not page and not shown.may_leave():
            page = shown
        self._stack.setCurrentWidget(page)
        item = self._items.get(page.page_id)
        self._nav.blockSignals(True)
        if item is not None:
            self._nav.setCurrentItem(item)
            item.setSelected(True)
        else:
            self._nav.clearSelection()
        self._nav.blockSignals(False)
        page.refresh()
        self.page_changed.emit(page.page_id)
        return page

    def open_page(self, page_id: str, filter_name: str = "") -> None:
        """Show ``page_id`` with its filter ``filter_name`` (a "Needs attention" item)."""
        if page_id in self.pages:
            page = self.show_page(page_id)
            if filter_name:
                page.apply_filter(filter_name)

    def refresh_for(self, topics: frozenset[str]) -> None:
        """Refresh the page on screen if it shows any of ``topics``."""
        page = self._stack.currentWidget()
        if isinstance(page, Page) and page.topics & topics:
            page.refresh()

    @property
    def settled(self) -> bool:
        """Whether the pages' reads and actions have all been applied."""
        return self.work is None or self.work.idle

    def current_page(self) -> Page:
        """The page on screen."""
        widget = self._stack.currentWidget()
        assert isinstance(widget, Page)
        return widget

    def closeEvent(self, event: QCloseEvent) -> None:
        shown = self._stack.currentWidget()
        if isinstance(shown, Page) and not shown.may_leave():
            event.ignore()
            return
        self.closing.emit()
        super().closeEvent(event)

    def _sidebar(self) -> QFrame:
        sidebar = frame("Sidebar")
        sidebar.setFixedWidth(220)
        layout = QVBoxLayout(sidebar)
        layout.setContentsMargins(0, 0, 0, 12)
        layout.setSpacing(0)
        layout.addWidget(label("TikTok Console", "SidebarTitle"))
        subtitle = "Demo · sandbox stores" if self.demo else "TikTok Shop ⇄ Shopify"
        layout.addWidget(label(subtitle, "SidebarSubtitle"))
        layout.addWidget(self._nav, 1)
        return sidebar

    def _on_nav_changed(self, current: QListWidgetItem | None, _previous: object) -> None:
        if current is not None:
            self.show_page(str(current.data(0x0100)))
