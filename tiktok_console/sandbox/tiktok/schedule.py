"""A time-ordered queue of the shop's future events.

Everything that happens by itself (an order gets paid, leaves on-hold, is
delivered; a deadline passes; a statement closes at midnight) is an event
with a time. ``TikTokShop.tick`` replays every due event in time order, so
advancing the clock by a week gives exactly the world a week of real time
would have, whatever the request pattern.
"""

from __future__ import annotations

import heapq
import itertools


class Scheduler:
    """Events as (time, sequence, kind, ref); ties keep insertion order."""

    def __init__(self) -> None:
        self._heap: list[tuple[int, int, str, str]] = []
        self._seq = itertools.count()

    def at(self, when: int, kind: str, ref: str = "") -> None:
        """Schedule ``kind`` for ``ref`` at Unix time ``when``."""
        heapq.heappush(self._heap, (when, next(self._seq), kind, ref))

    def pop_due(self, now: int) -> tuple[int, str, str] | None:
        """The earliest event due at or before ``now``, removed; None when none is due."""
        if self._heap and self._heap[0][0] <= now:
            when, _, kind, ref = heapq.heappop(self._heap)
            return when, kind, ref
        return None

    def next_time(self) -> int | None:
        """When the earliest event is due, or None when nothing is scheduled."""
        return self._heap[0][0] if self._heap else None

    def __len__(self) -> int:
        return len(self._heap)
