"""Statements, payments and statement transactions as TikTok sends them.

Statements follow 202309 (with the current spec's ``payment_time``); payments
follow 202309 and 202605 (which drops ``reserve_amount``); transactions follow
202501 (amounts with ``*_breakdown`` objects, with the current spec's extra
fee and shipping lines, all zero for this shop); unsettled orders follow 202507.
"""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from tiktok_console.sandbox.tiktok.finance import SkuPart, Statement, Transaction
from tiktok_console.sandbox.tiktok.wire import money

_Z = "0.00"
# Lines the current spec adds to 202501/202507 breakdowns; none applies to this shop.
_SHIPPING_ADDED = (
    "international_leg_logistics_amount",
    "distant_shipping_fee_amount",
    "shipping_app_service_fee_amount",
    "logistics_service_fee",
    "fbt_overall_merchant_subsidy",
    "fbt_key_merchant_subsidy",
    "tiktok_shop_shipping_incentive_amount",
    "hazmat_noncompliance_fee",
    "hazmat_handling_fee",
    "non_standard_weight_fee",
    "non_standard_dimension_fee",
)
_FEES_ADDED = (
    "platform_special_service_fee_amount",
    "smart_promotion_fee_amount",
    "campaign_period_fee_cfp_amount",
    "campaign_period_fee_sp_amount",
    "campaign_period_fee_sp_tax_amount",
    "campaign_period_fee_cfp_tax_amount",
    "seller_growth_fee_amount",
    "failed_delivery_shipping_fee",
    "buyer_fault_return_shipping_fee",
    "insurance_fee",
    "cps_shop_ads_commission_tax_amount",
    "shipping_insurance_fee_tax_amount",
    "new_customer_growth_package_fee",
    "target_product_gmv_growth_package_fee",
    "store_gmv_growth_package_fee",
    "auto_post_shoppable_video_commission_fee",
    "seller_funded_user_spoint_service_fee",
)
_TAXES_ADDED = (
    "sales_tax_referral_fee_amount",
    "smart_promotion_fee_tax_amount",
    "cedular_tax",
    "new_customer_growth_package_fee_tax",
    "store_gmv_growth_package_fee_sales_tax",
    "target_product_gmv_growth_package_tax",
    "auto_post_shoppable_video_sales_tax",
)


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
        "payment_time": s.paid_time,
    }


def payment(s: Statement, *, with_reserve: bool = True) -> dict[str, Any]:
    """One ``data.payments[]`` entry: the statement's payout minus the reserve.

    Args:
        with_reserve: 202309 shows the reserve; 202605 no longer does (the
            payout is still net of it: ``amount`` < ``settlement_amount``).
    """
    settled = s.total("settlement")
    paid = settled + s.reserve

    def amount(value: Decimal) -> dict[str, str]:
        return {"value": money(value), "currency": s.currency}

    wire = {
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
    if not with_reserve:
        del wire["reserve_amount"]
    return wire


def withdrawal(s: Statement) -> dict[str, Any]:
    """One ``data.withdrawals[]`` entry: the platform settling a statement's payout."""
    return {
        "id": s.payment_id,
        "type": "SETTLE",
        "amount": money(s.total("settlement") + s.reserve),
        "currency": s.currency,
        "status": "TRANSFERRED" if s.payment_status == "PAID" else "PROCESSING",
        "create_time": s.statement_time,
    }


def unsettled(
    order_id: str,
    create_time: int,
    delivery_time: int,
    settle_days: int,
    currency: str,
    part: SkuPart,
) -> dict[str, Any]:
    """One ``data.transactions[]`` entry of Get Unsettled Transactions (202507)."""
    breakdown = _breakdowns(part)
    if delivery_time:
        estimate = str(delivery_time + settle_days * 86400)
        reason = "The order is within the settlement period after delivery."
    else:
        estimate = f"{settle_days} days after delivery"
        reason = "The order has not been delivered yet."
    return {
        "type": "ORDER",
        "id": order_id,
        "status": "UNSETTLED",
        "currency": currency,
        "estimated_settlement": estimate,
        "unsettled_reason": reason,
        "order_create_time": create_time,
        "order_delivery_time": delivery_time,
        "order_id": order_id,
        "adjustment_id": "",
        "adjustment_order_id": "",
        "est_adjustment_amount": _Z,
        "est_settlement_amount": money(part.revenue + part.shipping_cost + part.fee_tax),
        "est_revenue_amount": breakdown["revenue_amount"],
        "revenue_breakdown": breakdown["revenue_breakdown"],
        "est_shipping_cost_amount": breakdown["shipping_cost_amount"],
        "shipping_cost_breakdown": breakdown["shipping_cost_breakdown"],
        "est_fee_tax_amount": breakdown["fee_tax_amount"],
        "fee_tax_breakdown": breakdown["fee_tax_breakdown"],
    }


def merged(parts: list[SkuPart]) -> SkuPart:
    """One part holding the sum of ``parts``."""
    return _merge(parts)


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
        "reserve_id": t.reserve_id,
        "reserve_amount": money(t.reserve),
        "associated_order_id": "",
        "reserve_status": t.reserve_status,
        # Empty once released, as TikTok leaves it.
        "estimated_release_time": (
            str(t.release_time) if t.reserve_status == "COLLECTED" and not t.released else ""
        ),
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
            "distant_item_fee_amount": _Z,
        },
        "shipping_cost_amount": money(p.shipping_cost),
        "shipping_cost_breakdown": {
            "actual_shipping_fee_amount": money(p.actual_shipping),
            "shipping_fee_discount_amount": money(p.platform_shipping_discount),
            "customer_paid_shipping_fee_amount": money(p.customer_shipping),
            "return_shipping_fee_amount": _Z,
            **dict.fromkeys(_SHIPPING_ADDED, _Z),
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
                **dict.fromkeys(_FEES_ADDED, _Z),
            },
            "tax": {"local_vat_amount": _Z, "pit_amount": _Z, **dict.fromkeys(_TAXES_ADDED, _Z)},
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


BANK_HEADERS = ("Booking date", "Text", "Credit", "Currency")
BANK_DELAY = 86400  # Assumption: the seller's bank books a TikTok payout the next day


def bank_statement(statements: list[Statement], now: int) -> str:
    """The seller's bank statement as CSV: each payout booked a day after it was paid.

    Not a TikTok API: the merchant's bank, for trying the bank leg of payouts
    (a payout paid less than a day ago is not in it yet).
    """
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(BANK_HEADERS)
    for s in statements:
        if s.payment_status != "PAID" or s.paid_time + BANK_DELAY > now:
            continue
        booked = datetime.fromtimestamp(s.paid_time + BANK_DELAY, UTC).date().isoformat()
        paid = s.total("settlement") + s.reserve
        if paid <= 0:  # nothing reaches the bank: TikTok carries it to the next payout
            continue
        writer.writerow((booked, f"TIKTOK SHOP PAYOUT {s.payment_id}", money(paid), s.currency))
    return out.getvalue()
