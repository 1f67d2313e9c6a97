"""One after-sales request as the sandbox keeps it, and the checks a seller's decision must pass.

Apart from ``aftersales`` (which moves requests through their statuses and
deadlines) because the routes and the decision reasons (``decision_reasons``)
read the record too, and the checks (decision name, offered reject reason) are TikTok's error
rules, not steps of the flow.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from tiktok_console.sandbox.tiktok.errors import ApiError
from tiktok_console.sandbox.tiktok.evidence import Evidence
from tiktok_console.sandbox.tiktok.reason_catalog import KNOWN, LISTED

# (request, decision) -> the reason names a rejection with that decision may give now.
Offered = Callable[["Request", str], set[str]]
REJECT_REASONS = LISTED  # what Get Reject Reasons (202309) lists


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
    role: str = "BUYER"  # who asked: BUYER, or SELLER for Cancel Order
    partial_refund: Decimal | None = None  # the seller's offer, once made
    buyer_rejected_partial_refund: bool = False
    history: list[str] = field(default_factory=list)
    # (time, status, role): one record per change of status, for Get Return Records.
    records: list[tuple[int, str, str]] = field(default_factory=list)
    evidence: Evidence | None = None  # what the seller's rejection showed TikTok

    @property
    def pending_status(self) -> str:
        """The status of a return waiting for the seller's first answer."""
        if self.type == "REPLACEMENT":
            return "REPLACEMENT_REQUEST_PENDING"
        return "RETURN_OR_REFUND_REQUEST_PENDING"


def check_reason(req: Request, body: dict[str, Any], offered: Offered | None) -> None:
    """The reject reason must be one the seller was offered for this decision."""
    reason = body.get("reject_reason")
    if offered is None:
        allowed = {name for name, _ in REJECT_REASONS}
    else:
        allowed = offered(req, str(body.get("decision") or "REJECT_REQUEST_CANCEL"))
    if reason in allowed:
        return
    if isinstance(reason, str) and reason in KNOWN:
        # A reason TikTok knows, but not one offered for this decision now.
        raise ApiError(25001016, "reverse reason not match action type")
    raise ApiError(
        25001014, "Unknown return reason. Please ensure you are passing a valid return reason."
    )


def check_decision(req: Request, decision: Any, *, approve: bool) -> None:
    """A return's decision must name the step it answers (cancellations name none)."""
    if req.kind == "cancel":
        return
    if approve:
        wanted = {
            "SELLER_RESPOND_REFUND": "APPROVE_REFUND",
            "SELLER_RESPOND_RETURN": "APPROVE_RETURN",
            "SELLER_RESPOND_RECEIVE_PACKAGE": "APPROVE_RECEIVED_PACKAGE",
            "SELLER_RESPOND_REPLACEMENT": "APPROVE_REPLACEMENT",
        }[req.action]
    else:
        wanted = {
            "SELLER_RESPOND_REFUND": "REJECT_REFUND",
            "SELLER_RESPOND_RETURN": "REJECT_RETURN",
            "SELLER_RESPOND_RECEIVE_PACKAGE": "REJECT_RECEIVED_PACKAGE",
            "SELLER_RESPOND_REPLACEMENT": "REJECT_REPLACEMENT",
        }[req.action]
    if decision != wanted:
        raise ApiError(25020003, "decision not match reverse status")
