"""What a settlement line can say, and how its amounts add up.

A Seller Center settlement export has dozens of columns, some of them totals
of others ("Total fees" is the sum of each fee; "Total revenue" of the
subtotal and discounts). Each column a header can mean is a ``Field``; a
``Layout`` says which field each amount adds into, so a total is checked
against its parts and never added to them. Regions differ: the US export
counts seller shipping inside "Total fees", the API keeps shipping apart.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from enum import Enum, StrEnum


class Kind(Enum):
    """What a column holds, so the line builder knows how to read its cells."""

    ID = "id"
    TEXT = "text"
    TIME = "time"
    MONEY = "money"
    COUNT = "count"


class Field(StrEnum):
    """A column's meaning, whatever the header says."""

    ORDER_ID = "order_id"  # "Order/adjustment ID": an adjustment's own id on adjustment rows
    ADJUSTMENT_ID = "adjustment_id"
    RELATED_ORDER_ID = "related_order_id"
    TYPE = "type"
    STATEMENT_ID = "statement_id"
    PAYMENT_ID = "payment_id"
    SKU_ID = "sku_id"
    SELLER_SKU = "seller_sku"
    PRODUCT_NAME = "product_name"
    ORDER_LINE_ID = "order_line_id"
    QUANTITY = "quantity"
    CURRENCY = "currency"
    ORDER_CREATED = "order_created"
    SETTLED_TIME = "settled_time"
    RESERVE_ID = "reserve_id"
    RESERVE_STATUS = "reserve_status"
    RELEASE_TIME = "release_time"
    # Amounts: the settlement, its groups and their parts.
    SETTLEMENT = "settlement"
    REVENUE = "revenue"
    SUBTOTAL_BEFORE_DISCOUNTS = "subtotal_before_discounts"
    SELLER_DISCOUNTS = "seller_discounts"
    REFUND_SUBTOTAL = "refund_subtotal"
    SELLER_DISCOUNT_REFUND = "seller_discount_refund"
    FEES = "fees"
    TRANSACTION_FEE = "transaction_fee"
    REFERRAL_FEE = "referral_fee"
    COMMISSION_FEE = "commission_fee"
    REFUND_ADMIN_FEE = "refund_admin_fee"
    AFFILIATE_COMMISSION = "affiliate_commission"
    AFFILIATE_PARTNER_COMMISSION = "affiliate_partner_commission"
    AFFILIATE_ADS_COMMISSION = "affiliate_ads_commission"
    SFP_SERVICE_FEE = "sfp_service_fee"
    LIVE_SPECIALS_FEE = "live_specials_fee"
    VOUCHER_XTRA_FEE = "voucher_xtra_fee"
    SHIPPING = "shipping"
    ACTUAL_SHIPPING_FEE = "actual_shipping_fee"
    PLATFORM_SHIPPING_DISCOUNT = "platform_shipping_discount"
    CUSTOMER_SHIPPING_FEE = "customer_shipping_fee"
    REFUND_CUSTOMER_SHIPPING_FEE = "refund_customer_shipping_fee"
    RETURN_SHIPPING_FEE = "return_shipping_fee"
    SHIPPING_SUBSIDY = "shipping_subsidy"
    TAXES = "taxes"
    VAT = "vat"
    GST = "gst"
    SALES_TAX_WITHHELD = "sales_tax_withheld"
    ADJUSTMENT_AMOUNT = "adjustment_amount"
    # Amounts shown for information: subtotals of parts above, or money that
    # does not pass through the seller's settlement.
    SUBTOTAL_AFTER_SELLER_DISCOUNTS = "subtotal_after_seller_discounts"
    REFUND_SUBTOTAL_AFTER_SELLER_DISCOUNTS = "refund_subtotal_after_seller_discounts"
    PLATFORM_DISCOUNT = "platform_discount"
    CUSTOMER_PAYMENT = "customer_payment"
    CUSTOMER_REFUND = "customer_refund"
    SALES_TAX_PAYMENT = "sales_tax_payment"
    RESERVE_AMOUNT = "reserve_amount"


_IDS = {
    Field.ORDER_ID,
    Field.ADJUSTMENT_ID,
    Field.RELATED_ORDER_ID,
    Field.STATEMENT_ID,
    Field.PAYMENT_ID,
    Field.SKU_ID,
    Field.ORDER_LINE_ID,
    Field.RESERVE_ID,
}
_TEXTS = {Field.TYPE, Field.SELLER_SKU, Field.PRODUCT_NAME, Field.CURRENCY, Field.RESERVE_STATUS}
_TIMES = {Field.ORDER_CREATED, Field.SETTLED_TIME, Field.RELEASE_TIME}


def kind_of(field: Field) -> Kind:
    """How cells of ``field`` are read."""
    if field in _IDS:
        return Kind.ID
    if field in _TEXTS:
        return Kind.TEXT
    if field in _TIMES:
        return Kind.TIME
    if field is Field.QUANTITY:
        return Kind.COUNT
    return Kind.MONEY


MONEY_FIELDS = tuple(f for f in Field if kind_of(f) is Kind.MONEY)
FEE_PARTS = (
    Field.TRANSACTION_FEE,
    Field.REFERRAL_FEE,
    Field.COMMISSION_FEE,
    Field.REFUND_ADMIN_FEE,
    Field.AFFILIATE_COMMISSION,
    Field.AFFILIATE_PARTNER_COMMISSION,
    Field.AFFILIATE_ADS_COMMISSION,
    Field.SFP_SERVICE_FEE,
    Field.LIVE_SPECIALS_FEE,
    Field.VOUCHER_XTRA_FEE,
)
SHIPPING_PARTS = (
    Field.ACTUAL_SHIPPING_FEE,
    Field.PLATFORM_SHIPPING_DISCOUNT,
    Field.CUSTOMER_SHIPPING_FEE,
    Field.REFUND_CUSTOMER_SHIPPING_FEE,
    Field.RETURN_SHIPPING_FEE,
    Field.SHIPPING_SUBSIDY,
)
REVENUE_PARTS = (
    Field.SUBTOTAL_BEFORE_DISCOUNTS,
    Field.SELLER_DISCOUNTS,
    Field.REFUND_SUBTOTAL,
    Field.SELLER_DISCOUNT_REFUND,
)
TAX_PARTS = (Field.VAT, Field.GST, Field.SALES_TAX_WITHHELD)


Plan = tuple[tuple[Field, tuple[tuple[Field, bool], ...]], ...]
ALL_FIELDS = frozenset(Field)


@dataclass(frozen=True)
class Layout:
    """Which amount adds into which: ``parents[part] = total``.

    Fields missing from ``parents`` are information only and never summed.
    ``Field.SETTLEMENT`` is the root.
    """

    parents: Mapping[Field, Field]
    tree: Mapping[Field, tuple[Field, ...]] = dataclass_field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # Built once: line building asks for every total's parts on every row.
        tree = {
            t: tuple(f for f in Field if self.parents.get(f) is t) for t in self.parents.values()
        }
        object.__setattr__(self, "tree", tree)

    def children(self, total: Field) -> tuple[Field, ...]:
        """The parts that add up to ``total``, in ``Field`` order."""
        return self.tree.get(total, ())

    @property
    def groups(self) -> tuple[Field, ...]:
        """Every total with parts, deepest first, the settlement last."""
        return tuple(sorted(self.tree, key=self.depth, reverse=True))

    def plan(self, present: frozenset[Field]) -> Plan:
        """How to add up a line that has only the ``present`` amounts.

        Totals come deepest first, each with its parts (flagged True when the
        part is itself a total), pruned to what can hold a value: the hot
        loop of an import then visits a dozen fields, not the whole tree.
        """
        steps: list[tuple[Field, tuple[tuple[Field, bool], ...]]] = []
        for total in self.groups:
            children = tuple(
                (c, c in self.tree) for c in self.children(total) if self._holds(c, present)
            )
            if children or total in present or total is Field.SETTLEMENT:
                steps.append((total, children))
        return tuple(steps)

    def _holds(self, field: Field, present: frozenset[Field]) -> bool:
        return field in present or any(self._holds(c, present) for c in self.children(field))

    def depth(self, field: Field) -> int:
        """How many totals lie between ``field`` and the settlement."""
        steps = 0
        while field in self.parents:
            field, steps = self.parents[field], steps + 1
        return steps


def _layout(shipping_under: Field) -> Layout:
    parents: dict[Field, Field] = {
        Field.REVENUE: Field.SETTLEMENT,
        Field.FEES: Field.SETTLEMENT,
        Field.TAXES: Field.SETTLEMENT,
        Field.ADJUSTMENT_AMOUNT: Field.SETTLEMENT,
        Field.SHIPPING: shipping_under,
    }
    parents.update(dict.fromkeys(REVENUE_PARTS, Field.REVENUE))
    parents.update(dict.fromkeys(FEE_PARTS, Field.FEES))
    parents.update(dict.fromkeys(SHIPPING_PARTS, Field.SHIPPING))
    parents.update(dict.fromkeys(TAX_PARTS, Field.TAXES))
    return Layout(parents)


# The API (and most regions' exports): settlement = revenue + shipping + fees + taxes
# + adjustments. The US export counts seller shipping inside "Total fees".
API_LAYOUT = _layout(Field.SETTLEMENT)
US_LAYOUT = _layout(Field.FEES)
