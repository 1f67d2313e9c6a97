"""The inventory safety net: read everything from both stores, correct every difference.

On a schedule (and on "Sync now") it reads every TikTok product with its SKUs'
warehouse quantities and, at the same time, every Shopify variant's SKU through
a light bulk operation; maps TikTok SKUs to Shopify variants by seller SKU the
way orders do (so stock works for SKUs no order has touched, and only where the
whole catalog shows the match is certain). The bulk read is Shopify's own word
on every SKU as of its start; the variants created or changed since then are
asked for once (one ``updated_at`` search, usually empty), so a SKU another
variant took meanwhile never maps by itself, without one question per SKU (a
first run has ten thousand to map). As soon as the SKUs are in (TikTok may
still be read) it reads Shopify stock in slices of variant ids, one bulk
operation each, and pushes a product's targets as soon as the slices holding
its variants are in, so pushing (the long part, at TikTok's rate limit)
overlaps reading; it reports the drift it corrected. A
bulk read counts from when it started: it never replaces a newer read the fast
path stored meanwhile.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

import httpx

from tiktok_console.domain.sku_matching import SkuMatcher, sku_index
from tiktok_console.storage.accounts import record_call
from tiktok_console.storage.activity import record_activity
from tiktok_console.storage.database import db
from tiktok_console.storage.inventory.stock import (
    ShopifyStock,
    TikTokSkuRead,
    products_missing_barcodes,
    save_auto_mappings,
    save_barcodes,
    skus_with_variants,
    unmapped_skus,
    upsert_shopify_stock,
    upsert_tiktok_skus,
)
from tiktok_console.stores.errors import StoreError
from tiktok_console.stores.shopify.bulk import BulkRunner
from tiktok_console.stores.shopify.replies import VariantsChangedSince
from tiktok_console.stores.shopify.replies.bulk_lines import (
    StockLevelLine,
    StockVariantLine,
    VariantSkuLine,
    is_variant,
    parse_line,
)
from tiktok_console.stores.shopify.transport import ShopifyTransport
from tiktok_console.stores.tiktok.api import TikTokShopApi
from tiktok_console.stores.tiktok.models.products import ProductSummary
from tiktok_console.sync.engine import MAPPINGS, Outcome
from tiktok_console.sync.inventory.push import PushResult, StockPusher
from tiktok_console.sync.inventory.tiktok_read import read_products
from tiktok_console.sync.locations import read_locations

log = logging.getLogger(__name__)

T = TypeVar("T")

JOB = "inventory_reconcile"
TOPICS = frozenset({"inventory", "activity"})
PUSH_CHUNK = 500  # SKUs per turn at the pusher (about ten seconds of TikTok calls at most)
BARCODE_PRODUCTS = 50  # product reads per run for the barcodes of unmapped SKUs
SLICE_VARIANTS = 2000  # variants per bulk read of stock: the first slice's pushes start sooner
# Shopify's updated_at search is not transactional and its index lags writes: ask for the
# variants changed since a little before the bulk read began.
CHANGED_OVERLAP = timedelta(minutes=2)


class InventoryReconcileJob:
    """Full reconciliation of TikTok stock against Shopify.

    Args:
        tiktok: the TikTok client.
        shopify: the Shopify client.
        pusher: computes and pushes (shared with the fast path).
        http: for downloading bulk results (no store token is sent there).
        now: the clock of TikTok reads.
        bulk_poll: seconds between bulk-operation status checks.
        slice_variants: variants per bulk read of stock.
    """

    name = JOB

    def __init__(
        self,
        tiktok: TikTokShopApi,
        shopify: ShopifyTransport,
        pusher: StockPusher,
        http: httpx.AsyncClient,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
        bulk_poll: float = 1.0,
        slice_variants: int = SLICE_VARIANTS,
    ) -> None:
        self._tiktok = tiktok
        self._shopify = shopify
        self._pusher = pusher
        self._bulk = BulkRunner(shopify, http, poll_interval=bulk_poll)
        self._now = now
        self._slice_variants = slice_variants
        self.timings: dict[str, float] = {}  # seconds per phase of the last run
        self._map_steps: dict[str, float] = {}

    @property
    def interval(self) -> float:
        """Seconds between full reconciliations (the settings' minutes)."""
        return self._pusher.settings.reconcile_minutes * 60

    async def _automap(self, variants: dict[str, str], read_from: datetime) -> int:
        """Map TikTok SKUs with no Shopify variant by seller SKU, where Shopify's catalogue
        (the bulk read begun at ``read_from``, and what changed since) holds the match as
        the only variant with that SKU; returns how many."""
        steps: dict[str, float] = {}
        with _step(steps, "map: SKUs to map, and what Shopify changed"):
            waiting, changed = await asyncio.gather(
                asyncio.to_thread(unmapped_skus),
                self._changed_since(read_from - CHANGED_OVERLAP),
            )
        with _step(steps, "map: matching"):
            found = await asyncio.to_thread(_candidates, waiting, {**variants, **changed})
        with _step(steps, "map: saving"):
            await asyncio.to_thread(save_auto_mappings, found)
        self._map_steps = steps
        return len(found)

    async def _changed_since(self, since: datetime) -> dict[str, str]:
        """Variant id -> SKU of the variants Shopify created or changed since ``since``."""
        stamp = since.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        changed: dict[str, str] = {}
        async for node in self._shopify.paginate(
            VariantsChangedSince,
            lambda reply: reply.product_variants,
            {"query": f"updated_at:>='{stamp}'"},
            page_size=250,
        ):
            changed[node.id] = node.sku or ""
        return changed

    async def run_once(self) -> Outcome:
        clock = time.monotonic
        started = clock()
        skus_from = self._now()  # Shopify's SKUs are read as of (about) now
        slices: asyncio.Queue[set[str] | None] = asyncio.Queue()
        tiktok = asyncio.create_task(_timed(self._read_tiktok()))
        tasks: list[asyncio.Task[Any]] = [tiktok]
        try:
            variants, shopify_s = await _timed(self._read_variant_skus())
            # Stock is read from here on, while TikTok may still be read: the first slice
            # is in (or nearly) by the time the SKUs are mapped and the pushes can start.
            ranges = _id_ranges(variants, self._slice_variants)
            reader = asyncio.create_task(_timed(self._read_stock(ranges, slices)))
            tasks.append(reader)
            skus, tiktok_s = await tiktok
            mapped = await self._automap(variants, skus_from)
            mapped_at = clock()
            result = await self._push_as_read(slices, reader)
            _, stock_s = await reader
        except BaseException:
            for task in tasks:  # only still running if something else failed
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            raise
        self.timings = {
            "read TikTok": tiktok_s, "read Shopify SKUs": shopify_s,
            "map": mapped_at - started - max(tiktok_s, shopify_s),
            "read Shopify stock (from the SKUs, overlapping push)": stock_s,
            "push": clock() - mapped_at,
        }  # fmt: skip
        self.timings.update(self._map_steps)
        if result.error is not None:
            raise result.error
        await self._read_barcodes()  # after the push: stock first
        summary = (
            f"Reconciled {result.computed:,} SKUs: corrected {result.pushed:,} "
            f"(drift {result.drift_units:,} units)"
        )
        if mapped:
            summary += f"; mapped {mapped:,} new SKU(s) by seller SKU"
        if result.failed:
            summary += f"; {result.failed:,} refused by TikTok"
        record_activity(JOB, "reconcile", summary, level="warning" if result.failed else "info")
        log.info("%s (%d TikTok SKUs read, %d Shopify variants)", summary, skus, len(variants))
        changed = TOPICS | {MAPPINGS} if mapped else TOPICS
        return Outcome(caught_up=not result.stale, changed=changed, summary=summary)

    async def _push_as_read(
        self, slices: asyncio.Queue[set[str] | None], reader: asyncio.Task[Any]
    ) -> PushResult:
        """Push every SKU, a product once the stock of all its variants is in.

        Products go a chunk of whole products at a time: the pusher's lock is let
        go between chunks, so the fast path's changes still reach TikTok within
        seconds while a large catalog is reconciled. Products whose variants no
        slice returned (unmapped, or gone from Shopify) go last, with the stock
        known then; if reading failed they are not pushed at all.
        """
        waiting: dict[str, list[tuple[str, str]]] = {}
        for sku_id, product_id, variant_id in await asyncio.to_thread(skus_with_variants):
            waiting.setdefault(product_id, []).append((sku_id, variant_id))
        read: set[str] = set()
        total = PushResult()
        ended = False
        while not ended:
            parts = [await slices.get()]
            while not slices.empty():  # slices that came in while the last ones were pushed
                parts.append(slices.get_nowait())
            ended = None in parts
            read.update(*(part for part in parts if part is not None))
            ready = [
                product_id
                for product_id, items in waiting.items()
                if all(variant_id in read for _, variant_id in items if variant_id)
            ]
            await self._push_products(ready, waiting, total)
        await asyncio.wait([reader])  # it announced its end: only returning is left
        if reader.exception() is None:
            await self._push_products(list(waiting), waiting, total)
        return total

    async def _push_products(
        self, product_ids: list[str], waiting: dict[str, list[tuple[str, str]]], total: PushResult
    ) -> None:
        """Push the products' SKUs in chunks of about ``PUSH_CHUNK`` SKUs, whole products."""
        chunk: list[str] = []
        for product_id in product_ids:
            chunk.extend(sku_id for sku_id, _ in waiting.pop(product_id))
            if len(chunk) >= PUSH_CHUNK:
                _add(total, await self._pusher.push(chunk, "reconcile"))
                chunk = []
        if chunk:
            _add(total, await self._pusher.push(chunk, "reconcile"))

    async def _read_tiktok(self) -> int:
        """Store every TikTok SKU with its warehouse quantities; returns how many.

        Pages come in from several create-time windows at once; a writer stores them
        a thousand SKUs at a time, so no read waits for the database.
        """
        read_at = self._now()  # the clock pushes are recorded with, to tell which is newer
        pages: asyncio.Queue[list[ProductSummary] | None] = asyncio.Queue()
        writer = asyncio.create_task(_store_tiktok(pages, read_at))
        try:
            await read_products(self._tiktok, pages.put_nowait, self._now())
        except BaseException:
            writer.cancel()
            await asyncio.gather(writer, return_exceptions=True)
            raise
        pages.put_nowait(None)
        count = await writer
        record_call("tiktok", datetime.now(UTC))
        return count

    async def _read_barcodes(self) -> None:
        """The identifier codes of SKUs still unmapped: Search Products does not list them.

        One product read each, a bounded number per run, never again once read:
        the Orphan orders page suggests the Shopify variant with the same barcode.
        """
        products = await asyncio.to_thread(products_missing_barcodes, BARCODE_PRODUCTS)
        for product_id in products:
            try:
                detail = await self._tiktok.get_product(product_id)
            except StoreError as error:  # only suggestions wait for it: next run
                log.warning("Barcodes of TikTok product %s not read: %s", product_id, error)
                return
            codes = {sku.id: (sku.identifier_code.code if sku.identifier_code else "")
                     for sku in detail.skus}  # fmt: skip
            await asyncio.to_thread(save_barcodes, codes)

    async def _read_variant_skus(self) -> dict[str, str]:
        """Active locations, then every variant's SKU; returns variant id -> SKU."""
        await self._read_locations()
        skus: dict[str, str] = {}
        async for line in self._bulk.run("VariantSkus"):
            if is_variant(line):
                variant = parse_line(VariantSkuLine, line, "VariantSkus")
                skus[variant.id] = variant.sku or ""
        return skus

    async def _read_stock(
        self, ranges: list[tuple[int | None, int | None]], slices: asyncio.Queue[set[str] | None]
    ) -> None:
        """Store every variant's stock, one bulk operation per id range, announcing each.

        ``None`` on the queue says reading ended (the task's outcome says how).
        """
        try:
            for low, high in ranges:
                slices.put_nowait(await self._read_stock_slice(low, high))
            record_call("shopify", datetime.now(UTC))
        finally:
            slices.put_nowait(None)

    async def _read_stock_slice(self, low: int | None, high: int | None) -> set[str]:
        """Store the stock of the variants with ids in (low, high]; returns their ids."""
        read_at = datetime.now(UTC)  # the bulk read is taken after this
        variants: dict[str, StockVariantLine] = {}
        levels: dict[str, dict[str, int]] = {}
        async for line in self._bulk.run("VariantStock", _id_filter(low, high)):
            if "__parentId" in line:  # a level on its own line, as Shopify flattens connections
                level = parse_line(StockLevelLine, line, "VariantStock")
                levels.setdefault(level.parent_id, {})[level.location.id] = level.named("available")
            elif is_variant(line):
                variant = parse_line(StockVariantLine, line, "VariantStock")
                variants[variant.id] = variant
                # Levels may also come inline, under the item (the sandbox answers so).
                item = variant.inventory_item
                inline = item.inventory_levels if item is not None else None
                for edge in inline.edges if inline is not None else []:
                    levels.setdefault(variant.id, {})[edge.node.location.id] = edge.node.named(
                        "available"
                    )
        stocks = [_stock(node, levels.get(vid, {}), read_at) for vid, node in variants.items()]
        await asyncio.to_thread(_store, stocks)
        return set(variants)

    async def _read_locations(self) -> None:
        """Which locations are active (stock at the others is not for sale)."""
        listed = await read_locations(self._shopify)  # also keeps their names for the pages
        self._pusher.active_locations = {loc.location_id for loc in listed if loc.is_active}


async def _timed(work: Awaitable[T]) -> tuple[T, float]:
    started = time.monotonic()
    result = await work
    return result, time.monotonic() - started


def _add(total: PushResult, part: PushResult) -> None:
    total.computed += part.computed
    total.pushed += part.pushed
    total.failed += part.failed
    total.drift_units += part.drift_units
    total.stale |= part.stale
    total.error = total.error or part.error


def _id_ranges(variants: dict[str, str], size: int) -> list[tuple[int | None, int | None]]:
    """Variant id ranges (low, high] of about ``size`` variants each, open at both ends.

    Open ends catch variants created after the SKU read; with one range the stock
    read has no filter at all (nothing waits for Shopify's search index).
    """
    ids = sorted(int(vid.rsplit("/", 1)[-1]) for vid in variants)
    cuts: list[int | None] = list(ids[size - 1 :: size][: -1 if len(ids) % size == 0 else None])
    bounds = [None, *cuts, None]
    return list(itertools.pairwise(bounds))


def _id_filter(low: int | None, high: int | None) -> str:
    """Variant ids in (low, high], in Shopify's search syntax ("" for all)."""
    terms = ([f"id:>{low}"] if low is not None else []) + (
        [f"id:<={high}"] if high is not None else []
    )
    return " ".join(terms)


async def _store_tiktok(pages: asyncio.Queue[list[ProductSummary] | None], at: datetime) -> int:
    """Store the SKUs of every page put on ``pages`` until ``None``; returns how many."""
    batch: list[TikTokSkuRead] = []
    count = 0
    ended = False
    while not ended:
        products = await pages.get()
        ended = products is None
        batch.extend(read for product in products or [] for read in _sku_reads(product))
        if len(batch) >= 1000 or ended:
            count += await asyncio.to_thread(upsert_tiktok_skus, batch, at)
            batch = []
    return count


def _sku_reads(product: ProductSummary) -> list[TikTokSkuRead]:
    return [
        TikTokSkuRead(
            sku_id=sku.id,
            product_id=product.id,
            seller_sku=sku.seller_sku,
            title=product.title,
            product_status=product.status,
            warehouses=tuple((w.warehouse_id, w.quantity) for w in sku.inventory),
        )
        for sku in product.skus
    ]


def _stock(node: StockVariantLine, levels: dict[str, int], read_at: datetime) -> ShopifyStock:
    return ShopifyStock(
        inventory_item_id=node.inventory_item.id if node.inventory_item is not None else "",
        variant_id=node.id,
        locations=levels,
        store_updated_at=node.updated_at,
        read_at=read_at,
    )


def _store(stocks: list[ShopifyStock]) -> None:
    with db.atomic():
        upsert_shopify_stock([s for s in stocks if s.inventory_item_id])


def _candidates(
    waiting: dict[str, str], variants: dict[str, str]
) -> list[tuple[str, str, str, str]]:
    """The ``waiting`` TikTok SKUs (id -> seller SKU) that match one variant by seller SKU
    in ``variants`` (id -> SKU): (sku id, seller SKU, variant id, source)."""
    if not waiting:
        return []
    matcher = SkuMatcher(sku_index((vid, sku) for vid, sku in variants.items()))
    found: list[tuple[str, str, str, str]] = []
    for sku_id, seller_sku in waiting.items():
        match = matcher.match(seller_sku)
        if match is not None:
            found.append((sku_id, match.seller_sku, match.variant_id, match.source))
    return found


@contextmanager
def _step(steps: dict[str, float], name: str) -> Iterator[None]:
    started = time.monotonic()
    try:
        yield
    finally:
        steps[name] = time.monotonic() - started
