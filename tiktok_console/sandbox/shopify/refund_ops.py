"""``refundCreate`` and the full refund an ``orderCancel(refund: true)`` makes.

A refund transaction refunds a payment: its ``parentId`` must name a successful
SALE or CAPTURE of the same order, on the same gateway, with that much left to
refund; otherwise Shopify refuses the whole refund (nothing is restocked).

Restock types: ``CANCEL`` releases units not yet shipped (committed → available),
``RETURN`` (and ``LEGACY_RESTOCK`` for shipped units) puts shipped units back on
the shelf at the given location, ``NO_RESTOCK`` changes no inventory.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from .errors import UserErrors, user_error
from .ids import parse_gid
from .money import to_decimal
from .order_ops import release_committed
from .order_views import order_totals
from .records import LineItemRec, OrderRec, RefundLineRec, RefundRec, TransactionRec

if TYPE_CHECKING:
    from .store import ShopifyStore


def _paid_gateway(order: OrderRec) -> tuple[str, int | None]:
    sale = next(
        (t for t in order.transactions if t.kind in ("SALE", "CAPTURE") and t.status == "SUCCESS"),
        None,
    )
    return (sale.gateway, sale.id) if sale else ("manual", None)


def refund_everything(store: ShopifyStore, order: OrderRec, now: float) -> None:
    """Refund whatever was paid (used by ``orderCancel(refund: true)``)."""
    totals = order_totals(order)
    paid = sum(
        (
            t.amount
            for t in order.transactions
            if t.kind in ("SALE", "CAPTURE") and t.status == "SUCCESS"
        ),
        Decimal(0),
    )
    amount = paid - totals["refunded"]
    if amount <= 0:
        return
    gateway, parent = _paid_gateway(order)
    tx = TransactionRec(
        store.ids.next("OrderTransaction"),
        "REFUND",
        "SUCCESS",
        gateway,
        amount,
        order.test,
        now,
        now,
        parent,
    )
    order.transactions.append(tx)
    refund = RefundRec(store.ids.next("Refund"), order.id, None, [], [tx], totals["shipping"], now)
    store.refunds[refund.id] = refund
    order.refund_ids.append(refund.id)


def _refund_line(
    store: ShopifyStore, order: OrderRec, data: dict[str, Any], index: int
) -> tuple[RefundLineRec | None, LineItemRec | None, dict[str, Any] | None]:
    path = ["input", "refundLineItems", str(index)]
    line_id = parse_gid(data["lineItemId"], "LineItem")
    line = next((li for li in order.line_items if li.id == line_id), None)
    if line is None:
        return (
            None,
            None,
            user_error([*path, "lineItemId"], "Line item does not exist on this order"),
        )
    if data["quantity"] < 1 or data["quantity"] > line.current_quantity:
        return (
            None,
            None,
            user_error(
                [*path, "quantity"],
                "Quantity cannot refund more items than were purchased "
                f"({line.current_quantity} refundable)",
            ),
        )
    restock = data.get("restockType") or "NO_RESTOCK"
    location_id = (
        parse_gid(data.get("locationId"), "Location")
        if data.get("locationId")
        else line.committed_location_id
    )
    if restock in ("RETURN", "LEGACY_RESTOCK") and location_id is None:
        location_id = store.online_location().id
    if location_id is not None and location_id not in store.locations:
        return None, None, user_error([*path, "locationId"], "Location does not exist")
    if restock == "CANCEL" and data["quantity"] > line.unfulfilled:
        return (
            None,
            None,
            user_error([*path, "restockType"], "Cannot cancel more items than are unfulfilled"),
        )
    if restock == "RETURN" and data["quantity"] > line.fulfilled - line.refunded:
        return (
            None,
            None,
            user_error([*path, "restockType"], "Cannot return more items than were fulfilled"),
        )
    record = RefundLineRec(
        store.ids.next("RefundLineItem"),
        line.id,
        data["quantity"],
        restock,
        location_id,
        restock != "NO_RESTOCK",
        line.price,
    )
    return record, line, None


def _apply_line(
    store: ShopifyStore, order: OrderRec, record: RefundLineRec, line: LineItemRec, now: float
) -> None:
    unshipped = min(record.quantity, line.unfulfilled)
    if record.restock_type == "CANCEL" or (record.restock_type == "LEGACY_RESTOCK" and unshipped):
        release_committed(store, line, unshipped, restock=True, now=now)
        _reduce_remaining(store, order, line, unshipped, now)
    elif record.restock_type == "NO_RESTOCK":
        release_committed(store, line, unshipped, restock=False, now=now)
        _reduce_remaining(store, order, line, unshipped, now)
    elif record.location_id is not None and line.variant_id is not None:
        item_id = store.variants[line.variant_id].inventory_item_id
        level = store.level(item_id, record.location_id)
        if level is not None:
            level.quantities["available"] = level.quantity("available") + record.quantity
            store.touch_inventory(level, now)
    line.refunded += record.quantity


def _reduce_remaining(
    store: ShopifyStore, order: OrderRec, line: LineItemRec, quantity: int, now: float
) -> None:
    for fo_id in order.fulfillment_order_ids:
        fo = store.fulfillment_orders[fo_id]
        for fl in fo.lines:
            if fl.line_item_id == line.id and quantity > 0:
                taken = min(quantity, fl.remaining_quantity)
                fl.remaining_quantity -= taken
                quantity -= taken
        if fo.status in ("OPEN", "IN_PROGRESS") and all(
            fl.remaining_quantity == 0 for fl in fo.lines
        ):
            fo.status, fo.updated_at = "CLOSED", now


def _refund_parent_error(
    order: OrderRec, tx: dict[str, Any], index: int, earlier: list[dict[str, Any]]
) -> dict[str, Any] | None:
    """Why Shopify refuses this refund transaction, or None.

    Assumption: the wording of these user errors (Shopify's exact messages are not
    documented); the rule itself (a refund needs its parent payment) is Shopify's.
    """
    if tx["kind"] != "REFUND":
        return None
    path = ["input", "transactions", str(index), "parentId"]
    if not tx.get("parentId"):
        return user_error(path, "Parent transaction is required for a refund")
    parent_id = parse_gid(tx["parentId"], "OrderTransaction")
    parent = next((t for t in order.transactions if t.id == parent_id), None)
    if parent is None or parent.kind not in ("SALE", "CAPTURE") or parent.status != "SUCCESS":
        return user_error(path, "Parent transaction does not exist or cannot be refunded")
    if parent.gateway != tx["gateway"]:
        return user_error(
            ["input", "transactions", str(index), "gateway"],
            "Gateway must match the parent transaction's gateway",
        )
    refunded = sum(
        (t.amount for t in order.transactions if t.parent_id == parent.id and t.kind == "REFUND"),
        Decimal(0),
    ) + sum((to_decimal(e["amount"]) for e in earlier if e.get("parentId") == tx["parentId"]),
            Decimal(0))  # fmt: skip
    if to_decimal(tx["amount"]) > parent.amount - refunded:
        return user_error(
            ["input", "transactions", str(index), "amount"],
            f"Amount cannot exceed the {parent.amount - refunded} left to refund",
        )
    return None


def create_refund(store: ShopifyStore, data: dict[str, Any]) -> tuple[RefundRec | None, UserErrors]:
    """``refundCreate``."""
    order = store.orders.get(parse_gid(data["orderId"], "Order") or 0)
    if order is None:
        return None, [user_error(["input", "orderId"], "Order does not exist")]
    sent = data.get("transactions") or []
    for index, tx in enumerate(sent):
        refused = _refund_parent_error(order, tx, index, sent[:index])
        if refused is not None:
            return None, [refused]
    planned = []
    for index, line_data in enumerate(data.get("refundLineItems") or []):
        record, line, error = _refund_line(store, order, line_data, index)
        if error is not None:
            return None, [error]
        planned.append((record, line))
    now = store.now()
    transactions = []
    for tx in data.get("transactions") or []:
        parent = parse_gid(tx.get("parentId"), "OrderTransaction") if tx.get("parentId") else None
        transactions.append(
            TransactionRec(
                store.ids.next("OrderTransaction"),
                tx["kind"],
                "SUCCESS",
                tx["gateway"],
                to_decimal(tx["amount"]),
                order.test,
                now,
                now,
                parent,
            )
        )
    shipping = data.get("shipping") or {}
    totals = order_totals(order)
    shipping_amount = (
        totals["shipping"]
        if shipping.get("fullRefund")
        else to_decimal(shipping.get("amount") or 0)
    )
    for record, line in planned:
        assert record is not None and line is not None
        _apply_line(store, order, record, line, now)
    refund = RefundRec(
        store.ids.next("Refund"),
        order.id,
        data.get("note"),
        [r for r, _ in planned if r is not None],
        transactions,
        shipping_amount,
        now,
    )
    order.transactions.extend(transactions)
    store.refunds[refund.id] = refund
    order.refund_ids.append(refund.id)
    store.touch_order(order, now)
    return refund, []
