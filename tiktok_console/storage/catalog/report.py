"""``catalog --json``: one object per Shopify product, the fields the issue names, nothing else."""

from __future__ import annotations

from typing import Any

from tiktok_console.storage.catalog.listings import EXCLUDED, NEW, QUEUED, Listing, all_listings

# A product the job has not handled yet is reported as blocked by nothing yet: "queued"
# would promise a day; the job handles it on its next run.
_NOT_YET = QUEUED


def catalog_object(entry: Listing) -> dict[str, Any]:
    """The JSON object of one product."""
    state = EXCLUDED if entry.excluded else entry.state
    if state == NEW:
        state = _NOT_YET
    found: dict[str, Any] = {
        "shopify_product_id": entry.shopify_product_id,
        "title": entry.title,
        "tiktok_product_id": entry.tiktok_product_id or None,
        "state": state,
        "problems": [
            {"code": p.code, "field": p.field, "blocking": p.blocking, "message": p.message}
            for p in entry.problems
        ],
    }
    if state == QUEUED:
        until = entry.queued_until
        found["queued_until"] = None if until is None else until.isoformat().replace("+00:00", "Z")
    return found


def catalog_objects() -> list[dict[str, Any]]:
    """Every product's object, in Shopify id order."""
    return [catalog_object(entry) for entry in all_listings()]
