"""GraphQL Admin rate limiting: a leaky bucket of query-cost points per app and shop.

Restore rates per plan are Shopify's documented ones (standard 100 points/s,
advanced 200, plus 1000, enterprise 2000). Bucket sizes are not published for
the current tiers; assumption: ten seconds of restore (1000 points on standard,
matching older responses' ``maximumAvailable: 1000``), overridable with
``bucket_size``. A single query may cost at most ``max_query_cost`` (1000).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

RESTORE_RATES = {"standard": 100.0, "advanced": 200.0, "plus": 1000.0, "enterprise": 2000.0}


class ShopifyLimits:
    """The shop's API limits; the sandbox's control endpoint may change them at run time."""

    def __init__(
        self,
        plan: str = "standard",
        *,
        bucket_size: float | None = None,
        max_query_cost: int = 1000,
    ) -> None:
        self.plan = plan
        self.bucket_size = bucket_size
        self.max_query_cost = max_query_cost

    @property
    def plan(self) -> str:
        return self._plan

    @plan.setter
    def plan(self, value: str) -> None:
        if value not in RESTORE_RATES:
            raise ValueError(f"unknown plan {value!r}; choose one of {sorted(RESTORE_RATES)}")
        self._plan = value

    @property
    def restore_rate(self) -> float:
        """Points restored per second."""
        return RESTORE_RATES[self._plan]

    @property
    def maximum_available(self) -> float:
        """The bucket size."""
        return self.bucket_size if self.bucket_size is not None else self.restore_rate * 10


@dataclass
class ThrottleStatus:
    maximum_available: float
    currently_available: float
    restore_rate: float

    def as_json(self) -> dict[str, float]:
        return {
            "maximumAvailable": self.maximum_available,
            "currentlyAvailable": self.currently_available,
            "restoreRate": self.restore_rate,
        }


class CostBucket:
    """Leaky buckets keyed by (app, shop), refilled with the sandbox clock's time."""

    def __init__(self, limits: ShopifyLimits) -> None:
        self._limits = limits
        self._lock = threading.Lock()
        self._levels: dict[str, tuple[float, float]] = {}  # key -> (available, at time)

    def _refill(self, key: str, now: float) -> float:
        maximum = self._limits.maximum_available
        available, at = self._levels.get(key, (maximum, now))
        available = min(maximum, available + max(0.0, now - at) * self._limits.restore_rate)
        self._levels[key] = (available, now)
        return available

    def take(self, key: str, cost: int, now: float) -> tuple[bool, ThrottleStatus]:
        """Reserve ``cost`` points; False (and nothing taken) when the bucket is short."""
        with self._lock:
            available = self._refill(key, now)
            ok = cost <= available
            if ok:
                available -= cost
                self._levels[key] = (available, now)
            return ok, self._status(available)

    def give_back(self, key: str, points: float, now: float) -> ThrottleStatus:
        """Return unused points (requested minus actual cost)."""
        with self._lock:
            available = min(self._limits.maximum_available, self._refill(key, now) + points)
            self._levels[key] = (available, now)
            return self._status(available)

    def _status(self, available: float) -> ThrottleStatus:
        return ThrottleStatus(
            float(self._limits.maximum_available),
            float(round(available, 1)),
            self._limits.restore_rate,
        )
