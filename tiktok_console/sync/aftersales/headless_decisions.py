"""``returns approve|reject`` and ``cancellations approve|reject`` as the headless CLI runs them.

Prints what the decision does before sending it, TikTok's reject reasons when a
rejection names none (or one TikTok does not offer for this request), and the
outcome. Exit status 0 when TikTok took the decision, 1 otherwise.
"""

from __future__ import annotations

import httpx

from tiktok_console.storage.accounts import load_accounts
from tiktok_console.stores.tiktok.api import TikTokShopApi
from tiktok_console.stores.tokens import TokenStore
from tiktok_console.sync.aftersales.decisions import (
    Decision,
    Kind,
    UnknownRequestError,
    consequence,
    decide,
    reject_reasons,
    request,
)
from tiktok_console.sync.aftersales.tiktok_calls import AftersalesCalls
from tiktok_console.sync.runtime import NotConnectedError
from tiktok_console.sync.sessions import Clocks, tiktok_session


async def run_decision(
    kind: Kind,
    verb: str,
    request_id: str,
    reason: str,
    note: str,
    token_store: TokenStore,
    evidence: tuple[str, ...] = (),
) -> int:
    """Approve or reject one request on TikTok; returns the exit status."""
    approve = verb == "approve"
    try:
        view = request(kind, request_id)
    except UnknownRequestError as error:
        print(f"error: {error}")
        return 1
    accounts = load_accounts()
    if "tiktok" not in accounts:
        raise NotConnectedError(["TikTok Shop"])
    async with httpx.AsyncClient(timeout=30) as http:
        api = TikTokShopApi(tiktok_session(accounts["tiktok"], token_store, http, Clocks()))
        calls = AftersalesCalls(api)
        if not approve:
            offered = await reject_reasons(calls, kind, request_id)
            if reason not in {r.code for r in offered}:
                print(f"Reject {kind.value} {request_id} with --reason CODE, one of:")
                for offer in offered:
                    print(f"  {offer.code}  {offer.text}")
                return 1
        print(consequence(view, approve))
        try:
            written = await decide(
                calls, Decision(kind, request_id, approve, reason, note, evidence)
            )
        except ValueError as refused:  # evidence TikTok would not take: nothing was sent
            print(f"error: {refused}")
            return 1
    if written.complete:
        print(f"{verb.capitalize()}d {kind.value} {request_id} on TikTok.")
        return 0
    detail = written.error.message if written.error else "no answer"
    print(f"error: TikTok did not take the decision: {detail}")
    return 1
