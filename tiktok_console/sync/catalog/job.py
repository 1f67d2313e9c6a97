"""The catalog job: every active Shopify product on TikTok, checked first, pushed once.

Each run pulls the Shopify products changed since the cursor (``reading``),
resends creates whose outcome a crash left unknown, pulls back the audit of
listings in review, then handles every changed product (and queued ones whose
day came), several at a time, highest priority first:

- excluded (by the merchant, or no longer active in Shopify): its listing is
  deactivated, never deleted;
- on TikTok already (its seller SKUs found there): linked, never listed twice;
- new: the pre-flight health check, then TikTok's Check Product Listing, then
  Create Product through the journal (``creating``); beyond the daily cap it
  waits in a queue;
- listed: the smallest call that carries the change (``editing``).
Stock is left to the inventory job.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import httpx

from tiktok_console.domain.listing_health import Problem, check_product, is_blocked
from tiktok_console.domain.listing_product import ProductView
from tiktok_console.domain.listing_regions import RegionRules, region_rules
from tiktok_console.storage.catalog import listings as store
from tiktok_console.storage.catalog.listings import Listing, StoredProblem
from tiktok_console.stores.shopify.transport import ShopifyTransport
from tiktok_console.stores.tiktok.api import TikTokShopApi
from tiktok_console.stores.tiktok.catalog_api import CatalogApi
from tiktok_console.stores.tiktok.models.products import SearchProductsRequest
from tiktok_console.sync.catalog.building import ListingBuilder, Once
from tiktok_console.sync.catalog.creating import CatalogStats, Creation, Creator, DailyCap, Turns
from tiktok_console.sync.catalog.editing import LINKED_SOURCES, Editor
from tiktok_console.sync.catalog.fixes import VariantFix, write_fixes
from tiktok_console.sync.catalog.images import ImageCopier
from tiktok_console.sync.catalog.product_view import product_view
from tiktok_console.sync.catalog.queue import queue_eta
from tiktok_console.sync.catalog.reading import (
    STATUS_STATES,
    ReadConfig,
    ShopifyProducts,
    pull_audits,
)
from tiktok_console.sync.engine import Outcome

log = logging.getLogger(__name__)

NAME = "catalog"
TOPICS = frozenset({"catalog"})

__all__ = ["CatalogConfig", "CatalogJob", "CatalogStats"]


@dataclass(frozen=True)
class CatalogConfig:
    """The shop's region and the merchant's catalog settings."""

    region: str = "US"
    daily_cap: int = 100  # TikTok's cap for new sellers, until TikTok says otherwise
    page_size: int = 3
    page_pause: float = 2.0
    bulk_poll: float = 1.0
    # Products handled at once: enough that every TikTok API the push uses (image upload,
    # listing check, create) is kept at its rate limit while others wait on their replies.
    concurrency: int = 32


class CatalogJob:
    """Shopify products → TikTok listings."""

    name = NAME

    def __init__(
        self,
        tiktok: TikTokShopApi,
        shopify: ShopifyTransport,
        http: httpx.AsyncClient,
        config: CatalogConfig | None = None,
        *,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
        interval: float = 60.0,
    ) -> None:
        self._tiktok = tiktok
        self._shopify = shopify
        self._config = config = config or CatalogConfig()
        self._rules: RegionRules = region_rules(config.region)
        self._now = now
        self.interval = interval
        self.images = ImageCopier(tiktok, http)
        self.stats = CatalogStats()
        catalog = CatalogApi(tiktok.transport)
        self._products = ShopifyProducts(
            shopify, http, ReadConfig(config.page_size, config.page_pause, config.bulk_poll), now
        )
        self._builder = ListingBuilder(tiktok, catalog, self.images, self._rules)
        self._creator = Creator(catalog, DailyCap(config.region, config.daily_cap), self.stats, now)
        self._editor = Editor(catalog, self._builder, self.stats, now)
        self._tiktok_skus = Once(self._read_sku_index)  # seller SKU -> TikTok product id
        self._store_skus: dict[str, set[str]] = {}

    async def run_once(self) -> Outcome:
        pulled = await self._products.pull()
        await self._creator.resume()
        reviewed = await pull_audits(self._tiktok, self._now)
        self._creator.cap.full = False
        due = store.listings_to_handle(self._now())
        self._store_skus = store.other_skus() if due else {}  # once a run, not per product
        await self._handle_all(due)
        self._schedule_queue()
        changed = TOPICS if pulled or reviewed or due else frozenset()
        summary = f"{pulled} products pulled, {len(due)} handled, {reviewed} audits"
        return Outcome(caught_up=True, changed=changed, summary=summary)

    async def _handle_all(self, due: list[Listing]) -> None:
        """Handle ``due`` (in priority order) several at a time; creates go out in that order."""
        turns = Turns()
        waiting = list(enumerate(due))
        waiting.reverse()

        async def worker() -> None:
            while waiting:
                number, entry = waiting.pop()
                try:
                    await self._handle(entry, number, turns)
                finally:
                    await turns.pass_(number)

        try:
            async with asyncio.TaskGroup() as group:
                for _ in range(min(self._config.concurrency, len(due))):
                    group.create_task(worker())
        except ExceptionGroup as failed:
            # The engine handles a store's error by its type (reconnect, back off): the
            # first one is raised as itself; the other tasks were cancelled, their
            # writes left pending in the journal for the next run.
            raise _first(failed) from None

    # -- reading TikTok ------------------------------------------------------
    async def _read_sku_index(self) -> dict[str, str]:
        """Every seller SKU on TikTok with its product, read once per job."""
        index: dict[str, str] = {}
        async for product in self._tiktok.search_products(SearchProductsRequest(), page_size=100):
            for sku in product.skus:
                index.setdefault(sku.seller_sku, product.id)
        return index

    # -- handling one product ----------------------------------------------
    async def _handle(self, entry: Listing, number: int, turns: Turns) -> None:
        if entry.shopify_fixes:
            fixes = [_fix(raw) for raw in entry.shopify_fixes]
            await write_fixes(self._shopify, entry, fixes, self._now())
            return  # handled again with Shopify's new data at the next run
        if entry.excluded or entry.shopify_status != "ACTIVE":
            await self._exclude(entry)
            return
        bare = product_view(entry.payload, entry.overrides, self._rules.currency, None)
        category_id, category = await self._builder.category(entry, bare)
        view = product_view(entry.payload, entry.overrides, self._rules.currency, category)
        # Only this product's SKUs are looked up (the whole store's, per product, made a
        # first push quadratic: ~4 ms of CPU a product at 2,200 products).
        skus_elsewhere = {
            v.sku
            for v in view.variants
            if self._store_skus.get(v.sku, set()) - {entry.shopify_product_id}
        }
        problems = check_product(view, self._rules, skus_elsewhere)
        stored = tuple(_stored(p) for p in problems)
        if not entry.tiktok_product_id and await self._link(entry, view, stored, category_id):
            return
        if entry.tiktok_product_id and entry.state == store.EXCLUDED:
            entry = await self._include_again(entry)
        if is_blocked(problems):
            state = store.BLOCKED if not entry.tiktok_product_id else entry.state
            store.save_outcome(entry.shopify_product_id, self._now(), state=state,
                               problems=stored, category_id=category_id)  # fmt: skip
        elif entry.tiktok_product_id:
            await self._editor.edit(entry, view, stored, category_id)
        else:
            await self._create(Creation(entry, {}, stored, category_id), view, number, turns)

    async def _create(
        self, creation: Creation, view: ProductView, number: int, turns: Turns
    ) -> None:
        cap = self._creator.cap
        if cap.full:
            self._creator.queue(creation)
            return
        creation = Creation(
            creation.entry, await self._builder.body(view), creation.problems, creation.category
        )
        if not await self._creator.check(creation):
            return
        await turns.wait(number)  # creates go out in priority order: the cap takes the first
        allowed = cap.take(self._now())
        await turns.pass_(number)
        if not allowed:
            self._creator.queue(creation)
            return
        await self._creator.create(creation)

    async def _exclude(self, entry: Listing) -> None:
        status = entry.tiktok_status
        if entry.tiktok_product_id and status != "SELLER_DEACTIVATED":
            result = await self._tiktok.deactivate_products([entry.tiktok_product_id])
            # TikTok takes only listings on sale off sale; a draft or one in review stays.
            status = "SELLER_DEACTIVATED" if result.ok else status
        store.save_outcome(
            entry.shopify_product_id, self._now(), state=store.EXCLUDED,
            problems=entry.problems, tiktok_status=status,
        )  # fmt: skip

    async def _include_again(self, entry: Listing) -> Listing:
        """Put a listing the merchant excluded back on sale (TikTok reviews it again)."""
        if entry.tiktok_status == "SELLER_DEACTIVATED":
            result = await self._tiktok.activate_products([entry.tiktok_product_id])
            if result.ok:
                store.save_outcome(
                    entry.shopify_product_id, self._now(), state=store.PENDING_AUDIT,
                    problems=entry.problems, tiktok_status="PENDING",
                )  # fmt: skip
        return store.listing(entry.shopify_product_id) or entry

    async def _link(
        self,
        entry: Listing,
        view: ProductView,
        problems: tuple[StoredProblem, ...],
        category: str,
    ) -> bool:
        """Link the product to a listing that already carries its SKUs (never list twice)."""
        index = {**await self._tiktok_skus.get(), **self._creator.created_skus}
        skus = [v.sku for v in view.variants if v.sku]
        found = {index[s] for s in skus if s in index}
        if not found:
            return False
        product_id = sorted(found)[0]
        detail = await self._tiktok.get_product(product_id)
        sku_ids = {s.seller_sku: s.id for s in detail.skus}
        # The listing as it stands is taken to be Shopify's product now, with Shopify's
        # image addresses: images are uploaded only when something changes.
        body = {**await self._builder.body(view, with_images=False), LINKED_SOURCES: True}
        store.save_outcome(
            entry.shopify_product_id, self._now(),
            state=STATUS_STATES.get(detail.status, store.LIVE), tiktok_product_id=product_id,
            sku_ids=sku_ids, last_body=body, tiktok_status=detail.status, problems=problems,
            category_id=category,
        )  # fmt: skip
        return True

    def _schedule_queue(self) -> None:
        """Give every queued product its day, in the merchant's priority order."""
        queued = [e for e in store.all_listings() if e.state == store.QUEUED]
        queued.sort(key=lambda e: (-e.priority, e.shopify_product_id))
        now = self._now()
        for position, entry in enumerate(queued):
            eta = queue_eta(position, now, self._config.region, self._creator.cap.per_day)
            if entry.queued_until != eta:
                store.save_outcome(
                    entry.shopify_product_id, now, state=store.QUEUED, problems=entry.problems,
                    queued_until=eta,
                )  # fmt: skip


def _fix(raw: Mapping[str, Any]) -> VariantFix:
    def number(key: str) -> Decimal | None:
        return None if raw.get(key) in (None, "") else Decimal(str(raw[key]))

    sku = raw.get("sku")
    return VariantFix(
        str(raw["variant_id"]), None if sku is None else str(sku), number("price"),
        number("weight_grams"),
    )  # fmt: skip


def _first(group: BaseExceptionGroup[Exception]) -> Exception:
    error = group.exceptions[0]
    return _first(error) if isinstance(error, BaseExceptionGroup) else error


def _stored(problem: Problem) -> StoredProblem:
    return StoredProblem(
        problem.code, problem.field, problem.blocking, problem.message, problem.fix,
        problem.fix_in, problem.variant_id, problem.suggestion, problem.attribute_id,
    )  # fmt: skip
