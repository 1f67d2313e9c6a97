"""The daily cap on new products, and Check Listing Prerequisites that reports it.

TikTok limits how many products a new seller may create a day (100 for new
sellers, per merchant reports; ``--daily-listing-cap``). Create Product over the
cap fails with 12052093 ("Exceeded the product listing limit for the seller.",
Create Product's error list); ``GET /product/202312/prerequisites`` reports it as
a failed ``PRODUCT_QUANTITY_LIMIT`` check item (the check items of TikTok's
Check Listing Prerequisites page).
Assumption: the count resets at midnight in the shop's time zone
(America/Los_Angeles for US shops: Seller Center US shows Pacific time), and
every product created counts, drafts included.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from tiktok_console.sandbox.tiktok.errors import ApiError

DEFAULT_DAILY_CAP = 100
SHOP_TIME_ZONES = {"US": "America/Los_Angeles", "GB": "Europe/London"}
_PASSING_ITEMS = (
    "SHOP_STATUS",
    "SHOP_TAX",
    "PICKUP_WAREHOUSE",
    "RETURN_WAREHOUSE",
    "DELIVERY_OPTION",
    "SHIPPING_TEMPLATE",
)


class DailyListingCap:
    """New products created per shop-local day."""

    def __init__(self, cap: int, region: str, now: Callable[[], int]) -> None:
        self.cap = cap
        self._zone = ZoneInfo(SHOP_TIME_ZONES.get(region, "UTC"))
        self._now = now
        self._created: Counter[date] = Counter()

    def today(self) -> date:
        """The shop's local date now."""
        return datetime.fromtimestamp(self._now(), self._zone).date()

    def used(self) -> int:
        """Products created so far today."""
        return self._created[self.today()]

    def check(self) -> None:
        """Refuse a new product once today's cap is reached."""
        if self.used() >= self.cap:
            raise ApiError(12052093, "Exceeded the product listing limit for the seller.")

    def count(self) -> None:
        """Record one new product today."""
        self._created[self.today()] += 1

    def prerequisites(self) -> dict[str, Any]:
        """``data`` of Check Listing Prerequisites (202312)."""
        results: list[dict[str, Any]] = [
            {"check_item": item, "is_failed": False, "fail_reasons": []} for item in _PASSING_ITEMS
        ]
        full = self.used() >= self.cap
        results.append(
            {
                "check_item": "PRODUCT_QUANTITY_LIMIT",
                "is_failed": full,
                "fail_reasons": [
                    f"You have reached today's limit of {self.cap} new products. "
                    "You can create more products after midnight."
                ]
                if full
                else [],
            }
        )
        return {"check_results": results}
