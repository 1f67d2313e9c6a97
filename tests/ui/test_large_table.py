"""LargeRowModel: Python-side sorting (no value last), filtering, lazy cells, kept selection."""

from __future__ import annotations

from typing import NamedTuple

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PySide6.QtCore import Qt

from tiktok_console.ui.large_table import KeptSelection, LargeRowModel
from tiktok_console.ui.table_model import Column
from tiktok_console.ui.table_view import table_view


class Item(NamedTuple):
    key: str
    name: str
    count: int | None


COLUMNS = [
    Column("Name", lambda i: i.name),
    Column("Count", lambda i: "—" if i.count is None else str(i.count), sort_key=lambda i: i.count),
]


def model(rows: list[Item]) -> LargeRowModel[Item]:
    built = LargeRowModel(COLUMNS, key=lambda i: i.key)
    built.set_rows(rows)
    return built


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(counts=st.lists(st.one_of(st.none(), st.integers(-5, 5)), max_size=30),
       descending=st.booleans())  # fmt: skip
def test_sorts_on_keys_with_no_value_last_either_way(qapp, counts, descending) -> None:
    items = [Item(str(n), f"n{n}", count) for n, count in enumerate(counts)]
    table = model(items)
    order = Qt.SortOrder.DescendingOrder if descending else Qt.SortOrder.AscendingOrder
    table.sort(1, order)
    shown = [i.count for i in table.visible_rows()]
    present = sorted((c for c in counts if c is not None), reverse=descending)
    assert shown == present + [None] * counts.count(None)


def test_search_and_predicate_combine_and_cells_are_the_column_texts(qapp) -> None:
    table = model([Item("a", "Red tee", 3), Item("b", "Blue tee", None), Item("c", "Red mug", 0)])
    table.set_search("RED")
    assert [i.key for i in table.visible_rows()] == ["a", "c"]
    table.set_predicate(lambda i: bool(i.count))
    assert [i.key for i in table.visible_rows()] == ["a"]
    table.set_search("")
    table.set_predicate(None)
    assert table.rowCount() == 3
    assert table.data(table.index(1, 1)) == "—"
    assert table.headerData(1, Qt.Orientation.Horizontal) == "Count"


def test_selection_survives_sorting_and_new_rows(qtbot) -> None:
    table = model([Item("a", "A", 3), Item("b", "B", 1), Item("c", "C", 2)])
    view = table_view(table, stretch=0)
    qtbot.addWidget(view)
    view.selectRow([i.key for i in table.visible_rows()].index("a"))
    view.sortByColumn(1, Qt.SortOrder.AscendingOrder)
    assert [table.row(i.row()).key for i in view.selectionModel().selectedRows()] == ["a"]
    with KeptSelection(view, table):
        table.set_rows([Item("d", "D", 0), Item("a", "A", 9), Item("c", "C", 2)])
    assert [i.key for i in table.visible_rows()] == ["d", "c", "a"]
    assert [table.row(i.row()).key for i in view.selectionModel().selectedRows()] == ["a"]
    assert table.row(view.currentIndex().row()).key == "a"
