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
from tiktok_console.stores.shopify.documents import bulk_query
from tiktok_console.stores.shopify.replies import BulkOperationById, BulkOperationRunQuery
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

    async def run(self, name: str, filter_query: str = "") -> AsyncIterator[dict[str, Any]]:
        """Yield every object of the bulk result of ``graphql/bulk/<name>.graphql``, in file order.

        ``filter_query`` (Shopify's search syntax) narrows the query's root connection.
        """
        operation_id = await self._start(bulk_query(name, filter_query))
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
        reply = await self._transport.execute(BulkOperationRunQuery, {"query": query})
        payload = reply.bulk_operation_run_query
        if payload.user_errors or payload.bulk_operation is None:
            message = payload.user_errors[0].message if payload.user_errors else "no operation"
            raise RequestRejectedError(STORE, "BULK", message)
        return payload.bulk_operation.id

    async def _wait(self, operation_id: str) -> str | None:
        while True:
            # By id, not ``currentBulkOperation``: another job's bulk read may have
            # started since (Shopify runs up to five at once from 2026-01).
            reply = await self._transport.execute(BulkOperationById, {"id": operation_id})
            operation = reply.node
            if operation is None or operation.id != operation_id:
                raise StoreUnavailableError(STORE, f"bulk operation {operation_id} vanished")
            if operation.status == "COMPLETED":
                return operation.url or None
            if operation.status in _FAILED:
                code = operation.error_code or operation.status
                raise RequestRejectedError(
                    STORE, code, f"the bulk operation ended {operation.status}"
                )
            await asyncio.sleep(self._poll)
