"""Typed product calls: search, detail, create, partial edit, stock, price, status, images."""

from __future__ import annotations

from collections.abc import AsyncGenerator, AsyncIterator, Sequence

from tiktok_console.stores.tiktok.api_base import ApiBase, body_of, parse
from tiktok_console.stores.tiktok.models.common import BatchResult
from tiktok_console.stores.tiktok.models.products import (
    CreateProductRequest,
    PartialEditRequest,
    ProductDetail,
    ProductIdsRequest,
    ProductSearchPage,
    ProductSummary,
    ProductWriteResult,
    SearchProductsRequest,
    SkuPriceUpdate,
    SkuStockUpdate,
    UpdateInventoryRequest,
    UpdatePriceRequest,
    UploadedImage,
)

SEARCH = "/product/202502/products/search"
PRODUCT = "/product/202309/products/{product_id}"
CREATE = "/product/202309/products"
PARTIAL_EDIT = "/product/202509/products/{product_id}/partial_edit"
INVENTORY = "/product/202309/products/{product_id}/inventory/update"
PRICES = "/product/202309/products/{product_id}/prices/update"
ACTIVATE = "/product/202309/products/activate"
DEACTIVATE = "/product/202309/products/deactivate"
IMAGE_UPLOAD = "/product/202309/images/upload"
MAX_IDS_PER_STATUS_CALL = 20


class ProductsApi(ApiBase):
    """Products (scopes Product Basic / Product Modify)."""

    async def search_products(
        self, filters: SearchProductsRequest | None = None, *, page_size: int = 50
    ) -> AsyncIterator[ProductSummary]:
        """Every product matching ``filters``, page by page."""
        async for page in self.search_product_pages(filters, page_size=page_size):
            for product in page.products:
                yield product

    def search_product_pages(
        self, filters: SearchProductsRequest | None = None, *, page_size: int = 50
    ) -> AsyncGenerator[ProductSearchPage, None]:
        """Every page of products matching ``filters`` (each says the ``total_count``)."""
        return self._pages(
            ProductSearchPage, "POST", SEARCH, page_size=page_size, body=body_of(filters)
        )

    async def get_product(self, product_id: str) -> ProductDetail:
        """One product with everything the health rules need."""
        return await self._call(
            ProductDetail, "GET", PRODUCT, path_params={"product_id": product_id}
        )

    async def create_product(self, request: CreateProductRequest) -> ProductWriteResult:
        """Create a product; with ``request.idempotency_key`` a repeat returns the first result."""
        return await self._call(
            ProductWriteResult,
            "POST",
            CREATE,
            body=body_of(request),
            safe_to_repeat=bool(request.idempotency_key),
        )

    async def edit_product_partially(
        self, product_id: str, request: PartialEditRequest
    ) -> ProductWriteResult:
        """Change only the fields set in ``request`` (setting a value twice is harmless)."""
        return await self._call(
            ProductWriteResult,
            "POST",
            PARTIAL_EDIT,
            path_params={"product_id": product_id},
            body=body_of(request),
        )

    async def update_inventory(
        self, product_id: str, skus: Sequence[SkuStockUpdate]
    ) -> BatchResult:
        """Set stock (absolute quantities, every warehouse of each SKU); per-SKU errors."""
        body = body_of(UpdateInventoryRequest(skus=list(skus)))
        return await self._call(
            BatchResult, "POST", INVENTORY, path_params={"product_id": product_id}, body=body
        )

    async def update_prices(self, product_id: str, skus: Sequence[SkuPriceUpdate]) -> BatchResult:
        """Set SKU prices (refused with a store error when a promotion locks them)."""
        body = body_of(UpdatePriceRequest(skus=list(skus)))
        return await self._call(
            BatchResult, "POST", PRICES, path_params={"product_id": product_id}, body=body
        )

    async def activate_products(self, product_ids: Sequence[str]) -> BatchResult:
        """Submit or re-list products, 20 per call; the errors of every call together."""
        return await self._status_change(ACTIVATE, product_ids)

    async def deactivate_products(self, product_ids: Sequence[str]) -> BatchResult:
        """Take live products off sale, 20 per call."""
        return await self._status_change(DEACTIVATE, product_ids)

    async def upload_image(
        self,
        data: bytes,
        *,
        use_case: str = "MAIN_IMAGE",
        filename: str = "image.png",
        content_type: str = "image/png",
    ) -> UploadedImage:
        """Upload an image; its ``uri`` is what listings refer to."""
        raw = await self.transport.upload(
            IMAGE_UPLOAD, {"use_case": use_case}, (filename, data, content_type)
        )
        return parse(UploadedImage, raw, f"POST {IMAGE_UPLOAD}")

    async def _status_change(self, template: str, product_ids: Sequence[str]) -> BatchResult:
        ids = list(product_ids)
        errors = []
        for start in range(0, len(ids), MAX_IDS_PER_STATUS_CALL):
            chunk = ids[start : start + MAX_IDS_PER_STATUS_CALL]
            body = body_of(ProductIdsRequest(product_ids=chunk))
            result = await self._call(BatchResult, "POST", template, body=body)
            errors.extend(result.errors)
        return BatchResult(errors=errors)
