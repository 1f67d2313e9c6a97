"""Orders, TikTok -> Shopify: pull, map, create once, cancel when TikTok cancels.

Each run pulls every order changed since the cursor (less an overlap window),
storing each page with the advanced cursor in one transaction; then it works
through the orders not yet settled with Shopify: an order to create goes to
``creation`` (duplicate guard, journaled create, linking), an order TikTok
cancelled has its Shopify twin cancelled here, through the journal too, unless
Shopify already shipped it: Shopify refuses to cancel an order with fulfillments,
and the after-sales flow records TikTok's refund on it instead (said once, never sent).

An order shipped on TikTok (Seller Center) before the console created it is
still created when it shipped after the console connected (the first pull:
``since`` in the cursor), fulfilled and with its stock taken; an order shipped
before that is history, left out unless the merchant imports it. An order
TikTok ships after it reached Shopify is fulfilled there with TikTok's
tracking (``tiktok_shipped``), so the warehouse does not ship it again.
How a pulled page is stored with the cursor is in ``pulled``; what a cancel
leaves in the console's records, in ``cancel_records``.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import partial

from tiktok_console.core.settings import OrderSettings
from tiktok_console.domain.orders import (
    SHIPPED_STATUSES,
    TikTokOrderFacts,
    is_eligible,
    shipped_since,
    unmapped_skus,
)
from tiktok_console.storage.accounts import record_call
from tiktok_console.storage.activity import record_activity
from tiktok_console.storage.database import db
from tiktok_console.storage.intents import (
    Intent,
    complete_intent,
    intent,
    pending_intents,
)
from tiktok_console.storage.orders.tiktok_orders import (
    IN_SHOPIFY,
    ORPHAN,
    PENDING,
    SKIPPED,
    OrderState,
    mark_order,
    order_state,
    orders_needing_work,
)
from tiktok_console.stores.errors import RequestRejectedError
from tiktok_console.stores.shopify.replies import OrderById, OrderCancel, reject_user_errors
from tiktok_console.stores.shopify.transport import ShopifyTransport
from tiktok_console.stores.tiktok.api import TikTokShopApi
from tiktok_console.stores.tiktok.models.orders import Order, OrderPage
from tiktok_console.sync.catalog.sku_check import shopify_confirms
from tiktok_console.sync.engine import MAPPINGS, Outcome
from tiktok_console.sync.job_config import PagedJobConfig
from tiktok_console.sync.journal import Found, journaled, resolve_pending
from tiktok_console.sync.orders.cancel_records import (
    CANCEL,
    SHIPPED_LEFT,
    cancel_arrived,
    leave_to_refund,
    mark_cancelled,
)
from tiktok_console.sync.orders.creation import JOB, CreateRequest, OrderCreator
from tiktok_console.sync.orders.cursor import OrdersCursor, begin_cursor
from tiktok_console.sync.orders.facts import facts_from_order
from tiktok_console.sync.orders.locations import FulfillmentLocation
from tiktok_console.sync.orders.mapping import AutoMapper
from tiktok_console.sync.orders.pulled import at_second, newest_update, store_page
from tiktok_console.sync.orders.tiktok_shipped import TikTokShipments

log = logging.getLogger(__name__)

OVERLAP = timedelta(minutes=5)  # TikTok's update_time filter is not transactional
WAITING = ("UNPAID", "ON_HOLD")
PAGE = 50


@dataclass
class OrdersConfig(PagedJobConfig):
    """Knobs of the orders job: an unresolved create waits out ``index_lag``, or the guard
    could miss its own order."""

    settings: OrderSettings
    shop_name: str
    orders_per_run: int = 100
    # The Shopify locations whose stock TikTok sells: shipped orders are fulfilled there.
    stock_locations: Sequence[str] = field(default_factory=list)
    # When the TikTok shop was connected: where "shipped since the connection" starts
    # for a cursor written before the job kept its own first-pull time.
    connected_at: datetime | None = None


class OrdersJob:
    """The job that moves TikTok orders into Shopify."""

    name = JOB
    wakes_on = frozenset({MAPPINGS})  # a SKU mapped elsewhere may release orphans now
    shopify_urgent = True  # a merchant waits to ship these: first at Shopify's cost bucket

    def __init__(
        self,
        tiktok: TikTokShopApi,
        shopify: ShopifyTransport,
        config: OrdersConfig,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._tiktok = tiktok
        self._shopify = shopify
        self._config = config
        self._now = now
        self._creator = OrderCreator(
            shopify, config.settings, config.index_lag, now,
            FulfillmentLocation(shopify, config.stock_locations),
        )  # fmt: skip
        self._mapper = AutoMapper(
            timedelta(seconds=config.settings.undo_grace_seconds), confirm=shopify_confirms(shopify)
        )
        self._shipments = TikTokShipments(shopify, now)
        self._held_until: datetime | None = None  # a fresh manual mapping's undo grace ends
        self._since: datetime | None = None  # the first pull: shipped after it is not history
        self.interval = config.settings.poll_seconds

    async def run_once(self) -> Outcome:
        self._creator.waiting = False
        self._held_until = None
        changed: set[str] = set()
        if await self._creator.resolve_pending() + await self._resolve_pending_cancels():
            changed.add("orders")
        pulled, more_to_pull = await self._pull()
        if pulled:
            changed.add("orders")
        record_call("tiktok", datetime.now(UTC))  # for the Accounts page
        worked, more_to_work = await self._work()
        worked += await self._shipments.run()
        if worked:
            changed.update({"orders", "orphans", "activity"})
        held = _seconds_until(self._held_until)  # run again as the undo grace ends
        unsure = self._creator.waiting or self._shipments.waiting  # the store is asked next run
        waits = [wait for wait in (1.0 if unsure else 0.0, held) if wait]
        return Outcome(
            caught_up=not (more_to_pull or more_to_work or waits),
            changed=frozenset(changed),
            summary=f"{pulled} pulled, {worked} settled",
            retry_in=min(waits, default=0.0),
        )

    # -- pulling ----------------------------------------------------------------------

    async def _pull(self) -> tuple[int, bool]:
        """Store every order changed since the cursor, a page per transaction with the cursor.

        Paging is by keyset: each request asks again for orders changed at or after
        the newest seen, instead of following an offset page token, because orders
        change while we page and offsets would then skip one.
        """
        cursor = await asyncio.to_thread(begin_cursor, self._config.connected_at, self._now())
        self._since = cursor.since
        since = cursor.newest - int(OVERLAP.total_seconds()) if cursor.newest else None
        newest = cursor.newest
        stored = 0
        for _ in range(self._config.pages_per_run):
            page = (await self._search(since)).orders
            stored += await store_page(page, cursor.at(newest))
            newest = max(newest, newest_update(page))
            if len(page) < PAGE:
                return stored, False
            if newest_update(page) == since:  # a full page of one second: walk that second
                stored += await self._pull_second(since)
                since += 1
            else:
                since = newest_update(page)
        return stored, True

    async def _search(self, since: int | None) -> OrderPage:
        """The first page of orders changed at or after ``since`` (all when None)."""
        pages = self._tiktok.search_order_pages(
            update_time_ge=at_second(since),
            sort_field="update_time",
            sort_order="ASC",
            page_size=PAGE,
        )
        return await anext(pages, OrderPage())  # keyset paging: the next page is asked anew

    async def _pull_second(self, second: int) -> int:
        """Every order changed in one second (more than a page of them), by page token."""
        stored = 0
        async for page in self._tiktok.search_order_pages(
            update_time_ge=at_second(second), update_time_lt=at_second(second + 1), page_size=PAGE
        ):
            stored += await store_page(page.orders, OrdersCursor(second, self._since))
        return stored

    # -- settling with Shopify ----------------------------------------------------------

    async def _work(self) -> tuple[int, bool]:
        """Look at every order not settled with Shopify, oldest first, in chunks.

        The orders of a chunk that are to be created wait until the rest of the
        chunk is settled, then are guarded a batch per search and created.
        """
        worked = 0
        after: tuple[datetime, str] | None = None
        self._mapper.start_run()
        while True:
            batch = orders_needing_work(self._config.orders_per_run, after)
            creates: list[CreateRequest] = []
            for state, payload in batch:
                await asyncio.sleep(0)  # one order at a time: the window stays responsive
                if self._mapper.unchanged(state):
                    continue  # an orphan no new variant or mapping can have released
                order = Order.model_validate_json(payload)
                facts = facts_from_order(order, self._config.shop_name)
                before = (state.sync_state, state.shopify_cancelled, state.reason)
                variants = await self._settle(state, facts)
                if variants is not None:
                    shipped = not is_eligible(facts, self._config.settings.include_fbt)
                    creates.append(CreateRequest(state, facts, variants, before, shipped=shipped))
                    continue
                worked += self._note(state, before)
            worked += await self._creator.create_batch(
                creates, lambda create: self._note(create.state, create.before)
            )
            if len(batch) < self._config.orders_per_run:
                return worked, False
            last = batch[-1][0]
            after = (last.created_at, last.order_id)

    def _note(self, state: OrderState, before: tuple[str, bool, str]) -> int:
        """1 if the order's state changed; the auto-mapper learns where it ended."""
        now = _current(state.order_id)
        self._mapper.seen(state, now[0])
        return int(before != now)

    async def _settle(self, state: OrderState, facts: TikTokOrderFacts) -> dict[str, str] | None:
        """Settle an order, or return its variant per SKU when it is to be created."""
        if facts.status == "CANCELLED":
            await self._cancelled(state, facts)
            return None
        if state.sync_state in IN_SHOPIFY:
            return None
        if not is_eligible(facts, self._config.settings.include_fbt) and not self._shipped(facts):
            self._not_eligible(state, facts)
            return None
        mapped = await self._mapper.map(facts)
        missing = unmapped_skus(facts, mapped.variants)
        if missing:
            _orphan(state, facts, missing)
            return None
        if mapped.held_until is not None:  # "Map now" just released it: undo is still possible
            self._held_until = min(self._held_until or mapped.held_until, mapped.held_until)
            return None
        return mapped.variants

    def _shipped(self, facts: TikTokOrderFacts) -> bool:
        """Shipped on TikTok since the console connected: created fulfilled."""
        include_fbt = self._config.settings.include_fbt
        return self._since is not None and shipped_since(facts, self._since, include_fbt)

    def _not_eligible(self, state: OrderState, facts: TikTokOrderFacts) -> None:
        if facts.status in WAITING:
            reason = "Waiting: TikTok holds new orders for an hour so buyers can cancel."
            if state.reason != reason:
                mark_order(facts.order_id, PENDING, reason=reason)
            return
        if facts.fulfillment_type == "FULFILLMENT_BY_TIKTOK":
            mark_order(
                facts.order_id, SKIPPED, reason="Fulfilled by TikTok (FBT): not sent to Shopify."
            )
            return
        if facts.status in SHIPPED_STATUSES:
            reason = (
                f"Shipped on TikTok before the console was connected ({_status(facts.status)}): "
                "history stays out of Shopify unless you import it."
            )
            mark_order(facts.order_id, SKIPPED, reason=reason)
            return
        mark_order(facts.order_id, SKIPPED, reason=f"Not sent to Shopify in status {facts.status}.")

    async def _cancelled(self, state: OrderState, facts: TikTokOrderFacts) -> None:
        """Cancel the Shopify twin of an order TikTok cancelled: restock, no refund, no email.

        Shopify is asked first whether the order is already cancelled (the merchant
        did it, or a crash hid our own cancel), and a refused cancel waits for the
        merchant's retry instead of being sent again on every poll.
        """
        if state.sync_state not in IN_SHOPIFY:
            if state.sync_state != SKIPPED:
                mark_order(
                    facts.order_id, SKIPPED, reason="Cancelled on TikTok before it reached Shopify."
                )
            return
        if state.shopify_cancelled:
            return
        key = f"{CANCEL}:{facts.order_id}"
        recorded = intent(key)
        if recorded is not None and recorded.refused:
            return  # Shopify refused: the Activity page's Retry sends it again
        if recorded is not None and recorded.result.get("left") == SHIPPED_LEFT:
            return  # shipped before TikTok cancelled: the after-sales refund handles it
        found = (await self._shopify.execute(OrderById, {"id": state.shopify_order_id})).order
        if found is not None and found.cancelled_at is not None:
            with db.atomic():
                complete_intent(key, {"order": state.shopify_order_id})
                mark_cancelled(state, "Cancelled on TikTok; already cancelled in Shopify.")
            return
        if found is not None and found.shipped:
            leave_to_refund(state, key, self._now())
            return

        async def cancel() -> None:
            variables = {
                "orderId": state.shopify_order_id,
                "reason": "CUSTOMER",
                "staffNote": f"Cancelled on TikTok Shop ({facts.order_id})",
            }
            try:
                reply = await self._shopify.execute(OrderCancel, variables)
                reject_user_errors(reply.order_cancel.order_cancel_user_errors)
            except RequestRejectedError:
                # Shopify answers "already cancelled" with the generic code INVALID: ask it.
                if not await self._cancelled_in_shopify(state.shopify_order_id):
                    raise

        def settle(_: None) -> dict[str, str]:
            mark_cancelled(state, "Cancelled on TikTok; cancelled in Shopify with restock.")
            return {"order": state.shopify_order_id}

        def refused(error: RequestRejectedError) -> None:
            # The Shopify order stays as it is (and so does ours), with the reason and one error.
            text = f"Shopify refused to cancel {state.shopify_order_name}: {error.store_message}"
            mark_order(state.order_id, state.sync_state, reason=text)
            record_activity(
                JOB, "cancel", text, level="error", subject=state.order_id, retryable=True
            )

        await journaled(
            CANCEL, key, cancel, settle=settle, refused=refused, subject=facts.order_id,
            payload={"order": state.shopify_order_id}, at=self._now(),
        )  # fmt: skip

    async def _cancelled_in_shopify(self, shopify_order_id: str) -> bool:
        reply = await self._shopify.execute(OrderById, {"id": shopify_order_id})
        return reply.order is not None and reply.order.cancelled_at is not None

    # -- recovery -------------------------------------------------------------------------

    async def _resolve_pending_cancels(self) -> int:
        """A cancel whose answer was lost is done if Shopify shows the order cancelled;
        otherwise the order is still due, and the next pass sends the cancel again."""

        async def look(pending: Intent) -> Found | None:
            state = order_state(pending.subject)
            if state is None or not state.shopify_order_id:
                return None
            if not await self._cancelled_in_shopify(state.shopify_order_id):
                return None
            return Found(partial(cancel_arrived, state))

        return await resolve_pending(pending_intents(CANCEL), look)


def _orphan(state: OrderState, facts: TikTokOrderFacts, missing: tuple[str, ...]) -> None:
    skus = {line.sku_id: line.seller_sku for line in facts.lines}
    names = ", ".join(f"{skus.get(s) or '(no seller SKU)'} [{s}]" for s in missing)
    reason = f"Not in Shopify yet: SKU {names} is not mapped to a Shopify variant."
    if state.sync_state != ORPHAN or state.unmapped != missing:
        mark_order(facts.order_id, ORPHAN, reason=reason, unmapped=missing)
        if state.sync_state != ORPHAN or not set(missing) <= set(state.unmapped):
            record_activity(JOB, "orphan", reason, level="warning", subject=facts.order_id)


def _seconds_until(when: datetime | None) -> float:
    if when is None:
        return 0.0
    return max((when - datetime.now(UTC)).total_seconds(), 0.01)


def _current(order_id: str) -> tuple[str, bool, str]:
    state = order_state(order_id)
    assert state is not None
    return state.sync_state, state.shopify_cancelled, state.reason


def _status(status: str) -> str:
    return status.replace("_", " ").lower()
