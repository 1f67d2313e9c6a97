"""Importing history: orders TikTok shipped before the console connected, on request only.

Such orders stay out of Shopify on their own (their stock left long ago, and
a merchant moving to the console may have them in Shopify already). When the
merchant asks ("Import history since…", ``import-history --since``), each one
placed since the date whose SKUs map is created in Shopify fulfilled, with
TikTok's carrier and tracking and WITHOUT touching stock, through the same
duplicate guard and intent journal as every order: run twice, nothing doubles;
after a crash, the journal is settled by asking Shopify first.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import httpx

from tiktok_console.core.settings import Settings
from tiktok_console.domain.orders import FULFILLED_BY_TIKTOK, SHIPPED_STATUSES, unmapped_skus
from tiktok_console.storage.accounts import load_accounts
from tiktok_console.storage.orders.tiktok_orders import (
    CREATED,
    FAILED,
    LINKED,
    OrderState,
    count_history,
    history_orders,
    order_state,
)
from tiktok_console.stores.shopify.transport import ShopifyTransport
from tiktok_console.stores.tiktok.models.orders import Order
from tiktok_console.stores.tokens import TokenStore
from tiktok_console.sync.catalog.sku_check import shopify_confirms
from tiktok_console.sync.orders.creation import CreateRequest, OrderCreator
from tiktok_console.sync.orders.facts import facts_from_order
from tiktok_console.sync.orders.locations import FulfillmentLocation
from tiktok_console.sync.orders.mapping import AutoMapper
from tiktok_console.sync.runtime import NotConnectedError, missing_stores
from tiktok_console.sync.sessions import shopify_session

CHUNK = 50  # orders per guard search and per progress step
Progress = Callable[[int, int, str], None]  # done, total, what


@dataclass(frozen=True)
class HistoryReport:
    """What an import did, in counts."""

    looked_at: int = 0
    imported: int = 0
    already_there: int = 0  # another app had put it in Shopify: linked, not created
    unmapped: int = 0
    failed: int = 0
    waiting: int = 0  # an earlier attempt's outcome is not known yet: asked again next time
    fulfilled_by_tiktok: int = 0

    def summary(self) -> str:
        """One sentence for the merchant."""
        if not self.looked_at:
            return "No earlier TikTok order to import since that date."
        parts = [f"Imported {self.imported} of {self.looked_at} earlier orders as fulfilled"]
        if self.already_there:
            parts.append(f"{self.already_there} already in Shopify")
        if self.unmapped:
            parts.append(f"{self.unmapped} wait for a SKU mapping")
        if self.fulfilled_by_tiktok:
            parts.append(f"{self.fulfilled_by_tiktok} fulfilled by TikTok (left out)")
        if self.failed:
            parts.append(f"{self.failed} refused by Shopify (see Activity)")
        if self.waiting:
            parts.append(f"{self.waiting} still being checked: run the import again later")
        return "; ".join(parts) + ". Stock was not changed."


@dataclass
class _Tally:
    looked_at: int = 0
    unmapped: int = 0
    fulfilled_by_tiktok: int = 0
    ended: dict[str, int] = field(default_factory=dict)  # sync state -> orders ending in it

    def report(self) -> HistoryReport:
        ended = self.ended
        return HistoryReport(
            looked_at=self.looked_at,
            imported=ended.get(CREATED, 0),
            already_there=ended.get(LINKED, 0),
            unmapped=self.unmapped,
            failed=ended.get(FAILED, 0),
            waiting=sum(n for state, n in ended.items() if state not in (CREATED, LINKED, FAILED)),
            fulfilled_by_tiktok=self.fulfilled_by_tiktok,
        )


async def import_history(
    shopify: ShopifyTransport,
    settings: Settings,
    shop_name: str,
    since: datetime,
    *,
    index_lag: timedelta | None = None,
    now: Callable[[], datetime] = lambda: datetime.now(UTC),
    progress: Progress | None = None,
    cancelled: Callable[[], bool] = lambda: False,
) -> HistoryReport:
    """Create the history orders placed since ``since`` in Shopify, fulfilled, stock untouched.

    Args:
        shopify: the Shopify client.
        settings: the merchant's settings (customer mode, FBT, stock locations).
        shop_name: the TikTok shop's name (on each Shopify order).
        since: the earliest order placement to import (aware UTC).
        index_lag: how long Shopify's search index may lag a write.
        now: the clock intents are stamped with.
        progress: told ``(done, total, what)`` after each chunk.
        cancelled: asked between chunks; True stops after the chunk in hand.
    """
    lag = index_lag or timedelta(seconds=settings.orders.search_lag_seconds)
    location = FulfillmentLocation(shopify, settings.inventory.location_ids)
    creator = OrderCreator(shopify, settings.orders, lag, now, location)
    await creator.resolve_pending()  # a crashed import's creates: ask Shopify first
    mapper = AutoMapper(timedelta(0), now=now, confirm=shopify_confirms(shopify))
    mapper.start_run()
    total = await asyncio.to_thread(count_history, SHIPPED_STATUSES, since)
    tally = _Tally()
    after: tuple[datetime, str] | None = None
    while not cancelled():
        batch = await asyncio.to_thread(history_orders, SHIPPED_STATUSES, since, CHUNK, after)
        creates = []
        for state, payload in batch:
            request = await _request(state, payload, shop_name, settings, mapper, tally)
            if request is not None:
                creates.append(request)
        await creator.create_batch(creates, lambda c: _ended(c.state.order_id, tally))
        if progress is not None:
            progress(tally.looked_at, total, "importing earlier TikTok orders")
        if len(batch) < CHUNK:
            break
        last = batch[-1][0]
        after = (last.created_at, last.order_id)
    return tally.report()


async def _request(
    state: OrderState,
    payload: str,
    shop_name: str,
    settings: Settings,
    mapper: AutoMapper,
    tally: _Tally,
) -> CreateRequest | None:
    """The create of one history order, or None (counted) when it cannot go."""
    tally.looked_at += 1
    facts = facts_from_order(Order.model_validate_json(payload), shop_name)
    if facts.fulfillment_type == FULFILLED_BY_TIKTOK and not settings.orders.include_fbt:
        tally.fulfilled_by_tiktok += 1
        return None
    variants = (await mapper.map(facts)).variants
    if unmapped_skus(facts, variants):
        tally.unmapped += 1
        return None
    before = (state.sync_state, state.shopify_cancelled, state.reason)
    return CreateRequest(state, facts, variants, before, history=True)


def _ended(order_id: str, tally: _Tally) -> int:
    state = order_state(order_id)
    ended = state.sync_state if state is not None else ""
    tally.ended[ended] = tally.ended.get(ended, 0) + 1
    return 1


def import_history_now(
    token_store: TokenStore,
    settings: Settings,
    since: datetime,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] = lambda: False,
) -> HistoryReport:
    """``import_history`` with the connected stores, blocking (the UI's long work, the CLI).

    Raises:
        NotConnectedError: a store is not connected.
        StoreError: Shopify could not be reached or refused the sign-in.
    """
    missing = missing_stores()
    if missing:
        raise NotConnectedError(missing)
    accounts = load_accounts()

    async def run() -> HistoryReport:
        async with httpx.AsyncClient(timeout=30) as http:
            shopify = shopify_session(accounts["shopify"], token_store, http)
            return await import_history(
                shopify, settings, accounts["tiktok"].shop_name, since,
                progress=progress, cancelled=cancelled,
            )  # fmt: skip

    return asyncio.run(run())


def parse_since(text: str) -> datetime:
    """``YYYY-MM-DD`` as the start of that day, UTC.

    Raises:
        ValueError: not such a date.
    """
    return datetime.strptime(text.strip(), "%Y-%m-%d").replace(tzinfo=UTC)
