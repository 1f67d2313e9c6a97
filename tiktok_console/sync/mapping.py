"""SKU mapping: automatic by seller SKU where it is certain, manual otherwise.

A TikTok SKU maps to a Shopify variant by exact seller SKU first, then by a
normalised SKU; a SKU that two Shopify variants share is never auto-mapped
(the merchant decides). Manual mappings ("Map now") release the orphan orders
that waited only for them; a mapping can be undone until an order used it.
"""

from __future__ import annotations

import logging
from collections import Counter

from tiktok_console.domain.orders import TikTokOrderFacts
from tiktok_console.domain.sku_matching import auto_match
from tiktok_console.storage.activity import record_activity
from tiktok_console.storage.catalog import all_variants, mappings, save_mapping, undo_mapping
from tiktok_console.storage.database import db
from tiktok_console.storage.orders import PENDING, mark_order, orders_blocked_by

log = logging.getLogger(__name__)

MANUAL = "manual"


def unique_skus() -> dict[str, str]:
    """Shopify SKU -> variant id, for SKUs exactly one variant carries (blank ones left out)."""
    variants = all_variants()
    counts = Counter(v.sku for v in variants if v.sku)
    return {v.sku: v.variant_id for v in variants if v.sku and counts[v.sku] == 1}


def automap(facts: TikTokOrderFacts) -> dict[str, str]:
    """TikTok SKU id -> Shopify variant id for the order's SKUs, auto-mapping what is certain."""
    sku_ids = {line.sku_id for line in facts.lines}
    known = {sku: m.shopify_variant_id for sku, m in mappings(sku_ids).items()}
    missing = {line.sku_id: line.seller_sku for line in facts.lines if line.sku_id not in known}
    if not missing:
        return known
    shopify_skus = unique_skus()
    for sku_id, seller_sku in missing.items():
        match = auto_match(seller_sku, shopify_skus) if seller_sku else None
        if match is not None:
            save_mapping(sku_id, seller_sku, match.variant_id, match.source)
            known[sku_id] = match.variant_id
    return known


def map_skus(choices: dict[str, tuple[str, str]]) -> list[str]:
    """Map TikTok SKUs by hand (sku id -> (seller SKU, variant id)); returns released orders.

    The released orphans go back to pending, so the orders job creates them on
    its next run (the caller nudges it: "within seconds").
    """
    with db.atomic():
        for sku_id, (seller_sku, variant_id) in choices.items():
            save_mapping(sku_id, seller_sku, variant_id, MANUAL)
        released = orders_blocked_by(choices)
        for order_id in released:
            mark_order(order_id, PENDING, reason="SKU mapped; creating in Shopify.")
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
