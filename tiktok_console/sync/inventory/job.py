"""The inventory fast path: a Shopify stock change reaches TikTok within seconds.

Each run polls Shopify cheaply for variants changed since the cursor (their
``updatedAt`` moves with their stock), less an overlap window because
Shopify's search index lags writes; the stock read and the advanced cursor are
stored in one transaction. Then it recomputes the SKUs whose inputs changed:
Shopify stock, in-flight units (TikTok orders stored or settled since the last
run), the merchant's rules (freeze, cap, buffer), or livestream mode, and
pushes only what differs. Livestreams end by themselves here, at their end time.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from tiktok_console.storage.accounts import record_call
from tiktok_console.storage.activity import record_activity
from tiktok_console.storage.database import db
from tiktok_console.storage.inventory import livestreams
from tiktok_console.storage.inventory.in_flight import skus_in_orders_changed_since
from tiktok_console.storage.inventory.stock import (
    ShopifyStock,
    all_sku_ids,
    rules_changed_since,
    skus_for_variants,
    upsert_shopify_stock,
)
from tiktok_console.storage.jobs import load_cursor, save_cursor
from tiktok_console.stores.shopify.replies import InventoryChanges
from tiktok_console.stores.shopify.replies.inventory import ChangedVariant
from tiktok_console.stores.shopify.transport import ShopifyTransport
from tiktok_console.sync.engine import Outcome
from tiktok_console.sync.inventory.push import JOB, StockPusher
from tiktok_console.sync.variant_pass import VariantPass

log = logging.getLogger(__name__)

TOPICS = frozenset({"inventory"})
MARGIN = timedelta(seconds=1)  # rows written in the same instant as our watermark


class InventoryJob:
    """Polls Shopify stock changes and pushes the SKUs they (or orders, or rules) affect.

    Args:
        shopify: the Shopify client.
        pusher: computes and pushes (shared with the reconciliation).
        now: the clock of livestreams and the cursor's first value.
        overlap: how far back each poll looks again (at least Shopify's index lag).
        pages_per_run: pages of changes read per run before pushing.
    """

    name = JOB

    def __init__(
        self,
        shopify: ShopifyTransport,
        pusher: StockPusher,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
        overlap: timedelta = timedelta(seconds=10),
        page_size: int = 50,  # with 5 levels each, just under Shopify's 1,000-point query cap
        pages_per_run: int = 20,
    ) -> None:
        self._shopify = shopify
        self._pusher = pusher
        self._now = now
        self._overlap = overlap
        self._page_size = page_size
        self._pages_per_run = pages_per_run
        self._watermark: datetime | None = None  # None: recompute every SKU (first run)
        self._live_id: int | None = None
        self._retry: set[str] = set()
        self._unpushed: set[str] = set()  # variants whose stored change is not pushed yet

    @property
    def interval(self) -> float:
        """Seconds between polls: shorter while a livestream is on."""
        settings = self._pusher.settings
        if livestreams.active(self._now()) is not None:
            return settings.livestream.poll_seconds
        return settings.poll_seconds

    async def run_once(self) -> Outcome:
        now = self._now()
        ended = self._end_overdue(now)
        live = livestreams.active(now)
        live_id = live.id if live is not None else None
        started = datetime.now(UTC)  # wall clock, like the rows it is compared with
        variants, more = await self._poll()
        dirty = set(self._retry) | set(skus_for_variants(variants))
        if self._watermark is None or live_id != self._live_id or ended:
            dirty |= set(all_sku_ids())
        else:
            since = self._watermark - MARGIN
            dirty |= skus_in_orders_changed_since(since) | set(rules_changed_since(since))
        try:
            result = await self._pusher.push(dirty, "change")
        except Exception:
            self._retry |= dirty  # the stock read is stored: these would not show as changed
            raise
        # Only now: a run that fails before this point looks at the same changes again.
        self._unpushed.clear()
        self._watermark = started
        self._live_id = live_id
        self._retry = result.stale
        if result.error is not None:
            raise result.error
        changed = TOPICS if (result.pushed or result.failed or ended or variants) else frozenset()
        return Outcome(
            caught_up=not (more or self._retry),
            changed=changed | (frozenset({"activity"}) if ended else frozenset()),
            summary=f"{len(variants)} stock change(s), {result.pushed} pushed",
        )

    async def _poll(self) -> tuple[list[str], bool]:
        """Store the stock of variants changed since the cursor; (changed variants, more).

        The pass resumes where the last run (or a crash) left it: its pages are in id
        order, so only a finished pass moves the filter (see ``VariantPass``).
        """
        cursor = load_cursor(JOB)
        state = VariantPass.load(cursor) if cursor else VariantPass(since=self._now().isoformat())
        state = state.begun(self._now())
        for _ in range(self._pages_per_run):
            read_at = datetime.now(UTC)
            reply = await self._shopify.execute(
                InventoryChanges,
                {
                    "first": self._page_size,
                    "after": state.after,
                    "query": state.query(self._overlap),
                },
            )
            page = reply.product_variants
            stocks = [stock_from_variant(node, read_at) for node in page.nodes]
            stamps = [s.store_updated_at for s in stocks if s.store_updated_at]
            state = state.stored(page.page_info.end_cursor, stamps)
            last = not page.page_info.has_next_page or page.page_info.end_cursor is None
            if last:
                state = state.finished(self._now())
            # Kept until pushed: a run cut after this page must still push these.
            self._unpushed.update(await asyncio.to_thread(_store, stocks, state.dump()))
            if last:
                record_call("shopify", datetime.now(UTC))
                return sorted(self._unpushed), False
        return sorted(self._unpushed), True

    def _end_overdue(self, now: datetime) -> int:
        """End livestreams whose end time has passed, storing their reports."""
        ended = 0
        for live in livestreams.overdue(now):
            report = livestreams.finish(live.id, live.ends_at)
            record_activity(
                JOB, "livestream",
                f"Livestream ended: {report.units_sold_tiktok} unit(s) sold on TikTok, "
                f"{report.oversells_avoided} oversell(s) avoided, {report.pushes} push(es)",
            )  # fmt: skip
            ended += 1
        return ended


def stock_from_variant(node: ChangedVariant, read_at: datetime) -> ShopifyStock:
    """A variant node (``InventoryChanges``) as a stock read."""
    item = node.inventory_item
    levels = item.inventory_levels.nodes if item is not None else []
    return ShopifyStock(
        inventory_item_id=item.id if item is not None else "",
        variant_id=node.id,
        locations={level.location.id: level.named("available") for level in levels},
        store_updated_at=node.updated_at,
        read_at=read_at,
    )


def _store(stocks: list[ShopifyStock], cursor: str) -> list[str]:
    with db.atomic():
        changed = upsert_shopify_stock([s for s in stocks if s.inventory_item_id])
        save_cursor(JOB, cursor)
    return changed
