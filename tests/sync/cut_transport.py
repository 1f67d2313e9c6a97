"""A connection that drops after N requests to one store: a job "killed" after page N.

A kill -9 between pages and a connection lost before the next page leave the same
thing behind (the pages stored so far and the cursor saved with them), so a job run
over this transport stops exactly after its Nth page, deterministically and in-process.
"""

from __future__ import annotations

import httpx


class CutAfter(httpx.AsyncBaseTransport):
    """Passes the first ``requests`` requests whose path contains ``path``, then drops."""

    def __init__(self, requests: int, path: str) -> None:
        self._left = requests
        self._path = path
        self._inner = httpx.AsyncHTTPTransport()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if self._path in request.url.path:
            if self._left <= 0:
                raise httpx.RemoteProtocolError("connection dropped (cut)", request=request)
            self._left -= 1
        return await self._inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self._inner.aclose()
