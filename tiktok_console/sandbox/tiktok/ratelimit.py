"""Per-endpoint, per-shop rate limits: 50 QPS by default, as TikTok documents.

A token bucket per (app, shop, endpoint) holding one second's worth of
requests and refilling at ``qps`` per second of sandbox time, so a test can
exhaust it with a burst and recover by advancing the clock.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from tiktok_console.sandbox.clock import SandboxClock


@dataclass
class TikTokLimits:
    """Rate-limit settings; the caller may change ``qps`` while serving."""

    qps: float = 50.0


class RateLimiter:
    """Token buckets keyed by (app_key, shop, endpoint)."""

    def __init__(self, limits: TikTokLimits, clock: SandboxClock) -> None:
        self._limits = limits
        self._clock = clock
        self._lock = threading.Lock()
        self._buckets: dict[tuple[str, str, str], tuple[float, float]] = {}

    def allow(self, key: tuple[str, str, str]) -> bool:
        """Take one token from ``key``'s bucket; False when it is empty."""
        qps = max(self._limits.qps, 0.001)
        now = self._clock.now()
        with self._lock:
            tokens, last = self._buckets.get(key, (qps, now))
            tokens = min(qps, tokens + (now - last) * qps)
            if tokens < 1.0:
                self._buckets[key] = (tokens, now)
                return False
            self._buckets[key] = (tokens - 1.0, now)
            return True
