"""Catalog benchmarks: one edited product → a constant number of calls; the page opens fast.

The Catalog page with 50,000 products opens in <= 300 ms (its first screenful,
those needing a fix first; the rest follows off the GUI thread).

Seeds 50,000 products (a tenth blocked, a third with warnings, some queued)
and opens the page the way the sidebar does (its read runs as long work, off
the GUI thread): timed from refresh to the first screenful painted.
"""

from __future__ import annotations

import json
import statistics
import time
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import httpx
import pytest
from PySide6.QtWidgets import QApplication

from tests.sync.conftest import START, Connected, connected, profile, sandbox
from tests.sync.test_catalog_job import _job, _set_price
from tiktok_console.core.settings import Settings
from tiktok_console.sandbox.world import WorldOptions
from tiktok_console.storage.bulk import bulk_insert
from tiktok_console.storage.catalog import listings
from tiktok_console.storage.catalog.page_rows import catalog_rows
from tiktok_console.storage.catalog.tables import CatalogProductRow
from tiktok_console.storage.database import open_database
from tiktok_console.ui.bridge import Bridge
from tiktok_console.ui.error_reporter import ErrorReporter
from tiktok_console.ui.operations import LongWork
from tiktok_console.ui.page_context import NoEngine, PageContext
from tiktok_console.ui.pages.catalog import CatalogPage

__all__ = ["connected", "profile", "sandbox"]  # the sync tests' fixtures, used here

PRODUCTS = 50_000
GOAL_MS = 300
NOW = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)
_BLOCKING = {"code": "12052181", "field": "package_weight", "blocking": True,
             "message": "Variant “M” has no weight.", "fix": "Enter its weight in Shopify.",
             "fix_in": "shopify", "variant_id": "v", "suggestion": ""}  # fmt: skip
_WARNING = {**_BLOCKING, "code": "images_few", "blocking": False,
            "message": "2 usable image(s); TikTok recommends at least 5."}  # fmt: skip


def _problems(n: int) -> str:
    found = ([_BLOCKING] if n % 10 == 0 else []) + ([_WARNING] if n % 3 == 0 else [])
    return json.dumps(found)


def seed(count: int) -> None:
    states = ("live", "live", "pending_audit", "failed_audit", "queued")
    bulk_insert(CatalogProductRow, (
        {"shopify_product_id": f"gid://shopify/Product/{n}", "title": f"Cotton Tee {n}",
         "shopify_status": "ACTIVE", "shopify_updated_at": "2026-03-01T00:00:00Z",
         "state": "blocked" if n % 10 == 0 else states[n % 5],
         "tiktok_product_id": f"17{n:016d}" if n % 10 else "", "problems": _problems(n),
         "queued_until": NOW + timedelta(days=n % 7) if n % 5 == 4 else None,
         "dirty": False, "updated_at": NOW}
        for n in range(count)
    ))  # fmt: skip


def test_catalog_page_opens_50k_products_fast(qtbot, tmp_path: Path) -> None:
    database = open_database(tmp_path / "db.sqlite3")
    seed(PRODUCTS)
    reporter = ErrorReporter()
    work = LongWork(reporter.report)
    context = PageContext(Bridge(), work, NoEngine(), Settings(), lambda: None, reporter)
    page = CatalogPage(context)
    qtbot.addWidget(page)
    page.resize(1280, 800)
    page.show()
    QApplication.processEvents()
    opens, fulls, queries = [], [], []
    for _ in range(5):
        page.products.set_rows([])
        started = time.perf_counter()
        page.refresh()
        qtbot.waitUntil(lambda: page.products.rowCount() > 0, timeout=10_000)
        page.repaint()
        opens.append((time.perf_counter() - started) * 1000)
        qtbot.waitUntil(lambda: page.products.rowCount() == PRODUCTS and work.idle, timeout=20_000)
        fulls.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        catalog_rows()
        queries.append((time.perf_counter() - started) * 1000)
    print(
        f"\nCatalog page, {PRODUCTS:,} products: open (read + model + first paint) median "
        f"{statistics.median(opens):.0f} ms, best {min(opens):.0f} ms (goal <= {GOAL_MS} ms); "
        f"every product shown after median {statistics.median(fulls):.0f} ms; "
        f"the full read alone: median {statistics.median(queries):.0f} ms"
    )
    work.shutdown()
    database.close()
    assert statistics.median(opens) <= GOAL_MS


# -- one edited product → a constant number of calls, whatever the catalog's size -------------

_CALLS: dict[int, int] = {}


@pytest.fixture(params=[20, 80])
def world_options(request: pytest.FixtureRequest) -> WorldOptions:
    return WorldOptions(
        seed=7, products=request.param, orders=0, orders_per_minute=0, index_lag_seconds=0.5,
        clock_start=START, shopify_plan="plus", unlisted_share=0.3, daily_listing_cap=10_000,
    )  # fmt: skip


async def test_one_edited_product_costs_a_constant_number_of_calls(
    connected: Connected, world_options: WorldOptions
) -> None:
    job = _job(connected)
    await job.run_once()
    connected.sandbox.world.advance(700)  # review ends
    await job.run_once()
    entry = next(e for e in listings.all_listings() if e.state == listings.LIVE and not e.blocking)
    variant = entry.payload["variants"]["nodes"][0]
    await _set_price(connected, entry.shopify_product_id, variant["id"], Decimal("12.34"))
    connected.sandbox.world.advance(5)
    seen: list[str] = []
    audits: list[str] = []

    async def hook(request: httpx.Request) -> None:
        # Audit reads (Get Product of listings in review) scale with the listings in
        # review, not with the edit: counted apart.
        if request.method == "GET" and "/product/202309/products/" in request.url.path:
            audits.append(request.url.path)
        else:
            seen.append(request.url.path)

    connected.http.event_hooks["request"].append(hook)
    await job.run_once()
    _CALLS[world_options.products] = len(seen)
    print(f"\nCatalog, {world_options.products} products: one price edit took {len(seen)} calls "
          f"{sorted(set(seen))}, besides {len(audits)} audit reads")  # fmt: skip
    assert sum("/prices/update" in path for path in seen) == 1
    if len(_CALLS) == 2:
        assert len(set(_CALLS.values())) == 1, _CALLS
