"""A shop's worth of orders and settlement lines, for the payouts benchmarks."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from tiktok_console.domain.reconciliation_inputs import OrderSku, ShopifyOrder, TikTokOrder
from tiktok_console.domain.settlement_fields import Field
from tiktok_console.domain.settlement_lines import LineKind, SettlementLine

CENT = Decimal("0.01")
START = datetime(2026, 1, 1, tzinfo=UTC)


def _fee(revenue: Decimal, rate: str) -> Decimal:
    return -(revenue * Decimal(rate)).quantize(CENT, rounding=ROUND_HALF_UP)


def shop(orders: int) -> tuple[list[TikTokOrder], list[SettlementLine], list[ShopifyOrder]]:
    """``orders`` orders of two SKUs, each SKU settled on its own line (2 lines per order)."""
    tiktok: list[TikTokOrder] = []
    lines: list[SettlementLine] = []
    shopify: list[ShopifyOrder] = []
    for n in range(orders):
        order_id = str(576461413000000000 + n)
        created = START + timedelta(minutes=n)
        settled = created + timedelta(days=10)
        skus = []
        for k in range(2):
            price = Decimal(1999 + 250 * ((n + k) % 20)) / 100
            discount = (price / 10).quantize(CENT) if n % 4 == 0 else Decimal(0)
            sku_id = f"17290{(n + k) % 500:05d}"
            skus.append(OrderSku(sku_id, 1, price, discount))
            revenue = price - discount
            parts = {
                Field.SUBTOTAL_BEFORE_DISCOUNTS: price,
                Field.SELLER_DISCOUNTS: -discount,
                Field.REFERRAL_FEE: _fee(revenue, "0.06"),
                Field.TRANSACTION_FEE: _fee(revenue, "0.029"),
            }
            if k == 0:
                parts[Field.ACTUAL_SHIPPING_FEE] = Decimal("-7.50")
            kind = LineKind.ORDER
            lines.append(
                SettlementLine(
                    kind, "Order", order_id, "", sku_id, "USD", sum(parts.values(), Decimal(0)),
                    parts, parts, f"S{n // 1000}", "", "", "", 1, created, settled,
                )
            )  # fmt: skip
        total = sum((s.original_price for s in skus), Decimal(0))
        discount = sum((s.seller_discount for s in skus), Decimal(0))
        tiktok.append(
            TikTokOrder(
                order_id, created, "USD", total, discount, skus=tuple(skus), tiktok_shipped=True
            )
        )
        shopify.append(ShopifyOrder(order_id, f"#{1000 + n}", "USD", total - discount))
    return tiktok, lines, shopify
