"""RowTableModel and its proxy: typed sorting, search, row access, kept selection, CSV."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from enum import IntEnum
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtGui import QColor

from tiktok_console.ui.cell_text import iso_local, local_time, money_text, plural, time_left
from tiktok_console.ui.table_model import (
    RIGHT,
    ROW_ROLE,
    SORT_ROLE,
    Column,
    RowSortFilterProxy,
    RowTableModel,
    export_csv,
)
from tiktok_console.ui.table_view import table_view

T0 = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Item:
    key: str
    name: str
    amount: Decimal
    due: datetime | None
    note: str = ""


class Col(IntEnum):
    NAME = 0
    AMOUNT = 1
    DUE = 2
    NOTE = 3


COLUMNS: list[Column[Item]] = [
    Column("Name", lambda i: i.name, tooltip=lambda i: f"{i.name} ({i.key})"),
    Column(
        "Amount",
        lambda i: money_text(i.amount, "USD"),
        sort_key=lambda i: i.amount,
        align=RIGHT,
        export=lambda i: str(i.amount),
        color=lambda i: "#d93a4a" if i.amount < 0 else None,
        bold=lambda i: i.amount < 0,
    ),
    Column(
        "Due",
        lambda i: local_time(i.due),
        sort_key=lambda i: i.due,
        export=lambda i: iso_local(i.due),
    ),
    Column("Note", lambda i: i.note, searchable=False),
]


def items() -> list[Item]:
    return [
        Item("a", "Tee red", Decimal("9.50"), T0 + timedelta(days=2)),
        Item("b", "Mug", Decimal("100"), None, note="hidden words"),
        Item("c", "tee blue", Decimal("10.00"), T0),
        Item("d", "Cap", Decimal("-5"), T0 + timedelta(days=1)),
    ]


@pytest.fixture
def proxy(qapp) -> RowSortFilterProxy[Item]:
    model = RowTableModel(COLUMNS, key=lambda i: i.key)
    model.set_rows(items())
    return RowSortFilterProxy(model)


def keys_shown(proxy: RowSortFilterProxy[Item]) -> list[str]:
    return [row.key for row in proxy.visible_rows()]


def test_money_sorts_as_numbers_not_text(proxy) -> None:
    proxy.sort(Col.AMOUNT, Qt.SortOrder.AscendingOrder)
    assert keys_shown(proxy) == ["d", "a", "c", "b"]
    proxy.sort(Col.AMOUNT, Qt.SortOrder.DescendingOrder)
    assert keys_shown(proxy) == ["b", "c", "a", "d"]


def test_no_date_sorts_last_in_both_directions(proxy) -> None:
    proxy.sort(Col.DUE, Qt.SortOrder.AscendingOrder)
    assert keys_shown(proxy) == ["c", "d", "a", "b"]
    proxy.sort(Col.DUE, Qt.SortOrder.DescendingOrder)
    assert keys_shown(proxy) == ["a", "d", "c", "b"]


def test_text_sorts_case_insensitively(proxy) -> None:
    proxy.sort(Col.NAME, Qt.SortOrder.AscendingOrder)
    assert keys_shown(proxy) == ["d", "b", "c", "a"]


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(
        st.decimals(min_value=-1000, max_value=1000, places=2) | st.none(),
        max_size=25,
    )
)
def test_any_keys_sort_like_python_with_missing_last(qapp, amounts) -> None:
    model = RowTableModel(
        [Column("X", lambda i: str(i.amount), sort_key=lambda i: i.amount)], key=lambda i: i.key
    )
    model.set_rows(Item(str(n), "", a, None) for n, a in enumerate(amounts))  # type: ignore[arg-type]
    proxy = RowSortFilterProxy(model)
    present = [a for a in amounts if a is not None]
    missing = [None] * (len(amounts) - len(present))
    proxy.sort(0, Qt.SortOrder.AscendingOrder)
    assert [r.amount for r in proxy.visible_rows()] == sorted(present) + missing
    proxy.sort(0, Qt.SortOrder.DescendingOrder)
    assert [r.amount for r in proxy.visible_rows()] == sorted(present, reverse=True) + missing


def test_search_needs_every_word_in_searchable_columns_only(proxy) -> None:
    proxy.set_search("TEE")
    assert sorted(keys_shown(proxy)) == ["a", "c"]
    proxy.set_search("tee  blue")
    assert keys_shown(proxy) == ["c"]
    proxy.set_search("hidden")  # only in the Note column, which is not searched
    assert keys_shown(proxy) == []
    proxy.set_search("$9.50")  # the text as shown
    assert keys_shown(proxy) == ["a"]
    proxy.set_search("")
    assert len(keys_shown(proxy)) == 4


def test_predicate_filters_rows_with_the_search(proxy) -> None:
    proxy.set_predicate(lambda i: i.amount > 0)
    assert sorted(keys_shown(proxy)) == ["a", "b", "c"]
    proxy.set_search("tee")
    assert sorted(keys_shown(proxy)) == ["a", "c"]
    proxy.set_predicate(None)
    proxy.set_search("")
    assert len(keys_shown(proxy)) == 4


def test_cells_give_the_row_object_text_and_styling(proxy) -> None:
    proxy.sort(Col.AMOUNT, Qt.SortOrder.AscendingOrder)
    first = proxy.index(0, Col.AMOUNT)
    assert proxy.data(first, ROW_ROLE) == items()[3]
    assert proxy.data(first) == "-$5.00"
    assert proxy.data(first, SORT_ROLE) == Decimal("-5")
    assert proxy.data(first, Qt.ItemDataRole.ForegroundRole) == QColor("#d93a4a")
    assert proxy.data(first, Qt.ItemDataRole.FontRole).bold()
    alignment = proxy.data(first, Qt.ItemDataRole.TextAlignmentRole)
    assert alignment & Qt.AlignmentFlag.AlignRight
    assert proxy.data(proxy.index(1, Col.AMOUNT), Qt.ItemDataRole.ForegroundRole) is None
    assert proxy.data(proxy.index(0, Col.NAME), Qt.ItemDataRole.ToolTipRole) == "Cap (d)"
    assert proxy.headerData(Col.DUE, Qt.Orientation.Horizontal) == "Due"


def test_refresh_keeps_the_selected_row_when_it_is_still_there(qtbot, proxy) -> None:
    view = table_view(proxy, stretch=Col.NAME)
    qtbot.addWidget(view)
    proxy.sort(Col.AMOUNT, Qt.SortOrder.AscendingOrder)
    target = keys_shown(proxy).index("c")
    view.selectionModel().setCurrentIndex(
        proxy.index(target, 0),
        QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
    )
    changed_c = Item("c", "tee blue", Decimal("0.01"), T0)  # now the cheapest
    new = [Item("e", "Bag", Decimal("50"), None), changed_c, items()[1]]
    proxy.model_.set_rows(new)

    assert sorted(keys_shown(proxy)) == ["b", "c", "e"]
    selected = view.selectionModel().selectedRows()
    assert [proxy.data(i, ROW_ROLE) for i in selected] == [changed_c]
    assert proxy.data(view.currentIndex(), ROW_ROLE) == changed_c
    assert keys_shown(proxy)[0] == "c"  # re-sorted on its new amount

    proxy.model_.set_rows([items()[1]])
    assert view.selectionModel().selectedRows() == []


def test_duplicate_keys_still_show_every_row(proxy) -> None:
    twice = [items()[0], items()[0]]
    proxy.model_.set_rows(twice)
    assert keys_shown(proxy) == ["a", "a"]


def test_csv_has_the_visible_rows_as_sorted_with_plain_money(proxy, tmp_path: Path) -> None:
    proxy.set_search("tee")
    proxy.sort(Col.AMOUNT, Qt.SortOrder.DescendingOrder)
    path = tmp_path / "out.csv"
    assert export_csv(proxy, path) == 2
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")  # spreadsheet apps read UTF-8
    with path.open(encoding="utf-8-sig", newline="") as handle:
        lines = list(csv.reader(handle))
    assert lines[0] == ["Name", "Amount", "Due", "Note"]
    assert [line[:2] for line in lines[1:]] == [["tee blue", "10.00"], ["Tee red", "9.50"]]
    assert datetime.fromisoformat(lines[1][2]) == T0


def test_money_text() -> None:
    assert money_text(Decimal("1234.5"), "USD") == "$1,234.50"
    assert money_text(Decimal("-3"), "GBP") == "-£3.00"
    assert money_text(Decimal("150000"), "IDR") == "150,000.00 IDR"
    assert money_text(Decimal("0"), "") == "0.00"


def test_local_time_shows_the_year_only_when_not_this_one() -> None:
    now = datetime.now(UTC)
    assert str(now.astimezone().year) not in local_time(now)
    old = now.replace(year=now.year - 3)
    assert str(old.astimezone().year) in local_time(old)
    assert local_time(None) == "—"
    assert len(local_time(now, seconds=True)) == len(local_time(now)) + 3


def test_time_left_and_plurals() -> None:
    assert time_left(None, T0) == ""
    assert time_left(T0 + timedelta(minutes=30), T0) == "Less than 1 h left"
    assert time_left(T0 + timedelta(hours=5, minutes=10), T0) == "5 h left"
    assert time_left(T0 + timedelta(days=3, hours=1), T0) == "3 days left"
    assert time_left(T0 - timedelta(minutes=10), T0) == "Overdue by 1 h"
    assert time_left(T0 - timedelta(days=4), T0) == "Overdue by 4 days"
    assert plural(1, "order", "orders") == "1 order"
    assert plural(0, "order", "orders") == "0 orders"


@pytest.mark.parametrize(
    ("value", "written"),
    [("576461413038785752", '="576461413038785752"'), ("00123", '="00123"'),
     ("1042", "1042"), ("12.50", "12.50"), ("-3", "-3"), ("#1042", "#1042"), ("0", "0")],
)  # fmt: skip
def test_long_ids_and_leading_zeros_stay_text_in_a_spreadsheet(value: str, written: str) -> None:
    from tiktok_console.ui.table_model import spreadsheet_text

    assert spreadsheet_text(value) == written
