"""Which seller decisions a return or cancellation allows now, and with which reasons.

Get Decision Eligibility (202601) and Get Review Decision (202606) both answer
from here, and Reject Return 202606 refuses a ``reject_reason`` that the
matching one would not offer: the reason list depends on the decision, and the
decision on what TikTok waits for (``seller_next_action_response``).

The reasons themselves are in ``reason_catalog``.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from tiktok_console.sandbox.tiktok.aftersales import PARTIAL_OFFER
from tiktok_console.sandbox.tiktok.aftersales_request import Request
from tiktok_console.sandbox.tiktok.reason_catalog import (
    CANCEL,
    PARCEL,
    PARTIAL,
    REFUND_ONLY,
    REQUEST,
)
from tiktok_console.sandbox.tiktok.wire import money

# Reject decision -> (the action it answers, its reasons).
REJECTS: dict[str, tuple[str, list[tuple[str, str]]]] = {
    "REJECT_REQUEST_CANCEL": ("SELLER_RESPOND_CANCEL", CANCEL),
    "REJECT_REFUND": ("SELLER_RESPOND_REFUND", REFUND_ONLY),
    "REJECT_RETURN": ("SELLER_RESPOND_RETURN", REQUEST),
    "REJECT_REPLACEMENT": ("SELLER_RESPOND_REPLACEMENT", REQUEST),
    "REJECT_RECEIVED_PACKAGE": ("SELLER_RESPOND_RECEIVE_PACKAGE", PARCEL),
    PARTIAL_OFFER: ("SELLER_RESPOND_RECEIVE_PACKAGE", PARTIAL),
}
APPROVES = {
    "APPROVE_REQUEST_CANCEL": "SELLER_RESPOND_CANCEL",
    "APPROVE_REFUND": "SELLER_RESPOND_REFUND",
    "APPROVE_RETURN": "SELLER_RESPOND_RETURN",
    "APPROVE_REPLACEMENT": "SELLER_RESPOND_REPLACEMENT",
    "APPROVE_RECEIVED_PACKAGE": "SELLER_RESPOND_RECEIVE_PACKAGE",
}
# Assumption: the sandbox has no replacement refunds, direct refunds or exchanges, so
# these are evaluated and never eligible.
NEVER = ("ISSUE_REPLACEMENT_REFUND", "DIRECT_REFUND", "ISSUE_EXCHANGE_REFUND")
# The decisions each endpoint evaluates (its documented check_decisions values).
ELIGIBILITY_DECISIONS = (
    *APPROVES,
    "ISSUE_REPLACEMENT_REFUND",
    "DIRECT_REFUND",
    *(d for d in REJECTS if d != PARTIAL_OFFER),
)
REVIEW_DECISIONS = (*ELIGIBILITY_DECISIONS, "ISSUE_EXCHANGE_REFUND", PARTIAL_OFFER)
CANCEL_DECISIONS = ("APPROVE_REQUEST_CANCEL", "REJECT_REQUEST_CANCEL")
TRANSFERRED = "request has been transferred to platform operator"


@dataclass(frozen=True)
class Verdict:
    """One decision evaluated against one request."""

    decision: str
    eligible: bool
    code: int = 0
    reason: str = ""
    reject_reasons: tuple[tuple[str, str], ...] = ()
    partial_range: tuple[Decimal, Decimal] | None = None

    def to_wire(self, currency: str) -> dict[str, Any]:
        """The ``decisions[]`` entry both endpoints answer with."""
        wire: dict[str, Any] = {
            "decision": self.decision,
            "eligible": self.eligible,
            "available_reject_reasons": [{"name": n, "text": t} for n, t in self.reject_reasons],
        }
        if not self.eligible:
            # Assumption: the ineligible fields are sent only for an ineligible decision.
            wire["ineligible_code"], wire["ineligible_reason"] = self.code, self.reason
        if self.partial_range is not None:
            low, high = self.partial_range
            wire["partial_refund_amount_range"] = {
                "min_amount": money(low),
                "max_amount": money(high),
                "currency": currency,
            }
        return wire


def evaluate(req: Request, decision: str) -> Verdict:
    """Whether the seller may make ``decision`` on ``req`` now, and with which reasons."""
    if decision in NEVER:
        return Verdict(decision, False, 25001003, "Invalid order status.")
    if (decision in CANCEL_DECISIONS) != (req.kind == "cancel"):
        return Verdict(decision, False, 25020004, "decision not match reverse type")
    if req.arbitration_status == "IN_PROGRESS":
        return Verdict(decision, False, 25011010, TRANSFERRED)
    if decision in APPROVES:
        if not req.action:
            return Verdict(decision, False, 25011012, "reverse status cannot approve application")
        if APPROVES[decision] != req.action:
            return Verdict(decision, False, 25020003, "decision not match reverse status")
        return Verdict(decision, True)
    return _reject(req, decision)


def _reject(req: Request, decision: str) -> Verdict:
    action, reasons = REJECTS[decision]
    if not req.action:
        return Verdict(decision, False, 25011011, "reverse status cannot reject application")
    if action != req.action:
        return Verdict(decision, False, 25020003, "decision not match reverse status")
    if decision != PARTIAL_OFFER:
        return Verdict(decision, True, reject_reasons=tuple(reasons))
    if req.type != "RETURN_AND_REFUND":
        return Verdict(decision, False, 25005020, "reverse amount not support partial refund")
    # Assumption: any amount above zero and below the whole refund, as Reject Return 202606
    # takes it (the offer is for the whole return, whatever its number of lines).
    top = req.refund_total - Decimal("0.01")
    band = (Decimal("0.01"), top)
    return Verdict(decision, True, reject_reasons=tuple(reasons), partial_range=band)


def offered(req: Request, decision: str) -> set[str]:
    """The reason names a rejection with ``decision`` may give now (none if not eligible)."""
    verdict = evaluate(req, decision) if decision in REJECTS else None
    return {name for name, _ in verdict.reject_reasons} if verdict and verdict.eligible else set()
