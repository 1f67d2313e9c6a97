"""``fulfillmentCreate`` and ``fulfillmentTrackingInfoUpdate``, for the API and the warehouse."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .errors import UserErrors, user_error
from .ids import gid, parse_gid
from .records import FulfillmentOrderRec, FulfillmentRec, OrderRec, TrackingRec

if TYPE_CHECKING:
    from .store import ShopifyStore

FULFILLABLE = ("OPEN", "IN_PROGRESS")


def tracking_from_input(data: dict[str, Any] | None) -> list[TrackingRec]:
    """Tracking entries from a ``FulfillmentTrackingInput`` (single or list form)."""
    if not data:
        return []
    numbers = list(data.get("numbers") or []) or ([data["number"]] if data.get("number") else [])
    urls = list(data.get("urls") or []) or ([data["url"]] if data.get("url") else [])
    company = data.get("company")
    if not numbers:
        return [TrackingRec(company, None, urls[0] if urls else None)] if company or urls else []
    return [
        TrackingRec(company, number, urls[i] if i < len(urls) else None)
        for i, number in enumerate(numbers)
    ]


def create_fulfillment(
    store: ShopifyStore, data: dict[str, Any]
) -> tuple[FulfillmentRec | None, UserErrors]:
    """``fulfillmentCreate``: ship (part of) one order's fulfillment orders."""
    plan: list[tuple[FulfillmentOrderRec, int, int]] = []  # (fo, fo line id, quantity)
    order: OrderRec | None = None
    for index, group in enumerate(data["lineItemsByFulfillmentOrder"]):
        path = ["fulfillment", "lineItemsByFulfillmentOrder", str(index)]
        fo = store.fulfillment_orders.get(
            parse_gid(group["fulfillmentOrderId"], "FulfillmentOrder") or 0
        )
        if fo is None:
            return None, [
                user_error([*path, "fulfillmentOrderId"], "Fulfillment order does not exist.")
            ]
        if fo.status not in FULFILLABLE:
            return None, [
                user_error(
                    [*path, "fulfillmentOrderId"],
                    f"Fulfillment order {gid('FulfillmentOrder', fo.id)} has an unfulfillable "
                    f"status= {fo.status.lower()}.",
                )
            ]
        if order is not None and order.id != fo.order_id:
            return None, [user_error(path, "All fulfillment orders must belong to the same order.")]
        order = store.orders[fo.order_id]
        wanted = group.get("fulfillmentOrderLineItems")
        if wanted is None:
            plan += [
                (fo, fl.id, fl.remaining_quantity) for fl in fo.lines if fl.remaining_quantity > 0
            ]
            continue
        lines = {fl.id: fl for fl in fo.lines}
        for item in wanted:
            fl_id = parse_gid(item["id"], "FulfillmentOrderLineItem")
            fl = lines.get(fl_id or 0)
            if fl is None:
                return None, [user_error(path, "Fulfillment order line item does not exist.")]
            if item["quantity"] < 1 or item["quantity"] > fl.remaining_quantity:
                return None, [
                    user_error(path, "Invalid fulfillment order line item quantity requested.")
                ]
            plan.append((fo, fl.id, item["quantity"]))
    if order is None or not plan:
        return None, [user_error(["fulfillment"], "Line items to fulfill must be specified.")]
    return apply_fulfillment(store, order, plan, tracking_from_input(data.get("trackingInfo"))), []


def apply_fulfillment(
    store: ShopifyStore,
    order: OrderRec,
    plan: list[tuple[FulfillmentOrderRec, int, int]],
    tracking: list[TrackingRec],
) -> FulfillmentRec:
    """Record a shipment: reduce remaining quantities, release committed stock, close FOs."""
    now = store.now()
    lines_by_id = {li.id: li for li in order.line_items}
    shipped: dict[int, int] = {}
    for fo, fl_id, quantity in plan:
        fl = next(f for f in fo.lines if f.id == fl_id)
        fl.remaining_quantity -= quantity
        line = lines_by_id[fl.line_item_id]
        line.fulfilled += quantity
        shipped[line.id] = shipped.get(line.id, 0) + quantity
        _ship_inventory(store, line.variant_id, line.committed_location_id, quantity, now)
    fulfillment = FulfillmentRec(
        id=store.ids.next("Fulfillment"),
        order_id=order.id,
        sequence=len(order.fulfillment_ids) + 1,
        status="SUCCESS",
        tracking=tracking,
        lines=list(shipped.items()),
        location_id=plan[0][0].location_id,
        fulfillment_order_ids=sorted({fo.id for fo, _, _ in plan}),
        created_at=now,
        updated_at=now,
    )
    store.fulfillments[fulfillment.id] = fulfillment
    order.fulfillment_ids.append(fulfillment.id)
    for fo in {fo.id: fo for fo, _, _ in plan}.values():
        fo.fulfillment_ids.append(fulfillment.id)
        fo.status = "CLOSED" if all(f.remaining_quantity == 0 for f in fo.lines) else "IN_PROGRESS"
        fo.updated_at = now
    store.touch_order(order, now)
    return fulfillment


def _ship_inventory(
    store: ShopifyStore, variant_id: int | None, location_id: int | None, quantity: int, now: float
) -> None:
    if variant_id is None or location_id is None:
        return
    level = store.level(store.variants[variant_id].inventory_item_id, location_id)
    if level is not None:
        level.quantities["committed"] = level.quantity("committed") - quantity
        store.touch_inventory(level, now)


def update_tracking(
    store: ShopifyStore, fulfillment_gid: str, data: dict[str, Any]
) -> tuple[FulfillmentRec | None, UserErrors]:
    """``fulfillmentTrackingInfoUpdate``: replace a fulfillment's tracking."""
    fulfillment = store.fulfillments.get(parse_gid(fulfillment_gid, "Fulfillment") or 0)
    if fulfillment is None:
        return None, [user_error(["fulfillmentId"], "Fulfillment does not exist.")]
    now = store.now()
    fulfillment.tracking = tracking_from_input(data)
    fulfillment.updated_at = now
    store.touch_order(store.orders[fulfillment.order_id], now)
    return fulfillment, []
