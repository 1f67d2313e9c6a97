"""GraphQL views of orders and what hangs off them: lines, fulfillment, refunds, money.

Also the derived order states Shopify computes (financial and fulfillment
status, totals), shared with the search index.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from .catalog_views import location_view, product_view, variant_view
from .connections import connection
from .context import Info, RequestContext
from .ids import gid
from .money import iso, money_bag
from .records import (
    FulfillmentOrderRec,
    FulfillmentRec,
    LineItemRec,
    OrderRec,
    RefundRec,
    ShippingLineRec,
    TaxLineRec,
    TransactionRec,
)

if TYPE_CHECKING:
    from .store import ShopifyStore

View = dict[str, Any]
ZERO = Decimal(0)


def order_totals(order: OrderRec) -> dict[str, Decimal]:
    """Subtotal, shipping, tax and total of an order as placed, and what was refunded."""
    subtotal = sum((line.price * line.quantity for line in order.line_items), ZERO)
    shipping = sum((s.price for s in order.shipping_lines), ZERO)
    taxes = [t for line in order.line_items for t in line.tax_lines] + [
        t for s in order.shipping_lines for t in s.tax_lines
    ]
    tax = sum((t.amount for t in taxes), ZERO)
    total = subtotal + shipping + (ZERO if order.taxes_included else tax)
    refunded = sum(
        (t.amount for t in order.transactions if t.kind == "REFUND" and t.status == "SUCCESS"), ZERO
    )
    return {
        "subtotal": subtotal,
        "shipping": shipping,
        "tax": tax,
        "total": total,
        "refunded": refunded,
    }


def order_financial_status(store: ShopifyStore, order: OrderRec) -> str:
    """``displayFinancialStatus`` from the order's transactions."""
    totals = order_totals(order)
    ok = [t for t in order.transactions if t.status == "SUCCESS"]
    paid = sum((t.amount for t in ok if t.kind in ("SALE", "CAPTURE")), ZERO)
    authorized = sum((t.amount for t in ok if t.kind == "AUTHORIZATION"), ZERO)
    if totals["refunded"] > 0:
        return "REFUNDED" if totals["refunded"] >= paid else "PARTIALLY_REFUNDED"
    if paid > 0:
        return "PAID" if paid >= totals["total"] else "PARTIALLY_PAID"
    if authorized > 0:
        return "AUTHORIZED"
    if order.cancelled_at is not None and order.financial_status == "PENDING":
        return "VOIDED"
    return order.financial_status


def order_fulfillment_status(order: OrderRec) -> str:
    """``displayFulfillmentStatus``."""
    fulfilled = sum(line.fulfilled for line in order.line_items)
    remaining = sum(line.unfulfilled for line in order.line_items)
    if fulfilled == 0:
        restocked = all(line.current_quantity == 0 for line in order.line_items)
        return "RESTOCKED" if restocked and order.refund_ids else "UNFULFILLED"
    return "FULFILLED" if remaining == 0 else "PARTIALLY_FULFILLED"


def fulfillment_status_filter(order: OrderRec) -> str:
    """The ``fulfillment_status:`` search value."""
    return {
        "UNFULFILLED": "unshipped",
        "PARTIALLY_FULFILLED": "partial",
        "FULFILLED": "shipped",
        "RESTOCKED": "unshipped",
    }[order_fulfillment_status(order)]


def _tax_view(tax: TaxLineRec, currency: str) -> View:
    return {
        "title": tax.title,
        "rate": float(tax.rate),
        "ratePercentage": float(tax.rate * 100),
        "priceSet": money_bag(tax.amount, currency),
    }


def order_view(c: RequestContext, order: OrderRec) -> View:
    store = c.store
    cur = order.currency
    totals = order_totals(order)

    def line_items(info: Info, **args: Any) -> View:
        return connection(
            order.line_items,
            args,
            lambda li: li.id,
            lambda li: line_view(c, order, li),
            paged=not c.bulk,
        )

    def fulfillment_orders(info: Info, **args: Any) -> View:
        found = [store.fulfillment_orders[f] for f in order.fulfillment_order_ids]
        return connection(
            found,
            args,
            lambda fo: fo.id,
            lambda fo: fulfillment_order_view(c, fo),
            paged=not c.bulk,
        )

    def fulfillments(info: Info, first: int | None = None) -> list[View]:
        found = [store.fulfillments[f] for f in order.fulfillment_ids]
        return [fulfillment_view(c, f) for f in found[: first or None]]

    def refunds(info: Info, first: int | None = None) -> list[View]:
        found = [store.refunds[r] for r in order.refund_ids]
        return [refund_view(c, r) for r in found[: first or None]]

    def transactions(info: Info, first: int | None = None, **args: Any) -> list[View]:
        return [transaction_view(c, order, t) for t in order.transactions[: first or None]]

    def shipping_lines(info: Info, **args: Any) -> View:
        return connection(
            order.shipping_lines,
            args,
            lambda s: s.id,
            lambda s: shipping_view(s, cur),
            paged=not c.bulk,
        )

    current = totals["total"] - totals["refunded"]
    return {
        "__typename": "Order",
        "id": gid("Order", order.id),
        "legacyResourceId": str(order.id),
        "name": order.name,
        "email": order.email,
        "phone": order.phone,
        "tags": sorted(order.tags, key=str.lower),
        "note": order.note,
        "sourceName": order.source_name,
        "sourceIdentifier": order.source_identifier,
        "customAttributes": [{"key": k, "value": v} for k, v in order.custom_attributes],
        "processedAt": iso(order.processed_at),
        "createdAt": iso(order.created_at),
        "updatedAt": iso(order.updated_at),
        "cancelledAt": iso(order.cancelled_at),
        "cancelReason": order.cancel_reason,
        "closed": order.closed_at is not None,
        "closedAt": iso(order.closed_at),
        "test": order.test,
        "currencyCode": cur,
        "displayFinancialStatus": order_financial_status(store, order),
        "displayFulfillmentStatus": order_fulfillment_status(order),
        "fullyPaid": order_financial_status(store, order)
        in ("PAID", "PARTIALLY_REFUNDED", "REFUNDED"),
        "unpaid": order_financial_status(store, order) in ("PENDING", "AUTHORIZED", "EXPIRED"),
        "shippingAddress": _address(order.shipping_address, order.id),
        "lineItems": line_items,
        "fulfillmentOrders": fulfillment_orders,
        "fulfillments": fulfillments,
        "refunds": refunds,
        "transactions": transactions,
        "shippingLines": shipping_lines,
        "totalPriceSet": money_bag(totals["total"], cur),
        "currentTotalPriceSet": money_bag(max(current, ZERO), cur),
        "subtotalPriceSet": money_bag(totals["subtotal"], cur),
        "totalShippingPriceSet": money_bag(totals["shipping"], cur),
        "totalTaxSet": money_bag(totals["tax"], cur),
        "totalRefundedSet": money_bag(totals["refunded"], cur),
    }


def _address(address: dict[str, Any] | None, order_id: int) -> View | None:
    if address is None:
        return None
    view: View = {"id": gid("MailingAddress", order_id) + "?model_name=Address"}
    for key in (
        "firstName", "lastName", "company", "address1", "address2", "city", "province",
        "provinceCode", "zip", "country", "phone",
    ):  # fmt: skip
        view[key] = address.get(key)
    view["countryCodeV2"] = address.get("countryCode")
    names = [address.get("firstName"), address.get("lastName")]
    view["name"] = " ".join(n for n in names if n) or None
    return view


def line_view(c: RequestContext, order: OrderRec, line: LineItemRec) -> View:
    store = c.store
    cur = order.currency
    variant = store.variants.get(line.variant_id) if line.variant_id else None
    product = store.products.get(line.product_id) if line.product_id else None
    return {
        "__typename": "LineItem",
        "id": gid("LineItem", line.id),
        "sku": line.sku,
        "title": line.title,
        "name": f"{line.title} - {line.variant_title}" if line.variant_title else line.title,
        "variantTitle": line.variant_title,
        "quantity": line.quantity,
        "currentQuantity": line.current_quantity,
        "unfulfilledQuantity": line.unfulfilled if order.cancelled_at is None else 0,
        "fulfillableQuantity": line.unfulfilled if order.cancelled_at is None else 0,
        "refundableQuantity": line.current_quantity,
        "originalUnitPriceSet": money_bag(line.price, cur),
        "discountedUnitPriceSet": money_bag(line.price, cur),
        "customAttributes": [{"key": k, "value": v} for k, v in line.custom_attributes],
        "requiresShipping": line.requires_shipping,
        "taxLines": lambda info, first=None: [_tax_view(t, cur) for t in line.tax_lines],
        "variant": (lambda info: variant_view(c, variant)) if variant else None,
        "product": (lambda info: product_view(c, product)) if product else None,
    }


def shipping_view(line: ShippingLineRec, currency: str) -> View:
    return {
        "__typename": "ShippingLine",
        "id": gid("ShippingLine", line.id),
        "title": line.title,
        "code": line.code,
        "source": line.source,
        "carrierIdentifier": None,
        "originalPriceSet": money_bag(line.price, currency),
        "discountedPriceSet": money_bag(line.price, currency),
        "taxLines": [_tax_view(t, currency) for t in line.tax_lines],
    }


def fulfillment_order_view(c: RequestContext, fo: FulfillmentOrderRec) -> View:
    store = c.store
    order = store.orders[fo.order_id]
    lines_by_id = {li.id: li for li in order.line_items}
    location = store.locations[fo.location_id]

    def lines(info: Info, **args: Any) -> View:
        def view(fl: Any) -> View:
            line = lines_by_id[fl.line_item_id]
            return {
                "__typename": "FulfillmentOrderLineItem",
                "id": gid("FulfillmentOrderLineItem", fl.id),
                "remainingQuantity": fl.remaining_quantity,
                "totalQuantity": fl.total_quantity,
                "sku": line.sku,
                "lineItem": line_view(c, order, line),
                "variant": variant_view(c, store.variants[line.variant_id])
                if line.variant_id
                else None,
                "inventoryItemId": gid(
                    "InventoryItem", store.variants[line.variant_id].inventory_item_id
                )
                if line.variant_id
                else None,
            }

        return connection(fo.lines, args, lambda fl: fl.id, view, paged=not c.bulk)

    def fulfillments(info: Info, **args: Any) -> View:
        found = [store.fulfillments[f] for f in fo.fulfillment_ids]
        return connection(
            found, args, lambda f: f.id, lambda f: fulfillment_view(c, f), paged=not c.bulk
        )

    return {
        "__typename": "FulfillmentOrder",
        "id": gid("FulfillmentOrder", fo.id),
        "status": fo.status,
        "requestStatus": "UNSUBMITTED",
        "assignedLocation": {
            "name": location.name,
            "countryCode": store.country,
            "location": lambda info: location_view(c, location),
        },
        "orderId": gid("Order", order.id),
        "orderName": order.name,
        "order": lambda info: order_view(c, order),
        "fulfillAt": iso(fo.created_at),
        "createdAt": iso(fo.created_at),
        "updatedAt": iso(fo.updated_at),
        "lineItems": lines,
        "fulfillments": fulfillments,
    }


def fulfillment_view(c: RequestContext, fulfillment: FulfillmentRec) -> View:
    store = c.store
    order = store.orders[fulfillment.order_id]
    lines_by_id = {li.id: li for li in order.line_items}

    def line_items(info: Info, **args: Any) -> View:
        numbered = list(enumerate(fulfillment.lines))
        return connection(
            numbered,
            args,
            lambda pair: fulfillment.id * 100 + pair[0],
            lambda pair: {
                "__typename": "FulfillmentLineItem",
                "id": gid("FulfillmentLineItem", fulfillment.id * 100 + pair[0]),
                "quantity": pair[1][1],
                "lineItem": line_view(c, order, lines_by_id[pair[1][0]]),
            },
            paged=not c.bulk,
        )

    return {
        "__typename": "Fulfillment",
        "id": gid("Fulfillment", fulfillment.id),
        "legacyResourceId": str(fulfillment.id),
        "name": f"{order.name}-F{fulfillment.sequence}",
        "status": fulfillment.status,
        "displayStatus": "FULFILLED" if fulfillment.status == "SUCCESS" else "CANCELED",
        "trackingInfo": lambda info, first=None: [
            {"company": t.company, "number": t.number, "url": t.url}
            for t in fulfillment.tracking[: first or None]
        ],
        "fulfillmentLineItems": line_items,
        "location": lambda info: location_view(c, store.locations[fulfillment.location_id]),
        "order": lambda info: order_view(c, order),
        "totalQuantity": sum(q for _, q in fulfillment.lines),
        "inTransitAt": None,
        "deliveredAt": None,
        "createdAt": iso(fulfillment.created_at),
        "updatedAt": iso(fulfillment.updated_at),
    }


def transaction_view(c: RequestContext, order: OrderRec, tx: TransactionRec) -> View:
    parent = next((t for t in order.transactions if t.id == tx.parent_id), None)
    return {
        "__typename": "OrderTransaction",
        "id": gid("OrderTransaction", tx.id),
        "kind": tx.kind,
        "status": tx.status,
        "gateway": tx.gateway,
        "amountSet": money_bag(tx.amount, order.currency),
        "test": tx.test,
        "errorCode": None,
        "parentTransaction": (lambda info: transaction_view(c, order, parent)) if parent else None,
        "createdAt": iso(tx.created_at),
        "processedAt": iso(tx.processed_at),
    }


def refund_view(c: RequestContext, refund: RefundRec) -> View:
    store = c.store
    order = store.orders[refund.order_id]
    cur = order.currency
    lines_by_id = {li.id: li for li in order.line_items}

    def lines(info: Info, **args: Any) -> View:
        return connection(
            refund.lines,
            args,
            lambda rl: rl.id,
            lambda rl: {
                "__typename": "RefundLineItem",
                "id": gid("RefundLineItem", rl.id),
                "quantity": rl.quantity,
                "restockType": rl.restock_type,
                "restocked": rl.restocked,
                "priceSet": money_bag(rl.price, cur),
                "subtotalSet": money_bag(rl.price * rl.quantity, cur),
                "lineItem": line_view(c, order, lines_by_id[rl.line_item_id]),
                "location": location_view(c, store.locations[rl.location_id])
                if rl.location_id
                else None,
            },
            paged=not c.bulk,
        )

    def transactions(info: Info, **args: Any) -> View:
        return connection(
            refund.transactions,
            args,
            lambda t: t.id,
            lambda t: transaction_view(c, order, t),
            paged=not c.bulk,
        )

    return {
        "__typename": "Refund",
        "id": gid("Refund", refund.id),
        "legacyResourceId": str(refund.id),
        "note": refund.note,
        "createdAt": iso(refund.created_at),
        "updatedAt": iso(refund.created_at),
        "totalRefundedSet": money_bag(refund.total, cur),
        "refundLineItems": lines,
        "transactions": transactions,
        "order": lambda info: order_view(c, order),
    }
