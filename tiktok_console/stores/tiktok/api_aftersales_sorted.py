"""Search Returns / Search Cancellations one page at a time, oldest change first.

The after-sales job pages by keyset (``update_time_ge`` = the newest change it
stored), so it needs the first page of a search sorted by ``update_time``
ascending, which the paging helpers of ``api_aftersales`` do not ask for.
Kept apart so the move to the current API version stays a small merge.
"""

from __future__ import annotations

from datetime import datetime

from tiktok_console.stores.tiktok.api_aftersales import SEARCH_CANCELLATIONS, SEARCH_RETURNS
from tiktok_console.stores.tiktok.api_base import ApiBase, body_of
from tiktok_console.stores.tiktok.models.returns import (
    CancellationPage,
    ReturnPage,
    SearchCancellationsRequest,
    SearchReturnsRequest,
)

_OLDEST_CHANGE_FIRST = {"sort_field": "update_time", "sort_order": "ASC"}


class SortedAftersalesApi(ApiBase):
    """First pages of the after-sales searches, by update time ascending."""

    async def returns_changed_since(
        self, since: datetime | None, *, page_size: int = 50
    ) -> ReturnPage:
        """Returns changed at or after ``since`` (all when None), oldest change first."""
        filters = SearchReturnsRequest(update_time_ge=since)
        query = {**_OLDEST_CHANGE_FIRST, "page_size": page_size}
        return await self._call(
            ReturnPage, "POST", SEARCH_RETURNS, query=query, body=body_of(filters)
        )

    async def cancellations_changed_since(
        self, since: datetime | None, *, page_size: int = 50
    ) -> CancellationPage:
        """Cancellations changed at or after ``since`` (all when None), oldest change first."""
        filters = SearchCancellationsRequest(update_time_ge=since)
        query = {**_OLDEST_CHANGE_FIRST, "page_size": page_size}
        return await self._call(
            CancellationPage, "POST", SEARCH_CANCELLATIONS, query=query, body=body_of(filters)
        )
