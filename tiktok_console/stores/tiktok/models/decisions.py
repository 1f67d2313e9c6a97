"""What a seller may decide on a return or cancellation now, and with which reasons.

Reject Return 202606 takes a ``reject_reason`` from Get Decision Eligibility
(202601) for ordinary reject decisions, and from Get Review Decision (202606)
for the partial refund after receiving the package
(tiktok-current-versions.md §2.4). Both answer per decision: eligible or not
(with TikTok's code and reason), and the reasons a rejection may give.
"""

from __future__ import annotations

from pydantic import Field

from tiktok_console.stores.tiktok.models.common import Amount, IdStr, Priced, TikTokModel
from tiktok_console.stores.tiktok.models.returns import RejectReason


class PartialRefundRange(Priced):
    """The band a partial refund after receiving the package must fall in."""

    min_amount: Amount
    max_amount: Amount


class DecisionVerdict(TikTokModel):
    """One decision evaluated for one request (or one line of it)."""

    decision: str
    eligible: bool = False
    ineligible_code: int = 0
    ineligible_reason: str = ""
    available_reject_reasons: list[RejectReason] = Field(default_factory=list)
    # Get Review Decision only, for an eligible OFFER_PARTIAL_REFUND_AFTER_RECEIVING_PKG.
    partial_refund_amount_range: PartialRefundRange | None = None


class DecisionEligibility(TikTokModel):
    """Get Decision Eligibility (202601): one verdict per decision asked."""

    decisions: list[DecisionVerdict] = Field(default_factory=list)

    def verdict(self, decision: str) -> DecisionVerdict | None:
        """The verdict on ``decision``, if TikTok gave one."""
        return next((d for d in self.decisions if d.decision == decision), None)


class ReviewLine(TikTokModel):
    """The candidate decisions on one returned line."""

    return_line_item_id: IdStr = ""
    sub_return_line_item_id: IdStr = ""
    decisions: list[DecisionVerdict] = Field(default_factory=list)


class ReviewError(TikTokModel):
    """A part of the request that failed while the call as a whole succeeded."""

    code: IdStr = ""  # a string in the spec's sample ("98001004")
    message: str = ""


class ReviewDecision(TikTokModel):
    """Get Review Decision (202606): verdicts per line, and partial failures."""

    line_items: list[ReviewLine] = Field(default_factory=list)
    request_log_id: str = ""
    errors: list[ReviewError] = Field(default_factory=list)
