"""A rate limiter that gives each call its own moment: one sleep, no polling.

TikTok allows a number of calls a second per API. A leaky bucket whose
waiters poll (aiolimiter wakes each waiter every 1/rate seconds to look again)
spends its time in wake-ups once a few dozen calls queue, and under load lets
fewer calls through than the rate allows. This one is the generic cell-rate
algorithm: each call takes the next free moment (``rate`` apart), a burst of
``burst`` calls may go at once, and a waiting call sleeps once, until its moment.

Moments are booked when a call arrives, so a process that stalls (a busy
machine) would wake every overdue call at once and send a bunch the store's
own bucket refuses. So a call also checks, when it wakes, the same rule against
the calls actually sent, and waits a little more if it is part of such a bunch.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable


class PacedLimiter:
    """At most ``rate`` calls a second on average, ``burst`` of them at once.

    Args:
        rate: calls per second.
        burst: calls allowed back to back before pacing starts (at least 1).
        clock: monotonic seconds (tests may pass their own).
    """

    def __init__(
        self, rate: float, burst: float = 1.0, clock: Callable[[], float] = time.monotonic
    ) -> None:
        if rate <= 0:
            raise ValueError("rate must be positive")
        self._interval = 1.0 / rate
        self._allowance = max(burst, 1.0) * self._interval  # how far ahead calls may be booked
        self._clock = clock
        self._next = clock()  # the theoretical arrival time of the next call
        self._sent = self._next  # the same, counted from the calls actually sent
        self.waited = 0.0  # seconds calls spent waiting their moment (benchmarks read it)
        # Seconds of the rate left unused between calls, beyond what the burst makes up:
        # the time a caller that had more to send lost by not keeping calls coming.
        self.unused = 0.0
        # Seconds calls went after their moment (a busy process wakes them late; the
        # calls behind are then paced from when they actually went).
        self.late = 0.0

    def delay(self) -> float:
        """Book the next moment; returns how long the caller must wait for it."""
        now = self._clock()
        self.unused += max(now - self._next - self._allowance + self._interval, 0.0)
        booked = max(self._next, now)
        self._next = booked + self._interval
        return max(booked + self._interval - self._allowance - now, 0.0)

    async def acquire(self) -> None:
        """Wait for this call's moment (booked at once, so callers keep their order)."""
        wait = self.delay()
        moment = self._clock() + wait
        while wait > 0:
            self.waited += wait
            await asyncio.sleep(wait)
            wait = self._late_wait()  # 0 unless this process stalled and calls bunched
        now = self._clock()
        self.late += max(now - moment, 0.0)
        self._sent = max(self._sent, now) + self._interval

    def _late_wait(self) -> float:
        """How long a call must still wait so the calls sent keep the rate and burst."""
        return max(self._sent + self._interval - self._allowance - self._clock(), 0.0)
