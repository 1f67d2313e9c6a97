"""Reading Shopify's locations, keeping their names for the pages on each read.

The stock reconciliation needs which locations are active; the orders flow
needs one to fulfil shipped orders from. Both read them here, so every read
also refreshes the names Settings and Inventory show.
"""

from __future__ import annotations

import asyncio

from tiktok_console.storage.inventory.locations import ShopifyLocation, store_locations
from tiktok_console.stores.shopify.replies import Locations
from tiktok_console.stores.shopify.transport import ShopifyTransport


async def read_locations(shopify: ShopifyTransport) -> list[ShopifyLocation]:
    """Shopify's locations (inactive ones too, if listed), stored with their names."""
    found = [
        ShopifyLocation(loc.id, loc.name, loc.is_active, loc.fulfills_online_orders)
        async for loc in shopify.paginate(Locations, lambda reply: reply.locations, page_size=50)
    ]
    await asyncio.to_thread(store_locations, found)
    return found
