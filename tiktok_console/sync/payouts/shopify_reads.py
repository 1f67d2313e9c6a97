"""Reading back the Shopify twins of settled TikTok orders: subtotals and refunds.

The payouts job calls ``read_shopify_orders`` each run; it reads, a page of
ids at a time, the orders ``storage.payouts.shopify_orders`` says need it
(never read, or something changed), and stores each read in the same
transaction as its "seen" marks, so a crash only means reading again.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from tiktok_console.domain.reconciliation_inputs import ShopifyRefund
from tiktok_console.storage.database import db
from tiktok_console.storage.payouts.shopify_orders import (
    ShopifyMoney,
    ToRead,
    orders_to_read,
    store_read,
)
from tiktok_console.stores.shopify.replies import PayoutOrdersMoney
from tiktok_console.stores.shopify.replies.payouts import OrderMoney
from tiktok_console.stores.shopify.transport import ShopifyTransport

# Ids per request: each order with its refunds may cost ~110 points; Shopify's limit is 1,000.
PAGE = 8
# How long before an order whose refund was missing in Shopify is read again.
RECHECK = timedelta(minutes=15)


async def read_shopify_orders(
    shopify: ShopifyTransport, now: datetime, pages: int = 2
) -> tuple[int, bool]:
    """Reads up to ``pages`` pages of orders; returns how many were read and whether more wait."""
    read = 0
    for _ in range(pages):
        chosen = orders_to_read(PAGE + 1, now - RECHECK)
        if not chosen:
            return read, False
        page = chosen[:PAGE]
        reply = await shopify.execute(
            PayoutOrdersMoney, {"ids": [c.shopify_order_id for c in page]}
        )
        with db.atomic():
            for wanted, found in zip(page, reply.nodes, strict=True):
                store_read(wanted, _money(wanted, found, now), _payload(found), now)
        read += len(page)
        if len(chosen) <= PAGE:
            return read, False
    return read, True


def _money(wanted: ToRead, order: OrderMoney | None, now: datetime) -> ShopifyMoney | None:
    if order is None:
        return None
    subtotal = order.subtotal_price_set.shop_money.amount if order.subtotal_price_set else None
    refunds = []
    for refund in order.refunds:
        units: dict[str, int] = {}
        for line in refund.refund_line_items.nodes:
            if line.quantity:
                sku = line.line_item.sku or ""
                units[sku] = units.get(sku, 0) + line.quantity
        created = refund.created_at
        refunds.append(
            ShopifyRefund(
                refund.total_refunded_set.shop_money.amount,
                created if created is not None else now,  # Shopify may leave it out
                units,
            )
        )
    return ShopifyMoney(
        wanted.tiktok_order_id, order.name, order.currency_code, subtotal, tuple(refunds)
    )


def _payload(order: OrderMoney | None) -> str:
    return "" if order is None else order.model_dump_json(by_alias=True)
