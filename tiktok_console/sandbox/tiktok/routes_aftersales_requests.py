"""Search Aftersales Requests (202603): returns grouped into after-sales requests.

The current spec groups SKU-level return requests and the return parcels they
wait for (return merchandise authorizations, RMAs) under one after-sales request;
``whitelisted_data_fields`` says which of the three lists to include.

Assumption: each of the sandbox's returns is one after-sales request (its buyers
return one order's lines at a time). The request's id is the return's with a
leading ``9``, its RMA's with a leading ``7``.
Assumption: a request still waiting for the seller's answer is
PENDING_REQUEST_REVIEW, every other one REQUEST_REVIEW_COMPLETED (INIT is not seen).
"""

from __future__ import annotations

from typing import Any

from tiktok_console.sandbox.tiktok.aftersales import PHYSICAL
from tiktok_console.sandbox.tiktok.aftersales_request import Request
from tiktok_console.sandbox.tiktok.errors import ApiError
from tiktok_console.sandbox.tiktok.routes_aftersales import current_return
from tiktok_console.sandbox.tiktok.routing import Call, Endpoint
from tiktok_console.sandbox.tiktok.wire import fingerprint, page

_INVALID = "An invalid request parameter was passed."
_FIELDS = {"LINE_ITEMS", "RETURN_MERCHANDISE_AUTHORIZATIONS", "SKU_RETURN_REQUESTS"}
_PENDING = {"RETURN_OR_REFUND_REQUEST_PENDING", "REPLACEMENT_REQUEST_PENDING"}
_STATUSES = {"INIT", "PENDING_REQUEST_REVIEW", "REQUEST_REVIEW_COMPLETED"}
_TYPES = {"EXCHANGE", "REFUND", "REPLACEMENT", "RETURN_AND_REFUND"}


def request_id(r: Request) -> str:
    """The after-sales request a return belongs to."""
    return f"9{r.id}"


def _status(r: Request) -> str:
    return "PENDING_REQUEST_REVIEW" if r.status in _PENDING else "REQUEST_REVIEW_COMPLETED"


def _rma_status(r: Request) -> str | None:
    """Where the return parcel is; None before the seller agreed to take it back."""
    if r.type not in PHYSICAL or r.status in _PENDING:
        return None
    if r.status == "AWAITING_BUYER_SHIP":
        return "AWAITING_BUYER_RETURN"
    if r.status == "BUYER_SHIPPED_ITEM":
        waiting = r.action == "SELLER_RESPOND_RECEIVE_PACKAGE"
        return "PENDING_PACKAGE_REVIEW" if waiting else "RETURN_IN_TRANSIT"
    return "PACKAGE_REVIEW_COMPLETED" if r.tracking_number else None


def _strings(body: dict[str, Any], name: str, allowed: set[str] | None = None) -> set[str]:
    value = body.get(name) or []
    if not isinstance(value, list) or (allowed and not set(map(str, value)) <= allowed):
        raise ApiError(25001001, _INVALID)
    return {str(v) for v in value}


def _window(value: int, bounds: Any) -> bool:
    if bounds is None:
        return True
    if not isinstance(bounds, dict):
        raise ApiError(25001001, _INVALID)
    try:
        low, high = bounds.get("min_unix_time_inclusive"), bounds.get("max_unix_time_exclusive")
        return (low is None or value >= int(low)) and (high is None or value < int(high))
    except (TypeError, ValueError):
        raise ApiError(25001001, _INVALID) from None


def _matching(call: Call, filters: dict[str, Any]) -> list[Request]:
    ids = _strings(filters, "aftersales_request_ids")
    statuses = _strings(filters, "aftersales_request_statuses", _STATUSES)
    types = _strings(filters, "return_types", _TYPES)
    orders = _strings(filters, "main_order_ids")
    buyers = _strings(filters, "buyer_ids")
    times = filters.get("time") or {}
    book = call.shop.book
    return [
        r
        for r in call.shop.aftersales.of_kind("return")
        if (not ids or request_id(r) in ids)
        and (not statuses or _status(r) in statuses)
        and (not types or r.type in types)
        and (not orders or r.order_id in orders)
        and (not buyers or book.orders[r.order_id].buyer.user_id in buyers)
        and _window(r.create_time, times.get("create_time"))
        and _window(r.update_time, times.get("update_time"))
    ]


def _page_size(pagination: dict[str, Any]) -> int:
    # Assumption: 1-50, 10 by default, as Search Returns pages.
    raw = pagination.get("page_size", 10)
    try:
        size = int(raw)
    except (TypeError, ValueError):
        raise ApiError(25001001, _INVALID) from None
    if not 1 <= size <= 50:
        raise ApiError(25001001, "page_size must be within [1, 50].")
    return size


def _request(call: Call, r: Request, fields: set[str]) -> dict[str, Any]:
    wire: dict[str, Any] = {"id": request_id(r), "status": _status(r)}
    sku_request = _sku_return_request(call, r)
    lines = [
        {
            "return_line_item_id": line["return_line_item_id"],
            "sub_return_line_item_id": "",
            "sku_id": line["sku_id"],
            "main_order_id": r.order_id,
            "sku_return_request_id": r.id,
        }
        for line in sku_request["return_line_items"]
    ]
    if "LINE_ITEMS" in fields:
        wire["line_items"] = lines
    if "SKU_RETURN_REQUESTS" in fields:
        wire["sku_return_requests"] = [sku_request]
    if "RETURN_MERCHANDISE_AUTHORIZATIONS" in fields:
        status = _rma_status(r)
        wire["return_merchandise_authorizations"] = (
            []
            if status is None
            else [
                {
                    "id": f"7{r.id}",
                    "package_id": "",  # Assumption: the parcel is known by its tracking number
                    "aftersales_request_id": request_id(r),
                    "status": status,
                    "line_items": lines,
                }
            ]
        )
    return wire


def _sku_return_request(call: Call, r: Request) -> dict[str, Any]:
    """A return in the shape §3.11 gives ``sku_return_requests`` (names differ from 202602)."""
    wire = current_return(call, r)
    discount = dict(wire.pop("discount_amount")[0])
    discount.pop("currency", None)
    fee = wire.pop("shipping_fee_amount")[0]
    partial = wire.pop("partial_refund")
    wire["discount"] = discount
    wire["shipping_fee"] = {
        f"{who}_paid_return_shipping_fee_amount": fee[f"{who}_paid_return_shipping_fee"]
        for who in ("seller", "buyer", "platform")
    }
    wire["buyer_keep_item"] = wire.pop("can_buyer_keep_item")
    wire["partial_refund_amount"] = {
        "partial_refund_total": partial["amount"],
        "currency": partial["currency"],
    }
    wire["exchange_order_lines"] = []
    wire["reshipment_order_id"] = ""
    wire["return_sub_line_items"] = []  # deprecated at this level; per line instead
    return wire


def search_aftersales(call: Call) -> dict[str, Any]:
    """Search Aftersales Requests (202603): filters, sort and paging all in the body."""
    body = call.body
    filters = body.get("filters") or {}
    sort = body.get("sort") or {}
    pagination = body.get("pagination") or {}
    if not all(isinstance(part, dict) for part in (filters, sort, pagination)):
        raise ApiError(25001001, _INVALID)
    fields = _strings(body, "whitelisted_data_fields", _FIELDS)
    found = _matching(call, filters)
    field = str(sort.get("sort_field") or "CREATE_TIME").upper()
    order = str(sort.get("sort_order") or "DESC").upper()
    if field not in ("CREATE_TIME", "UPDATE_TIME") or order not in ("ASC", "DESC"):
        raise ApiError(25001001, _INVALID)
    attribute = field.lower()
    found.sort(key=lambda r: (getattr(r, attribute), r.id), reverse=order == "DESC")
    key = fingerprint(filters, sorted(fields), field, order, "as")
    items, token = page(found, _page_size(pagination), pagination.get("page_token"), key)
    return {
        "aftersales_requests": [_request(call, r, fields) for r in items],
        "total_count": len(found),
        "next_page_token": token,
    }


ENDPOINTS = [
    Endpoint("POST", "return_refund", ("202603",), "aftersales/search", search_aftersales),
]
