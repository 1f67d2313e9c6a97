"""Completed TikTok refunds mirrored to Shopify exactly once.

Each refunded return or cancellation becomes one ``refundCreate`` made
through the journal (``sync.journal``) with Shopify's ``@idempotent`` key set
to the TikTok request id, so a retry after a lost reply returns the first
refund instead of making a second. Before any retry the Shopify order is read
again: a refund whose note names the request is the one made before, and is
recorded instead of asked for anew. The plan (lines, money, restock) is
``domain.refund_plan``'s; this module only reads the order and writes.

A cancellation taking every unit left on the Shopify order is the orders
flow's (it cancels the Shopify order: restock, no money moved); it is
recorded here as ``order-cancel:<order>`` so it is not looked at again; a
request whose order never went to Shopify is recorded as ``none:order-not-in-shopify``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from typing import Any

from tiktok_console.domain.aftersales import CancellationView, ReturnView
from tiktok_console.domain.money import Money
from tiktok_console.domain.refund_plan import (
    GATEWAY,
    RefundPlan,
    SaleTransaction,
    ShopifyOrderFacts,
    ShopifyOrderLine,
    cancels_whole_order,
    plan_refund,
)
from tiktok_console.storage.activity import record_activity
from tiktok_console.storage.aftersales.requests import record_shopify_refund, refunds_to_mirror
from tiktok_console.storage.catalog.variants import mappings
from tiktok_console.storage.intents import PENDING as INTENT_PENDING
from tiktok_console.storage.intents import Intent, intent, pending_intents
from tiktok_console.storage.orders.tiktok_orders import SKIPPED, order_state
from tiktok_console.stores.errors import RequestRejectedError
from tiktok_console.stores.shopify.replies import OrderRefundables, RefundCreate
from tiktok_console.stores.shopify.replies.base import reject_user_errors
from tiktok_console.stores.shopify.replies.refunds import MadeRefund, RefundableOrder
from tiktok_console.stores.shopify.transport import ShopifyTransport
from tiktok_console.sync.journal import Absent, Found, journaled, resolve_pending

log = logging.getLogger(__name__)

JOB = "aftersales"
REFUND = "shopify.refundCreate"
ORDER_CANCEL_MARK = "order-cancel:"
NOT_IN_SHOPIFY = "none:order-not-in-shopify"


def refund_key(request_id: str) -> str:
    """The journal key of the refund mirroring a TikTok request."""
    return f"{REFUND}:{request_id}"


class RefundMirror:
    """Makes the Shopify refund of each refunded TikTok request, once."""

    def __init__(self, shopify: ShopifyTransport, now: Callable[[], datetime]) -> None:
        self._shopify = shopify
        self._now = now

    async def settle_pending(self) -> int:
        """Settle refunds whose outcome a crash or a lost reply hid, by reading the order."""

        async def look(pending: Intent) -> Found | Absent | None:
            order = await self._order(str(pending.payload["order"]))
            made = _made(order, str(pending.payload["note"])) if order else None
            if made is None:
                return Absent("no refund with this note on the Shopify order")
            return Found(lambda: self._recorded(pending.subject, made.id))

        return await resolve_pending(pending_intents(REFUND), look)

    async def mirror(self, limit: int) -> tuple[int, bool]:
        """Mirror up to ``limit`` refunded requests; returns (mirrored, more left)."""
        waiting = refunds_to_mirror(limit)
        mirrored = 0
        for view in waiting:
            if await self._mirror_one(view):
                mirrored += 1
        return mirrored, len(waiting) == limit and mirrored > 0

    async def _mirror_one(self, view: ReturnView | CancellationView) -> bool:
        request_id = _request_id(view)
        earlier = intent(refund_key(request_id))
        if earlier is not None and (earlier.refused or earlier.status == INTENT_PENDING):
            return False  # the merchant retries a refusal; a pending one is settled first
        state = order_state(view.order_id)
        if state is not None and state.sync_state == SKIPPED and not state.shopify_order_id:
            # The order never goes to Shopify (cancelled first, or not the console's to
            # make): nothing to mirror, and it must not hold up the refunds behind it.
            record_shopify_refund(request_id, NOT_IN_SHOPIFY, self._now())
            return True
        if state is None or not state.shopify_order_id:
            return False  # not in Shopify yet: looked at again next run
        order = await self._order(state.shopify_order_id)
        if order is None:
            return False
        facts = _facts(order)
        made = _made(order, _note(view))
        if made is not None:  # made before a lost reply or a rebuilt database
            self._recorded(request_id, made.id)
            return True
        if isinstance(view, CancellationView) and cancels_whole_order(view, facts):
            record_shopify_refund(request_id, ORDER_CANCEL_MARK + order.id, self._now())
            return True
        plan = plan_refund(view, facts)
        if plan.blocked:
            _warn(view, plan)
            return False
        if plan.problems:
            _warn(view, plan)
        written = await journaled(
            REFUND, refund_key(request_id), lambda: self._create(plan),
            settle=lambda refund_id: self._recorded(request_id, refund_id),
            subject=request_id, payload={"order": order.id, "note": plan.note},
            refused=lambda error: _refused(view, error), at=self._now(),
        )  # fmt: skip
        return written.complete

    async def _order(self, order_id: str) -> RefundableOrder | None:
        reply = await self._shopify.execute(OrderRefundables, {"id": order_id})
        return reply.order

    async def _create(self, plan: RefundPlan) -> str:
        reply = await self._shopify.execute(
            RefundCreate, {"input": refund_input(plan)}, idempotency_key=plan.idempotency_key
        )
        payload = reply.refund_create
        reject_user_errors(payload.user_errors)
        if payload.refund is None:
            raise RequestRejectedError("shopify", "NO_REFUND", "no refund made", "no refund made")
        return payload.refund.id

    def _recorded(self, request_id: str, refund_id: str) -> dict[str, str]:
        record_shopify_refund(request_id, refund_id, self._now())
        return {"refund": refund_id}


def refund_input(plan: RefundPlan) -> dict[str, Any]:
    """``RefundInput`` of a plan: recorded on the sale's (TikTok Shop) gateway as a refund
    of that sale (``parentId``), nobody notified. Without a sale, or with no money to
    refund, no transaction is sent: Shopify refuses a refund transaction with no parent."""
    lines = [
        {"lineItemId": line.line_item_id, "quantity": line.quantity,
         "restockType": line.restock_type.value}
        for line in plan.lines if line.quantity
    ]  # fmt: skip
    wire: dict[str, Any] = {
        "orderId": plan.shopify_order_id, "note": plan.note, "notify": False,
        "refundLineItems": lines,
    }  # fmt: skip
    if plan.parent_transaction_id is not None and plan.total.amount > 0:
        wire["transactions"] = [
            {"orderId": plan.shopify_order_id, "parentId": plan.parent_transaction_id,
             "kind": "REFUND", "gateway": plan.gateway, "amount": plan.total.to_wire()}
        ]  # fmt: skip
    if plan.shipping.amount:
        wire["shipping"] = {"amount": plan.shipping.to_wire()}
    return wire


def _facts(order: RefundableOrder) -> ShopifyOrderFacts:
    """The order as the refund plan reads it: each line named by its TikTok SKU."""
    sku_of = {m.shopify_variant_id: sku for sku, m in mappings().items()}
    currency = order.currency_code
    lines = []
    for line in order.line_items.nodes:
        unit = line.discounted_unit_price_set.shop_money.amount
        tax = sum((t.price_set.shop_money.amount for t in line.tax_lines), Decimal(0))
        per_unit = unit + (tax / line.quantity if line.quantity else Decimal(0))
        refundable = Money(per_unit * line.refundable_quantity, currency).rounded()
        sku = sku_of.get(line.variant.id, "") if line.variant else ""
        lines.append(
            ShopifyOrderLine(
                line.id, sku, line.refundable_quantity, refundable, line.unfulfilled_quantity
            )
        )
    shipping = Money(order.total_shipping_price_set.shop_money.amount, currency)
    return ShopifyOrderFacts(order.id, currency, tuple(lines), shipping, _sale(order))


def _sale(order: RefundableOrder) -> SaleTransaction | None:
    """The payment a refund refunds: the successful sale or capture, TikTok Shop's first."""
    paid = [
        t for t in order.transactions if t.kind in ("SALE", "CAPTURE") and t.status == "SUCCESS"
    ]
    paid.sort(key=lambda t: t.gateway != GATEWAY)
    return SaleTransaction(paid[0].id, paid[0].gateway) if paid else None


def _made(order: RefundableOrder, note: str) -> MadeRefund | None:
    return next((r for r in order.refunds if r.note == note), None)


def _request_id(view: ReturnView | CancellationView) -> str:
    return view.cancel_id if isinstance(view, CancellationView) else view.return_id


def _note(view: ReturnView | CancellationView) -> str:
    if isinstance(view, CancellationView):
        return f"TikTok cancellation {view.cancel_id}"
    return f"TikTok return {view.return_id}"


def _warn(view: ReturnView | CancellationView, plan: RefundPlan) -> None:
    what = "not mirrored" if plan.blocked else "mirrored with a difference"
    record_activity(
        JOB, "refund", f"{plan.note} {what}: " + "; ".join(plan.problems),
        level="warning", subject=view.order_id,
    )  # fmt: skip


def _refused(view: ReturnView | CancellationView, error: RequestRejectedError) -> None:
    record_activity(
        JOB, "refund", f"Shopify refused the refund of {_note(view)}: {error.store_message}",
        level="error", subject=view.order_id, retryable=True,
    )  # fmt: skip
