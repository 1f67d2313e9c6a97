"""A fix from the Catalog page that lives in Shopify (SKU, price, weight), written back there.

The write goes through the intent journal with Shopify's ``@idempotent`` key,
so a retried click or a crash never applies it twice; the product is then
handled again at the catalog job's next run (Shopify's ``updatedAt`` moved).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from tiktok_console.storage.catalog.listings import push_now
from tiktok_console.storage.intents import complete_intent, fail_intent, record_intent
from tiktok_console.stores.errors import RequestRejectedError
from tiktok_console.stores.shopify.catalog_replies import update_variants
from tiktok_console.stores.shopify.transport import STORE, ShopifyTransport

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


async def write_fixes(shopify: ShopifyTransport, product_id: str, fixes: list[VariantFix]) -> None:
    """Write the fixes to Shopify's variants of ``product_id``, once.

    Raises:
        RequestRejectedError: Shopify refused them (its message says why).
    """
    variants = [_input(fix) for fix in fixes]
    digest = hashlib.sha256(json.dumps([product_id, variants], sort_keys=True).encode())
    key = f"catalog-fix-{digest.hexdigest()[:32]}"
    record_intent(f"{KIND}:{key}", KIND, product_id, {"variants": variants})
    errors = await update_variants(shopify, product_id, variants, key)
    if errors:
        fail_intent(f"{KIND}:{key}", {"errors": errors})
        raise RequestRejectedError(STORE, "USER_ERROR", "; ".join(errors))
    complete_intent(f"{KIND}:{key}", {})
    push_now([product_id])
