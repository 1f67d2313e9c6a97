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
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

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


@dataclass(frozen=True, slots=True)
class RowResult:
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
        self._layout = match.layout
        hints = set(match.currencies.values())
        self._default = hints.pop() if len(hints) == 1 else currency
        self._source = source
        self._kind = kind
        self._cache: dict[object, tuple[Decimal, str | None]] = {}

    def read(self, row: Sequence[object], number: int) -> RowResult:
        """Reads one row; ``number`` is its row number in the sheet (1-based)."""
        width = len(row)
        problems: list[CellProblem] = []
        ids: dict[Field, str] = {}
        lost: dict[Field, str] = {}
        for index, field in self._ids:
            value = row[index] if index < width else None
            if value is None or value == "":
                continue
            text, was_lost = read_id(value)
            if was_lost:
                lost[field] = text
            elif text:
                ids[field] = text
        texts = {}
        for index, field in self._texts:
            value = row[index] if index < width else None
            if value is not None and value != "":
                texts[field] = str(value).strip()
        currency = texts.get(Field.CURRENCY, "").upper() or self._default
        amounts, named = self._amounts(row, number, currency, problems)
        currency = currency or named
        if not ids and not lost and not amounts:
            return RowResult(None, tuple(problems), blank=not problems and not texts)
        if not currency:
            problems.append(CellProblem(number, -1, Field.CURRENCY, None, "no currency"))
            return RowResult(None, tuple(problems))
        times = self._read_times(row, number, problems)
        quantity = self._quantity(row, number, problems)
        return RowResult(
            self._line(ids, lost, texts, amounts, times, quantity, currency, number),
            tuple(problems),
        )

    def _amounts(
        self, row: Sequence[object], number: int, currency: str | None, problems: list[CellProblem]
    ) -> tuple[dict[Field, Decimal], str | None]:
        width = len(row)
        cache = self._cache
        amounts: dict[Field, Decimal] = {}
        named: str | None = None
        for index, field in self._money:
            value = row[index] if index < width else None
            if value is None or value == "" or value.__class__ is bool:
                continue
            hit = cache.get(value)
            if hit is None:
                try:
                    parsed = parse_amount(value, currency)
                except MoneyTextError as error:
                    problems.append(CellProblem(number, index, field, value, str(error)))
                    continue
                hit = (parsed.amount, parsed.currency)
                if len(cache) >= _CACHE_LIMIT:
                    cache.clear()
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
        for index, field in self._times:
            value = row[index] if index < len(row) else None
            if value is None or value == "":
                continue
            try:
                times[field] = read_time(value)
            except ValueError as error:
                problems.append(CellProblem(number, index, field, value, str(error)))
        return times

    def _quantity(
        self, row: Sequence[object], number: int, problems: list[CellProblem]
    ) -> int | None:
        for index, field in self._counts:
            value = row[index] if index < len(row) else None
            if value is None or value == "":
                return None
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
        amounts: dict[Field, Decimal],
        times: dict[Field, datetime],
        quantity: int | None,
        currency: str,
        number: int,
    ) -> SettlementLine:
        type_label = texts.get(Field.TYPE, "")
        order_id = ids.get(Field.ORDER_ID, "")
        kind = line_kind(type_label, bool(order_id or Field.ORDER_ID in lost), self._kind)
        adjustment_id = ids.get(Field.ADJUSTMENT_ID, "")
        if kind is LineKind.RESERVE and not adjustment_id:
            adjustment_id = ids.get(Field.RESERVE_ID, "")
        if kind in (LineKind.ADJUSTMENT, LineKind.RESERVE) and not adjustment_id:
            # "Order/adjustment ID" holds the adjustment's own id on its rows.
            adjustment_id, order_id = order_id, ids.get(Field.RELATED_ORDER_ID, "")
        parts, summed, flags = resolve_parts(amounts, self._layout)
        stated = amounts.get(Field.SETTLEMENT)
        if stated is not None and parts and stated != summed:
            flags.append(LineFlag(Check.SUM, Field.SETTLEMENT, stated - summed))
        flags.extend(LineFlag(Check.LOST_DIGITS, f, text=t) for f, t in lost.items())
        created, settled = times.get(Field.ORDER_CREATED), times.get(Field.SETTLED_TIME)
        return SettlementLine(
            kind=kind,
            type_label=type_label,
            order_id=order_id,
            adjustment_id=adjustment_id,
            sku_id=ids.get(Field.SKU_ID, ""),
            currency=currency,
            settlement=summed if stated is None else stated,
            parts=parts,
            amounts=amounts,
            statement_id=ids.get(Field.STATEMENT_ID, ""),
            payment_id=ids.get(Field.PAYMENT_ID, ""),
            seller_sku=texts.get(Field.SELLER_SKU, ""),
            order_line_id=ids.get(Field.ORDER_LINE_ID, ""),
            quantity=quantity,
            order_created=created,
            settled_time=settled,
            lost_ids=lost or None,
            flags=tuple(flags),
            source=self._source,
            row=number,
        )
