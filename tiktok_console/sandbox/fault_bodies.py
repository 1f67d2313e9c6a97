"""What an injected fault looks like on the wire, in each store's own dialect.

A client's error handling keys on the exact status codes, headers and bodies
the real stores send, so a 429 from the simulated Shopify must look like
Shopify's 429 and a 5xx from the simulated TikTok Shop must carry TikTok's
envelope. Keeping the shapes here lets ``faults.py`` stay about *when* to
fail, and this file about *how* the failure reads.
"""

from __future__ import annotations

import json
import random
import time
from dataclasses import dataclass
from typing import Literal

StoreKind = Literal["shopify", "tiktok"]

# Common error codes (README A4, TikTok "common errors").
TIKTOK_TOO_MANY_REQUESTS = 36009002
TIKTOK_INTERNAL_ERROR = 36009003
TIKTOK_TIMEOUT = 36009007

# Message of 36009003 as the endpoint specs print it.
_TIKTOK_INTERNAL_MESSAGE = (
    "Internal error. Please try again. If the issue persists after multiple attempts, "
    "please contact platform support."
)
# Assumption: the specs name 36009002 "Too many requests" without its full message text.
_TIKTOK_THROTTLED_MESSAGE = "Too many requests. Please try again later."
# Assumption: 36009007 is listed as "timeout"; the exact message is not in the sources.
_TIKTOK_TIMEOUT_MESSAGE = "Request timeout. Please try again later."

# The REST-era message Shopify sends with HTTP 429 (named in the brief for this sandbox).
_SHOPIFY_THROTTLED = (
    "Exceeded 2 calls per second for api client. Reduce request rates to resume "
    "uninterrupted service."
)


@dataclass(frozen=True)
class FaultResponse:
    """A complete HTTP response: status, headers (lower-case bytes) and body."""

    status: int
    headers: list[tuple[bytes, bytes]]
    body: bytes


def tiktok_request_id(rng: random.Random) -> str:
    """A request id shaped like TikTok's: UTC ``YYYYMMDDHHMMSS`` then 20 upper-case hex digits."""
    stamp = time.strftime("%Y%m%d%H%M%S", time.gmtime())
    return stamp + f"{rng.getrandbits(80):020X}"


def throttled(store: StoreKind, rng: random.Random) -> FaultResponse:
    """HTTP 429 as each store sends it when a client goes over its rate limit."""
    if store == "tiktok":
        return _tiktok(429, TIKTOK_TOO_MANY_REQUESTS, _TIKTOK_THROTTLED_MESSAGE, rng)
    # Shopify's 429 always carries Retry-After (README B3: REST `Retry-After: 2.0`).
    return _json(429, {"errors": _SHOPIFY_THROTTLED}, [(b"retry-after", b"2.0")])


def server_error(store: StoreKind, rng: random.Random) -> FaultResponse:
    """A transient server-side failure the client should retry."""
    if store == "tiktok":
        # Assumption: TikTok answers its internal error with HTTP 500 (README D4: only
        # 401 and 429 are verified statuses).
        return _tiktok(500, TIKTOK_INTERNAL_ERROR, _TIKTOK_INTERNAL_MESSAGE, rng)
    # Assumption: Shopify's transient failure is a 503 with a JSON ``errors`` string and
    # a Retry-After, which its own clients honour (README B3: they retry 429 and 503).
    return _json(503, {"errors": "Service Unavailable"}, [(b"retry-after", b"1")])


def gateway_timeout(store: StoreKind, rng: random.Random) -> FaultResponse:
    """What a client that waited long enough finally gets from a stuck request."""
    if store == "tiktok":
        # Assumption: 36009007 (timeout) travels with HTTP 504.
        return _tiktok(504, TIKTOK_TIMEOUT, _TIKTOK_TIMEOUT_MESSAGE, rng)
    # Assumption: Shopify's edge answers a stuck request with a 504 and an ``errors`` string.
    return _json(504, {"errors": "Gateway Timeout"}, [])


def malformed(store: StoreKind, rng: random.Random) -> FaultResponse:
    """HTTP 200 with ``application/json`` whose body is not valid JSON."""
    if store == "tiktok":
        request_id = tiktok_request_id(rng)
        options = [
            '{"code":0,"message":"Success","request_id":"' + request_id + '","data":{"orders":[',
            '{"code":0,"message":"Success","data":{"next_page_token":"',
            "<html><body><h1>502 Bad Gateway</h1></body></html>",
        ]
    else:
        options = [
            '{"data":{"products":{"nodes":[{"id":"gid://shopify/Product/1",',
            '{"data": null, "errors": [{"message": "Internal error"',
            "<!DOCTYPE html><html><body>There was a problem loading this page</body></html>",
        ]
    body = rng.choice(options).encode()
    return FaultResponse(200, [(b"content-type", b"application/json")], body)


def _tiktok(status: int, code: int, message: str, rng: random.Random) -> FaultResponse:
    request_id = tiktok_request_id(rng)
    envelope = {"code": code, "message": message, "request_id": request_id, "data": None}
    return _json(status, envelope, [])


def _json(status: int, payload: object, extra: list[tuple[bytes, bytes]]) -> FaultResponse:
    body = json.dumps(payload, separators=(",", ":")).encode()
    headers = [(b"content-type", b"application/json; charset=utf-8"), *extra]
    return FaultResponse(status, headers, body)
