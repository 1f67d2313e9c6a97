"""Products as TikTok sends them (search, detail, writes) and the write requests we send.

Catalog sync reads listings back (status, audit, SKUs with price and stock)
and writes creates, partial edits, stock and prices. Requests are models too
so a body we send is checked as strictly as a body we receive.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from tiktok_console.domain.money import Money
from tiktok_console.stores.tiktok.models.common import (
    Amount,
    IdStr,
    Image,
    MoneyObject,
    OptionalTime,
    Priced,
    TikTokModel,
    UnixTime,
    WireDecimal,
)

# Closed lists from the docs; unknown values are kept as they come (TikTok adds some).
PRODUCT_STATUSES = frozenset(
    {
        "DRAFT",
        "PENDING",
        "FAILED",
        "ACTIVATE",
        "SELLER_DEACTIVATED",
        "PLATFORM_DEACTIVATED",
        "FREEZE",
        "DELETED",
    }
)
AUDIT_STATUSES = frozenset({"NONE", "AUDITING", "APPROVED", "FAILED", "PRE_APPROVED"})
IMAGE_USE_CASES = frozenset(
    {
        "MAIN_IMAGE",
        "ATTRIBUTE_IMAGE",
        "DESCRIPTION_IMAGE",
        "CERTIFICATION_IMAGE",
        "SIZE_CHART_IMAGE",
    }
)


class SkuPrice(Priced):
    """A SKU's price; ``sale_price`` is what the buyer sees before discounts."""

    sale_price: Amount | None = None
    tax_exclusive_price: Amount | None = None
    unit_price: Amount | None = None

    @property
    def amount(self) -> Money | None:
        """The price to compare with Shopify's: the display price, else the pre-tax one."""
        return self.sale_price or self.tax_exclusive_price


class WarehouseStock(TikTokModel):
    """Stock of a SKU in one warehouse."""

    warehouse_id: IdStr = ""
    quantity: int = 0
    backorder_quantity: int | None = None
    handling_time: int | None = None


class AuditInfo(TikTokModel):
    """The listing's audit state; ``status`` is one of ``AUDIT_STATUSES`` or a newer value."""

    status: str = ""
    pre_approved_reasons: list[str] = Field(default_factory=list)


class SkuSummary(TikTokModel):
    """A SKU as Search Products lists it."""

    id: IdStr
    seller_sku: str = ""
    price: SkuPrice = Field(default_factory=SkuPrice)
    inventory: list[WarehouseStock] = Field(default_factory=list)

    @property
    def total_quantity(self) -> int:
        """Stock over every warehouse."""
        return sum(w.quantity for w in self.inventory)


class ProductSummary(TikTokModel):
    """A product as Search Products lists it."""

    id: IdStr
    title: str = ""
    status: str = ""
    create_time: OptionalTime = None
    update_time: OptionalTime = None
    skus: list[SkuSummary] = Field(default_factory=list)
    sales_regions: list[str] = Field(default_factory=list)
    audit: AuditInfo = Field(default_factory=AuditInfo)
    listing_quality_tier: str = ""
    product_sync_fail_reasons: list[str] = Field(default_factory=list)
    is_not_for_sale: bool = False


class ProductSearchPage(TikTokModel):
    """One page of Search Products."""

    products: list[ProductSummary] = Field(default_factory=list)
    next_page_token: str = ""
    total_count: int = 0


class SalesAttribute(TikTokModel):
    """One variant dimension of a SKU (Size: M)."""

    id: IdStr = ""
    name: str = ""
    value_id: IdStr = ""
    value_name: str = ""
    sku_img: Image | None = None


class IdentifierCode(TikTokModel):
    """A GTIN/EAN/UPC/ISBN code."""

    code: str = ""
    type: str = ""


class ProductSku(SkuSummary):
    """A SKU as Get Product describes it."""

    external_sku_id: str = ""
    sales_attributes: list[SalesAttribute] = Field(default_factory=list)
    identifier_code: IdentifierCode | None = None
    list_price: MoneyObject | None = None


class CategoryChainEntry(TikTokModel):
    """One level of the product's category path."""

    id: IdStr = ""
    parent_id: IdStr = ""
    local_name: str = ""
    is_leaf: bool = False


class Brand(TikTokModel):
    """The product's brand."""

    id: IdStr = ""
    name: str = ""


class PackageWeight(TikTokModel):
    """Shipping weight; ``unit`` is KILOGRAM, GRAM or POUND."""

    value: WireDecimal
    unit: str = ""


class PackageDimensions(TikTokModel):
    """Shipping box size; ``unit`` is CENTIMETER or INCH."""

    length: WireDecimal
    width: WireDecimal
    height: WireDecimal
    unit: str = ""


class AuditFailedReason(TikTokModel):
    """Why the listing failed review, and what to fix."""

    position: str = ""
    reasons: list[str] = Field(default_factory=list)
    suggestions: list[str] = Field(default_factory=list)


class ProductDetail(TikTokModel):
    """Get Product: everything the catalog health rules look at."""

    id: IdStr
    title: str = ""
    description: str = ""
    status: str = ""
    create_time: OptionalTime = None
    update_time: OptionalTime = None
    category_chains: list[CategoryChainEntry] = Field(default_factory=list)
    brand: Brand | None = None
    main_images: list[Image] = Field(default_factory=list)
    package_weight: PackageWeight | None = None
    package_dimensions: PackageDimensions | None = None
    skus: list[ProductSku] = Field(default_factory=list)
    external_product_id: str = ""
    audit: AuditInfo = Field(default_factory=AuditInfo)
    audit_failed_reasons: list[AuditFailedReason] = Field(default_factory=list)
    is_cod_allowed: bool = False
    is_not_for_sale: bool = False

    def sku(self, sku_id: str) -> ProductSku | None:
        """The SKU with this id, if the product has it."""
        return next((s for s in self.skus if s.id == sku_id), None)


class SkuRef(TikTokModel):
    """A SKU as writes echo it back (ids to map to Shopify variants)."""

    id: IdStr
    seller_sku: str = ""
    external_sku_id: str = ""
    sales_attributes: list[SalesAttribute] = Field(default_factory=list)


class WriteWarning(TikTokModel):
    """A non-blocking remark on a write (a field cleared, say)."""

    message: str = ""


class ProductWriteResult(TikTokModel):
    """Create, Edit and Partial Edit: the product id and its SKU ids."""

    product_id: IdStr
    skus: list[SkuRef] = Field(default_factory=list)
    warnings: list[WriteWarning] = Field(default_factory=list)


class UploadedImage(TikTokModel):
    """Upload Product Image: the ``uri`` a listing then refers to."""

    uri: str
    url: str = ""
    width: int = 0
    height: int = 0
    use_case: str = ""


# -- requests ---------------------------------------------------------------
class ImageRef(TikTokModel):
    """An uploaded image named in a request."""

    uri: str


class SkuStockUpdate(TikTokModel):
    """New stock of one SKU: every warehouse of the SKU must be listed."""

    id: IdStr
    inventory: list[WarehouseStock]


class UpdateInventoryRequest(TikTokModel):
    """Body of Update Inventory."""

    skus: list[SkuStockUpdate]


class SkuPriceUpdate(TikTokModel):
    """New price of one SKU."""

    id: IdStr
    price: MoneyObject
    list_price: MoneyObject | None = None


class UpdatePriceRequest(TikTokModel):
    """Body of Update Price."""

    skus: list[SkuPriceUpdate]


class NewSkuAttribute(TikTokModel):
    """A variant dimension of a new SKU."""

    name: str
    value_name: str
    id: str | None = None
    value_id: str | None = None


class NewSku(TikTokModel):
    """A SKU of a product to create."""

    seller_sku: str = ""
    price: MoneyObject
    inventory: list[WarehouseStock]
    sales_attributes: list[NewSkuAttribute] = Field(default_factory=list)
    external_sku_id: str | None = None
    identifier_code: IdentifierCode | None = None


class AttributeValueIn(TikTokModel):
    """A product attribute value: a built-in ``id`` from Get Attributes, or a custom ``name``."""

    id: str | None = None
    name: str | None = None


class ProductAttributeIn(TikTokModel):
    """A category attribute of a product to create (Get Attributes lists the required ones)."""

    id: str
    values: list[AttributeValueIn]


class PackageWeightIn(TikTokModel):
    """Shipping weight in a request (TikTok wants the value as a string)."""

    value: WireDecimal
    unit: Literal["KILOGRAM", "GRAM", "POUND"] | str


class CreateProductRequest(TikTokModel):
    """Body of Create Product (``idempotency_key`` replays the first result)."""

    title: str
    description: str
    category_id: str
    main_images: list[ImageRef]
    skus: list[NewSku]
    package_weight: PackageWeightIn
    package_dimensions: PackageDimensions | None = None
    product_attributes: list[ProductAttributeIn] = Field(default_factory=list)
    category_version: str | None = None  # US shops must send "v2"
    brand_id: str | None = None
    external_product_id: str | None = None
    save_mode: str = "LISTING"
    idempotency_key: str | None = None


class SkuEdit(TikTokModel):
    """Changes to one existing SKU in a partial edit (``id`` is required)."""

    id: IdStr
    seller_sku: str | None = None
    price: MoneyObject | None = None


class PartialEditRequest(TikTokModel):
    """Body of Partial Edit Product: only the fields sent change."""

    title: str | None = None
    description: str | None = None
    main_images: list[ImageRef] | None = None
    package_weight: PackageWeightIn | None = None
    package_dimensions: PackageDimensions | None = None
    skus: list[SkuEdit] | None = None
    external_product_id: str | None = None


class ProductIdsRequest(TikTokModel):
    """Body of Activate / Deactivate / Delete / Recover: up to 20 product ids."""

    product_ids: list[IdStr]


class SearchProductsRequest(TikTokModel):
    """Body of Search Products (filters)."""

    status: str | None = None
    seller_skus: list[str] | None = None
    sku_ids: list[str] | None = None
    create_time_ge: UnixTime | None = None
    create_time_le: UnixTime | None = None
    update_time_ge: UnixTime | None = None
    update_time_le: UnixTime | None = None
