"""Orders shipped on TikTok after they reached Shopify: fulfilled in Shopify with TikTok's tracking.

The merchant may ship an order from Seller Center (a TikTok Shipping label)
after the console created it in Shopify. Unfulfilled there, the warehouse
would ship it again; so the orders job fulfils it in Shopify with TikTok's
carrier and tracking number, without an email (TikTok told the buyer).

Shopify is read first: an order with any shipment (the warehouse was first)
or cancelled there is left alone. The create goes through the journal under
one key per order, so a lost reply is settled by reading the order again,
never by a second create. The fulfillment job never sends this tracking back:
it skips a shipment first seen on an order TikTok already shows shipped.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import partial
from typing import Any

from tiktok_console.domain.orders import SHIPPED_STATUSES
from tiktok_console.storage.activity import record_activity
from tiktok_console.storage.database import db
from tiktok_console.storage.intents import Intent, complete_intent, pending_intents, record_intent
from tiktok_console.storage.orders.tiktok_orders import OrderState, shipped_after_linking
from tiktok_console.stores.errors import RequestRejectedError
from tiktok_console.stores.shopify.replies import (
    FulfillmentCreate,
    OrderShipmentState,
    reject_user_errors,
)
from tiktok_console.stores.shopify.replies.orders import OrderShipments
from tiktok_console.stores.shopify.transport import ShopifyTransport
from tiktok_console.stores.tiktok.models.orders import Order
from tiktok_console.sync.journal import Absent, Found, journaled, resolve_pending
from tiktok_console.sync.orders.creation import JOB
from tiktok_console.sync.orders.facts import shipment_facts

FULFIL = "shopify.fulfillmentCreate"
OPEN = ("OPEN", "IN_PROGRESS")  # fulfillment orders Shopify lets us ship


class TikTokShipments:
    """Fulfils in Shopify the orders TikTok shipped after the console put them there."""

    def __init__(self, shopify: ShopifyTransport, now: Callable[[], datetime]) -> None:
        self._shopify = shopify
        self._now = now
        self.waiting = False  # a create's outcome is unknown: the next run asks first

    async def run(self, limit: int = 50) -> int:
        """Settle lost replies, then fulfil what TikTok shipped; returns orders settled."""
        self.waiting = False
        worked = await self._resolve_pending()
        for state, payload in shipped_after_linking(FULFIL, SHIPPED_STATUSES, limit):
            worked += await self._fulfil(state, Order.model_validate_json(payload))
        return worked

    async def _fulfil(self, state: OrderState, order: Order) -> int:
        shipment = shipment_facts(order)
        if shipment is None or not shipment.tracking_number:
            return 0  # TikTok has no tracking yet: looked at again when it changes
        key = f"{FULFIL}:{order.id}"
        payload = {
            "shopify_order_id": state.shopify_order_id,
            "order_name": state.shopify_order_name,
            "carrier": shipment.carrier,
            "tracking_number": shipment.tracking_number,
        }
        shopify = await self._read(state.shopify_order_id)
        open_orders = _open(shopify)
        if shopify is None or shopify.cancelled_at or shopify.fulfillments or not open_orders:
            with db.atomic():  # shipped by the warehouse first, or gone: left as it is
                record_intent(key, FULFIL, order.id, payload, at=self._now())
                complete_intent(key, {"left": "already fulfilled or cancelled in Shopify"})
            return 1

        async def create() -> str:
            variables = {
                "fulfillment": {
                    "lineItemsByFulfillmentOrder": [{"fulfillmentOrderId": i} for i in open_orders],
                    "trackingInfo": {
                        "company": shipment.carrier or None,
                        "number": shipment.tracking_number,
                    },
                    "notifyCustomer": False,
                }
            }
            # No idempotency key: never repeated blind; a lost reply is asked about instead.
            reply = await self._shopify.execute(FulfillmentCreate, variables, safe_to_repeat=False)
            reject_user_errors(reply.fulfillment_create.user_errors)
            created = reply.fulfillment_create.fulfillment
            return created.id if created is not None else ""

        written = await journaled(
            FULFIL, key, create,
            settle=partial(_fulfilled, order.id, payload),
            refused=partial(_refused, order.id, payload),
            subject=order.id, payload=payload, at=self._now(),
        )  # fmt: skip
        self.waiting = self.waiting or written.unconfirmed
        return 1

    async def _read(self, shopify_order_id: str) -> OrderShipments | None:
        reply = await self._shopify.execute(OrderShipmentState, {"id": shopify_order_id})
        return reply.order

    async def _resolve_pending(self) -> int:
        """A create whose answer was lost is done if the Shopify order has any shipment:
        ours (its tracking) or the warehouse's; without one it is made again."""

        async def look(pending: Intent) -> Found | Absent:
            shopify = await self._read(pending.payload["shopify_order_id"])
            if shopify is None or shopify.cancelled_at:
                return Found(lambda: {"left": "cancelled or deleted in Shopify"})
            number = pending.payload["tracking_number"]
            ours = [
                f.id
                for f in shopify.fulfillments
                if any(t.number == number for t in f.tracking_info)
            ]
            if ours:
                return Found(partial(_fulfilled, pending.subject, pending.payload, ours[0]))
            if shopify.fulfillments:
                return Found(lambda: {"left": "already fulfilled in Shopify"})
            return Absent("not in Shopify; fulfilling again")

        return await resolve_pending(pending_intents(FULFIL), look)


def _open(order: OrderShipments | None) -> list[str]:
    if order is None:
        return []
    return [fo.id for fo in order.fulfillment_orders.nodes if fo.status in OPEN]


def _fulfilled(order_id: str, payload: dict[str, Any], fulfillment_id: str) -> dict[str, str]:
    """Record the shipment (in the transaction that completes its intent)."""
    carrier = payload["carrier"] or "TikTok's carrier"
    record_activity(
        JOB,
        "fulfil",
        f"Marked {payload['order_name']} fulfilled in Shopify: TikTok order {order_id} was "
        f"shipped in Seller Center ({carrier}, tracking {payload['tracking_number']}), so the "
        "warehouse does not ship it again",
        subject=order_id,
    )
    return {"fulfillment": fulfillment_id}


def _refused(order_id: str, payload: dict[str, Any], error: RequestRejectedError) -> None:
    record_activity(
        JOB,
        "fulfil",
        f"Shopify refused to mark {payload['order_name']} fulfilled (TikTok order {order_id} "
        f"was shipped in Seller Center): {error.store_message}. Fulfil it in Shopify with "
        f"tracking {payload['tracking_number']}, or retry.",
        level="error",
        subject=order_id,
        retryable=True,
    )
