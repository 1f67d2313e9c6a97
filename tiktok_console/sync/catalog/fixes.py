"""A fix from the Catalog page that lives in Shopify (SKU, price, weight), written back there.

The write goes through the journal (``sync/journal.py``) with Shopify's
``@idempotent`` key, so a retried click or a crash never applies it twice; the
product is then handled again at the catalog job's next run (Shopify's
``updatedAt`` moved).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from tiktok_console.storage.catalog.listings import (
    Listing,
    StoredProblem,
    clear_shopify_fixes,
    push_now,
    save_outcome,
)
from tiktok_console.stores.errors import RequestRejectedError
from tiktok_console.stores.shopify.catalog_replies import update_variants
from tiktok_console.stores.shopify.transport import STORE, ShopifyTransport
from tiktok_console.sync.journal import journaled

KIND = "shopify.catalog_fix"


@dataclass(frozen=True)
class VariantFix:
    """What the merchant typed for one variant; None leaves a field as it is."""

    variant_id: str
    sku: str | None = None
    price: Decimal | None = None
    weight_grams: Decimal | None = None


def _input(fix: VariantFix) -> dict[str, Any]:
    variant: dict[str, Any] = {"id": fix.variant_id}
    item: dict[str, Any] = {}
    if fix.price is not None:
        variant["price"] = str(fix.price)
    if fix.sku is not None:
        item["sku"] = fix.sku.strip()
    if fix.weight_grams is not None:
        item["measurement"] = {"weight": {"value": float(fix.weight_grams), "unit": "GRAMS"}}
    if item:
        variant["inventoryItem"] = item
    return variant


async def write_fixes(
    shopify: ShopifyTransport, entry: Listing, fixes: list[VariantFix], now: datetime
) -> None:
    """Write the fixes to Shopify's variants of ``entry``'s product, once, through the journal.

    Done: the product is handled again once Shopify's change is pulled. Refused
    (Shopify's user errors): the fixes are dropped and the reason shown with the
    product's problems. Unconfirmed: kept, and sent again with the same key at the
    next run (Shopify's ``@idempotent`` applies it once).
    """
    product_id = entry.shopify_product_id
    variants = [_input(fix) for fix in fixes]
    digest = hashlib.sha256(json.dumps([product_id, variants], sort_keys=True).encode())
    key = f"catalog-fix-{digest.hexdigest()[:32]}"

    async def call() -> None:
        errors = await update_variants(shopify, product_id, variants, key)
        if errors:
            raise RequestRejectedError(STORE, "USER_ERROR", "; ".join(errors))

    def settle(_: None) -> dict[str, Any]:
        clear_shopify_fixes(product_id)
        push_now([product_id])
        return {}

    def refused(error: RequestRejectedError) -> None:
        problem = StoredProblem(
            "shopify_refused_fix", "shopify", False,
            f"Shopify refused the fix: {error.store_message}", "Correct it and save again",
        )  # fmt: skip
        clear_shopify_fixes(product_id)
        save_outcome(product_id, now, state=entry.state, problems=(*entry.problems, problem))

    await journaled(
        KIND, f"{KIND}:{key}", call, settle=settle, subject=product_id,
        payload={"variants": variants}, refused=refused, at=now,
    )  # fmt: skip
