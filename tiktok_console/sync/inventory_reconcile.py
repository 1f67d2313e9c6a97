"""The inventory safety net: read everything from both stores, correct every difference.

On a schedule (and on "Sync now") it reads every TikTok product with its SKUs'
warehouse quantities and every Shopify variant's stock through one bulk
operation, both at once; maps TikTok SKUs to Shopify variants by seller SKU
the way orders do (so stock works for SKUs no order has touched); then
computes every target and pushes the ones TikTok does not show, reporting the
drift it corrected. A bulk read is a snapshot from when it started: it never
replaces a newer read the fast path stored meanwhile.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any, TypeVar

import httpx

from tiktok_console.domain.sku_matching import SkuMatcher, sku_index
from tiktok_console.storage.accounts import record_call
from tiktok_console.storage.activity import record_activity
from tiktok_console.storage.catalog import save_mapping
from tiktok_console.storage.database import db
from tiktok_console.storage.inventory import (
    ShopifyStock,
    TikTokSkuRead,
    sku_ids_by_product,
    unmapped_skus,
    upsert_shopify_stock,
    upsert_tiktok_skus,
)
from tiktok_console.stores.shopify.bulk import BulkRunner
from tiktok_console.stores.shopify.transport import ShopifyTransport
from tiktok_console.stores.tiktok.api import TikTokShopApi
from tiktok_console.stores.tiktok.models.products import ProductSummary
from tiktok_console.sync.engine import Outcome
from tiktok_console.sync.inventory_push import PushResult, StockPusher

log = logging.getLogger(__name__)

T = TypeVar("T")

JOB = "inventory_reconcile"
TOPICS = frozenset({"inventory", "activity"})
PUSH_CHUNK = 500  # SKUs per turn at the pusher (about ten seconds of TikTok calls at most)

# Every variant with its stock per location; levels come back as their own JSONL lines.
BULK_STOCK = """
{
  productVariants {
    edges {
      node {
        id
        sku
        updatedAt
        inventoryItem {
          id
          inventoryLevels {
            edges {
              node {
                location { id }
                quantities(names: ["available"]) { name quantity }
              }
            }
          }
        }
      }
    }
  }
}
"""


class InventoryReconcileJob:
    """Full reconciliation of TikTok stock against Shopify.

    Args:
        tiktok: the TikTok client.
        shopify: the Shopify client.
        pusher: computes and pushes (shared with the fast path).
        http: for downloading bulk results (no store token is sent there).
        now: the clock of TikTok reads.
        bulk_poll: seconds between bulk-operation status checks.
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
    ) -> None:
        self._tiktok = tiktok
        self._shopify = shopify
        self._pusher = pusher
        self._bulk = BulkRunner(shopify, http, poll_interval=bulk_poll)
        self._now = now
        self.timings: dict[str, float] = {}  # seconds per phase of the last run

    @property
    def interval(self) -> float:
        """Seconds between full reconciliations (the settings' minutes)."""
        return self._pusher.settings.reconcile_minutes * 60

    async def run_once(self) -> Outcome:
        clock = time.monotonic
        started = clock()
        (skus, tiktok_s), (variants, shopify_s) = await asyncio.gather(
            _timed(self._read_tiktok()), _timed(self._read_shopify())
        )
        mapped = await asyncio.to_thread(_automap, variants)
        mapped_at = clock()
        result = await self._push_all()
        self.timings = {
            "read TikTok": tiktok_s, "read Shopify": shopify_s,
            "map": mapped_at - started - max(tiktok_s, shopify_s), "push": clock() - mapped_at,
        }  # fmt: skip
        if result.error is not None:
            raise result.error
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
        return Outcome(caught_up=not result.stale, changed=TOPICS, summary=summary)

    async def _push_all(self) -> PushResult:
        """Push every SKU, a chunk of whole products at a time.

        The pusher's lock is let go between chunks, so the fast path's changes
        still reach TikTok within seconds while a large catalog is reconciled.
        """
        total = PushResult()
        for chunk in sku_ids_by_product(PUSH_CHUNK):
            part = await self._pusher.push(chunk, "reconcile")
            total.computed += part.computed
            total.pushed += part.pushed
            total.failed += part.failed
            total.drift_units += part.drift_units
            total.stale |= part.stale
            total.error = total.error or part.error
        return total

    async def _read_tiktok(self) -> int:
        """Store every TikTok SKU with its warehouse quantities; returns how many."""
        read_at = datetime.now(UTC)
        batch: list[TikTokSkuRead] = []
        count = 0
        async for product in self._tiktok.search_products(page_size=100):
            batch.extend(_sku_reads(product))
            if len(batch) >= 1000:
                count += await asyncio.to_thread(upsert_tiktok_skus, batch, read_at)
                batch = []
        count += await asyncio.to_thread(upsert_tiktok_skus, batch, read_at)
        record_call("tiktok", datetime.now(UTC))
        return count

    async def _read_shopify(self) -> dict[str, str]:
        """Store every variant's stock from one bulk operation; returns variant id -> SKU."""
        await self._read_locations()
        read_at = datetime.now(UTC)  # the bulk snapshot is taken after this
        variants: dict[str, dict[str, Any]] = {}
        levels: dict[str, dict[str, int]] = {}
        async for line in self._bulk.run(BULK_STOCK):
            if "__parentId" in line:  # a level on its own line, as Shopify flattens connections
                _add_level(levels.setdefault(line["__parentId"], {}), line)
            elif str(line.get("id", "")).startswith("gid://shopify/ProductVariant/"):
                variants[line["id"]] = line
                # Levels may also come inline, under the item (the sandbox answers so).
                inline = (line.get("inventoryItem") or {}).get("inventoryLevels") or {}
                for edge in inline.get("edges") or []:
                    _add_level(levels.setdefault(line["id"], {}), edge["node"])
        stocks = [_stock(node, levels.get(vid, {}), read_at) for vid, node in variants.items()]
        await asyncio.to_thread(_store, stocks)
        record_call("shopify", datetime.now(UTC))
        return {vid: str(node.get("sku") or "") for vid, node in variants.items()}

    async def _read_locations(self) -> None:
        """Which locations are active (stock at the others is not for sale)."""
        active: set[str] = set()
        async for node in self._shopify.paginate("Locations", ("locations",), page_size=50):
            if node.get("isActive", True):
                active.add(str(node["id"]))
        self._pusher.active_locations = active


async def _timed(work: Awaitable[T]) -> tuple[T, float]:
    started = time.monotonic()
    result = await work
    return result, time.monotonic() - started


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


def _add_level(levels: dict[str, int], node: dict[str, Any]) -> None:
    quantities = {q["name"]: int(q["quantity"]) for q in node.get("quantities") or []}
    levels[node["location"]["id"]] = quantities.get("available", 0)


def _stock(node: dict[str, Any], levels: dict[str, int], read_at: datetime) -> ShopifyStock:
    updated = node.get("updatedAt")
    return ShopifyStock(
        inventory_item_id=str((node.get("inventoryItem") or {}).get("id") or ""),
        variant_id=str(node["id"]),
        locations=levels,
        store_updated_at=(
            datetime.fromisoformat(updated.replace("Z", "+00:00")) if updated else None
        ),
        read_at=read_at,
    )


def _store(stocks: list[ShopifyStock]) -> None:
    with db.atomic():
        upsert_shopify_stock([s for s in stocks if s.inventory_item_id])


def _automap(variants: dict[str, str]) -> int:
    """Map TikTok SKUs with no Shopify variant by seller SKU, where certain; returns how many."""
    waiting = unmapped_skus()
    if not waiting:
        return 0
    matcher = SkuMatcher(sku_index(variants.items()))
    mapped = 0
    with db.atomic():
        for sku_id, seller_sku in waiting.items():
            match = matcher.match(seller_sku)
            if match is not None:
                save_mapping(sku_id, seller_sku, match.variant_id, match.source)
                mapped += 1
    return mapped
