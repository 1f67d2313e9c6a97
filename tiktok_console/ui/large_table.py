"""A table model for tens of thousands of rows: sorted and filtered in Python, texts drawn lazily.

``RowTableModel`` behind a ``QSortFilterProxyModel`` computes every cell up
front and sorts through a Python ``lessThan`` that Qt calls n·log n times:
fine for hundreds of rows, over a second for 50,000. This model takes the
same ``Column`` definitions but sorts with ``sorted`` on one column's keys,
filters with a list comprehension, and formats a cell only when it is
painted (a screenful, not the catalog). The rows are kept in the order
shown, so ``row(n)`` is the n-th visible line.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Sequence
from typing import Any, Generic, TypeVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QItemSelection,
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QTableView, QWidget

from tiktok_console.ui.table_model import ROW_ROLE, Column, cell_style, header_data

T = TypeVar("T")

AnyIndex = QModelIndex | QPersistentModelIndex


class LargeRowModel(QAbstractTableModel, Generic[T]):
    """Rows sorted, filtered and formatted on demand; the view needs no proxy.

    ``key`` identifies a row across refreshes, so the selection survives them.
    """

    def __init__(
        self,
        columns: Sequence[Column[T]],
        key: Callable[[T], Hashable],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.columns = tuple(columns)
        self.key = key
        self._all: list[T] = []
        self._shown: list[T] = []
        self._texts: dict[int, tuple[str, ...]] = {}  # id(row) -> its cell texts
        self._search: list[str] | None = None  # per row of _all, built on first search
        self._terms: tuple[str, ...] = ()
        self._predicate: Callable[[T], bool] | None = None
        self._sort: tuple[int, Qt.SortOrder] | None = None
        self._bold = QFont()
        self._bold.setBold(True)

    # -- rows -------------------------------------------------------------------

    @property
    def rows(self) -> tuple[T, ...]:
        """Every row, shown or filtered out."""
        return tuple(self._all)

    def row(self, number: int) -> T:
        """The row on visible line ``number``."""
        return self._shown[number]

    def visible_rows(self) -> list[T]:
        """The rows shown, in the order shown."""
        return list(self._shown)

    def set_rows(self, rows: Iterable[T]) -> None:
        """Show ``rows`` (filtered and sorted as before)."""
        self._all = list(rows)
        self._search = None
        self._texts = {}
        self._rebuild()

    def set_search(self, text: str) -> None:
        """Show only lines whose searchable cells contain every word of ``text``."""
        terms = tuple(text.casefold().split())
        if terms != self._terms:
            self._terms = terms
            self._rebuild()

    def set_predicate(self, predicate: Callable[[T], bool] | None) -> None:
        """Show only rows for which ``predicate`` is true (None shows all)."""
        self._predicate = predicate
        self._rebuild()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        # Same rows, new order: a layout change keeps the selection on its rows.
        self._sort = (column, order)
        self.layoutAboutToBeChanged.emit()
        before = self.persistentIndexList()
        rows = [self._shown[index.row()] for index in before]
        self._shown = self._sorted(self._shown)
        where = {id(row): number for number, row in enumerate(self._shown)}
        after = [
            self.index(where[id(row)], index.column())
            for row, index in zip(rows, before, strict=True)
        ]
        self.changePersistentIndexList(before, after)
        self.layoutChanged.emit()

    def _rebuild(self) -> None:
        self.beginResetModel()
        self._shown = self._sorted(self._filtered())
        self.endResetModel()

    def _filtered(self) -> list[T]:
        rows = self._all
        if self._predicate is not None:
            predicate = self._predicate
            keep = [n for n, row in enumerate(rows) if predicate(row)]
        else:
            keep = list(range(len(rows)))
        if self._terms:
            texts = self._search_texts()
            keep = [n for n in keep if all(term in texts[n] for term in self._terms)]
        return [rows[n] for n in keep]

    def _search_texts(self) -> list[str]:
        if self._search is None:
            values = [c.value for c in self.columns if c.searchable]
            self._search = ["\n".join(v(row) for v in values).casefold() for row in self._all]
        return self._search

    def _sorted(self, rows: list[T]) -> list[T]:
        if self._sort is None:
            return rows
        number, order = self._sort
        column = self.columns[number]
        if column.sort_key is not None:
            key = column.sort_key
        else:
            value = column.value
            key = lambda row: value(row).casefold()  # noqa: E731
        # Each key computed once; the sort itself then runs in C on positions.
        keys = list(map(key, rows))
        present = [n for n, k in enumerate(keys) if k is not None]
        present.sort(key=keys.__getitem__, reverse=order == Qt.SortOrder.DescendingOrder)
        # "No value" stays at the bottom whichever way the column is sorted.
        missing = [n for n, k in enumerate(keys) if k is None]
        return [rows[n] for n in present + missing]

    def _cell_texts(self, row: T) -> tuple[str, ...]:
        texts = self._texts.get(id(row))
        if texts is None:
            texts = tuple(column.value(row) for column in self.columns)
            self._texts[id(row)] = texts
        return texts

    # -- Qt ---------------------------------------------------------------------

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 (Qt's signature)
        return 0 if parent.isValid() else len(self._shown)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, column = self._shown[index.row()], self.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._cell_texts(row)[index.column()]
        if role == ROW_ROLE:
            return row
        return cell_style(column, row, role, self._bold)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        return header_data(self.columns, section, orientation, role)


class KeptSelection(Generic[T]):
    """Remembers which rows a view had selected (by key) and selects them again.

    A refresh or a new filter resets the model; the merchant's selection (and
    the current line) should not vanish with it::

        with KeptSelection(view, model):
            model.set_rows(rows)
    """

    def __init__(self, view: QTableView, model: LargeRowModel[T]) -> None:
        self._view, self._model = view, model
        self._keys: set[Hashable] = set()
        self._current: Hashable | None = None
        self._scroll = 0

    def __enter__(self) -> KeptSelection[T]:
        model, selection = self._model, self._view.selectionModel()
        self._keys = {model.key(model.row(i.row())) for i in selection.selectedRows()}
        current = self._view.currentIndex()
        self._current = model.key(model.row(current.row())) if current.isValid() else None
        self._scroll = self._view.verticalScrollBar().value()
        return self

    def __exit__(self, *_exc: object) -> None:
        model, selection = self._model, self._view.selectionModel()
        wanted = self._keys | ({self._current} if self._current is not None else set())
        if wanted:
            chosen = QItemSelection()
            last = model.columnCount() - 1
            keys = map(model.key, model.visible_rows())
            for number in [n for n, key in enumerate(keys) if key in wanted]:
                key = model.key(model.row(number))
                if key in self._keys:
                    chosen.select(model.index(number, 0), model.index(number, last))
                if key == self._current:
                    flag = QItemSelectionModel.SelectionFlag.NoUpdate
                    selection.setCurrentIndex(model.index(number, 0), flag)
            flags = QItemSelectionModel.SelectionFlag.ClearAndSelect
            selection.select(chosen, flags | QItemSelectionModel.SelectionFlag.Rows)
        self._view.verticalScrollBar().setValue(self._scroll)
