"""Orders, TikTok -> Shopify: pull, map, create once, cancel when TikTok cancels.

Each run pulls every order changed since the cursor (less an overlap window),
storing each page with the advanced cursor in one transaction; then it works
through the orders not yet settled with Shopify. Creating a Shopify order goes
through the intent journal: the intent is committed before the call, and an
order is looked up in Shopify by its ``TikTokOrderID:`` tag before any create,
so a crash, a timeout or another connector never makes a second order. That
duplicate guard asks about up to ``GUARD_BATCH`` orders in one search (their
tags joined by OR): a search costs Shopify points even when it finds nothing,
and in a burst one per order would add a fifth to each order's cost.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from tiktok_console.core.settings import OrderSettings
from tiktok_console.domain.order_mapping import build_order_create
from tiktok_console.domain.orders import TikTokOrderFacts, is_eligible, unmapped_skus
from tiktok_console.storage.accounts import record_call
from tiktok_console.storage.activity import record_activity
from tiktok_console.storage.catalog.variants import mark_used
from tiktok_console.storage.database import db
from tiktok_console.storage.intents import (
    complete_intent,
    fail_intent,
    intent,
    pending_intents,
    record_intent,
)
from tiktok_console.storage.jobs import load_cursor, save_cursor
from tiktok_console.storage.orders.tiktok_orders import (
    CREATED,
    FAILED,
    IN_SHOPIFY,
    LINKED,
    ORPHAN,
    PENDING,
    SKIPPED,
    OrderState,
    PulledOrder,
    mark_order,
    order_state,
    orders_needing_work,
    store_pulled,
)
from tiktok_console.stores.errors import RequestRejectedError
from tiktok_console.stores.retry import AmbiguousWriteError
from tiktok_console.stores.shopify.transport import ShopifyTransport
from tiktok_console.stores.tiktok.api import TikTokShopApi
from tiktok_console.stores.tiktok.api_orders import SEARCH
from tiktok_console.stores.tiktok.models.orders import Order
from tiktok_console.sync.engine import Outcome
from tiktok_console.sync.orders.facts import facts_from_order
from tiktok_console.sync.orders.mapping import AutoMapper

log = logging.getLogger(__name__)

JOB = "orders"
CREATE = "shopify.orderCreate"
CANCEL = "shopify.orderCancel"
OVERLAP = timedelta(minutes=5)  # TikTok's update_time filter is not transactional
WAITING = ("UNPAID", "ON_HOLD")
PAGE = 50
GUARD_BATCH = 50  # orders per duplicate-guard search (the search query stays short)


@dataclass
class OrdersConfig:
    """Knobs of the orders job (tests shorten the waits)."""

    settings: OrderSettings
    shop_name: str
    # How long Shopify's search index may lag a write: an unresolved create is
    # not retried before this has passed, or the guard could miss its own order.
    index_lag: timedelta = timedelta(seconds=30)
    pages_per_run: int = 20
    orders_per_run: int = 100


class OrdersJob:
    """The job that moves TikTok orders into Shopify."""

    name = JOB

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
        self._next_token = ""
        self._waiting = False  # an unresolved create must wait out the search lag
        self._mapper = AutoMapper(timedelta(seconds=config.settings.undo_grace_seconds))
        self._held_until: datetime | None = None  # a fresh manual mapping's undo grace ends
        self.interval = config.settings.poll_seconds

    async def run_once(self) -> Outcome:
        self._waiting = False
        self._held_until = None
        changed: set[str] = set()
        if await self._resolve_pending():
            changed.add("orders")
        pulled, more_to_pull = await self._pull()
        if pulled:
            changed.add("orders")
        record_call("tiktok", datetime.now(UTC))  # for the Accounts page
        worked, more_to_work = await self._work()
        if worked:
            changed.update({"orders", "orphans", "activity"})
        held = _seconds_until(self._held_until)  # run again as the undo grace ends
        waits = [wait for wait in (1.0 if self._waiting else 0.0, held) if wait]
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
        cursor = load_cursor(JOB)
        since = int(cursor) - int(OVERLAP.total_seconds()) if cursor else None
        newest = int(cursor or 0)
        stored = 0
        for _ in range(self._config.pages_per_run):
            page = await self._search({"update_time_ge": since} if since is not None else {})
            stored += await _store(page, newest)
            newest = max(newest, _newest(page))
            if len(page) < PAGE:
                return stored, False
            if _newest(page) == since:  # a full page of one second: walk that second
                stored += await self._pull_second(since)
                since += 1
            else:
                since = _newest(page)
        return stored, True

    async def _search(self, body: dict[str, Any], token: str = "") -> list[dict[str, Any]]:
        query: dict[str, Any] = {
            "sort_field": "update_time",
            "sort_order": "ASC",
            "page_size": PAGE,
        }
        if token:
            query["page_token"] = token
        data = await self._tiktok.transport.call("POST", SEARCH, query=query, body=body)
        self._next_token = str((data or {}).get("next_page_token") or "")
        return list((data or {}).get("orders") or [])

    async def _pull_second(self, second: int) -> int:
        """Every order changed in one second (more than a page of them), by page token."""
        body = {"update_time_ge": second, "update_time_lt": second + 1}
        stored, token = 0, ""
        while True:
            page = await self._search(body, token)
            stored += await _store(page, second)
            token = self._next_token
            if not token:
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
            creates: list[_Create] = []
            for state, payload in batch:
                await asyncio.sleep(0)  # one order at a time: the window stays responsive
                if self._mapper.unchanged(state):
                    continue  # an orphan no new variant or mapping can have released
                order = Order.model_validate_json(payload)
                facts = facts_from_order(order, self._config.shop_name)
                before = (state.sync_state, state.shopify_cancelled, state.reason)
                variants = await self._settle(state, facts)
                if variants is not None:
                    creates.append(_Create(state, facts, variants, before))
                    continue
                worked += self._note(state, before)
            for start in range(0, len(creates), GUARD_BATCH):
                worked += await self._create_guarded(creates[start : start + GUARD_BATCH])
            if len(batch) < self._config.orders_per_run:
                return worked, False
            last = batch[-1][0]
            after = (last.created_at, last.order_id)

    async def _create_guarded(self, creates: list[_Create]) -> int:
        """One duplicate-guard search for the batch, then each order linked or created."""
        found = await self._find_in_shopify([c.facts.order_id for c in creates])
        worked = 0
        for create in creates:
            await asyncio.sleep(0)
            await self._create(create.facts, create.variants, found.get(create.facts.order_id))
            worked += self._note(create.state, create.before)
        return worked

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
        if not is_eligible(facts, self._config.settings.include_fbt):
            self._not_eligible(state, facts)
            return None
        mapped = self._mapper.map(facts)
        missing = unmapped_skus(facts, mapped.variants)
        if missing:
            _orphan(state, facts, missing)
            return None
        if mapped.held_until is not None:  # "Map now" just released it: undo is still possible
            self._held_until = min(self._held_until or mapped.held_until, mapped.held_until)
            return None
        return mapped.variants

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
        mark_order(facts.order_id, SKIPPED, reason=f"Not sent to Shopify in status {facts.status}.")

    async def _create(
        self,
        facts: TikTokOrderFacts,
        variant_for_sku: dict[str, str],
        existing: dict[str, Any] | None,
    ) -> None:
        """Create the order in Shopify, unless the guard's search found it there (``existing``)."""
        key = f"{CREATE}:{facts.order_id}"
        if existing is not None:
            self._link(facts, existing, created_by_us=intent(key) is not None)
            return
        recorded = intent(key)
        if (
            recorded is not None
            and recorded.status == "pending"
            and not self._lag_passed(recorded.created_at)
        ):
            return  # our own create may still be on its way into the search index
        variables = build_order_create(
            facts, variant_for_sku, customer_mode=self._config.settings.customer
        )
        tags = variables["order"].get("tags", [])
        record_intent(key, CREATE, facts.order_id, {"tags": tags}, at=self._now())
        try:
            data = await self._shopify.execute("OrderCreate", variables, safe_to_repeat=False)
        except RequestRejectedError as error:
            self._failed(facts, key, error.message)
            return
        except AmbiguousWriteError:
            # Shopify may have created it: the intent stays pending and the next run
            # asks Shopify (after the search lag) instead of creating it again.
            log.info("Create of TikTok order %s unconfirmed; checking later", facts.order_id)
            self._waiting = True
            return
        payload = data["orderCreate"]
        if payload["userErrors"]:
            message = "; ".join(e["message"] for e in payload["userErrors"])
            self._failed(facts, key, f"Shopify refused the order: {message}")
            return
        order = payload["order"]
        with db.atomic():
            complete_intent(key, {"id": order["id"], "name": order["name"]})
            mark_order(
                facts.order_id,
                CREATED,
                shopify_order_id=order["id"],
                shopify_order_name=order["name"],
                created_elsewhere=False,
            )
            mark_used(variant_for_sku)
            record_activity(
                JOB,
                "create",
                f"Created {order['name']} for TikTok order {facts.order_id}",
                subject=facts.order_id,
            )

    def _link(self, facts: TikTokOrderFacts, found: dict[str, Any], created_by_us: bool) -> None:
        key = f"{CREATE}:{facts.order_id}"
        with db.atomic():
            if created_by_us:
                complete_intent(key, {"id": found["id"], "name": found["name"]})
            mark_order(
                facts.order_id,
                CREATED if created_by_us else LINKED,
                shopify_order_id=found["id"],
                shopify_order_name=found["name"],
                created_elsewhere=not created_by_us,
                reason="" if created_by_us else "Already in Shopify (created by another app).",
            )
            if not created_by_us:
                record_activity(
                    JOB,
                    "link",
                    f"TikTok order {facts.order_id} was already in Shopify as {found['name']}",
                    level="warning",
                    subject=facts.order_id,
                )

    def _failed(self, facts: TikTokOrderFacts, key: str, message: str) -> None:
        with db.atomic():
            fail_intent(key, {"error": message})
            mark_order(facts.order_id, FAILED, reason=message)
            record_activity(
                JOB, "create", message, level="error", subject=facts.order_id, retryable=True
            )

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
        if recorded is not None and recorded.status == "failed":
            return  # Shopify refused: the Activity page's Retry sends it again
        if await self._cancelled_in_shopify(state.shopify_order_id):
            self._mark_cancelled(state, key, "Cancelled on TikTok; already cancelled in Shopify.")
            return
        record_intent(
            key, CANCEL, facts.order_id, {"order": state.shopify_order_id}, at=self._now()
        )
        try:
            data = await self._shopify.execute(
                "OrderCancel",
                {
                    "orderId": state.shopify_order_id,
                    "reason": "CUSTOMER",
                    "staffNote": f"Cancelled on TikTok Shop ({facts.order_id})",
                },
            )
            errors = data["orderCancel"]["orderCancelUserErrors"]
        except RequestRejectedError as error:
            errors = [{"message": error.message}]
        # Shopify answers "already cancelled" with the generic code INVALID: ask it instead.
        if errors and not await self._cancelled_in_shopify(state.shopify_order_id):
            self._cancel_refused(state, key, "; ".join(e["message"] for e in errors))
            return
        self._mark_cancelled(state, key, "Cancelled on TikTok; cancelled in Shopify with restock.")

    async def _cancelled_in_shopify(self, shopify_order_id: str) -> bool:
        data = await self._shopify.execute("OrderById", {"id": shopify_order_id})
        order = data.get("order")
        return bool(order and order.get("cancelledAt"))

    def _mark_cancelled(self, state: OrderState, key: str, reason: str) -> None:
        with db.atomic():
            complete_intent(key, {"order": state.shopify_order_id})
            mark_order(state.order_id, state.sync_state, shopify_cancelled=True, reason=reason)
            record_activity(
                JOB,
                "cancel",
                f"Cancelled {state.shopify_order_name} (TikTok order "
                f"{state.order_id} was cancelled)",
                subject=state.order_id,
            )

    def _cancel_refused(self, state: OrderState, key: str, message: str) -> None:
        """The Shopify order stays as it is (and so does ours), with the reason and one error."""
        text = f"Shopify refused to cancel {state.shopify_order_name}: {message}"
        with db.atomic():
            fail_intent(key, {"error": message})
            mark_order(state.order_id, state.sync_state, reason=text)
            record_activity(
                JOB, "cancel", text, level="error", subject=state.order_id, retryable=True
            )

    # -- recovery -------------------------------------------------------------------------

    async def _resolve_pending(self) -> int:
        """After a crash: ask Shopify what became of creates whose outcome is unknown."""
        resolved = 0
        intents = pending_intents(CREATE)
        in_shopify = await self._find_in_shopify([p.subject for p in intents])
        for pending in intents:
            found = in_shopify.get(pending.subject)
            if found is not None:
                order_id = pending.subject
                with db.atomic():
                    complete_intent(pending.key, {"id": found["id"], "name": found["name"]})
                    mark_order(
                        order_id,
                        CREATED,
                        shopify_order_id=found["id"],
                        shopify_order_name=found["name"],
                    )
                resolved += 1
            elif self._lag_passed(pending.created_at):
                fail_intent(pending.key, {"error": "not in Shopify after the search lag"})
                mark_order(
                    pending.subject, PENDING, reason="Retrying: the last attempt did not arrive."
                )
                resolved += 1
        return resolved + await self._resolve_pending_cancels()

    async def _resolve_pending_cancels(self) -> int:
        """A cancel whose answer was lost is done if Shopify shows the order cancelled;
        otherwise the order is still due, and the next pass sends the cancel again."""
        resolved = 0
        for pending in pending_intents(CANCEL):
            state = order_state(pending.subject)
            if state is None or not state.shopify_order_id:
                continue
            if await self._cancelled_in_shopify(state.shopify_order_id):
                self._mark_cancelled(
                    state, pending.key, "Cancelled on TikTok; cancelled in Shopify with restock."
                )
                resolved += 1
        return resolved

    async def _find_in_shopify(self, order_ids: list[str]) -> dict[str, dict[str, Any]]:
        """The Shopify order carrying each TikTok order's tag, for those already there.

        One search per ``GUARD_BATCH`` orders, their tags joined by OR. Shopify's tag
        search may match more loosely than equality, so tags are compared exactly here.
        """
        found: dict[str, dict[str, Any]] = {}
        for start in range(0, len(order_ids), GUARD_BATCH):
            tags = {f"TikTokOrderID:{o}": o for o in order_ids[start : start + GUARD_BATCH]}
            query = " OR ".join(f"tag:'{tag}'" for tag in tags)
            async for node in self._shopify.paginate(
                "OrdersByQuery", ["orders"], {"query": query}, page_size=GUARD_BATCH
            ):
                for tag in set(node["tags"]) & set(tags):
                    found.setdefault(tags[tag], dict(node))
        return found

    def _lag_passed(self, since: datetime) -> bool:
        return self._now() - since >= self._config.index_lag


@dataclass(frozen=True)
class _Create:
    """An order the guard is to look for in Shopify before creating it."""

    state: OrderState
    facts: TikTokOrderFacts
    variants: dict[str, str]
    before: tuple[str, bool, str]  # its state before this run looked at it


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


def _newest(batch: list[dict[str, Any]]) -> int:
    return max((int(raw.get("update_time") or 0) for raw in batch), default=0)


async def _store(batch: list[dict[str, Any]], cursor: int) -> int:
    """Store one batch and the advanced cursor in one transaction; returns rows written.

    Parsing and writing a page is the heaviest step of a pull, so it runs on a
    worker thread (with its own SQLite connection) and the window stays responsive.
    """
    if not batch:
        return 0
    return await asyncio.to_thread(_store_now, batch, cursor)


def _store_now(batch: list[dict[str, Any]], cursor: int) -> int:
    pulled = [_pulled(raw) for raw in batch]
    with db.atomic():
        written = sum(store_pulled(order) for order in pulled)
        save_cursor(JOB, str(max(cursor, _newest(batch))))
    return written


def _pulled(raw: dict[str, Any]) -> PulledOrder:
    """The stored form of an order: a few columns to query, and TikTok's JSON as sent."""
    order = Order.model_validate(raw)
    return PulledOrder(
        order_id=order.id,
        status=order.status,
        created_at=order.create_time,
        update_time=int(order.update_time.timestamp()),
        fulfillment_type=order.fulfillment_type,
        ship_by=order.rts_sla_time or order.tts_sla_time or order.shipping_due_time,
        total=order.payment.total_amount.amount,
        currency=order.currency,
        payload=json.dumps(raw, separators=(",", ":")),
    )
