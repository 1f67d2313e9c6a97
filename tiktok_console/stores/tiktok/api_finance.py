"""Typed finance calls: statements, payments, and transactions by statement and order.

Payments use the current 202605 version, which no longer reports the reserve:
the payout's ``amount`` is already net of it (``settlement_amount - amount``).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime

from tiktok_console.stores.tiktok.api_base import ApiBase, seconds
from tiktok_console.stores.tiktok.models.finance import (
    OrderTransactions,
    Payment,
    PaymentPage,
    Statement,
    StatementPage,
    StatementTransaction,
    StatementTransactionPage,
    UnsettledPage,
    UnsettledTransaction,
    Withdrawal,
    WithdrawalPage,
)

STATEMENTS = "/finance/202309/statements"
PAYMENTS = "/finance/202605/payments"
STATEMENT_TRANSACTIONS = "/finance/202501/statements/{statement_id}/statement_transactions"
ORDER_TRANSACTIONS = "/finance/202501/orders/{order_id}/statement_transactions"
UNSETTLED = "/finance/202507/orders/unsettled"
WITHDRAWALS = "/finance/202309/withdrawals"
WITHDRAWAL_TYPES = ("WITHDRAW", "SETTLE", "TRANSFER", "REVERSE")


class FinanceApi(ApiBase):
    """Finance (scope Finance Information)."""

    async def statements(
        self,
        *,
        statement_time_ge: datetime | None = None,
        statement_time_lt: datetime | None = None,
        payment_status: str | None = None,
        page_size: int = 50,
    ) -> AsyncIterator[Statement]:
        """Daily statements in the time range, oldest first."""
        query = {
            "sort_field": "statement_time",
            "sort_order": "ASC",
            "statement_time_ge": seconds(statement_time_ge),
            "statement_time_lt": seconds(statement_time_lt),
            "payment_status": payment_status,
        }
        async for page in self._pages(
            StatementPage, "GET", STATEMENTS, page_size=page_size, query=query
        ):
            for statement in page.statements:
                yield statement

    async def payments(
        self,
        *,
        create_time_ge: datetime | None = None,
        create_time_lt: datetime | None = None,
        page_size: int = 50,
    ) -> AsyncIterator[Payment]:
        """Payouts created in the time range, oldest first."""
        query = {
            "sort_field": "create_time",
            "sort_order": "ASC",
            "create_time_ge": seconds(create_time_ge),
            "create_time_lt": seconds(create_time_lt),
        }
        async for page in self._pages(
            PaymentPage, "GET", PAYMENTS, page_size=page_size, query=query
        ):
            for payment in page.payments:
                yield payment

    async def statement_transaction_pages(
        self, statement_id: str, *, page_size: int = 50
    ) -> AsyncIterator[StatementTransactionPage]:
        """The statement's totals and transactions, page by page (oldest order first)."""
        query = {"sort_field": "order_create_time", "sort_order": "ASC"}
        async for page in self._pages(
            StatementTransactionPage,
            "GET",
            STATEMENT_TRANSACTIONS,
            page_size=page_size,
            path_params={"statement_id": statement_id},
            query=query,
        ):
            yield page

    async def statement_transactions(
        self, statement_id: str, *, page_size: int = 50
    ) -> AsyncIterator[StatementTransaction]:
        """Every transaction of a statement."""
        async for page in self.statement_transaction_pages(statement_id, page_size=page_size):
            for transaction in page.transactions:
                yield transaction

    async def order_transactions(self, order_id: str) -> OrderTransactions:
        """How an order was settled, SKU by SKU and statement by statement."""
        return await self._call(
            OrderTransactions, "GET", ORDER_TRANSACTIONS, path_params={"order_id": order_id}
        )

    async def unsettled_transactions(
        self,
        *,
        search_time_ge: datetime | None = None,
        search_time_lt: datetime | None = None,
        page_size: int = 50,
    ) -> AsyncIterator[UnsettledTransaction]:
        """Paid orders (and adjustments) not settled yet, oldest order first."""
        query = {
            "sort_field": "order_create_time",
            "sort_order": "ASC",
            "search_time_ge": seconds(search_time_ge),
            "search_time_lt": seconds(search_time_lt),
        }
        async for page in self._pages(
            UnsettledPage, "GET", UNSETTLED, page_size=page_size, query=query
        ):
            for transaction in page.transactions:
                yield transaction

    async def withdrawals(
        self,
        types: tuple[str, ...] = ("SETTLE",),
        *,
        create_time_ge: datetime | None = None,
        create_time_lt: datetime | None = None,
        page_size: int = 50,
    ) -> AsyncIterator[Withdrawal]:
        """Money moved between TikTok and the seller's bank, newest first."""
        if not types or set(types) - set(WITHDRAWAL_TYPES):
            raise ValueError(f"withdrawal types must be among {WITHDRAWAL_TYPES}")
        query = {
            "types": ",".join(types),
            "create_time_ge": seconds(create_time_ge),
            "create_time_lt": seconds(create_time_lt),
        }
        async for page in self._pages(
            WithdrawalPage, "GET", WITHDRAWALS, page_size=page_size, query=query
        ):
            for withdrawal in page.withdrawals:
                yield withdrawal
