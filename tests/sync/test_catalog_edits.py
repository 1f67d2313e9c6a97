"""Edits of live listings over HTTP: Partial Edit for a title or a description, Edit Product for a
new category; each sends the listing back to TikTok's review, so each waits for "Push now".

Evidence is the TikTok world's listing (title, description, category, status)
and the calls on the wire.
"""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from tests.sync.conftest import Connected
from tests.sync.test_catalog_job import _job
from tests.sync.test_catalog_job import world_options as world_options  # the same small world
from tiktok_console.storage.catalog import listings
from tiktok_console.sync.catalog.editing import LINKED_SOURCES
from tiktok_console.sync.catalog.job import CatalogJob

NEW_DESCRIPTION = (
    "<p>Garment-dyed heavyweight cotton that softens with every wash. Cut for an easy, "
    "relaxed fit with dropped shoulders, a ribbed collar and a longer back hem. "
    "Machine wash cold, tumble dry low.</p>"
)


@pytest.fixture
def writes(connected: Connected) -> Iterator[list[tuple[str, str]]]:
    """(method, path) of every product write the client sends."""
    seen: list[tuple[str, str]] = []

    async def hook(request: httpx.Request) -> None:
        path = request.url.path
        if "partial_edit" in path or "/prices/update" in path or request.method == "PUT":
            seen.append((request.method, path))

    connected.http.event_hooks["request"].append(hook)
    yield seen


async def _live_listing(connected: Connected, job: CatalogJob) -> listings.Listing:
    """A listing the job created (not linked), through review: live."""
    await job.run_once()
    connected.sandbox.world.advance(700)
    await job.run_once()
    return next(
        e for e in listings.all_listings()
        if e.state == listings.LIVE and not e.blocking
        and not (e.last_body or {}).get(LINKED_SOURCES)
    )  # fmt: skip


def _retitle_in_shopify_admin(connected: Connected, product_id: str, title: str) -> None:
    """The merchant renames the product in Shopify's admin (not through this app)."""
    store = connected.sandbox.world.shopify
    with store.lock:
        product = store.products[int(product_id.rsplit("/", 1)[1])]
        product.title = title
        product.updated_at = store.now()
        store.product_index.put(product.id, store.product_doc(product), store.now(),
                                immediate=True)  # fmt: skip


async def _held_then_pushed(
    connected: Connected, job: CatalogJob, entry: listings.Listing, writes: list[tuple[str, str]]
) -> None:
    """The run holds the edit (no call); "Push now" sends it at the next run."""
    connected.sandbox.world.advance(5)
    writes.clear()
    await job.run_once()
    held = listings.listing(entry.shopify_product_id)
    assert held is not None and held.held_edit == listings.HELD and not writes
    assert any(p.code == "edit_sends_to_audit" for p in held.problems)
    listings.push_now([entry.shopify_product_id])
    await job.run_once()


async def test_a_title_changed_in_shopify_goes_out_by_partial_edit_and_back_to_review(
    connected: Connected, writes: list[tuple[str, str]]
) -> None:
    job = _job(connected)
    entry = await _live_listing(connected, job)
    title = "Heavyweight Relaxed Tee"
    _retitle_in_shopify_admin(connected, entry.shopify_product_id, title)
    await _held_then_pushed(connected, job, entry, writes)
    path = f"/product/202509/products/{entry.tiktok_product_id}/partial_edit"
    assert writes == [("POST", path)]
    listed = connected.sandbox.world.tiktok.products.get(entry.tiktok_product_id)
    assert listed.title == title and listed.status == "PENDING"
    pending = listings.listing(entry.shopify_product_id)
    assert pending is not None and pending.state == listings.PENDING_AUDIT
    assert not any(p.code == "edit_sends_to_audit" for p in pending.problems)
    connected.sandbox.world.advance(700)
    await job.run_once()
    live = listings.listing(entry.shopify_product_id)
    assert live is not None and live.state == listings.LIVE


async def test_a_tiktok_only_description_goes_out_by_partial_edit(
    connected: Connected, writes: list[tuple[str, str]]
) -> None:
    job = _job(connected)
    entry = await _live_listing(connected, job)
    before = connected.sandbox.world.tiktok.products.get(entry.tiktok_product_id).title
    listings.set_overrides(entry.shopify_product_id, {"description_html": NEW_DESCRIPTION})
    await _held_then_pushed(connected, job, entry, writes)
    assert [method for method, _ in writes] == ["POST"] and "partial_edit" in writes[0][1]
    listed = connected.sandbox.world.tiktok.products.get(entry.tiktok_product_id)
    assert "Garment-dyed heavyweight cotton" in listed.description
    assert listed.title == before and listed.status == "PENDING"


async def test_a_new_category_goes_out_by_edit_product(
    connected: Connected, writes: list[tuple[str, str]]
) -> None:
    job = _job(connected)
    entry = await _live_listing(connected, job)
    old = entry.category_id
    new = "605248" if old != "605248" else "603014"  # Bags, or Fitness Equipment
    listings.set_overrides(entry.shopify_product_id, {"category_id": new})
    await _held_then_pushed(connected, job, entry, writes)
    assert writes == [("PUT", f"/product/202509/products/{entry.tiktok_product_id}")]
    listed = connected.sandbox.world.tiktok.products.get(entry.tiktok_product_id)
    assert listed.category[0] == new and listed.status == "PENDING"
    skus = {v["sku"] for v in entry.payload["variants"]["nodes"]}
    assert {s.seller_sku for s in listed.skus} == skus  # no SKU lost in the full edit
