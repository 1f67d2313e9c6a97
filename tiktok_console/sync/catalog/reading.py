"""The catalog's reads: Shopify's products, and TikTok's audit results pulled back.

The first read takes the whole catalog in one bulk operation (every variant of
every product, for a few calls and no query points); later reads take the
products changed since the cursor (``updatedAt``) in pages, and a product with
more variants than a page holds has the rest read before it is stored, so a
listing is never built from part of a product.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from tiktok_console.storage.catalog import listings as store
from tiktok_console.storage.database import db
from tiktok_console.storage.jobs import load_cursor, save_cursor
from tiktok_console.stores.shopify.bulk import BulkRunner
from tiktok_console.stores.shopify.catalog_replies import (
    CatalogProductReply,
    product_json,
    products_from_bulk,
    products_page,
    remaining_variants,
)
from tiktok_console.stores.shopify.transport import ShopifyTransport
from tiktok_console.stores.tiktok.api import TikTokShopApi

CURSOR = "catalog"
BULK_QUERY = "CatalogProducts"
OVERLAP = timedelta(minutes=2)  # Shopify's updated_at filter is not transactional
STORE_BATCH = 500  # products stored per transaction after a bulk read
STATUS_STATES = {
    "ACTIVATE": store.LIVE,
    "PENDING": store.PENDING_AUDIT,
    "DRAFT": store.PENDING_AUDIT,
    "FAILED": store.FAILED_AUDIT,
}


@dataclass(frozen=True)
class ReadConfig:
    """How Shopify is read."""

    page_size: int = 3  # query cost: 3 products × (9 images + 50 variants) stays under 1,000
    # A page costs hundreds of Shopify points: the pause between pages lets the orders and
    # stock jobs (other tasks of the engine) spend the bucket too.
    page_pause: float = 2.0
    bulk_poll: float = 1.0


class ShopifyProducts:
    """Pulls Shopify's products into the catalog's rows; returns how many changed."""

    def __init__(
        self,
        shopify: ShopifyTransport,
        http: httpx.AsyncClient,
        config: ReadConfig,
        now: Callable[[], datetime],
    ) -> None:
        self._shopify = shopify
        self._bulk = BulkRunner(shopify, http, poll_interval=config.bulk_poll)
        self._config = config
        self._now = now

    async def pull(self) -> int:
        """Products changed since the last read (every active one the first time)."""
        cursor = load_cursor(CURSOR)
        if not cursor:
            return await self._pull_all()
        since = datetime.fromisoformat(cursor) - OVERLAP
        return await self._pull_pages(cursor, f"updated_at:>='{since.astimezone(UTC).isoformat()}'")

    async def _pull_all(self) -> int:
        lines = [line async for line in self._bulk.run(BULK_QUERY, "status:active")]
        products = await asyncio.to_thread(products_from_bulk, lines)
        changed = 0
        for start in range(0, len(products), STORE_BATCH):
            chunk = products[start : start + STORE_BATCH]
            with db.atomic():
                changed += store.store_pulled([product_json(p) for p in chunk], self._now())
        newest = max((p.updatedAt for p in products), default="")
        if newest:  # nothing active yet: the next run reads everything again
            save_cursor(CURSOR, newest)
        return changed

    async def _pull_pages(self, cursor: str, query: str) -> int:
        after: str | None = None
        changed = 0
        newest = cursor
        while True:
            page = await products_page(self._shopify, self._config.page_size, after, query)
            nodes = [await self._whole(p) for p in page.products.nodes]
            newest = max([newest, *(n["updatedAt"] for n in nodes)], default=newest)
            with db.atomic():
                changed += store.store_pulled(nodes, self._now())
                save_cursor(CURSOR, newest)
            if not page.products.pageInfo.hasNextPage:
                return changed
            after = page.products.pageInfo.endCursor
            await asyncio.sleep(self._config.page_pause)

    async def _whole(self, product: CatalogProductReply) -> dict[str, Any]:
        """The product with every variant, reading those past the page's first 50."""
        raw = product_json(product)
        more = product.variants.pageInfo
        if more is not None and more.hasNextPage and more.endCursor:
            rest = await remaining_variants(self._shopify, product.id, more.endCursor)
            raw["variants"]["nodes"].extend(v.model_dump() for v in rest)
        return raw


async def pull_audits(tiktok: TikTokShopApi, now: Callable[[], datetime]) -> int:
    """TikTok's verdict on listings in review: live, or failed with its reasons."""
    finished = 0
    for entry in store.listings_in_review():
        detail = await tiktok.get_product(entry.tiktok_product_id)
        state = STATUS_STATES.get(detail.status, store.LIVE)
        if state == store.PENDING_AUDIT:
            continue
        reasons = [
            text
            for reason in detail.audit_failed_reasons
            for text in (*reason.reasons, *reason.suggestions)
        ]
        store.save_outcome(
            entry.shopify_product_id, now(), state=state, problems=entry.problems,
            tiktok_status=detail.status, audit_reasons=reasons,
            dirty=entry.dirty,  # a change pulled meanwhile is still to be handled
        )  # fmt: skip
        finished += 1
    return finished
