"""Finance calls: statements, payments and transactions agree with the shop's ledger."""

from __future__ import annotations

from datetime import UTC, datetime

from tests.stores.tiktok_api.conftest import collect
from tiktok_console.domain.money import Money, total
from tiktok_console.sandbox.runner import SandboxRunner
from tiktok_console.stores.tiktok.api import TikTokShopApi

DAY = 86400


async def test_statements_and_payments_match_the_ledger(
    api: TikTokShopApi, sandbox: SandboxRunner
) -> None:
    ledger = sandbox.world.tiktok.snapshot()["statements"]
    statements = await collect(api.statements(page_size=5))
    assert [s.id for s in statements] == [s["id"] for s in ledger]
    for statement, expected in zip(statements, ledger, strict=True):
        assert statement.settlement_amount == Money.parse(expected["settlement_amount"], "USD")
        assert statement.statement_time == datetime.fromtimestamp(expected["statement_time"], UTC)
    payments = await collect(api.payments(page_size=5))
    assert {p.id for p in payments} == {s["payment_id"] for s in ledger}
    for payment in payments:
        # The current version (202605) no longer names the reserve; the payout is net of it.
        assert payment.settlement_amount is not None and payment.reserve_amount is None
        assert payment.withheld is not None and payment.withheld <= Money.zero("USD")
        assert payment.amount == payment.settlement_amount + payment.withheld
    assert any(p.withheld is not None and p.withheld < Money.zero("USD") for p in payments)


async def test_statement_transactions_add_up_to_the_statement(
    api: TikTokShopApi, sandbox: SandboxRunner
) -> None:
    expected = next(s for s in sandbox.world.tiktok.snapshot()["statements"] if s["order_ids"])
    pages = await collect(api.statement_transaction_pages(expected["id"], page_size=2))
    assert pages[0].total_settlement_amount == Money.parse(expected["settlement_amount"], "USD")
    transactions = await collect(api.statement_transactions(expected["id"], page_size=2))
    assert sorted(t.id for t in transactions) == sorted(expected["transaction_ids"])
    settled = total([t.settlement_amount for t in transactions], "USD")
    assert settled == Money.parse(expected["settlement_amount"], "USD")

    order_id = expected["order_ids"][0]
    by_order = await api.order_transactions(order_id)
    assert by_order.order_id == order_id
    assert expected["id"] in {s.statement_id for s in by_order.sku_transactions}
    assert all(s.quantity >= 1 for s in by_order.sku_transactions)


async def test_new_statements_appear_as_days_pass(
    api: TikTokShopApi, sandbox: SandboxRunner
) -> None:
    before = [s.id async for s in api.statements()]
    sandbox.world.tiktok.set_order_rate(0)
    sandbox.world.advance(4 * DAY)
    since = datetime.fromtimestamp(sandbox.world.tiktok.snapshot()["time"] - 5 * DAY, UTC)
    after = [s.id async for s in api.statements()]
    ledger = [s["id"] for s in sandbox.world.tiktok.snapshot()["statements"]]
    assert len(after) > len(before) and after == ledger
    recent = [s async for s in api.statements(statement_time_ge=since)]
    assert recent and all(s.statement_time >= since for s in recent)
    assert {s.id for s in recent} < set(after)


async def test_unsettled_transactions_are_paid_orders_no_statement_holds(
    api: TikTokShopApi, sandbox: SandboxRunner
) -> None:
    snapshot = sandbox.world.tiktok.snapshot()
    in_statements = {o for s in snapshot["statements"] for o in s["order_ids"]}
    unsettled = await collect(api.unsettled_transactions(page_size=7))
    assert unsettled and not {t.order_id for t in unsettled} & in_statements
    assert all(t.status == "UNSETTLED" and t.est_settlement_amount.currency == "USD"
               for t in unsettled)  # fmt: skip
    created = [t.order_create_time for t in unsettled]
    assert created == sorted(created)
    delivered = {o["id"] for o in snapshot["orders"] if o["status"] == "DELIVERED"}
    assert {t.order_id for t in unsettled if t.order_delivery_time} <= delivered | {
        o["id"] for o in snapshot["orders"] if o["status"] == "COMPLETED"
    }


async def test_withdrawals_are_the_payouts(api: TikTokShopApi, sandbox: SandboxRunner) -> None:
    ledger = sandbox.world.tiktok.snapshot()["statements"]
    withdrawals = await collect(api.withdrawals(page_size=4))
    assert {w.id for w in withdrawals} == {s["payment_id"] for s in ledger}
    assert all(w.type == "SETTLE" and w.amount.currency == "USD" for w in withdrawals)


async def test_a_statement_withholds_its_reserve_as_a_reserve_transaction(
    api: TikTokShopApi, sandbox: SandboxRunner
) -> None:
    ledger = [s for s in sandbox.world.tiktok.snapshot()["statements"] if s["order_ids"]]
    pages = await collect(api.statement_transaction_pages(ledger[0]["id"], page_size=50))
    reserves = [t for p in pages for t in p.transactions if t.type == "RESERVE"]
    assert len(reserves) == 1 and reserves[0].reserve_status == "COLLECTED"
    reserve = reserves[0].reserve_amount
    assert reserve is not None and reserve < Money.zero("USD")
    assert reserves[0].estimated_release_time is not None
    assert pages[0].total_reserve_amount == reserve
