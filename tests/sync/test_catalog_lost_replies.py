"""Create Product replies lost on the way back, run after run: still no SKU on two listings.

The create reaches TikTok (the product exists there) but the connection drops
before the answer: the write is unconfirmed. The next runs may only resend that
body with its idempotency key, never a new attempt with a new key, until TikTok
answers; then every product is linked to the one listing made for it.
"""

from __future__ import annotations

from collections import Counter

import httpx

from tests.sync.conftest import Connected
from tests.sync.test_catalog_job import world_options as world_options  # the same small world
from tiktok_console.storage.catalog import listings
from tiktok_console.storage.intents import pending_intents
from tiktok_console.sync.catalog.job import CatalogJob
from tiktok_console.sync.runtime import build_jobs

CREATE = "/product/202309/products"


class LoseCreateReplies(httpx.AsyncBaseTransport):
    """Sends every request; drops Create Product's replies while ``losing`` is on."""

    def __init__(self) -> None:
        self.losing = True
        self.lost = 0
        self._inner = httpx.AsyncHTTPTransport()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self._inner.handle_async_request(request)
        if self.losing and request.method == "POST" and request.url.path == CREATE:
            await response.aread()  # TikTok did it; the answer never arrives
            self.lost += 1
            raise httpx.RemoteProtocolError("connection dropped after sending", request=request)
        return response

    async def aclose(self) -> None:
        await self._inner.aclose()


def _sku_listings(connected: Connected) -> Counter[str]:
    products = connected.sandbox.world.tiktok.products.products
    pairs = {(s.seller_sku, p.id) for p in products if p.status != "DELETED" for s in p.skus}
    return Counter(sku for sku, _ in pairs if sku)


async def test_lost_create_replies_never_list_a_sku_twice(connected: Connected) -> None:
    before = _sku_listings(connected)
    listed_before = {p.id for p in connected.sandbox.world.tiktok.products.products}
    transport = LoseCreateReplies()
    async with httpx.AsyncClient(timeout=5, transport=transport) as http:
        jobs = build_jobs(
            connected.profile.settings, connected.token_store, http, connected.options
        )
        job = next(j for j in jobs if j.name == "catalog")
        assert isinstance(job, CatalogJob)
        for _ in range(2):  # the first sends, the second resends: both answers lost
            await job.run_once()
            connected.sandbox.world.advance(5)
        assert transport.lost >= 4 and job.stats.creates == 0
        transport.losing = False
        await job.run_once()  # the resends are answered with the first results
    after = _sku_listings(connected)
    twice = {sku: n for sku, n in after.items() if n > max(before[sku], 1)}
    assert twice == {}
    made = {p.id for p in connected.sandbox.world.tiktok.products.products} - listed_before
    linked = {e.tiktok_product_id for e in listings.all_listings()} & made
    assert made and linked == made  # every listing TikTok made is linked to its product
    assert job.stats.creates == len(made) and not pending_intents("tiktok.create_product")
