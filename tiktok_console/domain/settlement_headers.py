"""Which settlement column a Seller Center header means, per region.

Headers change by region and over time ("Referral fee" became "TikTok Shop
commission fee" in some, "Order settled time(UTC)" gained and lost spaces).
Headers are compared after normalising case, spaces and "(UTC)"-style
suffixes, then looked up in alias tables; a header in no table is listed as
unknown, never guessed from a near miss, because a guessed fee column would
be added to the settlement with nobody noticing.

Where the names come from (checked; keep this list when adding names):
- ``shared/api/seller-center-exports.md``: the statement export's Order Details
  columns (Order/adjustment ID, Type, Order created time(UTC), Order settled
  time(UTC), Currency, Total settlement amount, Total revenue, Subtotal before
  discounts, Seller discounts, Subtotal after seller discounts, Refund
  subtotal…, Total fees, Transaction fee, Referral fee, Affiliate commission).
- A Malaysian seller's converter of the "income" export (public code): Transaction
  fee, TikTok Shop commission fee, SFP service fee, Platform shipping fee
  discount, Customer shipping fee, "Actual shipping fee " (trailing space),
  Seller shipping fee, Affiliate Shop Ads commission, Affiliate commission,
  Affiliate partner commission, Total settlement amount, Total revenue.
- TikTok's own field guide for the Indonesian order detail tables (a shared
  copy): "Time(Timezone=UTC)" is the settlement time there, beside Order/adjustment
  ID, Type, Currency and the subtotal columns.
- Seller University (Thailand), the Settled transactions table: Order/adjustment
  ID, Order create date, Settlement date, Settlement amount, Revenue, Fees.
The names of other regions are not confirmed by an export seen here
(Assumption, marked below); extend the tables as exports are seen.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from tiktok_console.domain.money_text import MoneyTextError, is_blank, parse_amount
from tiktok_console.domain.settlement_fields import (
    API_LAYOUT,
    US_LAYOUT,
    Field,
    Kind,
    Layout,
    kind_of,
)

F = Field
# Names seen in every region's export (and the API's own words, for CSVs
# merchants build themselves).
COMMON: dict[str, Field] = {
    "order/adjustment id": F.ORDER_ID,
    "order id": F.ORDER_ID,
    "order/adjustment no.": F.ORDER_ID,
    "adjustment id": F.ADJUSTMENT_ID,
    "related order id": F.RELATED_ORDER_ID,
    "associated order id": F.RELATED_ORDER_ID,
    "type": F.TYPE,
    "transaction type": F.TYPE,
    "statement id": F.STATEMENT_ID,
    "payment id": F.PAYMENT_ID,
    "sku id": F.SKU_ID,
    "seller sku": F.SELLER_SKU,
    "product name": F.PRODUCT_NAME,
    "order line id": F.ORDER_LINE_ID,
    "order line item id": F.ORDER_LINE_ID,
    "quantity": F.QUANTITY,
    "currency": F.CURRENCY,
    "order created time": F.ORDER_CREATED,
    "order create time": F.ORDER_CREATED,
    "order settled time": F.SETTLED_TIME,
    "order create date": F.ORDER_CREATED,
    "settlement date": F.SETTLED_TIME,
    "order settlement time": F.SETTLED_TIME,
    "settled time": F.SETTLED_TIME,
    "settlement time": F.SETTLED_TIME,
    "reserve id": F.RESERVE_ID,
    "reserve status": F.RESERVE_STATUS,
    "estimated release time": F.RELEASE_TIME,
    "total settlement amount": F.SETTLEMENT,
    "settlement amount": F.SETTLEMENT,
    "total revenue": F.REVENUE,
    "revenue": F.REVENUE,
    "subtotal before discounts": F.SUBTOTAL_BEFORE_DISCOUNTS,
    "seller discounts": F.SELLER_DISCOUNTS,
    "refund subtotal before seller discounts": F.REFUND_SUBTOTAL,
    "refund subtotal before discounts": F.REFUND_SUBTOTAL,
    "refund of seller discounts": F.SELLER_DISCOUNT_REFUND,
    "seller discount refund": F.SELLER_DISCOUNT_REFUND,
    "total fees": F.FEES,
    "fees": F.FEES,
    "transaction fee": F.TRANSACTION_FEE,
    "referral fee": F.REFERRAL_FEE,
    "refund administration fee": F.REFUND_ADMIN_FEE,
    "affiliate commission": F.AFFILIATE_COMMISSION,
    "affiliate partner commission": F.AFFILIATE_PARTNER_COMMISSION,
    "affiliate shop ads commission": F.AFFILIATE_ADS_COMMISSION,
    "sfp service fee": F.SFP_SERVICE_FEE,
    "live specials service fee": F.LIVE_SPECIALS_FEE,
    "voucher xtra service fee": F.VOUCHER_XTRA_FEE,
    "actual shipping fee": F.ACTUAL_SHIPPING_FEE,
    "platform shipping fee discount": F.PLATFORM_SHIPPING_DISCOUNT,
    "customer shipping fee": F.CUSTOMER_SHIPPING_FEE,
    "customer paid shipping fee": F.CUSTOMER_SHIPPING_FEE,
    "refund customer shipping fee": F.REFUND_CUSTOMER_SHIPPING_FEE,
    "actual return shipping fee": F.RETURN_SHIPPING_FEE,
    "return shipping fee": F.RETURN_SHIPPING_FEE,
    "shipping fee subsidy": F.SHIPPING_SUBSIDY,
    "adjustment amount": F.ADJUSTMENT_AMOUNT,
    "subtotal after seller discounts": F.SUBTOTAL_AFTER_SELLER_DISCOUNTS,
    "refund subtotal after seller discounts": F.REFUND_SUBTOTAL_AFTER_SELLER_DISCOUNTS,
    "platform discounts": F.PLATFORM_DISCOUNT,
    "platform discount": F.PLATFORM_DISCOUNT,
    "customer payment": F.CUSTOMER_PAYMENT,
    "customer refund": F.CUSTOMER_REFUND,
    "sales tax payment": F.SALES_TAX_PAYMENT,
    "reserve amount": F.RESERVE_AMOUNT,
}
# What each region's export says differently. US and SEA names are from the
# sources above; GB, EU and LATAM ones are an Assumption (as connector docs quote
# them), to confirm with an export of those regions.
REGION_ALIASES: dict[str, dict[str, Field]] = {
    "US": {
        "tiktok shop commission fee": F.REFERRAL_FEE,
        "seller shipping fee": F.SHIPPING,
        "sales tax withheld": F.SALES_TAX_WITHHELD,
    },
    "GB": {
        "commission fee": F.COMMISSION_FEE,
        "tiktok shop commission fee": F.COMMISSION_FEE,
        "shipping cost": F.SHIPPING,
        "total shipping cost": F.SHIPPING,
        "vat": F.VAT,
        "total taxes": F.TAXES,
    },
    "EU": {
        "commission fee": F.COMMISSION_FEE,
        "tiktok shop commission fee": F.COMMISSION_FEE,
        "total shipping cost": F.SHIPPING,
        "vat": F.VAT,
        "total taxes": F.TAXES,
    },
    "SEA": {
        "commission fee": F.COMMISSION_FEE,
        "tiktok shop commission fee": F.COMMISSION_FEE,  # the Malaysian income export
        "seller shipping fee": F.SHIPPING,
        "time": F.SETTLED_TIME,  # the Indonesian tables: "Time(Timezone=UTC)", the settlement's
        "payment fee": F.TRANSACTION_FEE,
        "shipping fee": F.SHIPPING,
        "total shipping fee": F.SHIPPING,
        "gst": F.GST,
        "total taxes": F.TAXES,
    },
    "LATAM": {
        "commission fee": F.COMMISSION_FEE,
        "payment processing fee": F.TRANSACTION_FEE,
        "total shipping cost": F.SHIPPING,
        "total taxes": F.TAXES,
    },
}
LAYOUTS: dict[str, Layout] = {"US": US_LAYOUT}
REGION_OF_COUNTRY = {
    "US": "US",
    "GB": "GB",
    **dict.fromkeys(("DE", "FR", "IT", "ES", "IE"), "EU"),
    **dict.fromkeys(("ID", "MY", "TH", "VN", "PH", "SG"), "SEA"),
    **dict.fromkeys(("MX", "BR"), "LATAM"),
}

_TIME_SUFFIX = re.compile(r"\s*\(\s*(?:time\s*zone\s*=\s*)?(?:utc|gmt)[^)]*\)\s*$")
_CURRENCY_SUFFIX = re.compile(r"\s*\(\s*([a-z]{3})\s*\)\s*$")
_SPACES = re.compile(r"[\s_]+")
_SLASH = re.compile(r"\s*/\s*")


def normalize(header: object) -> tuple[str, str | None]:
    """A header's comparable form, and the currency a "(USD)" suffix names."""
    text = str(header).replace("\u00a0", " ").strip().lower()
    text = _TIME_SUFFIX.sub("", text)
    currency = _CURRENCY_SUFFIX.search(text)
    if currency:
        text = text[: currency.start()]
    text = _SLASH.sub("/", _SPACES.sub(" ", text)).strip(" :*")
    return text, currency[1].upper() if currency else None


@dataclass(frozen=True)
class HeaderMatch:
    """What each column of a sheet means.

    Attributes:
        region: the region whose names were used.
        layout: how that region's amounts add up.
        columns: column index -> field, for the columns recognised.
        unknown: headers no alias table knows, as written.
        duplicates: headers meaning a field an earlier column already gave.
        currencies: column index -> the currency its header names ("(USD)").
    """

    region: str
    layout: Layout
    columns: Mapping[int, Field]
    unknown: tuple[str, ...]
    duplicates: tuple[str, ...]
    currencies: Mapping[int, str]

    @property
    def fields(self) -> frozenset[Field]:
        """The fields this sheet has."""
        return frozenset(self.columns.values())

    def missing(self, required: Sequence[Field]) -> tuple[Field, ...]:
        """The ``required`` fields no column gives."""
        return tuple(f for f in required if f not in self.fields)


def aliases(region: str) -> dict[str, Field]:
    """Every header (normalised) that ``region``'s exports use."""
    return {**COMMON, **REGION_ALIASES.get(region, {})}


def match_headers(
    headers: Sequence[object], region: str | None = None, *, prefer: str | None = None
) -> HeaderMatch:
    """Matches one header row; without a region, the region that knows most of it.

    ``prefer`` wins a tie (the shop's own region): exports of several regions
    share most names, and one name ("TikTok Shop commission fee") means the
    referral fee in the US and the commission elsewhere.
    """
    if region is None:
        names = [normalize(h)[0] for h in headers]
        region = max(
            REGION_ALIASES,
            key=lambda r: (sum(n in aliases(r) for n in names), r == prefer),
        )
    table = aliases(region)
    columns: dict[int, Field] = {}
    currencies: dict[int, str] = {}
    unknown: list[str] = []
    duplicates: list[str] = []
    for index, header in enumerate(headers):
        if is_blank(header):
            continue
        name, currency = normalize(header)
        field = table.get(name)
        if field is None:
            unknown.append(str(header))
        elif field in columns.values():
            duplicates.append(str(header))
        else:
            columns[index] = field
            if currency:
                currencies[index] = currency
    layout = LAYOUTS.get(region, API_LAYOUT)
    return HeaderMatch(region, layout, columns, tuple(unknown), tuple(duplicates), currencies)


def is_explanation_row(row: Sequence[object], match: HeaderMatch) -> bool:
    """A row under the headers that explains each field instead of holding values.

    It is prose where amounts and ids belong: most filled known cells are text
    of several words, and no amount column holds an amount.
    """
    filled = prose = 0
    for index, field in match.columns.items():
        value = row[index] if index < len(row) else None
        if is_blank(value):
            continue
        filled += 1
        if kind_of(field) is Kind.MONEY and _is_amount(value):
            return False
        if isinstance(value, str) and len(value.split()) >= 3:
            prose += 1
    return filled > 0 and prose * 2 >= filled


def _is_amount(value: object) -> bool:
    try:
        parse_amount(value)
    except MoneyTextError:
        return False
    return True
