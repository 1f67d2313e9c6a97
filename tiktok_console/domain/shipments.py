"""Which TikTok line items a Shopify shipment covers.

TikTok has one line item per unit; the Shopify order we created has one line
per SKU with a quantity. A shipment of ``n`` units of a variant therefore
covers ``n`` of the TikTok lines of the SKU mapped to that variant, and the
shipments of a split order cover disjoint lines: each one takes only lines
no earlier shipment took, lowest line id first, so the answer is the same
however often it is computed.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class TikTokLine:
    """One unit of a TikTok order."""

    line_id: str
    sku_id: str
    seller_sku: str
    cancelled: bool = False


@dataclass(frozen=True)
class ShippedLine:
    """One line of a Shopify shipment: which variant (and SKU), how many units."""

    variant_id: str
    sku: str
    quantity: int


def covered_lines(
    lines: Sequence[TikTokLine],
    shipped: Sequence[ShippedLine],
    variant_for_sku: Mapping[str, str],
    claimed: Collection[str] = (),
) -> tuple[str, ...]:
    """The TikTok line ids a shipment covers, sorted.

    Args:
        lines: the TikTok order's lines.
        shipped: the shipment's lines.
        variant_for_sku: TikTok SKU id -> the Shopify variant it is mapped to.
        claimed: line ids earlier shipments of the order already cover.

    A Shopify line matches TikTok lines by mapped variant, else by equal
    seller SKU; cancelled lines and claimed lines are never taken.
    """
    taken: set[str] = set(claimed)
    covered: list[str] = []
    open_lines = sorted((li for li in lines if not li.cancelled), key=_line_order)
    for item in shipped:
        by_variant = [
            li for li in open_lines
            if item.variant_id and variant_for_sku.get(li.sku_id) == item.variant_id
        ]  # fmt: skip
        by_sku = [li for li in open_lines if item.sku and li.seller_sku == item.sku]
        candidates = by_variant or by_sku
        free = [li.line_id for li in candidates if li.line_id not in taken]
        chosen = free[: max(item.quantity, 0)]
        taken.update(chosen)
        covered.extend(chosen)
    return tuple(sorted(covered, key=_id_order))


def _id_order(line_id: str) -> tuple[int, str]:
    return (len(line_id), line_id)  # numeric ids of different lengths sort as numbers


def _line_order(line: TikTokLine) -> tuple[int, str]:
    return _id_order(line.line_id)
