"""The payouts job over HTTP: statements, payments and per-SKU lines from the sandbox, reconciled.

A world with a month of history and its clock moved two days: the sandbox's
planted discrepancies (an order settled 1.37 short on shipping, an adjustment
without an order) are flagged unexplained with their amounts, and nothing else is.
"""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

import pytest

from tiktok_console.domain.settlement_fields import Field
from tiktok_console.domain.settlement_lines import LineKind, SettlementLine
from tiktok_console.sandbox.tiktok.routes_finance import _UNSETTLED_STATUSES as UNSETTLED_STATUSES
from tiktok_console.sandbox.world import WorldOptions
from tiktok_console.storage.jobs import load_cursor
from tiktok_console.storage.payouts import finance
from tiktok_console.storage.payouts.lines import line_count, load_lines
from tiktok_console.storage.payouts.results import results
from tiktok_console.storage.payouts.tables import PayoutWithdrawalRow
from tiktok_console.sync.payouts.importing import import_settlements
from tiktok_console.sync.payouts.reconciling import payment_results

from ..conftest import START, Connected

DAY = 86400


@pytest.fixture
def world_options() -> WorldOptions:
    return WorldOptions(
        seed=21, products=20, orders=60, orders_per_minute=0, index_lag_seconds=0.5,
        clock_start=START, shopify_plan="plus", clock_speed=0,
    )  # fmt: skip


async def _sync(connected: Connected) -> None:
    outcome = await connected.engine.run_until_caught_up(["orders", "payouts"])
    assert outcome == {"orders": "", "payouts": ""}


async def test_planted_discrepancies_and_nothing_else_are_unexplained(
    connected: Connected,
) -> None:
    world = connected.sandbox.world
    for _ in range(4):  # small steps: signing checks the clock
        world.advance(DAY / 2)
    await _sync(connected)
    planted = world.tiktok.snapshot()["discrepancies"]
    flagged = [r for r in results() if r.status == "unexplained"]
    short = next(d for d in planted if d["kind"] == "order_settled_short")
    orphan = next(d for d in planted if d["kind"] == "adjustment_without_order")
    by_order = {r.order_id: r for r in flagged if r.order_id}
    loose = [r for r in flagged if not r.order_id]
    assert set(by_order) == {short["order_id"]}
    assert by_order[short["order_id"]].unexplained == Decimal(short["difference"])
    assert [r.unexplained for r in loose] == [Decimal(orphan["amount"])]
    assert all(r.status != "unexplained" for r in results() if r not in flagged)


async def test_new_fee_rates_in_the_settings_are_used_on_the_next_run(
    connected: Connected,
) -> None:
    world = connected.sandbox.world
    for _ in range(4):
        world.advance(DAY / 2)
    await _sync(connected)
    before = {r.order_id for r in results() if r.status == "unexplained" and r.order_id}
    # The merchant expects a 5 % referral fee; the sandbox charges 6 %: every sale over it.
    connected.profile.settings.payouts.referral_fee_percent = Decimal(5)
    await _sync(connected)  # nothing new from the stores: the rates alone make it reconcile
    after = [r for r in results() if r.status == "unexplained" and r.order_id]
    assert len(after) > len(before)
    assert any("for the referral fee where" in r.causes_json for r in after)


async def test_statements_payments_and_lines_are_stored_once_with_their_json(
    connected: Connected,
) -> None:
    world = connected.sandbox.world
    await _sync(connected)
    first = finance.statements()
    assert first and all(s.lines_stored and s.source == "api" for s in first)
    lines = line_count()
    assert lines > 0 and load_lines().conflicts == ()
    cursor = load_cursor("payouts")
    await _sync(connected)  # nothing new: nothing stored twice
    assert line_count() == lines and load_cursor("payouts") == cursor
    world.advance(DAY / 2)
    world.advance(DAY / 2)
    await _sync(connected)
    later = finance.statements()
    assert len(later) > len(first) and line_count() > lines
    statement_ids = {s.statement_id for s in later}
    paid = {p.payment.payment_id: p for p in finance.payments()}
    assert {s.payment_id for s in later} <= set(paid)
    assert all(p.payment.statement_ids and set(p.payment.statement_ids) <= statement_ids
               for p in paid.values())  # fmt: skip
    # The balance: each statement settled to it; the paid ones left it; the forecast is stored.
    kinds = {(w.type, w.withdrawal_id) for w in PayoutWithdrawalRow.select()}
    assert sum(1 for kind, _ in kinds if kind == "SETTLE") == len(later)
    for _ in range(48):  # until something settled today, in no statement yet
        if world.tiktok.ledger.pending:
            break
        world.advance(3600)
    await _sync(connected)
    # The forecast: every paid order TikTok has not settled yet, as the sandbox's world holds it.
    ledger = world.tiktok.ledger
    orders = world.tiktok.book.orders.values()
    unsettled = {
        o.id for o in orders if o.status in UNSETTLED_STATUSES and o.id not in ledger.settled_orders
    }
    assert ledger.pending and unsettled
    assert {u.transaction_id for u in finance.unsettled()} == unsettled
    # No bank statement yet: each payment waits for its deposit, none is unexplained by FX/reserve.
    assert all(not any(c.cause.value == "unexplained" for c in p.causes) for p in payment_results())


def _export_of(lines: list[SettlementLine], path: Path) -> Path:
    """A CSV export of these lines, as Seller Center words its columns (zero cells blank)."""
    columns = {
        "Order/adjustment ID": None, "Type": None, "Order settled time": None, "Currency": None,
        "Total settlement amount": Field.SETTLEMENT,
        "Subtotal before discounts": Field.SUBTOTAL_BEFORE_DISCOUNTS,
        "Seller discounts": Field.SELLER_DISCOUNTS, "Referral fee": Field.REFERRAL_FEE,
        "Transaction fee": Field.TRANSACTION_FEE,
        "Affiliate commission": Field.AFFILIATE_COMMISSION,
        "Actual shipping fee": Field.ACTUAL_SHIPPING_FEE,
        "Customer shipping fee": Field.CUSTOMER_SHIPPING_FEE,
        "Platform shipping fee discount": Field.PLATFORM_SHIPPING_DISCOUNT,
        "SKU ID": None, "Statement ID": None,
    }  # fmt: skip
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(columns)
        for line in lines:
            assert line.settled_time is not None
            money = [
                "" if not line.amounts.get(f) else str(line.amounts[f])
                for f in columns.values()
                if f is not None and f is not Field.SETTLEMENT
            ]
            writer.writerow([
                line.order_id, "Order", line.settled_time.strftime("%Y-%m-%d %H:%M:%S"),
                line.currency, str(line.settlement), *money, line.sku_id, line.statement_id,
            ])  # fmt: skip
    return path


async def test_an_export_overlapping_the_api_counts_nothing_twice_and_shows_disagreement(
    connected: Connected, tmp_path: Path
) -> None:
    await _sync(connected)
    before = {r.subject: (r.settled, r.status) for r in results()}
    orders = [
        line for line in load_lines().lines
        if line.kind is LineKind.ORDER and Field.SUBTOTAL_BEFORE_DISCOUNTS in line.amounts
        and Field.PLATFORM_SHIPPING_DISCOUNT not in line.amounts
    ][:3]  # fmt: skip
    assert len(orders) == 3
    wrong = orders[2]
    fee = wrong.amounts[Field.REFERRAL_FEE] - Decimal("1.00")
    wrong = wrong._replace(
        settlement=wrong.settlement - 1, amounts={**wrong.amounts, Field.REFERRAL_FEE: fee}
    )
    export = _export_of([*orders[:2], wrong], tmp_path / "overlap.csv")
    result = import_settlements([export], currency="USD")
    [found] = result.files
    assert (found.lines, found.added, found.already_known) == (3, 0, 2)
    [conflict] = found.conflicts
    assert conflict.kept.settlement == orders[2].settlement
    assert conflict.other.settlement == orders[2].settlement - 1
    assert {r.subject: (r.settled, r.status) for r in results()} == before
    stored = load_lines()
    assert len(stored.conflicts) == 1
    assert sum(1 for line in stored.lines if line.source == "both") == 2
    statement = next(s for s in finance.statements() if s.statement_id == orders[0].statement_id)
    assert statement.source == "both"
