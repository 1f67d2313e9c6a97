"""TikTok's statement transactions as settlement lines, the same shape an export gives.

An order's transaction is split per SKU (Get Transactions by Order gives each
SKU's breakdown and the statement it settled in), so API lines and export
lines of one settlement share the domain's ``dedupe_key``. Adjustments and
reserves come from the statement's own transactions. A line's settled time
is its statement's time (Assumption: the export's "Order settled time" is
the same day; the dedupe key compares days).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal

from tiktok_console.domain.money import Money
from tiktok_console.domain.settlement_fields import API_LAYOUT, Field
from tiktok_console.domain.settlement_lines import (
    LineKind,
    SettlementLine,
    line_kind,
    resolve_parts,
)
from tiktok_console.stores.tiktok.models.finance import (
    SkuTransaction,
    StatementTransaction,
)

# Breakdown attribute -> field, per breakdown object.
_REVENUE = {
    "subtotal_before_discount_amount": Field.SUBTOTAL_BEFORE_DISCOUNTS,
    "seller_discount_amount": Field.SELLER_DISCOUNTS,
    "refund_subtotal_before_discount_amount": Field.REFUND_SUBTOTAL,
    "seller_discount_refund_amount": Field.SELLER_DISCOUNT_REFUND,
}
_SHIPPING = {
    "actual_shipping_fee_amount": Field.ACTUAL_SHIPPING_FEE,
    "shipping_fee_discount_amount": Field.PLATFORM_SHIPPING_DISCOUNT,
    "customer_paid_shipping_fee_amount": Field.CUSTOMER_SHIPPING_FEE,
    "return_shipping_fee_amount": Field.RETURN_SHIPPING_FEE,
}
_FEES = {
    "platform_commission_amount": Field.COMMISSION_FEE,
    "referral_fee_amount": Field.REFERRAL_FEE,
    "transaction_fee_amount": Field.TRANSACTION_FEE,
    "affiliate_commission_amount": Field.AFFILIATE_COMMISSION,
    "refund_administration_fee_amount": Field.REFUND_ADMIN_FEE,
}
_TAXES = {"vat_amount": Field.VAT, "local_vat_amount": Field.VAT, "pit_amount": Field.TAXES}


def sku_line(
    sku: SkuTransaction,
    order_id: str,
    order_created: datetime | None,
    statement_time: datetime,
) -> SettlementLine:
    """One SKU of an order settled in one statement."""
    amounts = _breakdowns(sku)
    parts, _, flags = resolve_parts(amounts, API_LAYOUT)
    refund = bool(amounts.get(Field.REFUND_SUBTOTAL)) and not amounts.get(
        Field.SUBTOTAL_BEFORE_DISCOUNTS
    )
    return SettlementLine(
        LineKind.REFUND if refund else LineKind.ORDER, "Refund" if refund else "Order",
        order_id, "", sku.sku_id, sku.settlement_amount.currency, sku.settlement_amount.amount,
        parts, amounts, sku.statement_id, "", "", "", sku.quantity or None, order_created,
        statement_time, None, tuple(flags), "api",
    )  # fmt: skip


def statement_line(
    transaction: StatementTransaction, statement_id: str, statement_time: datetime
) -> SettlementLine:
    """A transaction of a statement taken whole (adjustments, reserves, or an order's total)."""
    kind = line_kind(transaction.type.replace("_", " "), bool(transaction.order_id))
    if transaction.type.upper() == "ORDER":
        kind = LineKind.ORDER
    amounts = _breakdowns(transaction)
    if transaction.adjustment_amount is not None and transaction.adjustment_amount.amount:
        amounts[Field.ADJUSTMENT_AMOUNT] = transaction.adjustment_amount.amount
    if kind is LineKind.RESERVE and transaction.reserve_amount is not None:
        amounts[Field.RESERVE_AMOUNT] = transaction.reserve_amount.amount
    parts, _, flags = resolve_parts(amounts, API_LAYOUT)
    own_id = transaction.adjustment_id or transaction.id
    return SettlementLine(
        kind, transaction.type.replace("_", " ").capitalize(),
        transaction.order_id if kind is not LineKind.ADJUSTMENT else "",
        own_id if kind in (LineKind.ADJUSTMENT, LineKind.RESERVE) else "", "",
        transaction.settlement_amount.currency, transaction.settlement_amount.amount,
        parts, amounts, statement_id, "", "", "", None, transaction.order_create_time,
        statement_time, None, tuple(flags), "api",
    )  # fmt: skip


def _breakdowns(item: SkuTransaction | StatementTransaction) -> dict[Field, Decimal]:
    amounts: dict[Field, Decimal] = {Field.SETTLEMENT: item.settlement_amount.amount}
    _total(amounts, Field.REVENUE, item.revenue_amount)
    _total(amounts, Field.SHIPPING, item.shipping_cost_amount)
    if item.revenue_breakdown is not None:
        _take(amounts, item.revenue_breakdown, _REVENUE)
    if item.shipping_cost_breakdown is not None:
        _take(amounts, item.shipping_cost_breakdown, _SHIPPING)
    breakdown = item.fee_tax_breakdown
    if breakdown is not None and breakdown.fee is not None:
        _take(amounts, breakdown.fee, _FEES)
    if breakdown is not None and breakdown.tax is not None:
        _take(amounts, breakdown.tax, _TAXES)
    if breakdown is None and item.fee_tax_amount is not None and item.fee_tax_amount.amount:
        amounts[Field.FEES] = item.fee_tax_amount.amount
    return amounts


def _total(amounts: dict[Field, Decimal], field: Field, value: Money | None) -> None:
    if value is not None and value.amount:
        amounts[field] = value.amount


def _take(amounts: dict[Field, Decimal], source: object, names: Mapping[str, Field]) -> None:
    for name, field in names.items():
        value = getattr(source, name, None)
        if isinstance(value, Money) and value.amount:
            amounts[field] = amounts.get(field, Decimal(0)) + value.amount
