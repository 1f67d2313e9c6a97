"""What every page shares: an id, a sidebar title and icon, a header, ``refresh``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QStandardPaths, Qt, Signal
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import (
    QFileDialog,
    QFrame,
    QLabel,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from tiktok_console.ui.cell_text import plural
from tiktok_console.ui.table_model import Exportable, RowSortFilterProxy, export_csv
from tiktok_console.ui.widgets import label


class Page(QWidget):
    """A page hosted by the main window.

    Subclasses set ``page_id``, ``title`` and ``icon`` and fill ``self.body``.

    Signals:
        navigate_requested(str, str): show another page (its id), with one of its
            filters by name ("" for none); the main window does it.
    """

    navigate_requested = Signal(str, str)

    page_id = "page"
    title = "Page"
    icon = "overview.svg"
    in_sidebar = True
    topics: frozenset[str] = frozenset()  # what changes make this page refresh

    def __init__(self, subtitle: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._subtitle = label(subtitle, "PageSubtitle", wrap=True)  # narrow windows too
        heading = label(self.title, "PageTitle")
        outer = QVBoxLayout(self)
        outer.setContentsMargins(28, 22, 28, 18)
        outer.setSpacing(6)
        outer.addWidget(heading)
        outer.addWidget(self._subtitle)
        outer.addSpacing(12)
        self.body = QVBoxLayout()
        self.body.setSpacing(14)
        outer.addLayout(self.body, 1)

    def set_subtitle(self, text: str) -> None:
        """Change the line under the page title."""
        self._subtitle.setText(text)

    def refresh(self) -> None:
        """Re-read what the page shows. Called when the page is shown."""

    def may_leave(self) -> bool:
        """Whether the window may show another page now (a page with unsaved edits asks)."""
        return True

    def apply_filter(self, name: str) -> None:
        """Show only the rows of the filter called ``name`` (pages with filters override)."""


class Card(QFrame):
    """A rounded panel with a small title, a value and a note."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("Card")
        self.title_label = label(title, "CardTitle")
        self.value_label = label("", "CardValue")
        self.value_label.setTextFormat(Qt.TextFormat.RichText)
        self.value_label.setWordWrap(True)  # a long shop name wraps in a narrow window
        self.note_label = label("", "CardNote", wrap=True)
        self.box = QVBoxLayout(self)
        self.box.setContentsMargins(16, 14, 16, 14)
        self.box.setSpacing(6)
        self.box.addWidget(self.title_label)
        self.box.addWidget(self.value_label)
        self.box.addWidget(self.note_label)
        self.box.addStretch(1)

    def set_content(self, value: str, note: str = "") -> None:
        """Show ``value`` (rich text allowed) and an explanatory note."""
        self.value_label.setText(value)
        self.note_label.setText(note)


class LinkCard(Card):
    """A card the merchant clicks to go where its number is explained.

    Signals:
        clicked: the card was clicked.
    """

    clicked = Signal()

    def __init__(self, title: str, tip: str, parent: QWidget | None = None) -> None:
        super().__init__(title, parent)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setToolTip(tip)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self.rect().contains(
            event.position().toPoint()
        ):
            self.clicked.emit()
        super().mouseReleaseEvent(event)


def split_vertically(top: QWidget, bottom: QWidget, ratio: tuple[int, int] = (1, 1)) -> QSplitter:
    """``top`` above ``bottom``, sharing the height by ``ratio``; neither can be hidden."""
    splitter = QSplitter(Qt.Orientation.Vertical)
    splitter.addWidget(top)
    splitter.addWidget(bottom)
    splitter.setStretchFactor(0, ratio[0])
    splitter.setStretchFactor(1, ratio[1])
    splitter.setChildrenCollapsible(False)
    return splitter


def empty_or(empty: QWidget, content: QWidget) -> QStackedWidget:
    """A stack showing ``empty`` (index 0) until there is ``content`` (index 1) to show."""
    stack = QStackedWidget()
    stack.addWidget(empty)
    stack.addWidget(content)
    return stack


class Notice(QLabel):
    """The outcome of the page's last action, coloured by how it went; hidden when empty."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("", parent)
        self.setObjectName("Notice")
        self.setWordWrap(True)
        self.hide()

    def show_text(self, text: str, color: str = "") -> None:
        """Show ``text`` in ``color`` (the theme's when empty); an empty text hides it."""
        self.setText(text)
        self.setStyleSheet(f"color: {color};" if color else "")
        self.setVisible(bool(text))


def export_rows(
    page: QWidget,
    rows: RowSortFilterProxy[Any] | Exportable,
    filename: str,
    noun: tuple[str, str],
    filtered: bool = False,
) -> str:
    """Ask where to save the rows shown as CSV and write them there.

    The file is offered in the Documents folder; when a search or filter hides
    rows, its name says "filtered" (and so does the sentence), so a partial
    export is never mistaken for the whole table. Returns the sentence to tell
    the merchant, or "" when they cancelled.
    """
    shown = len(rows.visible_rows())
    total = len(rows.model_.rows) if isinstance(rows, RowSortFilterProxy) else _total(rows, shown)
    filtered = filtered or shown < total  # a filter applied in SQL hides rows too
    name = Path(filename)
    if filtered:
        name = name.with_name(f"{name.stem}-filtered{name.suffix}")
    title = f"Export {Path(filename).stem.replace('-', ' ')}"
    start = str(documents_folder() / name)
    path, _filter = QFileDialog.getSaveFileName(page, title, start, "CSV files (*.csv)")
    if not path:
        return ""
    count = export_csv(rows, Path(path))
    what = plural(count, *noun)
    if filtered and total > count:
        what = f"{count:,} of {total:,} {noun[1] if total != 1 else noun[0]} (filtered)"
    elif filtered:
        what += " (filtered)"
    return f"Exported {what} to {path}."


def _total(rows: Exportable, shown: int) -> int:
    every = getattr(rows, "rows", None)
    return len(every) if every is not None else shown


def documents_folder() -> Path:
    """Where exports are offered first: the merchant's Documents folder (home if none)."""
    found = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(found) if found else Path.home()
