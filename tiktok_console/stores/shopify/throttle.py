"""Shopify's query-cost bucket, tracked on our side so we wait instead of being THROTTLED.

Every response reports ``extensions.cost.throttleStatus``: the bucket size,
what is available now, and the restore rate. Before each request we estimate
what is available (last report plus restore since) and wait until the
document's expected cost fits. Costs are learned per document from the
``requestedQueryCost`` Shopify reports.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

DEFAULT_COST = 50.0  # before Shopify has told us a document's cost


@dataclass
class BucketState:
    """The last known state of the bucket."""

    maximum: float = 1000.0
    available: float = 1000.0
    restore_rate: float = 50.0  # the most conservative documented rate until we hear
    at: float = 0.0


class CostBucket:
    """Waits before sending until the expected cost fits the bucket."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._state = BucketState(at=clock())
        self._costs: dict[str, float] = {}
        self._inflight = 0.0  # reserved by requests whose reply has not come yet
        self._lock = asyncio.Lock()
        # Until Shopify has reported the bucket once, send one request at a time.
        self._learned = asyncio.Event()
        self.waited = 0.0  # seconds spent waiting for the bucket (benchmarks report it)
        self.spent = 0.0  # points Shopify actually charged

    @property
    def state(self) -> BucketState:
        """What we believe the bucket holds now."""
        return self._state

    def expected_cost(self, name: str) -> float:
        """What ``name`` cost last time (a guess before the first call)."""
        return self._costs.get(name, DEFAULT_COST)

    async def reserve(self, name: str) -> float:
        """Wait until the expected cost of ``name`` is available, then take it.

        Returns the points reserved; pass them back to ``record``.
        """
        async with self._lock:
            if not self._learned.is_set() and self._inflight > 0:
                await self._learned.wait()
            cost = min(self.expected_cost(name), self._state.maximum)
            while True:
                available = self._estimate()
                if available >= cost:
                    break
                delay = (cost - available) / max(self._state.restore_rate, 1.0)
                self.waited += delay
                await asyncio.sleep(delay)
            self._state.available = self._estimate() - cost
            self._state.at = self._clock()
            self._inflight += cost
            return cost

    def record(self, name: str, reserved: float, cost: Mapping[str, Any] | None) -> None:
        """Learn from a response's ``extensions.cost`` (``reserved``: what ``reserve`` took)."""
        self._inflight = max(self._inflight - reserved, 0.0)
        if not cost:
            self._learned.set()  # no report to wait for: do not hold others back
            return
        requested = cost.get("requestedQueryCost")
        if isinstance(requested, int | float):
            self._costs[name] = float(requested)
        actual = cost.get("actualQueryCost")
        if isinstance(actual, int | float):
            self.spent += float(actual)
        status = cost.get("throttleStatus") or {}
        with contextlib.suppress(KeyError, TypeError, ValueError):  # no usable report
            self._state = BucketState(
                maximum=float(status["maximumAvailable"]),
                # The store has not yet charged requests still on the wire.
                available=float(status["currentlyAvailable"]) - self._inflight,
                restore_rate=float(status["restoreRate"]),
                at=self._clock(),
            )
        self._learned.set()

    def wait_for(self, requested: float) -> float:
        """Seconds until ``requested`` points will be available (after a THROTTLED)."""
        missing = requested - self._estimate()
        return max(missing, 0.0) / max(self._state.restore_rate, 1.0)

    def _estimate(self) -> float:
        elapsed = self._clock() - self._state.at
        return min(self._state.maximum, self._state.available + elapsed * self._state.restore_rate)
