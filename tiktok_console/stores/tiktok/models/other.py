"""Deliberately small models for TikTok areas the console does not call.

Customer service, FBT, promotions, supply chain, global products, compliance,
brands, categories, size charts, webhook subscriptions and the rarer product,
order and fulfillment endpoints. Each keeps every field (``extra="allow"``)
and types only what any caller would look at first: paging and batch errors.
When the app starts using one of these, it graduates to a typed model in its
area's module.
"""

from __future__ import annotations

from pydantic import Field

from tiktok_console.stores.tiktok.models.common import (
    BatchError,
    IdStr,
    LooseModel,
    OptionalTime,
    TikTokModel,
)


class AreaData(LooseModel):
    """A response ``data`` kept whole, with paging and batch errors typed."""

    next_page_token: str = ""
    total_count: int = 0
    errors: list[BatchError] = Field(default_factory=list)


class AreaRequest(LooseModel):
    """A request body kept whole."""


class CustomerServiceData(AreaData):
    """Customer service: conversations, messages, agent settings, performance."""


class FbtData(AreaData):
    """Fulfilled by TikTok: goods, inventories, inbound orders, FBT warehouses."""


class PromotionData(AreaData):
    """Promotions: activities and coupons."""

    activity_id: IdStr = ""


class SupplyChainData(AreaData):
    """Supply chain package sync."""


class SellerData(AreaData):
    """Seller: active shops and permissions."""


class GlobalProductData(AreaData):
    """Global (cross-border) products and their categories."""


class ComplianceData(AreaData):
    """EU compliance: manufacturers and responsible persons."""


class CatalogSetupData(AreaData):
    """Brands, categories, category rules and attributes, size charts."""


class ProductExtraData(AreaData):
    """Rarer product endpoints: listing check, diagnoses, SEO words, schemas, files."""


class FulfillmentExtraData(AreaData):
    """Rarer fulfillment endpoints: split, combine, bundles, documents, handover slots."""


class OrderExtraData(AreaData):
    """External order references and price detail."""


class LogisticsExtraData(AreaData):
    """Global warehouses."""


class Webhook(TikTokModel):
    """A webhook subscription of the shop."""

    event_type: str
    address: str = ""
    create_time: OptionalTime = None
    update_time: OptionalTime = None


class WebhookList(TikTokModel):
    """Get Shop Webhooks."""

    webhooks: list[Webhook] = Field(default_factory=list)
    total_count: int = 0
