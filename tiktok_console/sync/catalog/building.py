"""What a listing is built from on TikTok's side: its category, the warehouse, the images.

Category look-ups and the warehouse are read once and shared by every product
the job handles at the same time (one call each, however many ask at once).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any, Generic, TypeVar

from tiktok_console.domain.listing_html import description_image_sources
from tiktok_console.domain.listing_mapping import create_product_body, main_image_candidates
from tiktok_console.domain.listing_product import Category, ProductView
from tiktok_console.domain.listing_regions import RegionRules
from tiktok_console.storage.catalog.listings import Listing
from tiktok_console.stores.tiktok.api import TikTokShopApi
from tiktok_console.stores.tiktok.catalog_api import CatalogApi
from tiktok_console.sync.catalog.images import ImageCopier
from tiktok_console.sync.catalog.product_view import category_of

T = TypeVar("T")


class Once(Generic[T]):
    """A value read at most once, however many tasks ask for it at the same time."""

    def __init__(self, read: Callable[[], Awaitable[T]]) -> None:
        self._read = read
        self._task: asyncio.Task[T] | None = None

    async def get(self) -> T:
        if self._task is None or (self._task.done() and self._task.exception() is not None):
            self._task = asyncio.ensure_future(self._read())
        return await asyncio.shield(self._task)


class ListingBuilder:
    """Builds Create Product bodies: category, attributes, images, warehouse."""

    def __init__(
        self, tiktok: TikTokShopApi, catalog: CatalogApi, images: ImageCopier, rules: RegionRules
    ) -> None:
        self._tiktok = tiktok
        self._catalog = catalog
        self.images = images
        self._rules = rules
        self._warehouse = Once(self._read_warehouse)
        self._attributes: dict[str, Once[list[dict[str, Any]]]] = {}

    async def _read_warehouse(self) -> str:
        found = await self._tiktok.warehouses()
        sales = [w for w in found if w.is_sales] or found
        default = next((w for w in sales if w.is_default), sales[0] if sales else None)
        return default.id if default else ""

    async def category(self, entry: Listing, view: ProductView) -> tuple[str, Category | None]:
        """The product's category (the merchant's, or TikTok's recommendation) with its
        attributes filled from Shopify and the merchant's values."""
        category_id = str(entry.overrides.get("category_id") or "") or entry.category_id
        if not category_id:
            title = view.overrides.title or view.title
            if not title.strip():
                return "", None
            category_id = await self._catalog.recommend_category(title, view.product_type)
        if not category_id:
            return "", None
        if category_id not in self._attributes:
            self._attributes[category_id] = Once(lambda: self._read_attributes(category_id))
        attributes = await self._attributes[category_id].get()
        chosen = {str(k): str(v) for k, v in dict(entry.overrides.get("attributes") or {}).items()}
        return category_id, category_of(category_id, attributes, entry.payload, chosen)

    async def _read_attributes(self, category_id: str) -> list[dict[str, Any]]:
        return [a.model_dump() for a in await self._catalog.category_attributes(category_id)]

    async def body(self, view: ProductView, *, with_images: bool = True) -> dict[str, Any]:
        """The Create Product body; without images, Shopify's addresses stand in for them."""
        candidates = main_image_candidates(view)
        if with_images:
            uris = await self.images.main_uris([i.src for i in candidates])
            sources = description_image_sources(
                view.overrides.description_html or view.description_html
            )
            hosted = await self.images.description(sources)
        else:
            uris, hosted = [i.src for i in candidates], {}
        return create_product_body(
            view,
            self._rules,
            main_image_uris=uris,
            warehouse_id=await self._warehouse.get(),
            description_images=hosted,
        )
