"""Each TikTok payment against the statements it paid and the bank deposit it became.

A payment pays one or more statements, less the reserve TikTok holds back
(plus any reserve it releases), possibly converted to another currency; the
bank then books it a day or more later. The difference between what the
statements settled and what the payment paid is named (reserve, FX) and
the rest is unexplained; a payment the bank has not booked yet says so.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from tiktok_console.domain.reconciliation import CauseAmount
from tiktok_console.domain.reconciliation_inputs import (
    NEEDS_LOOK,
    ZERO,
    BankDeposit,
    Cause,
    Payment,
    Status,
)
from tiktok_console.domain.settlement_fields import Field
from tiktok_console.domain.settlement_lines import LineKind, SettlementLine

BANK_DAYS = 5  # a payout reaches the bank within this many days of being paid (Assumption)


class _Latest:
    """``bank_until``'s default: the latest deposit's day."""


_LATEST = _Latest()


@dataclass(frozen=True)
class PaymentReconciliation:
    """One payment: settled by its statements, paid, deposited, and why they differ.

    ``causes`` add up to ``paid - settled``; ``bank_causes`` to
    ``deposited - paid`` (a missing deposit is ``not_deposited_yet``).
    """

    payment_id: str
    currency: str
    settled: Decimal
    paid: Decimal
    status: Status
    causes: tuple[CauseAmount, ...]
    deposit: BankDeposit | None = None
    bank_causes: tuple[CauseAmount, ...] = ()

    @property
    def unexplained(self) -> Decimal:
        """Money neither the reserve, FX nor the bank accounts for."""
        return sum(
            (c.amount for c in (*self.causes, *self.bank_causes) if c.cause in NEEDS_LOOK), ZERO
        )


def reconcile_payments(
    payments: Iterable[Payment],
    lines: Iterable[SettlementLine],
    deposits: Iterable[BankDeposit],
    today: date,
    bank_until: date | _Latest | None = _LATEST,
) -> tuple[PaymentReconciliation, ...]:
    """Reconciles every payment; each deposit matches at most one payment.

    ``bank_until``: the last day the merchant's bank statements cover (None: no
    statement imported; by default the latest deposit's day). A payment with
    no deposit is unexplained only once a statement covers the day it was due:
    before that, nobody knows, and it is "not deposited yet".
    """
    settled: dict[str, Decimal] = defaultdict(lambda: ZERO)
    reserves: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for line in lines:
        key = line.statement_id or line.payment_id
        if line.kind is LineKind.RESERVE:
            reserves[key] += line.amounts.get(Field.RESERVE_AMOUNT, line.settlement)
        else:
            settled[key] += line.settlement
    free = list(deposits)
    if isinstance(bank_until, _Latest):
        bank_until = max((d.booked_on for d in free), default=None)
    results = []
    for payment in sorted(payments, key=lambda p: (p.paid_at is None, p.paid_at, p.payment_id)):
        keys = (*payment.statement_ids, payment.payment_id)
        from_lines = sum((settled.get(k, ZERO) for k in keys), ZERO)
        total = from_lines if any(k in settled for k in keys) else payment.settlement_amount
        reserve = payment.reserve_amount
        if reserve is None and any(k in reserves for k in keys):
            reserve = sum((reserves.get(k, ZERO) for k in keys), ZERO)
        causes = _payment_causes(payment, total, reserve)
        deposit = _match_deposit(payment, free)
        if deposit is not None:
            free.remove(deposit)
        bank = _bank_causes(payment, deposit, today, bank_until)
        results.append(
            PaymentReconciliation(
                payment.payment_id,
                payment.currency,
                total if total is not None else payment.amount,
                payment.amount,
                _status(causes, bank, deposit),
                causes,
                deposit,
                bank,
            )
        )
    return tuple(results)


def _payment_causes(
    payment: Payment, settled: Decimal | None, reserve: Decimal | None
) -> tuple[CauseAmount, ...]:
    if settled is None:
        return ()  # neither lines nor a settlement amount: nothing to compare
    causes: list[CauseAmount] = []
    converted = (
        payment.settlement_currency is not None and payment.settlement_currency != payment.currency
    )
    if reserve:
        causes.append(CauseAmount(Cause.RESERVE, reserve))
    if converted:
        # Amounts in two currencies: what the payment paid beyond the settled
        # amount less the reserve is the exchange (before_exchange says by how much).
        before = payment.amount_before_exchange
        note = f"{before} {payment.settlement_currency} paid as {payment.amount} {payment.currency}"
        causes.append(CauseAmount(Cause.FX, payment.amount - settled - (reserve or ZERO), note))
        return tuple(causes)
    rest = payment.amount - settled - (reserve or ZERO)
    if rest:
        causes.append(
            CauseAmount(Cause.UNEXPLAINED, rest, "paid differs from settled less reserve")
        )
    return tuple(causes)


def _match_deposit(payment: Payment, deposits: Sequence[BankDeposit]) -> BankDeposit | None:
    """The deposit naming the payment, else the one of its amount booked soon after it was paid."""
    named = [d for d in deposits if payment.payment_id and payment.payment_id in d.reference]
    if named:
        return named[0]
    if payment.paid_at is None:
        return None
    paid_on = payment.paid_at.date()
    window = [
        d
        for d in deposits
        if d.currency == payment.currency
        and d.amount == payment.amount
        and paid_on - timedelta(days=1) <= d.booked_on <= paid_on + timedelta(days=BANK_DAYS)
    ]
    return min(window, key=lambda d: abs((d.booked_on - paid_on).days), default=None)


def _bank_causes(
    payment: Payment, deposit: BankDeposit | None, today: date, bank_until: date | None
) -> tuple[CauseAmount, ...]:
    if deposit is None:
        if payment.paid_at is None or payment.amount <= 0:
            return ()  # a payout of nothing (or less) never reaches the bank
        due = payment.paid_at.date() + timedelta(days=BANK_DAYS)
        if today <= due:
            note = f"expected in the bank by {due.isoformat()}"
        elif bank_until is None or bank_until < due:
            note = (
                f"expected in the bank by {due.isoformat()}; no bank statement imported covers "
                "that day (import one, or mark the payment received)"
            )
        else:
            note = f"no deposit by {due.isoformat()} in the bank statement imported"
            return (CauseAmount(Cause.UNEXPLAINED, -payment.amount, note),)
        return (CauseAmount(Cause.NOT_DEPOSITED_YET, -payment.amount, note),)
    difference = deposit.amount - payment.amount
    if not difference:
        return ()
    cause = Cause.FX if deposit.currency != payment.currency else Cause.UNEXPLAINED
    return (CauseAmount(cause, difference, f"bank booked {deposit.amount} {deposit.currency}"),)


def _status(
    causes: Sequence[CauseAmount], bank: Sequence[CauseAmount], deposit: BankDeposit | None
) -> Status:
    every = (*causes, *bank)
    if any(c.cause in NEEDS_LOOK for c in every):
        return Status.UNEXPLAINED
    if deposit is None:
        return Status.UNSETTLED
    return Status.EXPLAINED if every else Status.MATCHED
