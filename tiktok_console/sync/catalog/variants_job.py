"""Shopify variants, pulled incrementally: what SKU mapping and suggestions work from."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from tiktok_console.storage.accounts import record_call
from tiktok_console.storage.catalog.variants import Variant, store_variants
from tiktok_console.storage.database import db
from tiktok_console.storage.jobs import load_cursor, save_cursor
from tiktok_console.stores.shopify.transport import ShopifyTransport
from tiktok_console.sync.engine import Outcome

log = logging.getLogger(__name__)

OVERLAP = timedelta(minutes=2)  # Shopify's updated_at filter is not transactional


class VariantsJob:
    """Pulls Shopify variants changed since the cursor (an ISO time)."""

    name = "shopify_variants"

    def __init__(self, shopify: ShopifyTransport, interval: float = 60.0, page_size: int = 100):
        self._shopify = shopify
        self.interval = interval
        self._page_size = page_size

    async def run_once(self) -> Outcome:
        cursor = load_cursor(self.name)
        query = None
        if cursor:
            since = datetime.fromisoformat(cursor) - OVERLAP
            query = f"updated_at:>='{since.astimezone(UTC).isoformat()}'"
        after: str | None = None
        pulled = 0
        newest = cursor
        while True:
            data = await self._shopify.execute(
                "ProductVariantsPage", {"first": self._page_size, "after": after, "query": query}
            )
            page = data["productVariants"]
            variants = [_variant(node) for node in page["nodes"]]
            newest = max([newest, *(node["updatedAt"] for node in page["nodes"])], default=newest)
            with db.atomic():
                store_variants(variants)
                save_cursor(self.name, newest)
            pulled += len(variants)
            if not page["pageInfo"]["hasNextPage"]:
                break
            after = page["pageInfo"]["endCursor"]
        record_call("shopify", datetime.now(UTC))
        changed = frozenset({"variants"}) if pulled else frozenset()
        return Outcome(caught_up=True, changed=changed, summary=f"{pulled} variants")


def _variant(node: dict[str, Any]) -> Variant:
    product = node.get("product") or {}
    title = product.get("title", "")
    if node.get("title") and node["title"] != "Default Title":
        title = f"{title} — {node['title']}"
    return Variant(
        variant_id=node["id"],
        sku=node.get("sku") or "",
        barcode=node.get("barcode") or "",
        title=title,
        product_id=product.get("id", ""),
        inventory_item_id=(node.get("inventoryItem") or {}).get("id", ""),
        price=Decimal(str(node.get("price") or "0")),
    )
