"""Cancellations requested after payment, and returns/refunds after delivery.

Each request carries ``seller_next_action_response[{action, deadline}]``.
TikTok approves automatically when the seller lets a deadline pass; the
sandbox does the same as the clock passes it. Seller approve/reject calls
take an ``idempotency_key``: a replay returns the first result unchanged.

Returns come in three kinds: refund only (the buyer keeps the item), return
and refund, and replacement (the item comes back and a new one goes out, no
money moves). Whatever comes back waits for the seller to confirm receipt
(``SELLER_RESPOND_RECEIVE_PACKAGE``); the seller may then refuse the package,
or (Reject Return 202606) offer a partial refund, which the buyer answers. A
rejection the buyer disputes goes to the platform's arbitration. The request
record and the checks on a seller's decision are in ``aftersales_request``.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from tiktok_console.sandbox.tiktok.aftersales_request import (
    Offered,
    Request,
    check_decision,
    check_reason,
)
from tiktok_console.sandbox.tiktok.errors import ApiError
from tiktok_console.sandbox.tiktok.evidence import checked_evidence
from tiktok_console.sandbox.tiktok.images import ImageBank
from tiktok_console.sandbox.tiktok.order_book import OrderBook
from tiktok_console.sandbox.tiktok.orders import LineItem, Order
from tiktok_console.sandbox.tiktok.schedule import Scheduler
from tiktok_console.sandbox.tiktok.wire import new_id

PARTIAL_OFFER = "OFFER_PARTIAL_REFUND_AFTER_RECEIVING_PKG"
ZERO = Decimal(0)
RESPOND_SECONDS = 48 * 3600  # Assumption: 48 h to answer a request (TikTok US policy page).
RECEIVE_SECONDS = 5 * 86400  # Assumption: 5 days to confirm a returned package.
ARBITRATION_SECONDS = 3 * 86400
BUYER_ANSWER_SECONDS = 86400  # Assumption: buyers answer a partial-refund offer within a day.
PHYSICAL = ("RETURN_AND_REFUND", "REPLACEMENT")
RETURN_REASONS = [
    ("ecom_order_delivered_refund_and_return_reason_wrong_size", "Wrong size"),
    ("ecom_order_delivered_refund_and_return_reason_damaged", "Item damaged"),
    ("ecom_order_delivered_refund_reason_not_received", "Package not received"),
]


class AfterSales:
    """Every after-sales request of the shop, with its deadlines."""

    def __init__(
        self,
        rng: random.Random,
        scheduler: Scheduler,
        book: OrderBook,
        on_refunded: Callable[[Order, list[LineItem], int, Decimal | None], None],
    ) -> None:
        self.requests: dict[str, Request] = {}
        self._rng = rng
        self._scheduler = scheduler
        self._book = book
        self._on_refunded = on_refunded
        self._decisions: dict[str, dict[str, Any]] = {}  # idempotency_key -> result
        self._actor = "SYSTEM"  # who makes the change being applied, for the records

    def of_kind(self, kind: str) -> list[Request]:
        """Cancellations or returns, oldest first."""
        return [r for r in self.requests.values() if r.kind == kind]

    def get(self, request_id: str, kind: str) -> Request:
        """The request or TikTok's "not found" error."""
        found = self.requests.get(request_id)
        if found is None or found.kind != kind:
            raise ApiError(25007006, "Order not found.")
        return found

    # -- buyer side events -------------------------------------------------
    def on_cancel_request(self, order: Order, when: int) -> None:
        """The buyer asks to cancel a paid order that has not shipped."""
        self._actor = "BUYER"
        if order.status != "AWAITING_SHIPMENT":
            return
        reason, text = (
            "ecom_order_to_ship_canceled_reason_created_by_mistakes",
            "Order created by mistake",
        )
        req = self._new(
            "cancel", order, "REQUEST_CANCEL_REFUND", reason, text, when, order.line_items
        )
        req.status = "CANCELLATION_REQUEST_PENDING"
        order.is_buyer_request_cancel, order.request_cancel_time = True, when
        order.touch(when)
        self._await(req, "SELLER_RESPOND_CANCEL", when, RESPOND_SECONDS)

    def on_return_request(self, order: Order, when: int) -> None:
        """The buyer asks for a refund (or return and refund) after delivery."""
        self._actor = "BUYER"
        if order.status != "DELIVERED":
            return
        lines = [li for li in order.line_items if not li.is_gift]
        lines = lines[: self._rng.randint(1, len(lines))]
        reason, text = self._rng.choice(RETURN_REASONS)
        req = self._new("return", order, order.fate.return_type, reason, text, when, lines)
        req.status = req.pending_status
        req.arbitration_wins = self._rng.random() < 0.5
        action = {
            "REFUND": "SELLER_RESPOND_REFUND",
            "REPLACEMENT": "SELLER_RESPOND_REPLACEMENT",
        }.get(req.type, "SELLER_RESPOND_RETURN")
        self._await(req, action, when, RESPOND_SECONDS)
        if order.fate.seller_rejects_return:
            self._scheduler.at(when + 86400, "aftersales.seller_reject", req.id)

    def seller_cancel(self, order: Order, reason: str, text: str, when: int) -> Request:
        """Cancel Order: the seller cancels a paid order that has not shipped; refund follows."""
        self._actor = "SELLER"
        req = self._new("cancel", order, "CANCEL", reason, text, when, order.line_items)
        req.role = "SELLER"
        self._book.cancel(order, when, "SELLER", text)
        req.status = "CANCELLATION_REQUEST_SUCCESS"
        self._touch(req, when)
        self._scheduler.at(when + 3600, "aftersales.refunded", req.id)
        return req

    def on_deadline(self, ref: str, when: int) -> None:
        """A deadline passed: TikTok approves on the seller's behalf."""
        self._actor = "SYSTEM"
        request_id, _, stage = ref.partition(":")
        req = self.requests.get(request_id)
        if req is None or str(req.stage) != stage or not req.action:
            return
        self._approve(req, when)

    def on_buyer_shipped(self, request_id: str, when: int) -> None:
        """The buyer sent the item back; the seller must confirm receipt."""
        self._actor = "BUYER"
        req = self.requests[request_id]
        if req.status != "AWAITING_BUYER_SHIP":
            return
        req.status = "BUYER_SHIPPED_ITEM"
        req.tracking_number = "9400" + "".join(str(self._rng.randrange(10)) for _ in range(18))
        self._await(req, "SELLER_RESPOND_RECEIVE_PACKAGE", when, RECEIVE_SECONDS)

    def on_buyer_answers_offer(self, request_id: str, when: int) -> None:
        """The buyer answers the seller's partial-refund offer (accepts, or disputes it)."""
        self._actor = "BUYER"
        req = self.requests[request_id]
        if req.status != "AWAITING_BUYER_RESPONSE" or req.partial_refund is None:
            return
        if req.arbitration_wins:  # the buyer wants all of it and asks the platform
            req.buyer_rejected_partial_refund = True
            req.status = "REJECT_RECEIVE_PACKAGE"
            self._dispute(req, when)
            return
        req.refund_total = req.refund_subtotal = req.partial_refund
        req.refund_tax = ZERO
        self._succeed(req, when)

    def on_refunded(self, request_id: str, when: int) -> None:
        """The refund reached the buyer (or, for a replacement, the new item went out)."""
        self._actor = "SYSTEM"
        req = self.requests[request_id]
        if req.type == "REPLACEMENT":
            req.status = "REPLACEMENT_REQUEST_COMPLETE"
            self._touch(req, when)
            return
        if req.kind == "cancel":
            req.status = "CANCELLATION_REQUEST_COMPLETE"
        else:
            req.status = "RETURN_OR_REFUND_REQUEST_COMPLETE"
        self._touch(req, when)
        order = self._book.orders[req.order_id]
        lines = [li for li in order.line_items if li.id in req.line_ids]
        order.touch(when)
        if req.partial_refund is not None:
            # A partial refund is money only: the units stay sold.
            self._on_refunded(order, [], when, req.partial_refund)
            return
        for li in lines:
            li.refunded = True
        self._on_refunded(order, lines, when, None)

    def on_seller_reject_event(self, request_id: str, when: int) -> None:
        """A historical seller rejection (made in Seller Center), then arbitration."""
        self._actor = "SELLER"
        req = self.requests[request_id]
        if req.action and req.kind == "return":
            self._reject(req, when)

    def on_arbitration(self, request_id: str, when: int) -> None:
        """The platform decides a disputed return."""
        self._actor = "OPERATOR"
        req = self.requests[request_id]
        if req.arbitration_status != "IN_PROGRESS":
            return
        if req.arbitration_wins:
            req.arbitration_status = "SUPPORT_BUYER"
            req.partial_refund = None  # the buyer gets the whole refund
            self._succeed(req, when)
        else:
            req.arbitration_status = "SUPPORT_SELLER"
            self._touch(req, when)

    # -- seller decisions --------------------------------------------------
    def decide(
        self,
        kind: str,
        request_id: str,
        approve: bool,
        body: dict[str, Any],
        key: str | None,
        now: int,
        *,
        partial_refunds: bool = False,
        currency: str = "",
        offered: Offered | None = None,
        images: ImageBank | None = None,
    ) -> dict[str, Any]:
        """Approve or reject; the same idempotency key replays the first result.

        Args:
            partial_refunds: the call's version lets the seller offer a partial
                refund after receiving the package (Reject Return 202606).
            images: the shop's uploads, which a return's rejection may show as
                evidence (``images`` by ``image_id``); without it, none is checked.
            currency: the shop's currency, which the offer must be in.
            offered: the reasons a rejection with a given decision may give now
                (Reject Return 202606 takes only those); without it, the listed
                Get Reject Reasons list.
        """
        if key and key in self._decisions:
            return self._decisions[key]
        self._actor = "SELLER"
        req = self.get(request_id, kind)
        if not req.action:
            raise ApiError(25011012, "reverse status cannot approve application")
        if approve:
            check_decision(req, body.get("decision"), approve=True)
            self._approve(req, now)
        elif body.get("decision") == PARTIAL_OFFER and partial_refunds:
            self._offer_partial_refund(req, body, currency, now, offered)
        else:
            if kind == "return":
                check_decision(req, body.get("decision"), approve=False)
            check_reason(req, body, offered)
            if kind == "return" and images is not None:
                req.evidence = checked_evidence(body, images)
            self._reject(req, now)
        result: dict[str, Any] = {}
        if key:
            self._decisions[key] = result
        return result

    def _offer_partial_refund(
        self,
        req: Request,
        body: dict[str, Any],
        currency: str,
        now: int,
        offered: Offered | None,
    ) -> None:
        if req.action != "SELLER_RESPOND_RECEIVE_PACKAGE" or req.type != "RETURN_AND_REFUND":
            raise ApiError(25020003, "decision not match reverse status")
        check_reason(req, body, offered)
        offer = body.get("partial_refund_amount")
        if not isinstance(offer, dict):
            raise ApiError(25001001, "partial_refund_amount is required for this decision.")
        try:
            amount = Decimal(str(offer.get("partial_refund_total")))
        except ArithmeticError:
            raise ApiError(25001001, "partial_refund_total must be a number.") from None
        if offer.get("currency") != currency:
            raise ApiError(25001001, "currency must be the return's currency.")
        if not amount.is_finite() or not ZERO < amount < req.refund_total:
            raise ApiError(25001001, "partial_refund_total must be above 0 and below the refund.")
        req.partial_refund = amount.quantize(Decimal("0.01"))
        req.status = "AWAITING_BUYER_RESPONSE"
        self._clear(req, now)
        self._scheduler.at(now + BUYER_ANSWER_SECONDS, "aftersales.buyer_answers_offer", req.id)

    # -- internals ---------------------------------------------------------
    def _new(
        self,
        kind: str,
        order: Order,
        type_: str,
        reason: str,
        text: str,
        when: int,
        lines: list[LineItem],
    ) -> Request:
        subtotal = sum((li.sale_price for li in lines), Decimal(0))
        tax = sum((li.tax for li in lines), Decimal(0))
        req = Request(
            new_id(self._rng, "40"),
            kind,
            order.id,
            type_,
            "",
            reason,
            text,
            when,
            when,
            [li.id for li in lines],
            subtotal + tax,
            subtotal,
            tax,
        )
        self.requests[req.id] = req
        return req

    def _await(self, req: Request, action: str, when: int, seconds: int) -> None:
        req.stage += 1
        req.action, req.deadline = action, when + seconds
        self._touch(req, when)
        self._scheduler.at(req.deadline, "aftersales.deadline", f"{req.id}:{req.stage}")

    def _approve(self, req: Request, when: int) -> None:
        if req.kind == "cancel":
            order = self._book.orders[req.order_id]
            self._book.cancel(order, when, "BUYER", req.reason_text)
            req.status = "CANCELLATION_REQUEST_SUCCESS"
            self._clear(req, when)
            self._scheduler.at(when + 3600, "aftersales.refunded", req.id)
        elif req.status == req.pending_status and req.type in PHYSICAL:
            req.status = "AWAITING_BUYER_SHIP"
            self._clear(req, when)
            self._scheduler.at(
                when + self._rng.randint(1, 3) * 86400, "aftersales.buyer_shipped", req.id
            )
        else:
            self._succeed(req, when)

    def _succeed(self, req: Request, when: int) -> None:
        if req.type == "REPLACEMENT":
            # The package came back; the new item goes out (no refund).
            req.status = "REPLACEMENT_REQUEST_COMPLETE"
            self._clear(req, when)
            return
        req.status = "RETURN_OR_REFUND_REQUEST_SUCCESS"
        self._clear(req, when)
        self._scheduler.at(when + self._rng.randint(1, 3) * 86400, "aftersales.refunded", req.id)

    def _reject(self, req: Request, when: int) -> None:
        if req.kind == "cancel":
            req.status = "CANCELLATION_REQUEST_CANCEL"
            order = self._book.orders[req.order_id]
            order.is_buyer_request_cancel = False
            order.touch(when)
        else:
            if req.action == "SELLER_RESPOND_RECEIVE_PACKAGE":
                req.status = "REJECT_RECEIVE_PACKAGE"
            elif req.type == "REPLACEMENT":
                req.status = "REPLACEMENT_REQUEST_REJECT"
            else:
                req.status = "REFUND_OR_RETURN_REQUEST_REJECT"
            if self._rng.random() < 0.6:  # the buyer escalates to the platform
                self._dispute(req, when)
                return
        self._clear(req, when)

    def _dispute(self, req: Request, when: int) -> None:
        req.arbitration_status = "IN_PROGRESS"
        self._clear(req, when)
        self._scheduler.at(when + ARBITRATION_SECONDS, "aftersales.arbitration", req.id)

    def _clear(self, req: Request, when: int) -> None:
        req.stage += 1
        req.action, req.deadline = "", 0
        self._touch(req, when)

    def _touch(self, req: Request, when: int) -> None:
        req.update_time = max(req.update_time, when)
        req.history.append(req.status)
        if not req.records or req.records[-1][1] != req.status:
            req.records.append((when, req.status, self._actor))
