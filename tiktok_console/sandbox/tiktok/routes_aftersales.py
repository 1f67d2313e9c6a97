"""Return and refund endpoints: search returns/cancellations, approve/reject, reasons.

Search Returns and Search Cancellations are served in their listed version
(202309) and their current one (202602); Reject Return in 202309 and 202606.
The current versions add fields (``is_quick_refund``, virtual-bundle sub-items,
``should_replenish_stock``), rename the cancellation's next action to
``SELLER_RESPOND_BUYER_CANCEL`` and its type to ``BUYER_CANCEL``, and let a
seller offer a partial refund after inspecting a returned package.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from typing import Any

from tiktok_console.sandbox.tiktok.aftersales import PHYSICAL
from tiktok_console.sandbox.tiktok.aftersales_request import REJECT_REASONS, Request
from tiktok_console.sandbox.tiktok.decision_reasons import offered
from tiktok_console.sandbox.tiktok.errors import ApiError
from tiktok_console.sandbox.tiktok.orders import Order
from tiktok_console.sandbox.tiktok.routing import Call, Endpoint
from tiktok_console.sandbox.tiktok.wire import fingerprint, money, page

_IMG = "https://p16-oec-va.ibyteimg.com/tos-maliva-i-o3syd03w52-us/"


def search_returns(call: Call) -> dict[str, Any]:
    """Search Returns (page_size 10-50, default 10)."""
    items, token, total = _search(call, "return", "return_ids")
    return {
        "return_orders": [_return(call, r) for r in items],
        "next_page_token": token,
        "total_count": total,
    }


def search_cancellations(call: Call) -> dict[str, Any]:
    """Search Cancellations."""
    items, token, total = _search(call, "cancel", "cancel_ids")
    return {
        "cancellations": [_cancellation(call, r) for r in items],
        "next_page_token": token,
        "total_count": total,
    }


SEARCH_CURRENT = "202602"
REJECT_CURRENT = "202606"
# What the current Search Cancellations calls the listed types (the listed sample's
# REQUEST_CANCEL_REFUND is a buyer's request, BUYER_CANCEL in the current enum).
_CANCEL_TYPE_NOW = {"REQUEST_CANCEL_REFUND": "BUYER_CANCEL"}
_CANCEL_ACTION_NOW = {"SELLER_RESPOND_CANCEL": "SELLER_RESPOND_BUYER_CANCEL"}


def _current(call: Call) -> bool:
    return call.version == SEARCH_CURRENT


def _search(call: Call, kind: str, ids_field: str) -> tuple[list[Request], str, int]:
    size = call.page_size(default=10, low=10 if kind == "return" else 1, high=50)
    body = call.body
    ids = set(body.get(ids_field) or [])
    orders = set(body.get("order_ids") or [])
    types = set(body.get("return_types" if kind == "return" else "cancel_types") or [])
    statuses = set(body.get("return_status" if kind == "return" else "cancel_status") or [])
    found = [
        r
        for r in call.shop.aftersales.of_kind(kind)
        if (not ids or r.id in ids)
        and (not orders or r.order_id in orders)
        and (not types or _type(call, r) in types)
        and (not statuses or r.status in statuses)
        and _between(r.create_time, call, "create_time")
        and _between(r.update_time, call, "update_time")
    ]
    field = call.query.get("sort_field") or "create_time"
    if field not in ("create_time", "update_time"):
        raise ApiError(25001001, "An invalid request parameter was passed.")
    descending = (call.query.get("sort_order") or "DESC").upper() == "DESC"
    found.sort(key=lambda r: (getattr(r, field), r.id), reverse=descending)
    items, token = page(
        found, size, call.query.get("page_token"), fingerprint(body, field, descending, kind)
    )
    return items, token, len(found)


def _type(call: Call, r: Request) -> str:
    if r.kind == "cancel" and _current(call):
        return _CANCEL_TYPE_NOW.get(r.type, r.type)
    return r.type


def _between(value: int, call: Call, name: str) -> bool:
    low, high = call.int_filter(f"{name}_ge"), call.int_filter(f"{name}_lt")
    return (low is None or value >= low) and (high is None or value < high)


def _refund(r: Request, currency: str) -> dict[str, str]:
    return {
        "currency": currency,
        "refund_total": money(r.refund_total),
        "refund_subtotal": money(r.refund_subtotal),
        "refund_shipping_fee": "0.00",
        "refund_tax": money(r.refund_tax),
        "retail_delivery_fee": "0.00",
        "buyer_service_fee": "0.00",
    }


def _lines(call: Call, r: Request, id_field: str) -> list[dict[str, Any]]:
    lines = _listed_lines(call, r, id_field)
    if _current(call):
        sub_field = id_field.replace("_line_item_id", "_sub_line_items")
        for line in lines:
            line[sub_field] = []  # no virtual bundles in this shop
    return lines


def _listed_lines(call: Call, r: Request, id_field: str) -> list[dict[str, Any]]:
    order: Order = call.shop.book.orders[r.order_id]
    out = []
    for n, line_id in enumerate(r.line_ids):
        li = order.line(line_id)
        if li is None:
            continue
        refund = {
            "currency": order.currency,
            "refund_total": money(li.sale_price + li.tax),
            "refund_subtotal": money(li.sale_price),
            "refund_shipping_fee": "0.00",
            "refund_tax": money(li.tax),
            "retail_delivery_fee": "0.00",
            "buyer_service_fee": "0.00",
        }
        out.append(
            {
                id_field: f"{r.id[:-3]}{n:03d}",
                "order_line_item_id": li.id,
                "sku_id": li.sku_id,
                "seller_sku": li.seller_sku,
                "sku_name": li.sku_name,
                "product_name": li.product_name,
                "refund_amount": refund,
                "product_image": {"url": f"{_IMG}{li.sku_id}", "height": 200, "width": 200},
            }
        )
    return out


def _next_action(call: Call, r: Request) -> list[dict[str, Any]]:
    if not r.action:
        return []
    action = _CANCEL_ACTION_NOW.get(r.action, r.action) if _current(call) else r.action
    return [{"action": action, "deadline": r.deadline}]


def _return(call: Call, r: Request) -> dict[str, Any]:
    currency = call.shop.currency
    physical = r.type in PHYSICAL
    wire = {
        "return_id": r.id,
        "order_id": r.order_id,
        "return_type": r.type,
        "return_status": r.status,
        "role": r.role,
        "return_reason": r.reason,
        "return_reason_text": r.reason_text,
        "create_time": r.create_time,
        "update_time": r.update_time,
        "arbitration_status": r.arbitration_status,
        "seller_next_action_response": _next_action(call, r),
        "return_line_items": _lines(call, r, "return_line_item_id"),
        "refund_amount": _refund(r, currency),
        "can_buyer_keep_item": not physical,
        "buyer_rejected_partial_refund": r.buyer_rejected_partial_refund,
        "is_combined_return": False,
        "combined_return_id": "",
        "pre_return_id": "",
        "next_return_id": "",
        "seller_proposed_return_type": "" if r.partial_refund is None else "PARTIAL_REFUND",
        "shipment_type": "PLATFORM" if physical else "",
        "handover_method": "DROP_OFF",
        "return_method": "PLATFORM_SHIPPED" if physical else "",
        "return_tracking_number": r.tracking_number,
        "return_provider_name": "USPS" if r.tracking_number else "",
        "return_provider_id": "7117858858072016686" if r.tracking_number else "",
        "return_shipping_document_type": "SHIPPING_LABEL" if physical else "",
        "return_warehouse_address": {"full_address": _returns_address(call)},
        "discount_amount": [
            {
                "currency": currency,
                "product_platform_discount": "0.00",
                "product_seller_discount": "0.00",
                "shipping_fee_platform_discount": "0.00",
                "shipping_fee_seller_discount": "0.00",
            }
        ],
        "shipping_fee_amount": [
            {
                "currency": currency,
                "buyer_paid_return_shipping_fee": "0.00",
                "platform_paid_return_shipping_fee": "0.00",
                "seller_paid_return_shipping_fee": "0.00",
            }
        ],
        "partial_refund": {"amount": money(r.partial_refund or Decimal(0)), "currency": currency},
    }
    if _current(call):
        wire["is_quick_refund"] = False  # the seller may still refuse a received package
    return wire


def current_return(call: Call, r: Request) -> dict[str, Any]:
    """A return as the current Search Returns (202602) shows it, whatever ``call``'s version."""
    return _return(replace(call, version=SEARCH_CURRENT), r)


def _returns_address(call: Call) -> str:
    address: str = call.shop.logistics.returns.to_wire()["address"]["full_address"]
    return address


def _cancellation(call: Call, r: Request) -> dict[str, Any]:
    wire = {
        "cancel_id": r.id,
        "order_id": r.order_id,
        "cancel_type": _type(call, r),
        "cancel_status": r.status,
        "role": r.role,
        "cancel_reason": r.reason,
        "cancel_reason_text": r.reason_text,
        "create_time": r.create_time,
        "update_time": r.update_time,
        "seller_next_action_response": _next_action(call, r),
        "cancel_line_items": _lines(call, r, "cancel_line_item_id"),
        "refund_amount": _refund(r, call.shop.currency),
    }
    if _current(call):
        wire["should_replenish_stock"] = True  # cancelled before it shipped: stock comes back
    return wire


def _decide(kind: str, approve: bool) -> Any:
    path_key = "return_id" if kind == "return" else "cancel_id"

    def handler(call: Call) -> dict[str, Any]:
        key = call.query.get("idempotency_key")
        if key is not None and not 0 < len(key) <= 255:
            raise ApiError(25001001, "idempotency_key must be 1-255 characters.")
        return call.shop.aftersales.decide(
            kind,
            call.path_params[path_key],
            approve,
            call.body,
            key,
            call.shop.clock.now_int(),
            partial_refunds=call.version == REJECT_CURRENT,
            currency=call.shop.currency,
            # The current Reject Return takes only the reasons the decision endpoints offer.
            offered=offered if call.version == REJECT_CURRENT else None,
            images=call.shop.products.images,
        )

    return handler


_RECORD_TEXT = {
    "RETURN_OR_REFUND_REQUEST_PENDING": "The buyer requested a return or refund.",
    "REPLACEMENT_REQUEST_PENDING": "The buyer requested a replacement.",
    "AWAITING_BUYER_SHIP": "The request was approved; the buyer is to ship the item back.",
    "BUYER_SHIPPED_ITEM": "The buyer shipped the item back.",
    "AWAITING_BUYER_RESPONSE": "The seller offered a partial refund.",
    "REFUND_OR_RETURN_REQUEST_REJECT": "The request was rejected.",
    "REPLACEMENT_REQUEST_REJECT": "The replacement request was rejected.",
    "REJECT_RECEIVE_PACKAGE": "The returned package was refused.",
    "RETURN_OR_REFUND_REQUEST_SUCCESS": "The refund was approved.",
    "RETURN_OR_REFUND_REQUEST_COMPLETE": "The refund was completed.",
    "REPLACEMENT_REQUEST_COMPLETE": "The replacement was sent.",
}


def return_records(call: Call) -> dict[str, Any]:
    """Get Return Records: each change of the return, who made it and when."""
    req = call.shop.aftersales.get(call.path_params["return_id"], "return")
    return {
        "records": [
            {
                "event": status,
                "role": role,
                "description": _RECORD_TEXT.get(status, status),
                "reason_text": req.reason_text if n == 0 else "",
                "videos": [],
                "create_time": when,
            }
            | _shown(req, role, status)
            for n, (when, status, role) in enumerate(req.records)
        ]
    }


def _shown(req: Request, role: str, status: str) -> dict[str, Any]:
    """The note and images of a record: the seller's rejection shows its evidence."""
    evidence = req.evidence
    if evidence is None or role != "SELLER" or status not in _REJECTED:
        return {"note": "", "images": []}
    images = [{"url": i.url, "width": i.width, "height": i.height} for i in evidence.images]
    return {"note": evidence.comment, "images": images}


_REJECTED = frozenset(
    {"REFUND_OR_RETURN_REQUEST_REJECT", "REPLACEMENT_REQUEST_REJECT", "REJECT_RECEIVE_PACKAGE"}
)


def reject_reasons(call: Call) -> dict[str, Any]:
    """Get Reject Reasons."""
    return {"reasons": [{"name": name, "text": text} for name, text in REJECT_REASONS]}


_V = ("202309",)
_SEARCH = ("202309", SEARCH_CURRENT)
_C = "return_refund"
ENDPOINTS = [
    Endpoint("POST", _C, _SEARCH, "returns/search", search_returns),
    Endpoint("POST", _C, _SEARCH, "cancellations/search", search_cancellations),
    Endpoint("POST", _C, _V, "returns/{return_id}/approve", _decide("return", True)),
    Endpoint(
        "POST",
        _C,
        ("202309", REJECT_CURRENT),
        "returns/{return_id}/reject",
        _decide("return", False),
    ),
    Endpoint("POST", _C, _V, "cancellations/{cancel_id}/approve", _decide("cancel", True)),
    Endpoint("POST", _C, _V, "cancellations/{cancel_id}/reject", _decide("cancel", False)),
    Endpoint("GET", _C, _V, "reject_reasons", reject_reasons),
    Endpoint("GET", _C, _V, "returns/{return_id}/records", return_records),
]
