"""The Deadlines page's approve and reject, as blocking calls for its long-work threads.

Each call opens its own HTTP client and event loop, so a worker thread can
make it; the decision itself is ``decisions.decide`` (journaled, idempotent).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

import httpx

from tiktok_console.storage.accounts import load_accounts
from tiktok_console.stores.tiktok.api import TikTokShopApi
from tiktok_console.stores.tokens import TokenStore
from tiktok_console.sync.aftersales.decisions import (
    SHIPPING_REJECTS_CANCEL,
    Decision,
    Kind,
    consequence,
    decide,
    request,
)
from tiktok_console.sync.aftersales.tiktok_calls import AftersalesCalls, Reason
from tiktok_console.sync.runtime import NotConnectedError
from tiktok_console.sync.sessions import Clocks, tiktok_session


@dataclass(frozen=True)
class DecisionPreview:
    """What the merchant is asked to confirm."""

    kind: Kind
    request_id: str
    approve: bool
    says: str  # what the decision does
    reasons: tuple[Reason, ...]  # TikTok's reject reasons (rejections only)


def calls_for(token_store: TokenStore, http: httpx.AsyncClient) -> AftersalesCalls:
    """The after-sales calls of the connected TikTok shop."""
    accounts = load_accounts()
    if "tiktok" not in accounts:
        raise NotConnectedError(["TikTok Shop"])
    return AftersalesCalls(
        TikTokShopApi(tiktok_session(accounts["tiktok"], token_store, http, Clocks()))
    )


def preview(token_store: TokenStore, kind: Kind, request_id: str, approve: bool) -> DecisionPreview:
    """What approving or rejecting does, with TikTok's reasons for a rejection (blocking)."""
    view = request(kind, request_id)
    says = consequence(view, approve)
    if kind is Kind.CANCELLATION and not approve:
        says += " " + SHIPPING_REJECTS_CANCEL.replace("rejects", "also rejects")
    reasons: tuple[Reason, ...] = ()
    if not approve:

        async def ask() -> list[Reason]:
            async with httpx.AsyncClient(timeout=30) as http:
                return await calls_for(token_store, http).reject_reasons(view)

        reasons = tuple(asyncio.run(ask()))
    return DecisionPreview(kind, request_id, approve, says, reasons)


def send(token_store: TokenStore, decision: Decision) -> str:
    """Send the decision (blocking); returns what happened, in the merchant's words.

    Raises:
        StoreError: TikTok refused or could not be reached (the message says which).
    """

    async def go() -> str:
        async with httpx.AsyncClient(timeout=30) as http:
            written = await decide(calls_for(token_store, http), decision)
        if written.error is not None:
            raise written.error
        verb = "Approved" if decision.approve else "Rejected"
        return f"{verb} {decision.kind.value} {decision.request_id} on TikTok."

    return asyncio.run(go())
