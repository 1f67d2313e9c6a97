"""What the Catalog page lists: one light row per product, read fast (no Shopify JSON).

50,000 products must open in well under a second, so the read selects only
the columns shown and builds plain tuples into frozen rows; the detail pane
reads the one product it shows with ``listings.listing``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from tiktok_console.storage.catalog.listings import EXCLUDED
from tiktok_console.storage.database import db


@dataclass(frozen=True)
class CatalogRow:
    """One product on the Catalog page."""

    product_id: str
    title: str
    state: str
    tiktok_product_id: str
    blocking: int
    warnings: int
    first_problem: str
    problems_text: str  # every problem's message, for search and CSV
    queued_until: datetime | None
    priority: int
    excluded: bool
    notice: str
    audit_reasons: str


@dataclass(frozen=True)
class CatalogHealth:
    """The page's score: products ready or on TikTok without a blocking problem.

    ``score`` is None until a product was checked: nothing checked is not "all healthy".
    """

    score: int | None
    total: int
    by_state: dict[str, int]


_SQL = (
    "SELECT shopify_product_id, title, state, tiktok_product_id, problems, queued_until,"
    " priority, excluded, notice, audit_reasons FROM catalog_product_row"
)


def catalog_rows(first: int | None = None) -> list[CatalogRow]:
    """Every product, light: raw rows, and each distinct problems text parsed once.

    With ``first``, only that many, those needing a fix first: what the page
    shows at once while the rest is read.
    """
    parsed: dict[str, tuple[int, int, str, str]] = {}
    if first is None:
        return [_row(values, parsed) for values in db.execute_sql(_SQL).fetchall()]
    # Through the state index, no sort: the blocked and failed, then any others.
    fix = db.execute_sql(f"{_SQL} WHERE state IN ('blocked', 'failed_audit') LIMIT ?", (first,))
    rows = [_row(values, parsed) for values in fix.fetchall()]
    if len(rows) < first:
        rest = db.execute_sql(
            f"{_SQL} WHERE state NOT IN ('blocked', 'failed_audit') LIMIT ?", (first - len(rows),)
        )
        rows += [_row(values, parsed) for values in rest.fetchall()]
    return rows


def _row(values: tuple[Any, ...], parsed: dict[str, tuple[int, int, str, str]]) -> CatalogRow:
    pid, title, state, tiktok_id, problems, until, priority, excluded, notice, audit = values
    summary = parsed.get(problems)
    if summary is None:
        summary = parsed[problems] = _summary(problems)
    shown = EXCLUDED if excluded else state
    reasons = "" if audit == "[]" else " ".join(json.loads(audit))
    until_at = datetime.fromisoformat(until).astimezone(UTC) if until else None
    blocking, warnings, first, text = summary
    return CatalogRow(
        pid, title, shown, tiktok_id, blocking, warnings, first, text, until_at, priority,
        bool(excluded), notice, reasons,
    )  # fmt: skip


def _summary(problems: str) -> tuple[int, int, str, str]:
    found: list[dict[str, Any]] = json.loads(problems) if problems != "[]" else []
    blocking = [p for p in found if p["blocking"]]
    first = (blocking or found or [{"message": ""}])[0]["message"]
    text = " · ".join(p["message"] for p in found)
    return len(blocking), len(found) - len(blocking), str(first), text


def catalog_health(rows: list[CatalogRow]) -> CatalogHealth:
    """The score over products on the channel: clean counts 1, warnings only ¾, blocked 0."""
    counted = [r for r in rows if not r.excluded and r.state != "new"]  # "new": not checked
    by_state: dict[str, int] = {}
    for row in rows:
        by_state[row.state] = by_state.get(row.state, 0) + 1
    if not counted:
        return CatalogHealth(None, 0, by_state)
    points = sum(
        0.0 if r.blocking or r.state == "failed_audit" else (0.75 if r.warnings else 1.0)
        for r in counted
    )
    return CatalogHealth(round(100 * points / len(counted)), len(counted), by_state)
