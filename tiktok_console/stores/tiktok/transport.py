"""Signed requests to the TikTok Shop Open API, with limits, retries and typed errors.

One ``TikTokTransport`` per connected shop. Every request is signed over the
exact body bytes sent, carries the access token in ``x-tts-access-token``,
waits its turn in a per-endpoint limiter (TikTok allows 50 QPS per API per
app and shop), and maps every failure to the error tree in ``stores.errors``.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import AsyncIterator, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import httpx

from tiktok_console.stores.call_results import CallObserver, report_call, transport_error
from tiktok_console.stores.errors import (
    AuthExpiredError,
    RateLimitedError,
    RequestRejectedError,
    StoreUnavailableError,
)
from tiktok_console.stores.pacing import PacedLimiter
from tiktok_console.stores.refreshing_token import RefreshingToken
from tiktok_console.stores.retry import RetryPolicy, with_retries
from tiktok_console.stores.retry_after import parse_retry_after
from tiktok_console.stores.tiktok.signing import sign

log = logging.getLogger(__name__)

STORE = "tiktok"
EXPIRED_TOKEN = 105002
INVALID_TOKEN = 101000
TOO_MANY_REQUESTS = 36009002
RETRYABLE_CODES = frozenset({36009003, 36009007})  # internal error, gateway timeout


@dataclass(frozen=True)
class Multipart:
    """A multipart body (uploads): form fields and one file as (name, bytes, content type).

    TikTok signs multipart requests without their body.
    """

    fields: Mapping[str, str]
    file: tuple[str, bytes, str]


@dataclass(frozen=True)
class TikTokApiConfig:
    """Where and how to reach the Open API for one app.

    ``qps`` is per endpoint. ``clock`` gives the request timestamps (the
    sandbox's when a test advances it).
    """

    app_key: str
    api_base_url: str = "https://open-api.tiktokglobalshop.com"
    qps: float = 50.0
    endpoint_qps: Mapping[str, float] = field(default_factory=dict)
    timeout: float = 20.0
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    clock: Callable[[], float] = time.time


class TikTokTransport:
    """Sends signed requests for one shop and returns each response's ``data``.

    Args:
        config: the app's settings.
        app_secret: the app secret (signs requests; never sent).
        token: the shop's access token, refreshed as needed.
        shop_cipher: the shop's cipher, sent on shop-scoped endpoints.
        http: an AsyncClient to share; one is created if not given.
    """

    def __init__(
        self,
        config: TikTokApiConfig,
        app_secret: str,
        token: RefreshingToken,
        shop_cipher: str | None = None,
        http: httpx.AsyncClient | None = None,
        observer: CallObserver | None = None,
    ) -> None:
        self.config = config
        self.observer = observer  # hears how every attempt ended (the store's health)
        self._secret = app_secret
        self._token = token
        self.shop_cipher = shop_cipher
        self._http = http or httpx.AsyncClient(timeout=config.timeout)
        self._limiters: dict[str, PacedLimiter] = {}

    async def aclose(self) -> None:
        """Close the HTTP connections."""
        await self._http.aclose()

    async def call(
        self,
        method: str,
        template: str,
        *,
        path_params: Mapping[str, str] | None = None,
        query: Mapping[str, Any] | None = None,
        body: Any = None,
        shop_scoped: bool = True,
        safe_to_repeat: bool = True,
    ) -> Any:
        """One API call; returns the envelope's ``data``.

        Args:
            template: the path with ``{name}`` placeholders; it also names the
                endpoint for rate limiting, as TikTok counts per API.
            safe_to_repeat: False for writes without an idempotency key: they
                are not retried when a failure hides whether they happened.
        """
        path = template.format(**(path_params or {}))

        async def attempt() -> Any:
            await self._limiter(method, template).acquire()
            try:
                data = await self._send(
                    method, path, query or {}, body, shop_scoped, safe_to_repeat
                )
            except BaseException as error:
                report_call(self.observer, STORE, error)
                raise
            report_call(self.observer, STORE, None)
            return data

        return await with_retries(attempt, self.config.retry, safe_to_repeat=safe_to_repeat)

    async def upload(
        self, template: str, fields: Mapping[str, str], file: tuple[str, bytes, str]
    ) -> Any:
        """POST a multipart upload (``file`` sent as the ``data`` part); returns ``data``.

        Uploads are not shop-scoped; sending the same file twice only stores it
        twice, so they are retried like reads.
        """
        return await self.call("POST", template, body=Multipart(fields, file), shop_scoped=False)

    async def paginate(
        self,
        method: str,
        template: str,
        items_key: str,
        *,
        path_params: Mapping[str, str] | None = None,
        query: Mapping[str, Any] | None = None,
        body: Any = None,
        page_size: int = 50,
    ) -> AsyncIterator[dict[str, Any]]:
        """Every item of a ``page_token`` paginated list, page by page."""
        token = ""
        while True:
            page_query = {**(query or {}), "page_size": str(page_size)}
            if token:
                page_query["page_token"] = token
            data = await self.call(
                method, template, path_params=path_params, query=page_query, body=body
            )
            for item in (data or {}).get(items_key) or []:
                yield item
            token = (data or {}).get("next_page_token") or ""
            if not token:
                return

    def _limiter(self, method: str, template: str) -> PacedLimiter:
        key = f"{method} {template}"
        limiter = self._limiters.get(key)
        if limiter is None:
            qps = self.config.endpoint_qps.get(template, self.config.qps)
            # A fifth of a second's burst, then paced at the full rate: the store's
            # bucket holds a whole second, so the slack (0.8 s of calls) absorbs a
            # late-sent or late-served bunch of calls without a 429.
            limiter = PacedLimiter(qps, burst=qps / 5)
            self._limiters[key] = limiter
        return limiter

    async def _send(
        self,
        method: str,
        path: str,
        query: Mapping[str, Any],
        body: Any,
        shop_scoped: bool,
        safe_to_repeat: bool,
    ) -> Any:
        token = await self._token.access_token()
        response = await self._exchange(
            method, path, query, body, shop_scoped, token, safe_to_repeat
        )
        try:
            return _data(response)
        except AuthExpiredError as error:
            # 105002: renew (once for all callers). Any auth error for a token that a
            # parallel call renewed meanwhile: the store dropped it; resend with the new one.
            renewed_meanwhile = self._token.grant.access_token != token
            if error.detail.startswith(str(EXPIRED_TOKEN)) or renewed_meanwhile:
                token = await self._token.renew(token)
                retry = await self._exchange(
                    method, path, query, body, shop_scoped, token, safe_to_repeat
                )
                return _data(retry)
            raise

    async def _exchange(
        self,
        method: str,
        path: str,
        query: Mapping[str, Any],
        body: Any,
        shop_scoped: bool,
        token: str,
        safe_to_repeat: bool,
    ) -> httpx.Response:
        params = {key: _text(value) for key, value in query.items() if value is not None}
        params["app_key"] = self.config.app_key
        params["timestamp"] = str(int(self.config.clock()))
        if shop_scoped and self.shop_cipher:
            params["shop_cipher"] = self.shop_cipher
        url = self.config.api_base_url.rstrip("/") + path
        headers = {"x-tts-access-token": token}
        if isinstance(body, Multipart):
            params["sign"] = sign(self._secret, path, params, b"")
            request = self._http.build_request(
                method, url, params=params, data=dict(body.fields),
                files={"data": body.file}, headers=headers,
            )  # fmt: skip
        else:
            content = b"" if body is None else json.dumps(body, separators=(",", ":")).encode()
            params["sign"] = sign(self._secret, path, params, content)
            headers["content-type"] = "application/json"
            request = self._http.build_request(
                method, url, params=params, content=content or None, headers=headers
            )
        try:
            return await self._http.send(request)
        except httpx.TransportError as error:
            raise transport_error(STORE, error, safe_to_repeat, f"{method} {path}") from error


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        return ",".join(str(v) for v in value)
    return str(value)


def _data(response: httpx.Response) -> Any:
    """The envelope's ``data``, or the typed error the response stands for."""
    status = response.status_code
    try:
        envelope = response.json()
        code = int(envelope["code"])
        message = str(envelope.get("message", ""))
    except (ValueError, KeyError, TypeError) as error:
        raise StoreUnavailableError(
            STORE, f"HTTP {status}: unreadable response ({type(error).__name__})"
        ) from error
    detail = f"{code} {message} (HTTP {status}, request {envelope.get('request_id', '?')})"
    if code == 0 and status < 400:
        return envelope.get("data")
    if status == 429 or code == TOO_MANY_REQUESTS:
        retry_after = parse_retry_after(response.headers.get("retry-after"), default=1.0)
        raise RateLimitedError(STORE, retry_after, detail)
    if status >= 500 or code in RETRYABLE_CODES:
        raise StoreUnavailableError(STORE, detail)
    if code in (EXPIRED_TOKEN, INVALID_TOKEN):
        raise AuthExpiredError(STORE, detail)
    raise RequestRejectedError(STORE, str(code), message, detail)
