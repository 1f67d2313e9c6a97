"""Multipart uploads (product images), signed like every other TikTok request.

The transport only sends JSON bodies. An upload signs the path and query
with an empty body (multipart bodies are not signed), sends no
``shop_cipher`` (image upload is not shop-scoped), and is mapped to the same
typed errors. It reuses the transport's connection pool, token, limiter and
retry policy rather than duplicating them.
"""

from __future__ import annotations

from typing import Any

import httpx

from tiktok_console.stores.errors import AuthExpiredError, StoreUnavailableError
from tiktok_console.stores.retry import with_retries
from tiktok_console.stores.tiktok.signing import sign
from tiktok_console.stores.tiktok.transport import (
    EXPIRED_TOKEN,
    STORE,
    TikTokTransport,
    _data,
)


async def upload_multipart(
    transport: TikTokTransport,
    path: str,
    fields: dict[str, str],
    file: tuple[str, bytes, str],
) -> Any:
    """POST ``fields`` and ``file`` (name, bytes, content type) as ``data``; returns ``data``.

    Uploading the same image twice only stores it twice, so retries are safe.
    """

    async def attempt() -> Any:
        # The transport keeps its limiter, token and client private; an upload is
        # the one request shape it does not send itself.
        await transport._limiter("POST", path).acquire()
        token = await transport._token.access_token()
        try:
            return _data(await _send(transport, path, fields, file, token))
        except AuthExpiredError as error:
            if not error.detail.startswith(str(EXPIRED_TOKEN)):
                raise
            token = await transport._token.renew(token)
            return _data(await _send(transport, path, fields, file, token))

    return await with_retries(attempt, transport.config.retry, safe_to_repeat=True)


async def _send(
    transport: TikTokTransport,
    path: str,
    fields: dict[str, str],
    file: tuple[str, bytes, str],
    token: str,
) -> httpx.Response:
    config = transport.config
    params = {"app_key": config.app_key, "timestamp": str(int(config.clock()))}
    params["sign"] = sign(transport._secret, path, params, b"")
    url = config.api_base_url.rstrip("/") + path
    try:
        return await transport._http.post(
            url,
            params=params,
            data=fields,
            files={"data": file},
            headers={"x-tts-access-token": token},
        )
    except httpx.TransportError as error:
        raise StoreUnavailableError(STORE, f"{type(error).__name__} on POST {path}") from error
