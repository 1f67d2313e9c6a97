"""One spreadsheet row of a settlement export, read into a ``SettlementLine``.

The reader of a file hands rows (lists of cell values) to a ``RowReader``
built once from the sheet's header match. A cell that cannot be read is a
``CellProblem`` with its row and column, and the rest of the line is kept: a
merchant fixes one cell, not a whole file. Reading is the hot loop of an
import (100,000 rows), so the columns are sorted by kind once and amounts
that repeat (zeros, prices) are parsed once.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from typing import NamedTuple

from tiktok_console.domain.money_text import MoneyTextError, parse_amount
from tiktok_console.domain.settlement_fields import Field, Kind
from tiktok_console.domain.settlement_headers import HeaderMatch
from tiktok_console.domain.settlement_lines import (
    ZERO,
    CellProblem,
    Check,
    LineFlag,
    LineKind,
    SettlementLine,
    cells_by_kind,
    cells_getter,
    line_kind,
    read_count,
    read_id,
    read_time,
    resolve_parts,
)

_CACHE_LIMIT = 200_000
_BLANK: tuple[Decimal, str | None] = (Decimal(0), "blank")  # a marker, never an amount
_NO_PROBLEMS: tuple[CellProblem, ...] = ()
# Bound once: the hot loop reads them for every row.
_ORDER_ID, _CURRENCY = Field.ORDER_ID, Field.CURRENCY
_SETTLEMENT = Field.SETTLEMENT
# Where each cell goes in the list a SettlementLine is built from (its field
# order), and two slots past its end for ids that only steer the others.
_SLOTS = {
    Field.TYPE: 1,
    Field.ORDER_ID: 2,
    Field.ADJUSTMENT_ID: 3,
    Field.SKU_ID: 4,
    Field.CURRENCY: 5,
    Field.STATEMENT_ID: 9,
    Field.PAYMENT_ID: 10,
    Field.SELLER_SKU: 11,
    Field.ORDER_LINE_ID: 12,
    Field.ORDER_CREATED: 14,
    Field.SETTLED_TIME: 15,
    Field.RELATED_ORDER_ID: 20,
    Field.RESERVE_ID: 21,
}
_FIELD_OF_SLOT = {slot: field for field, slot in _SLOTS.items()}
_CURRENCY_SLOT, _QUANTITY_SLOT, _RELATED_SLOT, _RESERVE_SLOT = 5, 13, 20, 21
_new = tuple.__new__
_OWN_ID_KINDS = (LineKind.ADJUSTMENT, LineKind.RESERVE)


# A row's money: amounts, the currency its cells named, parts, settlement, checks.
_Money = tuple[
    dict[Field, Decimal], str | None, dict[Field, Decimal], Decimal, tuple[LineFlag, ...]
]


class RowResult(NamedTuple):
    """A row's line (None when the row holds none) and the cells it could not read."""

    line: SettlementLine | None
    problems: tuple[CellProblem, ...] = ()
    blank: bool = False


class RowReader:
    """Reads the rows of one sheet whose headers ``match`` describes."""

    def __init__(
        self,
        match: HeaderMatch,
        currency: str | None = None,
        source: str = "import",
        kind: LineKind | None = None,
    ) -> None:
        """Prepares the columns.

        Args:
            match: the sheet's header match.
            currency: the region's currency, for rows that name none.
            source: where lines come from ("import").
            kind: what a row with a blank Type is (the sheet's kind of line).
        """
        grouped = cells_by_kind(match.columns)
        # Each known cell goes straight to its slot of the line being built.
        self._ids = [(i, _SLOTS[f]) for i, f in grouped[Kind.ID] if f in _SLOTS]
        self._texts = [(i, _SLOTS[f]) for i, f in grouped[Kind.TEXT] if f in _SLOTS]
        self._times = [(i, _SLOTS[f]) for i, f in grouped[Kind.TIME] if f in _SLOTS]
        self._money = grouped[Kind.MONEY]
        self._counts = grouped[Kind.COUNT]
        self._width = max(match.columns, default=-1) + 1
        self._money_cells = cells_getter([index for index, _ in self._money])
        self._shapes: dict[tuple[object, ...], _Money] = {}
        self._layout = match.layout
        self._plan = match.layout.plan(match.fields)
        hints = set(match.currencies.values())
        self._default = hints.pop() if len(hints) == 1 else currency
        self._source = source
        self._kind = kind
        # Statements repeat amounts (zeros, prices) and times: each is read once.
        self._cache: dict[object, tuple[Decimal, str | None]] = {"": _BLANK, None: _BLANK}
        self._times_seen: dict[object, datetime] = {}
        self._kinds: dict[tuple[str, bool], LineKind] = {}
        # A SettlementLine's fields in order, then the related order and reserve ids.
        self._template: list[object] = [None, "", "", "", "", "", ZERO, None, None, "", "",
            "", "", None, None, None, None, (), source, 0, "", ""]  # fmt: skip

    def read(self, row: Sequence[object], number: int) -> RowResult:
        """Reads one row; ``number`` is its row number in the sheet (1-based)."""
        if len(row) < self._width:  # short rows: trailing cells left empty
            row = [*row, *([None] * (self._width - len(row)))]
        problems: list[CellProblem] = []
        record = self._template.copy()
        lost: dict[Field, str] | None = None
        for index, slot in self._ids:
            value = row[index]
            if value is None or value == "":
                continue
            if value.__class__ is str and value.isdigit():  # the usual cell: no work
                record[slot] = value
                continue
            text, was_lost = read_id(value)
            if was_lost:
                lost = lost or {}
                lost[_FIELD_OF_SLOT[slot]] = text
            else:
                record[slot] = text
        for index, slot in self._texts:
            value = row[index]
            if value is not None and value != "":
                record[slot] = str(value).strip()
        currency = str(record[_CURRENCY_SLOT]).upper() or self._default
        money = self._money_of(row, number, currency, problems)
        currency = currency or money[1]
        if not money[0] and not lost and not any(record[s] for _, s in self._ids):
            if all(c is None or c == "" for c in row):
                return RowResult(None, tuple(problems), blank=True)
            problems.append(CellProblem(number, -1, _ORDER_ID, None, "no id and no amount"))
            return RowResult(None, tuple(problems))
        if not currency:
            problems.append(CellProblem(number, -1, _CURRENCY, None, "no currency"))
            return RowResult(None, tuple(problems))
        self._read_times(row, number, problems, record)
        record[_QUANTITY_SLOT] = self._quantity(row, number, problems)
        record[_CURRENCY_SLOT] = currency
        line = self._line(record, lost, money, number)
        return RowResult(line, tuple(problems) if problems else _NO_PROBLEMS)

    def _money_of(
        self, row: Sequence[object], number: int, currency: str | None, problems: list[CellProblem]
    ) -> _Money:
        """The row's amounts and how they add up, shared by rows with the same money.

        A statement repeats the same prices and fees on many rows; rows whose
        money cells are equal (same types: TRUE must not pass for 1) share one
        reading. Readings with a problem are not shared, so each row reports its own.
        """
        cells = self._money_cells(row)
        if bool in set(map(type, cells)):
            return self._reading(row, number, currency, problems)
        key = (currency, cells)
        shared = self._shapes.get(key)
        if shared is None:
            before = len(problems)
            shared = self._reading(row, number, currency, problems)
            if len(problems) == before:
                if len(self._shapes) >= _CACHE_LIMIT:
                    self._shapes.clear()
                self._shapes[key] = shared
        return shared

    def _reading(
        self, row: Sequence[object], number: int, currency: str | None, problems: list[CellProblem]
    ) -> _Money:
        amounts, named = self._amounts(row, number, currency, problems)
        parts, summed, flags = resolve_parts(amounts, self._layout, self._plan)
        stated = amounts.get(_SETTLEMENT)
        if stated is not None and parts and stated != summed:
            flags.append(LineFlag(Check.SUM, _SETTLEMENT, stated - summed))
        settlement = summed if stated is None else stated
        return amounts, named, parts, settlement, tuple(flags)

    def _amounts(
        self, row: Sequence[object], number: int, currency: str | None, problems: list[CellProblem]
    ) -> tuple[dict[Field, Decimal], str | None]:
        cache = self._cache
        amounts: dict[Field, Decimal] = {}
        named: str | None = None
        for index, field in self._money:
            value = row[index]
            if value.__class__ is bool:  # TRUE would hash as 1: never read it as an amount
                problems.append(CellProblem(number, index, field, value, "not an amount"))
                continue
            hit = cache.get(value)
            if hit is _BLANK:
                continue
            if hit is None:
                if isinstance(value, str) and not value.strip():
                    continue
                try:
                    parsed = parse_amount(value, currency)
                except MoneyTextError as error:
                    problems.append(CellProblem(number, index, field, value, str(error)))
                    continue
                hit = (parsed.amount, parsed.currency)
                if len(cache) >= _CACHE_LIMIT:
                    cache.clear()
                    cache.update({"": _BLANK, None: _BLANK})
                cache[value] = hit
            amount, cell_currency = hit
            if cell_currency is not None:
                if currency and cell_currency != currency:
                    message = f"in {cell_currency}, the line is in {currency}"
                    problems.append(CellProblem(number, index, field, value, message))
                    continue
                named = cell_currency
            amounts[field] = amount
        return amounts, named

    def _read_times(
        self, row: Sequence[object], number: int, problems: list[CellProblem], record: list[object]
    ) -> None:
        cache = self._times_seen
        for index, slot in self._times:
            value = row[index]
            if value is None or value == "":
                continue
            when = cache.get(value)
            if when is None:
                try:
                    when = read_time(value)
                except ValueError as error:
                    field = _FIELD_OF_SLOT[slot]
                    problems.append(CellProblem(number, index, field, value, str(error)))
                    continue
                if len(cache) >= _CACHE_LIMIT:
                    cache.clear()
                cache[value] = when
            record[slot] = when

    def _quantity(
        self, row: Sequence[object], number: int, problems: list[CellProblem]
    ) -> int | None:
        for index, field in self._counts:
            value = row[index]
            if value is None or value == "":
                return None
            try:
                return read_count(value)
            except ValueError as error:  # MoneyTextError is one
                problems.append(CellProblem(number, index, field, value, str(error)))
        return None

    def _line(
        self, record: list[object], lost: dict[Field, str] | None, money: _Money, number: int
    ) -> SettlementLine:
        type_label, order_id = str(record[1]), str(record[2])
        has_order = bool(order_id or (lost and _ORDER_ID in lost))
        kind = self._kinds.get((type_label, has_order))
        if kind is None:
            kind = self._kinds.setdefault(
                (type_label, has_order), line_kind(type_label, has_order, self._kind)
            )
        if kind in _OWN_ID_KINDS and not record[3]:
            if kind is LineKind.RESERVE:
                record[3] = record[_RESERVE_SLOT]
            if not record[3]:
                # "Order/adjustment ID" holds the adjustment's own id on its rows.
                record[3], record[2] = order_id, record[_RELATED_SLOT]
        amounts, _, parts, settlement, flags = money
        if lost:
            flags += tuple(LineFlag(Check.LOST_DIGITS, f, text=t) for f, t in lost.items())
        record[0], record[6], record[7], record[8] = kind, settlement, parts, amounts
        record[16], record[17], record[19] = lost, flags, number
        del record[20:]
        # tuple.__new__ with every field: the fastest way to build a named tuple.
        return _new(SettlementLine, record)
