"""Payments against their statements and the bank; settled money on both calendars."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from tiktok_console.domain.payout_calendar import bridge, by_order_date, by_settlement_date
from tiktok_console.domain.payout_matching import reconcile_payments
from tiktok_console.domain.reconciliation_inputs import (
    BankDeposit,
    Cause,
    Payment,
    Status,
    TikTokOrder,
)
from tiktok_console.domain.settlement_fields import Field
from tiktok_console.domain.settlement_lines import LineKind, SettlementLine

D = Decimal


def _line(
    order_id: str,
    amount: str,
    ordered: date | None,
    settled: date,
    statement: str,
    kind: LineKind = LineKind.ORDER,
) -> SettlementLine:
    value = D(amount)
    field = Field.RESERVE_AMOUNT if kind is LineKind.RESERVE else Field.REVENUE
    return SettlementLine(
        kind=kind,
        type_label=kind.value,
        order_id=order_id,
        adjustment_id="",
        sku_id="",
        currency="USD",
        settlement=ZERO if kind is LineKind.RESERVE else value,
        parts={} if kind is LineKind.RESERVE else {field: value},
        amounts={field: value},
        statement_id=statement,
        order_created=datetime(ordered.year, ordered.month, ordered.day, 9, tzinfo=UTC)
        if ordered
        else None,
        settled_time=datetime(settled.year, settled.month, settled.day, 3, tzinfo=UTC),
    )


ZERO = D(0)
JAN = date(2026, 1, 1)
LINES = [
    _line("A", "50.00", date(2025, 12, 28), date(2026, 1, 5), "S1"),  # earlier order
    _line("B", "30.00", date(2026, 1, 10), date(2026, 1, 20), "S2"),
    _line("C", "20.00", date(2026, 1, 25), date(2026, 2, 4), "S3"),  # settles later
    _line("", "-4.50", None, date(2026, 1, 20), "S2", LineKind.ADJUSTMENT),
    _line("", "-1.28", None, date(2026, 1, 20), "S2", LineKind.RESERVE),
]


def _paid(day: int) -> datetime:
    return datetime(2026, 1, day, 0, tzinfo=UTC)


def test_a_payment_is_its_statements_less_the_reserve_and_matches_its_deposit() -> None:
    payment = Payment("P2", "USD", D("24.22"), ("S2",), paid_at=_paid(21))
    deposit = BankDeposit("bank-1", date(2026, 1, 22), D("24.22"), "USD", "TIKTOK SHOP PAYOUT")
    other = BankDeposit("bank-2", date(2026, 1, 22), D("99.00"), "USD", "RENT")
    [result] = reconcile_payments([payment], LINES, [other, deposit], today=date(2026, 1, 30))
    assert result.settled == D("25.50") and result.paid == D("24.22")
    assert [(c.cause, c.amount) for c in result.causes] == [(Cause.RESERVE, D("-1.28"))]
    assert result.deposit == deposit and result.bank_causes == ()
    assert result.status is Status.EXPLAINED and result.unexplained == 0


def test_a_payment_short_of_its_statement_is_unexplained() -> None:
    payment = Payment("P1", "USD", D("49.00"), ("S1",), paid_at=_paid(6))
    deposit = BankDeposit("bank-3", date(2026, 1, 7), D("49.00"), "USD", "ref P1")
    [result] = reconcile_payments([payment], LINES, [deposit], today=date(2026, 1, 30))
    assert result.unexplained == D("-1.00") and result.status is Status.UNEXPLAINED
    assert result.deposit == deposit  # named in the reference


def test_a_payment_the_bank_has_not_booked_yet_then_overdue() -> None:
    payment = Payment("P3", "USD", D("20.00"), ("S3",), paid_at=_paid(5))
    [waiting] = reconcile_payments([payment], [], [], today=date(2026, 1, 7))
    assert waiting.status is Status.UNSETTLED
    assert waiting.bank_causes[0].cause is Cause.NOT_DEPOSITED_YET
    # Overdue, but no bank statement covers the day it was due: nobody knows yet.
    [unknown] = reconcile_payments([payment], [], [], today=date(2026, 1, 20))
    assert unknown.status is Status.UNSETTLED and unknown.unexplained == 0
    assert "no bank statement imported covers" in unknown.bank_causes[0].note
    # A statement up to the 19th has no deposit for it: that is unexplained.
    [late] = reconcile_payments([payment], [], [], date(2026, 1, 20), bank_until=date(2026, 1, 19))
    assert late.status is Status.UNEXPLAINED and late.unexplained == D("-20.00")
    assert "no deposit by 2026-01-10" in late.bank_causes[0].note


def test_each_deposit_pays_one_payment() -> None:
    twins = [Payment(f"P{i}", "USD", D("10.00"), paid_at=_paid(5)) for i in (1, 2)]
    deposit = BankDeposit("bank-4", date(2026, 1, 6), D("10.00"), "USD")
    results = reconcile_payments(twins, [], [deposit], today=date(2026, 1, 8))
    assert [r.deposit is not None for r in results] == [True, False]


def test_both_calendars_and_the_bridge_between_them() -> None:
    orders = {
        "D": TikTokOrder("D", datetime(2026, 1, 30, tzinfo=UTC), "USD", D("15.00")),
    }
    assert by_order_date(LINES, orders)[date(2026, 1, 10)] == D("30.00")
    assert by_settlement_date(LINES)[date(2026, 1, 20)] == D("25.50")
    payments = [
        Payment("P1", "USD", D("50.00"), ("S1",), D("50.00"), paid_at=_paid(6)),
        Payment(
            "P2", "USD", D("24.22"), ("S2",), D("25.50"), paid_at=datetime(2026, 2, 1, tzinfo=UTC)
        ),
    ]
    january = bridge(JAN, date(2026, 1, 31), LINES, orders, payments)
    assert january.by_order_date == D("50.00")  # B and C
    assert january.settles_later == D("20.00")  # C, in February
    assert january.from_earlier_orders == D("50.00")  # A, ordered in December
    assert january.without_order_date == D("-4.50")
    assert january.by_settlement_date == D("75.50") and january.balanced
    assert january.reserve == D("-1.28")
    assert january.paid == D("50.00") and january.in_transit == D("25.50")
    assert january.unsettled_forecast == D("15.00")  # D, never settled


def test_a_payout_of_nothing_is_not_looked_for_in_the_bank() -> None:
    negative = Payment("P9", "USD", D("-4.50"), ("S9",), paid_at=_paid(5))
    [result] = reconcile_payments(
        [negative], [], [], date(2026, 1, 30), bank_until=date(2026, 1, 29)
    )
    assert result.bank_causes == () and result.unexplained == 0
