"""The shop's orders and packages, and how an order moves through its life.

UNPAID -> ON_HOLD (paid; the buyer's remorse window) -> AWAITING_SHIPMENT
-> (the seller ships through the API) IN_TRANSIT -> DELIVERED -> COMPLETED,
with buyer cancellations while UNPAID or ON_HOLD. Ship-by deadlines are set
when the order leaves on-hold.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

from tiktok_console.sandbox.tiktok.errors import ApiError
from tiktok_console.sandbox.tiktok.order_factory import CANCEL_REASONS
from tiktok_console.sandbox.tiktok.orders import Order, Package
from tiktok_console.sandbox.tiktok.product_store import ProductStore
from tiktok_console.sandbox.tiktok.schedule import Scheduler
from tiktok_console.sandbox.tiktok.wire import new_id

COMPLETE_AFTER_DELIVERY = 7 * 86400  # Assumption: orders complete when the return window ends.


class OrderBook:
    """Orders by id, packages by id, and the order lifecycle events."""

    def __init__(
        self,
        rng: random.Random,
        scheduler: Scheduler,
        products: ProductStore,
        remorse_window: int,
        on_delivered: Callable[[Order, int], None],
    ) -> None:
        self.orders: dict[str, Order] = {}
        self.packages: dict[str, Package] = {}
        # Every accepted Mark Package As Shipped / shipping info update, in order: what
        # tests check "pushed exactly once" against (the app's database is not evidence).
        self.shipping_calls: list[dict[str, Any]] = []
        self._rng = rng
        self._scheduler = scheduler
        self._products = products
        self.remorse_window = remorse_window
        self._on_delivered = on_delivered

    def get(self, order_id: str) -> Order:
        """The order or TikTok's "not owned by this seller" error."""
        order = self.orders.get(order_id)
        if order is None:
            raise ApiError(21008111, "The order or package does not belong to the current seller.")
        return order

    def add(self, order: Order) -> None:
        """Register a new UNPAID order and schedule what its buyer will do."""
        self.orders[order.id] = order
        fate, t = order.fate, order.create_time
        if fate.cancel_unpaid_after is not None:
            self._scheduler.at(t + fate.cancel_unpaid_after, "order.buyer_cancel", order.id)
        else:
            self._scheduler.at(t + fate.pay_after, "order.pay", order.id)

    def search(self, body: dict[str, Any], sort_field: str, descending: bool) -> list[Order]:
        """Orders matching Get Order List's body filters, sorted as asked."""
        status = body.get("order_status")
        shipping_type = body.get("shipping_type")
        warehouses = set(body.get("warehouse_ids") or [])
        found = [
            o
            for o in self.orders.values()
            if (not status or o.status == status)
            and (not shipping_type or o.shipping_type == shipping_type)
            and (not warehouses or o.warehouse_id in warehouses)
            and (body.get("buyer_user_id") in (None, "", o.buyer.user_id))
            and (body.get("is_buyer_request_cancel") in (None, o.is_buyer_request_cancel))
            and _window(o.create_time, body, "create_time")
            and _window(o.update_time, body, "update_time")
        ]
        found.sort(key=lambda o: (getattr(o, sort_field), o.id), reverse=descending)
        return found

    # -- lifecycle events --------------------------------------------------
    def on_pay(self, order: Order, when: int) -> None:
        """Payment done: the order goes ON_HOLD for the remorse window."""
        if order.status != "UNPAID":
            return
        order.paid_time = when
        order.touch(when, "ON_HOLD")
        fate = order.fate
        if (
            fate.cancel_on_hold_after is not None
            and fate.cancel_on_hold_after < self.remorse_window
        ):
            self._scheduler.at(when + fate.cancel_on_hold_after, "order.buyer_cancel", order.id)
        self._scheduler.at(when + self.remorse_window, "order.release", order.id)

    def on_release(self, order: Order, when: int) -> None:
        """On-hold over: the order awaits shipment and gets its deadlines and package."""
        if order.status != "ON_HOLD":
            return
        order.touch(when, "AWAITING_SHIPMENT")
        order.rts_sla_time = when + order.option.rts_days * 86400
        order.tts_sla_time = order.rts_sla_time + 86400
        order.shipping_due_time = order.rts_sla_time
        order.cancel_order_sla_time = order.rts_sla_time
        package = Package(
            new_id(self._rng, "115"),
            order.id,
            [li.id for li in order.line_items],
            "PROCESSING",
            when,
            when,
        )
        self.packages[package.id] = package
        order.packages = [package.id]
        for li in order.line_items:
            li.package_id, li.package_status = package.id, "PROCESSING"
        fate = order.fate
        if fate.auto_ship_after is not None:
            self._scheduler.at(when + fate.auto_ship_after, "order.auto_ship", order.id)
        if fate.cancel_request_after is not None:
            self._scheduler.at(when + fate.cancel_request_after, "cancel.request", order.id)

    def on_buyer_cancel(self, order: Order, when: int) -> None:
        """The buyer cancels while UNPAID or ON_HOLD (no seller approval needed)."""
        if order.status not in ("UNPAID", "ON_HOLD"):
            return
        self.cancel(order, when, "BUYER", self._rng.choice(CANCEL_REASONS))

    def cancel(self, order: Order, when: int, initiator: str, reason: str) -> None:
        """Cancel the whole order and put its units back in stock."""
        order.cancel_reason, order.cancellation_initiator = reason, initiator
        order.cancel_time = when
        for li in order.line_items:
            li.cancel_reason, li.cancel_user = reason, initiator
            li.package_status = "CANCELLED"
            self._restock(li.sku_id)
        for package_id in order.packages:
            self.packages[package_id].status = "CANCELLED"
            self.packages[package_id].update_time = when
        order.touch(when, "CANCELLED")
        for li in order.line_items:
            li.display_status = "CANCELLED"

    def shipped(self, order: Order, when: int) -> None:
        """Called after lines shipped: IN_TRANSIT when every line is on its way."""
        pending = [li for li in order.line_items if li.package_status == "PROCESSING"]
        if pending:
            order.touch(when, "PARTIALLY_SHIPPING")
            return
        order.rts_time = order.collection_time = when
        order.touch(when, "IN_TRANSIT")
        self._scheduler.at(when + order.fate.transit_seconds, "order.deliver", order.id)

    def on_deliver(self, order: Order, when: int) -> None:
        """The carrier delivers; the order completes when the return window ends."""
        if order.status != "IN_TRANSIT":
            return
        order.delivery_time = when
        for package_id in order.packages:
            package = self.packages[package_id]
            package.status, package.update_time = "COMPLETED", when
        for li in order.line_items:
            li.package_status = "COMPLETED"
        order.touch(when, "DELIVERED")
        self._scheduler.at(when + COMPLETE_AFTER_DELIVERY, "order.complete", order.id)
        self._on_delivered(order, when)

    def on_complete(self, order: Order, when: int) -> None:
        """Delivered and past the return window."""
        if order.status == "DELIVERED":
            order.touch(when, "COMPLETED")

    def _restock(self, sku_id: str) -> None:
        found = self._products.find_sku(sku_id)
        if found is not None:
            sku = found[1]
            first = next(iter(sku.inventory))
            sku.inventory[first] += 1


def _window(value: int, body: dict[str, Any], name: str) -> bool:
    low, high = body.get(f"{name}_ge"), body.get(f"{name}_lt")
    try:
        return (low is None or value >= int(low)) and (high is None or value < int(high))
    except (TypeError, ValueError):
        raise ApiError(36009004, f"{name} filters must be Unix timestamps.") from None
