"""What the Payouts page shows, read in one go off the GUI thread (no Qt here).

The orders come from the last reconciliation's stored results (so 100,000
lines open without reconciling again); payments are reconciled on read
against the statements and the bank; the charts' series are small sums.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from tiktok_console.domain.payout_calendar import Bridge
from tiktok_console.domain.payout_matching import PaymentReconciliation
from tiktok_console.storage.payouts import finance
from tiktok_console.storage.payouts.results import (
    ResultRow,
    result_count,
    results,
    unexplained_total,
)
from tiktok_console.storage.payouts.reviews import Review, reviews
from tiktok_console.sync.payouts.calendars import month_bridges
from tiktok_console.sync.payouts.reconciling import payment_results

ZERO = Decimal(0)
FEE_CAUSES = (
    "referral_fee", "commission_fee", "transaction_fee", "affiliate_commission", "sfp_fee",
    "other_fee", "shipping_cost",
)  # fmt: skip


@dataclass(frozen=True)
class PayoutsData:
    """Orders (and loose lines), payments, statements, reviews and the charts' series."""

    orders: list[ResultRow]
    payments: list[PaymentReconciliation]
    statements: list[finance.StatementRecord]
    reviews: dict[str, Review]
    unexplained: dict[str, Decimal]
    paid_by_day: list[tuple[date, Decimal]] = field(default_factory=list)
    fees_by_type: dict[str, Decimal] = field(default_factory=dict)
    expected_vs_settled: list[tuple[date, Decimal, Decimal]] = field(default_factory=list)
    complete: bool = True  # False: a first screenful (the unexplained first), the rest follows
    months: list[Bridge] = field(default_factory=list)  # the two calendars, newest first


def load_payouts(today: date | None = None, preview: int | None = None) -> PayoutsData:
    """Everything the page shows; with ``preview``, that many orders (unexplained first), no charts.

    A year of orders takes a second or two to read with its charts: the page
    shows a screenful first, so it opens at once, and reads the rest behind it.
    """
    rows = results(limit=preview) if preview is not None else results()
    statements = finance.statements()
    payments = payment_results(today)
    if preview is not None and len(rows) >= preview and result_count() > preview:
        # A screenful: the charts come with the rest. (A preview that holds every
        # order is the whole: its charts are drawn now, not left empty.)
        return PayoutsData(
            rows, payments, statements, reviews(), unexplained_total(), complete=False
        )
    data = PayoutsData(rows, payments, statements, reviews(), unexplained_total())
    paid: dict[date, Decimal] = defaultdict(lambda: ZERO)
    for record in finance.payments():
        when = record.payment.paid_at or record.created_at
        paid[when.date()] += record.payment.amount
    fees: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for row in rows:
        if row.kind == "order":
            for cause, amount, _ in row.causes:
                if cause in FEE_CAUSES:
                    fees[cause] += -amount
    by_statement: dict[str, tuple[Decimal, Decimal]] = {}
    for row in rows:
        if row.kind != "order" or not row.statement_id:
            continue
        key = row.statement_id.split(",")[0]
        expected, settled = by_statement.get(key, (ZERO, ZERO))
        by_statement[key] = (expected + row.expected, settled + row.settled)
    times = {s.statement_id: s.statement_time.date() for s in statements}
    compared: dict[date, list[Decimal]] = defaultdict(lambda: [ZERO, ZERO])
    for statement_id, (expected, settled) in by_statement.items():
        day = times.get(statement_id)
        if day is not None:
            compared[day][0] += expected
            compared[day][1] += settled
    return PayoutsData(
        rows, payments, statements, data.reviews, data.unexplained,
        sorted(paid.items()), dict(fees),
        sorted((d, v[0], v[1]) for d, v in compared.items()), months=month_bridges(),
    )  # fmt: skip


@dataclass(frozen=True)
class PayoutsSummary:
    """The Overview card: the last payout and the unexplained total."""

    last_paid: PaymentReconciliation | None
    last_paid_on: date | None
    unexplained: dict[str, Decimal]


def load_summary() -> PayoutsSummary:
    """The newest payment and the unexplained money, for the Overview card."""
    records = finance.payments()
    last = records[0] if records else None
    matched = None
    if last is not None:
        matched = next(
            (p for p in payment_results() if p.payment_id == last.payment.payment_id), None
        )
    when = (last.payment.paid_at or last.created_at).date() if last else None
    return PayoutsSummary(matched, when, unexplained_total())
