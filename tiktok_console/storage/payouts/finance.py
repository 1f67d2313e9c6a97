"""Statements, payments, withdrawals and unsettled transactions, as pulled or imported.

Writers take plain values (the sync layer parses TikTok's wire models) and
keep the raw JSON; readers return frozen values for the page, the CLI and
reconciliation.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal

from tiktok_console.domain.reconciliation_inputs import Payment
from tiktok_console.storage.payouts.tables import (
    PayoutPaymentRow,
    PayoutStatementRow,
    PayoutUnsettledRow,
    PayoutWithdrawalRow,
)


@dataclass(frozen=True)
class StatementRecord:
    """A statement as the console knows it; ``source`` is api, import or both."""

    statement_id: str
    statement_time: datetime
    currency: str
    settlement_amount: Decimal
    payment_id: str
    payment_status: str
    source: str
    revenue_amount: Decimal | None = None
    fee_amount: Decimal | None = None
    shipping_cost_amount: Decimal | None = None
    adjustment_amount: Decimal | None = None
    reserve_amount: Decimal | None = None
    lines_stored: bool = False


@dataclass(frozen=True)
class PaymentRecord:
    """A payment, and when the merchant marked it received (None: not by hand)."""

    payment: Payment
    status: str
    created_at: datetime
    received_by_hand_at: datetime | None = None
    bank_account: str = ""


@dataclass(frozen=True)
class UnsettledRecord:
    """A transaction not settled yet, with TikTok's estimate."""

    transaction_id: str
    type: str
    order_id: str
    adjustment_id: str
    currency: str
    est_settlement_amount: Decimal | None
    est_settle_time: datetime | None
    reason: str


def store_api_statement(record: StatementRecord, payload: str) -> None:
    """Upserts a statement from Get Statements; its lines flag is kept when already set."""
    now = datetime.now(UTC)
    values = {
        "statement_time": record.statement_time,
        "currency": record.currency,
        "settlement_amount": record.settlement_amount,
        "revenue_amount": record.revenue_amount,
        "fee_amount": record.fee_amount,
        "shipping_cost_amount": record.shipping_cost_amount,
        "adjustment_amount": record.adjustment_amount,
        "payment_id": record.payment_id,
        "payment_status": record.payment_status,
        "from_api": True,
        "payload": payload,
        "updated_at": now,
    }
    PayoutStatementRow.insert(statement_id=record.statement_id, **values).on_conflict(
        conflict_target=[PayoutStatementRow.statement_id],
        update={getattr(PayoutStatementRow, k): v for k, v in values.items()},
    ).execute()


def mark_lines_stored(statement_id: str, reserve: Decimal | None) -> None:
    """The statement's transactions are stored (written with them)."""
    PayoutStatementRow.update(
        lines_stored=True, reserve_amount=reserve, updated_at=datetime.now(UTC)
    ).where(PayoutStatementRow.statement_id == statement_id).execute()


def store_imported_statement(
    statement_id: str, when: datetime, currency: str, settlement: Decimal, payment_id: str
) -> None:
    """A statement an export names: new ones take the export's totals; known ones are marked."""
    now = datetime.now(UTC)
    PayoutStatementRow.insert(
        statement_id=statement_id, statement_time=when, currency=currency,
        settlement_amount=settlement, payment_id=payment_id, from_import=True, updated_at=now,
    ).on_conflict(
        conflict_target=[PayoutStatementRow.statement_id],
        update={PayoutStatementRow.from_import: True, PayoutStatementRow.updated_at: now},
    ).execute()  # fmt: skip


def statements() -> list[StatementRecord]:
    """Every statement, newest first."""
    query = PayoutStatementRow.select().order_by(PayoutStatementRow.statement_time.desc())
    return [_statement(row) for row in query]


def statements_without_lines() -> list[str]:
    """API statements whose transactions are not stored yet, oldest first."""
    query = (
        PayoutStatementRow.select(PayoutStatementRow.statement_id)
        .where(PayoutStatementRow.from_api & ~PayoutStatementRow.lines_stored)
        .order_by(PayoutStatementRow.statement_time, PayoutStatementRow.statement_id)
    )
    return [row.statement_id for row in query]


def _statement(row: PayoutStatementRow) -> StatementRecord:
    source = "both" if row.from_api and row.from_import else "api" if row.from_api else "import"
    return StatementRecord(
        row.statement_id, row.statement_time, row.currency, row.settlement_amount,
        row.payment_id, row.payment_status, source, row.revenue_amount, row.fee_amount,
        row.shipping_cost_amount, row.adjustment_amount, row.reserve_amount,
        bool(row.lines_stored),
    )  # fmt: skip


def store_payment(record: PaymentRecord, payload: str) -> None:
    """Upserts a payment from Get Payments (a hand-marked receipt is kept)."""
    p = record.payment
    values = {
        "create_time": record.created_at,
        "status": record.status,
        "amount": p.amount,
        "currency": p.currency,
        "settlement_amount": p.settlement_amount,
        "settlement_currency": p.settlement_currency,
        "reserve_amount": p.reserve_amount,
        "amount_before_exchange": p.amount_before_exchange,
        "paid_time": p.paid_at,
        "bank_account": record.bank_account,
        "payload": payload,
        "updated_at": datetime.now(UTC),
    }
    PayoutPaymentRow.insert(payment_id=p.payment_id, **values).on_conflict(
        conflict_target=[PayoutPaymentRow.payment_id],
        update={getattr(PayoutPaymentRow, k): v for k, v in values.items()},
    ).execute()


def payments() -> list[PaymentRecord]:
    """Every payment with the statements it paid, newest first."""
    paid_by: dict[str, list[str]] = {}
    for row in PayoutStatementRow.select(
        PayoutStatementRow.statement_id, PayoutStatementRow.payment_id
    ).order_by(PayoutStatementRow.statement_time):
        if row.payment_id:
            paid_by.setdefault(row.payment_id, []).append(row.statement_id)
    query = PayoutPaymentRow.select().order_by(PayoutPaymentRow.create_time.desc())
    return [
        PaymentRecord(
            Payment(
                row.payment_id,
                row.currency,
                row.amount,
                tuple(paid_by.get(row.payment_id, ())),
                row.settlement_amount,
                row.reserve_amount,
                row.paid_time,
                row.amount_before_exchange,
                row.settlement_currency,
            ),
            row.status,
            row.create_time,
            row.received_by_hand_at,
            row.bank_account,
        )
        for row in query
    ]


def unpaid_payment_since() -> datetime | None:
    """The oldest payment not yet PAID (the payments cursor may not pass it)."""
    row = (
        PayoutPaymentRow.select(PayoutPaymentRow.create_time)
        .where(PayoutPaymentRow.status != "PAID")
        .order_by(PayoutPaymentRow.create_time)
        .first()
    )
    return None if row is None else row.create_time


def mark_received(payment_id: str, received: bool) -> bool:
    """The merchant says the payment reached the bank (or takes it back)."""
    when = datetime.now(UTC) if received else None
    changed = (
        PayoutPaymentRow.update(received_by_hand_at=when)
        .where(PayoutPaymentRow.payment_id == payment_id)
        .execute()
    )
    return bool(changed)


def store_withdrawal(
    withdrawal_id: str, kind: str, status: str, amount: Decimal, currency: str,
    created: datetime | None, payload: str,
) -> None:  # fmt: skip
    """Upserts a withdrawal."""
    values = {
        "type": kind, "status": status, "amount": amount, "currency": currency,
        "create_time": created, "payload": payload, "updated_at": datetime.now(UTC),
    }  # fmt: skip
    PayoutWithdrawalRow.insert(withdrawal_id=withdrawal_id, **values).on_conflict(
        conflict_target=[PayoutWithdrawalRow.withdrawal_id],
        update={getattr(PayoutWithdrawalRow, k): v for k, v in values.items()},
    ).execute()


def replace_unsettled(records: Iterable[tuple[UnsettledRecord, str]]) -> int:
    """Unsettled transactions are a snapshot: the new list replaces the old."""
    now = datetime.now(UTC)
    PayoutUnsettledRow.delete().execute()
    count = 0
    for record, payload in records:
        PayoutUnsettledRow.insert(
            transaction_id=record.transaction_id, type=record.type, order_id=record.order_id,
            adjustment_id=record.adjustment_id, currency=record.currency,
            est_settlement_amount=record.est_settlement_amount,
            est_settle_time=record.est_settle_time, reason=record.reason, payload=payload,
            updated_at=now,
        ).on_conflict_replace().execute()  # fmt: skip
        count += 1
    return count


def unsettled() -> list[UnsettledRecord]:
    """The forecast: every unsettled transaction."""
    return [
        UnsettledRecord(
            r.transaction_id,
            r.type,
            r.order_id,
            r.adjustment_id,
            r.currency,
            r.est_settlement_amount,
            r.est_settle_time,
            r.reason,
        )
        for r in PayoutUnsettledRow.select().order_by(PayoutUnsettledRow.est_settle_time)
    ]
