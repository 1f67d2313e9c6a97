"""Catalog benchmarks: the initial push ÷ its rate-limit bound; one edited product → a constant
number of calls; the page opens fast.

The Catalog page with 50,000 products opens in <= 300 ms (its first screenful,
those needing a fix first; the rest follows off the GUI thread).

Seeds 50,000 products (a tenth blocked, a third with warnings, some queued)
and opens the page the way the sidebar does (its read runs as long work, off
the GUI thread): timed from refresh to the first screenful painted.
"""

from __future__ import annotations

import json
import os
import statistics
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import httpx
import pytest
from PySide6.QtWidgets import QApplication

from tests.benchmarks.waiting import (
    TimedTransport,
    Waits,
    engine_waits,
    store_ports,
    timed_sqlite_and_limiters,
)
from tests.sandbox.sandbox_process import SandboxProcess
from tests.sync.conftest import START, Connected, connected, profile, sandbox
from tests.sync.test_catalog_job import _job, _set_price
from tiktok_console.core.logs import SecretRedactor
from tiktok_console.core.paths import AppPaths
from tiktok_console.core.settings import Settings
from tiktok_console.profile import open_profile
from tiktok_console.sandbox.world import WorldOptions
from tiktok_console.storage.bulk import bulk_insert
from tiktok_console.storage.catalog import listings
from tiktok_console.storage.catalog.page_rows import catalog_rows
from tiktok_console.storage.catalog.tables import CatalogProductRow
from tiktok_console.storage.database import open_database
from tiktok_console.stores.tokens import InMemoryKeyring
from tiktok_console.sync.accounts import AccountService
from tiktok_console.sync.runtime import RuntimeOptions, build_engine
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


# -- the initial push of 5,000 SKUs ÷ the rate-limit bound -----------------------------------

# About 5,000 SKUs pushed: the world blocks ~40% of its products (2.3 SKUs pushed a product
# were measured at 1,500). Fewer (CATALOG_PUSH_PRODUCTS) only to try the benchmark out.
PUSH_PRODUCTS = int(os.environ.get("CATALOG_PUSH_PRODUCTS", "2200"))
TIKTOK_QPS = 50.0  # TikTok's published limit per API, per app and shop (the sandbox's default)


def _endpoint(request: httpx.Request) -> str:
    """``METHOD /path`` with ids taken out: TikTok counts its limit per API."""
    parts = request.url.path.split("/")
    path = "/".join("{id}" if p.isdigit() and len(p) > 6 else p for p in parts)
    return f"{request.method} {path}"


async def test_initial_push_of_5000_skus_against_the_rate_limits(tmp_path: Path) -> None:
    """The first push of a new shop's catalog ÷ the time the stores' published limits allow.
    Goal <= 1.15 (the cap lifted).

    The bound: TikTok allows 50 calls a second per API, so each API the push uses
    (image upload, Recommend Category, Check Product Listing, Create Product, …)
    needs its calls / 50 s, and they can run side by side: the bound is the
    slowest API's. Shopify needs its points / the plan's restore rate (the bulk
    read costs a few points). The sandbox runs in its own process, as the stores
    run on their own machines.
    """

    process = SandboxProcess(
        "--print-json", "--seed", "51", "--products", str(PUSH_PRODUCTS), "--orders", "0",
        "--orders-per-minute", "0", "--shopify-plan", "plus", "--unlisted-share", "1.0",
        "--daily-listing-cap", "100000", priority_boost=True,
    )  # fmt: skip
    calls: Counter[str] = Counter()

    async def count(request: httpx.Request) -> None:
        if request.url.port == tiktok_port:
            calls[_endpoint(request)] += 1

    try:
        info = process.info(timeout=300)
        tiktok_port = httpx.URL(info["tiktok"]["api_url"]).port
        waits = Waits()
        transport = TimedTransport(waits, store_ports(info))
        async with httpx.AsyncClient(
            timeout=60, transport=transport, event_hooks={"request": [count]}
        ) as http:
            profile = open_profile(AppPaths.for_profile(tmp_path / "p").ensure(), SecretRedactor())
            token_store = profile.token_store(InMemoryKeyring())
            await AccountService(token_store, http).connect_sandbox(info)
            options = RuntimeOptions(backoff_base=0.1, backoff_max=2.0, bulk_poll=0.25)
            engine = build_engine(
                profile.settings, token_store, http, options=options, only=["catalog"]
            )
            job = engine.runner("catalog").job
            shopify = job._shopify  # to count its points
            calls.clear()
            waits.reset()
            started = time.monotonic()
            with timed_sqlite_and_limiters(waits):
                results = await engine.run_until_caught_up(["catalog"])
            elapsed = time.monotonic() - started
            where = waits.report(elapsed, engine_waits(engine, "catalog"))
            assert not any(results.values()), results
            entries = listings.all_listings()
            pushed = [e for e in entries if e.state == listings.PENDING_AUDIT]
            skus = sum(len(e.sku_ids) for e in pushed)
            states = Counter(e.state for e in entries)
            points = shopify.bucket.spent
            restore = shopify.bucket.state.restore_rate
            profile.close()
    finally:
        process.kill()
    busiest, most = calls.most_common(1)[0]
    tiktok_bound = most / TIKTOK_QPS
    shopify_bound = points / restore
    bound = max(tiktok_bound, shopify_bound)
    ratio = elapsed / bound
    per_api = ", ".join(f"{name} {n:,}" for name, n in calls.most_common())
    print(
        f"\ninitial push: {skus:,} SKUs in {len(pushed):,} new listings ({dict(states)}) in "
        f"{elapsed:.1f} s.\nTikTok calls per API: {per_api}.\n"
        f"bound: TikTok's busiest API ({busiest}) {most:,} / {TIKTOK_QPS:.0f} qps = "
        f"{tiktok_bound:.1f} s; Shopify {points:.0f} points / {restore:.0f} pts/s = "
        f"{shopify_bound:.1f} s -> bound {bound:.1f} s; ratio {ratio:.2f} (goal <= 1.15)\n{where}"
    )
    assert skus >= 5000 or PUSH_PRODUCTS < 2200
    assert ratio <= 1.15
