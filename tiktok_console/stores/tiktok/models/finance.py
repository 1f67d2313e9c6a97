"""Statements, payments and statement transactions: what payout reconciliation reads.

Statements and payments follow the 202309 endpoints; transactions follow the
202501 shape (each amount with a ``*_breakdown``). The 202309 transaction shape
(flat ``*_amount`` fields) is kept as ``Legacy*`` models: older exports and the
published samples use it. Breakdown objects carry no currency of their own:
they take their parent's.
"""

from __future__ import annotations

from pydantic import Field

from tiktok_console.domain.money import Money
from tiktok_console.stores.tiktok.models.common import (
    Amount,
    IdStr,
    MoneyObject,
    OptionalTime,
    Priced,
    TikTokModel,
    UnixTime,
    WireDecimal,
)

PAYMENT_STATUSES = frozenset({"PAID", "FAILED", "PROCESSING"})
TRANSACTION_TYPES = frozenset(
    {"ORDER", "ADJUSTMENT", "RESERVE", "SHIPPING_FEE_ADJUSTMENT"}
)  # Assumption: the docs leave the list open; more adjustment kinds exist.


class Statement(Priced):
    """One daily statement: what was settled, and the payment that paid it."""

    id: IdStr
    statement_time: UnixTime
    settlement_amount: Amount
    revenue_amount: Amount | None = None
    net_sales_amount: Amount | None = None
    fee_amount: Amount | None = None
    shipping_cost_amount: Amount | None = None
    adjustment_amount: Amount | None = None
    payment_status: str = ""
    payment_id: IdStr = ""


class StatementPage(TikTokModel):
    """One page of Get Statements."""

    statements: list[Statement] = Field(default_factory=list)
    next_page_token: str = ""


class Payment(TikTokModel):
    """A payout to the seller's bank account (each amount with its own currency)."""

    id: IdStr
    create_time: UnixTime
    status: str = ""
    amount: MoneyObject
    settlement_amount: MoneyObject | None = None
    reserve_amount: MoneyObject | None = None  # 202309 only; 202605 leaves it out
    payment_amount_before_exchange: MoneyObject | None = None
    exchange_rate: WireDecimal | None = None
    paid_time: OptionalTime = None
    bank_account: str = ""

    @property
    def withheld(self) -> Money | None:
        """What the payout kept back from the settlement (the reserve), negative or zero.

        202605 no longer sends ``reserve_amount``; the payout is still net of it.
        """
        if self.reserve_amount is not None:
            return self.reserve_amount
        if self.settlement_amount is None:
            return None
        return self.amount - self.settlement_amount


class PaymentPage(TikTokModel):
    """One page of Get Payments."""

    payments: list[Payment] = Field(default_factory=list)
    next_page_token: str = ""


class RevenueBreakdown(Priced):
    """What makes up ``revenue_amount``."""

    subtotal_before_discount_amount: Amount | None = None
    seller_discount_amount: Amount | None = None
    refund_subtotal_before_discount_amount: Amount | None = None
    seller_discount_refund_amount: Amount | None = None


class ShippingCostBreakdown(Priced):
    """What makes up ``shipping_cost_amount``."""

    actual_shipping_fee_amount: Amount | None = None
    shipping_fee_discount_amount: Amount | None = None
    customer_paid_shipping_fee_amount: Amount | None = None
    return_shipping_fee_amount: Amount | None = None


class FeeBreakdown(Priced):
    """The platform's fees (negative: charged to the seller)."""

    platform_commission_amount: Amount | None = None
    referral_fee_amount: Amount | None = None
    transaction_fee_amount: Amount | None = None
    affiliate_commission_amount: Amount | None = None
    refund_administration_fee_amount: Amount | None = None


class TaxBreakdown(Priced):
    """Taxes withheld by the platform."""

    vat_amount: Amount | None = None
    local_vat_amount: Amount | None = None
    pit_amount: Amount | None = None


class FeeTaxBreakdown(Priced):
    """What makes up ``fee_tax_amount``."""

    fee: FeeBreakdown | None = None
    tax: TaxBreakdown | None = None


class _Breakdowns(Priced):
    settlement_amount: Amount
    revenue_amount: Amount | None = None
    revenue_breakdown: RevenueBreakdown | None = None
    shipping_cost_amount: Amount | None = None
    shipping_cost_breakdown: ShippingCostBreakdown | None = None
    fee_tax_amount: Amount | None = None
    fee_tax_breakdown: FeeTaxBreakdown | None = None


class StatementTransaction(_Breakdowns):
    """One transaction of a statement (an order, an adjustment, a reserve)."""

    id: IdStr
    type: str = ""
    order_id: IdStr = ""
    order_create_time: OptionalTime = None
    adjustment_id: IdStr = ""
    adjustment_amount: Amount | None = None
    reserve_id: IdStr = ""
    reserve_amount: Amount | None = None  # withheld (negative) or released (positive)
    reserve_status: str = ""  # COLLECTED | RELEASED
    estimated_release_time: OptionalTime = None


class SettlementBreakdown(Priced):
    """A statement's totals by kind."""

    total_revenue_amount: Amount | None = None
    total_shipping_cost_amount: Amount | None = None
    total_fee_tax_amount: Amount | None = None
    total_adjustment_amount: Amount | None = None


class StatementTransactionPage(Priced):
    """One page of Get Transactions by Statement (202501), with the statement's totals."""

    id: IdStr
    create_time: OptionalTime = None
    status: str = ""
    total_settlement_amount: Amount | None = None
    total_reserve_amount: Amount | None = None
    payable_amount: Amount | None = None
    total_settlement_breakdown: SettlementBreakdown | None = None
    transactions: list[StatementTransaction] = Field(default_factory=list)
    next_page_token: str = ""
    total_count: int = 0


class SkuTransaction(_Breakdowns):
    """What one SKU of an order brought in one statement."""

    sku_id: IdStr
    sku_name: str = ""
    product_name: str = ""
    statement_id: IdStr = ""
    quantity: int = 0


class OrderTransactions(Priced):
    """Get Transactions by Order (202501): the order's settlement, SKU by SKU."""

    order_id: IdStr
    order_create_time: OptionalTime = None
    revenue_amount: Amount | None = None
    shipping_cost_amount: Amount | None = None
    fee_and_tax_amount: Amount | None = None
    settlement_amount: Amount
    sku_transactions: list[SkuTransaction] = Field(default_factory=list)


class UnsettledTransaction(Priced):
    """A paid order (or adjustment) not settled yet, with what it should settle for (202507)."""

    id: IdStr
    type: str = ""
    status: str = ""
    order_id: IdStr = ""
    adjustment_id: IdStr = ""
    order_create_time: OptionalTime = None
    order_delivery_time: OptionalTime = None
    # A Unix time once delivered, else words such as "8 days after delivery".
    estimated_settlement: str = ""
    unsettled_reason: str = ""
    est_settlement_amount: Amount
    est_revenue_amount: Amount | None = None
    est_shipping_cost_amount: Amount | None = None
    est_fee_tax_amount: Amount | None = None
    est_adjustment_amount: Amount | None = None
    revenue_breakdown: RevenueBreakdown | None = None
    shipping_cost_breakdown: ShippingCostBreakdown | None = None
    fee_tax_breakdown: FeeTaxBreakdown | None = None


class UnsettledPage(TikTokModel):
    """One page of Get Unsettled Transactions (202507)."""

    transactions: list[UnsettledTransaction] = Field(default_factory=list)
    next_page_token: str = ""
    total_count: int = 0


# -- 202309 shapes ------------------------------------------------------------
class _LegacyAmounts(Priced):
    settlement_amount: Amount
    revenue_amount: Amount | None = None
    fee_amount: Amount | None = None
    shipping_cost_amount: Amount | None = None
    adjustment_amount: Amount | None = None
    net_sales_amount: Amount | None = None
    customer_payment_amount: Amount | None = None
    seller_discount_amount: Amount | None = None
    platform_discount_amount: Amount | None = None


class LegacySkuTransaction(_LegacyAmounts):
    """202309: one SKU of an order transaction."""

    sku_id: IdStr
    sku_name: str = ""
    product_name: str = ""
    quantity: int = 0


class LegacyTransaction(_LegacyAmounts):
    """202309: one transaction with flat amounts."""

    id: IdStr
    type: str = ""
    status: str = ""
    order_id: IdStr = ""
    order_create_time: OptionalTime = None
    statement_id: IdStr = ""
    statement_time: OptionalTime = None
    sku_statement_transactions: list[LegacySkuTransaction] = Field(default_factory=list)


class LegacyStatementTransactions(_LegacyAmounts):
    """202309 Get Transactions by Statement."""

    statement_id: IdStr
    statement_time: OptionalTime = None
    statement_transactions: list[LegacyTransaction] = Field(default_factory=list)
    next_page_token: str = ""
    total_count: int = 0


class LegacyOrderTransactions(TikTokModel):
    """202309 Get Transactions by Order."""

    order_id: IdStr
    order_create_time: OptionalTime = None
    statement_transactions: list[LegacyTransaction] = Field(default_factory=list)


class Withdrawal(Priced):
    """A withdrawal, settlement transfer or reversal on the seller's balance."""

    id: str
    type: str = ""
    status: str = ""
    amount: Amount
    create_time: OptionalTime = None


class WithdrawalPage(TikTokModel):
    """One page of Get Withdrawals."""

    withdrawals: list[Withdrawal] = Field(default_factory=list)
    next_page_token: str = ""
    total_count: int = 0
