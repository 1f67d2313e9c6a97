"""Shopify's shared cost bucket: the orders job's calls go before background reads."""

from __future__ import annotations

import asyncio
import time

from tiktok_console.stores.shopify.throttle import CostBucket, urgent


def _bucket(window: float) -> CostBucket:
    """An empty 100-point bucket refilling 100 points a second; a catalogue page costs 80,
    an order 10 (as Shopify reports costs)."""
    bucket = CostBucket(urgent_window=window)
    bucket.record("CatalogPage", 0, {"requestedQueryCost": 80})
    bucket.record("OrderCreate", 0, {"requestedQueryCost": 10})
    status = {"maximumAvailable": 100.0, "currentlyAvailable": 0.0, "restoreRate": 100.0}
    bucket.record("Shop", 0, {"requestedQueryCost": 1, "throttleStatus": status})
    return bucket


async def _reserve(bucket: CostBucket, name: str, done: list[tuple[str, float]]) -> None:
    await bucket.reserve(name)
    done.append((name, time.monotonic()))


async def test_an_order_goes_before_a_catalogue_read_that_was_waiting_first() -> None:
    bucket = _bucket(window=0.3)
    done: list[tuple[str, float]] = []
    started = time.monotonic()
    catalogue = asyncio.ensure_future(_reserve(bucket, "CatalogPage", done))
    await asyncio.sleep(0.05)  # the catalogue read waits for its 80 points...
    with urgent():  # ...when an order comes (tasks started here inherit urgency)
        order = asyncio.ensure_future(_reserve(bucket, "OrderCreate", done))
    await asyncio.gather(catalogue, order)
    assert [name for name, _ in done] == ["OrderCreate", "CatalogPage"]
    order_at = done[0][1] - started
    assert order_at < 0.3  # its 10 points, not the 80 queued before it
    # The catalogue read is not starved: it goes once the order's window has passed.
    assert done[1][1] - started < 0.3 + 1.5


async def test_without_urgent_calls_the_others_keep_their_order() -> None:
    bucket = _bucket(window=0.3)
    done: list[tuple[str, float]] = []
    first = asyncio.ensure_future(_reserve(bucket, "CatalogPage", done))
    await asyncio.sleep(0.05)
    second = asyncio.ensure_future(_reserve(bucket, "OrderCreate", done))
    await asyncio.gather(first, second)
    assert [name for name, _ in done] == ["CatalogPage", "OrderCreate"]
    assert bucket.yielded == 0
