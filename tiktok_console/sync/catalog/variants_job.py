"""Shopify variants, pulled incrementally: what SKU mapping and suggestions work from."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

from tiktok_console.storage.accounts import record_call
from tiktok_console.storage.catalog.variants import Variant, store_variants
from tiktok_console.storage.database import db
from tiktok_console.storage.jobs import load_cursor, save_cursor
from tiktok_console.stores.shopify.replies import ProductVariantsPage
from tiktok_console.stores.shopify.replies.catalog import CatalogVariant
from tiktok_console.stores.shopify.transport import ShopifyTransport
from tiktok_console.sync.engine import Outcome

log = logging.getLogger(__name__)

OVERLAP = timedelta(minutes=2)  # Shopify's updated_at filter is not transactional


@dataclass(frozen=True)
class _Pass:
    """Where the variants job stands, saved with each page it stores.

    Shopify cannot sort variants by ``updatedAt``, so a pass pages in id order: its page
    position (``after``) and its high-water mark (``newest``) are kept apart. ``since`` (the
    filter of the pass under way) moves only when a pass has stored its last page, and then
    back by the pass's own length: a variant changed while the pass ran may sit on a page
    already read, and may be older than the newest change the pass saw.
    """

    since: str | None = None  # the filter's lower bound (ISO), None for a full pull
    after: str | None = None  # the last stored page's end cursor; None: no pass under way
    newest: str | None = None  # the newest updatedAt this pass stored
    started: str | None = None  # when the pass began (the job's clock)

    @classmethod
    def load(cls, raw: str) -> _Pass:
        if not raw:
            return cls()
        if not raw.startswith("{"):  # before passes were kept: a bare high-water mark
            return cls(since=raw)
        data = json.loads(raw)
        return cls(**{key: data.get(key) for key in ("since", "after", "newest", "started")})

    def dump(self) -> str:
        return json.dumps(
            {"since": self.since, "after": self.after, "newest": self.newest,
             "started": self.started}
        )  # fmt: skip

    def query(self) -> str | None:
        if self.since is None:
            return None
        since = datetime.fromisoformat(self.since) - OVERLAP
        return f"updated_at:>='{since.astimezone(UTC).isoformat()}'"

    def stored(self, end_cursor: str | None, stamps: list[datetime]) -> _Pass:
        """The pass after one more stored page (its end cursor, its variants' stamps)."""
        known = [datetime.fromisoformat(self.newest)] if self.newest else []
        newest = max([*known, *stamps], default=None)
        return replace(self, after=end_cursor, newest=newest.isoformat() if newest else self.newest)

    def finished(self, now: datetime) -> _Pass:
        """The next pass's filter: changes since this pass began, as the store dates them."""
        if self.newest is None:
            return _Pass(since=self.since)
        started = datetime.fromisoformat(self.started) if self.started else now
        since = datetime.fromisoformat(self.newest) - max(now - started, timedelta(0))
        if self.since is not None:
            since = max(since, datetime.fromisoformat(self.since))
        return _Pass(since=since.isoformat())


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
        state = _Pass.load(load_cursor(self.name))
        if state.after is None:
            state = replace(state, started=self._now().isoformat(), newest=None)
        pulled = 0
        while True:
            reply = await self._shopify.execute(
                ProductVariantsPage,
                {"first": self._page_size, "after": state.after, "query": state.query()},
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
    if node.title and node.title != "Default Title":
        title = f"{title} — {node.title}"
    return Variant(
        variant_id=node.id,
        sku=node.sku or "",
        barcode=node.barcode or "",
        title=title,
        product_id=node.product.id,
        inventory_item_id=node.inventory_item.id if node.inventory_item else "",
        price=node.price,
    )
