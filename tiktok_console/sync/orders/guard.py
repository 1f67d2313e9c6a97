"""The duplicate guard: which TikTok orders are in Shopify already, found by their tag.

Before any create (and when a create's outcome is unknown) the orders are
looked up in Shopify by their ``TikTokOrderID:`` tag, so a crash, a timeout
or another connector never makes a second order. One search asks about up to
``GUARD_BATCH`` orders (their tags joined by OR): a search costs Shopify points
even when it finds nothing, and in a burst one per order would add a fifth to
each order's cost. Shopify's search index lags writes by a few seconds: a
create whose outcome is unknown is not retried before that lag has passed.
"""

from __future__ import annotations

from tiktok_console.domain.order_mapping import order_id_tag
from tiktok_console.stores.shopify.replies import OrdersByQuery
from tiktok_console.stores.shopify.replies.orders import SearchedOrder
from tiktok_console.stores.shopify.transport import ShopifyTransport

GUARD_BATCH = 50  # orders per duplicate-guard search (the search query stays short)


async def find_in_shopify(
    shopify: ShopifyTransport, order_ids: list[str]
) -> dict[str, SearchedOrder]:
    """The Shopify order carrying each TikTok order's tag, for those already there.

    One search per ``GUARD_BATCH`` orders, their tags joined by OR. Shopify's tag
    search may match more loosely than equality, so tags are compared exactly here.
    """
    found: dict[str, SearchedOrder] = {}
    for start in range(0, len(order_ids), GUARD_BATCH):
        tags = {order_id_tag(o): o for o in order_ids[start : start + GUARD_BATCH]}
        query = " OR ".join(f"tag:'{tag}'" for tag in tags)
        async for order in shopify.paginate(
            OrdersByQuery, lambda reply: reply.orders, {"query": query}, page_size=GUARD_BATCH
        ):
            for tag in set(order.tags) & set(tags):
                found.setdefault(tags[tag], order)
    return found
