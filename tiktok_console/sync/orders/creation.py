"""Creating the Shopify twin of a TikTok order, once: guarded, journaled, linked.

The orders job hands over the orders of a chunk that are ready to create. They
are looked up in Shopify a batch per search (``guard``); an order found there
is linked (ours after a lost reply, or another app's), the others are created
through the intent journal. A create whose outcome is unknown waits out the
search index's lag before the guard is trusted to say it is not there.

An order TikTok already shipped (in Seller Center, before the console saw it)
is created fulfilled, with TikTok's carrier and tracking, from the location
``locations`` picks; imported history the same, without touching stock.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial

from tiktok_console.core.settings import OrderSettings
from tiktok_console.domain.order_mapping import Fulfilled, build_order_create, made_by_console
from tiktok_console.domain.orders import ShipmentFacts, TikTokOrderFacts
from tiktok_console.storage.activity import record_activity
from tiktok_console.storage.catalog.variants import mark_used
from tiktok_console.storage.database import db
from tiktok_console.storage.intents import PENDING as INTENT_PENDING
from tiktok_console.storage.intents import Intent, complete_intent, intent, pending_intents
from tiktok_console.storage.orders.tiktok_orders import (
    CREATED,
    FAILED,
    LINKED,
    PENDING,
    OrderState,
    mark_order,
)
from tiktok_console.stores.errors import RequestRejectedError
from tiktok_console.stores.shopify.replies import OrderCreate, reject_user_errors
from tiktok_console.stores.shopify.replies.orders import CreatedOrder, SearchedOrder
from tiktok_console.stores.shopify.transport import ShopifyTransport
from tiktok_console.sync.journal import Absent, Found, journaled, resolve_pending
from tiktok_console.sync.orders.guard import GUARD_BATCH, find_in_shopify
from tiktok_console.sync.orders.locations import FulfillmentLocation

log = logging.getLogger(__name__)

JOB = "orders"
CREATE = "shopify.orderCreate"


@dataclass(frozen=True)
class CreateRequest:
    """An order the guard is to look for in Shopify before creating it."""

    state: OrderState
    facts: TikTokOrderFacts
    variants: dict[str, str]
    before: tuple[str, bool, str]  # its state before this run looked at it
    shipped: bool = False  # TikTok shipped it already: create it fulfilled
    history: bool = False  # imported history: fulfilled, stock untouched


class OrderCreator:
    """Creates (or links) the Shopify orders of TikTok orders, never twice.

    Args:
        shopify: the Shopify client.
        settings: the merchant's order settings (customer mode).
        index_lag: how long Shopify's search index may lag a write.
        now: the clock intents are stamped and compared with.
        locations: where shipped orders are fulfilled from.
    """

    def __init__(
        self,
        shopify: ShopifyTransport,
        settings: OrderSettings,
        index_lag: timedelta,
        now: Callable[[], datetime],
        locations: FulfillmentLocation | None = None,
    ) -> None:
        self._shopify = shopify
        self._settings = settings
        self._index_lag = index_lag
        self._now = now
        self._locations = locations or FulfillmentLocation(shopify, ())
        self.waiting = False  # an unresolved create must wait out the search lag

    async def create_batch(
        self, creates: list[CreateRequest], note: Callable[[CreateRequest], int]
    ) -> int:
        """Guard and create ``creates``, a search per batch; returns ``note``'s sum."""
        worked = 0
        for start in range(0, len(creates), GUARD_BATCH):
            batch = creates[start : start + GUARD_BATCH]
            found = await find_in_shopify(self._shopify, [c.facts.order_id for c in batch])
            for create in batch:
                await asyncio.sleep(0)  # one order at a time: the window stays responsive
                await self._create(create, found.get(create.facts.order_id))
                worked += note(create)
        return worked

    async def resolve_pending(self) -> int:
        """After a crash or a lost reply: ask Shopify what became of unresolved creates."""
        intents = pending_intents(CREATE)
        in_shopify = await find_in_shopify(self._shopify, [p.subject for p in intents])

        async def look(pending: Intent) -> Found | Absent | None:
            order_id = pending.subject
            found = in_shopify.get(order_id)
            if found is not None:
                return Found(partial(_arrived, order_id, found))
            if not self._lag_passed(pending.created_at):
                return None  # it may still be on its way into the search index
            retry = "Retrying: the last attempt did not arrive."
            return Absent(
                "not in Shopify after the search lag",
                partial(mark_order, order_id, PENDING, reason=retry),
            )

        return await resolve_pending(intents, look)

    async def _create(self, request: CreateRequest, existing: SearchedOrder | None) -> None:
        """Create the order in Shopify, unless the guard's search found it there (``existing``)."""
        facts, variant_for_sku = request.facts, request.variants
        key = f"{CREATE}:{facts.order_id}"
        recorded = intent(key)
        if existing is not None:
            # Ours if the journal says so, or (after a rebuilt database, whose journal is
            # gone) if the order carries the console's own mark.
            ours = recorded is not None or made_by_console(
                existing.tags, existing.source_name, existing.source_identifier, facts.order_id
            )
            _link(facts, existing, created_by_us=ours)
            return
        if (
            recorded is not None
            and recorded.status == INTENT_PENDING
            and not self._lag_passed(recorded.created_at)
        ):
            return  # our own create may still be on its way into the search index
        fulfilled = await self._fulfilled(request)
        if (request.shipped or request.history) and fulfilled is None:
            _no_location(facts.order_id)
            return
        variables = build_order_create(
            facts, variant_for_sku, customer_mode=self._settings.customer, fulfilled=fulfilled
        )

        async def create() -> CreatedOrder:
            reply = await self._shopify.execute(OrderCreate, variables, safe_to_repeat=False)
            payload = reply.order_create
            reject_user_errors(payload.user_errors)
            if payload.order is None:
                raise RequestRejectedError("shopify", "NO_ORDER", "no order was created")
            return payload.order

        def settle(order: CreatedOrder) -> dict[str, str]:
            # History took no stock: as far as stock reads go it was in Shopify all along,
            # so it never counts as units in flight.
            synced_at = facts.created_at if request.history else None
            reason = _created_reason(request, fulfilled)
            _created(facts, order, variant_for_sku, reason, synced_at)
            return {"id": order.id, "name": order.name}

        def refused(error: RequestRejectedError) -> None:
            message = f"Shopify refused the order: {error.store_message}"
            mark_order(facts.order_id, FAILED, reason=message)
            record_activity(
                JOB, "create", message, level="error", subject=facts.order_id, retryable=True
            )

        written = await journaled(
            CREATE, key, create, settle=settle, refused=refused, subject=facts.order_id,
            payload={"tags": variables["order"].get("tags", [])}, at=self._now(),
        )  # fmt: skip
        if written.unconfirmed:
            # Shopify may have created it: the next run asks Shopify (after the search
            # lag) instead of creating it again.
            self.waiting = True

    def _lag_passed(self, since: datetime) -> bool:
        return self._now() - since >= self._index_lag

    async def _fulfilled(self, request: CreateRequest) -> Fulfilled | None:
        """The fulfillment a shipped (or historical) order is created with; None otherwise
        (and when Shopify lists no active location to fulfil from)."""
        if not (request.shipped or request.history):
            return None
        location = await self._locations.location_id()
        if not location:
            return None
        shipment = request.facts.shipment or ShipmentFacts("", "", None)
        return Fulfilled(location, shipment.carrier, shipment.tracking_number, request.history)


def _created_reason(request: CreateRequest, fulfilled: Fulfilled | None) -> str:
    """Why a fulfilled order went in as it did, for the Orders page."""
    if fulfilled is None:
        return ""
    tracking = " ".join(filter(None, (fulfilled.carrier, fulfilled.tracking_number)))
    shipped = f" ({tracking})" if tracking else ""
    if request.history:
        return f"Imported from history: fulfilled{shipped}, stock not changed."
    return f"Shipped on TikTok before the console saw it: created fulfilled{shipped}, stock taken."


def _no_location(order_id: str) -> None:
    message = "Shopify lists no active location to fulfil this shipped order from."
    mark_order(order_id, FAILED, reason=message)
    record_activity(JOB, "create", message, level="error", subject=order_id, retryable=True)


def _arrived(order_id: str, found: SearchedOrder) -> dict[str, str]:
    """A create whose answer was lost is in Shopify after all."""
    mark_order(order_id, CREATED, shopify_order_id=found.id, shopify_order_name=found.name)
    return {"id": found.id, "name": found.name}


def _created(
    facts: TikTokOrderFacts,
    order: CreatedOrder,
    variant_for_sku: dict[str, str],
    reason: str,
    synced_at: datetime | None,
) -> None:
    mark_order(
        facts.order_id,
        CREATED,
        reason=reason,
        synced_at=synced_at,
        shopify_order_id=order.id,
        shopify_order_name=order.name,
        created_elsewhere=False,
    )
    mark_used(variant_for_sku)
    record_activity(
        JOB,
        "create",
        f"Created {order.name} for TikTok order {facts.order_id}"
        + (" as fulfilled (it had shipped on TikTok)" if reason else ""),
        subject=facts.order_id,
    )


def _link(facts: TikTokOrderFacts, found: SearchedOrder, created_by_us: bool) -> None:
    """The guard found the order in Shopify: ours (a lost reply) or another app's."""
    key = f"{CREATE}:{facts.order_id}"
    with db.atomic():
        if created_by_us:
            complete_intent(key, {"id": found.id, "name": found.name})
        mark_order(
            facts.order_id,
            CREATED if created_by_us else LINKED,
            shopify_order_id=found.id,
            shopify_order_name=found.name,
            created_elsewhere=not created_by_us,
            reason="" if created_by_us else "Already in Shopify (created by another app).",
        )
        if not created_by_us:
            record_activity(
                JOB,
                "link",
                f"TikTok order {facts.order_id} was already in Shopify as {found.name}",
                level="warning",
                subject=facts.order_id,
            )
