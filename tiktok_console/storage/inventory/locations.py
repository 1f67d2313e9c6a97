"""The Shopify locations the inventory job has seen stock at, for the Settings page's choice.

The stock reads keep ``{location_id: available}`` per inventory item; the
locations are the keys. Their names are not read from Shopify yet, so the
page names a location by its number.
"""

from __future__ import annotations

from tiktok_console.storage.database import db
from tiktok_console.storage.inventory.tables import ShopifyStockRow

_STOCK = ShopifyStockRow._meta.table_name

_LOCATIONS = f"""
SELECT DISTINCT loc.key FROM "{_STOCK}" AS s,
    json_each(CASE WHEN json_valid(s.locations) THEN s.locations ELSE '{{}}' END) AS loc
ORDER BY loc.key
"""  # noqa: S608 (the table name is ours)


def seen_locations() -> list[str]:
    """Every Shopify location id that any stock read mentioned, sorted."""
    return [str(key) for (key,) in db.execute_sql(_LOCATIONS).fetchall()]
