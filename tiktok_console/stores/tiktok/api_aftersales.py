"""Typed return and cancellation calls: search, decide (idempotently), reject reasons.

Searches use the current 202602 versions and Reject Return 202606 (which adds
the partial-refund offer after the package came back); approving and the
cancellation decisions are unchanged at 202309. Reject Return 202606 takes its
reason from Get Decision Eligibility (202601), or from Get Review Decision
(202606) for the partial refund; a cancellation's from Get Reject Reasons.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

from tiktok_console.stores.errors import RequestRejectedError
from tiktok_console.stores.tiktok.api_base import ApiBase, body_of
from tiktok_console.stores.tiktok.models.common import Empty
from tiktok_console.stores.tiktok.models.decisions import DecisionEligibility, ReviewDecision
from tiktok_console.stores.tiktok.models.returns import (
    PARTIAL_REFUND_OFFER,
    AftersaleEligibility,
    ApproveReturnRequest,
    Cancellation,
    CancellationPage,
    CancelLine,
    CreateCancellationRequest,
    CreatedCancellation,
    RejectReason,
    RejectReasonList,
    RejectRequest,
    Return,
    ReturnPage,
    ReturnRecord,
    ReturnRecords,
    SearchCancellationsRequest,
    SearchReturnsRequest,
)

_BASE = "/return_refund/202309"
SEARCH_RETURNS = "/return_refund/202602/returns/search"
SEARCH_CANCELLATIONS = "/return_refund/202602/cancellations/search"
APPROVE_RETURN = f"{_BASE}/returns/{{return_id}}/approve"
REJECT_RETURN = "/return_refund/202606/returns/{return_id}/reject"
APPROVE_CANCELLATION = f"{_BASE}/cancellations/{{cancel_id}}/approve"
REJECT_CANCELLATION = f"{_BASE}/cancellations/{{cancel_id}}/reject"
REJECT_REASONS = f"{_BASE}/reject_reasons"
RETURN_RECORDS = f"{_BASE}/returns/{{return_id}}/records"
DECISION_ELIGIBILITY = "/return_refund/202601/decision_eligibility"
REVIEW_DECISION = "/return_refund/202606/review_decision"
ELIGIBILITY = "/return_refund/202602/orders/{order_id}/aftersale_eligibility"
CANCEL_ORDER = "/return_refund/202602/cancellations"
MAX_IDEMPOTENCY_KEY = 255
# Reject Return's codes for a reason it does not take: unknown, or not for this decision.
REASON_REFUSED = frozenset({"25001014", "25001016", "25001057"})


class AftersalesApi(ApiBase):
    """Returns, refunds and cancellations (scope Return & Refund Basic)."""

    async def search_returns(
        self, filters: SearchReturnsRequest | None = None, *, page_size: int = 50
    ) -> AsyncIterator[Return]:
        """Every return matching ``filters`` (page size 10-50)."""
        pages = self._pages(
            ReturnPage, "POST", SEARCH_RETURNS, page_size=page_size, body=body_of(filters)
        )
        async for page in pages:
            for item in page.return_orders:
                yield item

    async def search_cancellations(
        self, filters: SearchCancellationsRequest | None = None, *, page_size: int = 50
    ) -> AsyncIterator[Cancellation]:
        """Every cancellation matching ``filters``."""
        pages = self._pages(
            CancellationPage,
            "POST",
            SEARCH_CANCELLATIONS,
            page_size=page_size,
            body=body_of(filters),
        )
        async for page in pages:
            for item in page.cancellations:
                yield item

    async def approve_return(
        self, return_id: str, request: ApproveReturnRequest, idempotency_key: str
    ) -> Empty:
        """Approve; the same key sent again is applied once (safe to retry)."""
        return await self._decide(APPROVE_RETURN, "return_id", return_id, request, idempotency_key)

    async def reject_return(
        self, return_id: str, request: RejectRequest, idempotency_key: str
    ) -> Empty:
        """Reject with a reason from ``decision_eligibility`` (``review_decision`` for
        the partial refund after receiving the package); applied once per key."""
        try:
            return await self._decide(
                REJECT_RETURN, "return_id", return_id, request, idempotency_key
            )
        except RequestRejectedError as refused:
            if refused.code not in REASON_REFUSED:
                raise
            source = "Get Review Decision" if request.decision == PARTIAL_REFUND_OFFER else (
                "Get Decision Eligibility"
            )  # fmt: skip
            raise RequestRejectedError(
                "tiktok",
                refused.code,
                f"the reason {request.reject_reason} is not one TikTok offers for this "
                f"return now ({request.decision}); pick one of the reasons listed for it "
                f"(TikTok says: {refused.store_message})",
                f"{refused.detail}; Reject Return 202606 takes a reason from {source}",
            ) from refused

    async def approve_cancellation(self, cancel_id: str, idempotency_key: str) -> Empty:
        """Accept the buyer's cancellation; applied once per key."""
        return await self._decide(
            APPROVE_CANCELLATION, "cancel_id", cancel_id, None, idempotency_key
        )

    async def reject_cancellation(
        self, cancel_id: str, request: RejectRequest, idempotency_key: str
    ) -> Empty:
        """Refuse the cancellation (the order is already packed, say); once per key."""
        return await self._decide(
            REJECT_CANCELLATION, "cancel_id", cancel_id, request, idempotency_key
        )

    async def reject_reasons(self, return_or_cancel_id: str | None = None) -> list[RejectReason]:
        """Get Reject Reasons (202309): a cancellation's rejection reasons.

        Reject Return 202606 does not take these: see ``decision_eligibility``.
        """
        query = {"return_or_cancel_id": return_or_cancel_id} if return_or_cancel_id else None
        result = await self._call(RejectReasonList, "GET", REJECT_REASONS, query=query)
        return result.reasons

    async def decision_eligibility(
        self, return_or_cancel_id: str, decisions: tuple[str, ...] = ()
    ) -> DecisionEligibility:
        """Which ``decisions`` (all, when none given) the request allows now, and the
        reasons each reject decision may give."""
        query = {"return_or_cancel_id": return_or_cancel_id}
        if decisions:
            query["check_decisions"] = ",".join(decisions)
        return await self._call(DecisionEligibility, "GET", DECISION_ELIGIBILITY, query=query)

    async def review_decision(
        self, seller_id: str, return_id: str, decisions: tuple[str, ...] = ()
    ) -> ReviewDecision:
        """Per returned line, the candidate decisions (the partial refund after receiving
        the package among them, with its amount band and reasons).

        ``seller_id`` is the shop's id from Get Authorized Shops.
        """
        query = {"seller_id": seller_id, "return_or_cancel_id": return_id}
        if decisions:
            query["check_decisions"] = ",".join(decisions)
        return await self._call(ReviewDecision, "GET", REVIEW_DECISION, query=query)

    async def return_records(self, return_id: str) -> list[ReturnRecord]:
        """Each change of a return: what happened, who did it, when."""
        result = await self._call(
            ReturnRecords, "GET", RETURN_RECORDS, path_params={"return_id": return_id}
        )
        return result.records

    async def aftersale_eligibility(
        self, order_id: str, request_types: tuple[str, ...] = ()
    ) -> AftersaleEligibility:
        """What the seller may start on an order (CANCEL, REFUND, RETURN_AND_REFUND)."""
        query = {"initiate_aftersale_user": "SELLER"}
        if request_types:
            query["request_types"] = ",".join(request_types)
        return await self._call(
            AftersaleEligibility,
            "GET",
            ELIGIBILITY,
            path_params={"order_id": order_id},
            query=query,
        )

    async def cancel_order(
        self, order_id: str, cancel_reason: str, line_ids: tuple[str, ...] = ()
    ) -> CreatedCancellation:
        """The seller cancels an order (the reason from ``aftersale_eligibility``).

        Not retried after an ambiguous failure: search the order's cancellations first.
        """
        lines = [CancelLine(order_line_item_id=i) for i in line_ids] or None
        request = CreateCancellationRequest(
            order_id=order_id, cancel_reason=cancel_reason, order_line_list=lines
        )
        return await self._call(
            CreatedCancellation,
            "POST",
            CANCEL_ORDER,
            body=body_of(request),
            safe_to_repeat=False,
        )

    async def _decide(
        self,
        template: str,
        id_name: str,
        request_id: str,
        request: ApproveReturnRequest | RejectRequest | None,
        idempotency_key: str,
    ) -> Empty:
        if not 0 < len(idempotency_key) <= MAX_IDEMPOTENCY_KEY:
            raise ValueError("idempotency_key must be 1-255 characters")
        return await self._call(
            Empty,
            "POST",
            template,
            path_params={id_name: request_id},
            query={"idempotency_key": idempotency_key},
            body=body_of(request),
        )
