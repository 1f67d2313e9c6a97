"""Shopify locations: the ones stock was seen at, and their names as Shopify last gave them.

The stock reads keep ``{location_id: available}`` per inventory item; the
locations are the keys. Each read of Shopify's location list stores their
names (``store_locations``), so Settings and Inventory name a location the way
the merchant knows it; one never read yet is named by its number.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from tiktok_console.storage.database import db
from tiktok_console.storage.inventory.tables import ShopifyLocationRow, ShopifyStockRow

_STOCK = ShopifyStockRow._meta.table_name

_LOCATIONS = f"""
SELECT DISTINCT loc.key FROM "{_STOCK}" AS s,
    json_each(CASE WHEN json_valid(s.locations) THEN s.locations ELSE '{{}}' END) AS loc
ORDER BY loc.key
"""  # noqa: S608 (the table name is ours)


@dataclass(frozen=True)
class ShopifyLocation:
    """A Shopify location as last read."""

    location_id: str
    name: str
    is_active: bool = True
    fulfills_online_orders: bool = True


def seen_locations() -> list[str]:
    """Every Shopify location id that any stock read mentioned, sorted."""
    return [str(key) for (key,) in db.execute_sql(_LOCATIONS).fetchall()]


def store_locations(locations: Iterable[ShopifyLocation], at: datetime | None = None) -> None:
    """Keep the locations Shopify listed (a location no longer listed keeps its name)."""
    read_at = at or datetime.now(UTC)
    rows = [
        {
            "location_id": loc.location_id,
            "name": loc.name,
            "is_active": loc.is_active,
            "fulfills_online_orders": loc.fulfills_online_orders,
            "read_at": read_at,
        }
        for loc in locations
    ]
    if not rows:
        return
    with db.atomic():
        ShopifyLocationRow.insert_many(rows).on_conflict_replace().execute()


def known_locations() -> list[ShopifyLocation]:
    """Every location Shopify listed, by name."""
    query = ShopifyLocationRow.select().order_by(ShopifyLocationRow.name)
    return [
        ShopifyLocation(
            row.location_id, row.name, bool(row.is_active), bool(row.fulfills_online_orders)
        )
        for row in query
    ]


def location_names() -> dict[str, str]:
    """Location id -> name, for the locations Shopify listed."""
    return {loc.location_id: loc.name for loc in known_locations() if loc.name}


def location_label(location_id: str, names: dict[str, str]) -> str:
    """How a page names a location: its name, else "Location <number>" until one is read."""
    name = names.get(location_id)
    if name:
        return name
    number = location_id.rsplit("/", 1)[-1]
    return f"Location {number}"


def location_choices() -> dict[str, str]:
    """Every location stock was seen at or Shopify lists as active: id -> its label."""
    known = known_locations()
    names = {loc.location_id: loc.name for loc in known if loc.name}
    ids = set(seen_locations()) | {loc.location_id for loc in known if loc.is_active}
    return {location_id: location_label(location_id, names) for location_id in sorted(ids)}


def stock_by_location(variant_id: str) -> list[tuple[str, int]]:
    """A Shopify variant's available units per location, as last read: (label, units)."""
    if not variant_id:
        return []
    row = ShopifyStockRow.get_or_none(ShopifyStockRow.variant_id == variant_id)
    if row is None:
        return []
    levels = json.loads(row.locations or "{}")
    names = location_names()
    shown = [(location_label(loc, names), int(units)) for loc, units in levels.items()]
    return sorted(shown, key=lambda pair: pair[0].casefold())
