"""The Catalog health page's fixes, typed in the detail pane, checked in the sandbox's stores.

Each test lets the catalog job read a sandbox world (a third of its products
unlisted, with every flaw a push meets), fixes one product on the page the way a
merchant does, runs the job, and looks in Shopify and TikTok for the result.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from PySide6.QtCore import QItemSelectionModel

from tests.sync.conftest import START, Connected, connected, sandbox
from tests.sync.test_catalog_job import _job
from tiktok_console.sandbox.world import WorldOptions
from tiktok_console.storage.catalog import listings
from tiktok_console.sync.catalog.job import CatalogJob
from tiktok_console.ui.page_context import PageContext
from tiktok_console.ui.pages.catalog import CatalogPage

__all__ = ["connected", "sandbox"]  # the sync tests' fixtures, used here


@pytest.fixture
def world_options() -> WorldOptions:
    return WorldOptions(
        seed=7, products=30, orders=0, orders_per_minute=0, index_lag_seconds=0.5,
        clock_start=START, shopify_plan="plus", unlisted_share=0.35, daily_listing_cap=1000,
    )  # fmt: skip


@pytest.fixture
def page(qtbot, context: PageContext) -> CatalogPage:
    widget = CatalogPage(context)
    qtbot.addWidget(widget)
    widget.resize(1280, 800)
    widget.show()
    return widget


def _open(qtbot, page: CatalogPage, settle, product_id: str) -> None:
    """Open the page and select one product, as a click on its row does."""
    page.refresh()
    qtbot.waitUntil(lambda: page.products.rowCount() > 0, timeout=10_000)
    settle()
    row = next(n for n in range(page.products.rowCount())
               if page.products.row(n).product_id == product_id)  # fmt: skip
    page.table.selectionModel().setCurrentIndex(
        page.products.index(row, 0),
        QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
    )
    qtbot.waitUntil(lambda: page.detail.entry is not None
                    and page.detail.entry.shopify_product_id == product_id)  # fmt: skip


def _choose(page: CatalogPage, variant_id: str):  # type: ignore[no-untyped-def]
    """Pick the variant in the Shopify form, as the merchant does in its list."""
    index = next(n for n, c in enumerate(page.detail.choices) if c.variant_id == variant_id)
    page.detail.variant.setCurrentIndex(index)
    return page.detail.choices[index]


def _blocked_by(code: str = "", field: str = "") -> listings.Listing:
    """A product kept off TikTok by a problem with this code (or on this field)."""
    return next(
        e for e in listings.all_listings()
        if e.state == listings.BLOCKED
        and any(p.code == code or p.field == field for p in e.blocking)
    )  # fmt: skip


def _variant(connected: Connected, variant_id: str):  # type: ignore[no-untyped-def]
    store = connected.sandbox.world.shopify
    return store.variants[int(variant_id.rsplit("/", 1)[1])]


async def _after_next_pull(connected: Connected, job: CatalogJob) -> None:
    """The job writes the fix; Shopify's change is pulled and pushed at the run after."""
    await job.run_once()
    connected.sandbox.world.advance(5)
    await job.run_once()


async def test_a_price_typed_for_a_variant_goes_to_shopify_and_unblocks_it(
    qtbot, page: CatalogPage, settle, connected: Connected
) -> None:
    job = _job(connected)
    await job.run_once()
    entry = _blocked_by("12052073")  # a price of zero
    _open(qtbot, page, settle, entry.shopify_product_id)
    problem = next(p for p in entry.blocking if p.code == "12052073")
    assert page.detail.choices[0].flawed and page.detail.tabs.currentIndex() == 0
    flawed = _choose(page, problem.variant_id)
    assert page.detail.price.text() in ("0.00", "0.0", "0")
    page.detail.price.setText("19.50")
    qtbot.mouseClick(page.detail.variant_button, qtbot_button())
    settle()
    await _after_next_pull(connected, job)
    assert _variant(connected, flawed.variant_id).price == Decimal("19.50")
    after = listings.listing(entry.shopify_product_id)
    assert after is not None and not any(p.code == "12052073" for p in after.problems)
    if after.tiktok_product_id:  # pushed unless the product had another flaw
        listed = connected.sandbox.world.tiktok.products.get(after.tiktok_product_id)
        sku = next(s for s in listed.skus if s.seller_sku == flawed.sku)
        assert Decimal(str(sku.price)) == Decimal("19.50")


async def test_a_sku_typed_for_a_variant_goes_to_shopify(
    qtbot, page: CatalogPage, settle, connected: Connected
) -> None:
    job = _job(connected)
    await job.run_once()
    entry = _blocked_by(field="seller_sku")
    _open(qtbot, page, settle, entry.shopify_product_id)
    problem = next(p for p in entry.blocking if p.field == "seller_sku" and p.variant_id)
    flawed = _choose(page, problem.variant_id)
    page.detail.sku.setText("has space")
    qtbot.mouseClick(page.detail.variant_button, qtbot_button())
    assert "no spaces" in page.notice.text()  # refused on the page, nothing written
    page.detail.sku.setText("CATALOG-FIX-001")
    qtbot.mouseClick(page.detail.variant_button, qtbot_button())
    settle()
    assert listings.listing(entry.shopify_product_id).shopify_fixes  # type: ignore[union-attr]
    await _after_next_pull(connected, job)
    assert _variant(connected, flawed.variant_id).sku == "CATALOG-FIX-001"
    after = listings.listing(entry.shopify_product_id)
    assert after is not None
    assert not any(
        p.field == "seller_sku" and p.variant_id == flawed.variant_id for p in after.problems
    )


async def test_a_weight_for_every_variant_without_one_goes_to_shopify(
    qtbot, page: CatalogPage, settle, connected: Connected
) -> None:
    job = _job(connected)
    await job.run_once()
    entry = _blocked_by(field="weight")
    weightless = [p.variant_id for p in entry.blocking if p.field == "weight" and p.variant_id]
    _open(qtbot, page, settle, entry.shopify_product_id)
    page.detail.weight.setText("320")
    qtbot.mouseClick(page.detail.weight_button, qtbot_button())
    settle()
    await job.run_once()
    store = connected.sandbox.world.shopify
    for variant_id in weightless:
        item = store.items[_variant(connected, variant_id).inventory_item_id]
        assert item.weight_value == 320


async def test_an_attribute_only_the_merchant_can_give_unblocks_the_product(
    qtbot, page: CatalogPage, settle, connected: Connected
) -> None:
    job = _job(connected)
    await job.run_once()
    entry = _blocked_by("12052104")  # Skincare needs Ingredients
    _open(qtbot, page, settle, entry.shopify_product_id)
    edits = page.detail._attribute_edits
    assert page.detail.tabs.currentIndex() == 1 and edits
    attribute_id, edit = next(iter(edits.items()))
    edit.setText("Aloe vera, glycerin")
    qtbot.mouseClick(page.detail.tiktok_button, qtbot_button())
    settle()
    await job.run_once()
    after = listings.listing(entry.shopify_product_id)
    assert after is not None and not any(p.code == "12052104" for p in after.problems)
    if after.tiktok_product_id:
        listed = connected.sandbox.world.tiktok.products.get(after.tiktok_product_id)
        sent = {str(a.get("id")): a for a in listed.attributes}
        assert "Aloe vera, glycerin" in str(sent[attribute_id])


async def test_a_price_rule_reaches_tiktok_without_a_review(
    qtbot, page: CatalogPage, settle, connected: Connected
) -> None:
    job = _job(connected)
    await job.run_once()
    connected.sandbox.world.advance(700)
    await job.run_once()
    world = connected.sandbox.world.tiktok.products
    entry = next(
        e for e in listings.all_listings()
        if e.state == listings.LIVE and not e.blocking
        and not any(s.price_locked for s in world.get(e.tiktok_product_id).skus)  # a promotion
    )  # fmt: skip
    _open(qtbot, page, settle, entry.shopify_product_id)
    page.detail.percent.setValue(10)
    page.detail.amount.setText("1.00")
    qtbot.mouseClick(page.detail.tiktok_button, qtbot_button())
    settle()
    await job.run_once()
    listed = connected.sandbox.world.tiktok.products.get(entry.tiktok_product_id)
    assert listed.status == "ACTIVATE"  # a price never sends a listing back to review
    for node in entry.payload["variants"]["nodes"]:
        sku = next(s for s in listed.skus if s.seller_sku == node["sku"])
        wanted = (Decimal(node["price"]) * Decimal("1.10") + 1).quantize(Decimal("0.01"))
        assert Decimal(str(sku.price)) == wanted


async def test_a_tiktok_title_and_description_wait_for_push_now(
    qtbot, page: CatalogPage, settle, connected: Connected
) -> None:
    job = _job(connected)
    await job.run_once()
    connected.sandbox.world.advance(700)
    await job.run_once()
    entry = next(e for e in listings.all_listings() if e.state == listings.LIVE and not e.blocking)
    _open(qtbot, page, settle, entry.shopify_product_id)
    page.detail.title_override.setText("Relaxed Heavyweight Tee")
    page.detail.description.setPlainText(
        "<p>" + " ".join(["Garment-dyed heavyweight cotton, cut easy."] * 6) + "</p>"
    )
    qtbot.mouseClick(page.detail.tiktok_button, qtbot_button())
    settle()
    await job.run_once()
    listed = connected.sandbox.world.tiktok.products.get(entry.tiktok_product_id)
    assert listed.title != "Relaxed Heavyweight Tee"  # held: it would send the listing to review
    _open(qtbot, page, settle, entry.shopify_product_id)
    assert "back to TikTok's review" in page.detail.problems.text()
    qtbot.mouseClick(page.push_button, qtbot_button())
    settle()
    await job.run_once()
    assert listed.title == "Relaxed Heavyweight Tee" and "Garment-dyed" in listed.description
    assert listed.status == "PENDING"


def qtbot_button():  # type: ignore[no-untyped-def]
    from PySide6.QtCore import Qt

    return Qt.MouseButton.LeftButton
