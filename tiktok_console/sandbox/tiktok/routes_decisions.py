"""Get Decision Eligibility (202601) and Get Review Decision (202606).

Both tell a seller, before deciding, which decisions a return or cancellation
allows now and the reasons a rejection may give; Reject Return 202606 takes
only those reasons. Decision Eligibility answers one flat ``decisions`` list;
Review Decision answers per returned line and adds the partial refund after
receiving the package, with the amount band the seller may offer.
"""

from __future__ import annotations

from typing import Any

from tiktok_console.sandbox.tiktok.aftersales_request import Request
from tiktok_console.sandbox.tiktok.decision_reasons import (
    CANCEL_DECISIONS,
    ELIGIBILITY_DECISIONS,
    REVIEW_DECISIONS,
    evaluate,
)
from tiktok_console.sandbox.tiktok.errors import ApiError
from tiktok_console.sandbox.tiktok.routing import Call, Endpoint

ELIGIBILITY_VERSION = "202601"
REVIEW_VERSION = "202606"
# BCP-47 codes the current spec lists for `locale` (tiktok-current-versions.md §0).
LOCALES = frozenset(
    {
        "cs-CZ",
        "de-AT",
        "de-BE",
        "de-DE",
        "el-GR",
        "en-GB",
        "en-IE",
        "en-US",
        "es-ES",
        "es-MX",
        "fr-BE",
        "fr-FR",
        "hu-HU",
        "id-ID",
        "it-IT",
        "ja-JP",
        "ms-MY",
        "nl-BE",
        "nl-NL",
        "pl-PL",
        "pt-BR",
        "pt-PT",
        "th-TH",
        "vi-VN",
        "zh-CN",
    }
)
_INVALID = 25001001
_INVALID_TEXT = "An invalid request parameter was passed."


def decision_eligibility(call: Call) -> dict[str, Any]:
    """Each asked (or every supported) decision on the request, eligible or why not."""
    req = _request(call)
    asked = _asked(call, ELIGIBILITY_DECISIONS, req)
    currency = call.shop.currency
    return {"decisions": [evaluate(req, d).to_wire(currency) for d in asked]}


def review_decision(call: Call) -> dict[str, Any]:
    """The candidate decisions on each line of the request (the same on every line here)."""
    _seller(call)
    req = _request(call)
    asked = _asked(call, REVIEW_DECISIONS, req)
    currency = call.shop.currency
    decisions = [evaluate(req, d).to_wire(currency) for d in asked]
    lines = [
        # Assumption: line ids as Search Returns numbers them; no virtual bundles here.
        {"return_line_item_id": f"{req.id[:-3]}{n:03d}", "sub_return_line_item_id": "",
         "decisions": decisions}
        for n, _ in enumerate(req.line_ids)
    ]  # fmt: skip
    # Assumption: request_log_id is the envelope's request id's twin; no partial failures.
    return {"line_items": lines, "request_log_id": "", "errors": []}


def _request(call: Call) -> Request:
    request_id = call.query.get("return_or_cancel_id") or ""
    if not request_id:
        raise ApiError(_INVALID, f"{_INVALID_TEXT} return_or_cancel_id is required.")
    _locale(call)
    found = call.shop.aftersales.requests.get(request_id)
    if found is None:
        # Assumption: an id that is no return or cancellation of this shop gets the
        # not-found error Search/Reject answer with (neither page lists one).
        raise ApiError(25007006, "Order not found.")
    return found


def _asked(call: Call, supported: tuple[str, ...], req: Request) -> list[str]:
    raw = call.query.get("check_decisions") or ""
    if not raw:
        # Every supported decision for this kind of request, one result each.
        is_cancel = req.kind == "cancel"
        return [d for d in supported if (d in CANCEL_DECISIONS) == is_cancel]
    asked = [d.strip() for d in raw.split(",") if d.strip()]
    unknown = [d for d in asked if d not in supported]
    if unknown:
        raise ApiError(_INVALID, f"{_INVALID_TEXT} check_decisions: {', '.join(unknown)}")
    return list(dict.fromkeys(asked))


def _locale(call: Call) -> None:
    locales = [x.strip() for x in (call.query.get("locale") or "en-US").split(",")]
    if not all(x in LOCALES for x in locales):
        raise ApiError(_INVALID, f"{_INVALID_TEXT} locale")


def _seller(call: Call) -> None:
    # Get Review Decision requires seller_id (int): the shop's id from Get Authorized Shops.
    seller = call.query.get("seller_id") or ""
    if not seller.isdigit():
        raise ApiError(_INVALID, f"{_INVALID_TEXT} seller_id is required (an integer).")
    if seller != call.shop.shop_id:
        raise ApiError(25020005, "No permission to process this order")


_C = "return_refund"
ENDPOINTS = [
    Endpoint("GET", _C, (ELIGIBILITY_VERSION,), "decision_eligibility", decision_eligibility),
    Endpoint("GET", _C, (REVIEW_VERSION,), "review_decision", review_decision),
]
