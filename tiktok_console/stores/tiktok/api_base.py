"""What every typed TikTok API method shares: one call, one parse, one error.

A reply that does not match its model (a field TikTok stopped sending, a
proxy's garbage) becomes ``StoreUnavailableError`` naming the endpoint, never
a pydantic traceback: the sync engine treats it like any other bad reply.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator, Mapping
from datetime import datetime
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from tiktok_console.stores.errors import StoreUnavailableError
from tiktok_console.stores.tiktok.transport import STORE, TikTokTransport

M = TypeVar("M", bound=BaseModel)

# How much of a validation error goes to the log: enough to name the fields.
_DETAIL_CHARS = 2000


def parse(model: type[M], data: Any, endpoint: str) -> M:
    """``data`` as ``model``, or ``StoreUnavailableError`` naming ``endpoint``."""
    try:
        return model.model_validate({} if data is None else data)
    except ValidationError as error:
        detail = f"unexpected reply from {endpoint}: {error}"[:_DETAIL_CHARS]
        raise StoreUnavailableError(STORE, detail) from error


def seconds(value: datetime | None) -> int | None:
    """A filter time as TikTok wants it (Unix seconds); None stays absent."""
    return None if value is None else int(value.timestamp())


def body_of(request: BaseModel | None) -> dict[str, Any]:
    """A request model as the JSON body TikTok expects (absent fields left out)."""
    if request is None:
        return {}
    body: dict[str, Any] = request.model_dump(mode="json", exclude_none=True)
    return body


class ApiBase:
    """Holds the transport; area mixins add the typed methods."""

    def __init__(self, transport: TikTokTransport) -> None:
        self.transport = transport

    async def _call(
        self,
        model: type[M],
        method: str,
        template: str,
        *,
        path_params: Mapping[str, str] | None = None,
        query: Mapping[str, Any] | None = None,
        body: Any = None,
        shop_scoped: bool = True,
        safe_to_repeat: bool = True,
    ) -> M:
        data = await self.transport.call(
            method,
            template,
            path_params=path_params,
            query=query,
            body=body,
            shop_scoped=shop_scoped,
            safe_to_repeat=safe_to_repeat,
        )
        return parse(model, data, f"{method} {template}")

    async def _pages(
        self,
        model: type[M],
        method: str,
        template: str,
        *,
        page_size: int,
        path_params: Mapping[str, str] | None = None,
        query: Mapping[str, Any] | None = None,
        body: Any = None,
    ) -> AsyncGenerator[M, None]:
        """Every page of a ``page_token`` list, parsed, until the token runs out."""
        token = ""
        while True:
            page_query = {k: v for k, v in (query or {}).items() if v is not None}
            page_query["page_size"] = page_size
            if token:
                page_query["page_token"] = token
            page = await self._call(
                model, method, template, path_params=path_params, query=page_query, body=body
            )
            yield page
            token = str(getattr(page, "next_page_token", "") or "")
            if not token:
                return
