"""Cancellations requested after payment, and returns/refunds after delivery.

Each request carries ``seller_next_action_response[{action, deadline}]``.
TikTok approves automatically when the seller lets a deadline pass; the
sandbox does the same as the clock passes it. Seller approve/reject calls
take an ``idempotency_key``: a replay returns the first result unchanged.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from tiktok_console.sandbox.tiktok.errors import ApiError
from tiktok_console.sandbox.tiktok.order_book import OrderBook
from tiktok_console.sandbox.tiktok.orders import LineItem, Order
from tiktok_console.sandbox.tiktok.schedule import Scheduler
from tiktok_console.sandbox.tiktok.wire import new_id

RESPOND_SECONDS = 48 * 3600  # Assumption: 48 h to answer a request (TikTok US policy page).
RECEIVE_SECONDS = 5 * 86400  # Assumption: 5 days to confirm a returned package.
ARBITRATION_SECONDS = 3 * 86400
REJECT_REASONS = [
    ("seller_reject_apply_product_has_been_packed", "The product has been packed"),
    (
        "seller_reject_apply_you_have_reached_an_agreement_with_the_buyer",
        "You have reached an agreement with the buyer",
    ),
    (
        "seller_reject_apply_package_has_not_exceeded_estimated_delivery_time",
        "The package has not exceeded the estimated delivery time",
    ),
]
_RETURN_REASONS = [
    ("ecom_order_delivered_refund_and_return_reason_wrong_size", "Wrong size"),
    ("ecom_order_delivered_refund_and_return_reason_damaged", "Item damaged"),
    ("ecom_order_delivered_refund_reason_not_received", "Package not received"),
]


@dataclass
class Request:
    """A cancellation or a return; ``kind`` tells them apart."""

    id: str
    kind: str  # "cancel" | "return"
    order_id: str
    type: str  # REQUEST_CANCEL_REFUND | REFUND | RETURN_AND_REFUND
    status: str
    reason: str
    reason_text: str
    create_time: int
    update_time: int
    line_ids: list[str]
    refund_total: Decimal
    refund_subtotal: Decimal
    refund_tax: Decimal
    action: str = ""
    deadline: int = 0
    stage: int = 0  # bumps on every step, so stale deadline events are ignored
    arbitration_status: str = ""
    arbitration_wins: bool = False
    tracking_number: str = ""
    history: list[str] = field(default_factory=list)


class AfterSales:
    """Every after-sales request of the shop, with its deadlines."""

    def __init__(
        self,
        rng: random.Random,
        scheduler: Scheduler,
        book: OrderBook,
        on_refunded: Callable[[Order, list[LineItem], int], None],
    ) -> None:
        self.requests: dict[str, Request] = {}
        self._rng = rng
        self._scheduler = scheduler
        self._book = book
        self._on_refunded = on_refunded
        self._decisions: dict[str, dict[str, Any]] = {}  # idempotency_key -> result

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
        if order.status != "DELIVERED":
            return
        lines = [li for li in order.line_items if not li.is_gift]
        lines = lines[: self._rng.randint(1, len(lines))]
        reason, text = self._rng.choice(_RETURN_REASONS)
        req = self._new("return", order, order.fate.return_type, reason, text, when, lines)
        req.status = "RETURN_OR_REFUND_REQUEST_PENDING"
        req.arbitration_wins = self._rng.random() < 0.5
        action = "SELLER_RESPOND_REFUND" if req.type == "REFUND" else "SELLER_RESPOND_RETURN"
        self._await(req, action, when, RESPOND_SECONDS)
        if order.fate.seller_rejects_return:
            self._scheduler.at(when + 86400, "aftersales.seller_reject", req.id)

    def on_deadline(self, ref: str, when: int) -> None:
        """A deadline passed: TikTok approves on the seller's behalf."""
        request_id, _, stage = ref.partition(":")
        req = self.requests.get(request_id)
        if req is None or str(req.stage) != stage or not req.action:
            return
        self._approve(req, when)

    def on_buyer_shipped(self, request_id: str, when: int) -> None:
        """The buyer sent the item back; the seller must confirm receipt."""
        req = self.requests[request_id]
        if req.status != "AWAITING_BUYER_SHIP":
            return
        req.status = "BUYER_SHIPPED_ITEM"
        req.tracking_number = "9400" + "".join(str(self._rng.randrange(10)) for _ in range(18))
        self._await(req, "SELLER_RESPOND_RECEIVE_PACKAGE", when, RECEIVE_SECONDS)

    def on_refunded(self, request_id: str, when: int) -> None:
        """The refund reached the buyer."""
        req = self.requests[request_id]
        if req.kind == "cancel":
            req.status = "CANCELLATION_REQUEST_COMPLETE"
        else:
            req.status = "RETURN_OR_REFUND_REQUEST_COMPLETE"
        self._touch(req, when)
        order = self._book.orders[req.order_id]
        lines = [li for li in order.line_items if li.id in req.line_ids]
        for li in lines:
            li.refunded = True
        order.touch(when)
        self._on_refunded(order, lines, when)

    def on_seller_reject_event(self, request_id: str, when: int) -> None:
        """A historical seller rejection (made in Seller Center), then arbitration."""
        req = self.requests[request_id]
        if req.action and req.kind == "return":
            self._reject(req, when)

    def on_arbitration(self, request_id: str, when: int) -> None:
        """The platform decides a disputed return."""
        req = self.requests[request_id]
        if req.arbitration_status != "IN_PROGRESS":
            return
        if req.arbitration_wins:
            req.arbitration_status = "SUPPORT_BUYER"
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
    ) -> dict[str, Any]:
        """Approve or reject; the same idempotency key replays the first result."""
        if key and key in self._decisions:
            return self._decisions[key]
        req = self.get(request_id, kind)
        if not req.action:
            raise ApiError(25011012, "reverse status cannot approve application")
        if approve:
            _check_decision(req, body.get("decision"), approve=True)
            self._approve(req, now)
        else:
            if kind == "return":
                _check_decision(req, body.get("decision"), approve=False)
            if body.get("reject_reason") not in {name for name, _ in REJECT_REASONS}:
                raise ApiError(
                    25001014,
                    "Unknown return reason. Please ensure you are passing a valid return reason.",
                )
            self._reject(req, now)
        result: dict[str, Any] = {}
        if key:
            self._decisions[key] = result
        return result

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
        elif req.status == "RETURN_OR_REFUND_REQUEST_PENDING" and req.type == "RETURN_AND_REFUND":
            req.status = "AWAITING_BUYER_SHIP"
            self._clear(req, when)
            self._scheduler.at(
                when + self._rng.randint(1, 3) * 86400, "aftersales.buyer_shipped", req.id
            )
        else:
            self._succeed(req, when)

    def _succeed(self, req: Request, when: int) -> None:
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
            req.status = "REFUND_OR_RETURN_REQUEST_REJECT"
            if self._rng.random() < 0.6:  # the buyer escalates to the platform
                req.arbitration_status = "IN_PROGRESS"
                self._scheduler.at(when + ARBITRATION_SECONDS, "aftersales.arbitration", req.id)
        self._clear(req, when)

    def _clear(self, req: Request, when: int) -> None:
        req.stage += 1
        req.action, req.deadline = "", 0
        self._touch(req, when)

    def _touch(self, req: Request, when: int) -> None:
        req.update_time = max(req.update_time, when)
        req.history.append(req.status)


def _check_decision(req: Request, decision: Any, *, approve: bool) -> None:
    if req.kind == "cancel":
        return
    if approve:
        wanted = {
            "SELLER_RESPOND_REFUND": "APPROVE_REFUND",
            "SELLER_RESPOND_RETURN": "APPROVE_RETURN",
            "SELLER_RESPOND_RECEIVE_PACKAGE": "APPROVE_RECEIVED_PACKAGE",
        }[req.action]
    else:
        wanted = {
            "SELLER_RESPOND_REFUND": "REJECT_REFUND",
            "SELLER_RESPOND_RETURN": "REJECT_RETURN",
            "SELLER_RESPOND_RECEIVE_PACKAGE": "REJECT_RECEIVED_PACKAGE",
        }[req.action]
    if decision != wanted:
        raise ApiError(25020003, "decision not match reverse status")
