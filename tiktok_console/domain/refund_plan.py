"""From a completed TikTok refund to the one Shopify refund that mirrors it.

TikTok holds the buyer's money, so the Shopify refund moves nothing real: it
is recorded on the "TikTok Shop" gateway so Shopify's revenue and stock tell
the truth. The plan says per Shopify line how many units and how much money,
how much shipping, and whether the units go back to stock: only when TikTok
confirms the parcel came back (a return) or the goods never left (a
cancellation), never for a refund where the buyer keeps the item. It never
refunds more than a line has left to refund; when it cannot match TikTok's
total it says why, instead of inventing money.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from tiktok_console.domain.aftersales import CancellationView, RequestLine, ReturnView
from tiktok_console.domain.money import Money, total

GATEWAY = "TikTok Shop"


class RestockType(StrEnum):
    """Shopify's ``RefundLineItemRestockType`` values the plan uses."""

    RETURN = "RETURN"  # the goods came back
    CANCEL = "CANCEL"  # the goods never left
    NO_RESTOCK = "NO_RESTOCK"


@dataclass(frozen=True)
class ShopifyOrderLine:
    """A Shopify line as it stands before this refund.

    Attributes:
        line_item_id: the Shopify line item (gid).
        tiktok_sku_id: the TikTok SKU the line was made from (one line per SKU).
        refundable_quantity: units not yet refunded.
        refundable: money not yet refunded on this line (tax included).
        unfulfilled_quantity: units Shopify has not shipped; None: none shipped.
    """

    line_item_id: str
    tiktok_sku_id: str
    refundable_quantity: int
    refundable: Money
    unfulfilled_quantity: int | None = None

    @property
    def unfulfilled(self) -> int:
        """Units still in the warehouse (all refundable ones when unknown)."""
        if self.unfulfilled_quantity is None:
            return self.refundable_quantity
        return min(self.unfulfilled_quantity, self.refundable_quantity)

    def restock_for(self, wanted: RestockType, quantity: int) -> RestockType:
        """The restock Shopify accepts for ``quantity`` units of this line.

        Shopify returns to stock only units it shipped (RETURN) and releases only
        units it has not (CANCEL): goods that came back but were never shipped in
        Shopify are released instead, and a cancellation of goods Shopify already
        shipped restocks nothing (the parcel is out; TikTok's return brings it back).
        """
        shipped = self.refundable_quantity - self.unfulfilled
        if wanted is RestockType.RETURN and quantity > shipped:
            return RestockType.CANCEL if quantity <= self.unfulfilled else RestockType.NO_RESTOCK
        if wanted is RestockType.CANCEL and quantity > self.unfulfilled:
            return RestockType.NO_RESTOCK
        return wanted


@dataclass(frozen=True)
class SaleTransaction:
    """The payment a refund transaction refunds: Shopify wants it as the refund's parent.

    Attributes:
        transaction_id: the successful SALE or CAPTURE (gid).
        gateway: its gateway; the refund is recorded on the same one.
    """

    transaction_id: str
    gateway: str


@dataclass(frozen=True)
class ShopifyOrderFacts:
    """The Shopify order a TikTok refund lands on.

    Attributes:
        order_id: the Shopify order (gid).
        currency: the order's currency.
        lines: its lines.
        shipping_refundable: shipping not yet refunded.
        sale: the order's payment, None when nothing was paid (a fully discounted order).
    """

    order_id: str
    currency: str
    lines: tuple[ShopifyOrderLine, ...]
    shipping_refundable: Money
    sale: SaleTransaction | None = None


@dataclass(frozen=True)
class PlannedLine:
    """One ``refundLineItems`` entry and the money it accounts for."""

    line_item_id: str
    quantity: int
    restock_type: RestockType
    amount: Money

    @property
    def restock_quantity(self) -> int:
        """Units that go back to stock."""
        return 0 if self.restock_type is RestockType.NO_RESTOCK else self.quantity


@dataclass(frozen=True)
class RefundPlan:
    """The Shopify refund to make (``refundCreate`` with ``@idempotent``).

    Attributes:
        shopify_order_id: the order refunded.
        idempotency_key: the TikTok return or cancellation id.
        note: names the TikTok request.
        gateway: where the refund is recorded (TikTok holds the money).
        lines: per Shopify line, units, restock and money.
        shipping: shipping refunded.
        tiktok_total: what TikTok refunded.
        parent_transaction_id: the sale the refund transaction refunds; None: no money
            moves in Shopify (nothing was paid there), only lines and stock.
        problems: why the plan's total differs from TikTok's, or why it cannot be made.
        blocked: the refund must not be made (nothing matches, currencies differ).
    """

    shopify_order_id: str
    idempotency_key: str
    note: str
    gateway: str
    lines: tuple[PlannedLine, ...]
    shipping: Money
    tiktok_total: Money
    parent_transaction_id: str | None = None
    problems: tuple[str, ...] = ()
    blocked: bool = False

    @property
    def total(self) -> Money:
        """The refund transaction's amount: the lines plus shipping."""
        return total([line.amount for line in self.lines], self.shipping.currency) + self.shipping

    @property
    def matches_tiktok(self) -> bool:
        """Shopify records exactly what TikTok refunded."""
        return self.tiktok_total.currency == self.shipping.currency and (
            self.total.rounded().amount == self.tiktok_total.rounded().amount
        )


def plan_refund(request: ReturnView | CancellationView, order: ShopifyOrderFacts) -> RefundPlan:
    """The Shopify refund mirroring a refunded TikTok request.

    Raises:
        ValueError: TikTok has not refunded this request (yet).
    """
    if not request.refunded:
        raise ValueError(f"TikTok has not refunded {_name(request)} (status {request.status})")
    key, note = _key_and_note(request)
    zero = Money.zero(order.currency)
    tiktok_total = request.refund.total if request.refund else _sum_lines(request.lines, zero)
    gateway = order.sale.gateway if order.sale else GATEWAY
    parent = order.sale.transaction_id if order.sale else None
    if tiktok_total.currency != order.currency:
        return RefundPlan(
            order.order_id, key, note, gateway, (), zero, tiktok_total, parent,
            (f"TikTok refunded in {tiktok_total.currency}, the Shopify order is in "
             f"{order.currency}",), blocked=True,
        )  # fmt: skip
    wanted_shipping = request.refund.shipping if request.refund else zero
    goods = _goods_by_sku(request, tiktok_total - wanted_shipping, order)
    planned, problems = _plan_lines(request, goods, order)
    shipping = min(wanted_shipping, order.shipping_refundable)
    if shipping < wanted_shipping:
        problems.append(f"{wanted_shipping - shipping} of shipping exceeds what is left to refund")
    plan = RefundPlan(
        order.order_id, key, note, gateway, tuple(planned), shipping, tiktok_total, parent
    )
    gap = tiktok_total - plan.total
    if gap.amount and not problems:
        problems.append(f"{gap} of TikTok's refund is in no Shopify line (fees TikTok refunds)")
    if parent is None and plan.total.amount > 0:
        # Shopify refuses a refund transaction without the payment it refunds.
        problems.append("the Shopify order has no payment: the refund moves no money there")
    blocked = not planned and not shipping.amount
    if blocked:
        problems.append("nothing on the Shopify order matches this refund")
    return RefundPlan(
        order.order_id, key, note, gateway, tuple(planned), shipping, tiktok_total, parent,
        tuple(problems), blocked,
    )  # fmt: skip


def _plan_lines(
    request: ReturnView | CancellationView, goods: dict[str, Money], order: ShopifyOrderFacts
) -> tuple[list[PlannedLine], list[str]]:
    """One entry per Shopify line the refund touches, capped at what the line has left.

    A SKU sold at several prices is several Shopify lines (``price_groups``): its
    units and money are taken from them in order, each line at most what it has left.
    """
    restock = _restock_type(request)
    units = Counter(line.sku_id for line in request.lines)
    by_sku: dict[str, list[ShopifyOrderLine]] = {}
    by_id = {line.line_item_id: line for line in order.lines}
    for line in order.lines:
        by_sku.setdefault(line.tiktok_sku_id, []).append(line)
    planned, problems = [], []
    for sku, amount in goods.items():
        lines = [line for line in by_sku.get(sku, []) if line.refundable_quantity]
        if not lines:
            problems.append(f"TikTok SKU {sku} ({amount}) is not on the Shopify order")
            continue
        taken, left_units, left = _spread(units[sku], amount, lines)
        planned += [
            PlannedLine(line_id, q, by_id[line_id].restock_for(restock, q), given)
            for line_id, q, given in taken
        ]
        if left_units:
            wanted = units[sku]
            problems.append(
                f"only {wanted - left_units} of {wanted} units of {sku} are left to refund"
            )
        if left.amount > 0:
            problems.append(f"{left} of SKU {sku} exceeds what is left on its line")
    return planned, problems


def _spread(
    units: int, amount: Money, lines: list[ShopifyOrderLine]
) -> tuple[list[tuple[str, int, Money]], int, Money]:
    """``units`` and ``amount`` taken from ``lines`` in order; returns what each gives,
    and the units and money no line had left."""
    taken = []
    for index, line in enumerate(lines):
        if units <= 0 and amount.amount <= 0:
            break
        quantity = min(units, line.refundable_quantity)
        last = index == len(lines) - 1 or units - quantity <= 0
        share = (
            amount
            if last
            else (line.refundable * quantity) * (Decimal(1) / line.refundable_quantity)
        )
        given = min(share.rounded(), line.refundable, amount)
        if quantity or given.amount:
            taken.append((line.line_item_id, quantity, given))
        units -= quantity
        amount = amount - given
    return taken, units, amount


def cancels_whole_order(request: CancellationView, order: ShopifyOrderFacts) -> bool:
    """Whether a cancellation takes every unit still on the Shopify order, none shipped.

    Such a cancellation is mirrored as the orders flow does today (cancel the
    Shopify order, restock, no money moved), not as a refund: both would
    restock twice. A partial cancellation, or one of an order Shopify already
    shipped (Shopify refuses to cancel an order with fulfillments), becomes a
    ``plan_refund``.
    """
    if any(line.unfulfilled < line.refundable_quantity for line in order.lines):
        return False
    units = Counter(line.sku_id for line in request.lines)
    left = {line.tiktok_sku_id: line.refundable_quantity for line in order.lines}
    return all(units.get(sku, 0) >= quantity for sku, quantity in left.items() if quantity)


def _restock_type(request: ReturnView | CancellationView) -> RestockType:
    if isinstance(request, CancellationView):
        # Cancelled goods never left; TikTok may say otherwise (202602).
        return (
            RestockType.NO_RESTOCK
            if request.should_replenish_stock is False
            else RestockType.CANCEL
        )
    return RestockType.RETURN if request.parcel_received else RestockType.NO_RESTOCK


def _goods_by_sku(
    request: ReturnView | CancellationView, goods: Money, order: ShopifyOrderFacts
) -> dict[str, Money]:
    """TikTok's goods refund per SKU: its own per-line figures, else split by what was paid."""
    zero = Money.zero(goods.currency)
    if request.lines and all(line.refund is not None for line in request.lines):
        per_sku: dict[str, Money] = {}
        for line in request.lines:
            assert line.refund is not None
            per_sku[line.sku_id] = per_sku.get(line.sku_id, zero) + line.refund.total
        return per_sku
    units = Counter(line.sku_id for line in request.lines)
    if not units:
        return {}
    weights = {sku: _unit_value(sku, order) * count for sku, count in units.items()}
    return _split(goods, weights)


def _unit_value(sku: str, order: ShopifyOrderFacts) -> Decimal:
    for line in order.lines:
        if line.tiktok_sku_id == sku and line.refundable_quantity:
            return line.refundable.amount / line.refundable_quantity
    return Decimal(1)


def _split(amount: Money, weights: dict[str, Decimal]) -> dict[str, Money]:
    """``amount`` in proportion to ``weights``, in whole minor units, summing exactly."""
    whole = sum(weights.values(), Decimal(0))
    skus = sorted(weights)
    shares: dict[str, Money] = {}
    left = amount
    for sku in skus[:-1]:
        part = amount * (weights[sku] / whole) if whole else amount * 0
        shares[sku] = part.rounded()
        left = left - shares[sku]
    shares[skus[-1]] = left
    return shares


def _sum_lines(lines: tuple[RequestLine, ...], zero: Money) -> Money:
    return total([line.refund.total for line in lines if line.refund], zero.currency)


def _key_and_note(request: ReturnView | CancellationView) -> tuple[str, str]:
    if isinstance(request, CancellationView):
        return request.cancel_id, f"TikTok cancellation {request.cancel_id}"
    return request.return_id, f"TikTok return {request.return_id}"


def _name(request: ReturnView | CancellationView) -> str:
    return _key_and_note(request)[1]


def restocks(plan: RefundPlan) -> dict[str, int]:
    """Units going back to stock per Shopify line (absent lines: none)."""
    return {
        line.line_item_id: line.restock_quantity for line in plan.lines if line.restock_quantity
    }
