"""Importing Seller Center settlement exports: read, compare with what is stored, keep, reconcile.

Every file is read first (with progress and cancel); only then is anything
written, in one transaction, so a cancelled import leaves nothing behind.
Lines are stored under their dedupe key as source ``import``: the same file
again rewrites the same rows, and a settlement the API already gave is
counted once (merged on read). A line whose money differs from the stored
copy is reported as a conflict and shown on the page, never summed.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

from tiktok_console.core.settings import PayoutSettings
from tiktok_console.domain.settlement_headers import REGION_OF_COUNTRY
from tiktok_console.domain.settlement_lines import LineKind, SettlementLine
from tiktok_console.domain.settlement_merge import Conflict, merge_lines
from tiktok_console.storage.database import db
from tiktok_console.storage.payouts import finance
from tiktok_console.storage.payouts.lines import load_lines, store_lines
from tiktok_console.sync.payouts.reconciling import RefreshSummary, refresh_results
from tiktok_console.sync.payouts.settlement_reader import (
    CancelCheck,
    Progress,
    read_settlement,
)
from tiktok_console.sync.payouts.settlement_report import ReadReport, SettlementFile


@dataclass(frozen=True)
class FileImport:
    """One file: what the reader found, and how its lines met the stored ones."""

    path: str
    report: ReadReport
    lines: int
    added: int
    already_known: int
    conflicts: tuple[Conflict, ...]


@dataclass(frozen=True)
class ImportResult:
    """Every file of an import, and the reconciliation after it."""

    files: tuple[FileImport, ...]
    summary: RefreshSummary


def import_settlements(
    paths: Sequence[str | Path],
    *,
    region: str = "US",
    currency: str | None = None,
    progress: Progress | None = None,
    cancelled: CancelCheck | None = None,
    rates: PayoutSettings | None = None,
) -> ImportResult:
    """Imports the exports, then reconciles.

    Raises:
        SettlementReadError: a file cannot be read (nothing is stored).
        SettlementReadCancelled: ``cancelled`` said so (nothing is stored).
    """
    read: list[SettlementFile] = []
    for index, path in enumerate(paths):
        step = _step(progress, index, len(paths))
        read.append(
            read_settlement(
                path, currency=currency, progress=step, cancelled=cancelled,
                prefer=REGION_OF_COUNTRY.get(region.upper(), region.upper()),
            )
        )  # fmt: skip
    known = list(load_lines().lines)
    files: list[FileImport] = []
    with db.atomic():
        for path, found in zip(paths, read, strict=True):
            merged = merge_lines(known, found.lines)
            known = list(merged.lines)
            origin = Path(path).name
            payloads = [json.dumps({"file": origin, "row": line.row}) for line in found.lines]
            store_lines(found.lines, "import", origin, payloads)
            _store_statements(found.lines)
            files.append(
                FileImport(
                    str(path), found.report, len(found.lines), merged.added,
                    merged.duplicates, merged.conflicts,
                )
            )  # fmt: skip
    if progress is not None:
        progress(1, 1, "reconciling")
    return ImportResult(tuple(files), refresh_results(region, rates))


def _step(progress: Progress | None, index: int, count: int) -> Progress | None:
    """Progress of one file as a share of all files (scaled to 1,000 steps per file)."""
    if progress is None:
        return None

    def report(done: int, total: int, what: str) -> None:
        share = done / total if total else 1.0
        progress(int((index + share) * 1000), count * 1000, what)

    return report


def _store_statements(lines: Sequence[SettlementLine]) -> None:
    """The statements the lines name: new ones with the export's totals."""
    totals: dict[str, Decimal] = defaultdict(Decimal)
    latest: dict[str, datetime] = {}
    meta: dict[str, tuple[str, str]] = {}
    for line in lines:
        if not line.statement_id:
            continue
        if line.kind is not LineKind.RESERVE:
            totals[line.statement_id] += line.settlement
        when = line.settled_time or datetime.now(UTC)
        latest[line.statement_id] = max(latest.get(line.statement_id, when), when)
        meta.setdefault(line.statement_id, (line.currency, line.payment_id))
    for statement_id, total in totals.items():
        currency, payment_id = meta[statement_id]
        finance.store_imported_statement(
            statement_id, latest[statement_id], currency, total, payment_id
        )
