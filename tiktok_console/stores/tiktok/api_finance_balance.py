"""Finance calls on the balance: Get Withdrawals (202309) and Get Unsettled Transactions (202507).

Kept apart from ``api_finance`` (which another change moves between versions):
these two are new here, as functions over the same client.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable
from datetime import datetime

from pydantic import Field

from tiktok_console.stores.tiktok.api_base import ApiBase, seconds
from tiktok_console.stores.tiktok.models.common import (
    Amount,
    IdStr,
    OptionalTime,
    Priced,
    TikTokModel,
)
from tiktok_console.stores.tiktok.models.finance import Withdrawal, WithdrawalPage

WITHDRAWALS = "/finance/202309/withdrawals"
UNSETTLED = "/finance/202507/orders/unsettled"
ALL_TYPES = ("WITHDRAW", "SETTLE", "TRANSFER", "REVERSE")


class UnsettledTransaction(Priced):
    """An order or adjustment TikTok has not settled yet, with its estimate."""

    id: IdStr
    type: str = ""
    status: str = ""
    estimated_settlement: str = ""
    unsettled_reason: str = ""
    order_create_time: OptionalTime = None
    order_id: IdStr = ""
    adjustment_id: IdStr = ""
    est_settlement_amount: Amount | None = None
    est_revenue_amount: Amount | None = None


class UnsettledPage(TikTokModel):
    """One page of Get Unsettled Transactions."""

    transactions: list[UnsettledTransaction] = Field(default_factory=list)
    next_page_token: str = ""
    total_count: int = 0


async def withdrawals(
    api: ApiBase,
    *,
    types: Iterable[str] = ALL_TYPES,
    create_time_ge: datetime | None = None,
    page_size: int = 50,
) -> AsyncIterator[Withdrawal]:
    """Withdrawals, settlements, transfers and reversals on the balance since a time."""
    query = {"types": ",".join(types), "create_time_ge": seconds(create_time_ge)}
    async for page in api._pages(
        WithdrawalPage, "GET", WITHDRAWALS, page_size=page_size, query=query
    ):
        for withdrawal in page.withdrawals:
            yield withdrawal


async def unsettled_transactions(
    api: ApiBase, *, page_size: int = 50
) -> AsyncIterator[UnsettledTransaction]:
    """Every transaction not settled yet, oldest order first."""
    query = {"sort_field": "order_create_time", "sort_order": "ASC"}
    async for page in api._pages(UnsettledPage, "GET", UNSETTLED, page_size=page_size, query=query):
        for transaction in page.transactions:
            yield transaction
