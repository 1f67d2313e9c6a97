"""From TikTok's parsed order to the domain's ``TikTokOrderFacts``.

The TikTok client keeps orders as the API shapes them; the order rules and
the Shopify mapping want facts (what was paid per unit, when it must ship,
whether the buyer's data is masked). This is the one place that reads wire
fields for them, so a change in TikTok's order shape is fixed here only.
"""

from __future__ import annotations

from datetime import datetime

from tiktok_console.domain.money import Money, total
from tiktok_console.domain.orders import (
    RecipientFacts,
    ShipmentFacts,
    TaxFacts,
    TikTokLineFacts,
    TikTokOrderFacts,
    looks_masked,
)
from tiktok_console.stores.tiktok.models.common import Address
from tiktok_console.stores.tiktok.models.orders import Order, OrderLineItem


def facts_from_order(order: Order, shop_name: str) -> TikTokOrderFacts:
    """The domain view of ``order`` from the shop called ``shop_name``."""
    currency = order.currency
    payment = order.payment
    zero = Money.zero(currency)
    return TikTokOrderFacts(
        order_id=order.id,
        shop_name=shop_name,
        status=order.status,
        created_at=order.create_time,
        updated_at=order.update_time,
        currency=currency,
        buyer_message=order.buyer_message,
        delivery_option_id=order.delivery_option_id,
        delivery_option_name=order.delivery_option_name,
        # shipping_fee is what the buyer paid: original fee minus both discounts.
        shipping_fee=payment.shipping_fee or zero,
        shipping_tax=payment.shipping_fee_tax or zero,
        is_sample=order.is_sample_order,
        fulfillment_type=order.fulfillment_type,
        ship_by=ship_by(order),
        recipient=recipient_facts(order.recipient_address, order.buyer_email),
        lines=tuple(line_facts(line, currency) for line in order.line_items),
        paid_at=order.paid_time,
        retail_delivery_fee=payment.retail_delivery_fee or zero,
        tiktok_total=payment.total_amount,
        shipment=shipment_facts(order),
    )


def shipment_facts(order: Order) -> ShipmentFacts | None:
    """The carrier and tracking TikTok holds for the order, once it has any.

    The order carries them once shipped; an order in several packages has them
    per line, and Shopify's ``orderCreate`` takes one fulfillment: the first
    package's tracking is kept (the others stay on TikTok).
    """
    carrier, number = order.shipping_provider, order.tracking_number
    if not number:
        line = next((li for li in order.line_items if li.tracking_number), None)
        if line is not None:
            carrier, number = line.shipping_provider_name, line.tracking_number
    shipped_at = order.rts_time or order.collection_time
    if not (number or carrier or shipped_at):
        return None
    return ShipmentFacts(
        carrier=carrier.strip(), tracking_number=number.strip(), shipped_at=shipped_at
    )


def ship_by(order: Order) -> datetime | None:
    """The latest time the seller may ship.

    ``rts_sla_time`` is TikTok's "latest shipping time": the deadline Seller
    Center shows and late-dispatch penalties count from, so it comes first.
    ``shipping_due_time`` (auto-cancel unless handed over) is later but binding
    when the first is missing; ``tts_sla_time`` (latest collection) last.
    """
    return order.rts_sla_time or order.shipping_due_time or order.tts_sla_time


def line_facts(line: OrderLineItem, currency: str) -> TikTokLineFacts:
    """One unit (its amounts are in its own currency, the order's)."""
    currency = line.currency or currency
    zero = Money.zero(currency)
    taxes = tuple(
        TaxFacts(tax.tax_type, tax.tax_rate, Money(tax.tax_amount, currency))
        for tax in line.item_tax
    )
    return TikTokLineFacts(
        line_id=line.id,
        sku_id=line.sku_id,
        seller_sku=line.seller_sku,
        product_name=line.product_name,
        sku_name=line.sku_name,
        # sale_price is already net of the seller's and the platform's discounts.
        unit_sale_price=line.sale_price,
        seller_discount=line.seller_discount or zero,
        platform_discount=line.platform_discount or zero,
        tax=total([t.amount for t in taxes], currency),
        is_gift=line.is_gift,
        taxes=taxes,
    )


def recipient_facts(address: Address, buyer_email: str) -> RecipientFacts:
    """Where the parcel goes, and whether TikTok masked it."""
    lines = tuple(
        text
        for text in (
            address.address_line1,
            address.address_line2,
            address.address_line3,
            address.address_line4,
        )
        if _real(text)
    )
    city, province = city_and_province(address.full_address, address.postal_code)
    return RecipientFacts(
        name=address.name,
        first_name=address.first_name,
        last_name=address.last_name,
        phone=address.phone_number,
        email=buyer_email,
        address_lines=lines,
        city=city,
        province=province,
        zip=address.postal_code,
        country_code=address.region_code,
        masked=looks_masked(address.name, address.phone_number, address.address_line1),
    )


def _real(text: str) -> bool:
    # TikTok's own sample sends unused lines as the two characters "" (quoted empty).
    return bool(text.strip().strip('"'))


def city_and_province(full_address: str, postal_code: str) -> tuple[str, str]:
    """City and state read from ``full_address`` (``street, City, State ZIP``).

    Assumption: the parsed address model does not keep ``district_info``
    (where TikTok names the state, L1, and city, L3), so they are read from
    the comma-separated full address, whose last part is "State ZIP" and the
    part before it the city when there are at least three parts. A shape
    that does not fit gives empty values rather than a guess.
    """
    parts = [part.strip() for part in full_address.split(",") if part.strip()]
    if len(parts) < 2:
        return "", ""
    last = parts[-1]
    if postal_code and last.endswith(postal_code):
        last = last[: -len(postal_code)].strip()
    city = parts[-2] if len(parts) >= 3 else ""
    return city, last
