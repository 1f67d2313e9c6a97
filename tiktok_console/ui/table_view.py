"""How the views' tables look: the table itself, the search box above it, the empty state.

One place for these so every page's table has the same padding, header,
selection behaviour and colours (taken from the palette, so light and dark
both follow).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from tiktok_console.ui.icons import tinted_icon
from tiktok_console.ui.large_table import LargeRowModel
from tiktok_console.ui.table_model import RowSortFilterProxy
from tiktok_console.ui.theme import MUTED
from tiktok_console.ui.widgets import label

# Text a few pixels off the cell edges (Fusion draws it flush), headers aligned
# with it; colours come from the palette so light and dark both follow.
_TABLE_STYLE = """
QTableView { border: 1px solid palette(mid); border-radius: 6px; }
QTableView::item { padding: 0 8px; }
QHeaderView::section { background: palette(base); color: palette(window-text);
    border: none; border-bottom: 1px solid palette(mid); padding: 6px 8px; font-weight: 600; }
"""


def search_field(placeholder: str) -> QLineEdit:
    """The search box above a table, drawn like the table (a clear button included)."""
    field = QLineEdit(placeholderText=placeholder, clearButtonEnabled=True)
    field.setMinimumWidth(160)  # narrow windows squeeze the buttons' row, never the search
    field.setStyleSheet(
        "QLineEdit { border: 1px solid palette(mid); border-radius: 6px; padding: 6px 8px;"
        " background: palette(base); }"
    )
    return field


def table_view(
    proxy: RowSortFilterProxy[Any] | LargeRowModel[Any],
    stretch: int,
    parent: QWidget | None = None,
) -> QTableView:
    """A sortable, row-selecting table for ``proxy``; column ``stretch`` takes the spare width."""
    view = QTableView(parent)
    view.setModel(proxy)
    view.setSortingEnabled(True)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setAlternatingRowColors(True)
    view.setShowGrid(False)
    view.setWordWrap(False)
    view.setTextElideMode(Qt.TextElideMode.ElideRight)
    view.setStyleSheet(_TABLE_STYLE)
    view.verticalHeader().hide()
    view.verticalHeader().setDefaultSectionSize(30)
    header = view.horizontalHeader()
    header.setHighlightSections(False)
    header.setStretchLastSection(False)
    columns = proxy.model_.columns if isinstance(proxy, RowSortFilterProxy) else proxy.columns
    for number, column in enumerate(columns):
        if number == stretch:
            header.setSectionResizeMode(number, QHeaderView.ResizeMode.Stretch)
        elif column.width:
            header.setSectionResizeMode(number, QHeaderView.ResizeMode.Interactive)
            view.setColumnWidth(number, column.width)
        else:
            header.setSectionResizeMode(number, QHeaderView.ResizeMode.ResizeToContents)
    return view


class EmptyState(QWidget):
    """What a page shows instead of an empty table: an icon, a heading, a sentence."""

    def __init__(self, icon: str, heading: str, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        picture = label()
        picture.setPixmap(tinted_icon(icon, MUTED, 40).pixmap(40, 40))
        self.heading = label(heading)
        self.heading.setStyleSheet("font-size: 17px; font-weight: 600;")
        self.text = label(text, "Muted", wrap=True)
        box = QVBoxLayout(self)
        box.addStretch(1)
        for widget in (picture, self.heading, self.text):
            widget.setAlignment(Qt.AlignmentFlag.AlignHCenter)
            box.addWidget(widget)
        box.addStretch(2)

    def show_text(self, heading: str, text: str) -> None:
        """Change what the empty state says (e.g. "nothing yet" vs "nothing matches")."""
        self.heading.setText(heading)
        self.text.setText(text)
