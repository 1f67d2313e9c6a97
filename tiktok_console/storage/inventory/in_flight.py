"""Units sold on TikTok that Shopify's stock does not count yet (the in-flight units)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime

from tiktok_console.storage.orders.tiktok_orders import FAILED, IN_SHOPIFY, ORPHAN, PENDING
from tiktok_console.storage.tables import TikTokOrderRow

NOT_IN_SHOPIFY = (PENDING, ORPHAN, FAILED)


def in_flight_units(as_of: Mapping[str, datetime | None]) -> dict[str, int]:
    """Units per TikTok SKU sold on TikTok that the Shopify read ``as_of[sku]`` did not count.

    That is every unit of an order not cancelled on TikTok (UNPAID and ON_HOLD
    included: TikTok took the stock when the order was placed) that is not in
    Shopify yet (pending, orphan, failed), plus orders that reached Shopify
    only after that SKU's stock was read (their decrement may be missing from
    the read). Orders skipped for Shopify (fulfilled by TikTok) never count.
    """
    if not as_of:
        return {}
    reads = [t for t in as_of.values() if t is not None]
    oldest = min(reads) if reads else None
    waiting = TikTokOrderRow.sync_state.in_(NOT_IN_SHOPIFY)
    if oldest is not None:
        waiting = waiting | (
            TikTokOrderRow.sync_state.in_(IN_SHOPIFY) & (TikTokOrderRow.synced_at >= oldest)
        )
    query = TikTokOrderRow.select(
        TikTokOrderRow.payload, TikTokOrderRow.sync_state, TikTokOrderRow.synced_at
    ).where(waiting & (TikTokOrderRow.status != "CANCELLED"))
    units: dict[str, int] = {}
    for row in query:
        late_in_shopify = row.sync_state in IN_SHOPIFY
        for sku_id, count in _units(row.payload).items():
            if sku_id not in as_of:
                continue
            read_at = as_of[sku_id]
            if late_in_shopify and (read_at is None or row.synced_at < read_at):
                continue  # in Shopify before this read: the read counted it
            units[sku_id] = units.get(sku_id, 0) + count
    return units


def skus_in_orders_changed_since(since: datetime) -> set[str]:
    """TikTok SKUs in orders stored or settled since ``since`` (their in-flight may differ)."""
    query = TikTokOrderRow.select(TikTokOrderRow.payload).where(TikTokOrderRow.updated_at >= since)
    found: set[str] = set()
    for row in query:
        found.update(_units(row.payload))
    return found


def _units(payload: str) -> dict[str, int]:
    """Units per SKU in a TikTok order (TikTok sends one line item per unit)."""
    units: dict[str, int] = {}
    for line in json.loads(payload or "{}").get("line_items") or []:
        sku_id = str(line.get("sku_id") or "")
        if sku_id and line.get("display_status") != "CANCELLED":
            units[sku_id] = units.get(sku_id, 0) + 1
    return units
