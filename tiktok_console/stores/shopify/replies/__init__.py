"""Typed Shopify replies: one pydantic model per ``.graphql`` document.

``ShopifyTransport.execute(OrderCreate, ...)`` runs ``graphql/OrderCreate.graphql``
and returns an ``OrderCreate``; a reply that does not fit its model becomes
``UnexpectedReplyError`` naming the path, never a traceback. Each model holds
only fields its document selects, in snake_case: ``test_shopify_reply_shapes.py``
checks each model against its document field by field, and every document
has its model.
"""

from tiktok_console.stores.shopify.replies.base import (
    REPLIES,
    CodedUserError,
    Connection,
    PageInfo,
    Reply,
    UserError,
    parse_reply,
    reject_user_errors,
)
from tiktok_console.stores.shopify.replies.bulk import (
    BulkOperationById,
    BulkOperationRunQuery,
    CurrentBulkOperation,
)
from tiktok_console.stores.shopify.replies.catalog import ProductVariantsPage, Shop, VariantsBySku
from tiktok_console.stores.shopify.replies.inventory import (
    InventoryChanges,
    InventoryLevel,
    InventorySetQuantities,
    Locations,
    VariantInventory,
)
from tiktok_console.stores.shopify.replies.orders import (
    OrderById,
    OrderCancel,
    OrderCreate,
    OrderFulfillmentsSince,
    OrdersByQuery,
)
from tiktok_console.stores.shopify.replies.payouts import PayoutOrdersMoney
from tiktok_console.stores.shopify.replies.refunds import OrderRefundables, RefundCreate

__all__ = [
    "REPLIES",
    "BulkOperationById",
    "BulkOperationRunQuery",
    "CodedUserError",
    "Connection",
    "CurrentBulkOperation",
    "InventoryChanges",
    "InventoryLevel",
    "InventorySetQuantities",
    "Locations",
    "OrderById",
    "OrderCancel",
    "OrderCreate",
    "OrderFulfillmentsSince",
    "OrderRefundables",
    "OrdersByQuery",
    "PageInfo",
    "PayoutOrdersMoney",
    "ProductVariantsPage",
    "RefundCreate",
    "Reply",
    "Shop",
    "UserError",
    "VariantInventory",
    "VariantsBySku",
    "parse_reply",
    "reject_user_errors",
]
