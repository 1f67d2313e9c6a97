"""Every TikTok after-sales call the console makes, in one place.

The after-sales job, the console's decisions and the headless commands reach
TikTok only through here, so moving the client to another API version
(return_refund 202602) touches this module and ``convert``, nothing else.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from tiktok_console.domain.aftersales import CancellationView, ReturnView
from tiktok_console.domain.evidence import mime_type
from tiktok_console.stores.errors import RequestRejectedError
from tiktok_console.stores.tiktok.api import TikTokShopApi
from tiktok_console.stores.tiktok.api_aftersales_sorted import SortedAftersalesApi
from tiktok_console.stores.tiktok.models.returns import (
    DECISION_FOR_ACTION,
    ApproveReturnRequest,
    EvidenceImage,
    RejectRequest,
    SearchCancellationsRequest,
    SearchReturnsRequest,
)
from tiktok_console.sync.aftersales.convert import cancellation_view, return_view

PAGE = 50
EVIDENCE_USE_CASE = "DESCRIPTION_IMAGE"  # the docs name no use case for evidence images
# A return's reject decision, by what TikTok waits for.
REJECT_FOR_ACTION = {
    "SELLER_RESPOND_REFUND": "REJECT_REFUND",
    "SELLER_RESPOND_RETURN": "REJECT_RETURN",
    "SELLER_RESPOND_RECEIVE_PACKAGE": "REJECT_RECEIVED_PACKAGE",
    "SELLER_RESPOND_REPLACEMENT": "REJECT_REPLACEMENT",
}


@dataclass(frozen=True)
class Reason:
    """A reason TikTok accepts to reject one request."""

    code: str
    text: str


class AftersalesCalls:
    """The after-sales calls of one shop."""

    def __init__(self, api: TikTokShopApi) -> None:
        self._api = api
        self._sorted = SortedAftersalesApi(api.transport)

    async def returns_since(self, since: datetime | None) -> list[tuple[ReturnView, str]]:
        """The first page of returns changed at or after ``since``, oldest change first,
        each with TikTok's JSON of it."""
        page = await self._sorted.returns_changed_since(since, page_size=PAGE)
        return [(return_view(item), item.model_dump_json()) for item in page.return_orders]

    async def cancellations_since(
        self, since: datetime | None
    ) -> list[tuple[CancellationView, str]]:
        """The first page of cancellations changed at or after ``since``, oldest first."""
        page = await self._sorted.cancellations_changed_since(since, page_size=PAGE)
        return [(cancellation_view(item), item.model_dump_json()) for item in page.cancellations]

    async def returns_in_second(self, second: datetime) -> list[tuple[ReturnView, str]]:
        """Every return changed within one second (more than a page of them), by page token."""
        filters = SearchReturnsRequest(
            update_time_ge=second, update_time_lt=second + timedelta(seconds=1)
        )
        return [(return_view(item), item.model_dump_json())
                async for item in self._api.search_returns(filters, page_size=PAGE)]  # fmt: skip

    async def cancellations_in_second(self, second: datetime) -> list[tuple[CancellationView, str]]:
        """Every cancellation changed within one second, by page token."""
        filters = SearchCancellationsRequest(
            update_time_ge=second, update_time_lt=second + timedelta(seconds=1)
        )
        found = self._api.search_cancellations(filters, page_size=PAGE)
        return [(cancellation_view(item), item.model_dump_json()) async for item in found]

    async def reject_reasons(self, view: ReturnView | CancellationView) -> list[Reason]:
        """TikTok's reasons for rejecting this request now.

        A return's come from Get Decision Eligibility, for the reject decision
        ``reject_return`` sends (Reject Return 202606 takes no other); a
        cancellation's from Get Reject Reasons.

        Raises:
            RequestRejectedError: TikTok no longer lets the seller reject the return.
        """
        if isinstance(view, CancellationView):
            found = await self._api.reject_reasons(view.cancel_id)
            return [Reason(r.name, r.text) for r in found]
        decision = REJECT_FOR_ACTION[_action(view)]
        verdict = (await self._api.decision_eligibility(view.return_id, (decision,))).verdict(
            decision
        )
        if verdict is None or not verdict.eligible:
            code, why = (verdict.ineligible_code, verdict.ineligible_reason) if verdict else (0, "")
            raise RequestRejectedError("tiktok", str(code), why or f"{decision} is not eligible")
        return [Reason(r.name, r.text) for r in verdict.available_reject_reasons]

    async def approve_return(self, view: ReturnView, key: str) -> None:
        """Approve what the return waits for (refund, return, received parcel...)."""
        decision = DECISION_FOR_ACTION[_action(view)]
        await self._api.approve_return(view.return_id, ApproveReturnRequest(decision=decision), key)

    async def upload_evidence(self, path: Path) -> EvidenceImage:
        """Upload one image to show with a rejection (Upload Product Image: the one image
        upload the docs name; not a main image, so no 300 px minimum applies)."""
        mime = mime_type(path.name) or "application/octet-stream"
        data = await asyncio.to_thread(path.read_bytes)  # a file of up to 5 MB
        uploaded = await self._api.upload_image(
            data, use_case=EVIDENCE_USE_CASE, filename=path.name, content_type=mime
        )
        return EvidenceImage(
            image_id=uploaded.uri, mime_type=mime, height=uploaded.height, width=uploaded.width
        )

    async def reject_return(
        self,
        view: ReturnView,
        reason: str,
        note: str,
        key: str,
        images: Sequence[EvidenceImage] = (),
    ) -> None:
        """Reject what the return waits for, with one of TikTok's reasons and evidence."""
        request = RejectRequest(
            reject_reason=reason, decision=REJECT_FOR_ACTION[_action(view)], comment=note or None,
            images=list(images) or None,
        )  # fmt: skip
        await self._api.reject_return(view.return_id, request, key)

    async def approve_cancellation(self, view: CancellationView, key: str) -> None:
        """Accept the buyer's cancellation."""
        await self._api.approve_cancellation(view.cancel_id, key)

    async def reject_cancellation(
        self, view: CancellationView, reason: str, note: str, key: str
    ) -> None:
        """Refuse the buyer's cancellation."""
        request = RejectRequest(reject_reason=reason, comment=note or None)
        await self._api.reject_cancellation(view.cancel_id, request, key)


def _action(view: ReturnView) -> str:
    for action in view.next_actions:
        if action.action in DECISION_FOR_ACTION:
            return action.action
    raise ValueError(f"TikTok waits for no decision on return {view.return_id}")
