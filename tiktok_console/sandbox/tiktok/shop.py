"""The sandbox TikTok shop: one lock, one clock, one seeded world.

``TikTokShop.from_catalog`` lists the shared catalog, seeds history, and from
then on ``tick()`` replays everything due by the clock: orders arriving
(Poisson, bursting x20 in livestream mode), buyers paying and cancelling,
deadlines passing, deliveries, settlements and daily statements.

Merchants also ship from Seller Center (TikTok Shipping labels, or by hand
while the console is closed): ``ship_in_seller_center`` does it to one order,
and ``seller_center_share`` makes the world do it to a share of new orders.
A showcase world (the demo's) starts with a return and a cancellation request
waiting for the seller, whatever its seed drew.
"""

from __future__ import annotations

import asyncio
import random
import threading
from collections import Counter
from collections.abc import Callable
from typing import Any

from tiktok_console.sandbox.catalog import Catalog
from tiktok_console.sandbox.clock import SandboxClock
from tiktok_console.sandbox.tiktok.aftersales import AfterSales
from tiktok_console.sandbox.tiktok.finance import Ledger
from tiktok_console.sandbox.tiktok.finance_wire import bank_statement
from tiktok_console.sandbox.tiktok.fulfillment import auto_ship, shipped_view
from tiktok_console.sandbox.tiktok.listing_cap import DEFAULT_DAILY_CAP
from tiktok_console.sandbox.tiktok.logistics import Logistics
from tiktok_console.sandbox.tiktok.order_book import OrderBook
from tiktok_console.sandbox.tiktok.order_factory import OrderFactory
from tiktok_console.sandbox.tiktok.orders import Order
from tiktok_console.sandbox.tiktok.product_store import ProductStore
from tiktok_console.sandbox.tiktok.products import build_products
from tiktok_console.sandbox.tiktok.schedule import Scheduler
from tiktok_console.sandbox.tiktok.snapshot import snapshot
from tiktok_console.sandbox.tiktok.wire import new_id

LIVESTREAM_FACTOR = 20
HISTORY_DAYS = 30
_CIPHER_CHARS = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz0123456789"
_CODE_CHARS = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


class TikTokShop:
    """All state of one simulated TikTok shop. Use ``from_catalog`` to build one."""

    def __init__(
        self,
        clock: SandboxClock,
        seed: int,
        *,
        shop_id: str,
        shop_name: str,
        region: str,
        currency: str,
        orders_per_minute: float,
        livestream: bool,
        remorse_window: int,
        settle_days: int,
        orphan_rate: float = 0.06,
        seller_center_share: float = 0.0,
        finance_discrepancies: int = 0,
        daily_listing_cap: int = DEFAULT_DAILY_CAP,
    ) -> None:
        self.lock = threading.RLock()
        self.clock = clock
        self.rng = random.Random(seed)
        self.shop_id = shop_id
        self.name = shop_name
        self.region = region
        self.currency = currency
        self.seller_type = "LOCAL"
        self.cipher = "ROW_" + _token(self.rng, _CIPHER_CHARS, 28)
        self.code = region + "LC" + _token(self.rng, _CODE_CHARS, 8)
        self.orders_per_minute = orders_per_minute
        self.orphan_rate = orphan_rate
        self.livestream = livestream
        self.scheduler = Scheduler()
        self.logistics = Logistics([new_id(self.rng, "69") for _ in range(6)])
        self.products = ProductStore(
            [], self.logistics, self.rng, clock.now_int, currency,
            region=region, daily_cap=daily_listing_cap,
        )  # fmt: skip
        self.ledger: Ledger
        self.book: OrderBook
        self.aftersales: AfterSales
        self.factory: OrderFactory
        self._remorse = remorse_window
        self._settle_days = settle_days
        self._seller_center_share = seller_center_share
        self._finance_discrepancies = finance_discrepancies
        self._seed = seed
        self._now = clock.now_int()
        self._next_arrival = 0.0

    @classmethod
    def from_catalog(
        cls,
        catalog: Catalog,
        clock: SandboxClock,
        *,
        seed: int = 7,
        initial_orders: int = 0,
        orders_per_minute: float = 2.0,
        livestream: bool = False,
        shop_id: str = "7494049642642441621",
        shop_name: str | None = None,
        region: str | None = None,
        remorse_window: int = 3600,
        settle_days: int = 8,
        orphan_rate: float = 0.06,
        seller_center_share: float = 0.0,
        finance_discrepancies: int = 0,
        showcase: bool = False,
        daily_listing_cap: int = DEFAULT_DAILY_CAP,
    ) -> TikTokShop:
        """Build the shop from the shared catalog.

        Args:
            catalog: the merchant's catalog (shared with the Shopify sandbox).
            clock: the sandbox clock.
            seed: seeds every random choice of this shop.
            initial_orders: historical orders spread over the last 30 days.
            orders_per_minute: mean arrival rate of new orders.
            livestream: start with livestream bursts on.
            shop_id: the shop's id.
            shop_name: defaults to the catalog's shop name.
            region: defaults to the catalog's region.
            remorse_window: seconds an order stays ON_HOLD after payment
                (Assumption: one hour, as merchants report).
            settle_days: days after delivery an order settles.
            orphan_rate: share of orders that also carry a Seller Center-only SKU.
            seller_center_share: share of new seller-fulfilled orders the merchant
                ships from Seller Center instead of through the app.
            finance_discrepancies: settlements planted short beyond the two
                deliberate discrepancies every world has.
            showcase: start with a return and a cancellation request awaiting the
                seller (when the history has orders to carry them).
            daily_listing_cap: new products the shop may create per local day.
        """
        shop = cls(
            clock,
            seed,
            shop_id=shop_id,
            shop_name=shop_name or catalog.shop_name,
            region=region or catalog.region,
            currency=catalog.currency,
            orders_per_minute=orders_per_minute,
            livestream=livestream,
            remorse_window=remorse_window,
            settle_days=settle_days,
            orphan_rate=orphan_rate,
            seller_center_share=seller_center_share,
            finance_discrepancies=finance_discrepancies,
            daily_listing_cap=daily_listing_cap,
        )
        shop._build(catalog, initial_orders)
        if showcase:
            shop._showcase()
        return shop

    def _build(self, catalog: Catalog, initial_orders: int) -> None:
        now = self.clock.now_int()
        start = now - HISTORY_DAYS * 86400 if initial_orders else now
        self.products.products.extend(build_products(catalog, self.logistics, self.rng, now))
        self.ledger = Ledger(
            self.rng,
            self.scheduler,
            self.currency,
            self._settle_days,
            start,
            self._finance_discrepancies,
        )
        self.book = OrderBook(
            self.rng, self.scheduler, self.products, self._remorse, self._on_delivered
        )
        self.aftersales = AfterSales(self.rng, self.scheduler, self.book, self.ledger.on_refunded)
        self.factory = OrderFactory(
            self.rng, self.products, self.logistics, self.currency, self._remorse,
            self.orphan_rate,
        )  # fmt: skip
        self.factory.seller_center_share = self._seller_center_share
        times = sorted(self.rng.randint(start, now - 60) for _ in range(initial_orders))
        for when in times:
            self.scheduler.at(when, "order.arrive_historical")
        self._now = start
        self._next_arrival = now + self._gap()
        self._run_until(now)

    def _showcase(self) -> None:
        """Make sure a return and a cancellation request wait for the seller now."""
        now = self.clock.now_int()
        own = random.Random(f"showcase:{self._seed}")
        # A return counts only while it waits for the seller's first answer (approve or
        # reject): one waiting for its package to arrive is not what the demo shows.
        waiting = {
            r.kind
            for r in self.aftersales.requests.values()
            if r.action and (r.kind != "return" or r.status == r.pending_status)
        }
        orders = sorted(self.book.orders.values(), key=lambda o: (o.update_time, o.id))
        if "return" not in waiting:
            delivered = [o for o in orders if o.status == "DELIVERED" and not self._has_request(o)]
            if delivered:
                order = own.choice(delivered[-10:])
                order.fate.return_type, order.fate.seller_rejects_return = (
                    "RETURN_AND_REFUND",
                    False,
                )
                self.aftersales.on_return_request(order, now)
        if "cancel" not in waiting:
            to_ship = [
                o
                for o in orders
                if o.status == "AWAITING_SHIPMENT"
                and o.fulfillment_type == "FULFILLMENT_BY_SELLER"
                and not self._has_request(o)
            ]
            if to_ship:
                self.aftersales.on_cancel_request(own.choice(to_ship[-10:]), now)

    def _has_request(self, order: Order) -> bool:
        return any(r.order_id == order.id for r in self.aftersales.requests.values())

    # -- Seller Center -----------------------------------------------------
    def ship_in_seller_center(self, order_id: str) -> dict[str, Any]:
        """Ship a seller-fulfilled order as the merchant would in Seller Center.

        Raises:
            KeyError: no such order.
            ValueError: the order is fulfilled by TikTok or not waiting to ship.
        """
        with self.lock:
            self.tick()
            order = self.book.orders.get(order_id)
            if order is None:
                raise KeyError(order_id)
            if order.fulfillment_type != "FULFILLMENT_BY_SELLER":
                raise ValueError(f"order {order_id} is fulfilled by TikTok")
            if order.status not in ("AWAITING_SHIPMENT", "PARTIALLY_SHIPPING"):
                raise ValueError(f"order {order_id} is {order.status}, not waiting to ship")
            auto_ship(self.book, order, self.clock.now_int(), self.rng)
            return shipped_view(self.book, order)

    # -- time --------------------------------------------------------------
    def tick(self) -> None:
        """Replay everything due up to the clock's now."""
        with self.lock:
            self._run_until(self.clock.now_int())

    def set_livestream(self, on: bool) -> None:
        """Turn livestream bursts (x20 arrivals) on or off from now."""
        with self.lock:
            self.tick()
            self.livestream = on
            self._next_arrival = self.clock.now() + self._gap()

    def bank_statement_csv(self) -> str:
        """The seller's bank statement (CSV): the payouts paid so far, booked a day later."""
        with self.lock:
            self.tick()
            return bank_statement(self.ledger.statements, self.clock.now_int())

    def set_order_rate(self, per_minute: float) -> None:
        """Change the mean arrival rate from now (0 stops new orders)."""
        with self.lock:
            self.tick()
            self.orders_per_minute = per_minute
            self._next_arrival = self.clock.now() + self._gap()

    def set_promotion(self, product_id: str, on: bool) -> bool:
        """Start or end a promotion on a listing: Update Price is refused while it runs."""
        with self.lock:
            product = next((p for p in self.products.products if p.id == product_id), None)
            if product is None:
                return False
            for sku in product.skus:
                sku.price_locked = on
            return True

    async def ticker(self, interval: float = 1.0) -> None:
        """A background task for ``BackgroundServers``: tick every ``interval`` seconds."""
        while True:
            self.tick()
            await asyncio.sleep(interval)

    def snapshot(self) -> dict[str, Any]:
        """A JSON-serialisable view of the whole shop, for tests and demo tooling."""
        with self.lock:
            self.tick()
            return snapshot(self)

    def status_counts(self) -> dict[str, int]:
        """How many orders are in each status."""
        with self.lock:
            return dict(Counter(o.status for o in self.book.orders.values()))

    def _gap(self) -> float:
        rate = self.orders_per_minute * (LIVESTREAM_FACTOR if self.livestream else 1)
        return self.rng.expovariate(rate / 60.0) if rate > 0 else float("inf")

    def _run_until(self, now: int) -> None:
        while True:
            arrival = self._next_arrival
            upcoming = self.scheduler.next_time()
            if arrival <= now and (upcoming is None or arrival < upcoming):
                self._arrive(int(arrival), historical=False)
                self._next_arrival = arrival + self._gap()
                continue
            event = self.scheduler.pop_due(now)
            if event is None:
                break
            self._dispatch(*event)
        self._now = max(self._now, now)
        self.products.advance(now)

    def _arrive(self, when: int, *, historical: bool) -> None:
        order = self.factory.make(when, historical=historical)
        if order is not None:
            self.book.add(order)

    def _dispatch(self, when: int, kind: str, ref: str) -> None:
        handlers: dict[str, Callable[[], None]] = {
            "order.arrive_historical": lambda: self._arrive(when, historical=True),
            "order.pay": lambda: self.book.on_pay(self._order(ref), when),
            "order.release": lambda: self.book.on_release(self._order(ref), when),
            "order.buyer_cancel": lambda: self.book.on_buyer_cancel(self._order(ref), when),
            "order.auto_ship": lambda: auto_ship(self.book, self._order(ref), when, self.rng),
            "order.deliver": lambda: self.book.on_deliver(self._order(ref), when),
            "order.complete": lambda: self.book.on_complete(self._order(ref), when),
            "order.return_request": lambda: self.aftersales.on_return_request(
                self._order(ref), when
            ),
            "cancel.request": lambda: self.aftersales.on_cancel_request(self._order(ref), when),
            "aftersales.deadline": lambda: self.aftersales.on_deadline(ref, when),
            "aftersales.buyer_shipped": lambda: self.aftersales.on_buyer_shipped(ref, when),
            "aftersales.refunded": lambda: self.aftersales.on_refunded(ref, when),
            "aftersales.seller_reject": lambda: self.aftersales.on_seller_reject_event(ref, when),
            "aftersales.arbitration": lambda: self.aftersales.on_arbitration(ref, when),
            "aftersales.buyer_answers_offer": lambda: self.aftersales.on_buyer_answers_offer(
                ref, when
            ),
            "finance.settle": lambda: self.ledger.settle(self._order(ref), when),
            "finance.close_day": lambda: self.ledger.close_day(when),
            "finance.paid": lambda: self.ledger.on_paid(ref, when),
            "finance.release_reserve": lambda: self.ledger.release_reserve(ref, when),
        }
        handlers[kind]()

    def _order(self, order_id: str) -> Order:
        return self.book.orders[order_id]

    def _on_delivered(self, order: Order, when: int) -> None:
        self.ledger.on_delivered(order, when)
        if order.fate.return_after is not None:
            self.scheduler.at(when + order.fate.return_after, "order.return_request", order.id)


def _token(rng: random.Random, alphabet: str, length: int) -> str:
    return "".join(rng.choice(alphabet) for _ in range(length))
