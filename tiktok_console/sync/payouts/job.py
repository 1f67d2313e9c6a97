"""The ``payouts`` job: statements, payments and their per-SKU transactions, incrementally.

Each run (1) reads statements from the cursor on (oldest first) and stores
them, advancing the cursor in the same transaction only up to the oldest
statement not yet paid, so its payment status is read again; (2) stores the
transactions of a few statements whose lines are not stored yet, split per
SKU through Get Transactions by Order, each statement in one transaction
with its "lines stored" mark; (3) reads payments the same way as
statements, withdrawals from their own cursor, and the unsettled
transactions (TikTok's forecast) as a snapshot; (4) reads back the
Shopify twins of settled orders (subtotal and refunds) that are new or
may have changed; (5) reconciles again when anything changed, the orders
and the merchant's fee rates included (a line settled before its order
was pulled is matched once it is). TikTok's JSON is
kept with every row. All calls to the finance client are in this module,
so a move of the client to newer versions touches only here.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal

from tiktok_console.core.settings import PayoutSettings
from tiktok_console.domain.money import Money
from tiktok_console.domain.reconciliation_inputs import Payment
from tiktok_console.domain.settlement_lines import SettlementLine
from tiktok_console.storage.accounts import record_call
from tiktok_console.storage.database import db
from tiktok_console.storage.jobs import load_cursor, save_cursor
from tiktok_console.storage.payouts import finance
from tiktok_console.storage.payouts.lines import store_lines
from tiktok_console.storage.payouts.order_facts import orders_fingerprint
from tiktok_console.stores.shopify.transport import ShopifyTransport
from tiktok_console.stores.tiktok.api import TikTokShopApi
from tiktok_console.stores.tiktok.api_finance import WITHDRAWAL_TYPES
from tiktok_console.stores.tiktok.models.finance import (
    OrderTransactions,
    Statement,
    StatementTransaction,
    UnsettledTransaction,
)
from tiktok_console.stores.tiktok.models.finance import Payment as WirePayment
from tiktok_console.sync.engine import Outcome
from tiktok_console.sync.payouts.api_lines import sku_line, statement_line
from tiktok_console.sync.payouts.reconciling import refresh_results
from tiktok_console.sync.payouts.shopify_reads import read_shopify_orders

log = logging.getLogger(__name__)

JOB = "payouts"
TOPICS = frozenset({"payouts"})


@dataclass
class _Cursor:
    statements: datetime | None = None
    payments: datetime | None = None
    withdrawals: datetime | None = None

    @classmethod
    def load(cls) -> _Cursor:
        text = load_cursor(JOB)
        if not text:
            return cls()
        data = json.loads(text)
        return cls(*(datetime.fromisoformat(data[k]) if data.get(k) else None
                     for k in ("statements", "payments", "withdrawals")))  # fmt: skip

    def save(self) -> None:
        pairs = (
            ("statements", self.statements),
            ("payments", self.payments),
            ("withdrawals", self.withdrawals),
        )
        data = {k: v.isoformat() if v else None for k, v in pairs}
        save_cursor(JOB, json.dumps(data))


class PayoutsJob:
    """Pulls TikTok's finance data and keeps the reconciliation up to date."""

    name = JOB

    def __init__(
        self,
        tiktok: TikTokShopApi,
        *,
        shopify: ShopifyTransport | None = None,
        rates: PayoutSettings | None = None,
        region: str = "US",
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
        interval: float = 60.0,
        statements_per_run: int = 5,
    ) -> None:
        """``rates`` is the profile's live settings object: a change is seen on the next run."""
        self._tiktok = tiktok
        self._shopify = shopify
        self._rates = rates
        self._rates_seen: str | None = None  # the rates last reconciled with
        self._region = region
        self._now = now
        self._statements_per_run = statements_per_run
        self.interval = interval
        self._orders_seen: tuple[int, str] | None = None  # the orders last reconciled

    async def run_once(self) -> Outcome:
        cursor = _Cursor.load()
        read = await self._statements(cursor)
        paid = await self._payments(cursor)
        paid += await self._balance(cursor)
        stored, more = await self._lines()
        record_call("tiktok", datetime.now(UTC))
        twins, more_twins = 0, False
        if self._shopify is not None:
            twins, more_twins = await read_shopify_orders(self._shopify, self._now())
            if twins:
                record_call("shopify", datetime.now(UTC))
        orders = orders_fingerprint()
        rates = self._rates.model_dump_json() if self._rates is not None else ""
        changed = bool(read or paid or stored or twins)
        if changed or orders != self._orders_seen or rates != self._rates_seen:
            # New orders (or their Shopify twins), or new fee rates, change the results.
            refresh_results(self._region, self._rates)
            changed = True
            self._orders_seen, self._rates_seen = orders, rates
        return Outcome(
            caught_up=not (more or more_twins),
            changed=TOPICS if changed else frozenset(),
            summary=f"{read} statements, {paid} payments, {stored} statements' lines, "
            f"{twins} Shopify orders read",
        )

    async def _statements(self, cursor: _Cursor) -> int:
        found: list[Statement] = [
            s async for s in self._tiktok.statements(statement_time_ge=cursor.statements)
        ]
        if not found:
            return 0
        unpaid = [s.statement_time for s in found if s.payment_status != "PAID"]
        with db.atomic():
            for s in found:
                finance.store_api_statement(_statement(s), s.model_dump_json())
            cursor.statements = min(unpaid) if unpaid else found[-1].statement_time
            cursor.save()
        return len(found)

    async def _payments(self, cursor: _Cursor) -> int:
        found: list[WirePayment] = [
            p async for p in self._tiktok.payments(create_time_ge=cursor.payments)
        ]
        if not found:
            return 0
        unpaid = [p.create_time for p in found if p.status != "PAID"]
        with db.atomic():
            for p in found:
                finance.store_payment(_payment(p), p.model_dump_json())
            cursor.payments = min(unpaid) if unpaid else found[-1].create_time
            cursor.save()
        return len(found)

    async def _balance(self, cursor: _Cursor) -> int:
        """Withdrawals since the cursor, and the unsettled transactions (a snapshot)."""
        found = [
            w
            async for w in self._tiktok.withdrawals(
                WITHDRAWAL_TYPES, create_time_ge=cursor.withdrawals
            )
        ]
        pending = [t async for t in self._tiktok.unsettled_transactions()]
        with db.atomic():
            for w in found:
                finance.store_withdrawal(
                    w.id, w.type, w.status, w.amount.amount, w.amount.currency, w.create_time,
                    w.model_dump_json(),
                )  # fmt: skip
            if found and found[-1].create_time is not None:
                cursor.withdrawals = found[-1].create_time
                cursor.save()
            finance.replace_unsettled((_unsettled(t), t.model_dump_json()) for t in pending)
        return len(found)

    async def _lines(self) -> tuple[int, bool]:
        waiting = finance.statements_without_lines()
        batch = waiting[: self._statements_per_run]
        for statement_id in batch:
            await self._statement_lines(statement_id)
        return len(batch), len(waiting) > len(batch)

    async def _statement_lines(self, statement_id: str) -> None:
        lines: list[SettlementLine] = []
        payloads: list[str] = []
        reserve = None
        orders: dict[str, OrderTransactions] = {}
        async for page in self._tiktok.statement_transaction_pages(statement_id):
            when = page.create_time or self._now()
            if page.total_reserve_amount is not None:
                reserve = page.total_reserve_amount.amount
            for transaction in page.transactions:
                split = await self._by_sku(transaction, statement_id, when, orders)
                if split:
                    for line, payload in split:
                        lines.append(line)
                        payloads.append(payload)
                else:
                    lines.append(statement_line(transaction, statement_id, when))
                    payloads.append(transaction.model_dump_json())
        with db.atomic():
            store_lines(lines, "api", statement_id, payloads)
            finance.mark_lines_stored(statement_id, reserve)

    async def _by_sku(
        self,
        transaction: StatementTransaction,
        statement_id: str,
        when: datetime,
        orders: dict[str, OrderTransactions],
    ) -> list[tuple[SettlementLine, str]]:
        """An order's transaction SKU by SKU ([] when it is no order, or TikTok gives no SKUs)."""
        if transaction.type.upper() != "ORDER" or not transaction.order_id:
            return []
        found = orders.get(transaction.order_id)
        if found is None:
            found = orders[transaction.order_id] = await self._tiktok.order_transactions(
                transaction.order_id
            )
        created = found.order_create_time or transaction.order_create_time
        return [
            (sku_line(sku, found.order_id, created, when), sku.model_dump_json())
            for sku in found.sku_transactions
            if sku.statement_id == statement_id
        ]


def _statement(s: Statement) -> finance.StatementRecord:
    return finance.StatementRecord(
        s.id, s.statement_time, s.settlement_amount.currency, s.settlement_amount.amount,
        s.payment_id, s.payment_status, "api", _amount(s.revenue_amount),
        _amount(s.fee_amount), _amount(s.shipping_cost_amount), _amount(s.adjustment_amount),
    )  # fmt: skip


def _unsettled(t: UnsettledTransaction) -> finance.UnsettledRecord:
    estimate = t.est_settlement_amount
    return finance.UnsettledRecord(
        t.id, t.type, t.order_id, t.adjustment_id, estimate.currency if estimate else "",
        estimate.amount if estimate else None, None,
        "; ".join(p for p in (t.unsettled_reason, t.estimated_settlement) if p),
    )  # fmt: skip


def _amount(value: Money | None) -> Decimal | None:
    return None if value is None else value.amount


def _payment(p: WirePayment) -> finance.PaymentRecord:
    settlement = p.settlement_amount
    before = p.payment_amount_before_exchange
    return finance.PaymentRecord(
        Payment(
            p.id, p.amount.currency, p.amount.amount, (),
            settlement.amount if settlement else None,
            p.reserve_amount.amount if p.reserve_amount else None,
            p.paid_time, before.amount if before else None,
            settlement.currency if settlement else None,
        ),
        p.status, p.create_time, None, p.bank_account,
    )  # fmt: skip
