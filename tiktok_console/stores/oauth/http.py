"""One place where the sign-in requests meet the network.

Token endpoints fail in the same few ways on both stores: the connection
drops, the host answers 5xx or 429, or the body is not JSON. Those become the
typed store errors; everything else (the store's own refusal) is returned for
the caller to read, since each store words its refusals differently.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

import httpx

from tiktok_console.stores.errors import RateLimitedError, StoreUnavailableError
from tiktok_console.stores.retry_after import parse_retry_after

log = logging.getLogger(__name__)


async def request_json(
    http: httpx.AsyncClient,
    store: str,
    method: str,
    url: str,
    *,
    params: Mapping[str, str] | None = None,
    json: Any = None,
    headers: Mapping[str, str] | None = None,
) -> tuple[int, Any]:
    """Send one request; returns ``(status, decoded JSON body)``.

    Raises:
        StoreUnavailableError: transport failure, 5xx, or a body that is not JSON.
        RateLimitedError: HTTP 429.
    """
    status, body, _ = await request_json_dated(
        http, store, method, url, params=params, json=json, headers=headers
    )
    return status, body


async def request_json_dated(
    http: httpx.AsyncClient,
    store: str,
    method: str,
    url: str,
    *,
    params: Mapping[str, str] | None = None,
    json: Any = None,
    headers: Mapping[str, str] | None = None,
) -> tuple[int, Any, datetime | None]:
    """As ``request_json``, plus the store's own clock from the ``Date`` header (None if
    absent or unreadable): token expiries are the store's clock, not ours.

    Raises:
        StoreUnavailableError: transport failure, 5xx, or a body that is not JSON.
        RateLimitedError: HTTP 429.
    """
    try:
        response = await http.request(method, url, params=params, json=json, headers=headers)
    except httpx.TransportError as error:
        raise StoreUnavailableError(store, f"{type(error).__name__} on {method}") from None
    if response.status_code == 429:
        retry_after = parse_retry_after(response.headers.get("retry-after"))
        raise RateLimitedError(store, retry_after, f"HTTP 429 on {method} {response.url.path}")
    if response.status_code >= 500:
        raise StoreUnavailableError(store, f"HTTP {response.status_code} on {response.url.path}")
    try:
        body = response.json()
    except ValueError:
        raise StoreUnavailableError(
            store, f"HTTP {response.status_code} with a body that is not JSON"
        ) from None
    log.debug("%s %s -> HTTP %s", method, response.url.path, response.status_code)
    return response.status_code, body, server_date(response.headers.get("date"))


def server_date(value: str | None) -> datetime | None:
    """The instant an HTTP ``Date`` header names (aware UTC), or None."""
    if not value:
        return None
    try:
        parsed = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)
