"""Statements, payments and statement transactions as TikTok sends them.

Statements and payments follow the 202309 endpoints; transactions follow the
202501 shape (amounts with ``*_breakdown`` objects) from ``tiktok-endpoints.md``.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from tiktok_console.sandbox.tiktok.finance import SkuPart, Statement, Transaction
from tiktok_console.sandbox.tiktok.wire import money

_Z = "0.00"


def statement(s: Statement) -> dict[str, Any]:
    """One ``data.statements[]`` entry."""
    return {
        "id": s.id,
        "statement_time": s.statement_time,
        "currency": s.currency,
        "settlement_amount": money(s.total("settlement")),
        "revenue_amount": money(s.total("revenue")),
        "net_sales_amount": money(s.total("revenue")),
        "fee_amount": money(s.total("fee_tax")),
        "shipping_cost_amount": money(s.total("shipping_cost")),
        "adjustment_amount": money(s.total("adjustment")),
        "payment_status": s.payment_status,
        "payment_id": s.payment_id,
    }


def payment(s: Statement) -> dict[str, Any]:
    """One ``data.payments[]`` entry: the statement's payout minus the reserve."""
    settled = s.total("settlement")
    paid = settled + s.reserve

    def amount(value: Decimal) -> dict[str, str]:
        return {"value": money(value), "currency": s.currency}

    return {
        "id": s.payment_id,
        "create_time": s.statement_time,
        "status": s.payment_status,
        "amount": amount(paid),
        "settlement_amount": amount(settled),
        "reserve_amount": amount(s.reserve),
        "payment_amount_before_exchange": amount(paid),
        "exchange_rate": "1.000000",
        "paid_time": s.paid_time,
        "bank_account": "*******6789",
    }


def statement_header(s: Statement, total_count: int) -> dict[str, Any]:
    """The top-level fields of Get Transactions by Statement."""
    return {
        "id": s.id,
        "create_time": s.statement_time,
        "status": "SETTLED",
        "currency": s.currency,
        "total_settlement_amount": money(s.total("settlement")),
        "total_reserve_amount": money(s.reserve),
        "payable_amount": money(s.total("settlement") + s.reserve),
        "total_settlement_breakdown": {
            "total_revenue_amount": money(s.total("revenue")),
            "total_shipping_cost_amount": money(s.total("shipping_cost")),
            "total_fee_tax_amount": money(s.total("fee_tax")),
            "total_adjustment_amount": money(s.total("adjustment")),
        },
        "total_count": total_count,
    }


def transaction(t: Transaction) -> dict[str, Any]:
    """One ``data.transactions[]`` entry of a statement."""
    merged = _merge(t.parts)
    return {
        "id": t.id,
        "type": t.type,
        "order_id": t.order_id,
        "order_create_time": t.order_create_time,
        "adjustment_id": t.adjustment_id,
        "adjustment_order_id": "",
        "adjustment_amount": money(t.adjustment),
        "settlement_amount": money(t.settlement),
        "currency": t.currency,
        "reserve_id": "",
        "reserve_amount": _Z,
        "associated_order_id": "",
        "reserve_status": "",
        "estimated_release_time": "",
        **_breakdowns(merged),
    }


def order_transactions(
    order_id: str, create_time: int, currency: str, txs: list[Transaction]
) -> dict[str, Any]:
    """The ``data`` of Get Transactions by Order (one SKU entry per SKU and transaction)."""
    skus = []
    for t in txs:
        for part in t.parts:
            entry = {
                "sku_id": part.sku_id,
                "sku_name": part.sku_name,
                "product_name": part.product_name,
                "statement_id": t.statement_id,
                "quantity": str(part.quantity),
                "settlement_amount": money(part.revenue + part.shipping_cost + part.fee_tax),
            }
            entry.update(_breakdowns(part))
            skus.append(entry)
    revenue = sum((t.revenue for t in txs), Decimal(0))
    shipping = sum((t.shipping_cost for t in txs), Decimal(0))
    fees = sum((t.fee_tax for t in txs), Decimal(0))
    return {
        "order_id": order_id,
        "order_create_time": create_time,
        "currency": currency,
        "revenue_amount": money(revenue),
        "shipping_cost_amount": money(shipping),
        "fee_and_tax_amount": money(fees),
        "settlement_amount": money(sum((t.settlement for t in txs), Decimal(0))),
        "sku_transactions": skus,
    }


def _merge(parts: list[SkuPart]) -> SkuPart:
    total = SkuPart("", "", "", 0)
    for part in parts:
        for name in (
            "quantity",
            "subtotal",
            "seller_discount",
            "refund_subtotal",
            "seller_discount_refund",
            "platform_discount",
            "customer_payment",
            "customer_refund",
            "sales_tax",
            "actual_shipping",
            "customer_shipping",
            "platform_shipping_discount",
            "referral",
            "transaction",
            "affiliate",
        ):
            setattr(total, name, getattr(total, name) + getattr(part, name))
    return total


def _breakdowns(p: SkuPart) -> dict[str, Any]:
    return {
        "revenue_amount": money(p.revenue),
        "revenue_breakdown": {
            "subtotal_before_discount_amount": money(p.subtotal),
            "seller_discount_amount": money(p.seller_discount),
            "refund_subtotal_before_discount_amount": money(p.refund_subtotal),
            "seller_discount_refund_amount": money(p.seller_discount_refund),
        },
        "shipping_cost_amount": money(p.shipping_cost),
        "shipping_cost_breakdown": {
            "actual_shipping_fee_amount": money(p.actual_shipping),
            "shipping_fee_discount_amount": money(p.platform_shipping_discount),
            "customer_paid_shipping_fee_amount": money(p.customer_shipping),
            "return_shipping_fee_amount": _Z,
            "supplementary_component": {
                "platform_shipping_fee_discount_amount": money(p.platform_shipping_discount),
                "customer_shipping_fee": money(p.customer_shipping),
            },
        },
        "fee_tax_amount": money(p.fee_tax),
        "fee_tax_breakdown": {
            "fee": {
                "platform_commission_amount": _Z,
                "referral_fee_amount": money(p.referral),
                "transaction_fee_amount": money(p.transaction),
                "affiliate_commission_amount": money(p.affiliate),
                "refund_administration_fee_amount": _Z,
            },
            "tax": {"local_vat_amount": _Z, "pit_amount": _Z},
        },
        "supplementary_component": {
            "customer_payment_amount": money(p.customer_payment),
            "customer_refund_amount": money(p.customer_refund),
            "platform_discount_amount": money(p.platform_discount),
            "sales_tax_amount": money(p.sales_tax),
            "sales_tax_payment_amount": money(p.sales_tax),
            "sales_tax_refund_amount": _Z,
        },
    }
