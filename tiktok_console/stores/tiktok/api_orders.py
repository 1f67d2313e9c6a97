"""Typed order calls: the incremental search and detail by id (50 per call)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from datetime import datetime
from typing import Literal

from tiktok_console.stores.tiktok.api_base import ApiBase, body_of
from tiktok_console.stores.tiktok.models.orders import (
    Order,
    OrderList,
    OrderPage,
    SearchOrdersRequest,
)

SEARCH = "/order/202309/orders/search"
DETAIL = "/order/202507/orders"
MAX_DETAIL_IDS = 50

SortField = Literal["create_time", "update_time"]
SortOrder = Literal["ASC", "DESC"]


class OrdersApi(ApiBase):
    """Orders (scope Order Information)."""

    async def search_order_pages(
        self,
        *,
        update_time_ge: datetime | None = None,
        update_time_lt: datetime | None = None,
        create_time_ge: datetime | None = None,
        create_time_lt: datetime | None = None,
        order_status: str | None = None,
        sort_field: SortField = "update_time",
        sort_order: SortOrder = "ASC",
        page_size: int = 50,
    ) -> AsyncIterator[OrderPage]:
        """Pages of orders; oldest change first by default, as a sync cursor wants."""
        filters = SearchOrdersRequest(
            update_time_ge=update_time_ge,
            update_time_lt=update_time_lt,
            create_time_ge=create_time_ge,
            create_time_lt=create_time_lt,
            order_status=order_status,
        )
        query = {"sort_field": sort_field, "sort_order": sort_order}
        async for page in self._pages(
            OrderPage, "POST", SEARCH, page_size=page_size, query=query, body=body_of(filters)
        ):
            yield page

    async def search_orders(
        self,
        *,
        update_time_ge: datetime | None = None,
        update_time_lt: datetime | None = None,
        create_time_ge: datetime | None = None,
        create_time_lt: datetime | None = None,
        order_status: str | None = None,
        page_size: int = 50,
    ) -> AsyncIterator[Order]:
        """Every order matching the filters, oldest change first."""
        pages = self.search_order_pages(
            update_time_ge=update_time_ge,
            update_time_lt=update_time_lt,
            create_time_ge=create_time_ge,
            create_time_lt=create_time_lt,
            order_status=order_status,
            page_size=page_size,
        )
        async for page in pages:
            for order in page.orders:
                yield order

    async def get_orders(self, order_ids: Sequence[str]) -> list[Order]:
        """The orders with these ids, asked 50 at a time (TikTok's limit per call)."""
        ids = list(dict.fromkeys(order_ids))
        found: list[Order] = []
        for start in range(0, len(ids), MAX_DETAIL_IDS):
            chunk = ids[start : start + MAX_DETAIL_IDS]
            result = await self._call(OrderList, "GET", DETAIL, query={"ids": chunk})
            found.extend(result.orders)
        return found
