"""Logistics endpoints: warehouses, delivery options, shipping providers."""

from __future__ import annotations

from typing import Any

from tiktok_console.sandbox.tiktok.errors import ApiError
from tiktok_console.sandbox.tiktok.routing import Call, Endpoint


def warehouses(call: Call) -> dict[str, Any]:
    """Get Warehouse List."""
    return {"warehouses": [w.to_wire() for w in call.shop.logistics.warehouses]}


def delivery_options(call: Call) -> dict[str, Any]:
    """Get Warehouse Delivery Options."""
    warehouse = call.shop.logistics.warehouse(call.path_params["warehouse_id"])
    if warehouse is None:
        # Assumption: the fulfillment "warehouse not exist" code applies here too.
        raise ApiError(11005004, "warehouse not exist")
    return {"delivery_options": [o.to_wire() for o in warehouse.options]}


def shipping_providers(call: Call) -> dict[str, Any]:
    """Get Shipping Providers (errors for unknown or TikTok-shipped options)."""
    providers = call.shop.logistics.providers_for(call.path_params["delivery_option_id"])
    return {"shipping_providers": [{"id": p.id, "name": p.name} for p in providers]}


_V = ("202309",)
ENDPOINTS = [
    Endpoint("GET", "logistics", _V, "warehouses", warehouses),
    Endpoint(
        "GET", "logistics", _V, "warehouses/{warehouse_id}/delivery_options", delivery_options
    ),
    Endpoint(
        "GET",
        "logistics",
        _V,
        "delivery_options/{delivery_option_id}/shipping_providers",
        shipping_providers,
    ),
]
