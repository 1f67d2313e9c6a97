"""The merchant's answer to a return or a cancellation request, sent to TikTok once.

Each decision goes through the journal (``sync.journal``) under a key that
is also TikTok's ``idempotency_key``: clicking twice, or retrying after a lost
reply, applies it once. ``consequence`` says in words what the decision does
before it is made (the refund, who pays the return shipping), and a pending
cancellation warns that shipping the order rejects it.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from pathlib import Path

from tiktok_console.domain.aftersales import CancellationView, ReturnType, ReturnView
from tiktok_console.domain.evidence import evidence_problem
from tiktok_console.storage.activity import record_activity
from tiktok_console.storage.aftersales.requests import cancellation_view, return_view
from tiktok_console.storage.aftersales.tables import TikTokReturnRow
from tiktok_console.sync.aftersales.mirror import JOB
from tiktok_console.sync.aftersales.tiktok_calls import AftersalesCalls, Reason
from tiktok_console.sync.journal import Written, journaled

DECIDE = "tiktok.aftersalesDecision"
SHIPPING_REJECTS_CANCEL = (
    "Shipping this order rejects the buyer's cancellation request: answer it first."
)


class Kind(StrEnum):
    """What is decided on."""

    RETURN = "return"
    CANCELLATION = "cancellation"


class UnknownRequestError(LookupError):
    """The request is not in the console's database (run the after-sales sync first)."""


def request(kind: Kind, request_id: str) -> ReturnView | CancellationView:
    """The stored return or cancellation.

    Raises:
        UnknownRequestError: none with this id.
    """
    found = return_view(request_id) if kind is Kind.RETURN else cancellation_view(request_id)
    if found is None:
        raise UnknownRequestError(
            f"No {kind.value} {request_id} is known; run `tiktok-console sync --once "
            "--job aftersales` first."
        )
    return found


def consequence(view: ReturnView | CancellationView, approve: bool) -> str:
    """What the decision does, said before it is made."""
    amount = f" of {view.refund.total}" if view.refund else ""
    if isinstance(view, CancellationView):
        if approve:
            return f"Cancels order {view.order_id} and refunds the buyer{amount}."
        return f"Order {view.order_id} stays to be shipped; the buyer is not refunded."
    if not approve:
        return (
            f"Refuses the buyer's request on order {view.order_id}; the buyer may "
            "ask TikTok to decide (a dispute)."
        )
    if view.return_type is ReturnType.REFUND or view.can_buyer_keep_item:
        return f"Refunds the buyer{amount}; the buyer keeps the item."
    if any(a.action == "SELLER_RESPOND_RECEIVE_PACKAGE" for a in view.next_actions):
        return f"Confirms the parcel came back and refunds the buyer{amount}."
    return (
        f"The buyer sends the item back ({return_shipping_payer(view.return_id)} pays the "
        f"return shipping); the refund{amount} follows once the parcel arrives."
    )


def return_shipping_payer(return_id: str) -> str:
    """Who pays the return shipping, as TikTok's payload says ("TikTok" when unsaid)."""
    row = TikTokReturnRow.get_or_none(TikTokReturnRow.return_id == return_id)
    fees = json.loads(row.payload).get("shipping_fee_amount") or [] if row else []
    for fee in fees:
        for field, who in (("seller_paid_return_shipping_fee", "you"),
                           ("buyer_paid_return_shipping_fee", "the buyer"),
                           ("platform_paid_return_shipping_fee", "TikTok")):  # fmt: skip
            if _positive(fee.get(field)):
                return who
    return "TikTok"


@dataclass(frozen=True)
class Decision:
    """A decision to send."""

    kind: Kind
    request_id: str
    approve: bool
    reason: str = ""
    note: str = ""
    evidence: tuple[str, ...] = ()  # image files shown with a return's rejection

    @property
    def key(self) -> str:
        """The journal key and TikTok's idempotency key: one per request and answer."""
        return f"{self.kind.value}-{'approve' if self.approve else 'reject'}-{self.request_id}"


async def reject_reasons(calls: AftersalesCalls, kind: Kind, request_id: str) -> list[Reason]:
    """TikTok's reasons for rejecting this request."""
    return await calls.reject_reasons(request(kind, request_id))


async def decide(
    calls: AftersalesCalls,
    decision: Decision,
    now: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> Written[None]:
    """Send the decision through the journal.

    Raises:
        UnknownRequestError: the request is not stored.
        ValueError: a rejection without a reason, or nothing awaits a decision.
    """
    view = request(decision.kind, decision.request_id)
    if not decision.approve and not decision.reason:
        raise ValueError("a rejection needs one of TikTok's reasons (--reason CODE)")
    if not view.awaiting_seller:
        raise ValueError(f"TikTok waits for no decision on {decision.kind.value} "
                         f"{decision.request_id} (status {view.status})")  # fmt: skip
    files = _evidence_files(decision, view)

    async def send() -> None:
        if isinstance(view, ReturnView):
            if decision.approve:
                await calls.approve_return(view, decision.key)
            else:
                images = [await calls.upload_evidence(path) for path in files]
                await calls.reject_return(
                    view, decision.reason, decision.note, decision.key, images
                )
        elif decision.approve:
            await calls.approve_cancellation(view, decision.key)
        else:
            await calls.reject_cancellation(view, decision.reason, decision.note, decision.key)

    def settle(_: None) -> dict[str, str]:
        verb = "Approved" if decision.approve else "Rejected"
        record_activity(JOB, "decide", f"{verb} {decision.kind.value} {decision.request_id}",
                        subject=view.order_id, at=now())  # fmt: skip
        return {"decision": "approve" if decision.approve else "reject"}

    return await journaled(
        DECIDE, decision.key, send, settle=settle, subject=decision.request_id,
        payload={"reason": decision.reason, "note": decision.note,
                 "evidence": [path.name for path in files]}, at=now(),
    )  # fmt: skip


def _evidence_files(decision: Decision, view: ReturnView | CancellationView) -> list[Path]:
    """The decision's evidence files, checked before anything is sent.

    Raises:
        ValueError: evidence on anything but a return's rejection, a missing file,
            too many, or one TikTok does not take (the merchant's words).
    """
    if not decision.evidence:
        return []
    if decision.approve or not isinstance(view, ReturnView):
        raise ValueError("only a return's rejection can show TikTok evidence images")
    files = [Path(name) for name in decision.evidence]
    missing = [str(path) for path in files if not path.is_file()]
    if missing:
        raise ValueError(f"no such image file: {', '.join(missing)}")
    problem = evidence_problem([(str(path), path.stat().st_size) for path in files])
    if problem is not None:
        raise ValueError(problem)
    return files


def _positive(value: object) -> bool:
    try:
        return Decimal(str(value)) > 0
    except InvalidOperation:
        return False
