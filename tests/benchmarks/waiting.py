"""Where a benchmark's time goes: waiting on rate limiters, HTTP, SQLite, the engine's waits.

Instruments a run from the outside, without changing what it does: an httpx
transport that times each request by store, timers around SQLite statements and
commits and around TikTok's rate limiter, and the Shopify cost
bucket's and the engine's own counters. Times are summed over every task and
thread, so concurrent waits add up to more than the wall clock; each line says
what one kind of waiting cost in total.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import httpx

from tiktok_console.storage.database import db
from tiktok_console.stores.connections import POOL_LIMITS
from tiktok_console.stores.pacing import PacedLimiter
from tiktok_console.sync.engine import Engine


class Waits:
    """Seconds spent per kind of waiting (thread-safe sums)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.seconds: dict[str, float] = defaultdict(float)
        self.counts: dict[str, int] = defaultdict(int)
        self.points: dict[str, float] = defaultdict(float)  # Shopify points by document

    def add(self, kind: str, seconds: float) -> None:
        with self._lock:
            self.seconds[kind] += seconds
            self.counts[kind] += 1

    def reset(self) -> None:
        with self._lock:
            self.seconds.clear()
            self.counts.clear()
            self.points.clear()

    def report(self, elapsed: float, extra: dict[str, float] | None = None) -> str:
        lines = [f"where the {elapsed:.1f} s went (summed over tasks and threads):"]
        rows = dict(self.seconds)
        rows.update(extra or {})
        for kind, seconds in sorted(rows.items(), key=lambda item: -item[1]):
            count = self.counts.get(kind)
            calls = f" over {count:,} calls" if count else ""
            lines.append(f"  {kind:<48} {seconds:8.1f} s{calls}")
        if self.points:
            spent = ", ".join(f"{name} {points:,.0f}" for name, points in
                              sorted(self.points.items(), key=lambda item: -item[1]))  # fmt: skip
            lines.append(f"  Shopify points spent, by document: {spent}")
        return "\n".join(lines)


class TimedTransport(httpx.AsyncBaseTransport):
    """Times each request, by the store its port belongs to."""

    def __init__(self, waits: Waits, names: dict[int, str]) -> None:
        self._inner = httpx.AsyncHTTPTransport(limits=POOL_LIMITS)  # as the app's
        self._waits = waits
        self._names = names

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        started = time.perf_counter()
        response = await self._inner.handle_async_request(request)
        await response.aread()
        name = self._names.get(request.url.port or 0, request.url.host)
        self._waits.add(f"HTTP to {name}", time.perf_counter() - started)
        if name == "Shopify":
            self._count_points(request, response)
        return response

    def _count_points(self, request: httpx.Request, response: httpx.Response) -> None:
        """Shopify points charged, by document: who spends the shared cost bucket."""
        try:
            query = json.loads(request.content).get("query", "")
            cost = response.json()["extensions"]["cost"]["actualQueryCost"]
        except (ValueError, KeyError, TypeError, AttributeError):
            return
        match = re.search(r"\b(?:query|mutation)\s+(\w+)", query)
        self._waits.points[match.group(1) if match else "(anonymous)"] += float(cost or 0)

    async def aclose(self) -> None:
        await self._inner.aclose()


def store_ports(info: dict[str, Any]) -> dict[int, str]:
    """Sandbox port -> store name, from its connection JSON."""
    return {
        httpx.URL(info["shopify"]["url"]).port or 0: "Shopify",
        httpx.URL(info["tiktok"]["api_url"]).port or 0: "TikTok",
    }


@contextmanager
def timed_sqlite_and_limiters(waits: Waits) -> Iterator[None]:
    """Time SQLite statements and commits (any thread) and TikTok's limiter waits."""
    database = db.obj
    execute, commit = database.execute_sql, database.commit
    acquire = PacedLimiter.acquire

    def timed(kind: str, call: Callable[..., Any]) -> Callable[..., Any]:
        def run(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return call(*args, **kwargs)
            finally:
                waits.add(kind, time.perf_counter() - started)

        return run

    async def timed_acquire(self: PacedLimiter) -> None:
        started = time.perf_counter()
        try:
            await acquire(self)
        finally:
            waits.add("TikTok rate limiter (client side)", time.perf_counter() - started)

    database.execute_sql = timed("SQLite statements", execute)
    database.commit = timed("SQLite commits", commit)
    PacedLimiter.acquire = timed_acquire  # type: ignore[method-assign]
    try:
        yield
    finally:
        database.execute_sql, database.commit = execute, commit
        PacedLimiter.acquire = acquire  # type: ignore[method-assign]


def engine_waits(engine: Engine, job: str) -> dict[str, float]:
    """The engine's own view of ``job``: batches, and the waits between them."""
    runner = engine.runner(job)
    shopify = getattr(runner.job, "_shopify", None)
    bucket = getattr(shopify, "bucket", None)
    rows = {
        f"{job}: inside batches": runner.busy_seconds,
        f"{job}: waiting between batches (lag, holds)": runner.wait_seconds,
        f"{job}: backing off after errors": runner.backoff_seconds,
    }
    if bucket is not None:
        rows[f"{job}: Shopify cost bucket (client side)"] = bucket.waited
    return rows
