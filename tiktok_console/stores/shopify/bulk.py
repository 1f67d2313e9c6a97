"""Bulk operations: run one query over the whole shop and stream its JSONL result.

Shopify answers a bulk query with a file: one JSON object per line, nested
connection children on their own lines carrying ``__parentId``. The file is
streamed line by line, so a 50,000-variant catalog never sits in memory, and
it is downloaded without our access token (it lives on a storage host).
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator
from typing import Any

import httpx

from tiktok_console.stores.errors import RequestRejectedError, StoreUnavailableError
from tiktok_console.stores.shopify.transport import STORE, ShopifyTransport

log = logging.getLogger(__name__)

_FAILED = {"FAILED", "CANCELED", "CANCELLED", "EXPIRED"}


class BulkRunner:
    """Starts a bulk query, waits for it, and yields each line of the result."""

    def __init__(
        self,
        transport: ShopifyTransport,
        http: httpx.AsyncClient | None = None,
        poll_interval: float = 1.0,
    ) -> None:
        self._transport = transport
        self._http = http or httpx.AsyncClient(timeout=60)
        self._poll = poll_interval

    async def run(self, query: str) -> AsyncIterator[dict[str, Any]]:
        """Yield every object of the bulk result of ``query``, in file order."""
        operation_id = await self._start(query)
        url = await self._wait(operation_id)
        if url is None:  # Shopify gives no file when nothing matched
            return
        async with self._http.stream("GET", url) as response:
            if response.status_code != 200:
                raise StoreUnavailableError(
                    STORE, f"bulk result download: HTTP {response.status_code}"
                )
            async for line in response.aiter_lines():
                if line.strip():
                    yield json.loads(line)

    async def _start(self, query: str) -> str:
        data = await self._transport.execute("BulkOperationRunQuery", {"query": query})
        payload = data["bulkOperationRunQuery"]
        if payload["userErrors"]:
            error = payload["userErrors"][0]
            raise RequestRejectedError(STORE, "BULK", str(error["message"]))
        return str(payload["bulkOperation"]["id"])

    async def _wait(self, operation_id: str) -> str | None:
        while True:
            data = await self._transport.execute("CurrentBulkOperation")
            operation = data["currentBulkOperation"] or {}
            if operation.get("id") != operation_id:
                raise StoreUnavailableError(STORE, f"bulk operation {operation_id} vanished")
            status = operation["status"]
            if status == "COMPLETED":
                url = operation.get("url")
                return str(url) if url else None
            if status in _FAILED:
                code = str(operation.get("errorCode") or status)
                raise RequestRejectedError(STORE, code, f"the bulk operation ended {status}")
            await asyncio.sleep(self._poll)
