"""Changes to listed products: the smallest call that carries them, through the journal.

``listing_diff`` picks the call: Update Price for a price, Partial Edit for
other fields, Edit Product for a new category. An edit that sends a live
listing back to TikTok's review (title, description, images) is held until the
merchant says "Push now" on the Catalog page. A price TikTok refuses while the
product is in a promotion is reported once: the body is recorded as sent, so it
is not retried until the price changes again.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from tiktok_console.domain.listing_diff import (
    EditPlan,
    edit_product_body,
    partial_edit_body,
    plan_edit,
    price_update_body,
)
from tiktok_console.domain.listing_product import ProductView
from tiktok_console.storage.catalog import listings as store
from tiktok_console.storage.catalog.listings import Listing, StoredProblem
from tiktok_console.stores.errors import RequestRejectedError
from tiktok_console.stores.tiktok.catalog_api import CatalogApi
from tiktok_console.sync.catalog.building import ListingBuilder
from tiktok_console.sync.catalog.creating import CatalogStats
from tiktok_console.sync.journal import journaled

EDIT = "tiktok.edit_product"
PROMOTION_LOCKED = "12052038"
LINKED_SOURCES = "_linked_with_shopify_images"
HELD = StoredProblem(
    "edit_sends_to_audit", "listing", False,
    "This change sends the live listing back to TikTok's review.",
    "Push now when you are ready (listings under review stay on sale)",
)  # fmt: skip


class Editor:
    """Pushes what changed in a listed product."""

    def __init__(
        self,
        catalog: CatalogApi,
        builder: ListingBuilder,
        stats: CatalogStats,
        now: Callable[[], datetime],
    ) -> None:
        self._catalog = catalog
        self._builder = builder
        self._stats = stats
        self._now = now

    async def edit(
        self, entry: Listing, view: ProductView, problems: tuple[StoredProblem, ...], category: str
    ) -> None:
        """Send the smallest edit from the last body pushed to the body now."""
        stored = await self._edited_body(entry, view)
        new = {k: v for k, v in stored.items() if k != LINKED_SOURCES}
        plan = plan_edit(await self._baseline(entry, view, stored), new)
        shopify_id, now = entry.shopify_product_id, self._now()
        if plan.kind == "none":
            store.save_outcome(shopify_id, now, state=entry.state, problems=problems)
            return
        if plan.sends_to_audit and entry.state == store.LIVE and entry.held_edit != store.RELEASED:
            store.save_outcome(shopify_id, now, state=entry.state,
                               problems=(*problems, HELD), held_edit=store.HELD)  # fmt: skip
            return
        state = store.PENDING_AUDIT if plan.sends_to_audit else entry.state

        def settle(notice: str) -> dict[str, Any]:
            store.save_outcome(
                shopify_id, self._now(), state=state, problems=problems, last_body=stored,
                notice=notice, held_edit=store.NOT_HELD,
                category_id=category or entry.category_id,
                **({"tiktok_status": "PENDING"} if plan.sends_to_audit else {}),
            )  # fmt: skip
            return {"notice": notice}

        def refused(error: RequestRejectedError) -> None:
            problem = StoredProblem(
                error.code, "tiktok", True, f"TikTok refused the change: {error.store_message}",
                "Fix it in Shopify or in the TikTok settings, then push again",
            )  # fmt: skip
            store.save_outcome(shopify_id, self._now(), state=entry.state,
                               problems=(*problems, problem))  # fmt: skip

        await journaled(
            EDIT, f"{EDIT}:{entry.tiktok_product_id}:{_digest(new)}",
            lambda: self._send(entry, plan, new), settle=settle, subject=shopify_id,
            payload={"kind": plan.kind}, refused=refused, at=now,
        )  # fmt: skip

    async def _send(self, entry: Listing, plan: EditPlan, new: Mapping[str, Any]) -> str:
        """The edit's calls; returns the notice for a price TikTok kept."""
        product_id = entry.tiktok_product_id
        if plan.kind == "edit_product":
            await self._catalog.edit(product_id, edit_product_body(new, entry.sku_ids))
            self._stats.edits += 1
        elif plan.kind == "partial_edit":
            await self._catalog.partial_edit(
                product_id, partial_edit_body(new, plan, entry.sku_ids)
            )
            self._stats.edits += 1
        if not plan.needs_price_update:
            return ""
        try:
            result = await self._catalog.update_prices(
                product_id, price_update_body(new, plan, entry.sku_ids)
            )
        except RequestRejectedError as error:
            if error.code != PROMOTION_LOCKED:
                raise
            return price_notice([int(error.code)])
        self._stats.price_updates += 1
        return price_notice([e.code for e in result.errors])

    async def _edited_body(self, entry: Listing, view: ProductView) -> dict[str, Any]:
        """The body now; a linked listing's images are uploaded only once they change."""
        last = entry.last_body or {}
        if last.get(LINKED_SOURCES):
            as_sources = await self._builder.body(view, with_images=False)
            if all(as_sources.get(k) == last.get(k) for k in ("main_images", "description")):
                return {**as_sources, LINKED_SOURCES: True}
        return await self._builder.body(view)

    async def _baseline(
        self, entry: Listing, view: ProductView, new: Mapping[str, Any]
    ) -> dict[str, Any]:
        """The body last pushed; for a linked listing, its Shopify images read as uploaded."""
        last = dict(entry.last_body or {})
        if last.pop(LINKED_SOURCES, False) and not new.get(LINKED_SOURCES):
            as_linked = await self._builder.body(view, with_images=False)
            for key in ("main_images", "description"):
                if last.get(key) == as_linked.get(key):
                    last[key] = new.get(key)
        return last


def _digest(body: Mapping[str, Any]) -> str:
    return hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()[:16]


def price_notice(codes: list[int]) -> str:
    """What the merchant is told when TikTok kept the old price."""
    if not codes:
        return ""
    if any(str(code) == PROMOTION_LOCKED for code in codes):
        return (
            "TikTok kept the old price: the product is in a promotion. The new price is sent "
            "with the next price change after the promotion ends."
        )
    return f"TikTok refused the new price (codes {', '.join(map(str, codes))})."
