"""One spreadsheet row of a settlement export, read into a ``SettlementLine``.

The reader of a file hands rows (lists of cell values) to a ``RowReader``
built once from the sheet's header match. A cell that cannot be read is a
``CellProblem`` with its row and column, and the rest of the line is kept: a
merchant fixes one cell, not a whole file. Reading is the hot loop of an
import (100,000 rows), so the columns are sorted by kind once and amounts
that repeat (zeros, prices) are parsed once.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from decimal import Decimal
from operator import itemgetter
from typing import NamedTuple

from tiktok_console.domain.money_text import MoneyTextError, parse_amount
from tiktok_console.domain.settlement_fields import Field, Kind
from tiktok_console.domain.settlement_headers import HeaderMatch
from tiktok_console.domain.settlement_lines import (
    CellProblem,
    Check,
    LineFlag,
    LineKind,
    SettlementLine,
    cells_by_kind,
    line_kind,
    read_id,
    read_time,
    resolve_parts,
)

_CACHE_LIMIT = 200_000
_BLANK: tuple[Decimal, str | None] = (Decimal(0), "blank")  # a marker, never an amount
_NO_PROBLEMS: tuple[CellProblem, ...] = ()
# Bound once: the hot loop reads them for every row.
_ORDER_ID, _ADJUSTMENT_ID, _RELATED = Field.ORDER_ID, Field.ADJUSTMENT_ID, Field.RELATED_ORDER_ID
_SKU_ID, _STATEMENT_ID, _PAYMENT_ID = Field.SKU_ID, Field.STATEMENT_ID, Field.PAYMENT_ID
_LINE_ID, _RESERVE_ID, _SETTLEMENT = Field.ORDER_LINE_ID, Field.RESERVE_ID, Field.SETTLEMENT
_TYPE, _CURRENCY, _SELLER_SKU = Field.TYPE, Field.CURRENCY, Field.SELLER_SKU
_CREATED, _SETTLED = Field.ORDER_CREATED, Field.SETTLED_TIME
_OWN_ID_KINDS = (LineKind.ADJUSTMENT, LineKind.RESERVE)


# A row's money: amounts, the currency its cells named, parts, settlement, checks.
_Money = tuple[
    dict[Field, Decimal], str | None, dict[Field, Decimal], Decimal, tuple[LineFlag, ...]
]


def _cells_getter(indexes: list[int]) -> Callable[[Sequence[object]], tuple[object, ...]]:
    """The cells at ``indexes`` of a row, as a tuple, read in C."""
    if len(indexes) > 1:
        return itemgetter(*indexes)
    if indexes:
        only = indexes[0]
        return lambda row: (row[only],)
    return lambda row: ()


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
        self._ids = grouped[Kind.ID]
        self._texts = grouped[Kind.TEXT]
        self._times = grouped[Kind.TIME]
        self._money = grouped[Kind.MONEY]
        self._counts = grouped[Kind.COUNT]
        self._width = max(match.columns, default=-1) + 1
        self._money_cells = _cells_getter([index for index, _ in self._money])
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

    def read(self, row: Sequence[object], number: int) -> RowResult:
        """Reads one row; ``number`` is its row number in the sheet (1-based)."""
        if len(row) < self._width:  # short rows: trailing cells left empty
            row = [*row, *([None] * (self._width - len(row)))]
        problems: list[CellProblem] = []
        ids: dict[Field, str] = {}
        lost: dict[Field, str] = {}
        for index, field in self._ids:
            value = row[index]
            if value is None or value == "":
                continue
            if value.__class__ is str and value.isdigit():  # the usual cell: no work
                ids[field] = value
                continue
            text, was_lost = read_id(value)
            if was_lost:
                lost[field] = text
            elif text:
                ids[field] = text
        texts = {}
        for index, field in self._texts:
            value = row[index]
            if value is not None and value != "":
                texts[field] = str(value).strip()
        currency = texts.get(_CURRENCY, "").upper() or self._default
        money = self._money_of(row, number, currency, problems)
        amounts, named = money[0], money[1]
        currency = currency or named
        if not ids and not lost and not amounts:
            return RowResult(None, tuple(problems), blank=not problems and not texts)
        if not currency:
            problems.append(CellProblem(number, -1, Field.CURRENCY, None, "no currency"))
            return RowResult(None, tuple(problems))
        times = self._read_times(row, number, problems)
        quantity = self._quantity(row, number, problems)
        line = self._line(ids, lost, texts, money, times, quantity, currency, number)
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
        self, row: Sequence[object], number: int, problems: list[CellProblem]
    ) -> dict[Field, datetime]:
        times: dict[Field, datetime] = {}
        cache = self._times_seen
        for index, field in self._times:
            value = row[index]
            if value is None or value == "":
                continue
            when = cache.get(value)
            if when is None:
                try:
                    when = read_time(value)
                except ValueError as error:
                    problems.append(CellProblem(number, index, field, value, str(error)))
                    continue
                if len(cache) >= _CACHE_LIMIT:
                    cache.clear()
                cache[value] = when
            times[field] = when
        return times

    def _quantity(
        self, row: Sequence[object], number: int, problems: list[CellProblem]
    ) -> int | None:
        for index, field in self._counts:
            value = row[index]
            if value is None or value == "":
                return None
            if value.__class__ is float and value.is_integer():
                return int(value)
            try:
                count = parse_amount(value).amount
            except MoneyTextError as error:
                problems.append(CellProblem(number, index, field, value, str(error)))
                return None
            if count != count.to_integral_value():
                problems.append(CellProblem(number, index, field, value, "not a whole number"))
                return None
            return int(count)
        return None

    def _line(
        self,
        ids: dict[Field, str],
        lost: dict[Field, str],
        texts: dict[Field, str],
        money: _Money,
        times: dict[Field, datetime],
        quantity: int | None,
        currency: str,
        number: int,
    ) -> SettlementLine:
        type_label = texts.get(_TYPE, "")
        order_id = ids.get(_ORDER_ID, "")
        has_order = bool(order_id or _ORDER_ID in lost)
        kind = self._kinds.get((type_label, has_order))
        if kind is None:
            kind = self._kinds.setdefault(
                (type_label, has_order), line_kind(type_label, has_order, self._kind)
            )
        adjustment_id = ids.get(_ADJUSTMENT_ID, "")
        if kind in _OWN_ID_KINDS and not adjustment_id:
            if kind is LineKind.RESERVE:
                adjustment_id = ids.get(_RESERVE_ID, "")
            if not adjustment_id:
                # "Order/adjustment ID" holds the adjustment's own id on its rows.
                adjustment_id, order_id = order_id, ids.get(_RELATED, "")
        amounts, _, parts, settlement, flags = money
        if lost:
            flags += tuple(LineFlag(Check.LOST_DIGITS, f, text=t) for f, t in lost.items())
        # Positional: a named tuple is built several times faster this way.
        return SettlementLine(
            kind,
            type_label,
            order_id,
            adjustment_id,
            ids.get(_SKU_ID, ""),
            currency,
            settlement,
            parts,
            amounts,
            ids.get(_STATEMENT_ID, ""),
            ids.get(_PAYMENT_ID, ""),
            texts.get(_SELLER_SKU, ""),
            ids.get(_LINE_ID, ""),
            quantity,
            times.get(_CREATED),
            times.get(_SETTLED),
            lost or None,
            flags,
            self._source,
            number,
        )
