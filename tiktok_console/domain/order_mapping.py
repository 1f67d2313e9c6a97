"""How a TikTok order becomes a Shopify ``orderCreate``: the merchant-facing rules.

Merchants expect the Shopify copy of a TikTok order to be findable (TikTok
order id in a tag, ``sourceIdentifier`` and a custom attribute), to carry the
buyer's time, note and delivery option, to show what the buyer really paid
(discounted prices, their tax, shipping) as paid through TikTok Shop, and to
take the stock. ``build_order_create`` returns the GraphQL ``variables`` of

    orderCreate(order: OrderCreateOrderInput!, options: OrderCreateOptionsInput)

with money as strings in the currency's minor units, never floats; the
amounts are rounded once, here, and the transaction is the sum of exactly
what the lines and shipping lines say, so Shopify's totals match to the cent.
The recipient's address is shaped in ``shipping_address``.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any, Literal

from tiktok_console.domain.money import Money, total
from tiktok_console.domain.orders import (
    TaxFacts,
    TikTokLineFacts,
    TikTokOrderFacts,
    unmapped_skus,
)
from tiktok_console.domain.shipping_address import shipping_address

CustomerMode = Literal["none", "placeholder"]

TAG_CHANNEL = "TikTok Shop"
TAG_ORDER_ID = "TikTokOrderID:"  # spelled here only: the duplicate guard searches by it
# The console's own mark: another connector may use the TikTokOrderID: convention,
# but only the console tags its orders so; after a rebuilt database this is how it
# knows its earlier orders from another app's.
TAG_CONSOLE = "TikTok Console"
TAG_SAMPLE = "TikTok Shop Sample"
TAG_GIFT = "TikTok Shop Gift"
GATEWAY = "TikTok Shop"
# Assumption: Shopify stores any sourceName; only registered sales channels
# get attribution, which an unlisted app cannot have. A stable handle-like
# value lets reports and searches (``source_name:tiktok_shop``) find the orders.
SOURCE_NAME = "tiktok_shop"
SHIPPING_SOURCE = "TikTok Shop"
DEFAULT_SHIPPING_TITLE = "TikTok Shop shipping"
RETAIL_DELIVERY_FEE_TITLE = "Retail delivery fee"
GIFT_PROPERTY = "TikTok Shop gift"
PLACEHOLDER_EMAIL = "tiktok-buyer@example.invalid"
PLACEHOLDER_NAME = {"firstName": "TikTok", "lastName": "Buyer"}

# Why DECREMENT_IGNORING_POLICY: TikTok has already sold the units and will
# hold the seller to shipping them. OBEYING would make Shopify refuse the
# whole order when a variant shows no stock (oversold, or Shopify stock not yet
# counted), and the order would be lost from Shopify while the buyer waits.
# Ignoring the policy records it anyway and lets stock go negative, which is
# the truth the merchant must see. BYPASS would leave stock too high.
ORDER_OPTIONS: dict[str, Any] = {
    "inventoryBehaviour": "DECREMENT_IGNORING_POLICY",
    # TikTok already told the buyer; a Shopify mail would go to a masked address.
    "sendReceipt": False,
    "sendFulfillmentReceipt": False,
}


# An order shipped on TikTok before the console created it goes to Shopify with
# its shipment (``OrderCreateOrderInput.fulfillment``: one fulfillment of every
# line, from a location, with TikTok's carrier and tracking), so the warehouse
# does not ship it again. Shipped since the connection, it takes stock like any
# order; imported history must not (its stock left long ago): BYPASS.
HISTORY_OPTIONS: dict[str, Any] = {**ORDER_OPTIONS, "inventoryBehaviour": "BYPASS"}
TAG_SHIPPED = "TikTok Shop shipped"
TAG_HISTORY = "TikTok Shop history"


@dataclass(frozen=True)
class Fulfilled:
    """The order already left: create it fulfilled.

    Attributes:
        location_id: the Shopify location the fulfillment is from (gid).
        carrier: TikTok's shipping provider name (Shopify links known ones).
        tracking_number: the tracking number ("" when TikTok has none).
        history: imported history: stock is not touched (else it is taken).
    """

    location_id: str
    carrier: str
    tracking_number: str
    history: bool = False

    def wire(self) -> dict[str, Any]:
        """``OrderCreateFulfillmentInput``: no mail to the buyer (TikTok told them)."""
        fields: dict[str, Any] = {"locationId": self.location_id, "notifyCustomer": False}
        if self.tracking_number:
            fields["trackingNumber"] = self.tracking_number
        if self.carrier:
            fields["trackingCompany"] = self.carrier
        return fields


class UnmappedSkuError(ValueError):
    """The order has SKUs with no Shopify variant: it is an orphan until they are mapped."""

    def __init__(self, sku_ids: tuple[str, ...]) -> None:
        super().__init__(f"no Shopify variant for TikTok SKU(s) {', '.join(sku_ids)}")
        self.sku_ids = sku_ids


def build_order_create(
    facts: TikTokOrderFacts,
    variant_for_sku: Mapping[str, str],
    *,
    customer_mode: CustomerMode = "none",
    placeholder_email: str = PLACEHOLDER_EMAIL,
    fulfilled: Fulfilled | None = None,
) -> dict[str, Any]:
    """The ``variables`` (``{"order": ..., "options": ...}``) of ``orderCreate``.

    Args:
        facts: the TikTok order.
        variant_for_sku: TikTok ``sku_id`` -> Shopify ProductVariant gid.
        customer_mode: ``"none"`` sends no buyer email (TikTok's is anonymised
            and must not be written to); ``"placeholder"`` sends
            ``placeholder_email`` as the order's email and as a customer to
            upsert, so Shopify files every TikTok buyer under one customer.
        placeholder_email: the address used by ``"placeholder"``.
        fulfilled: the order already shipped on TikTok: it is created fulfilled
            (and, for history, without touching stock).

    Raises:
        UnmappedSkuError: a SKU of the order has no variant.
        ValueError: the order has no lines.
    """
    missing = unmapped_skus(facts, variant_for_sku)
    if missing:
        raise UnmappedSkuError(missing)
    if not facts.lines:
        raise ValueError(f"TikTok order {facts.order_id} has no lines")
    lines = [_line_input(g, variant_for_sku[g.sku_id]) for g in price_groups(facts.lines)]
    shipping = _shipping_lines(facts)
    order: dict[str, Any] = {
        "currency": facts.currency,
        "processedAt": iso_utc(facts.created_at),
        "sourceName": SOURCE_NAME,
        "sourceIdentifier": facts.order_id,
        "tags": order_tags(facts),
        "customAttributes": _custom_attributes(facts),
        "lineItems": [line.wire for line in lines],
        "shippingLines": [line.wire for line in shipping],
        "financialStatus": "PAID",
        "taxesIncluded": False,  # Assumption: US prices are pre-tax (sync is US-only).
    }
    paid = total([item.charged for item in [*lines, *shipping]], facts.currency)
    if paid.amount != 0:
        # Assumption: Shopify refuses a zero-amount transaction (amounts must be
        # positive); a fully discounted sample is marked PAID without one.
        order["transactions"] = [_transaction(paid, facts.paid_at or facts.created_at)]
    if facts.buyer_message:
        order["note"] = facts.buyer_message
    if customer_mode == "placeholder":
        # ``email`` alone only sets the order's contact; ``customer.toUpsert`` is what
        # makes Shopify create (once) and attach the customer.
        order["email"] = placeholder_email
        order["customer"] = {"toUpsert": {"email": placeholder_email, **PLACEHOLDER_NAME}}
    address = shipping_address(facts.recipient)
    if address:
        order["shippingAddress"] = address
    if fulfilled is None:
        return {"order": order, "options": dict(ORDER_OPTIONS)}
    order["fulfillment"] = fulfilled.wire()
    order["tags"].append(TAG_HISTORY if fulfilled.history else TAG_SHIPPED)
    return {
        "order": order,
        "options": dict(HISTORY_OPTIONS if fulfilled.history else ORDER_OPTIONS),
    }


def order_id_tag(order_id: str) -> str:
    """The tag that marks a Shopify order as the twin of TikTok order ``order_id``."""
    return f"{TAG_ORDER_ID}{order_id}"


def tagged_order_id(tags: Iterable[str]) -> str | None:
    """The TikTok order id a Shopify order's tags name, if any."""
    return next((tag[len(TAG_ORDER_ID) :] for tag in tags if tag.startswith(TAG_ORDER_ID)), None)


def order_tags(facts: TikTokOrderFacts) -> list[str]:
    """The tags that find and explain the order in Shopify."""
    tags = [TAG_CHANNEL, order_id_tag(facts.order_id), TAG_CONSOLE]
    if facts.is_sample:
        tags.append(TAG_SAMPLE)
    if facts.has_gift:
        tags.append(TAG_GIFT)
    return tags


def made_by_console(
    tags: Iterable[str], source_name: str | None, source_identifier: str | None, order_id: str
) -> bool:
    """Whether a Shopify order carrying TikTok order ``order_id`` is one the console made.

    By its own tag; orders from before that tag by the source the console gives
    them (``sourceName`` and ``sourceIdentifier`` together).
    """
    if TAG_CONSOLE in tags:
        return True
    return source_name == SOURCE_NAME and source_identifier == order_id


def _custom_attributes(facts: TikTokOrderFacts) -> list[dict[str, str]]:
    pairs = [
        ("TikTok Order ID", facts.order_id),
        ("TikTok Shop", facts.shop_name),
        ("Delivery option", facts.delivery_option_name),
        ("Ship by", iso_utc(facts.ship_by) if facts.ship_by else ""),
    ]
    return [{"key": key, "value": value} for key, value in pairs if value]


# -- lines ------------------------------------------------------------------
@dataclass(frozen=True)
class PriceGroup:
    """Units of one SKU at one price: one Shopify line.

    TikTok discounts each unit on its own, so two units of a SKU can cost
    different amounts; a Shopify line has one unit price, so units are grouped
    by (SKU, price paid, gift) and a SKU may give several lines. That keeps
    price x quantity exact, where an average price would need a fraction of a cent.
    """

    sku_id: str
    unit_price: Money
    is_gift: bool
    units: tuple[TikTokLineFacts, ...]

    @property
    def quantity(self) -> int:
        """How many units."""
        return len(self.units)


def price_groups(lines: Iterable[TikTokLineFacts]) -> tuple[PriceGroup, ...]:
    """Units grouped by (SKU, unit price paid, gift), first-seen order."""
    groups: OrderedDict[tuple[str, Decimal, bool], list[TikTokLineFacts]] = OrderedDict()
    for line in lines:
        key = (line.sku_id, line.unit_sale_price.rounded().amount, line.is_gift)
        groups.setdefault(key, []).append(line)
    return tuple(
        PriceGroup(sku_id, members[0].unit_sale_price.rounded(), gift, tuple(members))
        for (sku_id, _, gift), members in groups.items()
    )


@dataclass(frozen=True)
class _Charged:
    """A GraphQL input object and the money it adds to the order."""

    wire: dict[str, Any]
    charged: Money


def _line_input(group: PriceGroup, variant_id: str) -> _Charged:
    taxes = _tax_lines([tax for unit in group.units for tax in _unit_taxes(unit)])
    wire: dict[str, Any] = {
        "variantId": variant_id,
        "quantity": group.quantity,
        "priceSet": money_bag(group.unit_price),
    }
    if taxes:
        wire["taxLines"] = [tax.wire for tax in taxes]
    if group.is_gift:
        # Gifts are their own line at the price paid (0) and say so, so the
        # packer includes them and reports do not read them as a lost sale.
        wire["properties"] = [{"name": GIFT_PROPERTY, "value": "Yes"}]
    charged = group.unit_price * group.quantity
    return _Charged(wire, total([charged, *(tax.charged for tax in taxes)], charged.currency))


def _unit_taxes(unit: TikTokLineFacts) -> tuple[TaxFacts, ...]:
    if unit.taxes or unit.tax.amount == 0:
        return unit.taxes
    # Assumption: a tax without TikTok's itemisation is one tax at the implied rate.
    return (TaxFacts("TAX", _implied_rate(unit.tax, unit.unit_sale_price), unit.tax),)


def _implied_rate(tax: Money, base: Money) -> Decimal:
    return (tax.amount / base.amount).quantize(Decimal("0.0001")) if base.amount else Decimal(0)


def _tax_lines(taxes: list[TaxFacts]) -> list[_Charged]:
    """Unit taxes summed per (kind, rate); zero taxes are left out."""
    sums: OrderedDict[tuple[str, Decimal], Money] = OrderedDict()
    for tax in taxes:
        key = (tax.kind, tax.rate)
        sums[key] = sums[key] + tax.amount if key in sums else tax.amount
    return [
        _tax_line(_tax_title(kind), rate, amount.rounded())
        for (kind, rate), amount in sums.items()
        if amount.rounded().amount != 0
    ]


def _tax_line(title: str, rate: Decimal, amount: Money) -> _Charged:
    wire = {"title": title, "rate": _decimal_text(rate), "priceSet": money_bag(amount)}
    return _Charged(wire, amount)


def _tax_title(kind: str) -> str:
    # TikTok's SALES_TAX reads as "Sales tax" on the Shopify order.
    return kind.replace("_", " ").strip().capitalize() or "Tax"


# -- shipping -----------------------------------------------------------------
def _shipping_lines(facts: TikTokOrderFacts) -> list[_Charged]:
    """The delivery option with what the buyer paid for it, and any delivery fee.

    The delivery option is always sent, free or not, so the packer sees which
    service TikTok promised. A retail delivery fee goes in a shipping line of
    its own: it is charged per delivery and must be in Shopify's total.
    """
    fee = facts.shipping_fee.rounded()
    tax = facts.shipping_tax.rounded()
    title = facts.delivery_option_name or DEFAULT_SHIPPING_TITLE
    wire: dict[str, Any] = {"title": title, "source": SHIPPING_SOURCE, "priceSet": money_bag(fee)}
    if facts.delivery_option_id:
        wire["code"] = facts.delivery_option_id
    charged = fee
    if tax.amount != 0:
        # Assumption: TikTok gives no shipping tax rate; it is derived from the amounts.
        tax_line = _tax_line("Shipping tax", _implied_rate(tax, fee), tax)
        wire["taxLines"] = [tax_line.wire]
        charged = fee + tax
    lines = [_Charged(wire, charged)]
    extra = facts.fees.rounded()
    if extra.amount != 0:
        fee_wire = {
            "title": RETAIL_DELIVERY_FEE_TITLE,
            "source": SHIPPING_SOURCE,
            "priceSet": money_bag(extra),
        }
        lines.append(_Charged(fee_wire, extra))
    return lines


def _transaction(amount: Money, when: datetime) -> dict[str, Any]:
    return {
        "kind": "SALE",
        "status": "SUCCESS",
        "gateway": GATEWAY,
        "amountSet": money_bag(amount),
        "processedAt": iso_utc(when),
    }


# -- wire formats ---------------------------------------------------------------
def money_bag(amount: Money) -> dict[str, dict[str, str]]:
    """A ``MoneyBagInput`` in shop money (the TikTok currency is the shop's)."""
    return {"shopMoney": {"amount": amount.to_wire(), "currencyCode": amount.currency}}


def iso_utc(moment: datetime) -> str:
    """ISO 8601 in UTC with a ``Z``, as Shopify's ``DateTime`` reads it."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _decimal_text(value: Decimal) -> str:
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text
