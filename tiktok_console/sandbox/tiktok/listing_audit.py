"""TikTok's review of a listing: PENDING after create or edit, then ACTIVATE or FAILED.

A product submitted for listing (created, or edited in anything but price and
stock) waits in review for ``AUDIT_SECONDS`` of sandbox time, then passes or
fails with reasons (Get Product's ``audit_failed_reasons``). A product that was
live when edited keeps its live version if the edit fails review (Edit Product:
"otherwise the existing product stays live and remains unchanged (keeping v1)"):
it is ACTIVATE again with the old content, and the reasons say why v2 failed.
Assumption: review takes ten minutes (it takes hours to days on TikTok; short
so the demo shows it). Assumption: what fails review is promotional wording in
the title (TikTok's listing policy forbids claims such as "Free Shipping" or
"Best Seller" in titles) and a description without text.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable

from tiktok_console.sandbox.tiktok.products import Product

AUDIT_SECONDS = 600
_PROMOTIONAL = re.compile(
    r"free shipping|best seller|#1\b|limited edition|made me buy it", re.IGNORECASE
)
_TAGS = re.compile(r"<[^>]+>")


def audit_reasons(product: Product) -> list[str]:
    """Why review fails ``product``; empty when it passes."""
    reasons = []
    words = sorted({m.group(0).title() for m in _PROMOTIONAL.finditer(product.title)})
    if words:
        quoted = ", ".join(f"'{w}'" for w in words)
        reasons.append(
            f"The product title contains promotional or misleading words ({quoted}). "
            "Remove them and resubmit."
        )
    if not _TAGS.sub("", product.description).strip():
        reasons.append("The product description has no text. Describe the product and resubmit.")
    return reasons


class ListingAudit:
    """Products in review and when their review ends."""

    def __init__(self, now: Callable[[], int]) -> None:
        self._now = now
        self.pending: dict[str, int] = {}  # product id -> review end
        self._live: dict[str, Product] = {}  # product id -> the live version (v1) under edit

    def submit(self, product: Product, live_version: Product | None = None) -> None:
        """Send ``product`` to review from now; ``live_version`` is v1 of a live product."""
        if live_version is not None and product.id not in self._live:
            self._live[product.id] = copy.deepcopy(live_version)
        product.status, product.update_time = "PENDING", self._now()
        product.audit_failed_reasons = []
        self.pending[product.id] = product.update_time + AUDIT_SECONDS

    def finish_due(self, now: int, products: dict[str, Product]) -> None:
        """End every review due by ``now``: ACTIVATE, or FAILED with reasons."""
        for product_id, until in sorted(self.pending.items(), key=lambda item: item[1]):
            if until > now:
                continue
            del self.pending[product_id]
            product = products[product_id]
            live = self._live.pop(product_id, None)
            reasons = audit_reasons(product)
            if reasons and live is not None:
                _restore(product, live)  # v1 stays live; the reasons are v2's
            product.status = "FAILED" if reasons and live is None else "ACTIVATE"
            product.audit_failed_reasons = reasons
            product.update_time = until


def _restore(product: Product, live: Product) -> None:
    """Put back the content of the live version (prices and stock stay as they are now)."""
    product.title, product.description = live.title, live.description
    product.category, product.images = live.category, live.images
    product.image_sizes, product.weight_grams = live.image_sizes, live.weight_grams
    product.attributes = live.attributes
