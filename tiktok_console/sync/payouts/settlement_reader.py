"""Reads a Seller Center settlement export (XLSX or CSV) into settlement lines.

The only place the payouts flow opens a file. Workbooks are read with
python-calamine (about ten times faster than openpyxl on a 100,000-row
export); openpyxl is the fallback for a workbook calamine refuses. Rows are
streamed through the domain's ``RowReader`` with progress and a cancel check
between batches, so the long-work primitive can show and stop an import.
A file that is not an export raises ``SettlementReadError`` with a message
for the merchant; anything wrong inside one is reported, never dropped.
"""

from __future__ import annotations

import csv
import io
import itertools
import re
import zipfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException
from python_calamine import CalamineError, CalamineWorkbook

from tiktok_console.domain.settlement_fields import MONEY_FIELDS, Field
from tiktok_console.domain.settlement_headers import HeaderMatch, is_explanation_row, match_headers
from tiktok_console.domain.settlement_lines import LineKind, SettlementLine
from tiktok_console.domain.settlement_merge import merge_lines
from tiktok_console.domain.settlement_rows import RowReader
from tiktok_console.sync.gc_pause import collector_paused
from tiktok_console.sync.payouts.settlement_report import (
    CellIssue,
    LostDigits,
    ReadReport,
    SettlementFile,
    SettlementReadCancelled,
    SettlementReadError,
    SheetReport,
    column_label,
    line_totals,
    read_summary,
)

__all__ = ["SettlementFile", "SettlementReadCancelled", "SettlementReadError", "read_settlement"]

# The long-work primitive's shapes: (done, total, what is being done), and "stop?".
Progress = Callable[[int, int, str], None]
CancelCheck = Callable[[], bool]
Row = Sequence[object]
BATCH = 2000  # rows between progress reports and cancel checks
HEADER_SEARCH = 10  # exports may put a title or notes above the headers
# Sheet (normalised name) -> the kind of line a row with a blank Type is.
LINE_SHEETS: dict[str, LineKind | None] = {
    "order details": None,
    "adjustments": LineKind.ADJUSTMENT,
    "reserve details": LineKind.RESERVE,
}
SUMMARY_SHEET = "summary"
_IDENTITIES = frozenset({Field.ORDER_ID, Field.ADJUSTMENT_ID, Field.RESERVE_ID})
_AMOUNTS = frozenset(MONEY_FIELDS)  # a header row names at least one amount


@dataclass
class _Sheet:
    name: str
    height: int
    rows: Iterator[Row]
    first_row: int = 1


def read_settlement(
    path: str | Path,
    *,
    region: str | None = None,
    currency: str | None = None,
    progress: Progress | None = None,
    cancelled: CancelCheck | None = None,
    engine: str = "auto",
    prefer: str | None = None,
) -> SettlementFile:
    """Reads one export.

    Args:
        path: an .xlsx (sheets Order Details, Summary, Reserve Details,
            Adjustments) or a .csv of order details.
        region: the export's region ("US", "GB", "EU", "SEA", "LATAM");
            None picks, per sheet, the region that knows most of its headers.
        prefer: with no ``region``, the region that wins a tie (the shop's own:
            several regions know "TikTok Shop commission fee", and mean different fees).
        currency: the shop's currency, for rows that name none.
        progress: called with (rows done, rows in all, what) between batches.
        cancelled: asked between batches; True stops the import.
        engine: "auto" (calamine, then openpyxl), or one of them alone.

    Raises:
        SettlementReadError: not a readable workbook or CSV, or no settlement headers.
        SettlementReadCancelled: ``cancelled`` said so.
    """
    with collector_paused():  # 100,000s of small acyclic objects: see sync.gc_pause
        return _read(Path(path), (region, prefer), currency, progress, cancelled, engine)


def _read(
    source: Path,
    region: tuple[str | None, str | None],
    currency: str | None,
    progress: Progress | None,
    cancelled: CancelCheck | None,
    engine: str,
) -> SettlementFile:
    if not source.is_file():
        raise SettlementReadError(f"{source} is not a file")
    summary_rows: list[Row] = []
    others: list[str] = []
    if source.suffix.lower() in {".csv", ".txt"}:
        used, sheets = "csv", [_csv_sheet(source)]
    else:
        used, sheets, summary_rows, others = _workbook(source, engine)
        if not sheets:
            raise SettlementReadError(f"{source.name} has no sheet of settlement lines")
    total = sum(s.height for s in sheets)
    lines: list[SettlementLine] = []
    reports: list[SheetReport] = []
    cells: list[CellIssue] = []
    lost: list[LostDigits] = []
    done = 0
    for sheet in sheets:
        kind = LINE_SHEETS.get(_sheet_key(sheet.name))
        sheet_report, done = _read_sheet(
            sheet, kind, region, currency, (lines, cells, lost), (done, total, progress, cancelled)
        )
        reports.append(sheet_report)
    if progress is not None:
        progress(total, total, f"read {source.name}")
    merged = merge_lines([], lines)
    report = ReadReport(
        path=str(source),
        engine=used,
        sheets=tuple(reports),
        other_sheets=tuple(others),
        cells=tuple(cells),
        lost_digits=tuple(lost),
        duplicate_lines=merged.duplicates,
        conflicts=merged.conflicts,
        summary=read_summary(summary_rows, currency),
        totals=line_totals(merged.lines),
    )
    return SettlementFile(merged.lines, report)


def _read_sheet(
    sheet: _Sheet,
    kind: LineKind | None,
    region: tuple[str | None, str | None],
    currency: str | None,
    out: tuple[list[SettlementLine], list[CellIssue], list[LostDigits]],
    run: tuple[int, int, Progress | None, CancelCheck | None],
) -> tuple[SheetReport, int]:
    lines, cells, lost = out
    done, total, progress, cancelled = run
    header_row, headers, match = _find_headers(sheet, region)
    done += header_row - sheet.first_row + 1
    reader = RowReader(match, currency, kind=kind)
    explanation: int | None = None
    rows = blank = count = 0
    for number, row in enumerate(sheet.rows, start=header_row + 1):
        rows += 1
        if rows % BATCH == 0:
            if cancelled is not None and cancelled():
                raise SettlementReadCancelled(f"import of {sheet.name} cancelled at row {number}")
            if progress is not None:
                progress(done + rows, total, f"reading {sheet.name}")
        if rows == 1 and is_explanation_row(row, match):
            explanation = number
            continue
        result = reader.read(row, number)
        for problem in result.problems:
            column = column_label(headers, problem.column)
            cells.append(CellIssue(sheet.name, number, column, problem.value, problem.message))
        if result.line is None:
            blank += result.blank
            continue
        count += 1
        line = result.line
        if line.lost_ids:
            columns = {f: i for i, f in match.columns.items()}
            for field, shown in line.lost_ids.items():
                lost.append(
                    LostDigits(sheet.name, number, column_label(headers, columns[field]), shown)
                )
        lines.append(line)
    report = SheetReport(
        name=sheet.name,
        region=match.region,
        header_row=header_row,
        unknown_columns=match.unknown,
        duplicate_columns=match.duplicates,
        explanation_row=explanation,
        rows=rows,
        lines=count,
        blank_rows=blank,
    )
    return report, done + rows


def _find_headers(
    sheet: _Sheet, region: tuple[str | None, str | None]
) -> tuple[int, list[object], HeaderMatch]:
    """The first row (among the first few) that names settlement columns.

    ``region``: the export's region if known, and the region preferred in a tie.
    """
    seen: list[str] = []
    for number, row in enumerate(itertools.islice(sheet.rows, HEADER_SEARCH), sheet.first_row):
        headers = list(row)
        match = match_headers(headers, region[0], prefer=region[1])
        if match.fields & _IDENTITIES and match.fields & _AMOUNTS:
            return number, headers, match
        seen.append(", ".join(str(h) for h in headers[:6] if h not in (None, "")))
    shown = "; ".join(s for s in seen if s)[:300] or "nothing"
    raise SettlementReadError(
        f'No settlement columns in sheet "{sheet.name}" (an "Order/adjustment ID" column '
        f"and amounts were expected; found: {shown})"
    )


def _sheet_key(name: str) -> str:
    return re.sub(r"[\s_]+", " ", name).strip().lower()


def _workbook(path: Path, engine: str) -> tuple[str, list[_Sheet], list[Row], list[str]]:
    first: Exception | str = "not tried"
    if engine != "openpyxl":
        try:
            return ("calamine", *_calamine(path))
        except (CalamineError, OSError, ValueError, TypeError) as error:
            if engine == "calamine":
                raise SettlementReadError(
                    f"{path.name}: calamine cannot read it ({error})"
                ) from error
            first = error
    try:
        return ("openpyxl", *_openpyxl(path))
    except (InvalidFileException, zipfile.BadZipFile, OSError, KeyError, ValueError) as error:
        raise SettlementReadError(
            f"{path.name} is not a settlement export this app can read: not an Excel "
            f"workbook ({first}; {error}). Export it again from Seller Center as XLSX or CSV."
        ) from error


def _pick(names: list[str]) -> tuple[list[str], str | None, list[str]]:
    """The sheets holding lines (in workbook order), the Summary, and the rest."""
    wanted = [n for n in names if _sheet_key(n) in LINE_SHEETS]
    summary = next((n for n in names if _sheet_key(n) == SUMMARY_SHEET), None)
    if not wanted and names:
        wanted = [n for n in names if n != summary][:1]  # a one-sheet export of order details
    others = [n for n in names if n not in wanted and n != summary]
    return wanted, summary, others


def _calamine(path: Path) -> tuple[list[_Sheet], list[Row], list[str]]:
    book = CalamineWorkbook.from_path(path)
    wanted, summary, others = _pick(book.sheet_names)
    sheets = []
    for name in wanted:
        sheet = book.get_sheet_by_name(name)
        start = sheet.start[0] + 1 if sheet.start else 1
        sheets.append(_Sheet(name, sheet.height, iter(sheet.iter_rows()), start))
    summary_rows: list[Row] = []
    if summary is not None:
        summary_rows = list(book.get_sheet_by_name(summary).to_python())
    return sheets, summary_rows, others


def _openpyxl(path: Path) -> tuple[list[_Sheet], list[Row], list[str]]:
    book = load_workbook(path, read_only=True, data_only=True)
    wanted, summary, others = _pick(book.sheetnames)
    sheets = []
    for name in wanted:
        sheet = book[name]
        rows = sheet.iter_rows(values_only=True)
        sheets.append(_Sheet(name, sheet.max_row or 0, iter(rows), sheet.min_row or 1))
    summary_rows: list[Row] = []
    if summary is not None:
        summary_rows = [list(r) for r in book[summary].iter_rows(values_only=True)]
    return sheets, summary_rows, others


def _csv_sheet(path: Path) -> _Sheet:
    raw = path.read_bytes()
    if b"\0" in raw[:4096]:
        raise SettlementReadError(f"{path.name} is not a text CSV file (binary content)")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")  # Excel's "CSV" on Windows
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(text[:8192], ",;\t")
    except csv.Error:
        dialect = csv.excel
    height = text.count("\n") + (not text.endswith("\n"))
    return _Sheet(path.stem, height, csv.reader(io.StringIO(text, newline=""), dialect))
