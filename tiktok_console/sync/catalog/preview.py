"""The listing as TikTok will see it, for the Catalog page's detail pane (no call made).

Built with the job's own mapping from the stored Shopify product and the
merchant's overrides; images show their Shopify addresses (the job uploads
them and sends TikTok's uris instead).
"""

from __future__ import annotations

from typing import Any

from tiktok_console.domain.listing_mapping import create_product_body, main_image_candidates
from tiktok_console.domain.listing_product import Category
from tiktok_console.domain.listing_regions import region_rules
from tiktok_console.storage.catalog.listings import Listing
from tiktok_console.sync.catalog.product_view import product_view


def listing_preview(entry: Listing, region: str = "US") -> dict[str, Any]:
    """The Create Product body the job would send for ``entry`` now."""
    rules = region_rules(region)
    category_id = str(entry.overrides.get("category_id") or "") or entry.category_id
    category = Category(category_id, "") if category_id else None
    view = product_view(entry.payload, entry.overrides, rules.currency, category)
    images = [image.src for image in main_image_candidates(view)]
    try:
        return create_product_body(
            view, rules, main_image_uris=images, warehouse_id="(your TikTok warehouse)"
        )
    except ValueError as error:  # a currency mismatch: say it instead of a body
        return {"error": str(error)}
