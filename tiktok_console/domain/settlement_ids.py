"""Finding the order of a line whose id a spreadsheet rounded.

Excel shows an 18-digit TikTok id as ``5.78E+18`` and keeps at most 15 of
its digits. What is left still says roughly where the id lies; together
with the line's SKU, its order line id or its order's creation time, that is
usually enough to name the one order it belongs to. When it is not, the
line stays unmatched rather than pinned on a guess.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation

from tiktok_console.domain.reconciliation_inputs import TikTokOrder
from tiktok_console.domain.settlement_fields import Field
from tiktok_console.domain.settlement_lines import SettlementLine

_SHOWN = re.compile(r"^(\d+)(?:[.,](\d+))?[eE]\+?(\d+)$")


def id_range(shown: str) -> tuple[int, int] | None:
    """The smallest and largest whole ids that ``shown`` (``5.78E+18``) can stand for."""
    parts = _SHOWN.match(shown.strip())
    if parts is None:
        return None
    whole, fraction, exponent = parts[1], parts[2] or "", int(parts[3])
    try:
        value = Decimal(f"{whole}.{fraction or 0}").scaleb(exponent)
    except InvalidOperation:
        return None
    unit = Decimal(1).scaleb(exponent - len(fraction))  # the last digit shown
    low, high = value - unit / 2, value + unit / 2
    return int(low.to_integral_value(rounding="ROUND_CEILING")), int(high)


class LostIdResolver:
    """Finds orders for lines with a rounded order id, among the orders known."""

    def __init__(self, orders: Iterable[TikTokOrder]) -> None:
        """Indexes ``orders`` by line item id; ids by value on first need."""
        self._orders = {o.order_id: o for o in orders}
        self._by_line_item = {
            item: o.order_id
            for o in self._orders.values()
            for s in o.skus
            for item in s.line_item_ids
        }
        self._sorted: list[int] | None = None

    def resolve(self, line: SettlementLine) -> str:
        """The one order ``line`` can belong to, or "" when none or several can."""
        if line.order_line_id in self._by_line_item:
            return self._by_line_item[line.order_line_id]
        shown = (line.lost_ids or {}).get(Field.ORDER_ID)
        bounds = id_range(shown) if shown else None
        if bounds is None:
            return ""
        if self._sorted is None:
            self._sorted = sorted(int(i) for i in self._orders if i.isdigit())
        ids = self._sorted
        start, end = bisect.bisect_left(ids, bounds[0]), bisect.bisect_right(ids, bounds[1])
        candidates = [self._orders[str(i)] for i in ids[start:end]]
        if line.sku_id:
            candidates = [o for o in candidates if any(s.sku_id == line.sku_id for s in o.skus)]
        if line.order_created is not None:
            candidates = [o for o in candidates if o.created_at == line.order_created]
        return candidates[0].order_id if len(candidates) == 1 else ""
