"""Replies of the refund documents: what an order can still refund, and the refund made."""

from __future__ import annotations

from decimal import Decimal

from tiktok_console.stores.shopify.replies.base import Nodes, Reply, ShopifyModel, UserError


class MoneyV2(ShopifyModel):
    """An amount and its currency."""

    amount: Decimal
    currency_code: str


class ShopMoney(ShopifyModel):
    """A ``MoneyBag`` selected for the shop's currency."""

    shop_money: MoneyV2


class TaxPrice(ShopifyModel):
    """One tax line's amount."""

    price_set: ShopMoney


class LineVariant(ShopifyModel):
    """The variant a line sold."""

    id: str


class RefundableLine(ShopifyModel):
    """A line, with what is left to refund of it."""

    id: str
    quantity: int
    refundable_quantity: int
    unfulfilled_quantity: int
    variant: LineVariant | None = None
    discounted_unit_price_set: ShopMoney
    tax_lines: list[TaxPrice]


class MadeRefund(ShopifyModel):
    """A refund on the order."""

    id: str
    note: str | None = None


class PaymentTransaction(ShopifyModel):
    """One of the order's transactions: a refund's parent is its successful sale."""

    id: str
    kind: str
    status: str
    gateway: str


class RefundableOrder(ShopifyModel):
    """The order a refund lands on."""

    id: str
    currency_code: str
    total_shipping_price_set: ShopMoney
    line_items: Nodes[RefundableLine]
    refunds: list[MadeRefund]
    transactions: list[PaymentTransaction]


class OrderRefundables(Reply):
    """``OrderRefundables.graphql``: None when there is no such order."""

    what = "reading what an order can refund"
    order: RefundableOrder | None


class RefundCreatePayload(ShopifyModel):
    """``refundCreate``: the refund, or why not."""

    refund: MadeRefund | None = None
    user_errors: list[UserError]


class RefundCreate(Reply):
    """``RefundCreate.graphql``."""

    what = "recording a refund"
    refund_create: RefundCreatePayload
