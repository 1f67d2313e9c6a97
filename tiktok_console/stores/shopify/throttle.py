"""Shopify's query-cost bucket, tracked on our side so we wait instead of being THROTTLED.

Every response reports ``extensions.cost.throttleStatus``: the bucket size,
what is available now, and the restore rate. Before each request we estimate
what is available (last report plus restore since) and wait until the
document's expected cost fits. Costs are learned per document from the
``requestedQueryCost`` Shopify reports.

One bucket is shared by every job of the shop, and its points are not all worth
the same: an order the merchant is waiting to ship should not wait behind a
catalogue read. Calls made under ``urgent()`` (the orders job) queue apart and
never behind the others; while one waits, or for a few seconds after one went,
the other calls leave half of the bucket to them, so a burst of orders is not
starved by background reads that spend the points first.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable, Iterator, Mapping
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

DEFAULT_COST = 50.0  # before Shopify has told us a document's cost
URGENT_WINDOW = 5.0  # seconds after an urgent call during which others leave it room
URGENT_SHARE = 0.5  # of the bucket the other calls leave while urgent calls run
RECHECK = 0.05  # seconds a yielding call waits before it looks again

_URGENT: ContextVar[bool] = ContextVar("shopify_urgent", default=False)


@contextlib.contextmanager
def urgent() -> Iterator[None]:
    """Shopify calls made inside (and in tasks started inside) go before the others."""
    token = _URGENT.set(True)
    try:
        yield
    finally:
        _URGENT.reset(token)


@dataclass
class BucketState:
    """The last known state of the bucket."""

    maximum: float = 1000.0
    available: float = 1000.0
    restore_rate: float = 50.0  # the most conservative documented rate until we hear
    at: float = 0.0


class CostBucket:
    """Waits before sending until the expected cost fits the bucket."""

    def __init__(
        self, clock: Callable[[], float] = time.monotonic, urgent_window: float = URGENT_WINDOW
    ) -> None:
        self._clock = clock
        self._urgent_window = urgent_window
        self._state = BucketState(at=clock())
        self._costs: dict[str, float] = {}
        self._inflight = 0.0  # reserved by requests whose reply has not come yet
        self._lock = asyncio.Lock()
        self._urgent_lock = asyncio.Lock()
        # Until Shopify has reported the bucket once, send one request at a time.
        self._learned = asyncio.Event()
        self.waited = 0.0  # seconds spent waiting for the bucket (benchmarks report it)
        self.yielded = 0.0  # of which: other calls leaving room to urgent ones
        self._urgent_waiting = 0
        self._urgent_at = float("-inf")  # when an urgent call last reserved
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
        if _URGENT.get():
            return await self._reserve_urgent(name)
        async with self._lock:  # the others take turns, in order
            await self._learn_first()
            cost = self._cost(name)
            while True:
                room = self._state.maximum * URGENT_SHARE if self._urgent_recently() else 0.0
                available = self._estimate() - room
                if self._urgent_waiting == 0 and available >= cost:
                    return self._take(cost)
                rate = max(self._state.restore_rate, 1.0)
                delay = max((cost - available) / rate, RECHECK)
                if self._urgent_waiting or room:
                    delay = min(delay, self._urgent_window)  # look again when urgent work may end
                    self.yielded += delay
                self.waited += delay
                await asyncio.sleep(delay)

    async def _reserve_urgent(self, name: str) -> float:
        """Urgent calls take turns among themselves, never behind the others."""
        self._urgent_waiting += 1
        try:
            async with self._urgent_lock:
                await self._learn_first()
                cost = self._cost(name)
                while True:
                    available = self._estimate()
                    if available >= cost:
                        break
                    delay = (cost - available) / max(self._state.restore_rate, 1.0)
                    self.waited += delay
                    await asyncio.sleep(delay)
                self._urgent_at = self._clock()
                return self._take(cost)
        finally:
            self._urgent_waiting -= 1

    async def _learn_first(self) -> None:
        """Until Shopify has reported the bucket once, one request at a time."""
        if not self._learned.is_set() and self._inflight > 0:
            await self._learned.wait()

    def _cost(self, name: str) -> float:
        return min(self.expected_cost(name), self._state.maximum)

    def _urgent_recently(self) -> bool:
        return self._clock() - self._urgent_at < self._urgent_window

    def _take(self, cost: float) -> float:
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
