"""Every TikTok product, read in create-time windows side by side.

Search Products pages by an opaque token, so one list is read a page at a time,
each page waiting for the one before (3,000 products: 30 pages one after the
other, a tenth of a second or more each). A product's create time never
changes, so disjoint create-time windows split the catalogue into lists that are
read at once, every product exactly once, while the transport's limiter keeps
the search API within TikTok's rate. A shop of a few pages is read as one list.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import datetime, timedelta

from tiktok_console.stores.tiktok.api import TikTokShopApi
from tiktok_console.stores.tiktok.models.products import ProductSummary, SearchProductsRequest

PAGE_SIZE = 100  # the most Search Products returns at once
ONE_LIST_PAGES = 4  # a catalogue this small is read as one list (windows would cost more)
WINDOW = timedelta(days=30)
WINDOWS = 24  # two years of months; older products share one open window


async def read_products(
    api: TikTokShopApi, take: Callable[[list[ProductSummary]], None], now: datetime
) -> None:
    """Hand every product to ``take``, a page at a time (pages of different windows
    interleave). ``now`` places the windows; products newer or older than them are
    in the open windows at either end, so any clock will do."""
    pages = api.search_product_pages(page_size=PAGE_SIZE)
    first = await anext(pages)
    if first.total_count <= PAGE_SIZE * ONE_LIST_PAGES or not first.next_page_token:
        take(first.products)
        async for page in pages:
            take(page.products)
        return
    await pages.aclose()  # the first page's products are read again in their windows
    async with asyncio.TaskGroup() as group:  # one window failing stops the others
        for low, high in windows(now):
            group.create_task(_read_window(api, take, low, high))


def windows(now: datetime) -> list[tuple[datetime | None, datetime | None]]:
    """Create-time windows (low, high), both inclusive to the second, newest first:
    disjoint, and together every time there is (``None`` is open)."""
    start = now.replace(microsecond=0)  # whole seconds, as TikTok compares them
    cuts = [start - WINDOW * n for n in range(1, WINDOWS + 1)]
    highs: list[datetime | None] = [None, *(cut - timedelta(seconds=1) for cut in cuts)]
    lows: list[datetime | None] = [*cuts, None]
    return list(zip(lows, highs, strict=True))


async def _read_window(
    api: TikTokShopApi,
    take: Callable[[list[ProductSummary]], None],
    low: datetime | None,
    high: datetime | None,
) -> None:
    filters = SearchProductsRequest(create_time_ge=low, create_time_le=high)
    async for page in api.search_product_pages(filters, page_size=PAGE_SIZE):
        take(page.products)
