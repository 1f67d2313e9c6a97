"""A TikTok Shop order as the console reasons about it: facts, not wire fields.

The TikTok client parses what the API sends; ``sync.order_facts`` turns that
into these frozen values, and everything that decides what happens to an
order (is it ready to copy to Shopify, which SKUs still need a mapping, what
did the buyer pay) works on them alone. Keeping them free of the wire model
lets those rules be tested without a store and replayed over stored orders.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from tiktok_console.domain.money import Money, total

# TikTok has accepted and the buyer can no longer cancel alone, and nothing has
# left the warehouse: the moment a Shopify order must exist so stock is
# committed before it is shipped. Later statuses mean the parcel is already on
# its way; such an order seen for the first time is history, not work (an
# explicit import can copy it, this rule does not).
ELIGIBLE_STATUSES = frozenset({"AWAITING_SHIPMENT", "PARTIALLY_SHIPPING", "AWAITING_COLLECTION"})
# Every line has left: shipped on TikTok (Seller Center, a TikTok Shipping label).
SHIPPED_STATUSES = frozenset({"IN_TRANSIT", "DELIVERED", "COMPLETED"})
FULFILLED_BY_TIKTOK = "FULFILLMENT_BY_TIKTOK"
MASK = "*"


@dataclass(frozen=True)
class TaxFacts:
    """One tax on one unit, as TikTok itemises it (``item_tax``).

    Attributes:
        kind: TikTok's tax type (``SALES_TAX``).
        rate: the rate as a fraction (``0.095`` for 9.5 %).
        amount: the tax on this unit.
    """

    kind: str
    rate: Decimal
    amount: Money


@dataclass(frozen=True)
class RecipientFacts:
    """Where the parcel goes. TikTok masks most of it when it ships for the seller.

    Attributes:
        name: the full name as TikTok sends it (``J*** D***`` when masked).
        first_name: the first name (may equal ``name`` when TikTok has no split).
        last_name: the last name (may be empty).
        phone: the phone number (``(+1)213*****91`` when masked).
        email: TikTok's anonymised buyer email: never a way to reach the buyer.
        address_lines: the street lines, blanks dropped.
        city: the city, empty when TikTok does not say.
        province: the state or province as sent (a name or a code).
        zip: the postal code.
        country_code: ISO 3166 alpha-2 (TikTok's ``region_code``).
        masked: TikTok replaced part of the name, phone or street with ``*``.
    """

    name: str = ""
    first_name: str = ""
    last_name: str = ""
    phone: str = ""
    email: str = ""
    address_lines: tuple[str, ...] = ()
    city: str = ""
    province: str = ""
    zip: str = ""
    country_code: str = ""
    masked: bool = False

    @property
    def has_address(self) -> bool:
        """Whether there is anything to ship to (TikTok hides it before payment)."""
        return bool(self.address_lines or self.city or self.zip)


@dataclass(frozen=True)
class ShipmentFacts:
    """How TikTok says an order left: carrier, tracking number, when.

    Attributes:
        carrier: the shipping provider's name (``USPS``), as TikTok names it.
        tracking_number: the tracking number (empty when TikTok has none).
        shipped_at: when it was shipped (``rts_time``, else ``collection_time``).
    """

    carrier: str
    tracking_number: str
    shipped_at: datetime | None


@dataclass(frozen=True)
class TikTokLineFacts:
    """One unit of one SKU: TikTok sends a line per unit and no quantity.

    Attributes:
        line_id: TikTok's order line item id.
        sku_id: TikTok's SKU id (what SKU mappings are keyed by).
        seller_sku: the merchant's SKU code (may be blank).
        product_name: the product title.
        sku_name: the variant's attributes (``Black, 26``).
        unit_sale_price: what the buyer paid for the unit, after every discount.
        seller_discount: the discount the seller funded.
        platform_discount: the discount TikTok funded (the seller is paid it).
        tax: the tax on the unit (the sum of ``taxes``).
        is_gift: a free gift added to the order.
        taxes: the tax itemisation behind ``tax``.
    """

    line_id: str
    sku_id: str
    seller_sku: str
    product_name: str
    sku_name: str
    unit_sale_price: Money
    seller_discount: Money
    platform_discount: Money
    tax: Money
    is_gift: bool = False
    taxes: tuple[TaxFacts, ...] = ()

    def __post_init__(self) -> None:
        if self.taxes and total([t.amount for t in self.taxes], self.tax.currency) != self.tax:
            raise ValueError(f"line {self.line_id}: tax {self.tax} is not the sum of its taxes")

    @property
    def title(self) -> str:
        """Product and variant, as a merchant reads them."""
        return f"{self.product_name} - {self.sku_name}" if self.sku_name else self.product_name


@dataclass(frozen=True)
class TikTokOrderFacts:
    """One TikTok order, everything the order rules and the Shopify mapping need.

    Attributes:
        order_id: TikTok's order id.
        shop_name: the TikTok shop's name (shown on the Shopify order).
        status: TikTok's order status, as sent.
        created_at: when the buyer placed it (aware UTC).
        updated_at: TikTok's last change (aware UTC).
        currency: the order's currency; every amount below is in it.
        buyer_message: the buyer's note to the seller.
        delivery_option_id: the delivery option (seller's logistics template) id.
        delivery_option_name: its display name (``Standard Shipping``).
        shipping_fee: what the buyer paid for shipping, after discounts, before tax.
        shipping_tax: the tax on shipping.
        is_sample: an affiliate sample order (free for the creator).
        fulfillment_type: ``FULFILLMENT_BY_SELLER`` or ``FULFILLMENT_BY_TIKTOK``.
        ship_by: the latest time the seller may ship (aware UTC), if TikTok set one.
        recipient: where it goes.
        lines: one per unit.
        paid_at: when the buyer paid (aware UTC), if they have.
        retail_delivery_fee: a fee some US states charge per delivery (zero if none).
        tiktok_total: the total TikTok says the buyer paid, to check ours against.
        shipment: the carrier and tracking TikTok holds, once the order shipped.
    """

    order_id: str
    shop_name: str
    status: str
    created_at: datetime
    updated_at: datetime
    currency: str
    buyer_message: str
    delivery_option_id: str
    delivery_option_name: str
    shipping_fee: Money
    shipping_tax: Money
    is_sample: bool
    fulfillment_type: str
    ship_by: datetime | None
    recipient: RecipientFacts
    lines: tuple[TikTokLineFacts, ...]
    paid_at: datetime | None = None
    retail_delivery_fee: Money | None = None
    tiktok_total: Money | None = None
    shipment: ShipmentFacts | None = None

    def __post_init__(self) -> None:
        for moment in (self.created_at, self.updated_at, self.ship_by, self.paid_at):
            if moment is not None and moment.tzinfo is None:
                raise ValueError("order times must be aware (UTC)")
        for amount in self._amounts():
            if amount.currency != self.currency:
                raise ValueError(f"{amount} is not in the order's currency {self.currency}")

    @property
    def has_gift(self) -> bool:
        """Whether any unit is a free gift."""
        return any(line.is_gift for line in self.lines)

    @property
    def fees(self) -> Money:
        """Charges beyond goods, shipping and tax (the retail delivery fee)."""
        return self.retail_delivery_fee or Money.zero(self.currency)

    def _amounts(self) -> Iterable[Money]:
        yield self.shipping_fee
        yield self.shipping_tax
        if self.retail_delivery_fee is not None:
            yield self.retail_delivery_fee
        if self.tiktok_total is not None:
            yield self.tiktok_total
        for line in self.lines:
            yield from (line.unit_sale_price, line.seller_discount, line.platform_discount)
            yield line.tax
            yield from (tax.amount for tax in line.taxes)


@dataclass(frozen=True)
class SkuLine:
    """All the units of one SKU in an order, for lists and summaries.

    Attributes:
        sku_id: TikTok's SKU id.
        seller_sku: the merchant's SKU code.
        title: product and variant.
        quantity: how many units (gifts included).
        paid: what the buyer paid for them together, before tax.
        tax: the tax on them together.
        gifts: how many of the units are free gifts.
    """

    sku_id: str
    seller_sku: str
    title: str
    quantity: int
    paid: Money
    tax: Money
    gifts: int


def group_by_sku(lines: Iterable[TikTokLineFacts]) -> tuple[SkuLine, ...]:
    """Units grouped by ``sku_id`` in first-seen order, with their counts and sums."""
    groups: OrderedDict[str, list[TikTokLineFacts]] = OrderedDict()
    for line in lines:
        groups.setdefault(line.sku_id, []).append(line)
    return tuple(_sku_line(members) for members in groups.values())


def _sku_line(members: list[TikTokLineFacts]) -> SkuLine:
    first = members[0]
    currency = first.unit_sale_price.currency
    return SkuLine(
        sku_id=first.sku_id,
        seller_sku=first.seller_sku,
        title=first.title,
        quantity=len(members),
        paid=total([m.unit_sale_price for m in members], currency),
        tax=total([m.tax for m in members], currency),
        gifts=sum(1 for m in members if m.is_gift),
    )


def order_total(facts: TikTokOrderFacts) -> Money:
    """What the buyer paid: goods after discounts, their tax, shipping, its tax, fees.

    This is TikTok's ``total_amount`` formula rebuilt from the parts, so the
    Shopify order, made of the same parts, adds up to the same amount.
    """
    parts = [line.unit_sale_price + line.tax for line in facts.lines]
    parts += [facts.shipping_fee, facts.shipping_tax, facts.fees]
    return total(parts, facts.currency)


def is_eligible(facts: TikTokOrderFacts, include_fbt: bool) -> bool:
    """Whether the order should now exist in Shopify.

    Paid, out of the on-hold window and not yet shipped (``ELIGIBLE_STATUSES``);
    and shipped by the seller, unless the merchant also wants orders TikTok
    fulfils from its own warehouses (those never touch the seller's stock).
    """
    if facts.status not in ELIGIBLE_STATUSES:
        return False
    # Assumption: a missing fulfillment_type is a seller-shipped order; only
    # the FBT programme marks orders as TikTok's.
    return include_fbt or facts.fulfillment_type != FULFILLED_BY_TIKTOK


def shipped_since(facts: TikTokOrderFacts, since: datetime, include_fbt: bool) -> bool:
    """Whether the order was shipped on TikTok at or after ``since`` (the connection).

    Such an order reached AWAITING_SHIPMENT while the console was connected and
    was shipped in Seller Center before the console created it: it still belongs
    in Shopify, fulfilled, with its stock taken. An order shipped before
    ``since`` is history. Without a shipping time, the order's own creation
    time decides (an order placed after ``since`` was shipped after it too).
    """
    if facts.status not in SHIPPED_STATUSES:
        return False
    if not include_fbt and facts.fulfillment_type == FULFILLED_BY_TIKTOK:
        return False
    shipped = facts.shipment.shipped_at if facts.shipment is not None else None
    return (shipped or facts.created_at) >= since


def unmapped_skus(facts: TikTokOrderFacts, mapping: Mapping[str, str]) -> tuple[str, ...]:
    """TikTok SKU ids of the order with no Shopify variant in ``mapping``, first-seen order.

    ``mapping`` is keyed by TikTok ``sku_id`` (stable, unlike a seller SKU that
    may be blank or shared); an empty variant id counts as unmapped.
    """
    seen: OrderedDict[str, None] = OrderedDict()
    for line in facts.lines:
        if not mapping.get(line.sku_id):
            seen.setdefault(line.sku_id, None)
    return tuple(seen)


def looks_masked(*values: str) -> bool:
    """Whether TikTok masked any of ``values`` (it stars out hidden characters)."""
    return any(MASK in value for value in values)
