"""What an import of a settlement export found, for the merchant and for tests.

Nothing an export holds is dropped without a word: columns nobody knows,
the explanation row, ids a spreadsheet rounded, cells that are not amounts,
lines that appear twice. The Summary sheet's totals are compared with the
sum of the lines, so a file that imports to other totals than it states says so.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from openpyxl.utils import get_column_letter

from tiktok_console.domain.money_text import MoneyTextError, is_blank, parse_amount
from tiktok_console.domain.settlement_fields import FEE_PARTS, REVENUE_PARTS, Field
from tiktok_console.domain.settlement_headers import aliases, normalize
from tiktok_console.domain.settlement_lines import LineKind, SettlementLine
from tiktok_console.domain.settlement_merge import Conflict

# Summary labels beyond the column names (Assumption: as Seller Center words them).
SUMMARY_LABELS = {
    "net settlement amount": Field.SETTLEMENT,
    "total settlement": Field.SETTLEMENT,
    "total reserve amount": Field.RESERVE_AMOUNT,
    "total adjustment amount": Field.ADJUSTMENT_AMOUNT,
    "total adjustments": Field.ADJUSTMENT_AMOUNT,
    "total shipping cost": Field.SHIPPING,
}


class SettlementReadError(Exception):
    """The file is not a settlement export that can be read; the message says why."""


class SettlementReadCancelled(Exception):
    """The merchant cancelled the import; nothing of it should be kept."""


@dataclass(frozen=True)
class SettlementFile:
    """The lines of an export (each settlement once) and what the import found."""

    lines: tuple[SettlementLine, ...]
    report: ReadReport


@dataclass(frozen=True)
class CellIssue:
    """A cell that could not be read: where it is and why."""

    sheet: str
    row: int
    column: str
    value: object
    message: str


@dataclass(frozen=True)
class LostDigits:
    """An id a spreadsheet turned into scientific notation."""

    sheet: str
    row: int
    column: str
    shown: str


@dataclass(frozen=True)
class SheetReport:
    """One sheet: its region's names, the columns nobody knows, what it held."""

    name: str
    region: str
    header_row: int
    unknown_columns: tuple[str, ...]
    duplicate_columns: tuple[str, ...]
    explanation_row: int | None
    rows: int
    lines: int
    blank_rows: int


@dataclass(frozen=True)
class ReadReport:
    """Everything an import found besides the lines."""

    path: str
    engine: str
    sheets: tuple[SheetReport, ...]
    other_sheets: tuple[str, ...] = ()
    cells: tuple[CellIssue, ...] = ()
    lost_digits: tuple[LostDigits, ...] = ()
    duplicate_lines: int = 0
    conflicts: tuple[Conflict, ...] = ()
    summary: dict[Field, Decimal] = field(default_factory=dict)
    totals: dict[Field, Decimal] = field(default_factory=dict)

    @property
    def unknown_columns(self) -> tuple[str, ...]:
        """Every column no alias table knows, sheet by sheet."""
        return tuple(c for s in self.sheets for c in s.unknown_columns)

    @property
    def summary_mismatches(self) -> dict[Field, Decimal]:
        """Summary totals the lines do not add up to: stated minus summed."""
        return {
            f: stated - self.totals.get(f, Decimal(0))
            for f, stated in self.summary.items()
            if f in self.totals and stated != self.totals[f]
        }


def column_label(headers: Sequence[object], index: int) -> str:
    """Where a column is, for the merchant: its letter and header ("K (Transaction fee)")."""
    if index < 0:
        return ""
    header = headers[index] if index < len(headers) else None
    return (
        f"{get_column_letter(index + 1)} ({str(header).strip()})"
        if header
        else get_column_letter(index + 1)
    )


def line_totals(lines: Iterable[SettlementLine]) -> dict[Field, Decimal]:
    """What the lines add up to, as a Summary sheet states it (reserves apart)."""
    settlement = revenue = fees = adjustments = reserve = Decimal(0)
    reserve_kind, adjustment_kind = LineKind.RESERVE, LineKind.ADJUSTMENT
    revenue_field, fees_field = Field.REVENUE, Field.FEES
    for line in lines:
        kind = line.kind
        if kind is reserve_kind:
            reserve += line.amounts.get(Field.RESERVE_AMOUNT, line.settlement)
            continue
        settlement += line.settlement
        if kind is adjustment_kind:
            adjustments += line.settlement
        stated = line.amounts.get(revenue_field)
        revenue += stated if stated is not None else _group_total(line, revenue_field)
        stated = line.amounts.get(fees_field)
        fees += stated if stated is not None else _group_total(line, fees_field)
    return {
        Field.SETTLEMENT: settlement,
        Field.REVENUE: revenue,
        Field.FEES: fees,
        Field.ADJUSTMENT_AMOUNT: adjustments,
        Field.RESERVE_AMOUNT: reserve,
    }


_GROUP_PARTS = {Field.REVENUE: frozenset(REVENUE_PARTS), Field.FEES: frozenset(FEE_PARTS)}


def _group_total(line: SettlementLine, group: Field) -> Decimal:
    """The sum of the line's parts of ``group``, for a line that states no total."""
    members = _GROUP_PARTS[group]
    return sum((v for f, v in line.parts.items() if f in members or f is group), Decimal(0))


def read_summary(rows: Sequence[Sequence[object]], currency: str | None) -> dict[Field, Decimal]:
    """The totals a Summary sheet states, whether laid out as label/value pairs or as a table."""
    table = {**aliases("US"), **SUMMARY_LABELS}
    found: dict[Field, Decimal] = {}
    for row in rows:  # label in one cell, its amount in the next filled one
        cells = [c for c in row if not is_blank(c)]
        if len(cells) >= 2 and isinstance(cells[0], str):
            target = table.get(normalize(cells[0])[0])
            amount = _amount(cells[1], currency)
            if target is not None and amount is not None:
                found.setdefault(target, amount)
    if found or len(rows) < 2:
        return found
    for index, header in enumerate(rows[0]):  # a header row over one row of totals
        target = table.get(normalize(header)[0]) if not is_blank(header) else None
        amount = _amount(rows[1][index], currency) if index < len(rows[1]) else None
        if target is not None and amount is not None:
            found.setdefault(target, amount)
    return found


def _amount(value: object, currency: str | None) -> Decimal | None:
    try:
        return parse_amount(value, currency).amount
    except MoneyTextError:
        return None
