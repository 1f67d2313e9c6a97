"""What happens on the store while nobody calls the API, driven by the sandbox clock.

- The merchant's warehouse ships every open order that came in through
  ``orderCreate`` after ``store.fulfillment_delay`` seconds; ``store.split_share``
  of the orders with two or more units go out in two shipments, the second one
  to three hours later. Carriers and tracking numbers come from ``carriers``.
- Web and point-of-sale customers buy units now and then
  (``store.web_sales_per_minute``), so stock changes independently of TikTok.
- Bulk operations move from CREATED to RUNNING to COMPLETED.

Every choice about an order is drawn from a generator seeded by the store seed
and the order ID, so the outcome does not depend on how often ``tick`` runs.
"""

from __future__ import annotations

import random
from typing import TYPE_CHECKING

from .bulk_ops import refresh_bulk
from .carriers import pick_tracking
from .fulfillment_ops import FULFILLABLE, apply_fulfillment
from .records import FulfillmentOrderRec, OrderRec, TrackingRec

if TYPE_CHECKING:
    from .store import ShopifyStore

HOUR = 3600.0


def run_processes(store: ShopifyStore, now: float) -> None:
    """Bring every simulated process up to ``now``."""
    for order in list(store.orders.values()):
        if order.created_by_api and order.cancelled_at is None:
            _warehouse(store, order, now)
    _web_sales(store, now)
    for operation in store.bulk_operations.values():
        refresh_bulk(operation, now)
    store.last_tick = now


def _shipment_plan(store: ShopifyStore, order: OrderRec) -> list[float]:
    """When each of the order's shipments leaves the warehouse."""
    rng = random.Random(f"{store.seed}:warehouse:{order.id}")
    first = order.created_at + store.fulfillment_delay * rng.uniform(0.8, 1.2)
    units = sum(line.quantity for line in order.line_items)
    if units >= 2 and rng.random() < store.split_share:
        return [first, first + rng.uniform(HOUR, 3 * HOUR)]
    return [first]


def _warehouse(store: ShopifyStore, order: OrderRec, now: float) -> None:
    plan = _shipment_plan(store, order)
    done = len(order.fulfillment_ids)
    for index, due in enumerate(plan):
        if index < done or due > now:
            continue
        fos = [
            store.fulfillment_orders[f]
            for f in order.fulfillment_order_ids
            if store.fulfillment_orders[f].status in FULFILLABLE
        ]
        if not fos:
            return
        last = index == len(plan) - 1
        lines = _pick_lines(fos, everything=last)
        if not lines:
            return
        rng = random.Random(f"{store.seed}:tracking:{order.id}:{index}")
        company, number, url = pick_tracking(rng)
        apply_fulfillment(store, order, lines, [TrackingRec(company, number, url)])


def _pick_lines(
    fos: list[FulfillmentOrderRec], *, everything: bool
) -> list[tuple[FulfillmentOrderRec, int, int]]:
    pending = [
        (fo, fl.id, fl.remaining_quantity)
        for fo in fos
        for fl in fo.lines
        if fl.remaining_quantity > 0
    ]
    if everything:
        return pending
    units = sum(q for _, _, q in pending)
    if units < 2:
        return pending
    # The first of two shipments takes about half of the units.
    budget, chosen = units // 2, []
    for fo, fl_id, quantity in pending:
        if budget <= 0:
            break
        take = min(quantity, budget)
        chosen.append((fo, fl_id, take))
        budget -= take
    return chosen


def _web_sales(store: ShopifyStore, now: float) -> None:
    rate = store.web_sales_per_minute / 60.0
    if rate <= 0:
        store.next_web_sale = None
        return
    if store.next_web_sale is None:
        store.next_web_sale = store.last_tick + store.rng.expovariate(rate)
    while store.next_web_sale <= now:
        _one_web_sale(store, store.next_web_sale)
        store.next_web_sale += store.rng.expovariate(rate)


def _one_web_sale(store: ShopifyStore, when: float) -> None:
    in_stock = [level for level in store.levels.values() if level.quantity("available") > 0]
    if not in_stock:
        return
    level = store.rng.choice(sorted(in_stock, key=lambda lv: (lv.item_id, lv.location_id)))
    units = min(level.quantity("available"), store.rng.choice([1, 1, 1, 2]))
    level.quantities["available"] = level.quantity("available") - units
    store.web_sales.append((when, level.item_id, level.location_id, units))
    store.touch_inventory(level, when)
