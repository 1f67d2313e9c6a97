"""Settlements, daily statements, payments, and the discrepancies planted in them.

An order settles ``settle_days`` after delivery. Settled transactions of one
UTC day go into that day's statement (``statement_time`` = the next 00:00
UTC). A refund completed after its order settled is settled later, as its
own transaction, so it lands in a later statement than the order. Each
statement is paid out by a payment that withholds a reserve.

Signs follow TikTok's statements: revenue positive, fees and shipping costs
negative, settlement = revenue + shipping cost + fees/taxes + adjustments.
Assumption (US local seller): referral fee 6% and transaction fee 2.9% of
revenue, affiliate commission 10% on creator-driven orders, TikTok Shipping
labels cost 7.50; reserves withhold 5% of each payment.

The reserve is a RESERVE transaction of the statement (COLLECTED, with its
estimated release time); RESERVE_DAYS later a RELEASED transaction gives it
back in that day's statement (Assumption: 30 days, as TikTok's reserve policy
holds funds for weeks).
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from tiktok_console.sandbox.tiktok.orders import LineItem, Order
from tiktok_console.sandbox.tiktok.schedule import Scheduler
from tiktok_console.sandbox.tiktok.wire import cents, new_id
from tiktok_console.sandbox.tiktok.wire import money as money_text

DAY = 86400
REFERRAL = Decimal("0.06")
TRANSACTION = Decimal("0.029")
AFFILIATE = Decimal("0.10")
LABEL_COST = Decimal("7.50")
RESERVE = Decimal("0.05")
RESERVE_DAYS = 30
ZERO = Decimal(0)


@dataclass
class SkuPart:
    """One SKU's share of a transaction."""

    sku_id: str
    sku_name: str
    product_name: str
    quantity: int
    subtotal: Decimal = ZERO
    seller_discount: Decimal = ZERO
    refund_subtotal: Decimal = ZERO
    seller_discount_refund: Decimal = ZERO
    platform_discount: Decimal = ZERO
    customer_payment: Decimal = ZERO
    customer_refund: Decimal = ZERO
    sales_tax: Decimal = ZERO
    actual_shipping: Decimal = ZERO
    customer_shipping: Decimal = ZERO
    platform_shipping_discount: Decimal = ZERO
    referral: Decimal = ZERO
    transaction: Decimal = ZERO
    affiliate: Decimal = ZERO

    @property
    def revenue(self) -> Decimal:
        """Net sales of the SKU."""
        return (
            self.subtotal
            + self.seller_discount
            + self.refund_subtotal
            + self.seller_discount_refund
        )

    @property
    def shipping_cost(self) -> Decimal:
        """Shipping money, signed."""
        return self.actual_shipping + self.customer_shipping + self.platform_shipping_discount

    @property
    def fee_tax(self) -> Decimal:
        """Fees, signed (negative)."""
        return self.referral + self.transaction + self.affiliate


@dataclass
class Transaction:
    """One line of a statement: an order settlement, a refund, or an adjustment."""

    id: str
    type: str  # ORDER | REFUND... | adjustment types
    settle_time: int
    currency: str
    order_id: str = ""
    order_create_time: int = 0
    parts: list[SkuPart] = field(default_factory=list)
    adjustment: Decimal = ZERO
    adjustment_id: str = ""
    statement_id: str = ""
    reserve: Decimal = ZERO  # withheld (negative) or released (positive)
    reserve_status: str = ""  # COLLECTED | RELEASED for RESERVE transactions
    release_time: int = 0  # when a COLLECTED reserve is (or was) to be released
    released: bool = False
    reserve_id: str = ""  # the collection both its RESERVE transactions name

    @property
    def revenue(self) -> Decimal:
        """Sum of the SKU revenues."""
        return sum((p.revenue for p in self.parts), ZERO)

    @property
    def shipping_cost(self) -> Decimal:
        """Sum of the SKU shipping costs."""
        return sum((p.shipping_cost for p in self.parts), ZERO)

    @property
    def fee_tax(self) -> Decimal:
        """Sum of the SKU fees."""
        return sum((p.fee_tax for p in self.parts), ZERO)

    @property
    def settlement(self) -> Decimal:
        """What the seller gets for this line."""
        return self.revenue + self.shipping_cost + self.fee_tax + self.adjustment


@dataclass
class Statement:
    """One day's statement and its payout."""

    id: str
    statement_time: int
    currency: str
    transactions: list[Transaction]
    payment_id: str
    payment_status: str = "PROCESSING"
    paid_time: int = 0

    def total(self, name: str) -> Decimal:
        """Sum of one transaction property over the statement."""
        return sum((getattr(t, name) for t in self.transactions), ZERO)

    @property
    def reserve(self) -> Decimal:
        """Withheld from (negative) or given back to (positive) the payout."""
        return self.total("reserve")


class Ledger:
    """Pending settlements, closed statements and their payments."""

    def __init__(
        self,
        rng: random.Random,
        scheduler: Scheduler,
        currency: str,
        settle_days: int,
        start: int,
        extra_discrepancies: int = 0,
    ) -> None:
        self._rng = rng
        self._scheduler = scheduler
        self.currency = currency
        self.settle_days = settle_days
        self.pending: list[Transaction] = []
        self.statements: list[Statement] = []
        self.by_order: dict[str, list[Transaction]] = defaultdict(list)
        self.settled_orders: set[str] = set()
        self.discrepancies: list[dict[str, Any]] = []
        self.reserves: dict[str, Transaction] = {}
        self._planted = {"orphan_adjustment": False, "short_settlement": False}
        # Beyond the two deliberate discrepancies, this many more settlements come short.
        self._extra_short = extra_discrepancies
        self._scheduler.at(_next_midnight(start), "finance.close_day")

    def on_delivered(self, order: Order, when: int) -> None:
        """Schedule the order's settlement."""
        self._scheduler.at(when + self.settle_days * DAY, "finance.settle", order.id)

    def settle(self, order: Order, when: int) -> None:
        """Settle a delivered order (units refunded before now are left out)."""
        if order.status == "CANCELLED" or order.id in self.settled_orders:
            return
        self.settled_orders.add(order.id)
        tx = Transaction(
            new_id(self._rng, "16"),
            "ORDER",
            when,
            self.currency,
            order.id,
            order.create_time,
            _order_parts(order),
        )
        if tx.settlement > 0 and not self._planted["short_settlement"]:
            self._planted["short_settlement"] = True
            # A deliberate discrepancy: settled short of what the order's money implies.
            self._settle_short(tx, Decimal("1.37"))
        elif tx.settlement > 1 and self._extra_short > 0:
            # Planted on request (--finance-discrepancies); amounts differ so each is told apart.
            self._extra_short -= 1
            self._settle_short(tx, Decimal("0.25") * (len(self.discrepancies) + 1))
        self._add(tx)

    def _settle_short(self, tx: Transaction, short: Decimal) -> None:
        tx.parts[0].actual_shipping -= short
        self.discrepancies.append(
            {
                "kind": "order_settled_short",
                "order_id": tx.order_id,
                "transaction_id": tx.id,
                "difference": money_text(-short),
            }
        )

    def on_refunded(
        self, order: Order, lines: list[LineItem], when: int, amount: Decimal | None = None
    ) -> None:
        """A refund of ``lines``, or of ``amount`` alone (a partial refund).

        Settled on its own when the order already settled; otherwise the order's
        settlement leaves the refunded units (or money) out.
        """
        if order.id not in self.settled_orders:
            if amount is not None:
                order.partial_refund += amount
            return
        parts = _refund_parts(order, lines) if amount is None else [_partial_part(order, amount)]
        self._add(
            Transaction(
                new_id(self._rng, "16"),
                "ORDER",
                when,
                self.currency,
                order.id,
                order.create_time,
                parts,
            )
        )

    def close_day(self, when: int) -> None:
        """Midnight UTC: yesterday's settled transactions become a statement."""
        self._scheduler.at(when + DAY, "finance.close_day")
        due = [t for t in self.pending if t.settle_time < when]
        if due and not self._planted["orphan_adjustment"]:
            self._planted["orphan_adjustment"] = True
            adj = Transaction(
                new_id(self._rng, "16"),
                "SHIPPING_FEE_ADJUSTMENT",
                when - 1,
                self.currency,
                adjustment=Decimal("-4.50"),
                adjustment_id=new_id(self._rng, "72"),
            )
            due.append(adj)
            self.discrepancies.append(
                {"kind": "adjustment_without_order", "transaction_id": adj.id, "amount": "-4.50"}
            )
        if not due:
            return
        self.pending = [t for t in self.pending if t.settle_time >= when]
        statement = Statement(
            new_id(self._rng, "72"), when, self.currency, due, new_id(self._rng, "34")
        )
        self._collect_reserve(statement, when)
        for tx in due:
            tx.statement_id = statement.id
        for entry in self.discrepancies:
            if entry.get("transaction_id") in {t.id for t in due}:
                entry["statement_id"] = statement.id
        self.statements.append(statement)
        self._scheduler.at(when + DAY, "finance.paid", statement.id)

    def _collect_reserve(self, statement: Statement, when: int) -> None:
        settled = statement.total("settlement")
        withheld = -cents(max(settled, ZERO) * RESERVE)
        if not withheld:
            return
        # Its own generator: the shop's draws stay as they were before reserves existed.
        own = random.Random(f"reserve:{statement.id}")
        collected = Transaction(
            new_id(own, "16"),
            "RESERVE",
            when - 1,
            self.currency,
            reserve=withheld,
            reserve_status="COLLECTED",
            release_time=when + RESERVE_DAYS * DAY,
        )
        collected.reserve_id = collected.id
        statement.transactions.append(collected)
        self.reserves[collected.id] = collected
        self._scheduler.at(collected.release_time, "finance.release_reserve", collected.id)

    def release_reserve(self, reserve_id: str, when: int) -> None:
        """A collected reserve comes back, in the statement of the day it is released."""
        collected = self.reserves[reserve_id]
        collected.released = True
        own = random.Random(f"release:{reserve_id}")
        self.pending.append(
            Transaction(
                new_id(own, "16"),
                "RESERVE",
                when,
                self.currency,
                reserve=-collected.reserve,
                reserve_status="RELEASED",
                release_time=when,
                reserve_id=reserve_id,
            )
        )

    def on_paid(self, statement_id: str, when: int) -> None:
        """The payout reached the seller's bank."""
        for statement in self.statements:
            if statement.id == statement_id:
                statement.payment_status, statement.paid_time = "PAID", when

    def _add(self, tx: Transaction) -> None:
        self.pending.append(tx)
        if tx.order_id:
            self.by_order[tx.order_id].append(tx)


def order_parts(order: Order) -> list[SkuPart]:
    """What the order would settle for today, SKU by SKU (refunded units left out)."""
    return _order_parts(order)


def _order_parts(order: Order) -> list[SkuPart]:
    parts: dict[str, SkuPart] = {}
    for li in order.line_items:
        if li.refunded:
            continue
        part = parts.setdefault(li.sku_id, SkuPart(li.sku_id, li.sku_name, li.product_name, 0))
        part.quantity += 1
        part.subtotal += li.original_price
        part.seller_discount -= li.seller_discount
        part.platform_discount += li.platform_discount
        part.customer_payment += li.sale_price + li.tax
        part.sales_tax += li.tax
    listed = list(parts.values()) or [SkuPart("", "", "", 0)]
    first = listed[0]
    # Assumption: a partial refund comes off the first SKU's sales (and its fees with it).
    first.refund_subtotal -= order.partial_refund
    first.customer_refund -= order.partial_refund
    paid_shipping = (
        order.shipping_fee - order.shipping_seller_discount - order.shipping_platform_discount
    )
    if order.option.tiktok_shipped:
        first.actual_shipping = -LABEL_COST
    first.customer_shipping = paid_shipping
    first.platform_shipping_discount = order.shipping_platform_discount
    for part in listed:
        base = part.revenue
        part.referral = -cents(base * REFERRAL)
        part.transaction = -cents(base * TRANSACTION)
        part.affiliate = -cents(base * AFFILIATE) if order.affiliate else ZERO
    return listed


def _partial_part(order: Order, amount: Decimal) -> SkuPart:
    """A partial refund settled after its order: money back, no units, its fees given back."""
    li = order.line_items[0]
    part = SkuPart(li.sku_id, li.sku_name, li.product_name, 0)
    part.refund_subtotal = part.customer_refund = -amount
    part.referral = -cents(part.revenue * REFERRAL)
    part.transaction = -cents(part.revenue * TRANSACTION)
    part.affiliate = -cents(part.revenue * AFFILIATE) if order.affiliate else ZERO
    return part


def _refund_parts(order: Order, lines: list[LineItem]) -> list[SkuPart]:
    parts: dict[str, SkuPart] = {}
    for li in lines:
        part = parts.setdefault(li.sku_id, SkuPart(li.sku_id, li.sku_name, li.product_name, 0))
        part.quantity += 1
        part.refund_subtotal -= li.original_price
        part.seller_discount_refund += li.seller_discount
        part.customer_refund -= li.sale_price + li.tax
    for part in parts.values():
        # Fees are given back on refunded sales (Assumption: no refund administration fee).
        base = part.revenue
        part.referral = -cents(base * REFERRAL)
        part.transaction = -cents(base * TRANSACTION)
        part.affiliate = -cents(base * AFFILIATE) if order.affiliate else ZERO
    return list(parts.values())


def _next_midnight(when: int) -> int:
    return (when // DAY + 1) * DAY
