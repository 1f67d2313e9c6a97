"""Draws new orders: buyers, baskets, discounts, taxes and the buyer's fate.

Every random choice for an order is made here, at creation, from the shop's
seeded generator; what happens to the order later only replays those draws
as the clock passes, so the same seed and clock give the same world.
"""

from __future__ import annotations

import random
from decimal import Decimal

from tiktok_console.sandbox.tiktok.logistics import DeliveryOption, Logistics
from tiktok_console.sandbox.tiktok.orders import Buyer, Fate, LineItem, Order
from tiktok_console.sandbox.tiktok.product_store import ProductStore
from tiktok_console.sandbox.tiktok.products import Product, Sku
from tiktok_console.sandbox.tiktok.wire import cents, new_id

_FIRST = [
    "Jane",
    "Marcus",
    "Priya",
    "Diego",
    "Aaliyah",
    "Tom",
    "Mei",
    "Olivia",
    "Sam",
    "Noah",
    "Fatima",
    "Chloe",
    "Luis",
    "Grace",
    "Ethan",
    "Zoe",
]
_LAST = [
    "Doe",
    "Nguyen",
    "Patel",
    "Garcia",
    "Johnson",
    "Kim",
    "Brown",
    "Lopez",
    "Smith",
    "Okafor",
    "Chen",
    "Miller",
    "Rossi",
    "Walker",
]
_PLACES = [  # city, state, zip, sales-tax rate (Assumption: combined rates, rounded)
    ("Los Angeles", "California", "90012", "0.095"),
    ("Austin", "Texas", "78701", "0.0825"),
    ("Brooklyn", "New York", "11201", "0.08875"),
    ("Miami", "Florida", "33130", "0.07"),
    ("Seattle", "Washington", "98101", "0.1025"),
    ("Columbus", "Ohio", "43215", "0.075"),
    ("Denver", "Colorado", "80202", "0.0881"),
    ("Portland", "Oregon", "97205", "0"),
]
_STREETS = ["Maple Ave", "Oak St", "Sunset Blvd", "Pine Rd", "Cedar Ln", "Main St", "Lake Dr"]
_MESSAGES = ["", "", "", "Please ship asap!", "It's a gift, no invoice please", "Leave at door"]
CANCEL_REASONS = [
    "No longer needed",
    "Need to change shipping address",
    "Found a better price elsewhere",
    "Ordered by mistake",
]


class OrderFactory:
    """Makes orders from the shop's live listings."""

    def __init__(
        self,
        rng: random.Random,
        products: ProductStore,
        logistics: Logistics,
        currency: str,
        remorse_window: int,
        orphan_rate: float = 0.06,
    ) -> None:
        self._rng = rng
        self._orphan_rate = orphan_rate
        self._products = products
        self._logistics = logistics
        self._currency = currency
        self._remorse = remorse_window
        # Share of new seller-fulfilled orders the merchant ships from Seller Center.
        self.seller_center_share = 0.0

    def make(self, when: int, *, historical: bool) -> Order | None:
        """A new UNPAID order at ``when``; None when nothing is in stock."""
        rng = self._rng
        basket = self._basket()
        if not basket:
            return None
        place = rng.choice(_PLACES)
        rate = Decimal(place[3])
        sample = rng.random() < 0.03
        items: list[LineItem] = []
        for product, sku in basket:
            items.extend(self._units(product, sku, rate, sample))
        if rng.random() < 0.05:
            product, sku = rng.choice(basket)
            gift = self._unit(product, sku, rate, sample=True)
            gift.is_gift = True
            items.append(gift)
        option = self._option()
        fbt = option.tiktok_shipped and rng.random() < 0.5
        fee = Decimal("9.99") if option.type == "EXPRESS" else Decimal("5.99")
        sub = sum((li.sale_price for li in items), Decimal(0))
        platform_ship = fee if (sub >= 35 and not sample) else Decimal(0)
        seller_ship = fee if sample else Decimal(0)
        order = Order(
            id=new_id(rng, "57"),
            status="UNPAID",
            create_time=when,
            update_time=when,
            buyer=self._buyer(place),
            line_items=items,
            option=option,
            warehouse_id=self._logistics.main.id,
            fulfillment_type="FULFILLMENT_BY_TIKTOK" if fbt else "FULFILLMENT_BY_SELLER",
            fate=self._fate(historical, option.tiktok_shipped),
            currency=self._currency,
            shipping_fee=fee,
            shipping_seller_discount=seller_ship,
            shipping_platform_discount=platform_ship,
            is_sample=sample,
            buyer_message=rng.choice(_MESSAGES),
            affiliate=rng.random() < 0.3,
        )
        self._maybe_seller_center(order, historical)
        for li in items:
            self._take_stock(li.sku_id)
        return order

    def _basket(self) -> list[tuple[Product, Sku]]:
        rng = self._rng
        live = [
            (p, s)
            for p in self._products.products
            if p.status == "ACTIVATE"
            for s in p.skus
            if sum(s.inventory.values()) > 0
        ]
        regular = [(p, s) for p, s in live if not p.tiktok_only]
        orphans = [(p, s) for p, s in live if p.tiktok_only]
        if not regular:
            return []
        picks = rng.sample(regular, k=min(len(regular), rng.choice([1, 1, 1, 2, 2, 3])))
        if orphans and rng.random() < self._orphan_rate:  # SKUs added only in Seller Center
            picks.append(rng.choice(orphans))
        return picks

    def _units(self, product: Product, sku: Sku, rate: Decimal, sample: bool) -> list[LineItem]:
        count = self._rng.choice([1, 1, 1, 1, 2, 2, 3])
        available = sum(sku.inventory.values())
        return [self._unit(product, sku, rate, sample) for _ in range(min(count, available))]

    def _unit(self, product: Product, sku: Sku, rate: Decimal, sample: bool) -> LineItem:
        rng = self._rng
        original = sku.price
        if sample:
            seller, platform = original, Decimal(0)
        else:
            seller = (
                cents(original * Decimal(rng.choice([10, 15, 20])) / 100)
                if rng.random() < 0.3
                else Decimal(0)
            )
            platform = (
                cents(original * Decimal(rng.choice([5, 10, 15])) / 100)
                if rng.random() < 0.25
                else Decimal(0)
            )
        taxed = original - seller - platform
        return LineItem(
            id=new_id(rng, "57"),
            sku_id=sku.id,
            product_id=product.id,
            seller_sku=sku.seller_sku,
            product_name=product.title,
            sku_name=", ".join(v for _, v in sku.attributes),
            original_price=original,
            seller_discount=seller,
            platform_discount=platform,
            tax=cents(taxed * rate),
            tax_rate=rate,
        )

    def _option(self) -> DeliveryOption:
        standard, express, tiktok = self._logistics.options
        roll = self._rng.random()
        return express if roll < 0.12 else tiktok if roll < 0.2 else standard

    def _buyer(self, place: tuple[str, str, str, str]) -> Buyer:
        rng = self._rng
        handle = "".join(rng.choice("abcdefghijkmnpqrstuvwxyz23456789") for _ in range(10))
        return Buyer(
            user_id=new_id(rng, "70"),
            first_name=rng.choice(_FIRST),
            last_name=rng.choice(_LAST),
            phone=f"{rng.randint(201, 989)}{rng.randint(200, 999)}{rng.randint(0, 9999):04d}",
            email=f"{handle}@scs.tiktokw.us",
            street=f"{rng.randint(10, 9999)} {rng.choice(_STREETS)}",
            city=place[0],
            state=place[1],
            postal_code=place[2],
        )

    def _maybe_seller_center(self, order: Order, historical: bool) -> None:
        """Some seller-fulfilled orders are shipped from Seller Center, not by the app.

        Decided by a generator of the order's own (not the shop's), so a share of 0
        leaves every other draw of the world as it was.
        """
        if historical or order.fate.auto_ship_after is not None or not self.seller_center_share:
            return
        if order.fulfillment_type != "FULFILLMENT_BY_SELLER":
            return
        own = random.Random(f"seller-center:{order.id}")
        if own.random() < self.seller_center_share:
            # Packed and shipped 10 min to 3 h after the order is released to ship.
            order.fate.auto_ship_after = own.randint(600, 3 * 3600)

    def _fate(self, historical: bool, tiktok_shipped: bool) -> Fate:
        rng = self._rng
        fate = Fate(pay_after=rng.randint(5, 600), transit_seconds=rng.randint(2, 5) * 86400)
        roll = rng.random()
        if roll < 0.04:
            fate.cancel_unpaid_after = rng.randint(1, fate.pay_after)
        elif roll < 0.08:
            fate.cancel_on_hold_after = rng.randint(60, max(61, self._remorse - 60))
        elif roll < 0.13:
            fate.cancel_request_after = rng.randint(1800, 12 * 3600)
        if rng.random() < 0.08:
            fate.return_after = rng.randint(1, 6) * 86400 + rng.randint(0, 86399)
            kind = rng.random()  # one draw, so adding replacements moved no other draw
            fate.return_type = (
                "REFUND" if kind < 0.4 else "REPLACEMENT" if kind > 0.85 else "RETURN_AND_REFUND"
            )
            fate.seller_rejects_return = historical and rng.random() < 0.3
        if historical or tiktok_shipped:
            fate.auto_ship_after = rng.randint(4, 40) * 3600
        return fate

    def _take_stock(self, sku_id: str) -> None:
        found = self._products.find_sku(sku_id)
        if found is None:
            return
        sku = found[1]
        for warehouse_id, quantity in sku.inventory.items():
            if quantity > 0:
                sku.inventory[warehouse_id] = quantity - 1
                return
