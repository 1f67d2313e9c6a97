"""The Shopify Admin GraphQL client: one shop, one pinned API version.

It waits for the cost bucket before sending (so THROTTLED is rare), handles
THROTTLED and HTTP 429 both, refreshes expiring tokens, and maps every failure
to the error tree in ``stores.errors``. Documents are the ``.graphql`` files
beside it, each with its reply model in ``replies`` (the model names the
document); mutations that Shopify wants keyed take an ``idempotency_key``.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

import httpx

from tiktok_console.stores.call_results import CallObserver, report_call, transport_error
from tiktok_console.stores.errors import (
    AuthExpiredError,
    RateLimitedError,
    RequestRejectedError,
    StoreError,
    StoreUnavailableError,
)
from tiktok_console.stores.refreshing_token import RefreshingToken
from tiktok_console.stores.retry import AmbiguousWriteError, RetryPolicy, with_retries
from tiktok_console.stores.retry_after import parse_retry_after
from tiktok_console.stores.shopify.documents import document
from tiktok_console.stores.shopify.replies import Connection, Reply, parse_reply
from tiktok_console.stores.shopify.throttle import CostBucket

log = logging.getLogger(__name__)

STORE = "shopify"
API_VERSION = "2026-10"  # Shopify supports a version for a year; see shopify-2026-deltas

R = TypeVar("R", bound=Reply)
N = TypeVar("N")


@dataclass(frozen=True)
class ShopifyApiConfig:
    """How to reach one shop's Admin API.

    ``base_url`` is ``https://<shop>.myshopify.com`` for a real store (the
    sandbox gives its own URL).
    """

    base_url: str
    api_version: str = API_VERSION
    timeout: float = 30.0
    retry: RetryPolicy = field(default_factory=RetryPolicy)

    @property
    def graphql_url(self) -> str:
        """The Admin GraphQL endpoint."""
        return f"{self.base_url.rstrip('/')}/admin/api/{self.api_version}/graphql.json"


@dataclass
class ShopifyStats:
    """What happened on the wire, for tests, benchmarks and the Accounts page."""

    requests: int = 0
    throttled: int = 0  # THROTTLED replies (the cost bucket ran dry)
    rate_limited: int = 0  # HTTP 429 replies (the request rate limit)
    refreshed: int = 0


class ShopifyTransport:
    """Runs GraphQL documents against one shop and returns their typed ``data``."""

    def __init__(
        self,
        config: ShopifyApiConfig,
        token: RefreshingToken,
        http: httpx.AsyncClient | None = None,
        bucket: CostBucket | None = None,
        observer: CallObserver | None = None,
    ) -> None:
        """``observer`` hears how every attempt ended (the store's health follows it)."""
        self.config = config
        self.observer = observer
        self._token = token
        self._http = http or httpx.AsyncClient(timeout=config.timeout)
        self.bucket = bucket or CostBucket()
        self.stats = ShopifyStats()

    async def aclose(self) -> None:
        """Close the HTTP connections."""
        await self._http.aclose()

    async def execute(
        self,
        reply: type[R],
        variables: Mapping[str, Any] | None = None,
        *,
        idempotency_key: str | None = None,
        safe_to_repeat: bool = True,
    ) -> R:
        """Run the document ``reply`` names; returns its ``data`` as ``reply``.

        A reply that does not fit the model raises ``UnexpectedReplyError``.

        Args:
            idempotency_key: passed as ``$idempotencyKey`` to ``@idempotent``;
                the same key makes Shopify return the first result again.
            safe_to_repeat: False for writes with no idempotency key (e.g.
                ``orderCreate``): they are not retried after an ambiguous failure.
        """
        name = reply.document
        query = document(name)
        payload_variables = dict(variables or {})
        if idempotency_key is not None:
            payload_variables["idempotencyKey"] = idempotency_key
            safe_to_repeat = True

        async def attempt() -> R:
            reserved = await self.bucket.reserve(name)
            try:
                response = await self._post(query, payload_variables, safe_to_repeat)
            except BaseException as error:
                self.bucket.record(name, reserved, None)
                report_call(self.observer, STORE, error)
                raise
            try:
                parsed = parse_reply(reply, self._data(name, reserved, response, safe_to_repeat))
            except BaseException as error:
                report_call(self.observer, STORE, error)
                raise
            report_call(self.observer, STORE, None)
            return parsed

        return await with_retries(attempt, self.config.retry, safe_to_repeat=safe_to_repeat)

    async def paginate(
        self,
        reply: type[R],
        connection: Callable[[R], Connection[N]],
        variables: Mapping[str, Any] | None = None,
        *,
        page_size: int = 100,
    ) -> AsyncIterator[N]:
        """Every node of the connection ``connection`` picks from each page's reply."""
        after: str | None = None
        while True:
            data = await self.execute(
                reply, {**(variables or {}), "first": page_size, "after": after}
            )
            page = connection(data)
            for node in page.nodes:
                yield node
            if not page.page_info.has_next_page:
                return
            after = page.page_info.end_cursor

    async def _post(
        self, query: str, variables: dict[str, Any], safe_to_repeat: bool
    ) -> httpx.Response:
        token = await self._token.access_token()
        response = await self._send(query, variables, token, safe_to_repeat)
        if response.status_code == 401:
            # An expiring token may have lapsed between our check and the call.
            token = await self._token.renew(token)
            self.stats.refreshed += 1
            response = await self._send(query, variables, token, safe_to_repeat)
            if response.status_code == 401:
                raise AuthExpiredError(STORE, "HTTP 401 after refreshing the token")
        return response

    async def _send(
        self, query: str, variables: dict[str, Any], token: str, safe_to_repeat: bool
    ) -> httpx.Response:
        self.stats.requests += 1
        try:
            return await self._http.post(
                self.config.graphql_url,
                json={"query": query, "variables": variables},
                headers={"X-Shopify-Access-Token": token},
            )
        except httpx.TransportError as error:
            raise transport_error(STORE, error, safe_to_repeat, "the Admin API") from error

    def _data(
        self, name: str, reserved: float, response: httpx.Response, safe_to_repeat: bool = True
    ) -> dict[str, Any]:
        """The reply's ``data``; a 5xx or unreadable reply to a write that cannot be
        repeated is ambiguous (Shopify may have acted before failing)."""
        status = response.status_code
        if status == 429:
            self.stats.rate_limited += 1
            self.bucket.record(name, reserved, None)
            raise RateLimitedError(
                STORE,
                parse_retry_after(response.headers.get("retry-after"), default=1.0),
                f"HTTP 429 on {name}",
            )
        if status >= 500:
            self.bucket.record(name, reserved, None)
            raise _ambiguous(safe_to_repeat, f"HTTP {status} on {name}")
        try:
            body = response.json()
            assert isinstance(body, dict)
        except (ValueError, AssertionError) as error:
            self.bucket.record(name, reserved, None)
            raise _ambiguous(
                safe_to_repeat, f"HTTP {status}: unreadable reply to {name}"
            ) from error
        cost = (body.get("extensions") or {}).get("cost")
        self.bucket.record(name, reserved, cost)
        errors = body.get("errors")
        if errors:
            raise self._graphql_error(name, errors, cost)
        if status >= 400 or not isinstance(body.get("data"), dict):
            raise StoreUnavailableError(STORE, f"HTTP {status}: no data in reply to {name}")
        data: dict[str, Any] = body["data"]
        return data

    def _graphql_error(self, name: str, errors: Any, cost: Mapping[str, Any] | None) -> StoreError:
        if isinstance(errors, str):
            return RequestRejectedError(STORE, "ERROR", errors, f"{name}: {errors}")
        first = errors[0] if errors else {}
        code = str((first.get("extensions") or {}).get("code", "ERROR"))
        message = str(first.get("message", "unknown error"))
        if code == "THROTTLED":
            self.stats.throttled += 1
            requested = float((cost or {}).get("requestedQueryCost") or 0)
            return RateLimitedError(STORE, self.bucket.wait_for(requested), f"THROTTLED on {name}")
        if code in ("INTERNAL_SERVER_ERROR", "SERVICE_UNAVAILABLE"):
            return StoreUnavailableError(STORE, f"{code} on {name}: {message}")
        return RequestRejectedError(STORE, code, message, f"{name}: {errors}")


def _ambiguous(safe_to_repeat: bool, detail: str) -> StoreError:
    if safe_to_repeat:
        return StoreUnavailableError(STORE, detail)
    return AmbiguousWriteError(STORE, detail)
