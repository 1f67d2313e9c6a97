"""The activity log in the merchant's words: names for Shopify ids, real plurals.

Jobs write their log lines once, for support as much as for the merchant
("Mapped 1 SKU(s)", "gid://shopify/Fulfillment/77 pushed"). The Activity page
shows each line through ``merchant_wording``; the technical detail keeps the
raw ids for support.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

GID = re.compile(r"gid://shopify/([A-Za-z]+)/(\d+)(?:\?[^\s,;)]*)?")
_COUNTED = re.compile(r"\b(\d[\d,]*) ([A-Za-z]+)\(s\)")
_KINDS = {
    "Order": "Shopify order",
    "ProductVariant": "Shopify variant",
    "Product": "Shopify product",
    "Fulfillment": "Shopify shipment",
    "InventoryItem": "Shopify inventory item",
    "Location": "Shopify location",
    "Refund": "Shopify refund",
}


def gids_in(texts: Iterable[str]) -> set[str]:
    """Every Shopify id mentioned in ``texts``."""
    return {match.group(0) for text in texts for match in GID.finditer(text)}


def merchant_wording(text: str, names: Mapping[str, str]) -> str:
    """``text`` with each Shopify id named (``names``, else "Shopify order 5001") and every
    "N thing(s)" written as one thing or N things."""

    def name(match: re.Match[str]) -> str:
        kind, number = match.group(1), match.group(2)
        return names.get(match.group(0)) or f"{_KINDS.get(kind, 'Shopify ' + kind)} {number}"

    def counted(match: re.Match[str]) -> str:
        count, word = match.group(1), match.group(2)
        return f"{count} {word}" if count == "1" else f"{count} {word}s"

    return _COUNTED.sub(counted, GID.sub(name, text))
