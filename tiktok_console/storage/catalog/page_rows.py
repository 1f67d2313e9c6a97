"""What the Catalog page lists: one light row per product, read fast (no Shopify JSON).

50,000 products must open in well under a second, so the read selects only
the columns shown and builds plain tuples into frozen rows; the detail pane
reads the one product it shows with ``listings.listing``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from tiktok_console.storage.catalog.listings import EXCLUDED, NEW, QUEUED
from tiktok_console.storage.catalog.tables import CatalogProductRow
from tiktok_console.storage.fields import UtcDateTimeField

_TIME = UtcDateTimeField()


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
    """The page's score: products ready or on TikTok without a blocking problem."""

    score: int
    total: int
    by_state: dict[str, int]


def catalog_rows() -> list[CatalogRow]:
    """Every product, light."""
    c = CatalogProductRow
    query = c.select(
        c.shopify_product_id, c.title, c.state, c.tiktok_product_id, c.problems, c.queued_until,
        c.priority, c.excluded, c.notice, c.audit_reasons,
    ).tuples()  # fmt: skip
    return [_row(cast(tuple[Any, ...], values)) for values in query]


def _row(values: tuple[Any, ...]) -> CatalogRow:
    pid, title, state, tiktok_id, problems, until, priority, excluded, notice, audit = values
    found: list[dict[str, Any]] = json.loads(problems) if problems != "[]" else []
    blocking = [p for p in found if p["blocking"]]
    first = (blocking or found or [{"message": ""}])[0]["message"]
    reasons: list[str] = json.loads(audit) if audit != "[]" else []
    shown = EXCLUDED if excluded else (QUEUED if state == NEW else state)
    return CatalogRow(
        product_id=str(pid),
        title=str(title),
        state=str(shown),
        tiktok_product_id=str(tiktok_id),
        blocking=len(blocking),
        warnings=len(found) - len(blocking),
        first_problem=str(first),
        problems_text=" · ".join(p["message"] for p in found),
        queued_until=_TIME.python_value(until) if until else None,
        priority=int(priority),
        excluded=bool(excluded),
        notice=str(notice),
        audit_reasons=" ".join(reasons),
    )


def catalog_health(rows: list[CatalogRow]) -> CatalogHealth:
    """The score over products on the channel: clean counts 1, warnings only ½, blocked 0."""
    counted = [r for r in rows if not r.excluded]
    by_state: dict[str, int] = {}
    for row in rows:
        by_state[row.state] = by_state.get(row.state, 0) + 1
    if not counted:
        return CatalogHealth(100, 0, by_state)
    points = sum(
        0.0 if r.blocking or r.state == "failed_audit" else (0.5 if r.warnings else 1.0)
        for r in counted
    )
    return CatalogHealth(round(100 * points / len(counted)), len(counted), by_state)
