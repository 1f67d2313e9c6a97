"""Shopify variants, pulled incrementally: what SKU mapping and suggestions work from."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from tiktok_console.storage.accounts import record_call
from tiktok_console.storage.catalog.variants import Variant, store_variants
from tiktok_console.storage.database import db
from tiktok_console.storage.jobs import load_cursor, save_cursor
from tiktok_console.stores.shopify.replies import ProductVariantsPage
from tiktok_console.stores.shopify.replies.catalog import CatalogVariant
from tiktok_console.stores.shopify.transport import ShopifyTransport
from tiktok_console.sync.engine import Outcome
from tiktok_console.sync.variant_pass import VariantPass

log = logging.getLogger(__name__)

OVERLAP = timedelta(minutes=2)  # Shopify's updated_at filter is not transactional


class VariantsJob:
    """Pulls Shopify variants changed since the last finished pass, resuming a pass cut short."""

    name = "shopify_variants"

    def __init__(
        self,
        shopify: ShopifyTransport,
        interval: float = 60.0,
        page_size: int = 100,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
    ):
        self._shopify = shopify
        self.interval = interval
        self._page_size = page_size
        self._now = now

    async def run_once(self) -> Outcome:
        state = VariantPass.load(load_cursor(self.name)).begun(self._now())
        pulled = 0
        while True:
            reply = await self._shopify.execute(
                ProductVariantsPage,
                {"first": self._page_size, "after": state.after, "query": state.query(OVERLAP)},
            )
            page = reply.product_variants
            variants = [_variant(node) for node in page.nodes]
            state = state.stored(page.page_info.end_cursor, [n.updated_at for n in page.nodes])
            last = not page.page_info.has_next_page or page.page_info.end_cursor is None
            if last:
                state = state.finished(self._now())
            with db.atomic():
                store_variants(variants)
                save_cursor(self.name, state.dump())
            pulled += len(variants)
            if last:
                break
        record_call("shopify", datetime.now(UTC))
        changed = frozenset({"variants"}) if pulled else frozenset()
        return Outcome(caught_up=True, changed=changed, summary=f"{pulled} variants")


def _variant(node: CatalogVariant) -> Variant:
    title = node.product.title
    name = node.title if node.title and node.title != "Default Title" else ""
    if name:
        title = f"{title} — {name}"
    return Variant(
        variant_id=node.id,
        sku=node.sku or "",
        barcode=node.barcode or "",
        title=title,
        product_id=node.product.id,
        inventory_item_id=node.inventory_item.id if node.inventory_item else "",
        price=node.price,
        name=name,
    )
