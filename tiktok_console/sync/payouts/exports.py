"""Exports for the accountant: one summary per statement, and every line in detail (CSV, XLSX).

A statement's summary is its revenue, each fee, shipping, taxes, refunds,
adjustments, the reserve held and the net settled; lines an export gave
without a statement id are grouped by the day they settled.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font

from tiktok_console.domain.settlement_fields import (
    FEE_PARTS,
    REVENUE_PARTS,
    SHIPPING_PARTS,
    TAX_PARTS,
    Field,
)
from tiktok_console.domain.settlement_lines import LineKind, SettlementLine
from tiktok_console.storage.payouts import finance
from tiktok_console.storage.payouts.lines import load_lines

ZERO = Decimal(0)
_SALE = (Field.SUBTOTAL_BEFORE_DISCOUNTS, Field.SELLER_DISCOUNTS, Field.REVENUE)
_REFUNDS = (Field.REFUND_SUBTOTAL, Field.SELLER_DISCOUNT_REFUND)
SUMMARY_HEADERS = (
    "Statement", "Statement time", "Currency", "Revenue",
    *(f.value.replace("_", " ").capitalize() for f in FEE_PARTS),
    "Shipping", "Taxes", "Refunds", "Adjustments", "Reserve", "Net settlement",
)  # fmt: skip
_DETAIL_FIELDS = (*REVENUE_PARTS, *FEE_PARTS, *SHIPPING_PARTS, *TAX_PARTS, Field.ADJUSTMENT_AMOUNT)
DETAIL_HEADERS = (
    "Statement", "Settled", "Kind", "Type", "Order", "Adjustment", "SKU", "Currency",
    "Settlement", *(f.value for f in _DETAIL_FIELDS), "Source",
)  # fmt: skip


def summary_rows(lines: Sequence[SettlementLine] | None = None) -> list[list[object]]:
    """One row per statement (money as Decimal), oldest first."""
    found = list(load_lines().lines if lines is None else lines)
    known = {s.statement_id: s for s in finance.statements()}
    groups: dict[str, list[SettlementLine]] = defaultdict(list)
    for line in found:
        groups[_statement_of(line)].append(line)
    rows = []
    for statement_id, members in groups.items():
        record = known.get(statement_id)
        when = record.statement_time.isoformat() if record else ""
        sums: dict[Field, Decimal] = defaultdict(lambda: ZERO)
        refunds = adjustments = reserve = net = ZERO
        for line in members:
            if line.kind is LineKind.RESERVE:
                reserve += line.amounts.get(Field.RESERVE_AMOUNT, line.settlement)
                continue
            net += line.settlement
            if line.kind is LineKind.ADJUSTMENT:
                adjustments += line.settlement
                continue
            for field, value in line.parts.items():
                sums[field] += value
            refunds += sum((line.parts.get(f, ZERO) for f in _REFUNDS), ZERO)
        if record is not None and record.reserve_amount is not None and not reserve:
            reserve = record.reserve_amount
        revenue = sum((sums[f] for f in _SALE), ZERO)
        shipping = sum((sums[f] for f in (*SHIPPING_PARTS, Field.SHIPPING)), ZERO)
        taxes = sum((sums[f] for f in (*TAX_PARTS, Field.TAXES)), ZERO)
        currency = members[0].currency
        rows.append([
            statement_id, when, currency, revenue, *(sums[f] for f in FEE_PARTS),
            shipping, taxes, refunds, adjustments + sums[Field.ADJUSTMENT_AMOUNT], reserve, net,
        ])  # fmt: skip
    return sorted(rows, key=lambda r: (str(r[1]), str(r[0])))


def detail_rows(lines: Sequence[SettlementLine] | None = None) -> list[list[object]]:
    """Every line (each settlement once), by statement."""
    found = list(load_lines().lines if lines is None else lines)
    rows: list[list[object]] = [
        [
            _statement_of(line),
            line.settled_time.isoformat() if line.settled_time else "",
            line.kind.value,
            line.type_label,
            line.order_id,
            line.adjustment_id,
            line.sku_id,
            line.currency,
            line.settlement,
            *(line.amounts.get(f, "") for f in _DETAIL_FIELDS),
            line.source,
        ]
        for line in found
    ]
    return sorted(rows, key=lambda r: (str(r[0]), str(r[4]), str(r[6])))


def write_csv(path: Path, headers: Sequence[str], rows: Sequence[Sequence[object]]) -> int:
    """Writes one table as CSV (money as plain decimals); returns the rows written."""
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(headers)
        writer.writerows([["" if v is None else str(v) for v in row] for row in rows])
    return len(rows)


def write_xlsx(path: Path) -> tuple[int, int]:
    """Writes a workbook with a Summary sheet and a Lines sheet; returns both counts."""
    lines = load_lines().lines
    summary, detail = summary_rows(lines), detail_rows(lines)
    book = Workbook()
    first = book.active
    assert first is not None  # a new workbook has one sheet
    first.title = "Summary"
    _fill(first, SUMMARY_HEADERS, summary)
    _fill(book.create_sheet("Lines"), DETAIL_HEADERS, detail)
    book.save(path)
    return len(summary), len(detail)


def _fill(sheet: object, headers: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
    append = sheet.append  # type: ignore[attr-defined]
    append(list(headers))
    for row in rows:
        append(list(row))  # openpyxl writes a Decimal as an exact number
    for cell in sheet[1]:  # type: ignore[index]
        cell.font = Font(bold=True)


def _statement_of(line: SettlementLine) -> str:
    if line.statement_id:
        return line.statement_id
    return f"settled {line.settled_time.date().isoformat()}" if line.settled_time else "(none)"
