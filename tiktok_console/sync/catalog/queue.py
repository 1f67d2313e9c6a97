"""The daily cap on new listings: when a queued product goes out, in the shop's own day.

TikTok counts new products per shop-local day (midnight in the shop's time
zone); a product queued k-th (by the merchant's priority) goes out on day
k // cap after the next midnight.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

SHOP_TIME_ZONES = {"US": "America/Los_Angeles", "GB": "Europe/London", "UK": "Europe/London"}
CAP_REFUSED = "12052093"  # "Exceeded the product listing limit for the seller."


def shop_day(now: datetime, region: str) -> date:
    """The shop's local date at ``now``."""
    return now.astimezone(ZoneInfo(SHOP_TIME_ZONES.get(region.upper(), "UTC"))).date()


def next_midnight(now: datetime, region: str) -> datetime:
    """The next midnight in the shop's time zone, as aware UTC."""
    zone = ZoneInfo(SHOP_TIME_ZONES.get(region.upper(), "UTC"))
    local = now.astimezone(zone)
    midnight = datetime.combine(local.date() + timedelta(days=1), time(0, 0, 1), tzinfo=zone)
    return midnight.astimezone(UTC)


def queue_eta(position: int, now: datetime, region: str, cap: int) -> datetime:
    """When the product at ``position`` (0 first) in tomorrow's queue goes out."""
    days = position // max(cap, 1)
    return next_midnight(now, region) + timedelta(days=days)
