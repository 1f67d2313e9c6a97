"""The catalog calls the product mixin lacks: categories, the listing check, raw-body writes.

The catalog job builds its Create Product body with the pure mapping in
``domain/listing_mapping.py`` (a plain dict, so the same body can be diffed
against the last one pushed); these methods send such bodies as they are and
parse TikTok's replies into models. Versions are the current ones
(``tiktok-current-versions.md``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import Field

from tiktok_console.stores.tiktok.api_base import ApiBase
from tiktok_console.stores.tiktok.models.common import BatchResult, TikTokModel
from tiktok_console.stores.tiktok.models.products import ProductWriteResult

RECOMMEND = "/product/202309/categories/recommend"
ATTRIBUTES = "/product/202309/categories/{category_id}/attributes"
LISTING_CHECK = "/product/202309/products/listing_check"
CREATE = "/product/202309/products"
EDIT = "/product/202509/products/{product_id}"
PARTIAL_EDIT = "/product/202509/products/{product_id}/partial_edit"
PRICES = "/product/202309/products/{product_id}/prices/update"


class RecommendedCategory(TikTokModel):
    """Recommend Category: the leaf TikTok suggests, and the chain to it."""

    leaf_category_id: str = ""


class AttributeValueInfo(TikTokModel):
    """One built-in value of a category attribute."""

    id: str = ""
    name: str = ""


class CategoryAttributeInfo(TikTokModel):
    """A category attribute as Get Attributes lists it (``is_requried`` is TikTok's spelling)."""

    id: str
    name: str = ""
    type: str = ""
    is_requried: bool = False
    values: list[AttributeValueInfo] = Field(default_factory=list)


class CategoryAttributes(TikTokModel):
    """Get Attributes."""

    attributes: list[CategoryAttributeInfo] = Field(default_factory=list)


class ListingFailReason(TikTokModel):
    """One reason Check Product Listing gives."""

    code: int | str = ""
    message: str = ""


class ListingCheck(TikTokModel):
    """Check Product Listing: PASS, or FAILED with reasons."""

    check_result: str = ""
    fail_reasons: list[ListingFailReason] = Field(default_factory=list)

    @property
    def passed(self) -> bool:
        """Whether Create Product would accept the body."""
        return self.check_result != "FAILED" and not self.fail_reasons


class CatalogApi(ApiBase):
    """Category look-ups, the listing check and body-as-built writes for the catalog job."""

    async def recommend_category(self, title: str, product_type: str = "") -> str:
        """The leaf category TikTok recommends for a product ("" when it has none)."""
        body = {"product_title": title, "origin_platform_product_type": product_type}
        found = await self._call(RecommendedCategory, "POST", RECOMMEND, body=body)
        return found.leaf_category_id

    async def category_attributes(self, category_id: str) -> list[CategoryAttributeInfo]:
        """The attributes of a leaf category (required ones flagged)."""
        found = await self._call(
            CategoryAttributes, "GET", ATTRIBUTES, path_params={"category_id": category_id}
        )
        return found.attributes

    async def check_listing(self, body: Mapping[str, Any]) -> ListingCheck:
        """Run Create Product's checks on ``body`` without creating anything."""
        sent = {k: v for k, v in body.items() if k != "idempotency_key"}
        return await self._call(ListingCheck, "POST", LISTING_CHECK, body=sent)

    async def create(self, body: Mapping[str, Any]) -> ProductWriteResult:
        """Create Product; a body with ``idempotency_key`` may be repeated safely."""
        return await self._call(
            ProductWriteResult,
            "POST",
            CREATE,
            body=dict(body),
            safe_to_repeat=bool(body.get("idempotency_key")),
        )

    async def partial_edit(self, product_id: str, body: Mapping[str, Any]) -> ProductWriteResult:
        """Partial Edit Product: only the fields in ``body`` change."""
        return await self._call(
            ProductWriteResult,
            "POST",
            PARTIAL_EDIT,
            path_params={"product_id": product_id},
            body=dict(body),
        )

    async def edit(self, product_id: str, body: Mapping[str, Any]) -> ProductWriteResult:
        """Edit Product: the whole listing (a new category needs it)."""
        return await self._call(
            ProductWriteResult, "PUT", EDIT, path_params={"product_id": product_id}, body=dict(body)
        )

    async def update_prices(self, product_id: str, body: Mapping[str, Any]) -> BatchResult:
        """Update Price with a body from ``listing_diff.price_update_body``."""
        return await self._call(
            BatchResult, "POST", PRICES, path_params={"product_id": product_id}, body=dict(body)
        )
