"""The one table model every view uses, its sort/filter proxy, and CSV export.

Rows are frozen dataclasses read by ``storage`` queries; a view declares its
columns (title, text, sort key, alignment, tooltip, colour) once as
``Column`` objects indexed by an ``IntEnum``. Texts, sort keys and search
text are computed once per row in ``set_rows``, so painting and sorting never
call back into the row formatting, let alone SQL. The row object itself is
available through ``ROW_ROLE`` so detail panes need no second lookup.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, Protocol, TypeVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import QWidget

T = TypeVar("T")

ROW_ROLE = Qt.ItemDataRole.UserRole + 1
"""``data(index, ROW_ROLE)`` is the row object of that line."""
SORT_ROLE = Qt.ItemDataRole.UserRole + 2
"""``data(index, SORT_ROLE)`` is the precomputed sort key of that cell."""

LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
CENTER = Qt.AlignmentFlag.AlignCenter

AnyIndex = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class Column(Generic[T]):
    """How one column shows a row.

    Attributes:
        title: the header text (and the CSV header).
        value: the cell text.
        sort_key: what the column sorts on (Decimal for money, datetime for
            times); None sorts on the case-folded text. A key of None means
            "no value" and sorts last in both directions (no deadline last).
        align: the cell alignment (``RIGHT`` for numbers and money).
        tooltip: the cell tooltip (e.g. the full text of an elided cell).
        color: a colour name for the text, or None for the palette's.
        bold: whether the cell is drawn bold.
        export: the CSV text; None exports ``value`` (money should export as a
            plain decimal, times as ISO 8601).
        searchable: whether the search box looks at this column.
        width: a preferred width in pixels; 0 sizes the column to its contents.
    """

    title: str
    value: Callable[[T], str]
    sort_key: Callable[[T], Any] | None = None
    align: Qt.AlignmentFlag = LEFT
    tooltip: Callable[[T], str] | None = None
    color: Callable[[T], str | None] | None = None
    bold: Callable[[T], bool] | None = None
    export: Callable[[T], str] | None = None
    searchable: bool = True
    width: int = 0


@dataclass(frozen=True)
class _Cached:
    texts: tuple[str, ...]
    keys: tuple[Any, ...]
    search: str


class RowTableModel(QAbstractTableModel, Generic[T]):
    """A read-only table of frozen rows, one line per row.

    ``key`` identifies a row across refreshes (an order id, a SKU id), so
    ``set_rows`` can update lines in place and the selection survives.
    """

    def __init__(
        self,
        columns: Sequence[Column[T]],
        key: Callable[[T], Hashable],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.columns = tuple(columns)
        self._key = key
        self._rows: list[T] = []
        self._cache: list[_Cached] = []
        self._bold = QFont()
        self._bold.setBold(True)

    # -- rows -------------------------------------------------------------------

    @property
    def rows(self) -> tuple[T, ...]:
        """Every row, in the order given (not the sorted order)."""
        return tuple(self._rows)

    def row(self, number: int) -> T:
        """The row object on source line ``number``."""
        return self._rows[number]

    def set_rows(self, rows: Iterable[T]) -> None:
        """Show ``rows``: lines gone are removed, lines still there updated, new ones added.

        Done as removals, changes and insertions (never a reset) so views keep
        their selection, current line and scroll position on a refresh.
        """
        new = list(rows)
        keys = [self._key(row) for row in new]
        if len(set(keys)) != len(keys):
            self._reset(new)  # no identity to keep a selection by
            return
        wanted = dict(zip(keys, new, strict=True))
        self._remove_missing(wanted)
        self._update_kept(wanted)
        self._append_new(new, keys)

    def _reset(self, rows: list[T]) -> None:
        self.beginResetModel()
        self._rows = rows
        self._cache = [self._compute(row) for row in rows]
        self.endResetModel()

    def _remove_missing(self, wanted: dict[Hashable, T]) -> None:
        end = len(self._rows)
        while end > 0:
            if self._key(self._rows[end - 1]) in wanted:
                end -= 1
                continue
            start = end - 1
            while start > 0 and self._key(self._rows[start - 1]) not in wanted:
                start -= 1
            self.beginRemoveRows(QModelIndex(), start, end - 1)
            del self._rows[start:end]
            del self._cache[start:end]
            self.endRemoveRows()
            end = start

    def _update_kept(self, wanted: dict[Hashable, T]) -> None:
        changed = [n for n, row in enumerate(self._rows) if wanted[self._key(row)] != row]
        for number in changed:
            self._rows[number] = wanted[self._key(self._rows[number])]
            self._cache[number] = self._compute(self._rows[number])
        if changed:
            last = self.index(max(changed), len(self.columns) - 1)
            self.dataChanged.emit(self.index(min(changed), 0), last)

    def _append_new(self, rows: list[T], keys: list[Hashable]) -> None:
        present = {self._key(row) for row in self._rows}
        added = [row for row, key in zip(rows, keys, strict=True) if key not in present]
        if not added:
            return
        first = len(self._rows)
        self.beginInsertRows(QModelIndex(), first, first + len(added) - 1)
        self._rows.extend(added)
        self._cache.extend(self._compute(row) for row in added)
        self.endInsertRows()

    def _compute(self, row: T) -> _Cached:
        texts = tuple(column.value(row) for column in self.columns)
        keys = tuple(
            column.sort_key(row) if column.sort_key else text.casefold()
            for column, text in zip(self.columns, texts, strict=True)
        )
        search = "\n".join(
            text.casefold()
            for column, text in zip(self.columns, texts, strict=True)
            if column.searchable
        )
        return _Cached(texts, keys, search)

    # -- what the proxy and exports read -------------------------------------------

    def sort_key(self, row: int, column: int) -> Any:
        """The precomputed sort key of a cell."""
        return self._cache[row].keys[column]

    def search_text(self, row: int) -> str:
        """The case-folded text of the searchable cells of a line."""
        return self._cache[row].search

    def cell_text(self, row: int, column: int) -> str:
        """The text shown in a cell."""
        return self._cache[row].texts[column]

    # -- Qt ---------------------------------------------------------------------

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 (Qt's signature)
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, column = self._rows[index.row()], self.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._cache[index.row()].texts[index.column()]
        if role == ROW_ROLE:
            return row
        if role == SORT_ROLE:
            return self._cache[index.row()].keys[index.column()]
        return cell_style(column, row, role, self._bold)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        return header_data(self.columns, section, orientation, role)


class RowSortFilterProxy(QSortFilterProxyModel, Generic[T]):
    """Sorts a ``RowTableModel`` on its precomputed keys and filters it by search text.

    ``set_predicate`` adds a filter on the row objects (e.g. "errors only").
    """

    def __init__(self, model: RowTableModel[T], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model_ = model
        self.setSourceModel(model)
        self.setDynamicSortFilter(True)
        self._terms: tuple[str, ...] = ()
        self._predicate: Callable[[T], bool] | None = None

    def set_search(self, text: str) -> None:
        """Show only lines whose searchable cells contain every word of ``text``."""
        terms = tuple(text.casefold().split())
        if terms != self._terms:
            self.beginFilterChange()
            self._terms = terms
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def set_predicate(self, predicate: Callable[[T], bool] | None) -> None:
        """Show only rows for which ``predicate`` is true (None shows all)."""
        self.beginFilterChange()
        self._predicate = predicate
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def row(self, proxy_row: int) -> T:
        """The row object on visible line ``proxy_row``."""
        return self.model_.row(self.mapToSource(self.index(proxy_row, 0)).row())

    def visible_rows(self) -> list[T]:
        """The rows shown, in the order shown."""
        return [self.row(number) for number in range(self.rowCount())]

    def filterAcceptsRow(self, source_row: int, source_parent: AnyIndex) -> bool:
        text = self.model_.search_text(source_row)
        if not all(term in text for term in self._terms):
            return False
        return self._predicate is None or self._predicate(self.model_.row(source_row))

    def lessThan(self, source_left: AnyIndex, source_right: AnyIndex) -> bool:
        column = source_left.column()
        left = self.model_.sort_key(source_left.row(), column)
        right = self.model_.sort_key(source_right.row(), column)
        if left is None and right is None:
            return False  # equal: a stable sort keeps their order
        if left is None or right is None:
            # "No value" stays at the bottom whichever way the column is sorted:
            # Qt reverses the comparison when sorting descending.
            descending = self.sortOrder() == Qt.SortOrder.DescendingOrder
            return (left is None and right is not None) if descending else right is None
        return bool(left < right)


class Exportable(Protocol):
    """A table CSV export can read: its columns and the rows shown, in order."""

    @property
    def columns(self) -> tuple[Column[Any], ...]: ...

    def visible_rows(self) -> list[Any]: ...


LONG_NUMBER = 12  # digits from which a spreadsheet would round an id (5.78E+18)


def spreadsheet_text(value: str) -> str:
    """``value`` as a CSV cell a spreadsheet keeps as written.

    A TikTok order id (19 digits), a barcode or a number with leading zeros is
    text, not a number: Excel, Numbers and LibreOffice would show 5.78E+18 or
    drop the zeros. Such cells are written in the ``="…"`` form, which all
    three open as the exact text (a leading tab or apostrophe is not honoured
    by all of them). Everything else is written as it is.
    """
    if value.isdigit() and (len(value) >= LONG_NUMBER or (len(value) > 1 and value[0] == "0")):
        return f'="{value}"'
    return value


def export_csv(proxy: RowSortFilterProxy[Any] | Exportable, path: Path) -> int:
    """Write the visible rows, as sorted, to ``path``; returns how many were written.

    UTF-8 with a byte-order mark, so spreadsheet apps read accents right; money
    is plain decimal text (``1234.50``), never a formatted amount; long ids stay
    text (``spreadsheet_text``).
    """
    columns = proxy.model_.columns if isinstance(proxy, RowSortFilterProxy) else proxy.columns
    rows = proxy.visible_rows()
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(column.title for column in columns)
        for row in rows:
            writer.writerow(
                spreadsheet_text((column.export or column.value)(row)) for column in columns
            )
    return len(rows)


def cell_style(column: Column[Any], row: Any, role: int, bold: QFont) -> Any:
    """A cell's alignment, tooltip, colour or font, as its column defines them."""
    if role == Qt.ItemDataRole.TextAlignmentRole:
        return int(column.align.value)
    if role == Qt.ItemDataRole.ToolTipRole and column.tooltip:
        return column.tooltip(row) or None
    if role == Qt.ItemDataRole.ForegroundRole and column.color:
        color = column.color(row)
        return QColor(color) if color else None
    if role == Qt.ItemDataRole.FontRole and column.bold and column.bold(row):
        return bold
    return None


def header_data(
    columns: Sequence[Column[Any]], section: int, orientation: Qt.Orientation, role: int
) -> Any:
    """A horizontal header's title and alignment."""
    if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(columns):
        return None
    if role == Qt.ItemDataRole.DisplayRole:
        return columns[section].title
    if role == Qt.ItemDataRole.TextAlignmentRole:
        return int(columns[section].align.value)
    return None
