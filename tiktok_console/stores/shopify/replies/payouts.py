"""Reply of the payouts document: each Shopify order's subtotal and refunds, by id."""

from __future__ import annotations

from tiktok_console.stores.shopify.replies.base import DateTime, Nodes, Reply, ShopifyModel
from tiktok_console.stores.shopify.replies.refunds import ShopMoney


class RefundedLineItem(ShopifyModel):
    """The order line a refund line gave back."""

    sku: str | None = None


class RefundLine(ShopifyModel):
    """Units of one line given back."""

    quantity: int
    line_item: RefundedLineItem


class OrderRefund(ShopifyModel):
    """One refund of the order."""

    id: str
    created_at: DateTime | None = None
    total_refunded_set: ShopMoney
    refund_line_items: Nodes[RefundLine]


class OrderMoney(ShopifyModel):
    """An order's subtotal (after discounts, before refunds) and its refunds."""

    id: str
    name: str
    currency_code: str
    subtotal_price_set: ShopMoney | None = None
    refunds: list[OrderRefund]


class PayoutOrdersMoney(Reply):
    """``PayoutOrdersMoney.graphql``: one entry per id asked, None for an order that is gone."""

    what = "reading Shopify orders' subtotals and refunds"
    nodes: list[OrderMoney | None]
