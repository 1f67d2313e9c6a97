"""Shopify's word on a SKU before it is mapped automatically.

A SKU two Shopify variants share must never map by itself (the merchant decides), and
our copy of the catalogue may lack one of the two (a pull under way, a variant made a
minute ago). So before an automatic mapping is saved, Shopify is asked for every
variant carrying the SKU, and the mapping stands only when the matched variant is the
only one.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from tiktok_console.domain.sku_matching import Match, normalize_sku
from tiktok_console.stores.shopify.replies import VariantsBySku
from tiktok_console.stores.shopify.transport import ShopifyTransport

Confirm = Callable[[Match], Awaitable[bool]]


def sku_search(sku: str) -> str:
    """The ``sku:`` search term for one SKU, quoted (a SKU may hold spaces or colons)."""
    escaped = sku.replace("\\", "\\\\").replace("'", "\\'")
    return f"sku:'{escaped}'"


def shopify_confirms(shopify: ShopifyTransport) -> Confirm:
    """A check that Shopify has no other variant whose SKU reads as the match's."""

    async def confirm(match: Match) -> bool:
        wanted = normalize_sku(match.seller_sku)
        seen: set[str] = set()
        for sku in dict.fromkeys((match.shopify_sku, match.seller_sku)):
            reply = await shopify.execute(VariantsBySku, {"query": sku_search(sku)})
            seen |= {
                node.id
                for node in reply.product_variants.nodes
                if normalize_sku(node.sku or "") == wanted
            }
        return seen == {match.variant_id}

    return confirm
