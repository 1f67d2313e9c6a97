"""Order mutations: ``orderCreate``, ``orderCancel``, ``tagsAdd`` and ``orderUpdate``.

Inventory follows Shopify's states: an order that decrements inventory moves
units from ``available`` to ``committed`` at the location that will fulfil it;
cancelling with restock moves them back; fulfilling removes them from
``committed`` (so ``on_hand`` drops). An order created with ``fulfillment``
(an order imported already shipped) is fulfilled at once from that location,
with its tracking: stock is taken there unless ``inventoryBehaviour`` is BYPASS.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from .errors import TopLevelError, UserErrors, user_error
from .fulfillment_ops import apply_fulfillment
from .ids import node_type, parse_gid
from .money import parse_iso, to_decimal
from .records import (
    FulfillmentOrderLineRec,
    FulfillmentOrderRec,
    LineItemRec,
    LocationRec,
    OrderRec,
    ProductRec,
    ShippingLineRec,
    TaxLineRec,
    TrackingRec,
    TransactionRec,
)

if TYPE_CHECKING:
    from .store import ShopifyStore

DEV_STORE_ORDERS_PER_MINUTE = 5


def _money(bag: dict[str, Any] | None) -> Decimal | None:
    if not bag:
        return None
    return to_decimal(bag["shopMoney"]["amount"])


def _taxes(inputs: list[dict[str, Any]] | None, base: Decimal) -> list[TaxLineRec]:
    taxes = []
    for tax in inputs or []:
        rate = to_decimal(tax["rate"])
        amount = _money(tax.get("priceSet"))
        taxes.append(
            TaxLineRec(
                tax["title"],
                rate,
                amount if amount is not None else (base * rate).quantize(Decimal("0.01")),
            )
        )
    return taxes


def _customer_email(data: dict[str, Any]) -> str | None:
    """The order's email: a customer's (toUpsert or toAssociate) takes precedence, as documented."""
    customer = data.get("customer") or {}
    for part in ("toUpsert", "toAssociate"):
        email = (customer.get(part) or {}).get("email")
        if email:
            return str(email)
    return data.get("email")


def _check_dev_store_limit(store: ShopifyStore, now: float) -> None:
    # Assumption: the documented 5-orders-per-minute limit on development stores is
    # reported like a throttle (top-level error, code THROTTLED), not as a user error.
    store.order_create_times = [t for t in store.order_create_times if t > now - 60]
    if store.dev_store and len(store.order_create_times) >= DEV_STORE_ORDERS_PER_MINUTE:
        raise TopLevelError(
            "Too many orders created. Development and trial stores can create at most "
            f"{DEV_STORE_ORDERS_PER_MINUTE} orders per minute.",
            "THROTTLED",
        )


def _line_items(
    store: ShopifyStore, inputs: list[dict[str, Any]]
) -> tuple[list[LineItemRec], UserErrors]:
    lines: list[LineItemRec] = []
    errors: UserErrors = []
    for index, data in enumerate(inputs):
        path = ["order", "lineItems", str(index)]
        if data["quantity"] < 1:
            errors.append(
                user_error(
                    [*path, "quantity"], "Quantity must be greater than or equal to 1", "INVALID"
                )
            )
            continue
        variant = None
        if data.get("variantId") is not None:
            variant_id = parse_gid(data["variantId"], "ProductVariant")
            variant = store.variants.get(variant_id) if variant_id is not None else None
            if variant is None:
                errors.append(user_error([*path, "variantId"], "Variant does not exist", "INVALID"))
                continue
        elif not data.get("title") or data.get("priceSet") is None:
            errors.append(
                user_error(
                    path, "Line items without a variant need a title and a priceSet", "INVALID"
                )
            )
            continue
        price = _money(data.get("priceSet"))
        product: ProductRec | None = store.products[variant.product_id] if variant else None
        unit = price if price is not None else (variant.price if variant else Decimal(0))
        lines.append(
            LineItemRec(
                id=store.ids.next("LineItem"),
                variant_id=variant.id if variant else None,
                product_id=product.id if product else None,
                sku=data.get("sku") or (variant.sku if variant else ""),
                title=data.get("title") or (product.title if product else ""),
                variant_title=data.get("variantTitle") or (variant.title if variant else None),
                quantity=data["quantity"],
                price=unit,
                tax_lines=_taxes(data.get("taxLines"), unit * data["quantity"]),
                custom_attributes=[(p["name"], p["value"]) for p in data.get("properties") or []],
                requires_shipping=True if variant else bool(data.get("requiresShipping")),
            )
        )
    return lines, errors


def _claim_inventory(
    store: ShopifyStore, lines: list[LineItemRec], behaviour: str, location: LocationRec
) -> UserErrors:
    if behaviour == "BYPASS":
        return []
    wanted: dict[int, int] = {}
    for line in lines:
        if line.variant_id is not None:
            item = store.variants[line.variant_id].inventory_item_id
            wanted[item] = wanted.get(item, 0) + line.quantity
    errors: UserErrors = []
    if behaviour == "DECREMENT_OBEYING_POLICY":
        for index, line in enumerate(lines):
            if line.variant_id is None:
                continue
            variant = store.variants[line.variant_id]
            level = store.level(variant.inventory_item_id, location.id)
            available = level.quantity("available") if level else 0
            if variant.inventory_policy == "DENY" and available < wanted[variant.inventory_item_id]:
                # Assumption: Shopify's wording is not documented; the code is the schema's.
                errors.append(
                    user_error(
                        ["order", "lineItems", str(index)],
                        f"Unable to claim inventory for {variant.sku or line.title}: "
                        f"{available} available at {location.name}.",
                        "INVENTORY_CLAIM_FAILED",
                    )
                )
    if errors:
        return errors
    now = store.now()
    for line in lines:
        if line.variant_id is None:
            continue
        item_id = store.variants[line.variant_id].inventory_item_id
        level = store.level(item_id, location.id)
        if level is None:
            continue
        level.quantities["available"] = level.quantity("available") - line.quantity
        level.quantities["committed"] = level.quantity("committed") + line.quantity
        line.committed_location_id = location.id
        store.touch_inventory(level, now)
    return []


def _transactions(
    store: ShopifyStore, inputs: list[dict[str, Any]] | None, now: float, test: bool
) -> list[TransactionRec]:
    return [
        TransactionRec(
            id=store.ids.next("OrderTransaction"),
            kind=tx.get("kind") or "SALE",
            status=tx.get("status") or "SUCCESS",
            gateway=tx.get("gateway") or "manual",
            amount=to_decimal(tx["amountSet"]["shopMoney"]["amount"]),
            test=bool(tx.get("test")) or test,
            created_at=now,
            processed_at=parse_iso(tx["processedAt"]) if tx.get("processedAt") else now,
        )
        for tx in inputs or []
    ]


def create_order(
    store: ShopifyStore, data: dict[str, Any], options: dict[str, Any] | None
) -> tuple[OrderRec | None, UserErrors]:
    """``orderCreate``."""
    now = store.now()
    _check_dev_store_limit(store, now)
    if not data.get("lineItems"):
        return None, [
            user_error(
                ["order", "lineItems"], "Line items must have at least one line item", "INVALID"
            )
        ]
    processed_at = parse_iso(data["processedAt"]) if data.get("processedAt") else now
    if processed_at > now + 60:
        return None, [
            user_error(
                ["order", "processedAt"],
                "Processed at must not be in the future",
                "PROCESSED_AT_INVALID",
            )
        ]
    lines, errors = _line_items(store, data["lineItems"])
    if errors:
        return None, errors
    shipped = data.get("fulfillment")
    location, errors = _fulfilling_location(store, shipped)
    if errors:
        return None, errors
    behaviour = (options or {}).get("inventoryBehaviour") or "BYPASS"
    errors = _claim_inventory(store, lines, behaviour, location)
    if errors:
        return None, errors
    test = bool(data.get("test"))
    order = OrderRec(
        id=store.ids.next("Order"),
        number=store.next_order_number,
        email=_customer_email(data),
        phone=data.get("phone"),
        tags=_clean_tags(data.get("tags") or []),
        note=data.get("note"),
        source_name=data.get("sourceName") or "sandbox-app",
        source_identifier=data.get("sourceIdentifier"),
        custom_attributes=[(a["key"], a["value"]) for a in data.get("customAttributes") or []],
        processed_at=processed_at,
        created_at=now,
        updated_at=now,
        currency=data.get("currency") or store.currency,
        line_items=lines,
        shipping_address=data.get("shippingAddress"),
        shipping_lines=[
            ShippingLineRec(
                store.ids.next("ShippingLine"),
                s["title"],
                s.get("code"),
                s.get("source"),
                _money(s["priceSet"]) or Decimal(0),
                _taxes(s.get("taxLines"), _money(s["priceSet"]) or Decimal(0)),
            )
            for s in data.get("shippingLines") or []
        ],
        transactions=_transactions(store, data.get("transactions"), now, test),
        financial_status=data.get("financialStatus") or "PENDING",
        test=test,
        created_by_api=True,
        taxes_included=bool(data.get("taxesIncluded")),
    )
    store.next_order_number += 1
    store.order_create_times.append(now)
    store.orders[order.id] = order
    fo = _open_fulfillment_order(store, order, now, location)
    if shipped and fo is not None:
        tracking = TrackingRec(shipped.get("trackingCompany"), shipped.get("trackingNumber"), None)
        plan = [(fo, line.id, line.remaining_quantity) for line in fo.lines]
        has_tracking = tracking.company or tracking.number
        apply_fulfillment(store, order, plan, [tracking] if has_tracking else [])
    store.touch_order(order, now)
    return order, []


def _fulfilling_location(
    store: ShopifyStore, shipped: dict[str, Any] | None
) -> tuple[LocationRec, UserErrors]:
    """The location an order's stock and fulfillment are at: the input's, else routing's."""
    if not shipped:
        return store.online_location(), []
    location_id = parse_gid(shipped["locationId"], "Location")
    location = store.locations.get(location_id or 0)
    if location is None or not location.is_active:
        # Assumption: Shopify's wording is not documented; the field path is the input's.
        error = user_error(
            ["order", "fulfillment", "locationId"], "Location does not exist", "INVALID"
        )
        return store.online_location(), [error]
    return location, []


def _open_fulfillment_order(
    store: ShopifyStore, order: OrderRec, now: float, location: LocationRec
) -> FulfillmentOrderRec | None:
    shippable = [line for line in order.line_items if line.requires_shipping]
    if not shippable:
        return None
    fo = FulfillmentOrderRec(
        id=store.ids.next("FulfillmentOrder"),
        order_id=order.id,
        location_id=location.id,
        status="OPEN",
        lines=[
            FulfillmentOrderLineRec(
                store.ids.next("FulfillmentOrderLineItem"), line.id, line.quantity, line.quantity
            )
            for line in shippable
        ],
        created_at=now,
        updated_at=now,
    )
    store.fulfillment_orders[fo.id] = fo
    order.fulfillment_order_ids.append(fo.id)
    return fo


def cancel_order(store: ShopifyStore, args: dict[str, Any]) -> UserErrors:
    """``orderCancel``: cancel at once (the returned job is already done)."""
    from .refund_ops import refund_everything

    order_id = parse_gid(args["orderId"], "Order")
    order = store.orders.get(order_id) if order_id is not None else None
    if order is None:
        return [user_error(["orderId"], "Order does not exist", "NOT_FOUND")]
    if order.cancelled_at is not None:
        return [user_error(["orderId"], "Order has already been cancelled", "INVALID")]
    if any(store.fulfillments[f].status == "SUCCESS" for f in order.fulfillment_ids):
        return [user_error(["orderId"], "Cannot cancel an order that has fulfillments", "INVALID")]
    now = store.now()
    for line in order.line_items:
        release_committed(store, line, line.unfulfilled, restock=bool(args["restock"]), now=now)
        line.cancelled += line.unfulfilled
    for fo_id in order.fulfillment_order_ids:
        fo = store.fulfillment_orders[fo_id]
        fo.status, fo.updated_at = "CLOSED", now
        for fl in fo.lines:
            fl.remaining_quantity = 0
    if args["refund"]:
        refund_everything(store, order, now)
    order.cancelled_at = now
    order.closed_at = now
    order.cancel_reason = args["reason"]
    order.cancel_notified_customer = bool(args.get("notifyCustomer"))
    if args.get("staffNote"):
        order.note = ((order.note or "") + "\n" + args["staffNote"]).strip()
    store.touch_order(order, now)
    return []


def release_committed(
    store: ShopifyStore, line: LineItemRec, quantity: int, *, restock: bool, now: float
) -> None:
    """Release units committed to a line: back to available (restock) or gone."""
    if quantity <= 0 or line.committed_location_id is None or line.variant_id is None:
        return
    item_id = store.variants[line.variant_id].inventory_item_id
    level = store.level(item_id, line.committed_location_id)
    if level is None:
        return
    level.quantities["committed"] = level.quantity("committed") - quantity
    if restock:
        level.quantities["available"] = level.quantity("available") + quantity
    store.touch_inventory(level, now)


def _clean_tags(tags: list[str]) -> list[str]:
    result: list[str] = []
    for tag in tags:
        for part in tag.split(","):
            part = part.strip()
            if part and part.lower() not in {t.lower() for t in result}:
                result.append(part)
    return result


def add_tags(store: ShopifyStore, node_id: str, tags: list[str]) -> tuple[Any, UserErrors]:
    """``tagsAdd`` on an order or a product; returns the record."""
    now = store.now()
    kind = node_type(node_id)
    if kind == "Order":
        order = store.orders.get(parse_gid(node_id, "Order") or 0)
        if order is not None:
            order.tags = _clean_tags(order.tags + tags)
            store.touch_order(order, now)
            return order, []
    if kind == "Product":
        product = store.products.get(parse_gid(node_id, "Product") or 0)
        if product is not None:
            product.tags = _clean_tags(product.tags + tags)
            product.updated_at = now
            store.product_index.put(product.id, store.product_doc(product), now)
            return product, []
    return None, [user_error(["id"], "Resource not found")]


def update_order(store: ShopifyStore, data: dict[str, Any]) -> tuple[OrderRec | None, UserErrors]:
    """``orderUpdate``: email, note, tags, custom attributes and shipping address."""
    order = store.orders.get(parse_gid(data["id"], "Order") or 0)
    if order is None:
        return None, [user_error(["id"], "Order does not exist")]
    if "email" in data:
        order.email = data["email"]
    if "note" in data:
        order.note = data["note"]
    if data.get("tags") is not None:
        order.tags = _clean_tags(data["tags"])
    if data.get("customAttributes") is not None:
        order.custom_attributes = [(a["key"], a["value"]) for a in data["customAttributes"]]
    if data.get("shippingAddress") is not None:
        order.shipping_address = data["shippingAddress"]
    store.touch_order(order, store.now())
    return order, []
