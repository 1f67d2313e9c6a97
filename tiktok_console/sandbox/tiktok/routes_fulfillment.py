"""Fulfillment endpoints: mark shipped, fix tracking, package detail and search, labels.

Mark Package As Shipped and Update Package Shipping Info are served in their
listed version (202309: ``tracking_number`` and ``shipping_provider_id`` at the
top of the body, ``order_line_item_ids``) and their current one (202610: one
``shipping_info_list`` entry per tracking number, ``order_line_list`` objects).
The current body is read into the listed form; the response is the same.
"""

from __future__ import annotations

from typing import Any

from tiktok_console.sandbox.tiktok import fulfillment, labels, order_wire
from tiktok_console.sandbox.tiktok.errors import ApiError
from tiktok_console.sandbox.tiktok.orders import Package
from tiktok_console.sandbox.tiktok.routing import Call, Endpoint
from tiktok_console.sandbox.tiktok.wire import fingerprint, page

CURRENT = "202610"
_INVALID = "Invalid parameters. Please ensure you are passing the correct request parameter(s)."


def mark_shipped(call: Call) -> dict[str, Any]:
    """Mark Package As Shipped (202309 and 202610)."""
    shop = call.shop
    body = _listed_body(call, required=False)
    return fulfillment.mark_shipped(
        shop.book, call.path_params["order_id"], body, shop.clock.now_int(), shop.rng
    )


def _listed_body(call: Call, *, required: bool) -> dict[str, Any]:
    """The 202610 body read into the 202309 form; a 202309 body as it came."""
    if call.version != CURRENT:
        return call.body
    body = call.body
    infos = body.get("shipping_info_list")
    if infos is None and not required:
        infos = []
    if not isinstance(infos, list) or (required and not infos):
        raise ApiError(21001001, _INVALID)
    if len(infos) > 1:
        # Several tracking numbers for one package are for allow-listed sellers only.
        raise ApiError(
            21001001, "Multiple shipping_info_list entries are not allowed for this seller."
        )
    listed: dict[str, Any] = {}
    if infos:
        info = infos[0] if isinstance(infos[0], dict) else {}
        listed["tracking_number"] = info.get("tracking_number", "")
        listed["shipping_provider_id"] = info.get("shipping_provider_id", "")
    lines = body.get("order_line_list")
    if lines:
        if not all(isinstance(line, dict) and line.get("order_line_id") for line in lines):
            raise ApiError(21001001, _INVALID)
        listed["order_line_item_ids"] = [str(line["order_line_id"]) for line in lines]
    return listed


def create_packages(call: Call) -> dict[str, Any]:
    """Create Packages (202309 and 202512): buy a TikTok Shipping label (labels.py)."""
    shop = call.shop
    request = labels.read_request(call.body, call.version)
    open_requests = any(
        r.order_id == request.order_id and r.action for r in shop.aftersales.of_kind("cancel")
    )
    order, package, reply = labels.buy_label(
        shop.book, request, after_sale_open=open_requests, now=shop.clock.now_int(), rng=shop.rng
    )
    if call.version == labels.CURRENT:
        return reply
    return {"order_id": order.id, "order_line_item_ids": list(package.line_item_ids)} | reply


def update_order_shipping(call: Call) -> dict[str, Any]:
    """Update Shipping Info (by order)."""
    package = fulfillment.order_package(call.shop.book, call.path_params["order_id"])
    return fulfillment.update_shipping_info(
        call.shop.book, package, call.body, call.shop.clock.now_int()
    )


def update_package_shipping(call: Call) -> dict[str, Any]:
    """Update Package Shipping Info (202309 and 202610)."""
    package = _package(call)
    body = _listed_body(call, required=True)
    return fulfillment.update_shipping_info(
        call.shop.book, package, body, call.shop.clock.now_int()
    )


def package_detail(call: Call) -> dict[str, Any]:
    """Get Package Detail."""
    sender = call.shop.logistics.main.to_wire()["address"]
    keep = (
        "phone_number",
        "full_address",
        "address_line1",
        "address_line2",
        "address_line3",
        "address_line4",
        "postal_code",
        "region_code",
    )
    address = {k: sender[k] for k in keep} | {"name": call.shop.name, "address_detail": ""}
    return order_wire.package_detail(call.shop.book, _package(call), address)


def search_packages(call: Call) -> dict[str, Any]:
    """Search Package: paging in the query, filters in the body."""
    size = call.page_size(default=20, low=1, high=50)
    status = call.body.get("package_status")
    found = []
    for package in call.shop.book.packages.values():
        if status and package.status != status:
            continue
        if not _between(package.create_time, call, "create_time"):
            continue
        if not _between(package.update_time, call, "update_time"):
            continue
        found.append(package)
    descending = (call.query.get("sort_order") or "DESC").upper() == "DESC"
    field = call.query.get("sort_field") or "create_time"
    if field not in ("create_time", "update_time"):
        raise ApiError(36009004, "sort_field must be create_time or update_time.")
    found.sort(key=lambda p: (getattr(p, field), p.id), reverse=descending)
    items, token = page(
        found, size, call.query.get("page_token"), fingerprint(call.body, field, descending, "pk")
    )
    return {
        "packages": [order_wire.package_entry(call.shop.book, p) for p in items],
        "next_page_token": token,
        "total_count": len(found),
    }


def _package(call: Call) -> Package:
    package = call.shop.book.packages.get(call.path_params["package_id"])
    if package is None:
        raise ApiError(21011028, "The package does not belong to the current shop.")
    return package


def _between(value: int, call: Call, name: str) -> bool:
    low, high = call.int_filter(f"{name}_ge"), call.int_filter(f"{name}_lt")
    return (low is None or value >= low) and (high is None or value < high)


_V = ("202309",)
_CURRENT = ("202309", CURRENT)
ENDPOINTS = [
    Endpoint("POST", "fulfillment", _CURRENT, "orders/{order_id}/packages", mark_shipped),
    Endpoint(
        "POST", "fulfillment", _V, "orders/{order_id}/shipping_info/update", update_order_shipping
    ),
    Endpoint(
        "POST",
        "fulfillment",
        _CURRENT,
        "packages/{package_id}/shipping_info/update",
        update_package_shipping,
    ),
    Endpoint("GET", "fulfillment", _V, "packages/{package_id}", package_detail),
    Endpoint("POST", "fulfillment", _V, "packages/search", search_packages),
    Endpoint("POST", "fulfillment", ("202309", labels.CURRENT), "packages", create_packages),
]
