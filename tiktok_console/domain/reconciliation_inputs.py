"""What payout reconciliation works on and the words it explains differences with.

Plain frozen values, filled by the sync layer from the TikTok order, the
Shopify order, the statement lines and the payments, so the rules can be
tested and replayed without a store. Amounts are Decimals in the currency
the value carries; TikTok signs settlements (revenue positive, fees negative).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from functools import cached_property

from tiktok_console.domain.settlement_fields import Field

ZERO = Decimal(0)


class Cause(StrEnum):
    """Why the money settled differs from the money expected."""

    REFERRAL_FEE = "referral_fee"
    COMMISSION_FEE = "commission_fee"
    TRANSACTION_FEE = "transaction_fee"
    AFFILIATE_COMMISSION = "affiliate_commission"
    SFP_FEE = "sfp_fee"
    OTHER_FEE = "other_fee"
    SHIPPING_COST = "shipping_cost"
    SHIPPING_SUBSIDY = "shipping_subsidy"
    BUYER_SHIPPING = "buyer_paid_shipping"
    TAX = "tax"
    REFUND = "refund"
    REFUND_LATER_STATEMENT = "refund_in_later_statement"
    RESERVE = "reserve"
    ADJUSTMENT = "adjustment"
    ADJUSTMENT_WITHOUT_ORDER = "adjustment_without_order"
    PLATFORM_DISCOUNT = "platform_discount"
    SAMPLE_ORDER = "sample_order"
    FX = "fx"
    NOT_SETTLED_YET = "not_settled_yet"
    NOT_DEPOSITED_YET = "not_deposited_yet"
    SHOPIFY_ORDER_MISSING = "shopify_order_missing"
    SHOPIFY_REFUND_MISSING = "shopify_refund_missing"
    UNEXPLAINED = "unexplained"


class Status(StrEnum):
    """Where an order (or payment) stands once its differences are named."""

    MATCHED = "matched"  # only the fees, shipping and taxes a sale always has
    EXPLAINED = "explained"  # every difference has a named cause
    UNEXPLAINED = "unexplained"  # some money no cause explains
    UNSETTLED = "unsettled"  # nothing settled yet


# Differences every sale has: an order with only these is as expected.
ROUTINE = frozenset(
    {
        Cause.REFERRAL_FEE,
        Cause.COMMISSION_FEE,
        Cause.TRANSACTION_FEE,
        Cause.AFFILIATE_COMMISSION,
        Cause.SFP_FEE,
        Cause.OTHER_FEE,
        Cause.SHIPPING_COST,
        Cause.SHIPPING_SUBSIDY,
        Cause.BUYER_SHIPPING,
        Cause.TAX,
    }
)
# Named, but nobody can tie the money to an order: the merchant must look.
NEEDS_LOOK = frozenset({Cause.UNEXPLAINED, Cause.ADJUSTMENT_WITHOUT_ORDER})

FEE_CAUSES: Mapping[Field, Cause] = {
    Field.REFERRAL_FEE: Cause.REFERRAL_FEE,
    Field.COMMISSION_FEE: Cause.COMMISSION_FEE,
    Field.TRANSACTION_FEE: Cause.TRANSACTION_FEE,
    Field.AFFILIATE_COMMISSION: Cause.AFFILIATE_COMMISSION,
    Field.AFFILIATE_PARTNER_COMMISSION: Cause.AFFILIATE_COMMISSION,
    Field.AFFILIATE_ADS_COMMISSION: Cause.AFFILIATE_COMMISSION,
    Field.SFP_SERVICE_FEE: Cause.SFP_FEE,
    Field.REFUND_ADMIN_FEE: Cause.OTHER_FEE,
    Field.LIVE_SPECIALS_FEE: Cause.OTHER_FEE,
    Field.VOUCHER_XTRA_FEE: Cause.OTHER_FEE,
    Field.FEES: Cause.OTHER_FEE,
    Field.ACTUAL_SHIPPING_FEE: Cause.SHIPPING_COST,
    Field.RETURN_SHIPPING_FEE: Cause.SHIPPING_COST,
    Field.SHIPPING: Cause.SHIPPING_COST,
    Field.PLATFORM_SHIPPING_DISCOUNT: Cause.SHIPPING_SUBSIDY,
    Field.SHIPPING_SUBSIDY: Cause.SHIPPING_SUBSIDY,
    Field.CUSTOMER_SHIPPING_FEE: Cause.BUYER_SHIPPING,
    Field.REFUND_CUSTOMER_SHIPPING_FEE: Cause.BUYER_SHIPPING,
    Field.VAT: Cause.TAX,
    Field.GST: Cause.TAX,
    Field.SALES_TAX_WITHHELD: Cause.TAX,
    Field.TAXES: Cause.TAX,
}


# Charges the TikTok order itself says (not a rate): checked once per order.
ORDER_SET = frozenset(
    {Field.ACTUAL_SHIPPING_FEE, Field.CUSTOMER_SHIPPING_FEE, Field.PLATFORM_SHIPPING_DISCOUNT}
)


@dataclass(frozen=True)
class FeeRates:
    """What TikTok should charge, as fractions of the line's revenue.

    Attributes:
        rates: fee field -> rate (0.06 for 6 %); fees without a rate (affiliate
            commission: each creator's own) are taken as charged.
        label_cost: the expected TikTok Shipping label cost per order, or None
            to take any label cost as charged.
        tolerance: rounding allowed per line (TikTok rounds each line's fee).
    """

    rates: Mapping[Field, Decimal]
    label_cost: Decimal | None = None
    tolerance: Decimal = Decimal("0.01")

    @cached_property
    def charges(self) -> Mapping[Field, tuple[Cause, Decimal | None, bool]]:
        """Per charge: its cause, its expected rate, and whether the order itself sets it.

        Made once: reconciliation looks every charge of every line up here.
        """
        return {
            field: (
                FEE_CAUSES.get(field, Cause.OTHER_FEE),
                self.rates.get(field),
                field in ORDER_SET,
            )
            for field in Field
        }


# The regions' published defaults, settings the merchant can change.
# Assumption: US referral 6 % and transaction 2.9 % (the sandbox uses the same);
# GB/EU commission 9 %, SEA commission 5 % and payment fee 2 %; to confirm with
# each region's seller fee page before relying on them.
REGION_FEE_RATES: Mapping[str, FeeRates] = {
    "US": FeeRates({Field.REFERRAL_FEE: Decimal("0.06"), Field.TRANSACTION_FEE: Decimal("0.029")}),
    "GB": FeeRates({Field.COMMISSION_FEE: Decimal("0.09")}),
    "EU": FeeRates({Field.COMMISSION_FEE: Decimal("0.09")}),
    "SEA": FeeRates(
        {Field.COMMISSION_FEE: Decimal("0.05"), Field.TRANSACTION_FEE: Decimal("0.02")}
    ),
    "LATAM": FeeRates({Field.COMMISSION_FEE: Decimal("0.08")}),
}


@dataclass(frozen=True)
class OrderSku:
    """One SKU of a TikTok order: its units' prices summed."""

    sku_id: str
    quantity: int
    original_price: Decimal
    seller_discount: Decimal = ZERO
    platform_discount: Decimal = ZERO
    seller_sku: str = ""
    line_item_ids: tuple[str, ...] = ()

    @property
    def expected_revenue(self) -> Decimal:
        """What the SKU should earn before fees: its price less the seller's discounts."""
        return self.original_price - self.seller_discount


@dataclass(frozen=True)
class TikTokOrder:
    """What the TikTok order says the seller should receive.

    ``original_total_product_price`` and ``seller_discount`` are the order's
    ``payment`` fields; shipping fields are optional (None: not checked).
    """

    order_id: str
    created_at: datetime
    currency: str
    original_total_product_price: Decimal
    seller_discount: Decimal = ZERO
    platform_discount: Decimal = ZERO
    skus: tuple[OrderSku, ...] = ()
    is_sample: bool = False
    cancelled: bool = False
    tiktok_shipped: bool = False
    buyer_shipping: Decimal | None = None
    shipping_platform_discount: Decimal | None = None
    expected_settle_on: date | None = None
    not_in_shopify: str = ""  # why the console did not make it in Shopify, when it did not

    @property
    def expected_revenue(self) -> Decimal:
        """The subtotal after seller discounts (nothing for a cancelled order)."""
        if self.cancelled:
            return ZERO
        return self.original_total_product_price - self.seller_discount


@dataclass(frozen=True)
class ShopifyRefund:
    """A refund recorded on the Shopify order (amounts positive).

    Attributes:
        amount: the money the refund gave back (goods, tax and shipping).
        created_at: when it was made.
        units: seller SKU -> units its lines gave back (empty: a refund of money alone).
    """

    amount: Decimal
    created_at: datetime
    units: Mapping[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class ShopifyOrder:
    """The Shopify copy of a TikTok order: its subtotal after discounts, and its refunds.

    ``read`` is False while the console has not read the order's money back
    from Shopify yet: its subtotal is then the TikTok order's and its refunds
    are unknown, so neither is compared.
    """

    tiktok_order_id: str
    name: str
    currency: str
    subtotal: Decimal
    refunds: tuple[ShopifyRefund, ...] = ()
    sku_subtotals: Mapping[str, Decimal] = field(default_factory=dict)
    read: bool = True

    @property
    def refunded(self) -> Decimal:
        """All refunds, positive."""
        return sum((r.amount for r in self.refunds), ZERO)


@dataclass(frozen=True)
class Payment:
    """A TikTok payment: the statements it paid, what reached the bank, the reserve held."""

    payment_id: str
    currency: str
    amount: Decimal
    statement_ids: tuple[str, ...] = ()
    settlement_amount: Decimal | None = None
    reserve_amount: Decimal | None = None
    paid_at: datetime | None = None
    amount_before_exchange: Decimal | None = None
    settlement_currency: str | None = None


@dataclass(frozen=True)
class BankDeposit:
    """One line of the bank's statement."""

    deposit_id: str
    booked_on: date
    amount: Decimal
    currency: str
    reference: str = ""
