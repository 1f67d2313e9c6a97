"""SKU mapping: automatic by seller SKU where it is certain, manual otherwise.

A TikTok SKU maps to a Shopify variant by exact seller SKU first, then by a
normalised SKU; a SKU that two Shopify variants share is never auto-mapped
(the merchant decides). Manual mappings ("Map now") release the orphan orders
that waited only for them, after a short grace period in which the merchant
can still undo (like "undo send"); a mapping can be undone until an order
used it, and an undone one is never made again automatically.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from tiktok_console.domain.orders import TikTokOrderFacts
from tiktok_console.domain.sku_matching import SkuMatcher, sku_index
from tiktok_console.storage.activity import record_activity
from tiktok_console.storage.catalog.variants import (
    all_variants,
    change_stamp,
    declined,
    mappings,
    save_mapping,
    undo_mapping,
)
from tiktok_console.storage.database import db
from tiktok_console.storage.orders.tiktok_orders import (
    ORPHAN,
    PENDING,
    OrderState,
    mark_order,
    orders_blocked_by,
)
from tiktok_console.sync.catalog.sku_check import Confirm

log = logging.getLogger(__name__)

MANUAL = "manual"


def unique_skus() -> dict[str, str]:
    """Shopify SKU -> variant id; a SKU several variants share maps to ``AMBIGUOUS``."""
    return sku_index((v.variant_id, v.sku) for v in all_variants())


@dataclass(frozen=True)
class AutoMapped:
    """An order's SKUs as mapped now, and until when a fresh manual mapping holds it back."""

    variants: dict[str, str]  # TikTok SKU id -> Shopify variant id
    held_until: datetime | None = None


class AutoMapper:
    """Maps the SKUs of the orders job's orders, one run at a time.

    The Shopify catalogue is read and indexed once per change of it, not per
    order; and an orphan order is looked at again only when a variant or a
    mapping was written since it became one (nothing else can release it).

    Args:
        grace: how long a manual mapping waits before an order uses it (undo window).
        now: the wall clock mappings are stamped with.
        confirm: asks Shopify that a match is the only variant with its SKU (None: our
            copy of the catalogue is taken as whole, as in tests of the rule itself).
    """

    def __init__(
        self,
        grace: timedelta,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
        confirm: Confirm | None = None,
    ) -> None:
        self.grace = grace
        self._now = now
        self._confirm = confirm
        self._stamp: tuple[object, ...] = ()
        self._matcher: tuple[tuple[object, ...], SkuMatcher] | None = None
        self._orphans: dict[str, tuple[int, tuple[object, ...]]] = {}

    def start_run(self) -> None:
        """Read what changed since the last run (call once per run)."""
        self._stamp = change_stamp()

    def unchanged(self, state: OrderState) -> bool:
        """An orphan that nothing has changed for since it was last looked at."""
        return state.sync_state == ORPHAN and self._orphans.get(state.order_id) == (
            state.update_time,
            self._stamp,
        )

    def seen(self, state: OrderState, sync_state: str) -> None:
        """Note where an order ended this run."""
        if sync_state == ORPHAN:
            self._orphans[state.order_id] = (state.update_time, self._stamp)
        else:
            self._orphans.pop(state.order_id, None)

    async def map(self, facts: TikTokOrderFacts) -> AutoMapped:
        """The order's SKUs mapped, auto-mapping what is certain (never a declined SKU)."""
        sku_ids = {line.sku_id for line in facts.lines}
        found = mappings(sku_ids)
        known = {sku: m.shopify_variant_id for sku, m in found.items()}
        missing = {line.sku_id: line.seller_sku for line in facts.lines if line.sku_id not in known}
        for sku_id in declined(missing) if missing else ():
            del missing[sku_id]
        for sku_id, seller_sku in missing.items():
            match = self._matcher_now().match(seller_sku) if seller_sku else None
            if match is not None and (self._confirm is None or await self._confirm(match)):
                save_mapping(sku_id, seller_sku, match.variant_id, match.source)
                known[sku_id] = match.variant_id
        fresh = [
            m.created_at + self.grace
            for m in found.values()
            if m.source == MANUAL and m.used_at is None and m.created_at + self.grace > self._now()
        ]
        return AutoMapped(known, max(fresh, default=None))

    def _matcher_now(self) -> SkuMatcher:
        catalog = self._stamp[:2]
        if self._matcher is None or self._matcher[0] != catalog:
            self._matcher = (catalog, SkuMatcher(unique_skus()))
        return self._matcher[1]


async def automap(facts: TikTokOrderFacts, confirm: Confirm | None = None) -> dict[str, str]:
    """TikTok SKU id -> Shopify variant id for one order's SKUs (no grace, fresh catalogue)."""
    mapper = AutoMapper(timedelta(0), confirm=confirm)
    mapper.start_run()
    return (await mapper.map(facts)).variants


def map_skus(choices: dict[str, tuple[str, str]]) -> list[str]:
    """Map TikTok SKUs by hand (sku id -> (seller SKU, variant id)); returns released orders.

    Only orders that no other unmapped SKU still blocks are released: they go
    back to pending, and the orders job creates them once the undo grace has
    passed (the caller nudges it).
    """
    with db.atomic():
        for sku_id, (seller_sku, variant_id) in choices.items():
            save_mapping(sku_id, seller_sku, variant_id, MANUAL)
        blocked = orders_blocked_by(choices)
        others = set().union(*blocked.values()) - set(choices)
        mapped = set(mappings(others)) if others else set()
        released = [o for o, skus in blocked.items() if skus - set(choices) <= mapped]
        for order_id in released:
            mark_order(order_id, PENDING, reason="SKU mapped; creating in Shopify.")
        for order_id, skus in blocked.items():
            if order_id not in released:  # still an orphan, waiting for fewer SKUs
                waiting = sorted(skus - set(choices) - mapped)
                names = ", ".join(f"[{sku}]" for sku in waiting)
                reason = f"Not in Shopify yet: SKU {names} is not mapped to a Shopify variant."
                mark_order(order_id, ORPHAN, reason=reason, unmapped=waiting)
        record_activity(
            "orders",
            "map",
            f"Mapped {len(choices)} SKU(s); {len(released)} order(s) released",
            subject=",".join(choices),
        )
    log.info("Mapped %d SKU(s), released %d orphan order(s)", len(choices), len(released))
    return released


def undo(sku_id: str) -> bool:
    """Undo a mapping no order has used; False when it was already used."""
    return undo_mapping(sku_id)
