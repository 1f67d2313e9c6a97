"""The world the app's demo mode starts: one definition, read by the app and by the
sandbox's own tests, so what the tests prove of it is what the merchant sees."""

from __future__ import annotations

from tiktok_console.sandbox.world import WorldOptions


def demo_world_options() -> WorldOptions:
    """A lively shop: a month of history, an order every 20 s, a short hold so new orders
    reach Shopify while the merchant watches, and a warehouse that ships a minute later,
    so the Carriers page fills in the first minutes too."""
    return WorldOptions(
        seed=7,
        products=40,
        orders=400,
        orders_per_minute=3,
        hold_minutes=2,
        warehouse_minutes=1,
        orphan_rate=0.2,  # a few orphans to map, as the demo's headline
        seller_center_ship_share=0.1,  # some orders the merchant ships in Seller Center
    )
