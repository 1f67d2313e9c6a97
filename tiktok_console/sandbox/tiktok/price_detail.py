"""Get Price Detail (202407): how an order's and each line's price adds up.

The listed version's formulas hold: ``total`` = ``sku_list_price`` +
``shipping_list_price``; ``payment`` = ``sku_sale_price`` + ``shipping_sale_price``
+ ``tax_amount`` + small-order fee; ``sku_sale_price`` = list price less the seller's
and the platform's discounts; ``subtotal`` = ``sku_sale_price`` + its tax. The
current spec adds ``distance_shipping_fee``/``distance_fee`` and, per line, the
seller-funded promotions.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from tiktok_console.sandbox.tiktok.orders import LineItem, Order, payment_of
from tiktok_console.sandbox.tiktok.wire import money

_ZERO = Decimal(0)


def price_detail(order: Order) -> dict[str, Any]:
    """``data`` of Get Price Detail for ``order``."""
    p = payment_of(order)
    gifts = [li for li in order.line_items if li.is_gift]
    rate = order.line_items[0].tax_rate if order.line_items else _ZERO
    detail = _block(
        order.currency,
        list_price=p.original_total_product_price,
        seller=p.seller_discount,
        platform=p.platform_discount,
        product_tax=p.product_tax,
        shipping=(p.original_shipping_fee, p.shipping_fee_seller_discount,
                  p.shipping_fee_platform_discount),
        tax=p.tax,
        tax_rate=rate,
        gifts=gifts,
    )  # fmt: skip
    detail["cod_fee_net_amount"] = detail.pop("cod_fee_amount")
    # Assumption: shipping is charged on the order; the sandbox puts it on the first
    # line, so the lines add up to the order.
    detail["line_items"] = [_line(order, li, first=n == 0) for n, li in enumerate(order.line_items)]
    return detail


def _line(order: Order, li: LineItem, *, first: bool) -> dict[str, Any]:
    shipping = (
        (order.shipping_fee, order.shipping_seller_discount, order.shipping_platform_discount)
        if first
        else (_ZERO, _ZERO, _ZERO)
    )
    line = _block(
        order.currency,
        list_price=li.original_price,
        seller=li.seller_discount,
        platform=li.platform_discount,
        product_tax=li.tax,
        shipping=shipping,
        tax=li.tax,  # Assumption (as payment_of): shipping is untaxed
        tax_rate=li.tax_rate,
        gifts=[li] if li.is_gift else [],
    )
    line["seller_funded_product_promotions"] = []
    line["seller_funded_shipping_promotions"] = []
    return {"id": li.id, **line}


def _block(
    currency: str,
    *,
    list_price: Decimal,
    seller: Decimal,
    platform: Decimal,
    product_tax: Decimal,
    shipping: tuple[Decimal, Decimal, Decimal],
    tax: Decimal,
    tax_rate: Decimal,
    gifts: list[LineItem],
) -> dict[str, Any]:
    shipping_list, shipping_seller, shipping_platform = shipping
    sale = list_price - seller - platform
    shipping_sale = shipping_list - shipping_seller - shipping_platform
    small_order_fee = _ZERO  # no small-order fee in the sandbox's shop
    gift_price = sum((g.original_price for g in gifts), _ZERO)
    gift_tax = sum((g.tax for g in gifts), _ZERO)
    return {
        "currency": currency,
        "total": money(list_price + shipping_list),
        "payment": money(sale + shipping_sale + tax + small_order_fee),
        "sku_list_price": money(list_price),
        "sku_sale_price": money(sale),
        "subtotal": money(sale + product_tax),
        "subtotal_deduction_seller": money(seller),
        "subtotal_deduction_platform": money(platform),
        "subtotal_tax_amount": money(product_tax),
        # Assumption: no vouchers in the sandbox; the discounts above are price cuts.
        "voucher_deduction_platform": "0.00",
        "voucher_deduction_seller": "0.00",
        "shipping_list_price": money(shipping_list),
        "shipping_sale_price": money(shipping_sale),
        "shipping_fee_deduction_seller": money(shipping_seller),
        "shipping_fee_deduction_platform": money(shipping_platform),
        "shipping_fee_deduction_platform_voucher": "0.00",
        "tax_amount": money(tax),
        "tax_rate": str(tax_rate),
        # Assumption: "price after tax" is what the buyer paid for the products.
        "net_price_amount": money(sale + product_tax),
        "cod_fee": "0.00",
        "cod_fee_amount": "0.00",
        "sku_gift_original_price": money(gift_price),
        "sku_gift_net_price": money(gift_price + gift_tax),
        "distance_shipping_fee": "0.00",
        "distance_fee": "0.00",
    }
