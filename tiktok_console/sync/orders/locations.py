"""Which Shopify location an order shipped on TikTok is fulfilled from.

``orderCreate`` takes a fulfillment only with a location. The merchant's
stock locations (Settings) come first, as that is the stock TikTok sells;
otherwise the first active location that fulfils online orders. Shopify's
location list is read once per job (it rarely changes) and its names are
kept for the pages (``storage.inventory.locations``).
"""

from __future__ import annotations

from collections.abc import Sequence

from tiktok_console.storage.inventory.locations import ShopifyLocation
from tiktok_console.stores.shopify.transport import ShopifyTransport
from tiktok_console.sync.locations import read_locations


def pick_location(locations: Sequence[ShopifyLocation], chosen: Sequence[str]) -> str:
    """The location to fulfil from: a chosen active one, else an online one ("" if none)."""
    active = [loc for loc in locations if loc.is_active]
    by_id = {loc.location_id: loc for loc in active}
    for location_id in chosen:
        if location_id in by_id:
            return location_id
    online = [loc for loc in active if loc.fulfills_online_orders]
    first = (online or active)[:1]
    return first[0].location_id if first else ""


class FulfillmentLocation:
    """The location shipped orders are fulfilled from, read from Shopify on first need."""

    def __init__(self, shopify: ShopifyTransport, chosen: Sequence[str]) -> None:
        self._shopify = shopify
        self._chosen = list(chosen)
        self._picked: str | None = None

    async def location_id(self) -> str:
        """The location's gid ("" when Shopify lists no active location)."""
        if self._picked is None:
            self._picked = pick_location(await read_locations(self._shopify), self._chosen)
        return self._picked
