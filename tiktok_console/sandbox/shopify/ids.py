"""Shopify global IDs (``gid://shopify/<Type>/<n>``) and the counters that mint them.

Real Shopify IDs are large integers that differ per resource type; the sandbox
starts each type at its own realistic-looking base so IDs of different types
never collide and look like what a client will meet on a real store.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator

_BASES = {
    "Location": 71_234_000_000,
    "Product": 8_123_456_000_000,
    "ProductVariant": 44_123_456_000_000,
    "InventoryItem": 46_234_567_000_000,
    "ProductImage": 36_345_678_000_000,
    "Order": 5_678_901_000_000,
    "LineItem": 13_456_789_000_000,
    "FulfillmentOrder": 6_789_012_000_000,
    "FulfillmentOrderLineItem": 14_567_890_000_000,
    "Fulfillment": 5_123_987_000_000,
    "Refund": 923_456_000_000,
    "RefundLineItem": 543_210_000_000,
    "OrderTransaction": 6_543_210_000_000,
    "InventoryAdjustmentGroup": 23_456_789_000_000,
    "BulkOperation": 3_456_789_000_000,
    "Job": 1_000,
    "ShippingLine": 4_567_890_000_000,
}

_GID = re.compile(r"^gid://shopify/(?P<type>[A-Za-z]+)/(?P<id>\d+)(?:\?(?P<query>.*))?$")


class IdAllocator:
    """Hands out increasing integer IDs per resource type."""

    def __init__(self) -> None:
        self._counters: dict[str, Iterator[int]] = {
            name: itertools.count(base + 1) for name, base in _BASES.items()
        }

    def next(self, type_name: str) -> int:
        """Return a fresh numeric ID for ``type_name``."""
        return next(self._counters[type_name])


def gid(type_name: str, number: int) -> str:
    """Format a global ID."""
    return f"gid://shopify/{type_name}/{number}"


def parse_gid(value: object, type_name: str) -> int | None:
    """The numeric part of ``value`` if it is a global ID of ``type_name``, else None."""
    if not isinstance(value, str):
        return None
    match = _GID.match(value)
    if match is None or match.group("type") != type_name:
        return None
    return int(match.group("id"))


def level_gid(location_id: int, item_id: int) -> str:
    """Shopify's inventory level ID names the location and carries the item in its query."""
    return f"gid://shopify/InventoryLevel/{location_id}?inventory_item_id={item_id}"


def parse_level_gid(value: object) -> tuple[int, int] | None:
    """(location_id, item_id) of an inventory level ID, or None."""
    if not isinstance(value, str):
        return None
    match = _GID.match(value)
    if match is None or match.group("type") != "InventoryLevel":
        return None
    query = match.group("query") or ""
    item = re.search(r"inventory_item_id=(\d+)", query)
    return (int(match.group("id")), int(item.group(1))) if item else None


def node_type(value: object) -> str | None:
    """The type part of a global ID, or None when ``value`` is not one."""
    if not isinstance(value, str):
        return None
    match = _GID.match(value)
    return match.group("type") if match else None
