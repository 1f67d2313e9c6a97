"""The sandbox's clock: runs at real speed, and tests can advance it.

Both simulated stores read time only from here, so a test that advances the
clock by an hour sees orders leave the on-hold window, tokens expire and
statements close, without waiting.
"""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime


class SandboxClock:
    """Wall-clock time plus an offset that only grows.

    Args:
        start: Unix time the clock starts at; defaults to the real time now.
        speed: how many sandbox seconds pass per real second (1.0 = real time).
    """

    def __init__(self, start: float | None = None, speed: float = 1.0) -> None:
        self._lock = threading.Lock()
        self._origin_real = time.monotonic()
        self._origin = time.time() if start is None else float(start)
        self._speed = speed
        self._offset = 0.0

    def now(self) -> float:
        """Sandbox time as Unix seconds (float)."""
        with self._lock:
            elapsed = (time.monotonic() - self._origin_real) * self._speed
            return self._origin + elapsed + self._offset

    def now_int(self) -> int:
        """Sandbox time as whole Unix seconds, as TikTok reports times."""
        return int(self.now())

    def now_dt(self) -> datetime:
        """Sandbox time as an aware UTC datetime."""
        return datetime.fromtimestamp(self.now(), tz=UTC)

    def advance(self, seconds: float) -> float:
        """Move the clock forward; returns the new time. Never goes back."""
        if seconds < 0:
            raise ValueError("the sandbox clock never goes back")
        with self._lock:
            self._offset += seconds
        return self.now()
