"""The reconciliation reads a large TikTok catalogue in create-time windows side by side:
every product exactly once, over the sandbox's Search Products."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.sync.conftest import START, Connected
from tiktok_console.sandbox.world import WorldOptions
from tiktok_console.stores.tiktok.models.products import ProductSummary
from tiktok_console.sync.inventory.tiktok_read import (
    ONE_LIST_PAGES,
    PAGE_SIZE,
    read_products,
    windows,
)


@pytest.fixture
def world_options() -> WorldOptions:
    return WorldOptions(
        seed=23, products=PAGE_SIZE * ONE_LIST_PAGES + 60, orders=0, orders_per_minute=0,
        clock_start=START, shopify_plan="plus", unlisted_share=0.0,
    )  # fmt: skip


async def test_a_catalogue_of_many_pages_is_read_once_product_by_product(
    connected: Connected,
) -> None:
    api = connected.engine.runner("inventory_reconcile").job._tiktok  # type: ignore[attr-defined]
    world = connected.sandbox.world
    # Products made now too: they land in the newest, open window.
    read: list[ProductSummary] = []
    await read_products(api, read.extend, world.clock.now_dt())
    counts = Counter(product.id for product in read)
    assert max(counts.values()) == 1
    assert set(counts) == {p.id for p in world.tiktok.products.products}
    assert len(counts) > PAGE_SIZE * ONE_LIST_PAGES  # the windowed path, not one list


@given(
    now=st.datetimes(
        min_value=datetime(2020, 1, 1), max_value=datetime(2035, 1, 1), timezones=st.just(UTC)
    ),
    created=st.lists(st.integers(0, 2_100_000_000), max_size=50),
)
def test_windows_hold_every_create_time_exactly_once(now: datetime, created: list[int]) -> None:
    spans = [
        (
            None if low is None else int(low.timestamp()),
            None if high is None else int(high.timestamp()),
        )
        for low, high in windows(now)
    ]  # as TikTok compares them, in whole seconds
    edges = [
        edge + step for span in spans for edge in span if edge is not None for step in (-1, 0, 1)
    ]
    for second in [*created, *edges, int((now - timedelta(days=365)).timestamp())]:
        holding = [
            span for span in spans
            if (span[0] is None or second >= span[0]) and (span[1] is None or second <= span[1])
        ]  # fmt: skip
        assert len(holding) == 1, (second, holding)
