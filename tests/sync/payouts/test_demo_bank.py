"""The sandbox's bank (demo mode's bank leg) over HTTP: payouts booked a day after they were
paid, imported like any bank CSV, each matched to its payment with nothing unexplained."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from tiktok_console.sandbox.world import WorldOptions
from tiktok_console.storage.payouts import finance
from tiktok_console.sync.payouts.demo_bank import import_demo_bank
from tiktok_console.sync.payouts.reconciling import payment_results

from ..conftest import START, Connected

DAY = 86400


@pytest.fixture
def world_options() -> WorldOptions:
    return WorldOptions(
        seed=21, products=20, orders=60, orders_per_minute=0, index_lag_seconds=0.5,
        clock_start=START, shopify_plan="plus", clock_speed=0,
    )  # fmt: skip


async def test_the_demo_bank_books_each_payout_and_it_matches_its_payment(
    connected: Connected, tmp_path: Path
) -> None:
    world = connected.sandbox.world
    for _ in range(6):  # small steps: signing checks the clock
        world.advance(DAY / 2)
    assert await connected.engine.run_until_caught_up(["payouts"]) == {"payouts": ""}
    done = await import_demo_bank(connected.http, connected.sandbox.info().control_url, tmp_path)
    assert done.added == done.deposits > 0 and done.skipped_debits == 0
    now = world.clock.now_dt()
    today = now.date()
    paid = {p.payment.payment_id: p.payment for p in finance.payments() if p.status == "PAID"}
    results = {r.payment_id: r for r in payment_results(today) if r.payment_id in paid}
    booked = {
        i
        for i, p in paid.items()
        if p.paid_at and p.paid_at + timedelta(days=1) <= now and p.amount > 0
    }  # a payout of nothing never reaches the bank
    assert booked and {i for i, r in results.items() if r.deposit is not None} == booked
    for payment_id in booked:
        result = results[payment_id]
        assert result.deposit is not None and result.deposit.amount == result.paid
        assert result.unexplained == 0 and payment_id in result.deposit.reference
    # Imported again: the same deposits, nothing added.
    again = await import_demo_bank(connected.http, connected.sandbox.info().control_url, tmp_path)
    assert again.added == 0
