"""Stored orders as reconciliation's inputs: the TikTok order's money and its Shopify twin.

The order JSON is TikTok's as pulled; its ``payment`` gives the expected
revenue (``original_total_product_price`` less ``seller_discount``) and its
lines the SKUs. The Shopify order is the one the orders job created or found,
with the subtotal and refunds the payouts job read back from Shopify
(``storage.payouts.shopify_orders``). Fee rates are the region's published
ones, replaced by those the merchant set in Settings.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from decimal import Decimal

from tiktok_console.core.settings import PayoutSettings
from tiktok_console.domain.reconciliation_inputs import (
    REGION_FEE_RATES,
    FeeRates,
    OrderSku,
    ShopifyOrder,
    TikTokOrder,
)
from tiktok_console.domain.settlement_fields import Field
from tiktok_console.storage.accounts import load_accounts
from tiktok_console.storage.payouts.order_facts import order_facts
from tiktok_console.storage.payouts.shopify_orders import shopify_money
from tiktok_console.stores.tiktok.models.orders import Order

ZERO = Decimal(0)
# Assumption: what a TikTok Shipping label costs a US seller (the sandbox charges it too).
LABEL_COST = Decimal("7.50")


def shop_region() -> str:
    """The connected TikTok Shop's region (US until one is connected): it picks the rates."""
    account = load_accounts().get("tiktok")
    return (account.region if account else "") or "US"


def fee_rates(region: str, chosen: PayoutSettings | None = None) -> FeeRates:
    """The rates reconciliation checks: the merchant's where set, else the region's published ones.

    A rate the merchant set replaces the region's for that fee; a fee the
    region does not charge is checked once the merchant gives it a rate.
    """
    base = REGION_FEE_RATES.get(region.upper(), REGION_FEE_RATES["US"])
    rates = dict(base.rates)
    label = LABEL_COST
    if chosen is not None:
        for field, percent in (
            (Field.REFERRAL_FEE, chosen.referral_fee_percent),
            (Field.COMMISSION_FEE, chosen.commission_fee_percent),
            (Field.TRANSACTION_FEE, chosen.transaction_fee_percent),
        ):
            if percent is not None:
                rates[field] = percent / 100
        if chosen.label_cost is not None:
            label = chosen.label_cost
    return FeeRates(rates, label_cost=label, tolerance=base.tolerance)


def tiktok_order(order: Order) -> TikTokOrder:
    """The money of one pulled TikTok order."""
    currency = order.currency
    pay = order.payment
    skus: dict[str, list[Decimal]] = defaultdict(lambda: [ZERO, ZERO, ZERO, ZERO])
    sellers: dict[str, str] = {}
    for line in order.line_items:
        tally = skus[line.sku_id]
        tally[0] += 1
        tally[1] += line.original_price.amount
        tally[2] += line.seller_discount.amount if line.seller_discount else ZERO
        tally[3] += line.platform_discount.amount if line.platform_discount else ZERO
        sellers[line.sku_id] = line.seller_sku
    listed = tuple(
        OrderSku(sku, int(t[0]), t[1], t[2], t[3], sellers.get(sku, "")) for sku, t in skus.items()
    )
    original = (
        pay.original_total_product_price.amount
        if pay.original_total_product_price is not None
        else sum((s.original_price for s in listed), ZERO)
    )
    return TikTokOrder(
        order.id,
        order.create_time,
        currency,
        original,
        pay.seller_discount.amount if pay.seller_discount else ZERO,
        pay.platform_discount.amount if pay.platform_discount else ZERO,
        listed,
        is_sample=order.is_sample_order,
        cancelled=order.status == "CANCELLED",
        tiktok_shipped=order.shipping_type.upper() == "TIKTOK",
    )


def stored_orders() -> tuple[list[TikTokOrder], list[ShopifyOrder]]:
    """Every pulled TikTok order and the Shopify orders made for them.

    A Shopify order the payouts job read back carries Shopify's own subtotal
    and refunds; one not read yet is marked so (its refunds are not compared).
    """
    read = shopify_money()
    tiktok: list[TikTokOrder] = []
    shopify: list[ShopifyOrder] = []
    for facts in order_facts():
        order = tiktok_order(Order.model_validate_json(facts.payload))
        if not facts.shopify_order_name:
            tiktok.append(replace(order, not_in_shopify=_not_in_shopify(facts.reason)))
            continue
        tiktok.append(order)
        money = read.get(order.order_id)
        if money is None or money.gone or money.subtotal is None:
            shopify.append(
                ShopifyOrder(
                    order.order_id, facts.shopify_order_name, order.currency,
                    order.expected_revenue - order.platform_discount, read=False,
                )
            )  # fmt: skip
            continue
        shopify.append(
            ShopifyOrder(
                order.order_id, money.name or facts.shopify_order_name,
                money.currency or order.currency, money.subtotal, money.refunds,
            )
        )  # fmt: skip
    return tiktok, shopify


def _not_in_shopify(reason: str) -> str:
    """Why an order has no Shopify twin, in the orders job's words (they end with a stop)."""
    reason = reason.strip().rstrip(".")
    if not reason:
        return "the console has not made this order in Shopify yet"
    return reason[0].lower() + reason[1:]
