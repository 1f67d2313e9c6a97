"""What the seller may start: Get Aftersale Eligibility and Cancel Order.

Both are served in their listed version (202309) and their current one
(202602). The current eligibility names the request types CANCEL, REFUND and
RETURN_AND_REFUND (listed: RETURN for REFUND) and lists the reason names a
follow-up request may use; the current Cancel Order takes its reason from
those names and its lines as ``order_line_list`` objects.

The sandbox cancels whole orders only: asking for some lines answers 25005010,
as TikTok does where partial cancellation is not offered.
"""

from __future__ import annotations

from typing import Any

from tiktok_console.sandbox.tiktok.aftersales import RETURN_REASONS
from tiktok_console.sandbox.tiktok.errors import ApiError
from tiktok_console.sandbox.tiktok.orders import Order
from tiktok_console.sandbox.tiktok.routing import Call, Endpoint

CURRENT = "202602"
# Assumption: the reason names a seller may cancel with (TikTok lists them in its
# Return API overview, which the reference does not carry).
SELLER_CANCEL_REASONS = {
    "seller_cancel_reason_out_of_stock": "Out of stock",
    "seller_cancel_reason_pricing_error": "Pricing error",
    "seller_cancel_reason_unable_to_deliver": "Unable to deliver to the buyer's address",
}
_CANCELLABLE = ("AWAITING_SHIPMENT", "AWAITING_COLLECTION")
_SHIPPED = ("PARTIALLY_SHIPPING", "IN_TRANSIT", "DELIVERED")


def eligibility(call: Call) -> dict[str, Any]:
    """Get Aftersale Eligibility for the seller (the default) or the buyer."""
    order = call.shop.book.get(call.path_params["order_id"])
    current = call.version == CURRENT
    wanted = _request_types(call) if current else set()
    by_sku: dict[str, list[str]] = {}
    for li in order.line_items:
        by_sku.setdefault(li.sku_id, []).append(li.id)
    kinds = ("CANCEL", "REFUND", "RETURN_AND_REFUND")
    return {
        "sku_eligibility": [
            {
                "sku_id": sku_id,
                "line_item_eligibility": [
                    _entry(call, order, kind, line_ids, current)
                    for kind in kinds
                    if not wanted or kind in wanted
                ],
            }
            for sku_id, line_ids in by_sku.items()
        ]
    }


def _request_types(call: Call) -> set[str]:
    raw = call.query.get("request_types") or ""
    types = {t.strip() for t in raw.split(",") if t.strip()}
    if types - {"CANCEL", "REFUND", "RETURN_AND_REFUND"}:
        raise ApiError(25001001, "An invalid request parameter was passed.")
    return types


def _entry(
    call: Call, order: Order, kind: str, line_ids: list[str], current: bool
) -> dict[str, Any]:
    code, reason = _ineligible(call, order, kind)
    entry: dict[str, Any] = {
        # The listed version called a refund-only request RETURN.
        "request_type": kind if current or kind != "REFUND" else "RETURN",
        "order_line_items_ids": list(line_ids),
        "eligible": code == 0,
        "ineligible_code": code,
        "ineligible_reason": reason,
    }
    if current:
        names = SELLER_CANCEL_REASONS if kind == "CANCEL" else dict(RETURN_REASONS)
        entry["available_reason_names"] = list(names) if code == 0 else []
        entry["order_line_list"] = [
            {"order_line_item_id": i, "sub_order_line_item_id": ""} for i in line_ids
        ]
    return entry


def _ineligible(call: Call, order: Order, kind: str) -> tuple[int, str]:
    if order.status in ("CANCELLED", "COMPLETED"):
        return 25001051, "Not allowed to return or cancel since order is completed or cancelled"
    if _open_request(call, order):
        return 25001011, "A return request is already in process."
    if kind == "CANCEL":
        if order.status in _SHIPPED:
            return 25001045, "The order has already been shipped."
        if order.status not in _CANCELLABLE:
            return 25001021, "Reason not match order status"
        return 0, ""
    if order.status != "DELIVERED":
        return 25001021, "Reason not match order status"
    return 0, ""


def _open_request(call: Call, order: Order) -> bool:
    return any(r.order_id == order.id and r.action for r in call.shop.aftersales.requests.values())


def cancel_order(call: Call) -> dict[str, Any]:
    """Cancel Order: the seller cancels a whole order that has not shipped."""
    body = call.body
    order = call.shop.book.get(str(body.get("order_id") or ""))
    reason = body.get("cancel_reason")
    if reason not in SELLER_CANCEL_REASONS:
        raise ApiError(
            25001014, "Unknown return reason. Please ensure you are passing a valid return reason."
        )
    legacy = body.get("order_line_item_ids") or []
    lines = body.get("order_line_list") or []
    if call.version == CURRENT and legacy and lines:
        raise ApiError(25001001, "Send order_line_list or order_line_item_ids, not both.")
    asked = {str(i) for i in legacy} | {
        str(line.get("order_line_item_id")) for line in lines if isinstance(line, dict)
    }
    if asked and asked != {li.id for li in order.line_items}:
        raise ApiError(25005010, "Unable to cancel individual line items within this request.")
    code, text = _ineligible(call, order, "CANCEL")
    if code:
        raise ApiError(code, text)
    req = call.shop.aftersales.seller_cancel(
        order, str(reason), SELLER_CANCEL_REASONS[str(reason)], call.shop.clock.now_int()
    )
    return {"cancel_id": req.id, "cancel_status": req.status}


_BOTH = ("202309", CURRENT)
ENDPOINTS = [
    Endpoint("GET", "return_refund", _BOTH, "orders/{order_id}/aftersale_eligibility", eligibility),
    Endpoint("POST", "return_refund", _BOTH, "cancellations", cancel_order),
]
