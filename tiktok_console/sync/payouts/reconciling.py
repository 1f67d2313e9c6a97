"""Reconciling what is stored, and keeping the result for the page and the CLI.

After the job or an import writes lines, ``refresh_results`` reconciles every
order against its lines and writes one result row per order, SKU and loose
line (with the order's waterfall), replacing the last run in one
transaction. Payments are few: they are reconciled when read, against the
statements' totals and the bank's deposits (and payments marked received by hand).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal

from tiktok_console.core.settings import PayoutSettings
from tiktok_console.domain.payout_matching import PaymentReconciliation, reconcile_payments
from tiktok_console.domain.reconciliation import (
    OrderReconciliation,
    Reconciliation,
    reconcile,
)
from tiktok_console.domain.reconciliation_inputs import BankDeposit, Payment
from tiktok_console.domain.settlement_fields import (
    FEE_PARTS,
    REVENUE_PARTS,
    SHIPPING_PARTS,
    TAX_PARTS,
    Field,
)
from tiktok_console.domain.settlement_lines import LineKind, SettlementLine
from tiktok_console.storage.database import db
from tiktok_console.storage.payouts import bank, finance
from tiktok_console.storage.payouts.lines import load_lines
from tiktok_console.storage.payouts.results import LOOSE, ORDER, SKU, ResultRow, replace_results
from tiktok_console.sync.gc_pause import collector_paused
from tiktok_console.sync.payouts.inputs import fee_rates, stored_orders

ZERO = Decimal(0)
_REVENUE = frozenset((*REVENUE_PARTS, Field.REVENUE))
_FEES = frozenset((*FEE_PARTS, *TAX_PARTS, Field.FEES, Field.TAXES))
_SHIPPING = frozenset((*SHIPPING_PARTS, Field.SHIPPING))


@dataclass(frozen=True)
class RefreshSummary:
    """What one reconciliation found."""

    orders: int
    unexplained: int
    unexplained_total: Decimal
    conflicts: int


def refresh_results(region: str = "US", chosen: PayoutSettings | None = None) -> RefreshSummary:
    """Reconciles every stored order and line; the results replace the last run's.

    ``chosen``: the merchant's fee rates (None: the region's published ones).
    """
    stored = load_lines()
    tiktok, shopify = stored_orders()
    with collector_paused():  # 100,000s of small acyclic objects: see sync.gc_pause
        result = reconcile(tiktok, stored.lines, shopify, fee_rates(region, chosen))
    store_reconciliation(result, stored.lines)
    unexplained = sum(1 for r in (*result.orders, *result.unmatched) if r.unexplained)
    return RefreshSummary(
        len(result.orders), unexplained, result.unexplained_total, len(stored.conflicts)
    )


def store_reconciliation(result: Reconciliation, lines: Sequence[SettlementLine]) -> int:
    """Writes one result row per order, SKU and loose line, with their waterfalls."""
    falls, statements = _waterfalls(lines)
    rows = [
        *(_row(ORDER, r, falls, statements) for r in result.orders),
        *(_row(SKU, r, falls, statements) for r in result.skus),
        *(_row(LOOSE, r, falls, statements) for r in result.unmatched),
    ]
    with db.atomic():
        return replace_results(rows)


def subject(kind: str, r: OrderReconciliation) -> str:
    """The review subject of a result: order:<id>, sku:<order>:<sku>, loose:<id>."""
    if kind == SKU:
        return f"sku:{r.order_id}:{r.sku_id}"
    if kind == LOOSE:
        return f"loose:{r.adjustment_id or r.order_id or r.sku_id}"
    return f"order:{r.order_id}"


def _row(
    kind: str,
    r: OrderReconciliation,
    falls: dict[tuple[str, str], list[Decimal]],
    statements: dict[tuple[str, str], set[str]],
) -> ResultRow:
    key = (r.order_id, r.sku_id if kind == SKU else "")
    if kind == LOOSE:
        key = ("~" + (r.adjustment_id or r.sku_id), "")
    fall = falls.get(key)
    causes = [[c.cause.value, str(c.amount), c.note] for c in (*r.causes, *r.shopify_causes)]
    return ResultRow(
        subject(kind, r), r.order_id, r.sku_id, r.adjustment_id, r.currency, r.expected,
        r.settled, r.unexplained, r.status.value, json.dumps(causes), r.shopify_order,
        ",".join(sorted(statements.get(key, ()))), r.lines,
        "|".join(str(v) for v in fall) if fall else "",
    )  # fmt: skip


def _waterfalls(
    lines: Iterable[SettlementLine],
) -> tuple[dict[tuple[str, str], list[Decimal]], dict[tuple[str, str], set[str]]]:
    """Per order (and order and SKU): revenue, fees, shipping, adjustments, settlement."""
    falls: dict[tuple[str, str], list[Decimal]] = defaultdict(lambda: [ZERO] * 5)
    statements: dict[tuple[str, str], set[str]] = defaultdict(set)
    for line in lines:
        if line.kind is LineKind.RESERVE:
            continue
        if not line.order_id:
            keys = [("~" + (line.adjustment_id or line.sku_id), "")]
        elif line.sku_id:
            keys = [(line.order_id, ""), (line.order_id, line.sku_id)]
        else:  # a line of a whole order (an export without SKUs): counted once
            keys = [(line.order_id, "")]
        steps = [ZERO] * 5
        if line.kind is LineKind.ADJUSTMENT:
            steps[3] = line.settlement
        else:
            for field, value in line.parts.items():
                index = (
                    0 if field in _REVENUE else 1 if field in _FEES
                    else 2 if field in _SHIPPING else 3
                )  # fmt: skip
                steps[index] += value
        steps[4] = line.settlement
        for key in keys:
            fall = falls[key]
            for i in range(5):
                fall[i] += steps[i]
            if line.statement_id:
                statements[key].add(line.statement_id)
    return falls, statements


def payment_results(today: date | None = None) -> list[PaymentReconciliation]:
    """Each payment against its statements and the bank (or the merchant's word)."""
    records = finance.payments()
    when = today or datetime.now(UTC).date()
    lines: list[SettlementLine] = []
    for statement in finance.statements():
        lines.append(_statement_line(statement.statement_id, statement.currency,
                                     statement.settlement_amount, LineKind.ORDER))  # fmt: skip
        if statement.reserve_amount:
            lines.append(_statement_line(statement.statement_id, statement.currency,
                                         statement.reserve_amount, LineKind.RESERVE))  # fmt: skip
    deposits = bank.deposits()
    # What the imported bank statements cover; a payment marked received covers nothing else.
    bank_until = max((d.booked_on for d in deposits), default=None)
    for record in records:
        if record.received_by_hand_at is not None:
            p = record.payment
            deposits.append(
                BankDeposit(f"hand:{p.payment_id}", record.received_by_hand_at.date(),
                            p.amount, p.currency, f"marked received by hand {p.payment_id}")
            )  # fmt: skip
    payments: list[Payment] = []
    for record in records:
        p = record.payment
        # The payment's own reserve wins; the statements' is used when it has none (202605).
        payments.append(
            Payment(
                p.payment_id, p.currency, p.amount, p.statement_ids, p.settlement_amount,
                p.reserve_amount, p.paid_at or record.created_at, p.amount_before_exchange,
                p.settlement_currency,
            )
        )  # fmt: skip
    return list(reconcile_payments(payments, lines, deposits, when, bank_until))


def _statement_line(
    statement_id: str, currency: str, amount: Decimal, kind: LineKind
) -> SettlementLine:
    amounts = {Field.RESERVE_AMOUNT: amount} if kind is LineKind.RESERVE else {}
    return SettlementLine(kind, kind.value, "", "", "", currency, amount, {}, amounts, statement_id)
