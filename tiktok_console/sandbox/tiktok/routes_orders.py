"""Order endpoints: Get Order List (search), Get Order Detail and Get Price Detail."""

from __future__ import annotations

from typing import Any

from tiktok_console.sandbox.tiktok import order_wire
from tiktok_console.sandbox.tiktok.errors import ApiError
from tiktok_console.sandbox.tiktok.price_detail import price_detail
from tiktok_console.sandbox.tiktok.routing import Call, Endpoint
from tiktok_console.sandbox.tiktok.wire import fingerprint, page

MAX_DETAIL_IDS = 50


def search(call: Call) -> dict[str, Any]:
    """Get Order List: paging in the query, filters in the body."""
    size = call.page_size(default=None, low=1, high=100)
    sort_field = call.query.get("sort_field") or "create_time"
    if sort_field not in ("create_time", "update_time"):
        raise ApiError(36009004, "sort_field must be create_time or update_time.")
    sort_order = (call.query.get("sort_order") or "DESC").upper()
    if sort_order not in ("ASC", "DESC"):
        raise ApiError(36009004, "sort_order must be ASC or DESC.")
    found = call.shop.book.search(call.body, sort_field, sort_order == "DESC")
    key = fingerprint(call.body, sort_field, sort_order, "o")
    items, token = page(found, size, call.query.get("page_token"), key)
    return {
        "orders": [order_wire.order(o) for o in items],
        "next_page_token": token,
        "total_count": len(found),
    }


def detail(call: Call) -> dict[str, Any]:
    """Get Order Detail: ``ids`` is a comma-separated list of at most 50 ids."""
    ids = [i for i in (call.query.get("ids") or "").split(",") if i]
    if not ids or len(ids) > MAX_DETAIL_IDS:
        raise ApiError(36009004, "ids must list between 1 and 50 order ids.")
    orders = [call.shop.book.get(i) for i in ids]
    return {"orders": [order_wire.order(o) for o in orders]}


def price(call: Call) -> dict[str, Any]:
    """Get Price Detail (202407) of one order."""
    return price_detail(call.shop.book.get(call.path_params["order_id"]))


ENDPOINTS = [
    Endpoint("POST", "order", ("202309",), "orders/search", search),
    Endpoint("GET", "order", ("202309", "202507"), "orders", detail),
    Endpoint("GET", "order", ("202407",), "orders/{order_id}/price_detail", price),
]
